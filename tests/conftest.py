"""Shared fixtures: the real spaCy pipeline, the real gazetteer, a demo store built once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo corpus ingested once through the Python API."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with Workspace(db) as ws:
        report = ws.ingest([str(demo_corpus_path())])
    assert report.analysed >= 25, report
    return db


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


def ingest_jsonl(folder: Path, name: str, articles: list[dict[str, str]]) -> Path:
    """Write the articles as one JSONL file and ingest it with the real command line into a new store."""
    source = folder / "articles.jsonl"
    source.write_text("\n".join(json.dumps(a) for a in articles), "utf-8")
    db = folder / f"{name}.db"
    result = run_cli("ingest", str(source), "--db", str(db), "--quiet")
    assert result.returncode == 0, result.stderr
    return db
