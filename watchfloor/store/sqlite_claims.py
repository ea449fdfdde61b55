"""Claims in SQLite: writing a document's claims, listing them with stance and forecast status."""

from __future__ import annotations

import gc
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from watchfloor.models import ClaimRecord
from watchfloor.store.location import connection_path
from watchfloor.store.sqlite_reliability import attach_claim_grades, claim_words
from watchfloor.store.sqlite_reprocess import DOCUMENTS_REMOVED
from watchfloor.store.sqlparts import order_term

if TYPE_CHECKING:  # imported where used: extract.claims needs spaCy, stance needs numpy
    from watchfloor.extract.forecast import ForecastTarget
    from watchfloor.extract.stance import StanceIndex, StanceInput

Row = dict[str, Any]
WordsMap = dict[tuple[str, str], list[int]]  # (speaker key, claim words) -> claim ids


def write_claims(
    conn: sqlite3.Connection,
    doc_id: str,
    claims: list[ClaimRecord],
    ids: dict[str, int],
    extractor: str,
    version: str,
) -> None:
    """Insert one document's claims and what each is about."""
    for c in claims:
        cur = conn.execute(
            """INSERT INTO claims(doc_id, start, end, text, quote, cue, speaker_entity_id, speaker_text,
                   speaker_mention, speaker_start, speaker_end, speaker_role, kind, probability_words, band_low,
                   band_high, horizon_text,
                   horizon_start, horizon_end, evidence_start, evidence_end, extractor, extractor_version,
                   extraction_score, embedding)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (
                doc_id,
                c.start,
                c.end,
                c.text,
                int(c.quote),
                c.cue,
                ids.get(c.speaker_key) if c.speaker_key else None,
                c.speaker_text,
                c.speaker_mention,
                c.speaker_start,
                c.speaker_end,
                c.speaker_role,
                c.kind,
                c.probability_words,
                c.band_low,
                c.band_high,
                c.horizon_text,
                c.horizon_start,
                c.horizon_end,
                min(s for s, _ in c.evidence),
                max(e for _, e in c.evidence),
                extractor,
                version,
                c.confidence,
                c.embedding,
            ),
        )
        claim_id = cur.lastrowid
        conn.executemany(
            "INSERT OR IGNORE INTO claim_about(claim_id, entity_id) VALUES (?,?)",
            [(claim_id, ids[k]) for k in c.about if k in ids],
        )


CLAIM_COLUMNS = """c.id, c.doc_id, c.start, c.end, c.text, c.quote, c.cue, c.speaker_entity_id,
    COALESCE(s.name, c.speaker_text) AS speaker, c.speaker_text, c.speaker_mention, c.speaker_start,
    c.speaker_end, c.speaker_role, c.kind,
    c.probability_words, c.band_low, c.band_high, c.horizon_text, c.horizon_start, c.horizon_end,
    c.evidence_start, c.evidence_end, c.extraction_score, d.title, d.published, d.text AS doc_text"""


def _about(conn: sqlite3.Connection, claim_ids: list[int]) -> dict[int, list[Row]]:
    out: dict[int, list[Row]] = {i: [] for i in claim_ids}
    if not claim_ids:
        return out
    marks = ",".join("?" * len(claim_ids))
    for r in conn.execute(
        f"""SELECT a.claim_id, e.id, e.key, e.name, e.kind, e.country_code FROM claim_about a
            JOIN entities e ON e.id=a.entity_id WHERE a.claim_id IN ({marks}) ORDER BY e.name""",
        claim_ids,
    ):
        out[int(r[0])].append({"id": r[1], "key": r[2], "name": r[3], "kind": r[4], "country": r[5]})
    return out


def _all_stance_inputs(conn: sqlite3.Connection, after_id: int = 0, up_to: int | None = None) -> list[StanceInput]:
    """The stance inputs of every claim with an id above ``after_id`` (and at most ``up_to``)."""
    import numpy as np

    from watchfloor.extract.claims import negated
    from watchfloor.extract.forecast import direction
    from watchfloor.extract.stance import StanceInput

    rows = conn.execute(
        """SELECT c.id, COALESCE(CAST(c.speaker_entity_id AS TEXT), c.speaker_text), c.text, c.kind, c.band_high,
                  GROUP_CONCAT(a.entity_id), c.embedding FROM claims c LEFT JOIN claim_about a ON a.claim_id=c.id
           WHERE c.id > ? AND c.id <= ? GROUP BY c.id ORDER BY c.id""",
        (after_id, up_to if up_to is not None else 2**62),
    ).fetchall()
    out = []
    for claim_id, speaker, text, kind, band_high, about, embedding in rows:
        probe = ClaimRecord(0, 0, text, False, "", None, None, None, None, kind, [], band_high=band_high)
        out.append(
            StanceInput(
                int(claim_id),
                str(speaker or ""),
                frozenset((about or "").split(",")) - {""},
                text,
                negated(probe),
                kind,
                _vector(embedding, np),
                direction(text, kind, band_high),
            )
        )
    return out


def _vector(blob: bytes | None, np: Any) -> Any:
    """The stored embedding; an empty one (a claim with no linked subject, never compared by meaning) is a
    zero vector, so it takes part in no semantic link and is not judged by the lexical fallback either."""
    from watchfloor.nlp.embed import DIMENSION

    if blob is None:
        return None  # stored before embeddings existed: the lexical rule applies
    return np.frombuffer(blob, dtype="<f2") if blob else np.zeros(DIMENSION, dtype=np.float16)


@dataclass
class _CachedIndex:
    path: str
    max_claim: int
    removals: str | None  # how many documents re-extraction has removed (their claims went with them)
    max_correction: int | None
    index: StanceIndex
    # (speaker key, claim words) -> ids of the claims saying them: the carriers a claim's grade counts; built
    # on first use, grown with the index
    by_words: WordsMap | None = None


_STANCE_CACHE: list[_CachedIndex] = []  # at most one: the index of the store this process serves
_STANCE_LOCK = threading.Lock()  # one rebuild at a time; concurrent requests wait for it instead of repeating it


def stance_index(conn: sqlite3.Connection) -> StanceIndex:
    """The stance index of the store's claims, rebuilt only when the claims change (:func:`_held_index`)."""
    return _held_index(conn).index


def claims_with_words(conn: sqlite3.Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
    """For each (speaker key, claim words) — the speaker's entity id as text, or its words when unlinked, and
    :func:`sqlite_reliability.claim_words` of a claim — the ids of every stored claim saying it. Read from the
    claims held with the stance index: a SQL search scanned every claim of the speaker, which for an
    unlinked speaker quoted thousands of times ("a senior researcher") was most of a claims page's time."""
    held = _held_index(conn)
    with _STANCE_LOCK:
        if held.by_words is None:
            held.by_words = _words_map(held.index.claims, {})
        by_words = held.by_words
    return {key: list(by_words.get(key, ())) for key in keys}


def _words_map(claims: Sequence[StanceInput], into: WordsMap) -> WordsMap:
    for claim in claims:
        if claim.speaker:
            into.setdefault((claim.speaker, claim_words(claim.text)), []).append(claim.id)
    return into


def _held_index(conn: sqlite3.Connection) -> _CachedIndex:
    """The stance index of the store's claims, rebuilt only when the claims change.

    Claims are only added by ingest (higher ids) and only changed or removed by corrections and
    re-extraction (which removes the document first and counts it in ``meta``). When only new claims
    arrived (an ingest batch), the index held is extended with them; otherwise (a correction, fewer or
    replaced claims) it is built again from every claim. (The signature reads no ``count(*)``: PostgreSQL
    counts a table by scanning it, 30 ms at 145,000 claims on every claims read.)"""
    path = connection_path(conn)
    max_claim, removals, max_correction = conn.execute(
        """SELECT coalesce((SELECT max(id) FROM claims), 0), (SELECT value FROM meta WHERE key=?),
                  (SELECT max(id) FROM corrections)""",
        (DOCUMENTS_REMOVED,),
    ).fetchone()
    with _STANCE_LOCK:
        held = _STANCE_CACHE[0] if _STANCE_CACHE else None
        if held and (held.path, held.max_claim, held.removals, held.max_correction) == (
            path,
            max_claim,
            removals,
            max_correction,
        ):
            return held
        from watchfloor.extract.stance import StanceIndex

        grows = (
            held is not None
            and (held.path, held.removals, held.max_correction) == (path, removals, max_correction)
            and max_claim > held.max_claim
        )
        by_words = None
        if grows and held:
            # Read up to the max id just seen: an ingest may commit more claims meanwhile, and the index must
            # hold exactly the claims its signature describes (else the next extension would repeat them).
            added = _all_stance_inputs(conn, held.max_claim, max_claim)
            index = held.index.extended(added)
            # Grown in place: a reader of the old map sees only more carriers, which are in the store too.
            by_words = _words_map(added, held.by_words) if held.by_words is not None else None
        else:
            index = StanceIndex(_all_stance_inputs(conn, 0, max_claim))
            # Hundreds of thousands of long-lived objects: keep them out of the cyclic GC's full collections,
            # which otherwise pause every request now and then for half a second on a large store. (A full
            # collection first costs a second or two itself: not after each ingest batch.)
            gc.collect()
        gc.freeze()
        _STANCE_CACHE[:] = [_CachedIndex(path, max_claim, removals, max_correction, index, by_words)]
        return _STANCE_CACHE[0]


def forecast_target_of(conn: sqlite3.Connection, row: Row) -> ForecastTarget:
    """What a stored forecast predicts, from its text and the linked mentions inside its span."""
    from watchfloor.extract.forecast import SpanEntity, forecast_target, place_scope

    mentions = [
        SpanEntity(int(start) - row["start"], int(end) - row["start"], str(eid), kind,
                   place_scope(key, kind), country, admin1)
        for start, end, eid, key, kind, country, admin1 in conn.execute(
            """SELECT m.start, m.end, e.id, e.key, e.kind, e.country_code, e.admin1 FROM mentions m
               JOIN entities e ON e.id=m.entity_id WHERE m.doc_id=? AND m.start>=? AND m.end<=?""",
            (row["doc_id"], row["start"], row["end"]),
        )
    ]  # fmt: skip
    band = row.get("probability_band") or [None, row.get("band_high")]
    return forecast_target(row["text"], mentions, row["kind"], band[1])


def forecast_status(conn: sqlite3.Connection, row: Row, about: list[Row], as_of: date) -> tuple[str | None, list[int]]:
    """supported / contradicted / expired / open / "open (no horizon)" for forecasts (None for other
    kinds), with the events that bear it out or contradict it (:mod:`watchfloor.extract.forecast`).

    Only an event of the predicted type, by the predicted actor, in the predicted place (each when the
    forecast names one), dated after the forecast was made and by the end of its horizon counts.
    """
    from watchfloor.extract.forecast import OPEN_NO_HORIZON, EventFacts, resolve_forecast

    if row["kind"] != "forecast":
        return None, []
    if not row["horizon_end"]:
        return OPEN_NO_HORIZON, []
    target = forecast_target_of(conn, row)
    events: list[EventFacts] = []
    if target.checkable:
        made = row["published"] or row["horizon_start"]
        sql = """SELECT e.id, e.date, e.event_type, e.attack_type, e.perpetrator_entity_id, e.place_entity_id,
                        p.admin1, e.country FROM events e LEFT JOIN entities p ON p.id=e.place_entity_id
                 WHERE e.is_background=0 AND e.event_type=? AND e.date >= ? AND e.date <= ?"""
        args: list[Any] = [target.event_type, (made or "")[:10], row["horizon_end"][:10]]
        if target.actors:
            sql += f" AND e.perpetrator_entity_id IN ({','.join('?' * len(target.actors))})"
            args += [int(a) for a in target.actors]
        events = [
            EventFacts(int(r[0]), r[1], r[2], r[3], str(r[4]) if r[4] is not None else None,
                       str(r[5]) if r[5] is not None else None, r[6], r[7])
            for r in conn.execute(sql + " ORDER BY e.date", args)
        ]  # fmt: skip
    found = resolve_forecast(target, row["published"], row["horizon_start"], row["horizon_end"], as_of, events)
    return found.status, list(found.events)


def claimed_events(conn: sqlite3.Connection, row: Row) -> list[int]:
    """Events a responsibility claim is about: reported in the same document and either attributed to
    the claiming group or cited with the claim's own sentence as evidence."""
    if row["kind"] != "responsibility":
        return []
    found = conn.execute(
        """SELECT DISTINCT r.event_id FROM event_reports r
           LEFT JOIN event_evidence v ON v.report_id=r.id
           WHERE r.doc_id=? AND (r.perpetrator_entity_id=? OR (v.start<=? AND v.end>=?))
           ORDER BY r.event_id""",
        (row["doc_id"], row["speaker_entity_id"], row["start"], row["end"]),
    )
    return [int(r[0]) for r in found]


CLAIM_ORDERS = {
    "published": "d.published",
    "confidence": "c.band_high",
    "horizon": "c.horizon_end",
    "extraction": "c.extraction_score",
}


SORTED_AT_MOST = 5000  # claims about an actor sorted whole; beyond, documents are walked newest first


def _many_claims_about(conn: sqlite3.Connection, entity_id: int) -> bool:
    """So many claims about the entity that sorting them all costs more than walking documents newest first
    until a page is found. (Not merely "a few hundred": claims about an actor often bunch in one period, and
    a walk from the newest document then reads most of the store: 80 ms on PostgreSQL at 50,000 documents for
    an actor with 1,075 claims, against 2 ms to sort them.)"""
    found = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM claim_about WHERE entity_id=? LIMIT ?) AS capped",
        (entity_id, SORTED_AT_MOST + 1),
    ).fetchone()[0]
    return int(found) > SORTED_AT_MOST


def list_claims(
    conn: sqlite3.Connection,
    *,
    speaker_id: int | None = None,
    about_id: int | None = None,
    kind: str | None = None,
    since: str | None = None,
    claim_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
    as_of: date | None = None,
    order: str = "published DESC",
    stance_ids: int | None = None,
    grades: bool = True,
) -> list[Row]:
    """Claims, newest document first, with about, stance links (at most ``stance_ids`` ids of each; the
    ``n_agree`` / ``n_contradict`` counts are always complete), forecast status, evidence and (``grades``)
    the Admiralty grade (docs/reliability.md)."""
    # First the page of ids (ordering needs only the publication date, from a covering index), then the
    # columns — which include the document text for the evidence sentence — for that page only.
    sql = """SELECT c.id FROM claims c JOIN documents d ON d.id=c.doc_id WHERE 1=1"""
    args: list[Any] = []
    if about_id is not None and order == "published DESC" and _many_claims_about(conn, about_id):
        # Walk documents newest first and stop after a page, instead of sorting all claims about the actor.
        sql = """SELECT c.id FROM documents d INDEXED BY documents_published JOIN claims c ON c.doc_id=d.id
                 WHERE EXISTS (SELECT 1 FROM claim_about a WHERE a.claim_id=c.id AND a.entity_id=?)"""
        args.append(about_id)
    elif about_id is not None:
        # Materialised: PostgreSQL's planner would otherwise turn this back into the walk (it assumes the
        # claims about an actor spread evenly over time).
        sql = """WITH about AS MATERIALIZED (SELECT claim_id FROM claim_about WHERE entity_id=?)
                 SELECT c.id FROM about JOIN claims c ON c.id=about.claim_id JOIN documents d ON d.id=c.doc_id
                 WHERE 1=1"""
        args.append(about_id)
    if speaker_id is not None:
        sql += " AND c.speaker_entity_id=?"
        args.append(speaker_id)
    if kind:
        sql += " AND c.kind=?"
        args.append(kind)
    if since:
        sql += " AND d.published >= ?"
        args.append(since)
    if claim_id is not None:
        sql += " AND c.id=?"
        args.append(claim_id)
    sql += f" ORDER BY {order_term(order, CLAIM_ORDERS)} NULLS LAST, d.published DESC, c.doc_id, c.start"
    sql += " LIMIT ? OFFSET ?"
    args += [limit, offset]
    ids = [int(r[0]) for r in conn.execute(sql, args)]
    marks = ",".join("?" * len(ids))
    found = {
        int(r["id"]): dict(r)
        for r in conn.execute(
            f"""SELECT {CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.id=c.doc_id
                LEFT JOIN entities s ON s.id=c.speaker_entity_id WHERE c.id IN ({marks})""",
            ids,
        )
    }
    rows = [found[i] for i in ids]
    about = _about(conn, [int(r["id"]) for r in rows])
    index = stance_index(conn) if rows else None
    today = as_of or date.today()
    for row in rows:
        text = row.pop("doc_text")
        row["quote"] = bool(row["quote"])
        row["about"] = about[int(row["id"])]
        band = (row.pop("band_low"), row.pop("band_high"))
        row["probability_band"] = list(band) if band[0] is not None else None
        row["confidence"] = "stated" if band[0] is not None else ("unstated" if row["kind"] == "forecast" else None)
        agrees, contradicts = index.links(int(row["id"]), stance_ids) if index else ([], [])
        row["agrees_with"], row["contradicts"] = agrees, contradicts
        row["n_agree"], row["n_contradict"] = index.counts(int(row["id"])) if index else (0, 0)
        row["status"], row["supporting_events"] = forecast_status(conn, row, row["about"], today)
        row["claimed_events"] = claimed_events(conn, row)
        start, end = row.pop("evidence_start"), row.pop("evidence_end")
        row["sources"] = [
            {"doc_id": row["doc_id"], "title": row["title"], "start": row["start"], "end": row["end"],
             "text": row["text"], "sentence_start": start, "sentence_end": end, "sentence": text[start:end]}
        ]  # fmt: skip
    if grades:
        attach_claim_grades(conn, rows)  # grade, n_independent, admiralty: computed, never stored
    return rows


def speaker_record(conn: sqlite3.Connection, speaker_id: int, as_of: date | None = None) -> Row:
    """A speaker's track record: claims by kind, forecasts by status (supported, contradicted, expired, open,
    open without a horizon), roles seen. The hit rate is supported / (supported + contradicted + expired)."""
    claims = list_claims(conn, speaker_id=speaker_id, limit=100000, as_of=as_of, grades=False)
    attach_claim_grades(conn, claims[:20])  # the recent ones shown
    kinds: dict[str, int] = {}
    status: dict[str, int] = {"open": 0, "open (no horizon)": 0, "supported": 0, "contradicted": 0, "expired": 0}
    for c in claims:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
        if c["status"]:
            status[c["status"]] += 1
    roles = sorted({c["speaker_role"] for c in claims if c["speaker_role"]})
    judged = status["supported"] + status["contradicted"] + status["expired"]
    return {
        "claims": len(claims),
        "by_kind": kinds,
        "forecasts": status,
        "hit_rate": round(status["supported"] / judged, 3) if judged else None,
        "roles": roles,
        "contradicted_by_others": sum(1 for c in claims if c["contradicts"]),
        "recent": claims[:20],
    }
