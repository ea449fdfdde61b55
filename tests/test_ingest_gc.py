"""Ingest keeps the long-lived objects out of the garbage collector's passes only while it runs."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

from watchfloor.runner import IngestOptions
from watchfloor.workspace import Workspace, demo_corpus_path


def test_objects_frozen_during_ingest_and_unfrozen_after(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in [p for p in sorted(demo_corpus_path().glob("*.txt")) if "-fr" not in p.stem][:3]:
        shutil.copy(path, folder / path.name)
    seen: list[int] = []
    assert gc.get_freeze_count() == 0
    with Workspace(tmp_path / "store.db") as ws:
        report = ws.ingest([str(folder)], IngestOptions(), on_progress=lambda _: seen.append(gc.get_freeze_count()))
    assert report.analysed == 3
    assert seen and min(seen) > 10_000  # the pipeline and tables, at least
    assert gc.get_freeze_count() == 0  # a long-lived process collects them again afterwards
