"""Watchlists in SQLite: watched actors and saved searches, "last seen" marks, and what is new since a mark.

A fact is as new as the document it came from: ``documents.ingested_at`` (UTC, whole seconds) is when it
entered the store. A :class:`Mark` is a high-water ingest time plus the documents ingested in that very
second that were already shown, so nothing stored in the same second is lost or shown twice.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from watchfloor.errors import UserError
from watchfloor.store.location import is_postgres
from watchfloor.store.sqlite_claims import list_claims
from watchfloor.store.sqlite_events import list_events
from watchfloor.store.sqlite_relations import modality_label

Row = dict[str, Any]
KINDS = ("documents", "events", "claims", "relations")


def now_stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Mark:
    """A point in ingest time: documents ingested after ``upto`` are new (at ``upto`` too when
    ``inclusive``, except ``ids``); ``upto`` None means everything is new."""

    upto: str | None = None
    ids: tuple[str, ...] = ()
    inclusive: bool = False

    def after(self, alias: str) -> tuple[str, list[Any]]:
        """SQL (and its arguments) true for a document ``alias`` ingested after the mark."""
        if self.upto is None:
            return "1=1", []
        col = f"{alias}.ingested_at"
        if self.inclusive:
            return f"{col} >= ?", [self.upto]
        if not self.ids:
            return f"{col} > ?", [self.upto]
        marks = ",".join("?" * len(self.ids))
        # The leading range keeps it an index range on documents_ingested.
        return f"({col} >= ? AND ({col} > ? OR {alias}.id NOT IN ({marks})))", [self.upto, self.upto, *self.ids]

    def to_row(self) -> Row:
        return {"upto": self.upto, "ids": list(self.ids), "inclusive": self.inclusive}


def high_water(conn: sqlite3.Connection) -> Mark:
    """Everything stored so far: the latest ingest time and the documents ingested in that second."""
    upto = conn.execute("SELECT max(ingested_at) FROM documents").fetchone()[0]
    if upto is None:
        return Mark()
    ids = tuple(r[0] for r in conn.execute("SELECT id FROM documents WHERE ingested_at=? ORDER BY id", (upto,)))
    return Mark(upto, ids)


def _mark(upto: str | None, ids: str | None) -> Mark | None:
    return None if upto is None else Mark(upto, tuple(json.loads(ids or "[]")))


# -- watchlists and items ------------------------------------------------------------------------------------
def watchlist_id(conn: sqlite3.Connection, name: str, create: bool = False) -> int | None:
    row = conn.execute("SELECT id FROM watchlists WHERE name=?", (name,)).fetchone()
    if row is not None:
        return int(row[0])
    if not create:
        return None
    return int(
        conn.execute("INSERT INTO watchlists(name, created_at) VALUES (?, ?)", (name, now_stamp())).lastrowid or 0
    )


def seen_mark(conn: sqlite3.Connection, list_id: int) -> Mark | None:
    """The list's "last seen" mark; None when `news` never marked it."""
    row = conn.execute("SELECT seen_upto, seen_ids FROM watchlists WHERE id=?", (list_id,)).fetchone()
    return None if row is None else _mark(row[0], row[1])


def set_seen(conn: sqlite3.Connection, list_id: int, mark: Mark) -> None:
    conn.execute(
        "UPDATE watchlists SET seen_upto=?, seen_ids=?, seen_at=? WHERE id=?",
        (mark.upto, json.dumps(list(mark.ids)), now_stamp(), list_id),
    )


def add_item(
    conn: sqlite3.Connection,
    list_name: str,
    label: str,
    *,
    entity_key: str | None = None,
    query: str | None = None,
    alert_jsonl: str | None = None,
    alert_command: str | None = None,
) -> tuple[int, bool]:
    """Watch an entity (by key) or a saved search; an item already watched keeps its id and gets the alert
    hooks given. A new hook's mark starts at what is stored now (it alerts on what comes next). Returns
    (item id, whether it was added)."""
    list_id = watchlist_id(conn, list_name, create=True)
    kind = "entity" if entity_key is not None else "search"
    column, value = ("entity_key", entity_key) if kind == "entity" else ("query", query)
    row = conn.execute(
        f"SELECT id FROM watch_items WHERE watchlist_id=? AND kind=? AND {column}=?", (list_id, kind, value)
    ).fetchone()
    added = row is None
    if row is None:
        item_id = int(
            conn.execute(
                """INSERT INTO watch_items(watchlist_id, kind, entity_key, query, label, created_at)
                   VALUES (?,?,?,?,?,?)""",
                (list_id, kind, entity_key, query, label, now_stamp()),
            ).lastrowid
            or 0
        )
    else:
        item_id = int(row[0])
    if alert_jsonl is not None or alert_command is not None:
        mark = high_water(conn)
        conn.execute(
            """UPDATE watch_items SET alert_jsonl=coalesce(?, alert_jsonl), alert_command=coalesce(?, alert_command),
                   alert_upto=?, alert_ids=? WHERE id=?""",
            (alert_jsonl, alert_command, mark.upto or "", json.dumps(list(mark.ids)), item_id),
        )
    return item_id, added


ITEM_COLUMNS = """i.id, w.name AS watchlist, i.kind, i.entity_key, i.query, i.label, i.alert_jsonl, i.alert_command,
    i.alert_upto, i.alert_ids, i.created_at, w.seen_upto, w.seen_at"""


def list_items(conn: sqlite3.Connection, list_name: str | None = None, item_id: int | None = None) -> list[Row]:
    """Watched items (of one list, or all), oldest first, each with the entity it resolves to now."""
    sql = f"SELECT {ITEM_COLUMNS} FROM watch_items i JOIN watchlists w ON w.id=i.watchlist_id WHERE 1=1"
    args: list[Any] = []
    if list_name is not None:
        sql += " AND w.name=?"
        args.append(list_name)
    if item_id is not None:
        sql += " AND i.id=?"
        args.append(item_id)
    rows = [dict(r) for r in conn.execute(sql + " ORDER BY w.name, i.id", args)]
    for row in rows:
        row["entity"] = resolve_key(conn, row["entity_key"]) if row["entity_key"] else None
        row["alert_ids"] = json.loads(row["alert_ids"] or "[]")
    return rows


def watchlists(conn: sqlite3.Connection) -> list[Row]:
    return [
        dict(r)
        for r in conn.execute(
            """SELECT w.id, w.name, w.seen_upto, w.seen_at, w.created_at, count(i.id) AS items
               FROM watchlists w LEFT JOIN watch_items i ON i.watchlist_id=w.id GROUP BY w.id ORDER BY w.name"""
        )
    ]


def remove_item(conn: sqlite3.Connection, item_id: int) -> bool:
    return conn.execute("DELETE FROM watch_items WHERE id=?", (item_id,)).rowcount > 0


def set_alert_mark(conn: sqlite3.Connection, item_id: int, mark: Mark) -> None:
    conn.execute(
        "UPDATE watch_items SET alert_upto=?, alert_ids=? WHERE id=?",
        (mark.upto or "", json.dumps(list(mark.ids)), item_id),
    )


def alert_mark(item: Row) -> Mark:
    """The alert hook's mark ('' when the store was empty as the hook was set: everything is new)."""
    return Mark(item["alert_upto"] or None, tuple(item["alert_ids"]))


def resolve_key(conn: sqlite3.Connection, key: str) -> Row | None:
    """The entity a stored key names now (following merges), as id, key, name and kind; None if it is gone."""
    row = conn.execute("SELECT id, key, name, kind, merged_into FROM entities WHERE key=?", (key,)).fetchone()
    seen: set[int] = set()
    while row is not None and row["merged_into"] is not None and row["id"] not in seen:
        seen.add(row["id"])
        row = conn.execute(
            "SELECT id, key, name, kind, merged_into FROM entities WHERE id=?", (row["merged_into"],)
        ).fetchone()
    return None if row is None else {k: row[k] for k in ("id", "key", "name", "kind")}


# -- what is new ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    """What a watched item covers: an entity (by id) or a full-text query (FTS5 syntax, already checked)."""

    entity_id: int | None = None
    fts: str | None = None
    postgres: bool = False  # full-text search by tsvector (watchfloor.store.postgres) rather than FTS5

    def docs(self, alias: str, whole: bool = False) -> tuple[str, list[Any]]:
        """Documents of the scope: mentioning the entity, or matching the query. ``whole``: all of them are
        read (no mark), so start from the entity's mentions rather than probe every document."""
        if self.entity_id is not None and whole:
            return f"{alias}.id IN (SELECT doc_id FROM mentions WHERE entity_id=?)", [self.entity_id]
        if self.entity_id is not None:
            return (f"EXISTS (SELECT 1 FROM mentions m WHERE m.doc_id={alias}.id AND m.entity_id=?)",
                    [self.entity_id])  # fmt: skip
        return self._fts(alias)

    def _fts(self, alias: str) -> tuple[str, list[Any]]:
        if self.postgres:
            from watchfloor.store.postgres import FTS_VECTOR, ts_query

            vector = FTS_VECTOR.replace("d.", f"{alias}.")
            return f"{vector} @@ to_tsquery('english', ?)", [ts_query(self.fts or "")]
        return f"{alias}.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)", [self.fts]

    def events(self, report: str, doc: str) -> tuple[str, list[Any]]:
        """Event reports of the scope: its perpetrator, or the entity named in their evidence."""
        if self.entity_id is None:
            return self._fts(doc)
        e = self.entity_id
        return (
            f"""({report}.perpetrator_entity_id=?
                 OR EXISTS (SELECT 1 FROM events e2 WHERE e2.id={report}.event_id AND e2.perpetrator_entity_id=?)
                 OR EXISTS (SELECT 1 FROM event_evidence v WHERE v.report_id={report}.id AND EXISTS (
                            SELECT 1 FROM mentions m INDEXED BY mentions_doc_entity WHERE m.doc_id=v.doc_id
                            AND m.entity_id=? AND m.start>=v.start AND m.end<=v.end)))""",
            [e, e, e],
        )

    def entity_events(self) -> tuple[str, list[Any]]:
        """Every event the entity is involved in (perpetrator, or named in some report's evidence), from the
        indexes: for reading without a mark."""
        return (
            """SELECT id FROM events WHERE perpetrator_entity_id=?
               UNION SELECT r.event_id FROM mentions m JOIN event_evidence v ON v.doc_id=m.doc_id
                     AND m.start>=v.start AND m.end<=v.end JOIN event_reports r ON r.id=v.report_id
               WHERE m.entity_id=?""",
            [self.entity_id, self.entity_id],
        )

    def claims(self, claim: str, doc: str, whole: bool = False) -> tuple[str, list[Any]]:
        if self.entity_id is None:
            return self._fts(doc)
        if whole:  # every claim of the entity: from the speaker and about indexes
            sql = f"""{claim}.id IN (SELECT id FROM claims WHERE speaker_entity_id=?
                      UNION SELECT claim_id FROM claim_about WHERE entity_id=?)"""
            return sql, [self.entity_id, self.entity_id]
        return (f"""({claim}.speaker_entity_id=? OR EXISTS (SELECT 1 FROM claim_about a
                     WHERE a.claim_id={claim}.id AND a.entity_id=?))""", [self.entity_id, self.entity_id])  # fmt: skip

    def relations(self, rel: str, doc: str) -> tuple[str, list[Any]]:
        if self.entity_id is None:
            return self._fts(doc)
        return f"({rel}.subject_entity_id=? OR {rel}.object_entity_id=?)", [self.entity_id, self.entity_id]


def _matching(conn: sqlite3.Connection, fts: str, texts: dict[int, str]) -> set[int]:
    """Which of the texts (evidence sentences by id) a saved search matches, with the tokenizer of the
    documents' index (a scratch FTS5 table in the connection's temp schema; PostgreSQL: ``to_tsvector``)."""
    if is_postgres(conn):
        from watchfloor.store.postgres import ts_query

        rows = conn.execute(
            """SELECT t.id FROM unnest(CAST(? AS bigint[]), CAST(? AS text[])) AS t(id, body)
               WHERE to_tsvector('english', t.body) @@ to_tsquery('english', ?)""",
            (list(texts), list(texts.values()), ts_query(fts)),
        )
        return {int(r[0]) for r in rows}
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.watch_match USING fts5(body, tokenize='porter unicode61')")
    conn.execute("DELETE FROM temp.watch_match")
    conn.executemany("INSERT INTO temp.watch_match(rowid, body) VALUES (?, ?)", texts.items())
    found = {int(r[0]) for r in conn.execute("SELECT rowid FROM temp.watch_match WHERE watch_match MATCH ?", (fts,))}
    conn.execute("DELETE FROM temp.watch_match")
    return found


def _new_flag(seen: Mark | None, alias: str) -> tuple[str, list[Any]]:
    """SQL 1/0: is the document ``alias`` newer than the seen mark (everything is, without one)."""
    if seen is None:
        return "1", []
    sql, args = seen.after(alias)
    return f"(CASE WHEN {sql} THEN 1 ELSE 0 END)", args


def new_documents(
    conn: sqlite3.Connection, scope: Scope, after: Mark | None, seen: Mark | None, limit: int
) -> tuple[list[Row], int]:
    """Analysed documents of the scope ingested after ``after`` (all with None), newest ingest first."""
    where, wargs = (after or Mark()).after("d")
    inside, iargs = scope.docs("d", whole=after is None)
    flag, fargs = _new_flag(seen, "d")
    sql = f"""SELECT d.id, d.title, d.published, d.publisher, d.ingested_at, {flag} AS new FROM documents d
              WHERE +d.status='analysed' AND {where} AND {inside} ORDER BY d.ingested_at DESC, d.id"""
    rows = [dict(r) for r in conn.execute(sql, [*fargs, *wargs, *iargs])]
    for row in rows:
        row["new"] = bool(row["new"])
    return rows[:limit], len(rows)


def new_events(
    conn: sqlite3.Connection, scope: Scope, after: Mark | None, seen: Mark | None, limit: int, sources: int = 3
) -> tuple[list[Row], int]:
    """Events (not background) with a report of the scope ingested after ``after``, latest report first (for a
    saved search, a report in a matching document whose evidence matches).
    ``new``: every report came after the seen mark; ``new_source``: an older event with a new report."""
    where, wargs = (after or Mark()).after("d2")
    inside, iargs = scope.events("r2", "d2")
    flag, fargs = _new_flag(seen, "d")
    if after is None and scope.entity_id is not None:
        candidates, cargs = scope.entity_events()
    else:  # from the new reports (few, by the ingest-time index), each checked against the scope
        candidates = f"""SELECT r2.event_id FROM event_reports r2 JOIN documents d2 ON d2.id=r2.doc_id
                         WHERE {where} AND {inside}"""
        cargs = [*wargs, *iargs]
    sql = f"""SELECT e.id, min({flag}) AS all_new, max({flag}) AS any_new, max(d.ingested_at) AS ingested_at
              FROM events e JOIN event_reports r ON r.event_id=e.id JOIN documents d ON d.id=r.doc_id
              WHERE e.is_background=0 AND e.id IN ({candidates})
              GROUP BY e.id ORDER BY ingested_at DESC, e.id DESC"""
    found = conn.execute(sql, [*fargs, *fargs, *cargs]).fetchall()
    if scope.fts is not None:  # a saved search: events whose evidence in a matching document matches it
        texts = conn.execute(
            f"""SELECT r2.event_id, group_concat(substr(d2.text, v.start + 1, v.end - v.start), ' ')
                FROM event_reports r2 JOIN documents d2 ON d2.id=r2.doc_id JOIN event_evidence v ON v.report_id=r2.id
                WHERE {where} AND {inside} GROUP BY r2.event_id""",
            [*wargs, *iargs],
        )
        keep = _matching(conn, scope.fts, {int(i): t for i, t in texts})
        found = [row for row in found if int(row[0]) in keep]
    rows: list[Row] = []
    for event_id, all_new, any_new, ingested in found[:limit]:
        detail = list_events(conn, event_id=int(event_id), include_background=True, max_sources=sources)
        if detail:
            rows.append({**detail[0], "new": bool(all_new), "new_source": bool(any_new and not all_new),
                         "ingested_at": ingested})  # fmt: skip
    return rows, len(found)


def new_claims(
    conn: sqlite3.Connection, scope: Scope, after: Mark | None, seen: Mark | None, limit: int
) -> tuple[list[Row], int]:
    """Claims of the scope (by or about the entity; for a search, whose sentence matches) stored after ``after``."""
    where, wargs = (after or Mark()).after("d")
    inside, iargs = scope.claims("c", "d", whole=after is None)
    flag, fargs = _new_flag(seen, "d")
    sql = f"""SELECT c.id, {flag} AS new, d.ingested_at,
                     substr(d.text, c.evidence_start + 1, c.evidence_end - c.evidence_start) AS evidence
              FROM claims c JOIN documents d ON d.id=c.doc_id
              WHERE {where} AND {inside} ORDER BY d.ingested_at DESC, c.id DESC"""
    found = conn.execute(sql, [*fargs, *wargs, *iargs]).fetchall()
    if scope.fts is not None:  # a saved search: claims whose sentence matches it
        keep = _matching(conn, scope.fts, {int(r[0]): r[3] for r in found})
        found = [r for r in found if int(r[0]) in keep]
    rows: list[Row] = []
    for claim_id, new, ingested, _evidence in found[:limit]:
        detail = list_claims(conn, claim_id=int(claim_id), stance_ids=20)
        if detail:
            rows.append({**detail[0], "new": bool(new), "ingested_at": ingested})
    return rows, len(found)


def new_relations(
    conn: sqlite3.Connection, scope: Scope, after: Mark | None, seen: Mark | None, limit: int
) -> tuple[list[Row], int]:
    """Sentences stating a relation of the scope stored after ``after``, each with its evidence and
    ``first_statement``: no document stored before the seen mark states that (subject, predicate, object)."""
    where, wargs = (after or Mark()).after("d")
    inside, iargs = scope.relations("r", "d")
    flag, fargs = _new_flag(seen, "d")
    older, oargs = seen.after("d0") if seen is not None else ("1=1", [])  # without a mark nothing is older
    sql = f"""SELECT r.id AS relation_id, r.doc_id, d.title, d.published, d.ingested_at, {flag} AS new,
                     r.subject_entity_id, s.name AS subject, r.predicate, r.object_entity_id, o.name AS object,
                     r.negated, r.hedged, r.modality, sp.name AS speaker, r.evidence_start AS start,
                     r.evidence_end AS end, substr(d.text, r.evidence_start + 1, r.evidence_end - r.evidence_start)
                     AS text,
                     NOT EXISTS (SELECT 1 FROM relations r0 JOIN documents d0 ON d0.id=r0.doc_id
                                 WHERE r0.subject_entity_id=r.subject_entity_id AND r0.predicate=r.predicate
                                 AND r0.object_entity_id=r.object_entity_id AND NOT {older}) AS first_statement
              FROM relations r JOIN documents d ON d.id=r.doc_id JOIN entities s ON s.id=r.subject_entity_id
              JOIN entities o ON o.id=r.object_entity_id LEFT JOIN entities sp ON sp.id=r.speaker_entity_id
              WHERE {where} AND {inside} ORDER BY d.ingested_at DESC, r.id DESC"""
    rows = [dict(r) for r in conn.execute(sql, [*fargs, *oargs, *wargs, *iargs])]
    if scope.fts is not None:  # a saved search: relations whose sentence matches it
        keep = _matching(conn, scope.fts, {int(r["relation_id"]): r["text"] for r in rows})
        rows = [r for r in rows if int(r["relation_id"]) in keep]
    for row in rows:
        for key in ("new", "negated", "hedged", "first_statement"):
            row[key] = bool(row[key])
        row["label"] = modality_label(row["modality"], row["speaker"])
    return rows[:limit], len(rows)


def new_facts(conn: sqlite3.Connection, scope: Scope, after: Mark | None, seen: Mark | None, limit: int) -> Row:
    """Documents, events, claims and relations of one watched item (``limit`` of each; ``counts`` are all)."""
    try:
        parts = {
            "documents": new_documents(conn, scope, after, seen, limit),
            "events": new_events(conn, scope, after, seen, limit),
            "claims": new_claims(conn, scope, after, seen, limit),
            "relations": new_relations(conn, scope, after, seen, limit),
        }
    except sqlite3.OperationalError as exc:  # a saved search the FTS5 parser refuses
        raise UserError(f"cannot run the saved search {scope.fts!r}: {exc}") from exc
    out: Row = {kind: rows for kind, (rows, _n) in parts.items()}
    out["counts"] = {kind: n for kind, (_rows, n) in parts.items()}
    return out
