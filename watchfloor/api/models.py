"""Request and response shapes that appear in the OpenAPI document."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field


class Page(BaseModel):
    """Every list endpoint answers with this envelope."""

    items: list[Any]
    limit: int
    offset: int
    total: int | None = Field(None, description="all matching items, where cheap to count")
    next: str | None = Field(None, description="URL of the next page, absent on the last one")


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    fields: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    """Every error has this body."""

    error: ErrorDetail


class CorrectionBase(BaseModel):
    author: str = Field("analyst", max_length=100, description="who made the correction")
    note: str | None = Field(None, max_length=2000, description="why")


class AliasIn(CorrectionBase):
    alias: str = Field(min_length=1, max_length=200)


class MergeIn(CorrectionBase):
    other: str = Field(description="id, key or alias of the entity merged into this one")


class SplitIn(CorrectionBase):
    name: str = Field(min_length=1, max_length=200, description="name of the new entity")
    aliases: list[str] = Field(default_factory=list, description="aliases that move to the new entity")


class RejectIn(CorrectionBase):
    kind: Literal["mention", "relation", "claim", "event"]
    id: int = Field(
        ge=0, le=2**63 - 1, description="id of the mention, relation (a source's relation_id), claim or event"
    )


class PublishedIn(CorrectionBase):
    published: date = Field(description="the document's publication date (YYYY-MM-DD, not in the future)")


class IngestUrlIn(BaseModel):
    url: str = Field(min_length=8, max_length=2000, pattern="^https?://", description="an article or an RSS/Atom feed")


class JobResult(BaseModel):
    """What became of one input of an ingest job: a file, a JSONL line, a URL or a feed's article."""

    input: str = Field(description="the file name as uploaded (with #L<n> for a JSONL line), or the URL")
    outcome: Literal["analysed", "duplicate", "not_english", "no_text", "already_stored", "problem"]
    message: str | None = Field(default=None, description="one line: the problem, or what it duplicates")
    document: str | None = Field(default=None, description="id of the stored document, when one was stored")
    title: str | None = None


class Job(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    targets: list[str]
    created_at: str
    finished_at: str | None = None
    report: dict[str, Any] | None = None
    error: str | None = None
    done: int = Field(default=0, description="inputs finished so far")
    total: int | None = Field(default=None, description="inputs expected (a feed counts as one until it is read)")
    results: list[JobResult] = Field(default_factory=list, description="per input, in order, once the job is done")
