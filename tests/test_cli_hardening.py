"""The command line with hostile inputs: FIFOs and devices, control characters in names and article text,
damaged PDFs, exposed servers."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_api import copy_store
from watchfloor.ingest.sources import SourceOptions, count_inputs, iter_inputs
from watchfloor.render import clean

EVIL = "\x1b[2J\x1b]0;owned\x07\x9b31m\rXylophonist"


def skipped_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("skipped ")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifos_and_devices_are_refused_and_names_cannot_forge_lines(tmp_path: Path) -> None:
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.jsonl"
    zero.symlink_to("/dev/zero")
    forged = tmp_path / "bad\nskipped forged.txt: everything is fine\n.pdf"
    forged.write_bytes(b"%PDF-1.4 junk")
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    result = run_cli("ingest", str(fifo), str(zero), "/dev/zero", str(forged), str(damaged),
                     "--db", str(tmp_path / "s.db"), "-q", cwd=tmp_path, timeout=180)  # fmt: skip
    assert result.returncode == 3, result.stderr
    lines = skipped_lines(result.stderr)
    assert len(lines) == 5, result.stderr
    assert "FIFO" in lines[0] and "--allow-special-files" in lines[0]
    assert "device" in lines[1] and "device" in lines[2]
    assert not any(line.startswith("skipped forged") for line in result.stderr.splitlines())  # shown, not obeyed
    assert "bad␊skipped forged.txt" in lines[3]
    assert not any(line.startswith("EOF marker") for line in result.stderr.splitlines())  # pypdf's own warning
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr


def test_special_files_when_asked_are_read_up_to_the_cap(tmp_path: Path) -> None:
    zero = tmp_path / "zero.jsonl"
    zero.symlink_to("/dev/zero")
    options = SourceOptions(max_bytes=100_000, allow_special=True)
    assert count_inputs([str(zero), "/dev/zero"], options) == 2
    problems = [str(p) for p in iter_inputs([str(zero), "/dev/zero"], options)]
    assert len(problems) == 2 and all("cap" in p for p in problems), problems
    refused = [str(p) for p in iter_inputs(["/dev/zero"], SourceOptions())]
    assert len(refused) == 1 and "not a regular file" in refused[0]


def test_a_jsonl_with_an_over_long_line_keeps_the_other_lines(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    path.write_bytes(b'{"text": "' + b"x" * 5000 + b'"}\n{"text": "short enough"}\n')
    items = list(iter_inputs([str(path)], SourceOptions(max_bytes=1000)))
    assert "above the" in str(items[0]) and getattr(items[1], "data", b"") == b"short enough"
    assert count_inputs([str(path)], SourceOptions(max_bytes=1000)) == 2


def test_control_characters_from_articles_never_reach_the_terminal(demo_db: Path, tmp_path: Path) -> None:
    db = copy_store(demo_db, tmp_path / "evil.db")
    with sqlite3.connect(db) as conn:
        rowid, doc_id, title, text = conn.execute(
            "SELECT rowid, id, title, text FROM documents WHERE status='analysed' ORDER BY published DESC LIMIT 1"
        ).fetchone()
        conn.execute("INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                     (rowid, title or "", text))  # fmt: skip
        new_title, new_text = EVIL + " " + (title or ""), text + "\n" + EVIL + " spoke.\x1b[31m"
        conn.execute("UPDATE documents SET title=?, text=? WHERE rowid=?", (new_title, new_text, rowid))
        conn.execute("INSERT INTO documents_fts(rowid, title, text) VALUES (?, ?, ?)", (rowid, new_title, new_text))
    for args in (("doc", doc_id[:10]), ("docs",), ("search", "Xylophonist")):
        result = run_cli(*args, "--db", str(db), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        out = result.stdout + result.stderr
        assert "Xylophonist" in out, args
        for control in ("\x1b", "\x07", "\x9b", "\r"):
            assert control not in out, (args, control)


def test_clean_keeps_length_and_newlines_unless_one_line() -> None:
    assert clean("a\x1bb\tc\nd") == "a␛b\tc\nd"
    assert clean("x\ny", one_line=True) == "x␊y" and len(clean(EVIL)) == len(EVIL)


def test_serve_refuses_an_exposed_bind_without_a_token_and_warns_with_one(demo_db: Path, tmp_path: Path) -> None:
    env_token = os.environ.pop("WATCHFLOOR_TOKEN", None)
    try:
        refused = run_cli("serve", "--db", str(demo_db), "--host", "0.0.0.0", "--port", "1", cwd=tmp_path)
    finally:
        if env_token is not None:
            os.environ["WATCHFLOOR_TOKEN"] = env_token
    assert refused.returncode == 1 and "without a write token" in refused.stderr
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) <= 3


def test_allowed_hosts_for_loopback_and_exposed_binds(capsys: pytest.CaptureFixture[str]) -> None:
    from watchfloor.cli_serve import allowed_hosts
    from watchfloor.errors import UserError

    assert allowed_hosts("127.0.0.1", None, []) == ("127.0.0.1", "localhost", "::1")
    assert "wf.example.org" in (allowed_hosts("::1", None, ["WF.example.org"]) or ())
    with pytest.raises(UserError, match="without a write token"):
        allowed_hosts("0.0.0.0", None, [])
    assert capsys.readouterr().err == ""  # loopback: no warning
    assert allowed_hosts("0.0.0.0", "x" * 20, []) is None
    warning = capsys.readouterr().err
    assert "WARNING" in warning and "READ the whole store" in warning and "docs/security.md" in warning
    assert allowed_hosts("192.168.1.5", "x" * 20, ["wf.lan"]) == ("127.0.0.1", "localhost", "::1", "wf.lan",
                                                                  "192.168.1.5")  # fmt: skip
