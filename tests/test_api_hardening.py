"""The server under hostile requests: token before body, body caps while streaming, Host allow-list, huge
numbers, odd names; every error in the JSON shape with a CSP."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.test_api import copy_store
from watchfloor.api import jobs as jobs_mod
from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings
from watchfloor.api.jobs import IngestJobs
from watchfloor.store import sqlite_jobs as queue
from watchfloor.workspace import Workspace

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BASE = "http://127.0.0.1"


@pytest.fixture(scope="module")
def settings(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> ServerSettings:
    folder = tmp_path_factory.mktemp("hardening")
    db = copy_store(demo_db, folder / "hard.db")
    return ServerSettings(db=db, token=TOKEN, max_upload_mb=2, upload_dir=folder / "uploads")


@pytest.fixture(scope="module")
def app(settings: ServerSettings) -> FastAPI:
    return create_app(settings)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
        yield c


def is_json_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    error: dict[str, Any] = response.json()["error"]
    assert error["status"] == status and error["code"] and error["message"]
    return error


# -- raw ASGI: what the server reads of a body before it answers ---------------------------------------------
def asgi_post(app: FastAPI, path: str, headers: dict[str, str], chunks: Iterator[bytes]) -> tuple[int, int, bytes]:
    """POST through the ASGI interface; returns (status, body bytes the app pulled, response body)."""
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in {"host": "127.0.0.1:8000", **headers}.items()],
        "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return int(start["status"]), pulled, body


def multipart_chunks(size_mb: int, name: str = "big.txt") -> tuple[dict[str, str], Iterator[bytes]]:
    boundary = "wfboundary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/plain\r\n\r\n").encode()  # fmt: skip

    def chunks() -> Iterator[bytes]:
        yield head
        for _ in range(size_mb):
            yield b"a" * 1_000_000
        yield f"\r\n--{boundary}--\r\n".encode()

    return {"content-type": f"multipart/form-data; boundary={boundary}"}, chunks()


def test_an_upload_without_a_token_is_refused_before_its_body_is_read(app: FastAPI, settings: ServerSettings) -> None:
    headers, chunks = multipart_chunks(300)
    for auth in ({}, {"authorization": "Bearer wrong-token-0123456789"}):
        status, pulled, body = asgi_post(app, "/api/ingest/upload", {**headers, **auth}, chunks)
        assert status == 401 and pulled == 0
        assert json.loads(body)["error"]["code"] == "unauthorized"
    assert not list(settings.uploads().iterdir())


def test_an_oversized_upload_is_refused_while_it_streams(app: FastAPI, settings: ServerSettings) -> None:
    headers, chunks = multipart_chunks(50)  # no Content-Length: chunked, the cap (2 MB + overhead) must stop it
    status, pulled, body = asgi_post(app, "/api/ingest/upload", {**headers, **{k.lower(): v for k, v in AUTH.items()}},
                                     chunks)  # fmt: skip
    assert status == 413 and json.loads(body)["error"]["code"] == "too_large"
    assert pulled <= 4_000_000  # stopped at the cap, not after 50 MB
    declared = {**headers, "content-length": str(300_000_000), "authorization": AUTH["Authorization"]}
    status, pulled, _ = asgi_post(app, "/api/ingest/upload", declared, multipart_chunks(300)[1])
    assert status == 413 and pulled == 0
    assert not list(settings.uploads().iterdir())


def test_writes_check_the_token_before_reading_a_json_body(app: FastAPI) -> None:
    status, pulled, _ = asgi_post(app, "/api/entities/ISKP/aliases", {"content-type": "application/json"},
                                  iter([b'{"alias": "x"}'] * 1000))  # fmt: skip
    assert status == 401 and pulled == 0


# -- Host header ----------------------------------------------------------------------------------------------
def test_requests_for_a_foreign_host_name_are_refused(client: TestClient) -> None:
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", ""):
        error = is_json_error(client.get("/api/stats", headers={"Host": host}), 400)
        assert "Host" in error["message"]
        assert client.get("/", headers={"Host": host}).status_code == 400
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST"):
        assert client.get("/api/stats", headers={"Host": host}).status_code == 200, host


def test_allowed_host_names_can_be_added(settings: ServerSettings) -> None:
    proxied = ServerSettings(db=settings.db, allowed_hosts=("127.0.0.1", "watchfloor.example.org"))
    with TestClient(create_app(proxied), base_url="http://watchfloor.example.org") as c:
        assert c.get("/api/health").status_code == 200
        assert c.get("/api/health", headers={"Host": "other.example.org"}).status_code == 400


# -- numbers, names, methods ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/api/events?offset=1e20",
        "/api/events?offset=100000000000000000000",
        f"/api/entities?offset={2**63}",
        f"/api/documents?offset={2**63}",
        f"/api/relations?min_sources={2**64}",
        f"/api/events/{2**64}",
        f"/api/claims/{2**63}",
        "/api/claims?offset=-1",
    ],
)
def test_huge_numbers_are_a_json_error_not_a_500(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (400, 404, 422)
    is_json_error(response, response.status_code)


def test_huge_numbers_on_pages_are_an_error_page_with_a_csp(client: TestClient) -> None:
    for url in (f"/search?q=Taliban&offset={2**63}", f"/events/{2**64}"):
        response = client.get(url)
        assert response.status_code in (400, 404, 422), url
        assert "script-src 'self'" in response.headers["content-security-policy"]


def test_a_rejection_answers_one_correction_id(client: TestClient) -> None:
    event = client.get("/api/events?limit=1").json()["items"][0]
    response = client.post("/api/corrections/reject", json={"kind": "event", "id": event["id"]}, headers=AUTH)
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["correction"], int) and body["correction"] == body["corrections"][0]
    too_big = client.post("/api/corrections/reject", json={"kind": "event", "id": 2**64}, headers=AUTH)
    is_json_error(too_big, 422)


def test_head_is_answered_like_get_without_a_body(client: TestClient) -> None:
    for path in ("/", "/api/stats", "/actors/ISKP"):
        response = client.head(path)
        assert response.status_code == 200 and response.content == b"", path
        assert "script-src 'self'" in response.headers["content-security-policy"]


def test_an_alias_with_a_slash_can_be_removed(client: TestClient) -> None:
    entity = client.get("/api/entities/ISKP").json()
    slashed = [a for a in entity["aliases"] if "/" in a]
    assert slashed, entity["aliases"]  # the gazetteer has "ISKP/ISIS-K"
    alias = slashed[0]
    # the URL the web UI builds
    response = client.delete(f"/api/entities/{entity['id']}/aliases?alias={quote(alias, safe='')}", headers=AUTH)
    assert response.status_code == 200, response.text
    assert alias not in client.get("/api/entities/ISKP").json()["aliases"]
    # the alias in the path, encoded or not
    added = client.post(f"/api/entities/{entity['id']}/aliases", json={"alias": "AB/CD test"}, headers=AUTH)
    assert added.status_code == 201, added.text
    response = client.delete(f"/api/entities/{entity['id']}/aliases/{quote('AB/CD test', safe='')}", headers=AUTH)
    assert response.status_code == 200, response.text
    assert "AB/CD test" not in client.get("/api/entities/ISKP").json()["aliases"]


def test_the_web_ui_removes_aliases_with_the_query_form() -> None:
    js = (Path(__file__).parents[1] / "watchfloor/web/static/js/app.js").read_text(encoding="utf-8")
    assert "/aliases?alias=${encodeURIComponent(el.dataset.alias)}" in js


def wait_job(client: TestClient, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}", headers=AUTH).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.3)
    raise AssertionError("job did not finish")


def test_a_long_upload_name_is_shortened_and_a_rejected_upload_is_not_kept(
    client: TestClient, settings: ServerSettings
) -> None:
    name = "a" * 300 + ".pdf"
    response = client.post("/api/ingest/upload", files={"file": (name, b"%PDF-1.4 not really", "application/pdf")},
                           headers=AUTH)  # fmt: skip
    assert response.status_code == 202, response.text
    stored = Path(response.json()["targets"][0])
    assert stored.suffix == ".pdf" and len(stored.name) <= 120
    job = wait_job(client, response.json()["id"])
    assert job["status"] == "done" and job["report"]["stored"] == 0 and job["report"]["problems"], job
    assert not stored.exists()  # nothing was stored from it: the upload is gone too


def test_internal_errors_are_json_with_a_csp(app: FastAPI, client: TestClient) -> None:
    @app.get("/api/_boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("boom")

    try:
        error = is_json_error(client.get("/api/_boom"), 500)
        assert error["code"] == "internal_error" and "boom" not in error["message"]
    finally:
        app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", "") != "/api/_boom"]


def test_finished_jobs_are_forgotten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "jobs.db"
    Workspace(db).close()
    jobs = IngestJobs(db, run_worker=False)
    conn = jobs_mod.connect(db)
    try:
        for i in range(jobs_mod.MAX_FINISHED + 5):
            conn.execute(
                "INSERT INTO ingest_jobs(id, state, inputs, created_at, finished_at) VALUES (?, 'done', '[]', ?, ?)",
                (f"j{i}", "2026-01-01T00:00:00+00:00", queue.now(datetime.now(UTC) - timedelta(seconds=1000 - i))),
            )
        jobs.submit(["x.txt"])  # a submit forgets what is past its time
        assert jobs.get("j0") is None and jobs.get(f"j{jobs_mod.MAX_FINISHED + 4}") is not None
        done = "SELECT count(*) FROM ingest_jobs WHERE state='done'"
        assert conn.execute(done).fetchone()[0] == jobs_mod.MAX_FINISHED
        monkeypatch.setattr(jobs_mod, "JOB_TTL_S", 1)
        jobs.submit(["y.txt"])
        assert jobs.get(f"j{jobs_mod.MAX_FINISHED + 4}") is None
        assert conn.execute(done).fetchone()[0] == 0
    finally:
        conn.close()
        jobs.shutdown()
