"""Commands that only read the store start without loading spaCy, scipy or datasketch (issue 18).

These check *what* is imported, not how long it takes: timings belong in benchmarks, and a slow machine
must not fail a test. The figures are in benchmarks/results/cold_start.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("spacy", "thinc", "scipy", "datasketch", "sklearn", "torch", "onnxruntime", "feedparser", "trafilatura")
PROBE = """
import json, sys
{body}
print(json.dumps(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def heavy_modules_after(body: str, cwd: Path) -> list[str]:
    """The heavy libraries imported by a fresh interpreter that runs ``body``."""
    code = PROBE.format(body=body, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_the_probe_sees_a_heavy_import(tmp_path: Path) -> None:
    # The check below would pass vacuously if the probe could not see imports at all.
    assert "datasketch" in heavy_modules_after("import datasketch", tmp_path)


@pytest.mark.parametrize(
    "module", ["watchfloor.cli", "watchfloor.workspace", "watchfloor.store.sqlite", "watchfloor.api.context"]
)
def test_importing_the_entry_points_loads_no_heavy_library(module: str, tmp_path: Path) -> None:
    assert heavy_modules_after(f"import {module}", tmp_path) == []


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["status"], ["docs"], ["search", "bombing"], ["actors"], ["events"], ["relations", "--help"]],
)
def test_read_only_commands_load_no_heavy_library(argv: list[str], tmp_path: Path) -> None:
    db = str(tmp_path / "empty.db")
    args = argv if argv[-1] == "--help" else [*argv, "--db", db]
    body = f"""
from watchfloor.cli import app
try:
    app({args!r}, standalone_mode=False)
except SystemExit:
    pass
"""
    assert heavy_modules_after(body, tmp_path) == []


def test_ingest_loads_spacy_only_when_it_runs(tmp_path: Path) -> None:
    # The ingest code is still importable on demand (the lazy imports point at real names).
    body = "from watchfloor.runner import IngestOptions, ingest\nfrom watchfloor.workspace import Workspace"
    assert "spacy" in heavy_modules_after(body, tmp_path)
