"""Event storage for the SQLite repository: cross-document merging, listing and detail."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

from watchfloor.extract.merge import EventKey, same_event, shares_anchor
from watchfloor.models import EventRecord
from watchfloor.store.sqlite_browse import walk_pays
from watchfloor.store.sqlite_reliability import attach_grades
from watchfloor.store.sqlparts import chunks, marks, order_term

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
    conn: sqlite3.Connection, e: EventRecord, place_id: int | None, perp_id: int | None, doc_id: str
) -> int | None:
    """An already stored event that this report describes, if any.

    Only events of the same type whose dates can match are read (an index range, not a scan), so
    ingest stays flat as the store grows.
    """
    sql = """SELECT ev.id, ev.event_type, ev.attack_type, ev.date, ev.country, pl.key, pp.key, ev.target_type,
                    EXISTS (SELECT 1 FROM event_reports own WHERE own.event_id = ev.id AND own.doc_id = ?)
             FROM events ev LEFT JOIN entities pl ON pl.id=ev.place_entity_id
             LEFT JOIN entities pp ON pp.id=ev.perpetrator_entity_id WHERE ev.event_type=?"""
    params: list[Any] = [doc_id, e.event_type]
    if e.date:  # a dated report merges only into a dated event whose date can match
        dates, args = _candidate_dates(e.date)
        sql += f" AND ({dates})"
        params += args
    elif place_id is not None and perp_id is not None and not (e.place_key or "").startswith(("country:", "adm1:")):
        # An undated report may be any of a group's attacks in that town over the years: it merges only
        # into an undated event in the same town by the same perpetrator (a dated event would lend it a
        # date it does not have; MUC-4 dev wires merged bombings months apart on the place alone).
        sql += " AND ev.date IS NULL AND ev.place_entity_id=? AND pl.kind='place' AND ev.perpetrator_entity_id=?"
        params += [place_id, perp_id]
    else:
        return None
    new = EventKey(e.event_type, e.attack_type, e.date, e.country, e.place_key, e.perpetrator_key, e.target_type)
    for row in conn.execute(sql + " ORDER BY ev.id", params):
        if row[8] and e.separate:
            # The document itself calls this report another incident than those it told before (MUC-4
            # dev: "another bomb was discovered ... in Vina del Mar" merged with that night's bombing there).
            continue
        old = EventKey(*row[1:8])
        # The day's tolerance is for sources that date one incident differently; one document that gives
        # two days tells two incidents (MUC-4 dev: bombings in one country on consecutive days merged).
        tolerance = 0 if row[8] else MERGE_TOLERANCE_DAYS
        if same_event(old, new, tolerance) and shares_anchor(old, new):
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
        event_id = find_matching_event(conn, e, place_id, perp_id, doc_id)
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
    max_sources: int | None = None,
    sources_offset: int = 0,
) -> list[Row]:
    """Merged events, each with ``n_sources`` (all its reports) and ``sources``: at most ``max_sources``
    of them (all when None) from ``sources_offset`` on, oldest publication first, evidence cut in SQL."""
    sql = f"""SELECT {EVENT_COLUMNS} FROM events e
              LEFT JOIN entities p ON p.id=e.perpetrator_entity_id
              LEFT JOIN entities pe ON pe.id=e.place_entity_id WHERE 1=1"""
    args: list[Any] = []
    if actor_id is not None:
        # An actor's events are a part of its documents, so the walk is judged for twice the page: at
        # 50,000 documents an actor in 1,000 of them with no event walked all events (40-140 ms) where
        # joining its mentions took 3-8 ms; over the top 200 actors mean 24 -> 9 ms, p95 63 -> 21 ms.
        if walk_pays(conn, actor_id, 2 * (limit + offset)):
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
    ids = [int(row["id"]) for row in rows]
    sources = event_sources(conn, ids, max_sources, sources_offset)
    counts = _report_counts(conn, ids)
    for row in rows:
        row["suicide"] = bool(row["suicide"])
        row["is_background"] = bool(row["is_background"])
        row["n_sources"], tolls = counts.get(row["id"], (0, 0))
        row["sources"] = sources.get(row["id"], [])
        row["figures_disagree"] = tolls > 1  # judged over all reports, not only the page shown
    attach_grades(conn, rows)  # grade, n_independent, admiralty: computed from all reports, never stored
    return rows


def _report_counts(conn: sqlite3.Connection, event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per event: how many reports it has, and how many different death tolls (killed, killed_low) they give."""
    out: dict[int, tuple[int, int]] = {}
    for ids in chunks(event_ids):
        sql = f"""SELECT event_id, count(*), count(DISTINCT CASE WHEN killed IS NOT NULL OR killed_low IS NOT NULL
                         THEN coalesce(CAST(killed AS TEXT), '') || '/' || coalesce(CAST(killed_low AS TEXT), '') END)
                  FROM event_reports WHERE event_id IN ({marks(ids)}) GROUP BY event_id"""
        out.update((int(r[0]), (int(r[1]), int(r[2]))) for r in conn.execute(sql, ids))
    return out


def event_sources(
    conn: sqlite3.Connection, event_ids: list[int], limit: int | None = None, offset: int = 0
) -> dict[int, list[Row]]:
    """The reports of several events, oldest publication first: at most ``limit`` per event (all when
    None) from ``offset`` on, each with its evidence spans.

    Two queries for a page of events (reports, then their evidence); evidence text is cut from the
    document by SQL (``substr``), so no document's text is read into Python.
    """
    high = -1 if limit is None else offset + limit
    reports: list[Row] = []
    for ids in chunks(event_ids):
        sql = f"""SELECT * FROM (
                    SELECT r.id AS report_id, r.event_id, r.doc_id, d.title, d.published, r.trigger_text, r.killed,
                           r.killed_low, r.killed_high, r.wounded, r.wounded_low, r.wounded_high, r.perpetrator_status,
                           row_number() OVER (PARTITION BY r.event_id ORDER BY d.published, r.id) AS n
                    FROM event_reports r JOIN documents d ON d.id=r.doc_id WHERE r.event_id IN ({marks(ids)})
                  ) AS ranked
                  WHERE n > ? AND (? < 0 OR n <= ?) ORDER BY event_id, n"""
        reports += [dict(r) for r in conn.execute(sql, [*ids, offset, high, high])]
    evidence: dict[int, list[Row]] = {}
    for chunk in chunks([int(r["report_id"]) for r in reports]):
        for v in conn.execute(
            f"""SELECT v.report_id, v.start, v.end, substr(d.text, v.start + 1, v.end - v.start) AS text
                FROM event_evidence v JOIN documents d ON d.id=v.doc_id WHERE v.report_id IN ({marks(chunk)})
                ORDER BY v.report_id, v.start, v.end""",
            chunk,
        ):
            evidence.setdefault(int(v[0]), []).append({"start": v[1], "end": v[2], "text": v[3]})
    out: dict[int, list[Row]] = {}
    for row in reports:
        spans = evidence.get(int(row.pop("report_id")), [])
        event_id = int(row.pop("event_id"))
        del row["n"]
        first = spans[0] if spans else {"start": None, "end": None, "text": None}
        row.update(start=first["start"], end=first["end"], text=first["text"], evidence=spans)
        out.setdefault(event_id, []).append(row)
    return out
