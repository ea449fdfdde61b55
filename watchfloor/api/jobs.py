"""Ingest jobs started from the API: queued in the store (table ``ingest_jobs``), run by one worker.

Any server process submits and reads jobs; a worker (a background thread of ``watchfloor serve``, or the
``watchfloor worker`` command) claims them one at a time, writes progress and a heartbeat, and records the
outcome. A job left running by a worker that died is queued again at the next start and resumes: the ingest
skips inputs already stored. The spaCy pipeline is built at the first run and reused by the next ones.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from watchfloor.api.models import Job, JobResult
from watchfloor.api.outcomes import JobTracker
from watchfloor.errors import UserError
from watchfloor.ingest.sources import SourceOptions, count_inputs
from watchfloor.runner import IngestOptions
from watchfloor.store import sqlite_jobs as queue
from watchfloor.store.base import Row
from watchfloor.store.location import pg_url
from watchfloor.workspace import Workspace

JOB_TTL_S = 3600  # finished jobs answer GET /api/jobs/{id} this long
MAX_FINISHED = 200
HEARTBEAT_S = 5.0  # a running job's heartbeat interval; queue.STALE_S without one and it is re-queued
POLL_S = 1.0  # how often an idle worker looks for jobs submitted by other processes
log = logging.getLogger("watchfloor.jobs")


def connect(db: Path) -> sqlite3.Connection:
    """A short-lived autocommit connection for the queue table (the store is already migrated)."""
    url = pg_url(db)
    if url is not None:
        from watchfloor.store.postgres import plain_connection

        return plain_connection(url)
    conn = sqlite3.connect(db, timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def as_job(row: Row) -> Job:
    """The API's view of a queue row (the response shape of ``GET /api/jobs/{id}``)."""
    return Job(
        id=row["id"],
        status=row["state"],
        targets=row["inputs"],
        created_at=datetime.fromisoformat(row["created_at"]).isoformat(timespec="seconds"),
        finished_at=row["finished_at"],
        report=row["report"],
        error=row["error"],
        done=row["done"],
        total=row["total"],
        results=[JobResult(**r) for r in row["results"]],
    )


class IngestJobs:
    """Submit and read jobs; with ``run_worker``, also run the queue in a background thread."""

    def __init__(self, db: Path, allow_private: bool = False, run_worker: bool = True) -> None:
        self.db = db
        self.allow_private = allow_private
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None
        if run_worker:
            self.thread = threading.Thread(
                target=run_queue, args=(db, allow_private, self.stop, self.wake), name="ingest", daemon=True
            )
            self.thread.start()

    def submit(
        self,
        targets: list[str],
        upload: Path | None = None,
        *,
        uploads: Sequence[Path] = (),
        names: Mapping[str, str] | None = None,
        rejected: Sequence[JobResult] = (),
    ) -> Job:
        """Queue an ingest run. ``upload``/``uploads`` are files the server wrote for it, each deleted if nothing
        is stored from it; ``names`` maps a target to the name the user knows it by (an upload's file name);
        ``rejected`` are inputs refused before the run, listed first in the job's results."""
        files = [upload] if upload is not None else list(uploads)
        conn = connect(self.db)
        try:
            queue.prune_jobs(conn, JOB_TTL_S, MAX_FINISHED)
            row = queue.submit_job(
                conn,
                uuid.uuid4().hex[:12],
                targets,
                names=dict(names or {}),
                uploads=[str(f) for f in files],
                results=[r.model_dump() for r in rejected],
            )
        finally:
            conn.close()
        self.wake.set()
        return as_job(row)

    def get(self, job_id: str) -> Job | None:
        conn = connect(self.db)
        try:
            row = queue.get_job(conn, job_id)
        finally:
            conn.close()
        return as_job(row) if row is not None else None

    def shutdown(self) -> None:
        """Stop taking jobs; a job running now is re-queued by the next worker if this process exits."""
        self.stop.set()
        self.wake.set()


def run_queue(
    db: Path,
    allow_private: bool,
    stop: threading.Event,
    wake: threading.Event | None = None,
    *,
    once: bool = False,
    poll_s: float = POLL_S,
    on_progress: Callable[[Job], None] | None = None,
    on_done: Callable[[Job], None] | None = None,
) -> int:
    """Run queued jobs until ``stop`` is set (or, with ``once``, until the queue is empty); returns how many
    ran. Jobs of a worker that died are re-queued first."""
    wake = wake or threading.Event()
    ran = 0
    conn = connect(db)
    try:
        while not stop.is_set():
            try:
                for job_id in queue.requeue_stale(conn):
                    log.warning("ingest job %s lost its worker: queued again", job_id)
                row = queue.claim_job(conn)
            except sqlite3.OperationalError as exc:  # e.g. locked for longer than the timeout: try again later
                log.warning("cannot read the ingest queue: %s", exc)
                row = None
            if row is None:
                if once:
                    break
                wake.wait(poll_s)
                wake.clear()
                continue
            finished = run_job(db, row, allow_private, on_progress)
            ran += 1
            if on_done is not None:
                on_done(finished)
    finally:
        conn.close()
    return ran


class _Heartbeat:
    """Refreshes a running job's heartbeat and progress every ``HEARTBEAT_S`` from its own thread, so a long
    input (or the pipeline loading) does not look like a dead worker."""

    def __init__(self, db: Path, job: Job) -> None:
        self.db, self.job = db, job
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{job.id}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _beat(self) -> None:
        conn = connect(self.db)
        try:
            while not self.stop.wait(HEARTBEAT_S):
                with contextlib.suppress(sqlite3.OperationalError):  # busy store: the next beat is soon enough
                    queue.heartbeat(conn, self.job.id, self.job.done, self.job.total)
        finally:
            conn.close()


def run_job(db: Path, row: Row, allow_private: bool = False, on_progress: Callable[[Job], None] | None = None) -> Job:
    """Run one claimed job and record its outcome; never raises for a failed ingest (the job says why)."""
    job = as_job(row)
    job.done, job.results = 0, []
    names: dict[str, str] = row["names"]
    uploads = [Path(p) for p in row["uploads"]]
    conn = connect(db)
    stored = False
    outcome: dict[str, Any] = {}
    try:
        options = IngestOptions(sources=SourceOptions(allow_private=allow_private))
        job.total = count_inputs(job.targets, options.sources)
        queue.heartbeat(conn, job.id, 0, job.total)
        with _Heartbeat(db, job), Workspace(db) as ws:
            tracker = JobTracker(job, ws.repo.conn, names)
            tracker.before = queue.set_store_mark(conn, job.id, tracker.before)  # a resumed job keeps its mark

            def progress(source: str) -> None:
                tracker.progress(source)
                if not ws.repo.conn.in_transaction:  # else the heartbeat thread writes it when the batch is in
                    with contextlib.suppress(sqlite3.OperationalError):  # busy: the next input or beat says it
                        queue.heartbeat(conn, job.id, job.done, job.total)
                if on_progress is not None:
                    on_progress(job)

            report = ws.ingest(job.targets, options, progress, tracker.problem)
            results = tracker.results(ws.repo.conn)
        stored = report.stored + report.already_stored > 0
        outcome = {"report": {**asdict(report), "stored": report.stored},
                   "results": [r.model_dump() for r in results]}  # fmt: skip
        for path in uploads:
            if not tracker.stored_from(str(path)):
                path.unlink(missing_ok=True)  # nothing was stored from this one: the results say why
        uploads = []
    except UserError as exc:
        outcome = {"error": str(exc)}
    except Exception as exc:  # a job must never die silently: the user polls for its outcome
        log.error("ingest job %s failed", job.id, exc_info=exc)
        outcome = {"error": f"internal error: {exc!r}"}
    for path in uploads if not stored else []:
        path.unlink(missing_ok=True)  # a rejected upload is not kept: the report says why
    try:
        queue.finish_job(conn, job.id, done=job.done, **outcome)
        found = queue.get_job(conn, job.id)
    finally:
        conn.close()
    return as_job(found) if found is not None else job
