"""URL and RSS ingest against a real HTTP server on loopback (allowed with --allow-private)."""

from __future__ import annotations

import http.server
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli

ARTICLE = """<html><head><title>Raid on border post | Frontier Test</title>
<meta property="article:published_time" content="2024-05-06T08:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>Raid on border post</h1>
<p>Gunmen attacked a border post in Kurram district on Sunday night, killing three paramilitary
soldiers and wounding five others, officials said on Monday.</p>
<p>No group immediately claimed the raid, but a security official said the attackers belonged to the
Pakistani Taliban, which has stepped up attacks in the region since 2022.</p>
<div class="share">Share on Facebook</div></article>
<footer>© 2024 Frontier Test. All rights reserved.</footer></body></html>"""

SECOND = ARTICLE.replace("Kurram", "Bajaur").replace("three", "four").replace("Raid on border post", "Second raid")


def _feed(base: str) -> str:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Frontier Test</title>
<item><title>Raid</title><link>{base}/a1</link><pubDate>Mon, 06 May 2024 08:00:00 GMT</pubDate></item>
<item><title>Second</title><link>{base}/a2</link><pubDate>Tue, 07 May 2024 08:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>{base}/missing</link></item>
</channel></rss>"""


@pytest.fixture()
def site() -> Iterator[str]:
    pages: dict[str, tuple[str, bytes]] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path not in pages:
                self.send_response(404)
                self.end_headers()
                return
            ctype, body = pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pages["/a1"] = ("text/html; charset=utf-8", ARTICLE.encode())
    pages["/a2"] = ("text/html; charset=utf-8", SECOND.encode())
    pages["/feed.xml"] = ("application/rss+xml", _feed(base).encode())
    pages["/big"] = ("text/plain", b"word " * 400_000)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()


def test_feed_items_are_fetched_cleaned_and_dated(site: str, tmp_path: Path) -> None:
    db = tmp_path / "feed.db"
    result = run_cli("ingest", f"{site}/feed.xml", "--allow-private", "--db", str(db), "-q", "--json")
    report = json.loads(result.stdout)
    assert report["analysed"] == 2
    assert report["failed"] == 1 and "HTTP 404" in report["problems"][0]
    assert result.returncode == 3
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, published, text FROM documents ORDER BY url").fetchall()
    assert [r[1] for r in rows] == ["2024-05-06", "2024-05-06"]  # page metadata wins over the feed
    assert all("Share on Facebook" not in r[2] and "All rights reserved" not in r[2] for r in rows)
    assert "Kurram district" in rows[0][2]


def test_response_above_the_size_cap_is_refused(site: str, tmp_path: Path) -> None:
    result = run_cli("ingest", f"{site}/big", "--allow-private", "--max-mb", "1", "--db", str(tmp_path / "b.db"), "-q")
    assert result.returncode == 3
    assert "larger than the 1 MB cap" in result.stderr and "Traceback" not in result.stderr
