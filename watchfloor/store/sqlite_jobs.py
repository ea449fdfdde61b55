"""The persistent ingest-job queue (table ``ingest_jobs``, migration 015): submit, claim, progress, finish.

Every statement is plain SQL on one row at a time, so any server process can read a job and several workers
can share a queue: a job is claimed with a compare-and-set (``UPDATE … WHERE id=? AND state='queued'``), so
two workers never run the same job. Timestamps are UTC ISO-8601 text (they sort as they compare).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

from watchfloor.store.base import Row

STALE_S = 60  # a running job whose heartbeat is older than this has lost its worker
JSON_COLUMNS = ("inputs", "names", "uploads", "report", "results")


def now(at: datetime | None = None, timespec: str = "seconds") -> str:
    return (at or datetime.now(UTC)).isoformat(timespec=timespec)


def _row(row: sqlite3.Row | None) -> Row | None:
    if row is None:
        return None
    out = dict(row)
    for column in JSON_COLUMNS:
        if out.get(column) is not None:
            out[column] = json.loads(out[column])
    return out


def submit_job(
    conn: sqlite3.Connection,
    job_id: str,
    inputs: list[str],
    *,
    names: dict[str, str] | None = None,
    uploads: list[str] | None = None,
    results: list[dict[str, Any]] | None = None,
) -> Row:
    """Queue a job; ``results`` are inputs refused before it ran (listed first in its outcome)."""
    conn.execute(
        "INSERT INTO ingest_jobs(id, state, inputs, names, uploads, results, created_at) VALUES (?,?,?,?,?,?,?)",
        (job_id, "queued", json.dumps(inputs), json.dumps(names or {}), json.dumps(uploads or []),
         json.dumps(results or []), now(timespec="microseconds")),  # microseconds: the queue's order
    )  # fmt: skip
    found = get_job(conn, job_id)
    assert found is not None
    return found


def get_job(conn: sqlite3.Connection, job_id: str) -> Row | None:
    return _row(conn.execute("SELECT * FROM ingest_jobs WHERE id=?", (job_id,)).fetchone())


def claim_job(conn: sqlite3.Connection, pid: int | None = None, host: str | None = None) -> Row | None:
    """Take the oldest queued job for this worker, or None when the queue is empty."""
    pid, host = pid or os.getpid(), host or socket.gethostname()
    while True:
        row = conn.execute("SELECT id FROM ingest_jobs WHERE state='queued' ORDER BY created_at, id LIMIT 1").fetchone()
        if row is None:
            return None
        stamp = now()
        claimed = conn.execute(
            """UPDATE ingest_jobs SET state='running', owner_pid=?, owner_host=?, heartbeat_at=?,
                      started_at=coalesce(started_at, ?), attempts=attempts+1
               WHERE id=? AND state='queued'""",
            (pid, host, stamp, stamp, row[0]),
        ).rowcount
        if claimed:  # else another worker took it first: try the next one
            return get_job(conn, str(row[0]))


def heartbeat(conn: sqlite3.Connection, job_id: str, done: int | None = None, total: int | None = None) -> None:
    """The running worker is alive; with ``done``/``total``, its progress too."""
    conn.execute(
        """UPDATE ingest_jobs SET heartbeat_at=?, done=coalesce(?, done), total=coalesce(?, total)
           WHERE id=? AND state='running'""",
        (now(), done, total, job_id),
    )


def set_store_mark(conn: sqlite3.Connection, job_id: str, mark: int) -> int:
    """Keep the first attempt's mark (documents stored before the job); returns the mark in force."""
    conn.execute("UPDATE ingest_jobs SET store_mark=coalesce(store_mark, ?) WHERE id=?", (mark, job_id))
    return int(conn.execute("SELECT store_mark FROM ingest_jobs WHERE id=?", (job_id,)).fetchone()[0])


def finish_job(
    conn: sqlite3.Connection,
    job_id: str,
    *,
    error: str | None = None,
    report: dict[str, Any] | None = None,
    results: list[dict[str, Any]] | None = None,
    done: int | None = None,
) -> None:
    """Record the outcome: 'failed' with ``error``, else 'done' with the report and per-input results
    (appended to those refused at submit)."""
    old = get_job(conn, job_id)
    merged = (old["results"] if old else []) + (results or [])
    conn.execute(
        """UPDATE ingest_jobs SET state=?, error=?, report=?, results=?, done=coalesce(?, done), finished_at=?,
                  heartbeat_at=? WHERE id=?""",
        ("failed" if error else "done", error, json.dumps(report) if report is not None else None,
         json.dumps(merged), done, now(), now(), job_id),
    )  # fmt: skip


def requeue_stale(conn: sqlite3.Connection, stale_s: int = STALE_S, host: str | None = None) -> list[str]:
    """Put back to 'queued' the running jobs whose worker is gone: heartbeat older than ``stale_s``, or owned
    by a process of this host that no longer exists. Returns their ids."""
    host = host or socket.gethostname()
    cutoff = now(datetime.now(UTC) - timedelta(seconds=stale_s))
    gone = []
    for row in conn.execute(
        "SELECT id, owner_pid, owner_host, heartbeat_at FROM ingest_jobs WHERE state='running'"
    ).fetchall():
        dead_here = row["owner_host"] == host and row["owner_pid"] is not None and not _alive(int(row["owner_pid"]))
        if dead_here or row["heartbeat_at"] is None or row["heartbeat_at"] < cutoff:
            beat = "heartbeat_at IS NULL" if row["heartbeat_at"] is None else "heartbeat_at=?"
            n = conn.execute(
                f"""UPDATE ingest_jobs SET state='queued', owner_pid=NULL, owner_host=NULL
                    WHERE id=? AND state='running' AND {beat}""",
                (row["id"], *([] if row["heartbeat_at"] is None else [row["heartbeat_at"]])),
            ).rowcount  # unchanged since read: its worker did not beat meanwhile
            if n:
                gone.append(str(row["id"]))
    return gone


def prune_jobs(conn: sqlite3.Connection, ttl_s: int, keep: int) -> None:
    """Forget finished jobs older than ``ttl_s`` seconds, and keep at most ``keep`` finished ones."""
    cutoff = now(datetime.now(UTC) - timedelta(seconds=ttl_s))
    conn.execute("DELETE FROM ingest_jobs WHERE state IN ('done', 'failed') AND finished_at < ?", (cutoff,))
    conn.execute(
        """DELETE FROM ingest_jobs WHERE state IN ('done', 'failed') AND id NOT IN
           (SELECT id FROM ingest_jobs WHERE state IN ('done', 'failed') ORDER BY finished_at DESC, id LIMIT ?)""",
        (keep,),
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True
