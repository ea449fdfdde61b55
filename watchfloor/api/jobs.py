"""Ingest jobs started from the API: one at a time, in a background thread, with their own connection."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from watchfloor.api.models import Job, JobResult
from watchfloor.api.outcomes import JobTracker
from watchfloor.errors import UserError
from watchfloor.ingest.sources import SourceOptions, count_inputs
from watchfloor.runner import IngestOptions
from watchfloor.workspace import Workspace

JOB_TTL_S = 3600  # finished jobs answer GET /api/jobs/{id} this long
MAX_FINISHED = 200


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class IngestJobs:
    """A queue of ingest runs; the spaCy pipeline is built at the first run and reused by the next ones."""

    def __init__(self, db: Path, allow_private: bool = False) -> None:
        self.db = db
        self.allow_private = allow_private
        self.jobs: dict[str, Job] = {}
        self.finished: dict[str, float] = {}  # job id -> when it ended (monotonic seconds)
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")

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
        job = Job(id=uuid.uuid4().hex[:12], status="queued", targets=targets, created_at=_now(),
                  results=list(rejected))  # fmt: skip
        with self.lock:
            self._prune()
            self.jobs[job.id] = job
        files = [upload] if upload is not None else list(uploads)
        self.pool.submit(self._run, job.id, files, dict(names or {}))
        return job

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            self._prune()
            return self.jobs.get(job_id)

    def _prune(self) -> None:
        """Forget finished jobs after ``JOB_TTL_S``, and keep at most ``MAX_FINISHED`` of them (lock held)."""
        now = time.monotonic()
        finished = [(t, jid) for jid, t in self.finished.items() if jid in self.jobs]
        finished.sort()
        expired = {jid for t, jid in finished if now - t > JOB_TTL_S}
        expired |= {jid for _, jid in finished[: max(0, len(finished) - MAX_FINISHED)]}
        for jid in expired:
            self.jobs.pop(jid, None)
            self.finished.pop(jid, None)

    def _run(self, job_id: str, uploads: list[Path], names: dict[str, str]) -> None:
        job = self.jobs[job_id]
        job.status = "running"
        stored = False
        try:
            options = IngestOptions(sources=SourceOptions(allow_private=self.allow_private))
            job.total = count_inputs(job.targets, options.sources)
            with Workspace(self.db) as ws:
                tracker = JobTracker(job, ws.repo.conn, names)
                report = ws.ingest(job.targets, options, tracker.progress, tracker.problem)
                results = tracker.results(ws.repo.conn)
            job.report = {**asdict(report), "stored": report.stored}
            job.results = job.results + results
            stored = report.stored + report.already_stored > 0
            for path in uploads:
                if not tracker.stored_from(str(path)):
                    path.unlink(missing_ok=True)  # nothing was stored from this one: the results say why
            uploads = []
            job.status = "done"
        except UserError as exc:
            job.error, job.status = str(exc), "failed"
        except Exception as exc:  # a job must never die silently: the user polls for its outcome
            job.error, job.status = f"internal error: {exc!r}", "failed"
        for path in uploads if not stored else []:
            path.unlink(missing_ok=True)  # a rejected upload is not kept: the report says why
        job.finished_at = _now()
        with self.lock:
            self.finished[job_id] = time.monotonic()

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
