"""``POST /api/ingest/batch``: several files and URLs in one ingest job, with one result per input.

A fresh store behind the real app: good articles become analysed documents, a non-English one is stored and
flagged, junk and empty files get the very line the CLI prints for them, a file of the wrong type or above
the size limit is refused without stopping the others, and a private URL is refused by the SSRF guard
(never fetched). Without the token nothing is read or saved; a body above the cap is a 413.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import run_cli
from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings
from watchfloor.api.guard import BATCH_FACTOR
from watchfloor.workspace import demo_corpus_path

TOKEN = "upload-test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BASE = "http://127.0.0.1"
BATCH = "/api/ingest/batch"
DEMO = demo_corpus_path()
GOOD = ["kerman-memorial-twin-bombings.txt", "crocus-city-hall-attack-moscow.html"]
FRENCH = "bamako-attaque-jnim-fr.txt"
JUNK = bytes(range(256)) * 8  # NUL and control bytes: not text in any encoding


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> ServerSettings:
    folder = tmp_path_factory.mktemp("upload-api")
    return ServerSettings(db=folder / "up.db", token=TOKEN, max_upload_mb=1, upload_dir=folder / "uploads")


@pytest.fixture(scope="module")
def client(settings: ServerSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url=BASE, raise_server_exceptions=False) as c:
        yield c


def wait_job(client: TestClient, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}", headers=AUTH).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.3)
    raise AssertionError("job did not finish")


def cli_problems(folder: Path, files: dict[str, bytes]) -> dict[str, str]:
    """What the real command line reports for these files (``PATH: reason``), by file name."""
    for name, data in files.items():
        (folder / name).write_bytes(data)
    result = run_cli("ingest", *(str(folder / n) for n in files), "--db", str(folder / "cli.db"), "--json",
                     "--quiet", cwd=folder)  # fmt: skip
    assert result.returncode == 3, result.stderr  # some inputs failed
    found = {}
    for line in json.loads(result.stdout)["problems"]:
        path, _, reason = line.partition(": ")
        found[os.path.basename(path)] = reason
    assert all(f"skipped {folder / n}: {found[n]}" in result.stderr for n in files), result.stderr
    return found


def by_input(job: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["input"]: r for r in job["results"]}


def test_a_batch_gives_one_result_per_file_and_bad_files_do_not_stop_the_others(
    client: TestClient, settings: ServerSettings, tmp_path: Path
) -> None:
    files = [("files", (name, (DEMO / name).read_bytes(), "application/octet-stream")) for name in [*GOOD, FRENCH]]
    files += [
        ("files", ("junk.txt", JUNK, "text/plain")),
        ("files", ("empty.md", b"", "text/markdown")),
        ("files", ("notes.docx", b"PK\x03\x04 not an article", "application/octet-stream")),
        ("files", ("huge.txt", b"word " * 250_000, "text/plain")),  # 1.25 MB, above the 1 MB limit
    ]
    urls = "http://127.0.0.1:9/article.html\nnot a url\n"
    response = client.post(BATCH, files=files, data={"urls": urls}, headers=AUTH)
    assert response.status_code == 202, response.text
    job = wait_job(client, response.json()["id"])
    assert job["status"] == "done", job
    results = by_input(job)
    refused_first = ["notes.docx", "huge.txt", "not a url"]  # then the inputs in the order given
    ingested = [*GOOD, FRENCH, "junk.txt", "empty.md", "http://127.0.0.1:9/article.html"]
    assert [r["input"] for r in job["results"]] == refused_first + ingested

    for name in GOOD:  # analysed, each with its document
        assert results[name]["outcome"] == "analysed", results[name]
        doc = client.get(f"/api/documents/{results[name]['document']}").json()
        assert doc["status"] == "analysed" and doc["title"] == results[name]["title"]
    assert results[FRENCH]["outcome"] == "not_english" and results[FRENCH]["document"]
    assert job["report"]["analysed"] == 2 and job["report"]["not_english"] == 1

    # Junk and empty files: exactly the line the CLI prints for the same files.
    cli = cli_problems(tmp_path, {"junk.txt": JUNK, "empty.md": b""})
    for name in ("junk.txt", "empty.md"):
        assert results[name]["outcome"] == "problem" and results[name]["document"] is None
        assert results[name]["message"] == cli[name], (results[name], cli)
    assert "binary content" in results["junk.txt"]["message"]
    assert results["notes.docx"]["message"].startswith("cannot ingest .docx; send one of")
    assert results["huge.txt"]["message"] == "file is larger than the 1 MB limit; split it"
    assert results["not a url"]["message"].startswith("not an http(s) URL")
    refused = results["http://127.0.0.1:9/article.html"]
    assert refused["outcome"] == "problem" and "private" in refused["message"].lower(), refused

    assert job["done"] == job["total"] == 6  # 5 files saved + 1 URL went through the ingest
    kept = sorted(p.name.split("-", 1)[1] for p in settings.uploads().iterdir())
    assert kept == sorted([*GOOD, FRENCH])  # the junk and the empty upload are not kept


def test_the_same_bytes_again_is_already_stored_and_the_same_text_a_duplicate(client: TestClient) -> None:
    data = (DEMO / GOOD[0]).read_bytes()
    started = client.post(BATCH, files=[("files", (GOOD[0], data, "text/plain"))], headers=AUTH)
    first = wait_job(client, started.json()["id"])
    original = by_input(first)[GOOD[0]]["document"]  # analysed now, or already by the test above
    assert original
    files = [("files", ("renamed.txt", data, "text/plain")), ("files", ("copy.txt", data + b"\n\n", "text/plain"))]
    job = wait_job(client, client.post(BATCH, files=files, headers=AUTH).json()["id"])
    results = by_input(job)
    assert results["renamed.txt"]["outcome"] == "already_stored" and results["renamed.txt"]["document"] == original
    assert results["copy.txt"]["outcome"] == "duplicate", results["copy.txt"]
    assert results["copy.txt"]["message"] == f"exact duplicate of {original}"


def test_without_the_token_nothing_is_read_or_saved(client: TestClient, settings: ServerSettings) -> None:
    before = sorted(settings.uploads().iterdir())
    files = [("files", ("a.txt", b"An article " * 50, "text/plain"))]
    for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"}):
        response = client.post(BATCH, files=files, headers=headers)
        assert response.status_code == 401, response.text
        assert response.json()["error"]["code"] == "unauthorized"
    assert sorted(settings.uploads().iterdir()) == before
    off = ServerSettings(db=settings.db, token=None, upload_dir=settings.upload_dir)
    with TestClient(create_app(off), base_url=BASE) as c:
        response = c.post(BATCH, files=files, headers=AUTH)
    assert response.status_code == 403 and "disabled" in response.json()["error"]["message"]


def test_too_large_is_413_with_a_clear_message(client: TestClient, settings: ServerSettings) -> None:
    big = b"word " * 250_000  # 1.25 MB: one file above the 1 MB limit, and nothing else to ingest
    response = client.post(BATCH, files=[("files", ("big.txt", big, "text/plain"))], headers=AUTH)
    assert response.status_code == 413, response.text
    assert response.json()["error"]["message"] == "big.txt: file is larger than the 1 MB limit; split it"
    # The whole request above the batch cap: refused while it streams, whatever its files.
    files = [("files", (f"part{i}.txt", b"x" * 900_000, "text/plain")) for i in range(BATCH_FACTOR + 2)]
    response = client.post(BATCH, files=files, headers=AUTH)
    assert response.status_code == 413, response.text
    assert response.json()["error"]["message"].startswith(f"upload is larger than {BATCH_FACTOR} MB in all")
    nothing = client.post(BATCH, data={"urls": " \n"}, headers=AUTH)
    assert nothing.status_code == 400 and "nothing to ingest" in nothing.json()["error"]["message"]


ARTICLE_HTML = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>Asadabad, June 4, 2026. Security "
    "forces said they killed three ISKP fighters in a night raid in Kunar province on Tuesday, {n} days after a bomb "
    "wounded five people at a market in Asadabad.</p></article></body></html>"
)
FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Local desk</title><link>{base}/</link>'
    "<description>d</description><item><title>Second raid</title><link>{base}/second.html</link></item>"
    "</channel></rss>"
)


def test_pasted_urls_and_feeds_are_fetched_by_the_ingest_on_a_local_server(tmp_path: Path) -> None:
    """Only 127.0.0.1, and only because this server allows private addresses (the SSRF guard stays in force)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "raid.html").write_text(ARTICLE_HTML.format(title="Raid in Kunar", n="two"), encoding="utf-8")
    (site / "second.html").write_text(ARTICLE_HTML.format(title="Second raid near Asadabad", n="nine"), "utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        (site / "feed.xml").write_text(FEED.format(base=base), encoding="utf-8")
        settings = ServerSettings(db=tmp_path / "urls.db", token=TOKEN, allow_private_urls=True)
        with TestClient(create_app(settings), base_url=BASE) as client:
            urls = f"{base}/feed.xml\n{base}/raid.html\n{base}/missing.html"
            job = wait_job(client, client.post(BATCH, data={"urls": urls}, headers=AUTH).json()["id"])
        httpd.shutdown()
    assert job["status"] == "done", job
    got = [(r["input"], r["outcome"], r["title"]) for r in job["results"] if r["outcome"] != "problem"]
    assert got == [(f"{base}/raid.html", "analysed", "Raid in Kunar"),  # in the order given, a feed's articles last
                   (f"{base}/second.html", "analysed", "Second raid near Asadabad")]  # fmt: skip
    missing = by_input(job)[f"{base}/missing.html"]
    assert missing["outcome"] == "problem" and "404" in missing["message"], missing
