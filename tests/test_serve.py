"""`watchfloor serve` as a user starts it: a real uvicorn process answering on a local port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import run_cli
from tests.test_api import copy_store


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
