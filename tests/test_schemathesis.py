"""schemathesis against the OpenAPI document of a real `watchfloor serve` on 127.0.0.1: requests generated from
the spec (valid and invalid) never get a 5xx; every error has the JSON error shape; every response has the
Content-Security-Policy. Bounded: a few examples per operation, derandomised (about a minute on 2 cores).

Ingest endpoints are exercised without a token only (401 before the body is read): with one, a generated
URL would be fetched from the internet, and every upload would start an NLP job.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.test_api import copy_store
from tests.test_serve import free_port

TOKEN = "schemathesis-token-0123456789"
EXAMPLES = int(os.environ.get("WATCHFLOOR_SCHEMATHESIS_EXAMPLES", "8"))
INGEST = ("/api/ingest", "/api/ingest/upload", "/api/ingest/batch")


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("schemathesis")
    db = copy_store(demo_db, folder / "fuzzed.db")
    (folder / "token").write_text(TOKEN)
    port = free_port()
    env = {**os.environ, "WATCHFLOOR_LOG": str(folder / "server.log")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "watchfloor", "serve", "--db", str(db), "--port", str(port),
         "--token-file", str(folder / "token")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def header(response: Any, name: str) -> str:
    value = response.headers.get(name, "")
    return ",".join(value) if isinstance(value, list) else str(value)


def check_response(case: Any, response: Any) -> None:
    where = f"{case.method} {case.formatted_path} {case.query} -> {response.status_code}"
    assert response.status_code < 500, f"{where}: {response.text[:300]}"
    assert "script-src 'self'" in header(response, "content-security-policy"), where
    if response.status_code >= 400 and case.path.startswith("/api"):
        assert header(response, "content-type").startswith("application/json"), where
        error = response.json()["error"]
        assert error["status"] == response.status_code and error["code"] and error["message"], where


def fuzz_operation(server: str, operation: Any) -> int:
    """Run the generated cases of one operation; returns how many reached the server."""
    ingest = operation.path in INGEST
    headers = {} if ingest else {"Authorization": f"Bearer {TOKEN}"}
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))
    sent = 0

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=strategy)
    def run(case: Any) -> None:
        nonlocal sent
        try:
            response = case.call(base_url=server, headers=headers, timeout=30)
        except (requests.exceptions.InvalidHeader, requests.exceptions.InvalidURL, UnicodeError, ValueError):
            return  # generated negative data no HTTP client can send: nothing reached the server
        check_response(case, response)
        if ingest:
            assert response.status_code in (401, 403), (case.path, response.status_code)
        sent += 1

    run()
    return sent


def test_every_operation_answers_within_the_contract(server: str) -> None:
    schema = schemathesis.openapi.from_url(server + "/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    sent = [fuzz_operation(server, operation) for operation in operations]
    assert all(n > 0 for n in sent) and sum(sent) >= 3 * len(operations), sent


def test_the_spec_itself_and_unknown_paths_keep_the_contract(server: str) -> None:
    for path, status in (("/api/openapi.json", 200), ("/api/nope", 404), ("/static/../../etc/passwd", 404)):
        response = httpx.get(server + path)
        assert response.status_code == status and "script-src" in response.headers["content-security-policy"]
    bad_host = httpx.get(server + "/api/stats", headers={"Host": "rebound.example"})
    assert bad_host.status_code == 400 and bad_host.json()["error"]["code"] == "bad_request"


def test_a_real_server_answers_an_unauthenticated_300_mb_upload_before_the_body(server: str) -> None:
    import socket

    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /api/ingest/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 300000000\r\n\r\n--x\r\n"
        )
        sock.settimeout(10)
        head = sock.recv(4096)  # answered at once: the 300 MB were never sent, nor waited for
    assert head.startswith(b"HTTP/1.1 401"), head[:200]
    assert b"content-security-policy" in head.lower()
