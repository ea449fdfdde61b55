"""Ingest on a Dask cluster: ``--cluster local:N`` (a LocalCluster for the run) or ``--scheduler tcp://…``.

The work is split as in :mod:`watchfloor.parallel` (the same code runs it, on a Dask executor instead of a
process pool): workers clean inputs and parse, link and extract batches of documents; this process decides
duplicates in input order and writes to the store in batches, so a cluster run stores exactly what one
process stores. The gazetteer and options reach each worker once, in a worker plugin (also run on workers
that join or restart later); each worker then loads the spaCy pipeline once, in the background, and keeps
it (for later runs too, on a long-lived cluster).

A worker killed mid-run loses nothing: the scheduler runs its tasks again on another worker (and a
LocalCluster's nanny starts a new one). Tasks are pure functions of their inputs, so running one twice
changes nothing; only this process writes. A run killed as a whole resumes like any ingest: inputs
already stored are skipped.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import re
import signal
import socket
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import CancelledError

from distributed import Client, KilledWorker, LocalCluster, Worker, WorkerPlugin
from distributed.comm.addressing import get_address_host_port

from watchfloor import __version__
from watchfloor.errors import InputProblem, UserError, WorkersLost
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.models import RawInput
from watchfloor.parallel import configure_worker, pooled_outcomes, warm_worker
from watchfloor.runner import Cleaned, IngestOptions, Outcome
from watchfloor.store.base import DocumentWrite

RETRIES = 2  # a task that raises is tried again on another worker before the run stops
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler before telling the user it is not there
PLUGIN = "watchfloor-ingest"
LOCAL = re.compile(r"local:(\d+)")


class WorkerSetup(WorkerPlugin):
    """Gives each worker the run's gazetteer and options, once (the scheduler keeps it for new workers)."""

    def __init__(self, gazetteer: Gazetteer, options: IngestOptions) -> None:
        self.gazetteer = gazetteer
        self.options = options

    def setup(self, worker: Worker) -> None:
        if self.options.cluster and threading.current_thread() is threading.main_thread():
            # A terminal's Ctrl-C reaches the run's own worker processes too; the ingest command stops
            # them (and prints one line), not a traceback from each. Workers of a cluster the user
            # started keep their own Ctrl-C.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        configure_worker(self.gazetteer, self.options)
        # Load the pipeline while the first inputs are cleaned; not in setup itself, which runs on the
        # worker's event loop (blocking it for seconds would stall its heartbeats).
        threading.Thread(target=warm_worker, name="watchfloor-warm", daemon=True).start()


def check_options(options: IngestOptions) -> None:
    """Refuse option combinations that cannot run, in one line each."""
    if options.cluster and options.scheduler:
        raise UserError("--cluster and --scheduler exclude each other: use a local cluster or a running one")
    if options.workers > 1 and (options.cluster or options.scheduler):
        raise UserError(
            "--workers is for one machine without Dask; with --cluster local:N the cluster's N workers do the "
            "work (leave --workers out)"
        )
    if options.cluster:
        local_workers(options.cluster)
    if options.scheduler:
        _probe(options.scheduler)


def _probe(address: str) -> None:
    """Fail fast, before any work starts, when nothing listens at the scheduler's address."""
    try:
        host, port = get_address_host_port(address, strict=True)
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
    except ValueError:
        raise UserError(_unreachable(address, "not an address like tcp://host:8786")) from None
    except OSError as exc:
        raise UserError(_unreachable(address, exc.strerror or str(exc) or type(exc).__name__)) from None


def _unreachable(address: str, reason: str) -> str:
    return (
        f"cannot reach the Dask scheduler at {address} ({reason.lower()}): start one with `dask scheduler` and "
        f"workers with `dask worker {address}`, or use --cluster local:N"
    )


def local_workers(spec: str) -> int:
    """N of ``local:N``."""
    match = LOCAL.fullmatch(spec.strip())
    if match is None or int(match.group(1)) < 1:
        raise UserError(f"--cluster takes local:N with N worker processes (e.g. local:4), not {spec!r}")
    return int(match.group(1))


@contextlib.contextmanager
def connect(options: IngestOptions, on_note: Callable[[str], None]) -> Iterator[Client]:
    """A client of the run's cluster: a new LocalCluster (closed at the end) or a running scheduler."""
    with contextlib.ExitStack() as stack:
        # Dask logs what it recovers from (restarts, reconnects) and what the run reports itself in one line
        # (a lost scheduler), with tracebacks: either would break the progress bar.
        stack.enter_context(_dask_logs_quiet())
        if options.cluster:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=local_workers(options.cluster),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # any free port: several runs may share a machine
                    silence_logs=logging.CRITICAL,  # the same in the worker processes
                )
            )
            client = stack.enter_context(Client(cluster))
        else:
            address = options.scheduler or ""
            try:
                client = stack.enter_context(Client(address, timeout=CONNECT_TIMEOUT))
            except (OSError, ValueError, TimeoutError):
                raise UserError(_unreachable(address, f"no answer within {CONNECT_TIMEOUT:.0f} s")) from None
            if not client.nthreads():
                on_note(f"no Dask workers at {address} yet: waiting (start some with `dask worker {address}`)")
                client.wait_for_workers(1)
        # Without bokeh a scheduler serves only its health and metrics pages at the dashboard's address.
        if options.scheduler or importlib.util.find_spec("bokeh"):
            on_note(f"Dask dashboard: {client.dashboard_link}")
        yield client


@contextlib.contextmanager
def _dask_logs_quiet() -> Iterator[None]:
    # Dask's logging configuration gives some children (distributed.client) levels of their own.
    names = ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def dask_outcomes(
    items: Iterable[RawInput | InputProblem],
    gazetteer: Gazetteer,
    options: IngestOptions,
    already_stored: Callable[[RawInput], bool],
    decide: Callable[[Cleaned], DocumentWrite],
    on_note: Callable[[str], None],
) -> Generator[Outcome, None, None]:
    """(source, write | problem | None) for every input, in input order, the per-document work done on Dask.

    Workers lost for good (a batch killed its worker ``allowed-failures`` times, the scheduler went away)
    raise :class:`WorkersLost`; the caller keeps what was already yielded.
    """
    check_options(options)
    where = options.cluster or options.scheduler
    with connect(options, on_note) as client:
        _check_workers(client, options.model)
        client.register_plugin(WorkerSetup(gazetteer, options), name=PLUGIN)
        slots = max(1, sum(client.nthreads().values()))
        # pure=False: every task is new work (two inputs with the same bytes are still two tasks).
        pool = client.get_executor(retries=RETRIES, pure=False)
        try:
            yield from pooled_outcomes(pool, slots, items, already_stored, decide)
        except KilledWorker as exc:
            raise WorkersLost(
                f"ingest: {exc.allowed_failures + 1} Dask workers died running the same batch (out of memory?); "
                "what was analysed is stored: run the same command again to resume"
            ) from exc
        except CancelledError as exc:
            raise WorkersLost(
                f"ingest: lost the Dask scheduler at {where}; what was analysed is stored: run the same command "
                "again to resume"
            ) from exc
        finally:
            pool.shutdown(wait=False)  # cancels what is still queued


def _check_workers(client: Client, model: str) -> None:
    """One line, before any work is sent, when the workers cannot run this ingest (another machine's install)."""
    try:
        versions: dict[str, str] = client.run(_worker_check, model)
    except UserError as exc:
        raise UserError(f"a Dask worker cannot run the ingest: {exc}") from None
    except Exception as exc:  # whatever unpickling our function raised on a worker without watchfloor
        raise UserError(
            f"the Dask workers cannot run watchfloor ({type(exc).__name__}: {exc}): install watchfloor "
            f"{__version__} and its spaCy models on every worker machine (docs/scale.md)"
        ) from None
    other = sorted({v for v in versions.values() if v != __version__})
    if other:
        raise UserError(
            f"Dask workers run watchfloor {', '.join(other)}, this machine {__version__}: install the same "
            "version everywhere (results are pickled between them)"
        )


def _worker_check(model: str) -> str:
    """On a worker: its watchfloor version, once the spaCy model is known to be installed."""
    from watchfloor.nlp.pipeline import model_path

    where = model_path(model)  # a UserError for a missing md package or an unknown model name
    if "/" not in where and importlib.util.find_spec(where) is None:  # sm is named by its package
        raise UserError(f"spaCy model {model!r} is not installed there; run `make install` on that machine")
    return __version__

