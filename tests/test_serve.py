"""`watchfloor serve` as a user starts it: a real uvicorn process answering on a local port."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn

from tests.conftest import run_cli
from tests.test_api import copy_store
from watchfloor.cli_serve import tcp_listener


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_the_api_and_the_ui_and_refuses_writes_without_a_token(demo_db: Path, tmp_path: Path) -> None:
    db = copy_store(demo_db, tmp_path / "served.db")
    port = free_port()
    env = {**os.environ, "WATCHFLOOR_TOKEN": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "watchfloor", "serve", "--db", str(db), "--port", str(port)],
        env=env, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                stats = httpx.get(base + "/api/stats", timeout=2).json()
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert stats["documents"] >= 30 and stats["events"] > 0
        page = httpx.get(base + "/actors/ISKP")
        assert page.status_code == 200 and "Islamic State Khorasan Province" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        refused = httpx.post(base + "/api/entities/ISKP/aliases", json={"alias": "x"})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert "writes disabled" in (proc.stderr.read() if proc.stderr else "")


def test_serve_explains_a_missing_store_a_taken_port_and_a_short_token(tmp_path: Path, demo_db: Path) -> None:
    missing = run_cli("serve", "--db", str(tmp_path / "none.db"), cwd=tmp_path)
    assert missing.returncode == 1 and "no store at" in missing.stderr and "Traceback" not in missing.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = run_cli("serve", "--db", str(demo_db), "--port", str(port), cwd=tmp_path)
    assert busy.returncode == 1 and "pass another --port" in busy.stderr
    (tmp_path / "token").write_text("short\n")
    weak = run_cli("serve", "--db", str(demo_db), "--token-file", str(tmp_path / "token"), cwd=tmp_path)
    assert weak.returncode == 1 and "at least 16 characters" in weak.stderr


def test_serve_with_two_workers_answers_from_both_and_runs_a_job_once(demo_db: Path, tmp_path: Path) -> None:
    db = copy_store(demo_db, tmp_path / "workers.db")
    port = free_port()
    token = "test-token-0123456789abcdef"
    env = {**os.environ, "WATCHFLOOR_TOKEN": token}
    proc = subprocess.Popen(
        [sys.executable, "-m", "watchfloor", "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
        env=env, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        pids: set[int] = set()
        with ThreadPoolExecutor(8) as pool:  # concurrent requests reach both processes
            while len(pids) < 2:
                assert proc.poll() is None and time.monotonic() < deadline, f"answered by {pids} only"
                try:
                    answers = list(pool.map(lambda _: httpx.get(base + "/api/health", timeout=10), range(16)))
                except httpx.TransportError:
                    time.sleep(0.3)
                    continue
                pids |= {r.json()["pid"] for r in answers}
                assert all(r.status_code == 200 for r in answers)
        assert proc.pid not in pids  # the main process only supervises (and runs the ingest queue)
        before = httpx.get(base + "/api/stats", timeout=10).json()["documents"]
        assert before >= 30
        text = b"Peshawar, May 2, 2026\n\nA roadside bomb killed four policemen in Bajaur on Friday, officials said.\n"
        auth = {"Authorization": f"Bearer {token}"}
        job = httpx.post(base + "/api/ingest/upload", files={"file": ("bajaur.txt", text, "text/plain")},
                         headers=auth, timeout=30).json()  # fmt: skip
        deadline = time.monotonic() + 300
        while job["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.5)
            job = httpx.get(f"{base}/api/jobs/{job['id']}", headers=auth, timeout=10).json()
        assert job["status"] == "done" and job["report"]["analysed"] == 1, job
        assert httpx.get(base + "/api/stats", timeout=10).json()["documents"] == before + 1
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT state, attempts FROM ingest_jobs").fetchall() == [("done", 1)]
    assert "with 2 workers" in (proc.stderr.read() if proc.stderr else "")


def test_the_listener_for_several_workers_turns_nagle_off_on_every_connection() -> None:
    listener = tcp_listener(uvicorn.Config("watchfloor.api.app:app_from_env", host="127.0.0.1", port=0, workers=2))
    accepted: list[int] = []

    class Note(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            accepted.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def connect_once() -> None:
        server = await asyncio.get_running_loop().create_server(Note, sock=listener)
        port = listener.getsockname()[1]
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(100):
            if accepted:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()

    asyncio.run(connect_once())
    assert listener.proto == socket.IPPROTO_TCP
    assert accepted and accepted[0] != 0  # without it every keep-alive response waits for a delayed ACK
