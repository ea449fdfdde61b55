"""The repository interface every storage backend implements (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from watchfloor.models import ClaimRecord, CleanDocument, EntityRecord, EventRecord, MentionRecord, RelationRecord

Row = dict[str, Any]


@dataclass
class DocumentWrite:
    """Everything stored for one document, written in the caller's transaction."""

    doc: CleanDocument
    doc_id: str
    text_hash: str
    status: str  # analysed, duplicate, not_english, no_text
    language: str | None
    duplicate_of: str | None = None
    duplicate_kind: str | None = None
    similarity: float | None = None
    minhash: bytes | None = None
    mentions: list[MentionRecord] = field(default_factory=list)
    new_entities: list[EntityRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    source_only: bool = False  # same bytes already stored under another name: add the source only


class Repository(Protocol):
    """Storage operations used by the pipeline and the views."""

    def transaction(self) -> AbstractContextManager[None]: ...

    def sync_gazetteer(self, entities: Iterable[EntityRecord], fingerprint: str) -> int: ...

    def has_source(self, source: str, raw_sha256: str) -> bool: ...

    def document_exists(self, doc_id: str) -> bool: ...

    def document_by_text_hash(self, text_hash: str) -> str | None: ...

    def iter_minhashes(self) -> Iterator[tuple[str, bytes]]: ...

    def minhashes(self, doc_ids: list[str]) -> dict[str, bytes]: ...

    def write_document(self, item: DocumentWrite, extractor: str, version: str) -> None: ...

    def record_problem(self, source: str, message: str) -> None: ...

    def status(self) -> Row: ...

    def list_documents(self, limit: int, offset: int = 0, status: str | None = None) -> list[Row]: ...

    def get_document(self, doc_id: str) -> Row | None: ...

    def list_actors(self, kind: str | None, limit: int, min_mentions: int = 1) -> list[Row]: ...

    def find_entity(self, name: str) -> Row | None: ...

    def actor_detail(self, entity_id: int, limit: int = 20) -> Row: ...

    def search(
        self,
        query: str,
        actor_id: int | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
    ) -> list[Row]: ...

    def list_events(self, **filters: Any) -> list[Row]: ...

    def list_claims(self, **filters: Any) -> list[Row]: ...

    def list_relations(self, **filters: Any) -> list[Row]: ...

    def snapshot(self, since: str | None, until: str | None, actor_id: int | None) -> Row: ...

    def entity(self, entity_id: int) -> Row: ...

    def speaker_record(self, speaker_id: int, as_of: date | None = None) -> Row: ...

    def review_page(self, **filters: Any) -> tuple[list[Row], int, dict[str, int]]: ...

    def review_counts(self, **filters: Any) -> dict[str, int]: ...

    def apply_corrections(self) -> dict[str, int]: ...

    def close(self) -> None: ...
