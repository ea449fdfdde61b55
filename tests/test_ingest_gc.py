"""Ingest keeps the long-lived objects out of the garbage collector's passes only while it runs, and leaves
objects that the process froze for good (the server's stance index) frozen."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from watchfloor.runner import IngestOptions
from watchfloor.workspace import Workspace, demo_corpus_path


@pytest.fixture()
def folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in [p for p in sorted(demo_corpus_path().glob("*.txt")) if "-fr" not in p.stem][:3]:
        shutil.copy(path, folder / path.name)
    # An earlier test in this process may have frozen a stance index for good: start from nothing frozen.
    gc.unfreeze()
    yield folder
    gc.unfreeze()


def _ingest(folder: Path, store: Path) -> list[int]:
    """Frozen-object counts seen after each document of an ingest."""
    seen: list[int] = []
    with Workspace(store) as ws:
        report = ws.ingest([str(folder)], IngestOptions(), on_progress=lambda _: seen.append(gc.get_freeze_count()))
    assert report.analysed == 3
    return seen


def test_objects_frozen_during_ingest_and_unfrozen_after(folder: Path, tmp_path: Path) -> None:
    assert gc.get_freeze_count() == 0
    seen = _ingest(folder, tmp_path / "store.db")
    assert seen and min(seen) > 10_000  # the pipeline and tables, at least
    assert gc.get_freeze_count() == 0  # a long-lived process collects them again afterwards


def test_objects_frozen_for_good_stay_frozen(folder: Path, tmp_path: Path) -> None:
    gc.freeze()  # as the server does with its stance index
    before = gc.get_freeze_count()
    assert before > 0
    seen = _ingest(folder, tmp_path / "store.db")
    assert min(seen) >= before
    assert gc.get_freeze_count() >= before
