"""Bad input: each case gets one actionable line, the batch goes on, nothing stored is lost."""

from __future__ import annotations

import http.server
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli

GOOD = (
    "Gunmen attacked a police checkpoint near Peshawar on Sunday, killing four officers, a spokesman "
    "for the Khyber Pakhtunkhwa police said. The Pakistani Taliban claimed the attack in a statement. "
    "It was the third such raid in the province this month, officials said.\n"
)


def _count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])


@pytest.fixture()
def bad_folder(tmp_path: Path) -> Path:
    d = tmp_path / "inbox"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "junk.txt").write_bytes(bytes(range(256)) * 64)
    with (d / "huge.txt").open("wb") as fh:  # sparse: 30 MB on paper, cheap on disk
        fh.truncate(30_000_000)
    (d / "truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 ob")
    (d / "broken.html").write_text("<html><body><div><p>" + GOOD.replace("Sunday", "Friday") + "<b><i><td>", "utf-8")
    (d / "no-text.html").write_text("<html><head><script>var x = 1;</script></head><body><div><nav>", "utf-8")
    (d / "cp1252.txt").write_bytes(
        GOOD.replace("officers", "officers’").replace("checkpoint", "checkpoint by the Café “Kabul”").encode("cp1252")
    )
    (d / "utf16.txt").write_bytes(("Second report. " + GOOD.replace("Sunday", "Monday")).encode("utf-16"))
    lines = [
        json.dumps(
            {
                "text": "Third report. " + GOOD.replace("Sunday", "Tuesday"),
                "title": "Raid",
                "published": "2024-05-07",
            }
        ),
        '{"text": "unterminated',
        json.dumps({"title": "no text field"}),
    ]
    (d / "feed.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return d


def test_bad_inputs_each_get_one_line_and_good_ones_are_stored(bad_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    first = run_cli("ingest", str(bad_folder / "good.txt"), "--db", str(db), "-q")
    assert first.returncode == 0, first.stderr
    assert _count(db) == 1

    missing = str(tmp_path / "nowhere.txt")
    result = run_cli("ingest", str(bad_folder), missing, "--db", str(db), "-q")
    assert result.returncode == 3, result.stderr
    err = result.stderr
    assert "Traceback" not in err
    expectations = {
        "empty.txt": "empty file",
        "junk.txt": "binary",
        "huge.txt": "above the 20 MB cap",
        "truncated.pdf": "PDF is damaged or truncated",
        "feed.jsonl#L2": "not valid JSON",
        "feed.jsonl#L3": "no 'text' string field",
        "nowhere.txt": "no such file or folder",
    }
    lines = [ln for ln in err.splitlines() if ln.startswith("skipped")]
    for name, message in expectations.items():
        hits = [ln for ln in lines if name in ln]
        assert len(hits) == 1, (name, err)
        assert message in hits[0], (name, hits[0])
    # The good one from before is still there; the readable ones were added.
    with sqlite3.connect(db) as conn:
        sources = {
            Path(r[0].split("#")[0]).name + ("#" + r[0].split("#")[1] if "#" in r[0] else "")
            for r in conn.execute("SELECT source FROM sources")
        }
        assert {"good.txt", "cp1252.txt", "utf16.txt", "feed.jsonl#L1"} <= sources
        text = conn.execute("SELECT text FROM documents WHERE source LIKE '%cp1252.txt'").fetchone()[0]
        assert "Café “Kabul”" in text
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        problems = conn.execute("SELECT count(*) FROM problems").fetchone()[0]
        assert problems >= len(expectations)
    # Re-running changes nothing and reports the same failures.
    again = run_cli("ingest", str(bad_folder), "--db", str(db), "-q", "--json")
    report = json.loads(again.stdout)
    assert report["analysed"] == 0 and report["already_stored"] >= 4


def test_malformed_html_is_read_or_explained(bad_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    result = run_cli("ingest", str(bad_folder / "broken.html"), str(bad_folder / "no-text.html"), "--db", str(db), "-q")
    assert "Traceback" not in result.stderr
    assert result.returncode == 3
    assert "no-text.html" in result.stderr and "no article text" in result.stderr
    assert "broken.html" not in result.stderr  # unclosed tags, but real text: stored
    with sqlite3.connect(db) as conn:
        text = conn.execute("SELECT text FROM documents WHERE source LIKE '%broken.html'").fetchone()[0]
    assert "killing four officers" in text


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    result = run_cli("actor", "Nobody At All", "--db", str(tmp_path / "e.db"))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error:") and len(result.stderr.strip().splitlines()) == 1
    bad_date = run_cli("search", "bomb", "--since", "some year", "--db", str(tmp_path / "e.db"))  # "last year" is one
    assert bad_date.returncode == 1 and "--since 'some year' is not a date" in bad_date.stderr
    not_a_db = tmp_path / "text.db"
    not_a_db.write_text("this is not sqlite " * 100)
    broken = run_cli("status", "--db", str(not_a_db))
    assert broken.returncode == 1 and "not a watchfloor store" in broken.stderr


class _Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        time.sleep(5)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture()
def slow_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/article"
    server.shutdown()


def test_url_that_times_out(slow_server: str, tmp_path: Path) -> None:
    result = run_cli("ingest", slow_server, "--allow-private", "--timeout", "1", "--db", str(tmp_path / "u.db"), "-q")
    assert result.returncode == 3
    assert "timed out after 1 s" in result.stderr and "Traceback" not in result.stderr


def test_loopback_url_is_refused_without_allow_private(slow_server: str, tmp_path: Path) -> None:
    result = run_cli("ingest", slow_server, "--db", str(tmp_path / "u.db"), "-q")
    assert result.returncode == 3
    assert "private or loopback" in result.stderr and "--allow-private" in result.stderr
