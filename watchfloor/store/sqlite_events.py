"""Event storage for the SQLite repository: cross-document merging, listing and detail."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

from watchfloor.extract.merge import EventKey, same_event, shares_anchor
from watchfloor.models import EventRecord
from watchfloor.store.sqlite_browse import is_frequent
from watchfloor.store.sqlparts import order_term

Row = dict[str, Any]
MERGE_TOLERANCE_DAYS = 1
STATUS_RANK = {"unknown": 0, "suspected": 1, "attributed": 2, "claimed": 3}
FIGURES = ("killed", "killed_low", "killed_high", "wounded", "wounded_low", "wounded_high")


def _candidate_dates(value: str) -> tuple[str, list[Any]]:
    """SQL (on the indexed date column) for stored dates that can be compatible with ``value``:
    the same day within the tolerance, a coarser date containing it, or a finer date inside it."""
    coarser = [value[:4], value[:7]] if len(value) == 10 else [value[:4]]
    clause = f"ev.date IN ({','.join('?' * len(coarser))}) OR ev.date BETWEEN ? AND ?"
    if len(value) == 10:
        day = date.fromisoformat(value)
        low = (day - timedelta(days=MERGE_TOLERANCE_DAYS)).isoformat()
        return clause, [*coarser, low, (day + timedelta(days=MERGE_TOLERANCE_DAYS)).isoformat()]
    return clause, [*coarser, value, value + "~"]


def find_matching_event(
    conn: sqlite3.Connection, e: EventRecord, place_id: int | None, perp_id: int | None
) -> int | None:
    """An already stored event that this report describes, if any.

    Only events of the same type whose dates can match are read (an index range, not a scan), so
    ingest stays flat as the store grows.
    """
    sql = """SELECT ev.id, ev.event_type, ev.attack_type, ev.date, ev.country, pl.key, pp.key
             FROM events ev LEFT JOIN entities pl ON pl.id=ev.place_entity_id
             LEFT JOIN entities pp ON pp.id=ev.perpetrator_entity_id WHERE ev.event_type=?"""
    params: list[Any] = [e.event_type]
    if e.date:  # a dated report merges only into a dated event whose date can match
        dates, args = _candidate_dates(e.date)
        sql += f" AND ({dates})"
        params += args
    elif place_id is not None:  # an undated report merges only into an event at the same place
        sql += " AND ev.place_entity_id=?"
        params.append(place_id)
    else:
        return None
    new = EventKey(e.event_type, e.attack_type, e.date, e.country, e.place_key, e.perpetrator_key)
    for row in conn.execute(sql + " ORDER BY ev.id", params):
        old = EventKey(*row[1:])
        if same_event(old, new, MERGE_TOLERANCE_DAYS) and shares_anchor(old, new):
            return int(row[0])
    return None


def write_events(
    conn: sqlite3.Connection,
    doc_id: str,
    events: list[EventRecord],
    ids: dict[str, int],
    extractor: str,
    version: str,
) -> None:
    """Store one document's event reports, merging each into a matching stored event or a new one."""
    for e in events:
        place_id = ids.get(e.place_key) if e.place_key else None
        perp_id = ids.get(e.perpetrator_key) if e.perpetrator_key else None
        event_id = find_matching_event(conn, e, place_id, perp_id)
        if event_id is None:
            cur = conn.execute(
                """INSERT INTO events(event_type, attack_type, date, date_precision, date_method, place_entity_id,
                       place_text, country, perpetrator_entity_id, perpetrator_text, perpetrator_status, target,
                       target_type, weapon, killed, killed_low, killed_high, wounded, wounded_low, wounded_high,
                       suicide, is_background, extractor, extractor_version)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (
                    e.event_type,
                    e.attack_type,
                    e.date,
                    e.date_precision,
                    e.date_method,
                    place_id,
                    e.place_text,
                    e.country,
                    perp_id,
                    e.perpetrator_text,
                    e.perpetrator_status,
                    e.target,
                    e.target_type,
                    e.weapon,
                    e.killed,
                    e.killed_low,
                    e.killed_high,
                    e.wounded,
                    e.wounded_low,
                    e.wounded_high,
                    int(e.suicide),
                    int(e.is_background),
                    extractor,
                    version,
                ),
            )
            event_id = int(cur.lastrowid or 0)
        cur = conn.execute(
            """INSERT INTO event_reports(event_id, doc_id, trigger_start, trigger_end, trigger_text, date,
                   date_precision, place_text, perpetrator_entity_id, perpetrator_status, killed, killed_low,
                   killed_high, wounded, wounded_low, wounded_high, is_background, extractor, extractor_version)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (
                event_id,
                doc_id,
                e.trigger_start,
                e.trigger_end,
                e.trigger_text,
                e.date,
                e.date_precision,
                e.place_text,
                perp_id,
                e.perpetrator_status,
                e.killed,
                e.killed_low,
                e.killed_high,
                e.wounded,
                e.wounded_low,
                e.wounded_high,
                int(e.is_background),
                extractor,
                version,
            ),
        )
        report_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO event_evidence(report_id, doc_id, start, end) VALUES (?,?,?,?)",
            [(report_id, doc_id, s, t) for s, t in e.evidence],
        )
        _refresh(conn, event_id, e, place_id, perp_id)


def _refresh(
    conn: sqlite3.Connection, event_id: int, e: EventRecord, place_id: int | None, perp_id: int | None
) -> None:
    """Fill gaps from the new report; figures come from the most recently published report that has them."""
    row = dict(conn.execute("SELECT * FROM events WHERE id=?", (event_id,)).fetchone())
    updates: dict[str, Any] = {}
    for field, value in (
        ("attack_type", e.attack_type),
        ("place_entity_id", place_id),
        ("place_text", e.place_text),
        ("country", e.country),
        ("target", e.target),
        ("weapon", e.weapon),
        ("perpetrator_entity_id", perp_id),
        ("perpetrator_text", e.perpetrator_text),
    ):
        if value is not None and (row[field] is None or row[field] == "unknown"):
            updates[field] = value
    if row["target_type"] == "unknown" and e.target_type != "unknown":
        updates["target_type"] = e.target_type
    if e.date and (
        row["date"] is None
        or len(e.date) > len(row["date"])
        or (row["date_method"] == "publication" and e.date_method == "text")
    ):
        updates.update(date=e.date, date_precision=e.date_precision, date_method=e.date_method)
    if STATUS_RANK[e.perpetrator_status] > STATUS_RANK[row["perpetrator_status"]] and (
        perp_id is None or perp_id == (updates.get("perpetrator_entity_id") or row["perpetrator_entity_id"])
    ):
        updates["perpetrator_status"] = e.perpetrator_status
    if e.suicide and not row["suicide"]:
        updates["suicide"] = 1
    if not e.is_background and row["is_background"]:
        updates["is_background"] = 0  # some source reports it as news
    latest = conn.execute(
        """SELECT r.killed, r.killed_low, r.killed_high, r.wounded, r.wounded_low, r.wounded_high
           FROM event_reports r JOIN documents d ON d.id=r.doc_id
           WHERE r.event_id=? AND (r.killed IS NOT NULL OR r.killed_low IS NOT NULL OR r.wounded IS NOT NULL
                 OR r.wounded_low IS NOT NULL)
           ORDER BY d.published DESC NULLS LAST, r.id DESC LIMIT 1""",
        (event_id,),
    ).fetchone()
    if latest is not None:
        updates.update(dict(zip(FIGURES, latest, strict=True)))
    if updates:
        sets = ", ".join(f"{k}=?" for k in updates)
        conn.execute(f"UPDATE events SET {sets} WHERE id=?", (*updates.values(), event_id))


EVENT_COLUMNS = """e.id, e.event_type, e.attack_type, e.date, e.date_precision, e.date_method, e.place_text AS place,
    e.country, pe.key AS place_key, pe.latitude, pe.longitude, p.name AS perpetrator, p.key AS perpetrator_key,
    e.perpetrator_status, e.target, e.target_type, e.weapon, e.killed, e.killed_low, e.killed_high, e.wounded,
    e.wounded_low, e.wounded_high, e.suicide, e.is_background"""


EVENT_ORDERS = {"date": "e.date", "killed": "coalesce(e.killed, e.killed_high)", "wounded": "e.wounded"}


def list_events(
    conn: sqlite3.Connection,
    *,
    actor_id: int | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    event_type: str | None = None,
    include_background: bool = False,
    limit: int = 100,
    offset: int = 0,
    order: str = "date DESC",
    event_id: int | None = None,
) -> list[Row]:
    sql = f"""SELECT {EVENT_COLUMNS} FROM events e
              LEFT JOIN entities p ON p.id=e.perpetrator_entity_id
              LEFT JOIN entities pe ON pe.id=e.place_entity_id WHERE 1=1"""
    args: list[Any] = []
    if actor_id is not None:
        if is_frequent(conn, actor_id):
            # Correlated per event (newest first), probing mentions by (doc_id, entity_id): a page of a
            # frequent actor's events stops early instead of joining all of its mentions.
            sql += """ AND (e.perpetrator_entity_id=? OR EXISTS (SELECT 1 FROM event_reports r
                      JOIN event_evidence v ON v.report_id=r.id WHERE r.event_id=e.id AND EXISTS (
                      SELECT 1 FROM mentions m INDEXED BY mentions_doc_entity WHERE m.doc_id=v.doc_id
                      AND m.entity_id=? AND m.start>=v.start AND m.end<=v.end)))"""
        else:  # few mentions: start from them and find the evidence sentences that contain them
            sql += """ AND (e.perpetrator_entity_id=? OR e.id IN (SELECT r.event_id FROM mentions m
                      JOIN event_evidence v ON v.doc_id=m.doc_id AND m.start>=v.start AND m.end<=v.end
                      JOIN event_reports r ON r.id=v.report_id WHERE m.entity_id=?))"""
        args += [actor_id, actor_id]
    if event_id is not None:
        sql += " AND e.id=?"
        args.append(event_id)
    if country:
        sql += " AND e.country=?"
        args.append(country.upper())
    if since:
        sql += " AND e.date >= ?"
        args.append(since)
    if until:
        sql += " AND e.date <= ?"
        args.append(until + "~")  # '2024-03' <= '2024-03~' keeps month- and year-precision dates in range
    if event_type:
        sql += " AND (e.event_type=? OR e.attack_type=?)"
        args += [event_type, event_type]
    if not include_background:
        sql += " AND e.is_background=0"
    sql += f" ORDER BY {order_term(order, EVENT_ORDERS)} NULLS LAST, e.date DESC, e.id LIMIT ? OFFSET ?"
    args += [limit, offset]
    rows = [dict(r) for r in conn.execute(sql, args)]
    for row in rows:
        row["suicide"] = bool(row["suicide"])
        row["is_background"] = bool(row["is_background"])
        row["sources"] = event_sources(conn, int(row["id"]))
        figures = {
            (s["killed"], s["killed_low"], s["wounded"], s["wounded_low"])
            for s in row["sources"]
            if s["killed"] is not None or s["killed_low"] is not None
        }
        row["figures_disagree"] = len({f[:2] for f in figures}) > 1
    return rows


def event_sources(conn: sqlite3.Connection, event_id: int) -> list[Row]:
    out = []
    for r in conn.execute(
        """SELECT r.id AS report_id, r.doc_id, d.title, d.published, r.trigger_text, r.killed, r.killed_low,
                  r.killed_high, r.wounded, r.wounded_low, r.wounded_high, r.perpetrator_status, d.text AS doc_text
           FROM event_reports r JOIN documents d ON d.id=r.doc_id WHERE r.event_id=? ORDER BY d.published, r.id""",
        (event_id,),
    ):
        row = dict(r)
        text = row.pop("doc_text")
        spans = conn.execute(
            "SELECT start, end FROM event_evidence WHERE report_id=? ORDER BY start", (row.pop("report_id"),)
        ).fetchall()
        first = spans[0]
        row.update(
            start=first[0],
            end=first[1],
            text=text[first[0] : first[1]],
            evidence=[{"start": s, "end": t, "text": text[s:t]} for s, t in spans],
        )
        out.append(row)
    return out
