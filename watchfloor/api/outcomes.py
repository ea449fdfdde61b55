"""What became of each input of an ingest job: followed while it runs, read back from the store at the end.

The runner reports every input it finished (``on_progress(source)``) and every problem as one line
(``on_problem("SOURCE: reason")``, the line the CLI prints after "skipped"). Whether an input became an
analysed document, a duplicate or a non-English one is read from the store afterwards (the ``sources``
table maps each input to its document); a document already there before the job is "already stored".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Literal

from watchfloor.api.models import Job, JobResult

Outcome = Literal["analysed", "duplicate", "not_english", "no_text", "already_stored", "problem"]
OUTCOMES = ("analysed", "duplicate", "not_english", "no_text")  # a document's status
MESSAGES = {
    "not_english": "not English ({language}): stored, not analysed",
    "no_text": "no article text found",
    "already_stored": "already in the store",
}


class JobTracker:
    """Follows one job's inputs: counts them for progress and keeps each problem with its source."""

    def __init__(self, job: Job, conn: sqlite3.Connection, names: Mapping[str, str]) -> None:
        self.job = job
        self.names = dict(names)
        self.sources: list[str] = []
        self.problems: dict[str, str] = {}
        self.stored: set[str] = set()  # sources a document was stored from (filled by ``results``)
        self._pending: str | None = None
        row = conn.execute("SELECT coalesce(max(rowid), 0) FROM documents").fetchone()
        self.before = int(row[0])  # documents stored after this mark are new in this job

    def problem(self, line: str) -> None:
        """``on_problem``: the runner calls it just before ``progress`` for the same source."""
        self._pending = line

    def progress(self, source: str) -> None:
        """``on_progress``: one more input finished."""
        line, self._pending = self._pending, None
        if line is not None and line.startswith(source + ": "):
            self.problems.setdefault(source, line[len(source) + 2 :])
        if source not in self.sources:  # the same file named twice is listed once
            self.sources.append(source)
        self.job.done += 1

    def display(self, source: str) -> str:
        """The name the user gave: the uploaded file's name (plus ``#L<n>`` for a JSONL line), else the source."""
        if source in self.names:
            return self.names[source]
        for target, name in self.names.items():
            if source.startswith(target + "#"):
                return name + source[len(target) :]
        return source

    def results(self, conn: sqlite3.Connection) -> list[JobResult]:
        """Each finished input's outcome, in the order the user gave the inputs (a feed's articles last)."""
        return [self._result(conn, source) for source in sorted(self.sources, key=self._order)]

    def _order(self, source: str) -> int:
        for i, target in enumerate(self.job.targets):
            if source == target or source.startswith(target + "#"):
                return i
        return len(self.job.targets)

    def stored_from(self, target: str) -> bool:
        """Whether a document came from ``target`` (a file, or one of its JSONL lines), after ``results``."""
        return any(s == target or s.startswith(target + "#") for s in self.stored)

    def _result(self, conn: sqlite3.Connection, source: str) -> JobResult:
        name = self.display(source)
        if source in self.problems:
            return JobResult(input=name, outcome="problem", message=self.problems[source])
        row = conn.execute(
            """SELECT d.id, d.rowid, d.status, d.title, d.duplicate_of, d.duplicate_kind, d.similarity, d.language
               FROM sources s JOIN documents d ON d.id = s.doc_id WHERE s.source = ?
               ORDER BY s.rowid DESC LIMIT 1""",
            (source,),
        ).fetchone()
        if row is None:
            return JobResult(input=name, outcome="problem", message="nothing was stored from it")
        doc_id, rowid, status, title, duplicate_of, kind, similarity, language = row
        self.stored.add(source)
        outcome: Outcome = status if int(rowid) > self.before and status in OUTCOMES else "already_stored"
        message: str | None = None
        if outcome == "duplicate":
            score = f", similarity {similarity:.2f}" if kind == "near" and similarity is not None else ""
            message = f"{kind or 'exact'} duplicate of {duplicate_of}{score}"
        elif outcome in MESSAGES:
            message = MESSAGES[outcome].format(language=language or "unknown language")
        return JobResult(input=name, outcome=outcome, message=message, document=doc_id, title=title)
