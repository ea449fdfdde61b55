"""A run killed with SIGKILL mid-ingest leaves a consistent store, and a re-run completes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from watchfloor.workspace import demo_corpus_path

SENTENCES = [
    s.strip() + "."
    for p in sorted(demo_corpus_path().glob("*.txt"))
    for s in p.read_text("utf-8").replace("\n", " ").split(". ")
    if len(s.split()) > 8
]


def _make_corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        # Different sentence mixes so that no two documents are near-duplicates.
        picks = [SENTENCES[(i * 7 + k * 13) % len(SENTENCES)] for k in range(12)]
        (folder / f"doc{i:03d}.txt").write_text(f"Report number {i}.\n\n" + "\n\n".join(picks), "utf-8")


def _counts(db: Path) -> tuple[int, int, str]:
    with sqlite3.connect(db) as conn:
        docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        orphans = conn.execute(
            "SELECT count(*) FROM mentions WHERE doc_id NOT IN (SELECT id FROM documents)"
        ).fetchone()[0]
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
    return int(docs), int(orphans), str(check)


def test_kill_minus_nine_then_resume(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _make_corpus(corpus, 60)
    db = tmp_path / "kill.db"
    cmd = [
        sys.executable,
        "-m",
        "watchfloor",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "-q",
        "--batch-size",
        "4",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                stored = _counts(db)[0]
            except sqlite3.OperationalError:
                continue
            if stored >= 8:
                break
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    docs, orphans, check = _counts(db)
    assert check == "ok" and orphans == 0
    assert 8 <= docs < 60
    assert docs % 4 == 0  # whole batches only: a killed batch is rolled back, never half-written

    rerun = subprocess.run([*cmd, "--json"], capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    docs, orphans, check = _counts(db)
    assert docs == 60 and orphans == 0 and check == "ok"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 60
        per_doc = conn.execute(
            "SELECT min(n), max(n) FROM (SELECT doc_id, count(*) n FROM mentions GROUP BY doc_id)"
        ).fetchone()
        assert per_doc[0] > 0
        # No document was analysed twice: mention spans are unique per document.
        dupes = conn.execute(
            "SELECT count(*) FROM (SELECT doc_id, start, end, label, count(*) c FROM mentions "
            "GROUP BY doc_id, start, end, label HAVING c > 1)"
        ).fetchone()[0]
        assert dupes == 0


def test_sigterm_stops_cleanly_and_keeps_finished_documents(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _make_corpus(corpus, 40)
    db = tmp_path / "term.db"
    cmd = [
        sys.executable,
        "-m",
        "watchfloor",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "-q",
        "--batch-size",
        "4",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                if _counts(db)[0] >= 4:
                    break
            except sqlite3.OperationalError:
                continue
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "run the same command again to resume" in err and "Traceback" not in err
    docs, orphans, check = _counts(db)
    assert 4 <= docs <= 40 and orphans == 0 and check == "ok"
