"""Ingest on several processes: the workers clean, parse, link and extract; the main process only
decides duplicates (which needs the store and the order of inputs) and writes.

Each input makes two trips. First a worker cleans it (HTML/PDF/text extraction, furniture, metadata,
language, MinHash); the main process then checks it against the store and the near-duplicate index,
which must see inputs one at a time. Documents to analyse go back to the workers in small batches for
spaCy, linking and extraction, and return as finished records. Both queues are bounded, so memory stays
flat whatever the corpus size, and results are yielded in input order.

Workers are forked where the platform allows (as spaCy's own ``n_process`` does on Linux): they inherit
the loaded gazetteer, place index and any idle pipeline instead of loading them again.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from watchfloor.errors import InputProblem
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.models import CleanDocument, RawInput
from watchfloor.nlp.truecase import for_parser
from watchfloor.runner import Cleaned, Facts, IngestOptions, Outcome, clean_input, extract_facts
from watchfloor.store.base import DocumentWrite

if TYPE_CHECKING:
    from spacy.language import Language

    from watchfloor.link.actors import Linker

DOCS_PER_TASK = 8  # documents per analysis task: enough for spaCy's batching, small enough to spread
CLEANING_AHEAD = 6  # inputs being cleaned per worker
ANALYSING_AHEAD = 2  # analysis tasks queued per worker

_state: dict[str, Any] = {}
_analysing = threading.Lock()  # one pipeline and linker per worker: threads sharing a Dask worker take turns


def configure_worker(gazetteer: Gazetteer, options: IngestOptions) -> None:
    """What this worker's tasks use; the pipeline and linker load on first use (:func:`_loaded`)."""
    with _analysing:
        _state.clear()
        _state.update(gazetteer=gazetteer, options=options)


def warm_worker() -> None:
    """Load what :func:`_analyse` needs now, e.g. in a thread while the first inputs are being cleaned."""
    with _analysing:
        _loaded()


def _loaded() -> tuple[Language, Linker]:
    """The pipeline (inherited when idle in a forked parent), place index and linker, loaded once per worker."""
    from watchfloor.link.actors import Linker
    from watchfloor.link.places import load_place_index
    from watchfloor.nlp.pipeline import acquire_pipeline

    if "nlp" not in _state:
        _state.update(
            nlp=acquire_pipeline(_state["gazetteer"], _state["options"].model),
            linker=Linker(_state["gazetteer"], load_place_index()),
        )
    return _state["nlp"], _state["linker"]


def _init_worker(gazetteer: Gazetteer, options: IngestOptions) -> None:
    """Process-pool initializer: load everything before the first task."""
    # The main process decides when to stop (Ctrl-C, SIGTERM) and lets running tasks finish.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    configure_worker(gazetteer, options)
    _loaded()
    gc.freeze()  # the models and tables stay for the worker's life: the collector need not walk them again


def _clean(item: RawInput) -> Cleaned | str:
    result = clean_input(item, _state["options"].today, signature=True)
    if isinstance(result, Cleaned):
        result.doc.raw_data = None  # the main process has the bytes: do not send them back
    return result


def _analyse(docs: list[CleanDocument]) -> list[Facts]:
    with _analysing:
        nlp, linker = _loaded()
        gazetteer, options = _state["gazetteer"], _state["options"]
        parsed = nlp.pipe([for_parser(d.text) for d in docs], batch_size=len(docs))
        return [
            extract_facts(spacy_doc, d, linker, gazetteer, options) for spacy_doc, d in zip(parsed, docs, strict=True)
        ]


def _for_analysis(doc: CleanDocument) -> CleanDocument:
    """What extraction reads (text, title, byline, dates), without the raw page."""
    return dataclasses.replace(doc, raw_text="", removed=[], raw_data=None, notes=[])


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def parallel_outcomes(
    items: Iterable[RawInput | InputProblem],
    gazetteer: Gazetteer,
    options: IngestOptions,
    already_stored: Callable[[RawInput], bool],
    decide: Callable[[Cleaned], DocumentWrite],
) -> Generator[Outcome, None, None]:
    """(source, write | problem | None) for every input, the per-document work done by ``options.workers`` processes.

    A worker that dies raises ``BrokenProcessPool`` here; the caller keeps what was already yielded.
    """
    pool = ProcessPoolExecutor(
        options.workers, mp_context=_context(), initializer=_init_worker, initargs=(gazetteer, options)
    )
    try:
        yield from pooled_outcomes(pool, options.workers, items, already_stored, decide)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def pooled_outcomes(
    pool: Executor,
    workers: int,
    items: Iterable[RawInput | InputProblem],
    already_stored: Callable[[RawInput], bool],
    decide: Callable[[Cleaned], DocumentWrite],
) -> Iterator[Outcome]:
    """The outcomes of :func:`parallel_outcomes` from any executor whose workers ran :func:`configure_worker`
    (a process pool, a Dask cluster); ``workers`` (task slots) sizes the bounded queues."""
    cleaning: deque[tuple[RawInput, Future[Cleaned | str]]] = deque()
    analysing: deque[tuple[list[tuple[str, DocumentWrite]], Future[list[Facts]]]] = deque()
    # Outcomes in input order: an entry waits here until every earlier input is settled.
    ordered: deque[tuple[str, DocumentWrite | str | None, bool]] = deque()
    batch: list[tuple[str, DocumentWrite]] = []
    done: set[int] = set()  # ids of analysed writes whose facts have come back

    def submit_batch() -> None:
        if batch:
            future = pool.submit(_analyse, [_for_analysis(w.doc) for _, w in batch])
            analysing.append((list(batch), future))
            batch.clear()

    def settle_cleaned() -> None:
        item, future = cleaning.popleft()
        result = future.result()
        if isinstance(result, str):
            ordered.append((item.source, result, True))
            return
        if item.kind in ("html", "pdf"):
            result.doc.raw_data = item.data
        write = decide(result)
        if write.status != "analysed":
            ordered.append((item.source, write, True))
            return
        ordered.append((item.source, write, False))
        batch.append((item.source, write))
        if len(batch) >= DOCS_PER_TASK:
            submit_batch()

    def settle_analysed(limit: int) -> None:
        while analysing and (analysing[0][1].done() or len(analysing) > limit):
            writes, future = analysing.popleft()
            for (_source, write), facts in zip(writes, future.result(), strict=True):
                facts.apply(write)
                done.add(id(write))

    def ready() -> Iterator[Outcome]:
        while ordered and (ordered[0][2] or id(ordered[0][1]) in done):
            source, outcome, _ = ordered.popleft()
            done.discard(id(outcome))
            yield source, outcome

    for item in items:
        if isinstance(item, InputProblem):
            ordered.append((item.source, item.reason, True))
        elif already_stored(item):
            ordered.append((item.source, None, True))
        else:
            cleaning.append((item, pool.submit(_clean, item)))
        while len(cleaning) > CLEANING_AHEAD * workers or (cleaning and cleaning[0][1].done()):
            settle_cleaned()
        settle_analysed(ANALYSING_AHEAD * workers)
        yield from ready()
    while cleaning:
        settle_cleaned()
        settle_analysed(ANALYSING_AHEAD * workers)
        yield from ready()
    submit_batch()
    while analysing:
        settle_analysed(len(analysing) - 1)  # wait for the oldest task only, then pass on what is ready
        yield from ready()
    yield from ready()
