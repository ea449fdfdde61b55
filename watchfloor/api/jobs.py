"""Ingest jobs started from the API: one at a time, in a background thread, with their own connection."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from watchfloor.api.models import Job
from watchfloor.errors import UserError
from watchfloor.ingest.sources import SourceOptions
from watchfloor.runner import IngestOptions
from watchfloor.workspace import Workspace


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class IngestJobs:
    """A queue of ingest runs; the spaCy pipeline is loaded per run, so the server stays light when idle."""

    def __init__(self, db: Path, allow_private: bool = False) -> None:
        self.db = db
        self.allow_private = allow_private
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")

    def submit(self, targets: list[str]) -> Job:
        job = Job(id=uuid.uuid4().hex[:12], status="queued", targets=targets, created_at=_now())
        with self.lock:
            self.jobs[job.id] = job
        self.pool.submit(self._run, job.id)
        return job

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def _run(self, job_id: str) -> None:
        job = self.jobs[job_id]
        job.status = "running"
        try:
            options = IngestOptions(sources=SourceOptions(allow_private=self.allow_private))
            with Workspace(self.db) as ws:
                report = ws.ingest(job.targets, options)
            job.report = {**asdict(report), "stored": report.stored}
            job.status = "done"
        except UserError as exc:
            job.error, job.status = str(exc), "failed"
        except Exception as exc:  # a job must never die silently: the user polls for its outcome
            job.error, job.status = f"internal error: {exc!r}", "failed"
        job.finished_at = _now()

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
