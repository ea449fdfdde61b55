"""Read queries behind the JSON API and the web UI: paged lists with totals, the actor graph, the
spans of one document, light event points for the timeline and the map, and dashboard figures."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from watchfloor.store.base import Row
from watchfloor.store.co_mention_cache import co_mentioned_held
from watchfloor.store.location import connection_path, is_postgres
from watchfloor.store.sqlite_relations import FACTUAL, modality_label
from watchfloor.store.sqlparts import Where

ACTOR_LABELS = ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC")
_LABELS = ",".join(f"'{label}'" for label in ACTOR_LABELS)

ENTITY_ORDERS = {
    "mentions": "mentions",
    "documents": "documents",
    "name": "e.name",
    "last_seen": "last_seen",
}
DOCUMENT_ORDERS = {"published": "d.published", "title": "d.title", "words": "d.word_count", "ingested": "d.ingested_at"}


def _order(sort: str, allowed: dict[str, str], default: str) -> str:
    """``sort`` is a field name, ``-field`` for descending; unknown fields fall back to ``default``."""
    descending = sort.startswith("-")
    column = allowed.get(sort.lstrip("-"))
    if column is None:
        return default
    return f"{column} {'DESC' if descending else 'ASC'} NULLS LAST"


def data_version(conn: sqlite3.Connection) -> str:
    """Changes whenever documents, mentions, events or claims are added or a correction is made (ingest only
    adds rows; everything else goes through corrections). Cheap: five indexed look-ups."""
    row = conn.execute(
        """SELECT (SELECT max(rowid) FROM documents), (SELECT max(id) FROM mentions), (SELECT max(id) FROM events),
                  (SELECT max(id) FROM claims), (SELECT max(id) FROM corrections)"""
    ).fetchone()
    return ":".join(str(v) for v in row)


def refresh_entity_stats(conn: sqlite3.Connection, entity_ids: Iterable[int] | None = None) -> None:
    """Recount mentions, documents, first/last seen and the spellings of every entity, or only of
    ``entity_ids`` (the rows of other entities are left as they are). Call in a transaction."""
    if entity_ids is None:
        _recount(conn, None)
    else:
        ids = sorted(set(entity_ids))
        for start in range(0, len(ids), 500):  # below SQLite's limit on bound parameters
            _recount(conn, ids[start : start + 500])
    mark_entity_stats_fresh(conn)


def _recount(conn: sqlite3.Connection, ids: Sequence[int] | None) -> None:
    """Delete and recount the entity_stats rows of ``ids`` (all rows when None)."""
    marks = "" if ids is None else f" AND m.entity_id IN ({','.join('?' * len(ids))})"
    args = list(ids or ())
    conn.execute(f"DELETE FROM entity_stats WHERE 1=1{marks.replace('m.entity_id', 'entity_id')}", args)
    conn.execute(
        f"""INSERT INTO entity_stats(entity_id, mentions, documents, first_seen, last_seen)
            SELECT m.entity_id, count(*), count(DISTINCT m.doc_id), min(d.published), max(d.published)
            FROM mentions m JOIN documents d ON d.id=m.doc_id WHERE m.entity_id IS NOT NULL{marks}
            GROUP BY m.entity_id""",
        args,
    )
    conn.execute(f"DELETE FROM entity_forms WHERE 1=1{marks.replace('m.entity_id', 'entity_id')}", args)
    conn.execute(
        f"""INSERT INTO entity_forms(entity_id, text, n) SELECT m.entity_id, m.text, count(*) FROM mentions m
            WHERE m.entity_id IS NOT NULL{marks} GROUP BY m.entity_id, m.text""",
        args,
    )
    _write_surface_forms(conn, ids)


def _write_surface_forms(conn: sqlite3.Connection, ids: Sequence[int] | None) -> None:
    """entity_stats.surface_forms of ``ids`` (all when None) from entity_forms: the 20 commonest."""
    marks = "" if ids is None else f" WHERE entity_id IN ({','.join('?' * len(ids))})"
    forms: dict[int, list[tuple[str, int]]] = {}
    for entity_id, text, n in conn.execute(f"SELECT entity_id, text, n FROM entity_forms{marks}", list(ids or ())):
        forms.setdefault(int(entity_id), []).append((str(text), int(n)))
    conn.executemany(
        "UPDATE entity_stats SET surface_forms=? WHERE entity_id=?",
        [(json.dumps(sorted(f, key=lambda x: (-x[1], x[0]))[:20]), i) for i, f in forms.items()],
    )


def add_documents_to_stats(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> None:
    """Grow fresh entity counts by newly stored documents (their mentions only; nothing else changed), and
    mark them fresh: what a full recount would give, at the cost of the new mentions. Call in the
    transaction that stored the documents."""
    touched: set[int] = set()
    for start in range(0, len(doc_ids), 500):  # below SQLite's limit on bound parameters
        batch = list(doc_ids[start : start + 500])
        marks = ",".join("?" * len(batch))
        conn.execute(
            f"""INSERT INTO entity_stats(entity_id, mentions, documents, first_seen, last_seen)
                SELECT m.entity_id, count(*), count(DISTINCT m.doc_id), min(d.published), max(d.published)
                FROM mentions m JOIN documents d ON d.id=m.doc_id
                WHERE m.doc_id IN ({marks}) AND m.entity_id IS NOT NULL GROUP BY m.entity_id
                ON CONFLICT(entity_id) DO UPDATE SET
                    mentions = entity_stats.mentions + excluded.mentions,
                    documents = entity_stats.documents + excluded.documents,
                    first_seen = CASE WHEN excluded.first_seen < entity_stats.first_seen
                                           OR entity_stats.first_seen IS NULL
                                      THEN excluded.first_seen ELSE entity_stats.first_seen END,
                    last_seen = CASE WHEN excluded.last_seen > entity_stats.last_seen
                                          OR entity_stats.last_seen IS NULL
                                     THEN excluded.last_seen ELSE entity_stats.last_seen END""",
            batch,
        )
        conn.execute(
            f"""INSERT INTO entity_forms(entity_id, text, n)
                SELECT entity_id, text, count(*) FROM mentions
                WHERE doc_id IN ({marks}) AND entity_id IS NOT NULL GROUP BY entity_id, text
                ON CONFLICT(entity_id, text) DO UPDATE SET n = entity_forms.n + excluded.n""",
            batch,
        )
        touched.update(
            int(r[0])
            for r in conn.execute(
                f"SELECT DISTINCT entity_id FROM mentions WHERE doc_id IN ({marks}) AND entity_id IS NOT NULL", batch
            )
        )
    ids = sorted(touched)
    for start in range(0, len(ids), 500):
        _write_surface_forms(conn, ids[start : start + 500])
    mark_entity_stats_fresh(conn)


def mark_entity_stats_fresh(conn: sqlite3.Connection) -> None:
    """Record that entity_stats match the store as it is now."""
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('entity_stats', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        (data_version(conn),),
    )


def entity_stats_fresh(conn: sqlite3.Connection) -> bool:
    """Whether entity_stats were counted for the store as it is now."""
    row = conn.execute("SELECT value FROM meta WHERE key='entity_stats'").fetchone()
    return row is not None and row[0] == data_version(conn)


# Entities whose entity_stats rows a write makes stale, noted by temporary (per-connection) triggers while
# :func:`track_touched_entities` is active: mentions added, removed, relinked or edited, and documents whose
# publication date changed.
_TRACKING = (
    "CREATE TEMP TABLE IF NOT EXISTS touched_entities(entity_id INTEGER PRIMARY KEY)",
    """CREATE TEMP TRIGGER IF NOT EXISTS touched_mention_insert AFTER INSERT ON main.mentions
       WHEN NEW.entity_id IS NOT NULL BEGIN INSERT OR IGNORE INTO touched_entities VALUES (NEW.entity_id); END""",
    """CREATE TEMP TRIGGER IF NOT EXISTS touched_mention_delete AFTER DELETE ON main.mentions
       WHEN OLD.entity_id IS NOT NULL BEGIN INSERT OR IGNORE INTO touched_entities VALUES (OLD.entity_id); END""",
    """CREATE TEMP TRIGGER IF NOT EXISTS touched_mention_update AFTER UPDATE OF entity_id, doc_id, text
       ON main.mentions BEGIN
         INSERT OR IGNORE INTO touched_entities SELECT OLD.entity_id WHERE OLD.entity_id IS NOT NULL;
         INSERT OR IGNORE INTO touched_entities SELECT NEW.entity_id WHERE NEW.entity_id IS NOT NULL;
       END""",
    """CREATE TEMP TRIGGER IF NOT EXISTS touched_document_published AFTER UPDATE OF published ON main.documents
       WHEN OLD.published IS NOT NEW.published BEGIN
         INSERT OR IGNORE INTO touched_entities
         SELECT DISTINCT entity_id FROM mentions WHERE doc_id=NEW.id AND entity_id IS NOT NULL;
       END""",
)
_UNTRACKING = (
    "DROP TRIGGER IF EXISTS temp.touched_mention_insert",
    "DROP TRIGGER IF EXISTS temp.touched_mention_delete",
    "DROP TRIGGER IF EXISTS temp.touched_mention_update",
    "DROP TRIGGER IF EXISTS temp.touched_document_published",
)


@contextmanager
def track_touched_entities(conn: sqlite3.Connection) -> Iterator[set[int] | None]:
    """Collect the ids of entities whose counts the writes inside the block change; the set is filled when
    the block ends. Only this connection's writes are seen. None on PostgreSQL, which has no per-connection
    triggers: the caller recounts every entity."""
    if is_postgres(conn):
        yield None
        return
    touched: set[int] = set()
    for sql in _TRACKING:
        conn.execute(sql)
    conn.execute("DELETE FROM temp.touched_entities")
    try:
        yield touched
        touched.update(int(r[0]) for r in conn.execute("SELECT entity_id FROM temp.touched_entities"))
    finally:
        for sql in _UNTRACKING:
            conn.execute(sql)
        conn.execute("DELETE FROM temp.touched_entities")


def ensure_entity_stats(conn: sqlite3.Connection) -> None:
    """Refresh the entity counts if mentions changed since they were computed (e.g. a store written by
    an older version, or by code that bypassed the ingest run)."""
    if entity_stats_fresh(conn):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        refresh_entity_stats(conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def list_entities(
    conn: sqlite3.Connection,
    *,
    q: str | None = None,
    kind: str | None = None,
    sort: str = "-mentions",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Row], int]:
    """Mentioned actors and places (merged-away entities excluded), with counts; and the total."""
    ensure_entity_stats(conn)
    w = Where(f"e.label IN ({_LABELS}) AND e.merged_into IS NULL")
    w.add(kind, "e.kind=?")
    w.add(
        q,
        "e.id IN (SELECT entity_id FROM aliases WHERE norm LIKE ? OR alias LIKE ?)",
        f"%{(q or '').lower()}%",
        f"%{q}%",
    )
    where, args = w.sql, w.args
    sql = f"""SELECT e.id, e.key, e.name, e.kind, e.label, e.description, e.country_code,
                     s.mentions, s.documents, s.last_seen
              FROM entity_stats s JOIN entities e ON e.id=s.entity_id
              WHERE {where} ORDER BY {_order(sort, ENTITY_ORDERS, "mentions DESC")}, e.name LIMIT ? OFFSET ?"""
    rows = [dict(r) for r in conn.execute(sql, [*args, limit, offset])]
    total = conn.execute(
        f"SELECT count(*) FROM entity_stats s JOIN entities e ON e.id=s.entity_id WHERE {where}", args
    ).fetchone()[0]
    return rows, int(total)


# Above this many documents, an entity's most recent documents are found by walking all documents newest
# first (it appears often, so the walk stops early); below it, by sorting its own documents.
FREQUENT = 500


def is_frequent(conn: sqlite3.Connection, entity_id: int) -> bool:
    """Mentioned in so many documents that walking the store newest first finds a page quickly."""
    row = conn.execute("SELECT documents FROM entity_stats WHERE entity_id=?", (entity_id,)).fetchone()
    return row is not None and int(row[0]) > FREQUENT


def walk_pays(conn: sqlite3.Connection, entity_id: int, n: int) -> bool:
    """Whether walking documents newest first finds ``n`` of the entity's D documents sooner than sorting all
    D: the walk reads about n x N / D documents of the store's N (more when the entity's documents bunch in an
    earlier period), the sort D. An actor in 600 of 50,000 documents took 103 ms to walk for its 300 latest."""
    row = conn.execute(
        "SELECT (SELECT documents FROM entity_stats WHERE entity_id=?), (SELECT max(rowid) FROM documents)",
        (entity_id,),
    ).fetchone()
    docs, store = int(row[0] or 0), int(row[1] or 0)
    return docs > FREQUENT and docs * docs > n * store


def recent_documents(conn: sqlite3.Connection, entity_id: int, n: int) -> list[str]:
    """Ids of the ``n`` most recently published documents that mention the entity."""
    if walk_pays(conn, entity_id, n):
        sql = """SELECT d.id FROM documents d INDEXED BY documents_published
                 WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.doc_id=d.id AND m.entity_id=?)
                 ORDER BY d.published DESC LIMIT ?"""
    else:
        sql = """SELECT d.id FROM documents d WHERE d.id IN (SELECT doc_id FROM mentions WHERE entity_id=?)
                 ORDER BY d.published DESC LIMIT ?"""
    return [r[0] for r in conn.execute(sql, (entity_id, n))]


CO_MENTION_DOCS = 300  # co-mentions are counted over an entity's most recent documents, this many


def co_mentioned(conn: sqlite3.Connection, entity_id: int, limit: int = 20) -> list[Row]:
    """People and organisations named in the same documents as the entity, most shared documents first,
    over its ``CO_MENTION_DOCS`` most recent documents. Each document counts its distinct entities once,
    read from the (doc_id, entity_id) index, so the cost is documents x entities, not mentions x mentions."""
    recent = recent_documents(conn, entity_id, CO_MENTION_DOCS)
    sql = f"""SELECT e.id, e.key, e.name, e.kind, c.documents
              FROM (SELECT entity_id, count(*) AS documents
                    FROM (SELECT DISTINCT doc_id, entity_id FROM mentions
                          WHERE doc_id IN ({",".join("?" * len(recent))}) AND entity_id IS NOT NULL AND entity_id != ?
                         ) AS pairs
                    GROUP BY entity_id) c
              JOIN entities e ON e.id=c.entity_id WHERE e.label IN ('PERSON','ORG','NORP')
              ORDER BY c.documents DESC, e.name LIMIT ?"""
    return [dict(r) for r in conn.execute(sql, (*recent, entity_id, limit))]


def entity_overview(conn: sqlite3.Connection, entity_id: int, limit: int = 20) -> Row:
    """Counts, spellings, first/last seen and co-mentioned actors of one entity, bounded for speed:
    co-mentions are counted over its ``CO_MENTION_DOCS`` most recent documents, and held between requests
    while no document mentioning it comes or goes (``co_mention_cache``)."""
    ensure_entity_stats(conn)
    stats = conn.execute(
        "SELECT mentions, documents, first_seen, last_seen, surface_forms FROM entity_stats WHERE entity_id=?",
        (entity_id,),
    ).fetchone()
    out: Row = {
        "mention_count": stats["mentions"] if stats else 0,
        "document_count": stats["documents"] if stats else 0,
        "seen": [stats["first_seen"], stats["last_seen"]] if stats else [None, None],
        "surface_forms": [{"text": t, "count": n} for t, n in json.loads(stats["surface_forms"])] if stats else [],
    }
    documents = int(stats["documents"]) if stats else 0
    out["co_mentioned"] = co_mentioned_held(
        conn, entity_id, limit, documents, lambda: co_mentioned(conn, entity_id, limit)
    )
    return out


def entity_mentions(conn: sqlite3.Connection, entity_id: int, limit: int = 20, offset: int = 0) -> list[Row]:
    """Mentions of an entity with their sentence-sized context, newest document first."""
    docs = recent_documents(conn, entity_id, limit + offset)  # each document holds at least one mention
    marks = ",".join("?" * len(docs))
    return [
        dict(r)
        for r in conn.execute(
            f"""SELECT m.id, m.doc_id, d.title, d.published, m.start, m.end, m.text, m.link_method, m.link_score,
                      max(0, m.start - 100) AS context_start,
                      substr(d.text, max(1, m.start - 99), m.end - m.start + 200) AS context
               FROM mentions m JOIN documents d ON d.id=m.doc_id WHERE m.entity_id=? AND m.doc_id IN ({marks})
               ORDER BY d.published DESC NULLS LAST, m.doc_id, m.start LIMIT ? OFFSET ?""",
            (entity_id, *docs, limit, offset),
        )
    ]


def list_documents(
    conn: sqlite3.Connection,
    *,
    q: str | None = None,
    status: str | None = None,
    entity_id: int | None = None,
    sort: str = "-published",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Row], int]:
    """Documents with their mention counts, and the total matching."""
    w = Where()
    w.add(status, "d.status=?")
    w.add(q, "(d.title LIKE ? OR d.publisher LIKE ? OR d.source LIKE ?)", *[f"%{q}%"] * 3)
    w.add(entity_id, "d.id IN (SELECT doc_id FROM mentions WHERE entity_id=?)")
    where, args = w.sql, w.args
    sql = f"""SELECT d.id, d.title, d.publisher, d.published, d.status, d.language, d.duplicate_of, d.word_count,
                     d.source, d.url, (SELECT count(*) FROM mentions m WHERE m.doc_id=d.id) AS mentions
              FROM documents d WHERE {where}
              ORDER BY {_order(sort, DOCUMENT_ORDERS, "d.published DESC NULLS LAST")}, d.id LIMIT ? OFFSET ?"""
    rows = [dict(r) for r in conn.execute(sql, [*args, limit, offset])]
    total = conn.execute(f"SELECT count(*) FROM documents d WHERE {where}", args).fetchone()[0]
    return rows, int(total)


def document_spans(conn: sqlite3.Connection, doc_id: str) -> Row:
    """Every extracted fact that points into one document, as character spans."""
    q = conn.execute
    events = []
    for r in q(
        """SELECT r.id AS report_id, r.event_id, r.trigger_start, r.trigger_end, r.trigger_text, e.event_type,
                  e.attack_type, e.date, e.place_text AS place, p.name AS perpetrator, r.killed, r.wounded
           FROM event_reports r JOIN events e ON e.id=r.event_id LEFT JOIN entities p ON p.id=e.perpetrator_entity_id
           WHERE r.doc_id=? ORDER BY r.trigger_start""",
        (doc_id,),
    ):
        row = dict(r)
        row["evidence"] = [
            {"start": s, "end": t}
            for s, t in q("SELECT start, end FROM event_evidence WHERE report_id=? ORDER BY start", (row["report_id"],))
        ]
        events.append(row)
    claims = [
        dict(r)
        for r in q(
            """SELECT c.id, c.start, c.end, c.evidence_start, c.evidence_end, c.kind, c.cue, c.probability_words,
                      c.horizon_text, coalesce(s.name, c.speaker_text) AS speaker, c.speaker_entity_id,
                      c.speaker_start, c.speaker_end
               FROM claims c LEFT JOIN entities s ON s.id=c.speaker_entity_id WHERE c.doc_id=? ORDER BY c.start""",
            (doc_id,),
        )
    ]
    relations = [
        dict(r)
        for r in q(
            """SELECT r.id, r.predicate, r.subject_entity_id, s.name AS subject, r.object_entity_id, o.name AS object,
                      r.negated, r.hedged, r.valid_from, r.valid_to, r.trigger_start, r.trigger_end,
                      r.evidence_start, r.evidence_end, r.modality, r.speaker_entity_id, sp.name AS speaker
               FROM relations r JOIN entities s ON s.id=r.subject_entity_id JOIN entities o ON o.id=r.object_entity_id
               LEFT JOIN entities sp ON sp.id=r.speaker_entity_id
               WHERE r.doc_id=? ORDER BY r.evidence_start""",
            (doc_id,),
        )
    ]
    for rel in relations:
        rel["negated"], rel["hedged"] = bool(rel["negated"]), bool(rel["hedged"])
        rel["label"] = modality_label(rel["modality"], rel["speaker"])
    return {"events": events, "claims": claims, "relations": relations}


def graph(
    conn: sqlite3.Connection,
    *,
    predicate: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kinds: list[str] | None = None,
    actor_id: int | None = None,
    min_sources: int = 1,
    include_negated: bool = False,
    limit: int = 300,
    modalities: tuple[str, ...] | None = FACTUAL,
) -> Row:
    """The actor network: one edge per (subject, predicate, object) with source counts; nodes for its ends.
    Only sentences stating the relation in one of ``modalities`` count (default asserted or reported:
    forecasts, claims, questions and conditionals make no edge); None counts them all."""
    ensure_entity_stats(conn)
    w = Where()
    w.add(predicate, "r.predicate=?")
    w.add(modalities, f"r.modality IN ({','.join('?' * len(modalities or ()))})", *(modalities or ()))
    w.window("d.published", since, until)
    marks = ",".join("?" * len(kinds or []))
    w.add(kinds, f"s.kind IN ({marks}) AND o.kind IN ({marks})", *(kinds or []), *(kinds or []))
    w.add(actor_id, "(r.subject_entity_id=? OR r.object_entity_id=?)", actor_id, actor_id)
    where, args = w.sql, w.args
    having = "count(DISTINCT r.doc_id) >= ?"
    if not include_negated:
        having += " AND sum(1 - r.negated) > 0"
    edges = [
        dict(r)
        for r in conn.execute(
            f"""SELECT r.subject_entity_id AS source, r.object_entity_id AS target, r.predicate,
                       count(DISTINCT r.doc_id) AS n_sources, sum(r.negated) AS n_negated,
                       sum(1 - r.negated) AS n_asserted, sum(r.hedged) AS n_hedged,
                       min(d.published) AS first_seen, max(d.published) AS last_seen
                FROM relations r JOIN documents d ON d.id=r.doc_id
                JOIN entities s ON s.id=r.subject_entity_id JOIN entities o ON o.id=r.object_entity_id
                WHERE {where} GROUP BY r.subject_entity_id, r.predicate, r.object_entity_id HAVING {having}
                ORDER BY n_sources DESC, last_seen DESC LIMIT ?""",
            [*args, min_sources, limit],
        )
    ]
    for edge in edges:
        edge["contradicted"] = bool(edge["n_negated"]) and bool(edge["n_asserted"])
    ids = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
    nodes: list[Row] = []
    if ids:
        marks = ",".join("?" * len(ids))
        nodes = [
            dict(r)
            for r in conn.execute(
                f"""SELECT e.id, e.key, e.name, e.kind, e.country_code, coalesce(s.mentions, 0) AS mentions
                    FROM entities e LEFT JOIN entity_stats s ON s.entity_id=e.id
                    WHERE e.id IN ({marks}) ORDER BY e.name""",
                ids,
            )
        ]
    return {"nodes": nodes, "edges": edges}


def event_points(
    conn: sqlite3.Connection,
    *,
    actor_id: int | None = None,
    event_type: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    include_background: bool = False,
    limit: int = 5000,
) -> list[Row]:
    """Light event rows (no sources) for the timeline and the map, oldest first.

    ``country_numeric`` (ISO 3166-1 numeric, the id of the bundled map outlines) lets the map place an
    event whose town has no coordinates at its country, marked as approximate."""
    w = Where("e.date IS NOT NULL" if include_background else "e.date IS NOT NULL AND e.is_background=0")
    w.add(actor_id, "e.perpetrator_entity_id=?")
    w.add(event_type, "(e.event_type=? OR e.attack_type=?)", event_type, event_type)
    w.add(country, "e.country=?", (country or "").upper())
    w.window("e.date", since, until)
    where, args = w.sql, w.args
    rows = [
        dict(r)
        for r in conn.execute(
            f"""SELECT e.id, e.event_type, e.attack_type, e.date, e.date_precision, e.place_text AS place, e.country,
                       pe.latitude, pe.longitude, p.id AS perpetrator_id, p.name AS perpetrator,
                       p.key AS perpetrator_key,
                       e.perpetrator_status, e.killed, e.killed_low, e.killed_high, e.wounded, e.target_type,
                       (SELECT count(DISTINCT doc_id) FROM event_reports r WHERE r.event_id=e.id) AS n_sources
                FROM events e LEFT JOIN entities p ON p.id=e.perpetrator_entity_id
                LEFT JOIN entities pe ON pe.id=e.place_entity_id
                WHERE {where} ORDER BY e.date, e.id LIMIT ?""",
            [*args, limit],
        )
    ]
    for row in rows:
        row["country_numeric"] = _numeric(row["country"]) if row["country"] else None
    return rows


@cache
def _numeric(alpha2: str) -> str | None:
    import pycountry  # 25 ms to import: only when a country name is shown

    found = pycountry.countries.get(alpha_2=alpha2.upper())
    return str(found.numeric) if found else None


_DASHBOARD: dict[tuple[Any, ...], Row] = {}


def dashboard(conn: sqlite3.Connection) -> Row:
    """:func:`dashboard_figures`, recomputed only when documents, mentions, events or corrections changed."""
    key = (connection_path(conn), data_version(conn))
    if key not in _DASHBOARD:
        _DASHBOARD.clear()
        _DASHBOARD[key] = dashboard_figures(conn)
    return _DASHBOARD[key]


def dashboard_figures(conn: sqlite3.Connection) -> Row:
    """Figures for the landing page: events per month and type, most active actors in the latest 90 days.

    The CROSS JOIN keeps SQLite from starting at the entities: the 90-day window of documents is small."""
    q = conn.execute
    latest = q("SELECT max(published) FROM documents WHERE status='analysed'").fetchone()[0]
    by_month = [
        {"month": r[0], "events": r[1], "killed": r[2]}
        for r in q(
            """SELECT substr(date, 1, 7) AS month, count(*), sum(coalesce(killed, killed_low, 0)) FROM events
               WHERE is_background=0 AND length(date) >= 7 GROUP BY month ORDER BY month"""
        )
    ]
    by_type = [
        {"type": r[0], "events": r[1]}
        for r in q(
            """SELECT coalesce(attack_type, event_type), count(*) FROM events WHERE is_background=0
               GROUP BY 1 ORDER BY 2 DESC"""
        )
    ]
    active = [
        dict(r)
        for r in q(
            f"""SELECT e.id, e.key, e.name, e.kind, count(*) AS mentions, count(DISTINCT m.doc_id) AS documents
                FROM documents d CROSS JOIN mentions m ON m.doc_id=d.id JOIN entities e ON e.id=m.entity_id
                WHERE e.kind NOT IN ('place', 'country') AND e.label IN ({_LABELS})
                  AND d.published >= date(?, '-90 days')
                GROUP BY e.id ORDER BY documents DESC, mentions DESC LIMIT 12""",
            (latest or "9999-12-31",),
        )
    ]
    return {"latest_published": latest, "events_by_month": by_month, "events_by_type": by_type, "active": active}
