"""Ingest on a Dask LocalCluster: the same store as one process, and a worker killed mid-run loses nothing."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import Client, LocalCluster, WorkerPlugin

from tests.conftest import demo_subset, run_cli, stored_facts
from watchfloor import parallel
from watchfloor.runner import IngestOptions
from watchfloor.workspace import Workspace

# Wire copies, pages, a PDF, a French article, a page repeating the wire before it (a duplicate, decided in
# input order) and a syndicated copy (the same bytes as the file before it: one more source).
CORPUS = (
    "arras-school-knife-attack.txt",
    "aussom-al-shabaab-offensive.html",
    "bamako-attaque-jnim-fr.txt",
    "brussels-swedish-fans-shooting-wire.txt",
    "iskp-external-operations-outlook-2025.pdf",
    "jaffar-express-hijacking-wire.txt",
    "kabul-kaaj-education-centre-bombing-wire.txt",
    "kandahar-shia-mosque-bombing-wire.txt",
    "lake-chad-boko-haram-iswap-rivalry.md",
    "peshawar-police-lines-mosque-bombing-wire.txt",
    "peshawar-police-mosque-bombing-frontier-daily.html",
    "solingen-festival-knife-attack.txt",
    "solingen-stabbing-syndicated-copy.txt",
)

MODEL = "sm"  # each worker loads it: the small model keeps the test short; the code path is the same
Facts = dict[str, list[tuple[Any, ...]]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_subset(tmp_path_factory, CORPUS)


@pytest.fixture(scope="module")
def one_process(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Facts:
    """What a 1-process ingest of the corpus stores."""
    db = tmp_path_factory.mktemp("one") / "one.db"
    with Workspace(db) as ws:
        report = ws.ingest([str(corpus)], IngestOptions(model=MODEL))
    assert report.analysed >= 10 and report.duplicates >= 1 and report.not_english == 1, report
    return stored_facts(db)


@pytest.fixture
def cluster() -> Iterator[LocalCluster]:
    """A running cluster reached by its scheduler's address, as a real one would be."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
    ) as running:
        yield running


def test_a_local_cluster_stores_exactly_what_one_process_stores(
    corpus: Path, one_process: Facts, tmp_path: Path
) -> None:
    db = tmp_path / "cluster.db"
    with Workspace(db) as ws:
        report = ws.ingest([str(corpus)], IngestOptions(model=MODEL, cluster="local:2"))
    assert not report.interrupted and not report.problems, report
    facts = stored_facts(db)
    assert len(facts["documents"]) >= 11 and len(facts["events"]) > 10 and len(facts["claims"]) > 20
    for table in one_process:
        assert facts[table] == one_process[table], table
    assert {row[1] for row in facts["documents"]} == {"analysed", "duplicate", "not_english"}


class KillTheSecondBatch(WorkerPlugin):
    """On the worker that starts the run's second analysis batch: SIGKILL itself, once (so, mid-run, after
    the first results came back), leaving its pid in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish != "executing" or not str(key).startswith("_analyse"):
            return
        for marker in ("first", "killed"):
            try:
                fd = os.open(self.folder / marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                continue
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            if marker == "killed":
                os.kill(os.getpid(), signal.SIGKILL)
            return


def test_a_worker_killed_mid_batch_loses_nothing_and_stores_nothing_twice(
    corpus: Path, one_process: Facts, tmp_path: Path, cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "DOCS_PER_TASK", 2)  # several analysis batches: the second one dies
    with Client(cluster) as client:
        client.register_plugin(KillTheSecondBatch(tmp_path), name="kill-the-second-batch")
    db = tmp_path / "killed.db"
    with Workspace(db) as ws:
        report = ws.ingest([str(corpus)], IngestOptions(model=MODEL, scheduler=cluster.scheduler_address))
    killed = int((tmp_path / "killed").read_text())
    assert not report.interrupted and not report.problems, report
    assert stored_facts(db) == one_process  # its batch ran again elsewhere: nothing lost, nothing twice
    with Client(cluster) as client:
        assert killed not in client.run(os.getpid).values()  # it really died (the nanny started another)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler at tcp://127.0.0.1:9"),
        (["--cluster", "local:2", "--workers", "2"], "--workers is for one machine without Dask"),
        (["--cluster", "four"], "--cluster takes local:N"),
    ],
)
def test_a_bad_cluster_option_is_one_line_without_a_traceback(
    args: list[str], message: str, corpus: Path, tmp_path: Path
) -> None:
    result = run_cli("ingest", str(corpus / CORPUS[0]), "--db", str(tmp_path / "x.db"), *args, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
