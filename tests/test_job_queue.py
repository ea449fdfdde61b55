"""API ingest jobs live in the store: they survive a restart, a dead worker's job resumes, progress is shown."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import run_cli
from tests.test_api import copy_store
from tests.test_corrections import AUTH, TOKEN, ok, wait
from watchfloor.api import jobs as jobs_mod
from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings
from watchfloor.api.jobs import IngestJobs, run_queue
from watchfloor.api.models import Job
from watchfloor.store import sqlite_jobs as queue
from watchfloor.workspace import Workspace

ARTICLES = {
    "bajaur.txt": "Peshawar, May 2, 2026\n\nA roadside bomb killed four policemen in Bajaur on Friday, police said.\n",
    "kunar.txt": "Asadabad, June 4, 2026\n\nA bomb wounded five people at a market in Asadabad on Tuesday, the "
    "provincial police chief said. No group has claimed the attack, which came a week after a raid nearby.\n",
    "quetta.txt": "Quetta, July 7, 2026\n\nGunmen killed two guards at a checkpoint near Quetta on Monday, officials "
    "said. The guards were on duty at the eastern entrance of the city when the gunmen opened fire.\n",
}


@pytest.fixture()
def store(demo_db: Path, tmp_path: Path) -> Path:
    return copy_store(demo_db, tmp_path / "queue.db")


@pytest.fixture()
def files(tmp_path: Path) -> list[Path]:
    out = []
    for name, text in ARTICLES.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def dead_pid() -> int:
    """The id of a process of this host that has exited."""
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(proc.stdout)


def test_a_job_submitted_while_no_worker_runs_completes_after_a_restart(store: Path) -> None:
    settings = ServerSettings(db=store, token=TOKEN, ingest_worker=False)
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        upload = {"file": ("bajaur.txt", ARTICLES["bajaur.txt"].encode(), "text/plain")}
        job = ok(client.post("/api/ingest/upload", files=upload, headers=AUTH), 202)
        assert job["status"] == "queued"
        assert ok(client.get(f"/api/jobs/{job['id']}", headers=AUTH))["status"] == "queued"
    settings.ingest_worker = True  # the server restarts, this time with its worker
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        done = wait(client, ok(client.get(f"/api/jobs/{job['id']}", headers=AUTH)))
        assert done["status"] == "done", done
        assert (done["done"], done["total"], done["report"]["analysed"]) == (1, 1, 1)
        assert [(r["input"], r["outcome"]) for r in done["results"]] == [("bajaur.txt", "analysed")]
        assert ok(client.get("/api/documents?q=bajaur.txt"))["total"] == 1


def test_a_job_left_running_by_a_dead_worker_is_queued_again_and_resumes(store: Path, files: list[Path]) -> None:
    job = IngestJobs(store, run_worker=False).submit([str(f) for f in files])
    conn = jobs_mod.connect(store)
    try:
        claimed = queue.claim_job(conn, pid=dead_pid(), host=socket.gethostname())
        assert claimed is not None and claimed["id"] == job.id
        mark = int(conn.execute("SELECT max(rowid) FROM documents").fetchone()[0])
        queue.set_store_mark(conn, job.id, mark)
        with Workspace(store) as ws:  # the dead worker had stored the first input
            assert ws.ingest([str(files[0])]).analysed == 1
        assert run_queue(store, False, threading.Event(), once=True) == 1
        row = queue.get_job(conn, job.id)
    finally:
        conn.close()
    assert row is not None and (row["state"], row["attempts"], row["done"], row["total"]) == ("done", 2, 3, 3)
    assert row["report"]["analysed"] == 2 and row["report"]["already_stored"] == 1, row["results"]
    # Outcomes count from the first attempt: the input the dead worker stored is "analysed" by this job.
    assert [r["outcome"] for r in row["results"]] == ["analysed", "analysed", "analysed"]


def test_only_jobs_whose_worker_is_gone_are_queued_again(store: Path) -> None:
    jobs = IngestJobs(store, run_worker=False)
    ids = [jobs.submit([f"{name}.txt"]).id for name in ("fresh", "stale", "dead", "elsewhere")]
    old = queue.now(datetime.now(UTC) - timedelta(seconds=queue.STALE_S + 30))
    conn = jobs_mod.connect(store)
    try:
        here = socket.gethostname()
        owners = {"fresh": (os.getpid(), here), "stale": (os.getpid(), here), "dead": (dead_pid(), here),
                  "elsewhere": (os.getpid(), "another-host")}  # fmt: skip
        for pid, host in owners.values():  # claimed in the order submitted
            assert queue.claim_job(conn, pid=pid, host=host) is not None
        assert queue.claim_job(conn) is None  # all taken: a second worker gets nothing
        conn.execute("UPDATE ingest_jobs SET heartbeat_at=? WHERE id IN (?, ?)", (old, ids[1], ids[3]))
        assert sorted(queue.requeue_stale(conn)) == sorted([ids[1], ids[2], ids[3]])
        states = dict(conn.execute("SELECT id, state FROM ingest_jobs").fetchall())
    finally:
        conn.close()
    assert [states[i] for i in ids] == ["running", "queued", "queued", "queued"]


def test_progress_is_written_to_the_store_as_inputs_finish(store: Path, files: list[Path]) -> None:
    job = IngestJobs(store, run_worker=False).submit([str(f) for f in files])
    seen: list[tuple[str, str, int, int | None]] = []
    reader = IngestJobs(store, run_worker=False)  # another process's view: reads the table

    def observe(running: Job) -> None:
        found = reader.get(running.id)
        assert found is not None
        seen.append((running.id, found.status, found.done, found.total))

    assert run_queue(store, False, threading.Event(), once=True, on_progress=observe) == 1
    assert seen == [(job.id, "running", n, 3) for n in (1, 2, 3)]
    final = reader.get(job.id)
    assert final is not None and final.status == "done" and final.finished_at is not None


def test_the_worker_command_runs_the_queue_of_a_store(store: Path, files: list[Path], tmp_path: Path) -> None:
    job = IngestJobs(store, run_worker=False).submit([str(files[0])])
    ran = run_cli("worker", "--db", str(store), "--once", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert f"job {job.id}: done" in ran.stderr and "1 job(s) run" in ran.stderr
    found = IngestJobs(store, run_worker=False).get(job.id)
    assert found is not None and found.status == "done" and found.report and found.report["analysed"] == 1
    missing = run_cli("worker", "--db", str(tmp_path / "none.db"), "--once", cwd=tmp_path)
    assert missing.returncode == 1 and "no store at" in missing.stderr and "Traceback" not in missing.stderr
