"""SQLite repository: WAL, foreign keys, FTS5, versioned migrations."""

from __future__ import annotations

import copy
import json
import random
import re
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from watchfloor import __version__
from watchfloor.errors import UserError
from watchfloor.extract.versions import CLAIMS_VERSION, EVENTS_VERSION, RELATIONS_VERSION
from watchfloor.link.normalize import norm_name
from watchfloor.models import EntityRecord, RemovedSpan
from watchfloor.store import rawtext, sqlite_reprocess
from watchfloor.store.base import DocumentWrite, Row
from watchfloor.store.sqlite_browse import (
    add_documents_to_stats,
    co_mentioned,
    data_version,
    ensure_entity_stats,
    entity_stats_fresh,
    is_frequent,
    refresh_entity_stats,
    track_touched_entities,
)
from watchfloor.store.sqlite_claims import list_claims, speaker_record, write_claims
from watchfloor.store.sqlite_corrections import (
    apply_corrections,
    corrections_settled,
    last_correction,
    mark_corrections_settled,
    register_functions,
)
from watchfloor.store.sqlite_events import list_events, write_events
from watchfloor.store.sqlite_export import snapshot
from watchfloor.store.sqlite_relations import list_relations, write_relations
from watchfloor.store.sqlite_review import review_counts, review_page
from watchfloor.store.sqlparts import chunks, marks

EVENTS_EXTRACTOR = "watchfloor.extract.events"
CLAIMS_EXTRACTOR = "watchfloor.extract.claims"
RELATIONS_EXTRACTOR = "watchfloor.extract.relations"

T = TypeVar("T")

ACTOR_LABELS = ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC")
_STATUS: dict[str, tuple[tuple[Any, ...], Row]] = {}  # per store: the state its counts were taken in, the counts


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("watchfloor.store") / "migrations"
    found = []
    for item in folder.iterdir():
        if item.name.endswith(".sql"):
            found.append((int(item.name.split("_", 1)[0]), item.read_text(encoding="utf-8")))
    return sorted(found)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _enable_wal(conn: sqlite3.Connection, wait_seconds: float = 30.0) -> None:
    """Switch a store to write-ahead logging, waiting for other processes doing the same.

    SQLite answers "database is locked" at once, without its busy handler, when another connection is
    switching a new file's journal mode at the same moment; so the switch is retried here.
    """
    deadline = time.monotonic() + wait_seconds
    delay = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(delay + random.random() * delay)
        delay = min(delay * 2, 0.5)


def open_store(path: str | Path) -> SQLiteRepository:
    """Open (creating if needed) the store ``path`` names: a SQLite file, or a ``postgresql://`` URL."""
    from watchfloor.store.location import pg_url

    url = pg_url(path)
    if url is not None:
        from watchfloor.store.postgres import PostgresRepository  # psycopg is imported for PostgreSQL only

        return PostgresRepository(url)
    return SQLiteRepository(Path(path))


class SQLiteRepository:
    """The default zero-set-up store: one SQLite file."""

    def __init__(self, path: Path) -> None:
        self._added: list[str] = []  # documents stored in the open transaction
        self._stats_addable: bool | None = None
        if path.exists() and path.is_dir():
            raise UserError(f"{path} is a folder; pass a file path to --db")
        if not path.parent.exists():
            raise UserError(f"folder {path.parent} does not exist; create it or choose another --db")
        try:
            self.conn = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            _enable_wal(self.conn)
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            register_functions(self.conn)
            self.conn.create_function("wf_raw_delta", 2, rawtext.pack, deterministic=True)  # migration 010
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{path} is not a watchfloor store ({exc}); choose another --db") from exc
        self.path = path
        self.location = str(path)  # what `status` shows: the file, or the database URL without its password

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        """Apply the migrations this store lacks, each in its own write transaction.

        Several processes may open a new store at once: the version is read again *inside* the write lock
        (BEGIN IMMEDIATE), so a migration another process applied meanwhile is skipped, not run twice.
        """
        migrations = _migrations()
        if int(self.conn.execute("PRAGMA user_version").fetchone()[0]) >= migrations[-1][0]:
            return  # up to date: no write lock taken
        for version, sql in migrations:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if int(self.conn.execute("PRAGMA user_version").fetchone()[0]) >= version:
                    self.conn.execute("COMMIT")
                    continue
                for statement in _split_sql(sql):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version={version}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all (a killed process loses the batch only).

        Documents newly stored inside are added to the entity counts before the commit, when those were
        fresh before the first of them was written and nothing was replaced meanwhile; else the counts stay
        stale and the next read recounts them."""
        self.conn.execute("BEGIN IMMEDIATE")
        self._added, self._stats_addable = [], None  # decided at the first document written
        try:
            yield
            if self._added and self._stats_addable:
                add_documents_to_stats(self.conn, self._added)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        finally:
            self._added, self._stats_addable = [], None
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    # -- writes ---------------------------------------------------------------------------
    def sync_gazetteer(self, entities: Iterable[EntityRecord], fingerprint: str) -> int:
        """Load or refresh gazetteer entities; a no-op when the gazetteer has not changed."""
        row = self.conn.execute("SELECT value FROM meta WHERE key='gazetteer'").fetchone()
        if row is not None and row[0] == fingerprint:
            return 0
        count = 0
        with self.transaction():
            for entity in entities:
                self._upsert_entity(entity)
                count += 1
            self.conn.execute(
                "INSERT INTO meta(key, value) VALUES ('gazetteer', ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (fingerprint,),
            )
        return count

    def _upsert_entity(self, e: EntityRecord) -> int:
        self.conn.execute(
            """INSERT INTO entities(key, name, kind, label, qid, description, countries, source,
                   geonames_id, latitude, longitude, country_code, admin1)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(key) DO UPDATE SET name=excluded.name, kind=excluded.kind,
                   label=excluded.label, qid=excluded.qid, description=excluded.description,
                   countries=excluded.countries, source=excluded.source,
                   geonames_id=coalesce(excluded.geonames_id, entities.geonames_id),
                   latitude=coalesce(excluded.latitude, entities.latitude),
                   longitude=coalesce(excluded.longitude, entities.longitude),
                   country_code=coalesce(excluded.country_code, entities.country_code),
                   admin1=coalesce(excluded.admin1, entities.admin1)""",
            (
                e.key,
                e.name,
                e.kind,
                e.label,
                e.qid,
                e.description,
                json.dumps(list(e.countries)),
                e.source,
                e.geonames_id,
                e.latitude,
                e.longitude,
                e.country_code,
                e.admin1,
            ),
        )
        entity_id = int(self.conn.execute("SELECT id FROM entities WHERE key=?", (e.key,)).fetchone()[0])
        for alias in (e.name, *e.aliases):
            self.conn.execute(
                "INSERT OR IGNORE INTO aliases(entity_id, alias, norm, source) VALUES (?,?,?,?)",
                (entity_id, alias, norm_name(alias), e.source),
            )
        return entity_id

    def has_source(self, source: str, raw_sha256: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM sources WHERE source=? AND raw_sha256=?", (source, raw_sha256)
        ).fetchone()
        return row is not None

    def document_exists(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id=?", (doc_id,)).fetchone() is not None

    def document_by_text_hash(self, text_hash: str) -> str | None:
        row = self.conn.execute(
            "SELECT id FROM documents WHERE text_hash=? AND duplicate_of IS NULL LIMIT 1",
            (text_hash,),
        ).fetchone()
        return None if row is None else str(row[0])

    def iter_minhashes(self) -> Iterator[tuple[str, bytes]]:
        for row in self.conn.execute(
            "SELECT id, minhash FROM documents WHERE minhash IS NOT NULL AND duplicate_of IS NULL"
        ):
            yield row[0], row[1]

    def minhashes(self, doc_ids: list[str]) -> dict[str, bytes]:
        """The stored signatures of these documents (the near-duplicate index reads a candidate's on demand)."""
        out: dict[str, bytes] = {}
        for ids in chunks(doc_ids):
            sql = f"SELECT id, minhash FROM documents WHERE id IN ({marks(ids)}) AND minhash IS NOT NULL"
            out.update((str(r[0]), bytes(r[1])) for r in self.conn.execute(sql, ids))
        return out

    def write_document(self, item: DocumentWrite, extractor: str, version: str) -> None:
        """Store one document with its removed spans, new entities and mentions."""
        d = item.doc
        if not self.document_exists(item.doc_id):
            if self._stats_addable is None:
                self._stats_addable = entity_stats_fresh(self.conn)
            self._added.append(item.doc_id)
            raw_text, raw_delta = rawtext.for_storage(d.raw_text, d.text)
            self.conn.execute(
                """INSERT INTO documents(id, text_hash, source, kind, raw_sha256, url, title, publisher,
                       author,
                       published, published_method, published_evidence, language, status,
                       duplicate_of, duplicate_kind, similarity, raw_text, text, word_count, notes,
                       minhash, ingested_at, extractor, extractor_version, published_not_before, raw_data,
                       processed_version, raw_delta)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (
                    item.doc_id,
                    item.text_hash,
                    d.source,
                    d.kind,
                    d.raw_sha256,
                    d.url,
                    d.title,
                    d.publisher,
                    d.author,
                    d.published.date,
                    d.published.method,
                    d.published.evidence,
                    item.language,
                    item.status,
                    item.duplicate_of,
                    item.duplicate_kind,
                    item.similarity,
                    raw_text,
                    d.text,
                    len(d.text.split()),
                    json.dumps(d.notes),
                    item.minhash,
                    _now(),
                    extractor,
                    version,
                    d.published.not_before,
                    zlib.compress(d.raw_data) if d.raw_data is not None else None,
                    version,
                    raw_delta,
                ),
            )
            self.conn.executemany(
                "INSERT INTO removed_spans(doc_id, start, end, text, reason) VALUES (?,?,?,?,?)",
                [(item.doc_id, r.start, r.end, r.text, r.reason) for r in d.removed],
            )
            ids = {e.key: self._upsert_entity(e) for e in item.new_entities}
            keys = {m.entity_key for m in item.mentions if m.entity_key and m.entity_key not in ids}
            keys |= {k for e in item.events for k in (e.place_key, e.perpetrator_key) if k and k not in ids}
            keys |= {k for c in item.claims for k in (c.speaker_key, *c.about) if k and k not in ids}
            keys |= {k for r in item.relations for k in (r.subject_key, r.object_key) if k not in ids}
            for key in keys:
                row = self.conn.execute("SELECT id FROM entities WHERE key=?", (key,)).fetchone()
                if row is not None:
                    ids[key] = int(row[0])
            self.conn.executemany(
                """INSERT INTO mentions(doc_id, start, end, text, label, entity_id, link_method,
                       link_score, extractor, extractor_version) VALUES (?,?,?,?,?,?,?,?,?,?)""",
                [
                    (
                        item.doc_id,
                        m.start,
                        m.end,
                        m.text,
                        m.label,
                        ids.get(m.entity_key) if m.entity_key else None,
                        m.link_method,
                        m.link_score,
                        extractor,
                        version,
                    )
                    for m in item.mentions
                ],
            )
            if item.events:
                write_events(self.conn, item.doc_id, item.events, ids, EVENTS_EXTRACTOR, EVENTS_VERSION)
            if item.claims:
                write_claims(self.conn, item.doc_id, item.claims, ids, CLAIMS_EXTRACTOR, CLAIMS_VERSION)
            if item.relations:
                write_relations(self.conn, item.doc_id, item.relations, ids, RELATIONS_EXTRACTOR, RELATIONS_VERSION)
        self.conn.execute(
            "INSERT OR IGNORE INTO sources(source, raw_sha256, doc_id) VALUES (?,?,?)",
            (d.source, d.raw_sha256, item.doc_id),
        )

    def replace_document(self, item: DocumentWrite, extractor: str, version: str) -> None:
        """Write a re-analysed document in place of the stored one (same id), keeping its sources."""
        with self.transaction():
            ingested = self.conn.execute("SELECT ingested_at FROM documents WHERE id=?", (item.doc_id,)).fetchone()
            self._stats_addable = False  # facts are deleted too: only a recount is right
            sources = sqlite_reprocess.delete_document_facts(self.conn, item.doc_id)
            self.write_document(item, extractor, version)
            sqlite_reprocess.restore_sources(self.conn, item.doc_id, sources)
            if ingested is not None:  # re-extracted facts are not new to a watchlist: keep the first ingest time
                self.conn.execute("UPDATE documents SET ingested_at=? WHERE id=?", (ingested[0], item.doc_id))

    def reprocess_candidates(self, since: str | None, doc_ids: list[str] | None, skip_version: str | None) -> list[str]:
        return sqlite_reprocess.reprocess_candidates(self.conn, since, doc_ids, skip_version)

    def stored_for_reprocess(self, doc_id: str) -> tuple[Row, list[RemovedSpan], str | None]:
        return sqlite_reprocess.stored_for_reprocess(self.conn, doc_id)

    def set_published(self, doc_id: str, published: str, author: str, note: str | None = None) -> None:
        """Record an analyst's publication date; `reprocess` re-resolves what depended on it."""
        with self.transaction():
            sqlite_reprocess.set_published(self.conn, doc_id, published, author, note)

    def record_problem(self, source: str, message: str) -> None:
        self.conn.execute("INSERT INTO problems(source, message, at) VALUES (?,?,?)", (source, message, _now()))

    # -- reads ----------------------------------------------------------------------------
    def status(self) -> Row:
        """Counts of everything stored; held while the store's largest ids stay the same (every count here
        changes only with a new row or a logged correction), so a dashboard polled by many analysts does
        not count 1.6M mentions on every request."""
        ensure_entity_stats(self.conn)
        state = (
            self.location,
            data_version(self.conn),
            *self.conn.execute(
                """SELECT (SELECT max(id) FROM relations), (SELECT max(id) FROM problems),
                          (SELECT max(id) FROM entities), (SELECT max(id) FROM removed_spans)"""
            ).fetchone(),
        )
        held = _STATUS.get(self.location)
        if held is None or held[0] != state:
            held = _STATUS[self.location] = (state, self._count_everything())
        return copy.deepcopy(held[1])

    def _count_everything(self) -> Row:
        q = self.conn.execute
        by_status = {r[0]: r[1] for r in q("SELECT status, count(*) FROM documents GROUP BY status")}
        return {
            "db": self.location,
            "schema_version": self.schema_version,
            "documents": sum(by_status.values()),
            "documents_by_status": by_status,
            "words": q("SELECT coalesce(sum(word_count),0) FROM documents WHERE status='analysed'").fetchone()[0],
            "mentions": q("SELECT count(*) FROM mentions").fetchone()[0],
            "linked_mentions": q("SELECT coalesce(sum(mentions), 0) FROM entity_stats").fetchone()[0],
            "entities_mentioned": q("SELECT count(*) FROM entity_stats").fetchone()[0],
            "entities_total": q("SELECT count(*) FROM entities").fetchone()[0],
            "removed_spans": q("SELECT count(*) FROM removed_spans").fetchone()[0],
            "events": q("SELECT count(*) FROM events WHERE is_background=0").fetchone()[0],
            "background_events": q("SELECT count(*) FROM events WHERE is_background=1").fetchone()[0],
            "claims": q("SELECT count(*) FROM claims").fetchone()[0],
            "relations": q("SELECT count(*) FROM relations").fetchone()[0],
            "forecasts": q("SELECT count(*) FROM claims WHERE kind='forecast'").fetchone()[0],
            "problems": q("SELECT count(*) FROM problems").fetchone()[0],
            "last_problems": [dict(r) for r in q("SELECT source, message, at FROM problems ORDER BY id DESC LIMIT 10")],
            "undated_documents": sqlite_reprocess.undated_count(self.conn),
            "stale_documents": sqlite_reprocess.stale_count(self.conn, __version__),
            "published_range": list(
                q("SELECT min(published), max(published) FROM documents WHERE published IS NOT NULL").fetchone()
            ),
        }

    def list_documents(self, limit: int, offset: int = 0, status: str | None = None) -> list[Row]:
        sql = """SELECT d.id, d.title, d.publisher, d.published, d.published_method, d.language,
                        d.status, d.duplicate_of, d.duplicate_kind, d.word_count, d.source,
                        (SELECT count(*) FROM mentions m WHERE m.doc_id=d.id) AS mentions
                 FROM documents d"""
        args: list[Any] = []
        if status == "undated":
            sql += " WHERE d.status='analysed' AND d.published IS NULL"
        elif status:
            sql += " WHERE d.status=?"
            args.append(status)
        sql += " ORDER BY d.published DESC NULLS LAST, d.id LIMIT ? OFFSET ?"
        args += [limit, offset]
        return [dict(r) for r in self.conn.execute(sql, args)]

    def get_document(self, doc_id: str) -> Row | None:
        rows = self.conn.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchall()
        if not rows and re.fullmatch(r"[0-9a-f]{1,15}", doc_id):
            # A prefix, as printed by `watchfloor docs`: GLOB on a literal prefix is an index range.
            rows = self.conn.execute("SELECT * FROM documents WHERE id GLOB ? LIMIT 2", (doc_id + "*",)).fetchall()
        if len(rows) != 1:
            return None
        doc = rawtext.restore(dict(rows[0]))
        doc.pop("minhash", None)
        doc.pop("raw_data", None)
        doc.pop("search_vector", None)  # PostgreSQL's stored search vector (migration 007)
        doc["notes"] = json.loads(doc["notes"])
        doc["removed"] = [
            dict(r)
            for r in self.conn.execute(
                "SELECT start, end, text, reason FROM removed_spans WHERE doc_id=? ORDER BY start",
                (doc["id"],),
            )
        ]
        doc["mentions"] = [
            dict(r)
            for r in self.conn.execute(
                """SELECT m.id, m.start, m.end, m.text, m.label, m.link_method, m.link_score,
                          m.entity_id, e.key AS entity_key, e.name AS entity
                   FROM mentions m LEFT JOIN entities e ON e.id=m.entity_id
                   WHERE m.doc_id=? ORDER BY m.start""",
                (doc["id"],),
            )
        ]
        return doc

    def list_actors(self, kind: str | None, limit: int, min_mentions: int = 1) -> list[Row]:
        sql = """SELECT e.id, e.key, e.name, e.kind, e.label, e.qid, e.description, e.source,
                        e.country_code, count(m.id) AS mentions, count(DISTINCT m.doc_id) AS documents
                 FROM entities e JOIN mentions m ON m.entity_id=e.id
                 WHERE e.label IN ({})""".format(",".join("?" * len(ACTOR_LABELS)))
        args: list[Any] = list(ACTOR_LABELS)
        if kind:
            sql += " AND e.kind=?"
            args.append(kind)
        sql += " GROUP BY e.id HAVING count(m.id) >= ? ORDER BY mentions DESC, e.name LIMIT ?"
        args += [min_mentions, limit]
        rows = [dict(r) for r in self.conn.execute(sql, args)]
        for row in rows:
            row["aliases"] = self._aliases(int(row["id"]))
            row["document_ids"] = [
                r[0]
                for r in self.conn.execute(
                    "SELECT DISTINCT doc_id FROM mentions WHERE entity_id=? ORDER BY doc_id",
                    (row["id"],),
                )
            ]
        return rows

    def _aliases(self, entity_id: int) -> list[str]:
        return [
            r[0] for r in self.conn.execute("SELECT alias FROM aliases WHERE entity_id=? ORDER BY alias", (entity_id,))
        ]

    def find_entity(self, name: str) -> Row | None:
        """Entity by key, exact alias, or the best-known entity among several alias matches."""
        key_norm = norm_name(name)
        rows = self.conn.execute(
            """SELECT e.id, (SELECT count(*) FROM mentions m WHERE m.entity_id=e.id) AS n
               FROM entities e WHERE e.key=? OR e.id IN (SELECT entity_id FROM aliases WHERE norm=?)
               ORDER BY (e.key=?) DESC, n DESC LIMIT 1""",
            (name, key_norm, name),
        ).fetchall()
        if not rows:
            return None
        found = self.entity(int(rows[0][0]))
        return self.entity(int(found["merged_into"])) if found.get("merged_into") else found

    def entity_or_none(self, entity_id: int) -> Row | None:
        exists = self.conn.execute("SELECT 1 FROM entities WHERE id=?", (entity_id,)).fetchone()
        return self.entity(entity_id) if exists else None

    def entity(self, entity_id: int) -> Row:
        row = dict(self.conn.execute("SELECT * FROM entities WHERE id=?", (entity_id,)).fetchone())
        row["countries"] = json.loads(row["countries"])
        row["aliases"] = self._aliases(entity_id)
        return row

    def entity_names(self, limit: int = 5000) -> list[tuple[int, str]]:
        return [
            (int(r[0]), str(r[1])) for r in self.conn.execute("SELECT entity_id, alias FROM aliases LIMIT ?", (limit,))
        ]

    def actor_detail(self, entity_id: int, limit: int = 20) -> Row:
        detail = self.entity(entity_id)
        q = self.conn.execute
        detail["mention_count"] = q("SELECT count(*) FROM mentions WHERE entity_id=?", (entity_id,)).fetchone()[0]
        detail["surface_forms"] = [
            {"text": r[0], "count": r[1]}
            for r in q(
                """SELECT text, count(*) FROM mentions WHERE entity_id=? GROUP BY text
                   ORDER BY count(*) DESC LIMIT 20""",
                (entity_id,),
            )
        ]
        detail["documents"] = [
            dict(r)
            for r in q(
                """SELECT d.id, d.title, d.published, count(m.id) AS mentions
                   FROM mentions m JOIN documents d ON d.id=m.doc_id WHERE m.entity_id=?
                   GROUP BY d.id ORDER BY d.published DESC NULLS LAST LIMIT ?""",
                (entity_id, limit),
            )
        ]
        detail["co_mentioned"] = co_mentioned(self.conn, entity_id, limit)  # bounded: its recent documents
        detail["evidence"] = [
            dict(r)
            for r in q(
                """SELECT m.doc_id, m.start, m.end, m.text, m.link_method,
                          substr(d.text, max(1, m.start - 80), m.end - m.start + 160) AS context
                   FROM mentions m JOIN documents d ON d.id=m.doc_id WHERE m.entity_id=?
                   ORDER BY d.published DESC NULLS LAST, m.start LIMIT ?""",
                (entity_id, limit),
            )
        ]
        return detail

    def list_events(self, **filters: Any) -> list[Row]:
        """Merged events with their sources; filters as in :func:`sqlite_events.list_events`."""
        return list_events(self.conn, **filters)

    def snapshot(self, since: str | None, until: str | None, actor_id: int | None) -> Row:
        """Documents and entities for an export; see :func:`sqlite_export.snapshot`."""
        return snapshot(self.conn, since, until, actor_id)

    def list_relations(self, **filters: Any) -> list[Row]:
        """Aggregated relations; filters as in :func:`sqlite_relations.list_relations`."""
        return list_relations(self.conn, **filters)

    def list_claims(self, **filters: Any) -> list[Row]:
        """Claims with stance, forecast status and sources; filters as in :func:`sqlite_claims.list_claims`."""
        return list_claims(self.conn, **filters)

    def speaker_record(self, speaker_id: int, as_of: date | None = None) -> Row:
        """A speaker's track record."""
        return speaker_record(self.conn, speaker_id, as_of)

    def review_page(self, **filters: Any) -> tuple[list[Row], int, dict[str, int]]:
        """A page of open review-queue items, their number and the counts per kind; see
        :func:`sqlite_review.review_page`."""
        return review_page(self.conn, **filters)

    def review_counts(self, **filters: Any) -> dict[str, int]:
        """Open review-queue items per kind; see :func:`sqlite_review.review_counts`."""
        return review_counts(self.conn, **filters)

    def apply_corrections(self) -> dict[str, int]:
        """Re-apply every stored analyst correction (after an ingest run)."""
        return self.correct(lambda _conn: None, everything=True)[1]

    def correct(self, record: Callable[[sqlite3.Connection], T], everything: bool = False) -> tuple[T, dict[str, int]]:
        """Record a correction with ``record`` and apply it, in one transaction, with the entity counts of
        the entities it touches. Every stored correction is re-applied too when the store changed since they
        were last applied (an ingest run or re-extraction wrote since), or with ``everything``. Returns what
        ``record`` returned and the rows changed per action."""
        with self.transaction():
            fresh = entity_stats_fresh(self.conn)  # else other writes (an ingest run) changed counts too
            after = None if everything or not corrections_settled(self.conn) else last_correction(self.conn)
            with track_touched_entities(self.conn) as touched:
                made = record(self.conn)
                changed = apply_corrections(self.conn, after)
            refresh_entity_stats(self.conn, touched if fresh else None)  # only the rows it changed (if known)
            mark_corrections_settled(self.conn)
        return made, changed

    def event(self, event_id: int, max_sources: int | None = None, sources_offset: int = 0) -> Row | None:
        """One event with ``n_sources`` and a page of its sources (all when ``max_sources`` is None)."""
        offset = sources_offset
        rows = list_events(
            self.conn, include_background=True, event_id=event_id, max_sources=max_sources, sources_offset=offset
        )
        return rows[0] if rows else None

    def search(
        self,
        query: str,
        actor_id: int | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
        markers: tuple[str, str] = ("[", "]"),
    ) -> list[Row]:
        """Full-text search over analysed documents, best match first, with highlighted snippets.

        Two steps, so that a common word in a large store stays fast: rank the matching rows by bm25 (FTS5's
        ``rank``) and keep a page, then build snippets and read metadata for that page only.
        """
        fts = _fts_query(query)
        # A frequent actor (in many documents) is checked on the ranked rows; a rare one filters first.
        rank_first = not since and not until and (actor_id is None or is_frequent(self.conn, actor_id))
        try:
            ranked = (
                self._rank_then_check(fts, actor_id, limit, offset)
                if rank_first
                else self._ranked(fts, actor_id, since, until, limit, offset)
            )
            if not ranked:
                return []
            listed = marks(ranked)
            snippets = {
                r[0]: r[1]
                for r in self.conn.execute(
                    f"""SELECT rowid, snippet(documents_fts, 1, ?, ?, ' … ', 24) FROM documents_fts
                        WHERE documents_fts MATCH ? AND rowid IN ({listed})""",
                    (*markers, fts, *[r[0] for r in ranked]),
                )
            }
            meta = {
                r["rowid"]: r
                for r in self.conn.execute(
                    f"SELECT rowid, id, title, published, publisher FROM documents WHERE rowid IN ({listed})",
                    [r[0] for r in ranked],
                )
            }
        except sqlite3.OperationalError as exc:
            raise UserError(f"cannot search for {query!r}: {exc}") from exc
        return [
            {
                "id": meta[rowid]["id"],
                "title": meta[rowid]["title"],
                "published": meta[rowid]["published"],
                "publisher": meta[rowid]["publisher"],
                "snippet": snippets.get(rowid, ""),
                "score": score,
            }
            for rowid, score in ranked
        ]

    def _rank_then_check(self, fts: str, actor_id: int | None, limit: int, offset: int) -> list[tuple[int, float]]:
        """Rank in FTS5 alone (no join), over-fetching, then keep analysed documents (naming the actor)."""
        want = offset + limit
        share = 1.0
        check = "SELECT rowid FROM documents d WHERE rowid IN ({}) AND status='analysed'"
        if actor_id is not None:
            check += " AND EXISTS (SELECT 1 FROM mentions m WHERE m.doc_id=d.id AND m.entity_id=?)"
            docs = self.conn.execute("SELECT documents FROM entity_stats WHERE entity_id=?", (actor_id,)).fetchone()
            total = self.conn.execute("SELECT count(*) FROM documents WHERE status='analysed'").fetchone()[0]
            share = max(0.02, (docs[0] if docs else 0) / max(total, 1))
        fetch = int(want / share * 1.5) + 20  # enough ranked rows that a page survives the checks
        while True:
            rows = self.conn.execute(
                "SELECT rowid, rank FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?", (fts, fetch)
            ).fetchall()
            ids = [r[0] for r in rows]
            args = [*ids, actor_id] if actor_id is not None else ids
            ok = {r[0] for r in self.conn.execute(check.format(",".join("?" * len(ids))), args)}
            ranked = [(int(rowid), float(score)) for rowid, score in rows if rowid in ok]
            if len(ranked) >= want or len(rows) < fetch:
                return ranked[offset:want]
            fetch *= 4

    def _ranked(
        self, fts: str, actor_id: int | None, since: str | None, until: str | None, limit: int, offset: int
    ) -> list[tuple[int, float]]:
        sql = """SELECT f.rowid, f.rank FROM documents_fts f JOIN documents d ON d.rowid=f.rowid
                 WHERE documents_fts MATCH ? AND d.status='analysed'"""
        args: list[Any] = [fts]
        if actor_id is not None:
            sql += " AND d.id IN (SELECT doc_id FROM mentions WHERE entity_id=?)"
            args.append(actor_id)
        if since:
            sql += " AND d.published >= ?"
            args.append(since)
        if until:
            sql += " AND d.published <= ?"
            args.append(until)
        sql += " ORDER BY f.rank LIMIT ? OFFSET ?"
        return [(int(r[0]), float(r[1])) for r in self.conn.execute(sql, [*args, limit, offset])]


_FTS_OPERATORS = frozenset({"AND", "OR", "NOT"})


def _fts_query(query: str) -> str:
    """Accept plain words, quoted phrases, AND/OR/NOT and a trailing ``*`` for a prefix (``Talib*``).

    Every term is quoted so punctuation is literal and nothing else of FTS5's syntax gets through; a
    trailing ``*`` is moved outside the quotes (``"Talib"*``), FTS5's prefix query.
    """
    import shlex

    query = query.replace("\x00", " ")
    try:
        parts = shlex.split(query)
    except ValueError:
        parts = query.split()
    terms: list[str] = []
    for part in parts:
        if part.upper() in _FTS_OPERATORS:
            if terms and terms[-1] not in _FTS_OPERATORS:
                terms.append(part.upper())  # an operator needs a term on each side: others are dropped
            continue
        prefix = part.endswith("*")
        word = part.rstrip("*")
        if not word.strip():
            continue  # a lone "*" means nothing
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    while terms and terms[-1] in _FTS_OPERATORS:
        terms.pop()
    if not terms:
        raise UserError("empty search query; give at least one word")
    return " ".join(terms)


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buf: list[str] = []
    in_trigger = False
    for line in script.splitlines():
        stripped = line.strip()
        if not buf and (not stripped or stripped.startswith("--")):
            continue
        buf.append(line)
        upper = stripped.upper()
        if upper.startswith("CREATE TRIGGER"):
            in_trigger = True
        if in_trigger:
            if upper == "END;":
                statements.append("\n".join(buf))
                buf, in_trigger = [], False
        elif stripped.endswith(";"):
            statements.append("\n".join(buf))
            buf = []
    if buf:
        statements.append("\n".join(buf))
    return statements
