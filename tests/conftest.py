"""Shared fixtures: the real spaCy pipeline, the real gazetteer, a demo store built once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import Gazetteer, load_gazetteer
from watchfloor.link.places import load_place_index
from watchfloor.nlp.pipeline import build_pipeline
from watchfloor.workspace import Workspace, demo_corpus_path

TESTS = Path(__file__).parent
DATA = TESTS / "data"


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="session")
def linker(gazetteer: Gazetteer) -> Linker:
    return Linker(gazetteer, load_place_index())


@pytest.fixture(scope="session")
def nlp(gazetteer: Gazetteer):  # type: ignore[no-untyped-def]
    return build_pipeline(gazetteer)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A SQLite store that ``build(path)`` makes, made once per test run and copied for each pytest-xdist
    worker (each gets its own file, as when every worker built it): the first worker to need it builds it
    under a file lock, the others wait and copy it. Without xdist, built in place."""
    import fcntl

    from tests.test_api import copy_store

    own = tmp_path_factory.mktemp(name) / f"{name}.db"
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        build(own)
        return own
    shared = tmp_path_factory.getbasetemp().parent / f"shared-{name}"  # the run's folder, above each worker's
    shared.mkdir(exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / "built").exists():  # a failed build leaves no mark: the next worker builds (and fails)
            db = shared / f"{name}.db"
            for leftover in shared.glob(f"{name}.db*"):
                leftover.unlink()
            build(db)
            (shared / "built").touch()
        return copy_store(shared / f"{name}.db", own)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo corpus ingested through the Python API (once per run: :func:`built_once`)."""

    def build(db: Path) -> None:
        with Workspace(db) as ws:
            report = ws.ingest([str(demo_corpus_path())])
        assert report.analysed >= 25, report

    return built_once(tmp_path_factory, "demo", build)


def demo_subset(tmp_path_factory: pytest.TempPathFactory, names: tuple[str, ...]) -> Path:
    """A folder holding copies of the named demo-corpus files."""
    folder = tmp_path_factory.mktemp("corpus")
    for name in names:
        (folder / name).write_bytes((demo_corpus_path() / name).read_bytes())
    return folder


def stored_facts(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored fact with its evidence span, in a comparable form (no row ids, no timestamps)."""
    conn = sqlite3.connect(db)
    try:
        queries = {
            "documents": "SELECT id, status, duplicate_of, published, title FROM documents",
            "mentions": "SELECT m.doc_id, m.start, m.end, e.key FROM mentions m "
            "LEFT JOIN entities e ON e.id = m.entity_id",
            "events": "SELECT doc_id, start, end FROM event_evidence",
            "claims": "SELECT doc_id, start, end, kind, speaker_text, text FROM claims",
            "relations": "SELECT doc_id, evidence_start, evidence_end, predicate, modality FROM relations",
        }
        return {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def browsing() -> Iterator[Any]:
    """One headless Debian Chromium per test module, driven by Playwright (a ``tests.test_web.Browsing``)."""
    from playwright.sync_api import sync_playwright

    from tests.test_web import CHROMIUM, LAUNCH_ARGS, MISSING_CHROMIUM, Browsing

    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)  # every test errors with this; none is skipped
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield Browsing(browser)
        finally:
            browser.close()


@pytest.fixture
def tab(browsing: Any, server: Any) -> Iterator[Any]:
    """A fresh browser tab on the module's ``server`` fixture (a ``tests.test_web.Tab``)."""
    with browsing.tab(server.url) as t:
        yield t


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess, as a user would."""
    env = dict(os.environ)
    env["COLUMNS"] = "200"
    env.setdefault("WATCHFLOOR_LOG", str(Path(cwd or ".") / "watchfloor-test.log"))
    return subprocess.run(
        [sys.executable, "-m", "watchfloor", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def invoke_cli(
    *args: str, cwd: Path | None = None, columns: int = 200, env: dict[str, str | None] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command line in this process: its entry point ``watchfloor.cli.main`` with ``args`` as argv,
    output captured by Click's CliRunner, the exit code as :func:`run_cli` would get it. For tests about
    what a command does, not about its process: no interpreter start, and the spaCy pipeline an ingest
    builds is kept for the next one (as the server keeps it). ``env``: variables to set for the call (None
    unsets one).

    What the command writes to stderr is what a new process would write: the Rich consoles are set up
    again for the call (width from COLUMNS, no colour on a pipe), warnings are shown on stderr under
    Python's default filters and log records reach stderr through logging's last-resort handler (pytest
    would otherwise capture both)."""
    import contextlib
    import logging
    import signal
    import warnings

    from click.testing import CliRunner
    from rich.console import Console

    from watchfloor import cli, render

    log = os.environ.get("WATCHFLOOR_LOG") or str(Path(cwd or ".").resolve() / "watchfloor-test.log")
    variables = {"COLUMNS": str(columns), "WATCHFLOOR_LOG": log, **(env or {})}
    consoles = {render.console: False, render.err_console: True}  # console: stderr?
    saved = {c: dict(c.__dict__) for c in consoles}
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    argv, sigterm = sys.argv, signal.getsignal(signal.SIGTERM)

    def show(message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

    code: int = 0
    with (
        contextlib.chdir(cwd or Path.cwd()),
        CliRunner().isolation(env=variables) as (out, err, _mixed),
        warnings.catch_warnings(),
    ):
        warnings.resetwarnings()  # Python's defaults for a new process
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
            warnings.simplefilter("ignore", category)
        warnings.showwarning = show
        root.handlers = []
        for console, stderr in consoles.items():
            Console.__init__(console, stderr=stderr)  # what a new process's import makes
        sys.argv = ["watchfloor", *args]
        try:
            cli.main()
        except SystemExit as exc:
            if isinstance(exc.code, int) or exc.code is None:
                code = exc.code or 0
            else:  # sys.exit("message"): the message on stderr, status 1, as Python does
                print(exc.code, file=sys.stderr)
                code = 1
        finally:
            sys.argv = argv
            signal.signal(signal.SIGTERM, sigterm)
            for handler in root.handlers:  # e.g. the log file of an internal error
                handler.close()
            root.handlers = handlers
            root.setLevel(level)
            for console, state in saved.items():
                console.__dict__.clear()
                console.__dict__.update(state)
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr_text = out.getvalue().decode(), err.getvalue().decode(errors="backslashreplace")
    return subprocess.CompletedProcess(["watchfloor", *args], code, stdout, stderr_text)


def ingest_jsonl(folder: Path, name: str, articles: list[dict[str, str]], db: Path | None = None) -> Path:
    """Write the articles as one JSONL file and ingest it with the command line (in this process: see
    :func:`invoke_cli`) into a new store (``folder/name.db``, or ``db``: e.g. a PostgreSQL database from
    :func:`module_db`)."""
    source = folder / "articles.jsonl"
    source.write_text("\n".join(json.dumps(a) for a in articles), "utf-8")
    db = db or folder / f"{name}.db"
    result = invoke_cli("ingest", str(source), "--db", str(db), "--quiet")
    assert result.returncode == 0, result.stderr
    return db


BACKENDS = ("sqlite", "postgres")


@pytest.fixture()
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database (URL) for one test, dropped after; fails if no server is configured."""
    from tests.pg import fresh_database

    with fresh_database() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each test using it runs once per storage backend."""
    return str(request.param)


@pytest.fixture()
def new_store(backend: str, tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """``new_store(name)``: the location of a new empty store on the test's backend (a SQLite file in
    tmp_path, or a fresh PostgreSQL database), usable wherever a --db path is."""
    from tests.pg import create_database, drop_database

    made: list[str] = []

    def make(name: str) -> Path:
        if backend == "sqlite":
            return tmp_path / name
        made.append(create_database())
        return Path(made[-1])

    yield make
    for url in made:
        drop_database(url)


class StoreCopier:
    """``copy(source, name)``: a private copy of the SQLite store ``source`` on a backend (PostgreSQL: a fresh
    database filled by migrate-store); ``drop()`` removes the databases made."""

    def __init__(self, backend: str, folder: Callable[[], Path]) -> None:
        self.backend, self.folder, self.made = backend, folder, list[str]()

    def __call__(self, source: Path, name: str = "copy.db") -> Path:
        from tests.pg import create_database
        from tests.test_api import copy_store
        from watchfloor.store.migrate import migrate_store

        if self.backend == "sqlite":
            return copy_store(source, self.folder() / name)
        self.made.append(create_database())
        report = migrate_store(source, self.made[-1])
        assert not report.mismatches, report.mismatches
        return Path(self.made[-1])

    def drop(self) -> None:
        from tests.pg import drop_database

        for url in self.made:
            drop_database(url)


@pytest.fixture()
def store_copier(backend: str, tmp_path: Path) -> Iterator[Callable[[Path, str], Path]]:
    """A :class:`StoreCopier` on the test's backend, its databases dropped after the test."""
    copier = StoreCopier(backend, lambda: tmp_path)
    yield copier
    copier.drop()


@pytest.fixture(scope="module", params=BACKENDS)
def module_backend(request: pytest.FixtureRequest) -> str:
    """A module's tests run once per storage backend (for module-scoped stores)."""
    return str(request.param)


@pytest.fixture(scope="module")
def module_db(module_backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The location of a new empty store shared by a module's tests: a SQLite file, or a fresh PostgreSQL
    database (dropped after the module)."""
    if module_backend == "sqlite":
        yield tmp_path_factory.mktemp("store") / "store.db"
        return
    from tests.pg import create_database, drop_database

    url = create_database()
    yield Path(url)
    drop_database(url)


@pytest.fixture(scope="module")
def module_store_copier(
    module_backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[Path, str], Path]]:
    """Like ``store_copier``, for a store shared by a module's tests (dropped after the module)."""
    copier = StoreCopier(module_backend, lambda: tmp_path_factory.mktemp("copy"))
    yield copier
    copier.drop()
