"""Analyst corrections: record them, and (re-)apply all of them idempotently.

A correction names what it changes by stable keys (entity keys, document id + character span), never by
row ids, because a re-run may delete and re-insert rows. :func:`apply_corrections` runs after every write
endpoint and at the end of every ingest run, so corrections survive re-runs.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, date, datetime
from typing import Any

from watchfloor.errors import NotFound, UserError
from watchfloor.link.normalize import norm_name
from watchfloor.store.base import Row
from watchfloor.store.sqlite_browse import data_version

ACTIONS = ("add_alias", "remove_alias", "merge", "split", "reject", "set_event")
REJECTABLE = ("mention", "relation", "claim", "event")


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL helpers the corrections need (name normalisation shared with the linker)."""
    conn.create_function("wf_norm", 1, lambda s: norm_name(s) if isinstance(s, str) else None, deterministic=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _entity_by_key(conn: sqlite3.Connection, key: str | None) -> int | None:
    if not key:
        return None
    row = conn.execute("SELECT id FROM entities WHERE key=?", (key,)).fetchone()
    return int(row[0]) if row else None


def _key_of(conn: sqlite3.Connection, entity_id: int) -> str:
    row = conn.execute("SELECT key FROM entities WHERE id=?", (entity_id,)).fetchone()
    if row is None:
        raise NotFound(f"no entity with id {entity_id}")
    return str(row[0])


def _insert(conn: sqlite3.Connection, action: str, author: str, note: str | None, **fields: Any) -> int:
    cols = ["action", "author", "note", "created_at", *fields]
    values = [action, author, note, _now(), *fields.values()]
    cur = conn.execute(f"INSERT INTO corrections({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", values)
    return int(cur.lastrowid or 0)


# -- recording (validate, store, apply) ------------------------------------------------------------------
def add_alias(conn: sqlite3.Connection, entity_id: int, alias: str, author: str, note: str | None = None) -> int:
    """The analyst says ``alias`` names this entity."""
    alias = alias.strip()
    if not norm_name(alias):
        raise UserError("an alias needs at least one letter or digit")
    return _insert(conn, "add_alias", author, note, entity_key=_key_of(conn, entity_id), value=alias)


def remove_alias(conn: sqlite3.Connection, entity_id: int, alias: str, author: str, note: str | None = None) -> int:
    """The analyst says ``alias`` does not name this entity: the alias and its links go."""
    norm = norm_name(alias)
    known = conn.execute("SELECT 1 FROM aliases WHERE entity_id=? AND norm=?", (entity_id, norm)).fetchone()
    if known is None:
        raise UserError(f"{alias!r} is not an alias of entity {entity_id}")
    return _insert(conn, "remove_alias", author, note, entity_key=_key_of(conn, entity_id), value=alias)


def merge(conn: sqlite3.Connection, keep_id: int, gone_id: int, author: str, note: str | None = None) -> int:
    """The analyst says two entities are one: everything of ``gone_id`` moves to ``keep_id``."""
    if keep_id == gone_id:
        raise UserError("cannot merge an entity into itself")
    return _insert(conn, "merge", author, note, entity_key=_key_of(conn, keep_id), other_key=_key_of(conn, gone_id))


def split(
    conn: sqlite3.Connection, entity_id: int, name: str, aliases: list[str], author: str, note: str | None = None
) -> tuple[int, str]:
    """The analyst says some aliases of an entity name someone else: they move to a new entity ``name``."""
    norms = {norm_name(a) for a in [name, *aliases]} - {""}
    if not norms:
        raise UserError("a split needs the new entity's name")
    slug = re.sub(r"[^a-z0-9]+", "-", norm_name(name)).strip("-") or "entity"
    key = f"analyst:{slug}"
    n = 1
    while _entity_by_key(conn, key) is not None:
        n += 1
        key = f"analyst:{slug}-{n}"
    payload = json.dumps({"name": name.strip(), "aliases": sorted({a.strip() for a in aliases if a.strip()})})
    cid = _insert(conn, "split", author, note, entity_key=_key_of(conn, entity_id), other_key=key, value=payload)
    return cid, key


def reject(conn: sqlite3.Connection, kind: str, row_id: int, author: str, note: str | None = None) -> list[int]:
    """The analyst says an extraction is wrong; it is recorded by where it points, then removed."""
    if kind == "mention":
        row = conn.execute("SELECT doc_id, start, end, text FROM mentions WHERE id=?", (row_id,)).fetchone()
        targets = [("mention", row, {"text": row["text"]} if row else {})]
    elif kind == "claim":
        row = conn.execute("SELECT doc_id, start, end, text, kind FROM claims WHERE id=?", (row_id,)).fetchone()
        targets = [("claim", row, {"text": row["text"], "kind": row["kind"]} if row else {})]
    elif kind == "relation":
        row = conn.execute(
            """SELECT r.doc_id, r.trigger_start AS start, r.trigger_end AS end, r.predicate, s.key AS subject,
                      o.key AS object FROM relations r JOIN entities s ON s.id=r.subject_entity_id
                      JOIN entities o ON o.id=r.object_entity_id WHERE r.id=?""",
            (row_id,),
        ).fetchone()
        targets = [("relation", row, dict(row) if row else {})]
    elif kind == "event":
        rows = conn.execute(
            """SELECT doc_id, trigger_start AS start, trigger_end AS end, trigger_text FROM event_reports
               WHERE event_id=?""",
            (row_id,),
        ).fetchall()
        targets = [("event_report", r, {"event_id": row_id, "trigger": r["trigger_text"]}) for r in rows] or [
            ("event_report", None, {})
        ]
    else:
        raise UserError(f"cannot reject a {kind!r}; choose one of {', '.join(REJECTABLE)}")
    ids = []
    for target_kind, row, what in targets:
        if row is None:
            raise NotFound(f"no {kind} with id {row_id}")
        ids.append(
            _insert(
                conn,
                "reject",
                author,
                note,
                target_kind=target_kind,
                doc_id=row["doc_id"],
                start=row["start"],
                end=row["end"],
                value=json.dumps(what, sort_keys=True),
            )
        )
    return ids


def set_event(
    conn: sqlite3.Connection,
    event_id: int,
    author: str,
    note: str | None = None,
    **fields: Any,
) -> list[int]:
    """The analyst fills in or corrects an event: ``date`` (YYYY, YYYY-MM or YYYY-MM-DD), ``place_id`` (a place
    entity) or ``place_text`` (a place by name), ``perpetrator_id``, ``killed``, ``wounded``. Recorded against
    each report of the event (document + trigger span), like a rejection, so it survives re-runs."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise UserError(f"cannot set {', '.join(sorted(unknown))} on an event; choose from {', '.join(EVENT_FIELDS)}")
    reports = conn.execute(
        """SELECT r.doc_id, r.trigger_start AS start, r.trigger_end AS end, d.published FROM event_reports r
           JOIN documents d ON d.id=r.doc_id WHERE r.event_id=? ORDER BY r.id""",
        (event_id,),
    ).fetchall()
    if not reports:
        raise NotFound(f"no event with id {event_id}")
    what = _event_fields(conn, fields, [r["published"] for r in reports if r["published"]])
    if not what:
        raise UserError("nothing to set: give a date, place, perpetrator, killed or wounded")
    value = json.dumps(what, sort_keys=True)
    fields_at = [{"target_kind": "event_report", "doc_id": r["doc_id"], "start": r["start"], "end": r["end"]}
                 for r in reports]  # fmt: skip
    return [_insert(conn, "set_event", author, note, **where, value=value) for where in fields_at]


EVENT_FIELDS = ("date", "place_id", "place_text", "perpetrator_id", "killed", "wounded")
_PRECISION = {4: "year", 7: "month", 10: "day"}


def _event_fields(conn: sqlite3.Connection, fields: dict[str, Any], published: list[str]) -> dict[str, Any]:
    """The stored form of :func:`set_event`'s fields (entities by key), validated."""
    what: dict[str, Any] = {}
    day = fields.get("date")
    if day is not None:
        day = str(day).strip()
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", day) or not _valid_date(day):
            raise UserError(f"{day!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")
        today = date.today().isoformat()
        if day > today[: len(day)]:
            raise UserError(f"{day} is in the future; an event cannot be dated after today")
        first = min(published, default=None)
        if first is not None and day > first[: len(day)]:
            raise UserError(f"{day} is after {first}, when the event's first source was published")
        what.update(date=day, date_precision=_PRECISION[len(day)])
    if fields.get("place_id") is not None:
        what["place_key"] = _key_of(conn, int(fields["place_id"]))
    elif fields.get("place_text") is not None and str(fields["place_text"]).strip():
        what["place_text"] = str(fields["place_text"]).strip()
    if fields.get("perpetrator_id") is not None:
        what["perpetrator_key"] = _key_of(conn, int(fields["perpetrator_id"]))
    for toll in ("killed", "wounded"):
        if fields.get(toll) is not None:
            n = int(fields[toll])
            if not 0 <= n <= 10_000_000:
                raise UserError(f"{toll} must be a number from 0 to 10,000,000")
            what[toll] = n
    return what


def _valid_date(text: str) -> bool:
    try:
        date.fromisoformat((text + "-01-01")[:10])
    except ValueError:
        return False
    return True


def list_corrections(conn: sqlite3.Connection, limit: int = 100, offset: int = 0) -> list[Row]:
    rows = []
    for r in conn.execute("SELECT * FROM corrections ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)):
        row = dict(r)
        if row["value"] and row["action"] in ("split", "reject", "set_event"):
            row["value"] = json.loads(row["value"])
        rows.append(row)
    return rows


def count_corrections(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM corrections").fetchone()[0])


# -- applying -------------------------------------------------------------------------------------------
def apply_corrections(conn: sqlite3.Connection, after: int | None = None) -> dict[str, int]:
    """Re-apply every stored correction in the order made (only those with id > ``after`` when given);
    returns rows changed per action.

    Idempotent: applying twice changes nothing the second time. Call inside a transaction.
    """
    changed = dict.fromkeys(ACTIONS, 0)
    for c in conn.execute("SELECT * FROM corrections WHERE id > ? ORDER BY id", (after or 0,)).fetchall():
        changed[c["action"]] += _APPLY[c["action"]](conn, c)
    return changed


def last_correction(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM corrections").fetchone()[0])


def _state(conn: sqlite3.Connection) -> str:
    """Changes when documents or extracted rows are added or re-extracted, or a correction is made."""
    row = conn.execute("SELECT (SELECT max(id) FROM relations), (SELECT max(id) FROM event_reports)").fetchone()
    return f"{data_version(conn)}:{row[0]}:{row[1]}"


def corrections_settled(conn: sqlite3.Connection) -> bool:
    """Whether every stored correction was applied to the store as it is now (so a new correction needs only
    itself applied): nothing was ingested or re-extracted since the last :func:`mark_corrections_settled`."""
    row = conn.execute("SELECT value FROM meta WHERE key='corrections_applied'").fetchone()
    return row is not None and row[0] == _state(conn)


def mark_corrections_settled(conn: sqlite3.Connection) -> None:
    """Record that all corrections were applied just now (inside the same transaction)."""
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('corrections_applied', ?) "
        "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        (_state(conn),),
    )


def _add_alias(conn: sqlite3.Connection, c: sqlite3.Row) -> int:
    entity_id = _entity_by_key(conn, c["entity_key"])
    if entity_id is None:
        return 0
    norm = norm_name(c["value"])
    n = conn.execute(
        "INSERT OR IGNORE INTO aliases(entity_id, alias, norm, source) VALUES (?,?,?,'analyst')",
        (entity_id, c["value"], norm),
    ).rowcount
    # Prefilter on the lower-cased text so the Python normaliser only runs on candidates.
    first = norm.split(" ")[0]
    n += conn.execute(
        """UPDATE mentions SET entity_id=?, link_method='analyst', link_score=1.0
           WHERE (entity_id IS NULL OR entity_id!=?) AND instr(lower(text), ?) > 0 AND wf_norm(text)=?""",
        (entity_id, entity_id, first, norm),
    ).rowcount
    return n


def _remove_alias(conn: sqlite3.Connection, c: sqlite3.Row) -> int:
    entity_id = _entity_by_key(conn, c["entity_key"])
    if entity_id is None:
        return 0
    norm = norm_name(c["value"])
    n = conn.execute("DELETE FROM aliases WHERE entity_id=? AND norm=?", (entity_id, norm)).rowcount
    n += conn.execute(
        """UPDATE mentions SET entity_id=NULL, link_method='analyst_unlinked', link_score=0
           WHERE entity_id=? AND wf_norm(text)=?""",
        (entity_id, norm),
    ).rowcount
    return n


_REFERENCES = (
    ("mentions", "entity_id"),
    ("events", "perpetrator_entity_id"),
    ("events", "place_entity_id"),
    ("event_reports", "perpetrator_entity_id"),
    ("claims", "speaker_entity_id"),
    ("relations", "subject_entity_id"),
    ("relations", "object_entity_id"),
    ("relations", "speaker_entity_id"),
)


def _merge(conn: sqlite3.Connection, c: sqlite3.Row) -> int:
    keep, gone = _entity_by_key(conn, c["entity_key"]), _entity_by_key(conn, c["other_key"])
    if keep is None or gone is None or keep == gone:
        return 0
    n = 0
    for table, column in _REFERENCES:
        n += conn.execute(f"UPDATE {table} SET {column}=? WHERE {column}=?", (keep, gone)).rowcount
    conn.execute(  # what UPDATE OR IGNORE does, in SQL both backends run: skip a claim already about ``keep``
        """UPDATE claim_about SET entity_id=? WHERE entity_id=? AND NOT EXISTS (
               SELECT 1 FROM claim_about x WHERE x.claim_id=claim_about.claim_id AND x.entity_id=?)""",
        (keep, gone, keep),
    )
    conn.execute("DELETE FROM claim_about WHERE entity_id=?", (gone,))
    conn.execute("DELETE FROM relations WHERE subject_entity_id=object_entity_id AND subject_entity_id=?", (keep,))
    conn.execute(
        "INSERT OR IGNORE INTO aliases(entity_id, alias, norm, source) SELECT ?, alias, norm, 'analyst' "
        "FROM aliases WHERE entity_id=?",
        (keep, gone),
    )
    conn.execute("DELETE FROM aliases WHERE entity_id=?", (gone,))
    n += conn.execute(
        "UPDATE entities SET merged_into=? WHERE id=? AND merged_into IS NOT ?", (keep, gone, keep)
    ).rowcount
    return n


def _split(conn: sqlite3.Connection, c: sqlite3.Row) -> int:
    source = _entity_by_key(conn, c["entity_key"])
    if source is None:
        return 0
    payload = json.loads(c["value"])
    new_id = _entity_by_key(conn, c["other_key"])
    n = 0
    if new_id is None:
        src = conn.execute("SELECT kind, label FROM entities WHERE id=?", (source,)).fetchone()
        new_id = int(
            conn.execute(
                "INSERT INTO entities(key, name, kind, label, source) VALUES (?,?,?,?,'analyst')",
                (c["other_key"], payload["name"], src["kind"], src["label"]),
            ).lastrowid
            or 0
        )
        n += 1
    norms = sorted({norm_name(a) for a in [payload["name"], *payload["aliases"]]} - {""})
    marks = ",".join("?" * len(norms))
    for alias in [payload["name"], *payload["aliases"]]:
        conn.execute(
            "INSERT OR IGNORE INTO aliases(entity_id, alias, norm, source) VALUES (?,?,?,'analyst')",
            (new_id, alias, norm_name(alias)),
        )
    conn.execute(f"DELETE FROM aliases WHERE entity_id=? AND norm IN ({marks})", (source, *norms))
    n += conn.execute(
        f"UPDATE mentions SET entity_id=?, link_method='analyst' WHERE entity_id=? AND wf_norm(text) IN ({marks})",
        (new_id, source, *norms),
    ).rowcount
    n += conn.execute(
        f"""UPDATE claims SET speaker_entity_id=? WHERE speaker_entity_id=?
            AND wf_norm(coalesce(speaker_mention, speaker_text)) IN ({marks})""",
        (new_id, source, *norms),
    ).rowcount
    n += conn.execute(
        f"UPDATE events SET perpetrator_entity_id=? WHERE perpetrator_entity_id=? AND wf_norm(perpetrator_text) IN "
        f"({marks})",
        (new_id, source, *norms),
    ).rowcount
    # A relation moves when its evidence sentence names the new entity and not the old one.
    for column in ("subject_entity_id", "object_entity_id", "speaker_entity_id"):
        n += conn.execute(
            f"""UPDATE relations SET {column}=? WHERE {column}=?
                AND EXISTS (SELECT 1 FROM mentions m WHERE m.doc_id=relations.doc_id AND m.entity_id=?
                            AND m.start>=relations.evidence_start AND m.end<=relations.evidence_end)
                AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.doc_id=relations.doc_id AND m.entity_id=?
                            AND m.start>=relations.evidence_start AND m.end<=relations.evidence_end)""",
            (new_id, source, new_id, source),
        ).rowcount
    return n


def _reject(conn: sqlite3.Connection, c: sqlite3.Row) -> int:
    where = (c["doc_id"], c["start"], c["end"])
    kind = c["target_kind"]
    if kind == "mention":
        return conn.execute("DELETE FROM mentions WHERE doc_id=? AND start=? AND end=?", where).rowcount
    if kind == "claim":
        return conn.execute("DELETE FROM claims WHERE doc_id=? AND start=? AND end=?", where).rowcount
    if kind == "relation":
        what = json.loads(c["value"])
        return conn.execute(
            "DELETE FROM relations WHERE doc_id=? AND trigger_start=? AND trigger_end=? AND predicate=?",
            (*where, what["predicate"]),
        ).rowcount
    n = conn.execute("DELETE FROM event_reports WHERE doc_id=? AND trigger_start=? AND trigger_end=?", where).rowcount
    if n:
        conn.execute("DELETE FROM events WHERE id NOT IN (SELECT event_id FROM event_reports)")
    return n


def _set_event(conn: sqlite3.Connection, c: sqlite3.Row) -> int:
    """Set the recorded fields on the event that holds the report; counts only events that changed."""
    what = json.loads(c["value"])
    sets: list[tuple[str, Any]] = []
    if "date" in what:
        sets += [("date", what["date"]), ("date_precision", what["date_precision"]), ("date_method", "analyst")]
    entity_fields = (("place_key", "place_entity_id", "place_text"),
                     ("perpetrator_key", "perpetrator_entity_id", "perpetrator_text"))  # fmt: skip
    for field, id_column, text_column in entity_fields:
        entity_id = _entity_by_key(conn, what.get(field))
        if entity_id is not None:
            row = conn.execute("SELECT name, country_code FROM entities WHERE id=?", (entity_id,)).fetchone()
            sets += [(id_column, entity_id), (text_column, row["name"])]
            if field == "place_key" and row["country_code"]:
                sets.append(("country", row["country_code"]))
    if "place_text" in what:
        sets += [("place_entity_id", None), ("place_text", what["place_text"])]
    for toll in ("killed", "wounded"):
        if toll in what:
            sets += [(toll, what[toll]), (f"{toll}_low", None), (f"{toll}_high", None)]
    if not sets:
        return 0
    assign = ", ".join(f"{column}=?" for column, _ in sets)
    differs = " OR ".join(f"{column} IS NOT ?" for column, _ in sets)
    if "perpetrator_key" in what:  # a perpetrator the analyst names is at least attributed
        assign += ", perpetrator_status=replace(perpetrator_status, 'unknown', 'attributed')"
        differs += " OR perpetrator_status='unknown'"
    values = [v for _, v in sets]
    n = 0
    for (event_id,) in conn.execute(
        "SELECT DISTINCT event_id FROM event_reports WHERE doc_id=? AND trigger_start=? AND trigger_end=?",
        (c["doc_id"], c["start"], c["end"]),
    ).fetchall():
        n += conn.execute(
            f"UPDATE events SET {assign} WHERE id=? AND ({differs})", [*values, event_id, *values]
        ).rowcount
    return n


_APPLY = {
    "add_alias": _add_alias,
    "remove_alias": _remove_alias,
    "merge": _merge,
    "split": _split,
    "reject": _reject,
    "set_event": _set_event,
}
