"""The review queue (SQLite): the items that need a human, and the marks that take them off the queue.

Kinds, in the order listed: ``undated`` documents; ``incomplete`` events (no date, place or perpetrator);
``future`` facts (a document published after today, an event dated after a source was published or after
today, a relation valid from a date after its document or today); ``low-confidence`` claims (the extractor's
own score below a threshold); ``duplicate`` entities (:mod:`sqlite_duplicates`); ``tolls`` (reports of one
event that give different death or injury tolls).

An item is a dict: ``id`` (``kind:target-ref``: ``undated:doc-0123456789abcdef``, ``tolls:event-12``,
``duplicate:entities-3-41``), ``kind``, ``target`` (document, event, claim, relation, entities), ``ref``,
``title``, ``why``, ``evidence`` (document id + character span; text added by :func:`attach_evidence`),
``links`` (pages of the UI), ``actions``, ``fix`` (what a fix takes) and ``anchors``: the stable keys a review
mark is stored under (migration 013), so that a mark survives re-runs that renumber rows. Reviewed items are
left out in SQL and only a page of items is built, so counting and paging stay cheap on large stores.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from watchfloor.errors import NotFound, UserError
from watchfloor.store.sqlite_duplicates import suspected_duplicates

Item = dict[str, Any]
Row = dict[str, Any]
KINDS = ("undated", "incomplete", "future", "low-confidence", "duplicate", "tolls")
DECISIONS = ("accepted", "fixed", "rejected")
LOW_CONFIDENCE = 0.3  # claims whose extraction score (cue x speaker x content) is below this are listed
MAX_SOURCES = 5  # evidence sentences shown for a toll conflict (one per report)
CHUNK = 500

# The anchors of migration 013, as SQL over the rows they name (kept in step with the Python ones below).
_DOC_ANCHOR = "'doc:' || d.id"
_REPORT_ANCHOR = "'report:' || r.doc_id || ':' || r.trigger_start || '-' || r.trigger_end"
_CLAIM_ANCHOR = "'claim:' || c.doc_id || ':' || c.start || '-' || c.end"
_RELATION_ANCHOR = "'relation:' || r.doc_id || ':' || r.trigger_start || '-' || r.trigger_end || ':' || r.predicate"


def doc_anchor(doc_id: str) -> str:
    return f"doc:{doc_id}"


def report_anchor(doc_id: str, start: int, end: int) -> str:
    return f"report:{doc_id}:{start}-{end}"


def span_anchor(what: str, doc_id: str, start: int, end: int, extra: str | None = None) -> str:
    return f"{what}:{doc_id}:{start}-{end}" + (f":{extra}" if extra else "")


@dataclass(frozen=True)
class Options:
    """What the queue is judged against: today's date and the extraction-score threshold."""

    today: str = field(default_factory=lambda: date.today().isoformat())
    threshold: float = LOW_CONFIDENCE


# -- sources: where the items of a kind come from -------------------------------------------------------
class Source(Protocol):
    def count(self, conn: sqlite3.Connection) -> int: ...

    def fetch(self, conn: sqlite3.Connection, limit: int = -1, offset: int = 0) -> list[Item]: ...


@dataclass(frozen=True)
class SqlSource:
    """Rows of one query (reviewed ones left out by ``where``), in ``order``, built into items a page at a time."""

    select: str  # "SELECT ... FROM ... JOIN ..."
    where: str
    args: tuple[Any, ...]
    order: str
    build: Callable[[sqlite3.Connection, list[Row]], list[Item]]

    def count(self, conn: sqlite3.Connection) -> int:
        sql = f"SELECT count(*) FROM ({self.select} WHERE {self.where}) AS items"
        return int(conn.execute(sql, self.args).fetchone()[0])

    def fetch(self, conn: sqlite3.Connection, limit: int = -1, offset: int = 0) -> list[Item]:
        sql = f"{self.select} WHERE {self.where} ORDER BY {self.order} LIMIT ? OFFSET ?"
        return self.build(conn, [dict(r) for r in conn.execute(sql, (*self.args, limit, offset))])


@dataclass(frozen=True)
class ListSource:
    """Items computed in Python (suspected duplicates)."""

    items: list[Item]

    def count(self, conn: sqlite3.Connection) -> int:
        return len(self.items)

    def fetch(self, conn: sqlite3.Connection, limit: int = -1, offset: int = 0) -> list[Item]:
        return self.items[offset : None if limit < 0 else offset + limit]


@dataclass(frozen=True)
class Ref:
    """One object an item id names (``doc`` + id or a 4+ character prefix, ``event`` + id, …)."""

    target: str
    value: str

    def sql(self, column: str, target: str) -> tuple[str, tuple[Any, ...]]:
        """A condition restricting ``column`` to this object (matching nothing for another target)."""
        if self.target != target:
            return "1=0", ()
        if target == "doc":
            exact = len(self.value) == 16
            return (f"{column}=?", (self.value,)) if exact else (f"{column} GLOB ?", (self.value + "*",))
        return (f"{column}=?", (int(self.value),)) if self.value.isdigit() else ("1=0", ())


def _open(kind: str, anchor: str) -> str:
    """SQL: no review mark of ``kind`` on ``anchor``."""
    return f"NOT EXISTS (SELECT 1 FROM review_marks m WHERE m.kind='{kind}' AND m.anchor={anchor})"


def _restrict(
    where: str, args: tuple[Any, ...], ref: Ref | None, column: str, target: str
) -> tuple[str, tuple[Any, ...]]:
    if ref is None:
        return where, args
    sql, extra = ref.sql(column, target)
    return f"({where}) AND {sql}", (*args, *extra)


# -- items ----------------------------------------------------------------------------------------------
def _item(kind: str, target: str, ref: Any, title: str, why: str, **rest: Any) -> Item:
    token = "doc" if target == "document" else target
    suffix = "-".join(str(r) for r in ref) if isinstance(ref, list | tuple) else str(ref)
    return {
        "id": f"{kind}:{token}-{suffix}",
        "kind": kind,
        "target": target,
        "ref": ref,
        "title": title,
        "why": why,
        "evidence": [],
        "links": [],
        "actions": ["accept", "fix", "reject"],
        "fix": [],
        **rest,
    }


def _span(doc_id: str, start: int | None, end: int | None) -> list[Item]:
    return [{"doc_id": doc_id, "start": start, "end": end}] if start is not None and end is not None else []


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _figure(exact: int | None, low: int | None, high: int | None) -> str:
    if exact is not None:
        return str(exact)
    if low is not None and high is not None:
        return f"{low}–{high}"
    return f"{low}+" if low is not None else "–"


def _after(value: str, reference: str) -> bool:
    """``value`` (YYYY, YYYY-MM or YYYY-MM-DD) lies after ``reference`` at ``value``'s precision."""
    return value > reference[: len(value)]


# -- documents ------------------------------------------------------------------------------------------
_DOCS = """SELECT d.id, d.title, d.published, d.published_not_before, substr(d.text, 1, 400) AS head,
                  (SELECT count(DISTINCT r.event_id) FROM event_reports r WHERE r.doc_id=d.id) AS events,
                  (SELECT count(*) FROM claims c WHERE c.doc_id=d.id) AS claims,
                  (SELECT count(*) FROM relations r WHERE r.doc_id=d.id) AS relations
           FROM documents d"""


def _lead(head: str) -> int:
    """Where the opening of a document ends: after the last full sentence or line of ``head`` (its first 400
    characters), else at its last space."""
    end = max(head.rfind(mark) + len(mark) - 1 for mark in (". ", ".\n", "\n"))
    if end < 80:
        end = head.rfind(" ") if len(head) == 400 and head.rfind(" ") > 0 else len(head)
    return end if end > 0 else len(head)


def _doc_source(kind: str, where: str, args: tuple[Any, ...], why: Callable[[Row], str], ref: Ref | None) -> Source:
    def build(_conn: sqlite3.Connection, rows: list[Row]) -> list[Item]:
        return [
            _item(
                kind,
                "document",
                d["id"],
                d["title"] or "(untitled)",
                why(d),
                actions=["accept", "fix"],
                fix=["date"],
                anchors=[doc_anchor(d["id"])],
                evidence=_span(d["id"], 0, _lead(d["head"])) if d["head"].strip() else [],  # datelines, mastheads
                links=[{"label": "document", "href": f"/documents/{d['id']}"}],
            )
            for d in rows
        ]

    where, args = _restrict(f"d.status='analysed' AND {where} AND {_open(kind, _DOC_ANCHOR)}", args, ref, "d.id", "doc")
    return SqlSource(_DOCS, where, args, "d.ingested_at DESC, d.id", build)


def _undated_why(d: Row) -> str:
    facts = ", ".join(_n(d[k], k[:-1]) for k in ("events", "claims", "relations") if d[k]) or "no facts yet"
    bound = f"; its text mentions dates up to {d['published_not_before']}" if d["published_not_before"] else ""
    return f"no publication date, so its relative dates stay unresolved ({facts}){bound}"


# -- events ---------------------------------------------------------------------------------------------
_EVENTS = """SELECT e.id, e.event_type, e.attack_type, e.date, e.place_text AS place, e.place_entity_id, e.country,
                    e.perpetrator_entity_id, p.name AS perpetrator, e.is_background
             FROM events e LEFT JOIN entities p ON p.id=e.perpetrator_entity_id"""
_EVENT_OPEN = """NOT EXISTS (SELECT 1 FROM event_reports r JOIN review_marks m ON m.kind='{kind}'
                 AND m.anchor={anchor} WHERE r.event_id=e.id)"""


def _reports(conn: sqlite3.Connection, event_ids: list[int]) -> dict[int, list[Row]]:
    """Each event's reports, oldest publication first, with their figures."""
    out: dict[int, list[Row]] = {}
    for ids in [event_ids[i : i + CHUNK] for i in range(0, len(event_ids), CHUNK)]:
        for r in conn.execute(
            f"""SELECT r.event_id, r.doc_id, r.trigger_start, r.trigger_end, r.killed, r.killed_low, r.killed_high,
                       r.wounded, r.wounded_low, r.wounded_high, d.published
                FROM event_reports r JOIN documents d ON d.id=r.doc_id WHERE r.event_id IN ({",".join("?" * len(ids))})
                ORDER BY d.published NULLS LAST, r.id""",
            ids,
        ):
            out.setdefault(int(r["event_id"]), []).append(dict(r))
    return out


def _event_title(e: Row) -> str:
    what = (e["attack_type"] or e["event_type"]).replace("_", " ")
    title = f"{what} in {e['place'] or 'an unknown place'}, {e['date'] or 'undated'}"
    return title + (f", by {e['perpetrator']}" if e["perpetrator"] else "")


def _event_source(
    kind: str, where: str, args: tuple[Any, ...], order: str, why: Callable[[Row, list[Row]], str], ref: Ref | None
) -> Source:
    fix = ["killed", "wounded"] if kind == "tolls" else ["date", "place", "perpetrator"]

    def build(conn: sqlite3.Connection, events: list[Row]) -> list[Item]:
        reports = _reports(conn, [int(e["id"]) for e in events])
        out = []
        for e in events:
            rs = reports.get(int(e["id"]), [])
            shown = rs[:MAX_SOURCES] if kind == "tolls" else rs[:1]
            out.append(
                _item(
                    kind,
                    "event",
                    int(e["id"]),
                    _event_title(e),
                    why(e, rs),
                    fix=fix,
                    anchors=[report_anchor(r["doc_id"], r["trigger_start"], r["trigger_end"]) for r in rs],
                    # the trigger: attach_evidence widens it to the evidence sentence that holds it
                    evidence=[
                        {"doc_id": r["doc_id"], "start": r["trigger_start"], "end": r["trigger_end"], "sentence": True}
                        for r in shown
                    ],
                    links=[{"label": "event", "href": f"/events/{e['id']}"}],
                    sources=[r["doc_id"] for r in rs],
                )
            )
        return out

    where, args = _restrict(
        f"({where}) AND {_EVENT_OPEN.format(kind=kind, anchor=_REPORT_ANCHOR)}", args, ref, "e.id", "event"
    )
    return SqlSource(_EVENTS, where, args, order, build)


def _incomplete_why(e: Row, rs: list[Row]) -> str:
    missing = [
        name
        for name, gone in (
            ("date", e["date"] is None),
            ("place", e["place"] is None and e["place_entity_id"] is None),
            ("perpetrator", e["perpetrator_entity_id"] is None),
        )
        if gone
    ]
    text = "no " + ", no ".join(missing)
    if "place" in missing and e["country"]:
        text += f" (country {e['country']} only)"
    undated = [r["doc_id"] for r in rs if r["published"] is None]
    if e["date"] is None and undated:
        text += f"; its source is undated: fix undated:doc-{undated[0]} first"
    return text


def _tolls_why(e: Row, rs: list[Row]) -> str:
    parts = []
    for toll in ("killed", "wounded"):
        given = [(r, _figure(r[toll], r[f"{toll}_low"], r[f"{toll}_high"])) for r in rs]
        given = [(r, f) for r, f in given if f != "–"]
        if len({f for _, f in given}) > 1:
            parts.append(f"{toll} " + ", ".join(f"{f} ({r['doc_id'][:8]})" for r, f in given))
    return "sources disagree: " + "; ".join(parts)


_TOLL_SIGNATURE = """count(DISTINCT CASE WHEN {f} IS NOT NULL OR {f}_low IS NOT NULL
                     THEN coalesce(CAST({f} AS TEXT), '') || '/' || coalesce(CAST({f}_low AS TEXT), '') || '/'
                          || coalesce(CAST({f}_high AS TEXT), '') END)"""
_CONFLICTING = f"""e.id IN (SELECT event_id FROM event_reports GROUP BY event_id
                   HAVING {_TOLL_SIGNATURE.format(f="killed")} > 1 OR {_TOLL_SIGNATURE.format(f="wounded")} > 1)"""


# -- relations and claims -------------------------------------------------------------------------------
_RELATIONS = """SELECT r.id, r.doc_id, r.predicate, r.valid_from, r.trigger_start, r.trigger_end, r.evidence_start,
                       r.evidence_end, d.published, s.name AS subject, o.name AS object
                FROM relations r JOIN documents d ON d.id=r.doc_id JOIN entities s ON s.id=r.subject_entity_id
                JOIN entities o ON o.id=r.object_entity_id"""
_CLAIMS = """SELECT c.id, c.doc_id, c.start, c.end, c.evidence_start, c.evidence_end, c.kind, c.extraction_score,
                    coalesce(s.name, c.speaker_text) AS speaker
             FROM claims c LEFT JOIN entities s ON s.id=c.speaker_entity_id"""


def _future_relations(today: str, ref: Ref | None) -> Source:
    def build(_conn: sqlite3.Connection, rows: list[Row]) -> list[Item]:
        out = []
        for r in rows:
            when = "today" if _after(r["valid_from"], today) else f"its document ({r['published']})"
            out.append(
                _item(
                    "future",
                    "relation",
                    int(r["id"]),
                    f"{r['subject']} {r['predicate'].replace('_', ' ')} {r['object']}",
                    f"valid from {r['valid_from']}, after {when}",
                    actions=["accept", "reject"],
                    anchors=[
                        span_anchor("relation", r["doc_id"], r["trigger_start"], r["trigger_end"], r["predicate"])
                    ],
                    evidence=_span(r["doc_id"], r["evidence_start"], r["evidence_end"]),
                    links=[{"label": "document", "href": f"/documents/{r['doc_id']}"}],
                )
            )
        return out

    where = f"""r.valid_from IS NOT NULL AND (r.valid_from > substr(?, 1, length(r.valid_from))
                OR r.valid_from > substr(d.published, 1, length(r.valid_from)))
                AND {_open("future", _RELATION_ANCHOR)}"""
    where, args = _restrict(where, (today,), ref, "r.id", "relation")
    return SqlSource(_RELATIONS, where, args, "r.valid_from DESC, r.id", build)


def _low_confidence(threshold: float, ref: Ref | None) -> Source:
    def build(_conn: sqlite3.Connection, rows: list[Row]) -> list[Item]:
        out = []
        for c in rows:
            score = math.floor(c["extraction_score"] * 100) / 100  # 0.299 is not shown as 0.30, the threshold
            why = f"extraction score {score:.2f} (below {threshold:.2f}): cue, speaker or statement may be misread"
            out.append(
                _item(
                    "low-confidence",
                    "claim",
                    int(c["id"]),
                    f"{c['kind']} by {c['speaker'] or 'an unknown speaker'}",
                    why,
                    actions=["accept", "reject"],
                    score=c["extraction_score"],
                    anchors=[span_anchor("claim", c["doc_id"], c["start"], c["end"])],
                    evidence=_span(c["doc_id"], c["evidence_start"], c["evidence_end"]),
                    links=[{"label": "document", "href": f"/documents/{c['doc_id']}"}],
                )
            )
        return out

    where = f"c.extraction_score < ? AND {_open('low-confidence', _CLAIM_ANCHOR)}"
    where, args = _restrict(where, (threshold,), ref, "c.id", "claim")
    return SqlSource(_CLAIMS, where, args, "c.extraction_score, c.id", build)


# -- duplicates -----------------------------------------------------------------------------------------
def _duplicates(conn: sqlite3.Connection, ref: Ref | None) -> Source:
    if ref is not None and ref.target != "entities":
        return ListSource([])
    done = {r[0] for r in conn.execute("SELECT anchor FROM review_marks WHERE kind='duplicate'")}
    items = []
    for p in suspected_duplicates(conn):
        a, b = p["a"], p["b"]
        anchor = f"entities:{'|'.join(sorted((a['key'], b['key'])))}"
        if anchor in done or (ref is not None and ref.value != f"{a['id']}-{b['id']}"):
            continue
        why = (
            f"{p['why']}; {a['name']} ({a['kind']}, {_n(a['mentions'], 'mention')}) and {b['name']} "
            f"({b['kind']}, {_n(b['mentions'], 'mention')})"
        )
        items.append(
            _item(
                "duplicate",
                "entities",
                [a["id"], b["id"]],
                f"{a['name']} / {b['name']}",
                why,
                actions=["accept", "fix"],
                fix=["keep"],
                keep=p["keep"],
                anchors=[anchor],
                links=[
                    {"label": a["name"], "href": f"/actors/{a['id']}"},
                    {"label": b["name"], "href": f"/actors/{b['id']}"},
                ],
            )
        )
    return ListSource(items)


# -- the queue ------------------------------------------------------------------------------------------
def check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise UserError(f"unknown review kind {kind!r}; choose one of {', '.join(KINDS)}")


def sources(conn: sqlite3.Connection, kind: str, opts: Options, ref: Ref | None = None) -> list[Source]:
    """Where the open items of ``kind`` come from, in the order listed (restricted to one object by ``ref``)."""
    today = opts.today
    if kind == "undated":
        return [_doc_source("undated", "d.published IS NULL", (), _undated_why, ref)]
    if kind == "incomplete":
        where = """e.is_background=0 AND (e.date IS NULL OR (e.place_entity_id IS NULL AND e.place_text IS NULL)
                   OR e.perpetrator_entity_id IS NULL)"""
        return [_event_source("incomplete", where, (), "e.date DESC NULLS FIRST, e.id", _incomplete_why, ref)]
    if kind == "future":

        def why(e: Row, rs: list[Row]) -> str:
            if _after(e["date"], today):
                return f"dated {e['date']}, after today ({today})"
            early = next((r for r in rs if r["published"] and _after(e["date"], r["published"])), None)
            if early is None:
                return f"dated {e['date']}, after a source was published"
            return f"dated {e['date']}, after its source {early['doc_id'][:8]} was published ({early['published']})"

        where = """e.date IS NOT NULL AND (e.date > substr(?, 1, length(e.date)) OR EXISTS (
                   SELECT 1 FROM event_reports r JOIN documents d ON d.id=r.doc_id WHERE r.event_id=e.id
                   AND e.date > substr(d.published, 1, length(e.date))))"""
        return [
            _doc_source(
                "future",
                "d.published > ?",
                (today,),
                lambda d: f"published {d['published']}, after today ({today}); its facts are dated from it",
                ref,
            ),
            _event_source("future", where, (today,), "e.date DESC, e.id", why, ref),
            _future_relations(today, ref),
        ]
    if kind == "low-confidence":
        return [_low_confidence(opts.threshold, ref)]
    if kind == "duplicate":
        return [_duplicates(conn, ref)]
    if kind == "tolls":
        return [_event_source("tolls", _CONFLICTING, (), "e.date DESC NULLS LAST, e.id", _tolls_why, ref)]
    check_kind(kind)
    return []


def review_page(
    conn: sqlite3.Connection, kind: str | None = None, opts: Options | None = None, limit: int = -1, offset: int = 0
) -> tuple[list[Item], int, dict[str, int]]:
    """A page of open items (of one kind, or all in :data:`KINDS` order; every one when ``limit`` < 0), how many
    of them are open, and the open items per kind and ``total``. Only the page's items are built."""
    check_kind(kind)
    opts = opts or Options()
    plan = [(k, s, s.count(conn)) for k in KINDS for s in sources(conn, k, opts)]
    counts = {k: sum(n for kk, _, n in plan if kk == k) for k in KINDS}
    counts["total"] = sum(counts[k] for k in KINDS)
    items: list[Item] = []
    skip, left = offset, limit
    for k, source, n in plan:
        if (kind is not None and k != kind) or n == 0:
            continue
        if skip >= n:
            skip -= n
            continue
        take = n - skip if left < 0 else min(left, n - skip)
        if take > 0:
            items += source.fetch(conn, take, skip)
        skip = 0
        if left >= 0:
            left -= take
            if left <= 0:
                break
    return items, counts[kind] if kind else counts["total"], counts


def review_items(conn: sqlite3.Connection, kind: str | None = None, opts: Options | None = None) -> list[Item]:
    """Every open item (of one kind, or all)."""
    return review_page(conn, kind, opts)[0]


def review_counts(conn: sqlite3.Connection, opts: Options | None = None) -> dict[str, int]:
    """Open items per kind, and ``total``."""
    return review_page(conn, None, opts, limit=0)[2]


def find_item(conn: sqlite3.Connection, item_id: str, opts: Options | None = None) -> Item:
    """An open item by id; a document's id may be shortened to a unique prefix (``undated:doc-e5c43f9f``)."""
    kind, _, rest = item_id.partition(":")
    if kind not in KINDS:
        raise NotFound(f"no review item {item_id!r}: an item id starts with one of {', '.join(KINDS)}")
    target, _, value = rest.partition("-")
    found: list[Item] = []
    if value and (target != "doc" or (len(value) >= 4 and all(ch in "0123456789abcdef" for ch in value))):
        ref = Ref(target, value)
        found = [i for s in sources(conn, kind, opts or Options(), ref) for i in s.fetch(conn, 3)]
        if len(found) > 1:
            found = [i for i in found if i["id"] == item_id] or found
    if len(found) != 1:
        raise NotFound(
            f"no open review item {item_id!r} (already reviewed, no longer flagged, or the prefix is "
            "ambiguous); see `watchfloor review`"
        )
    return found[0]


# -- evidence -------------------------------------------------------------------------------------------
def attach_evidence(conn: sqlite3.Connection, items: Iterable[Item]) -> None:
    """Add the text of each evidence span; an event's trigger becomes its evidence sentence; a suspected
    duplicate gets a mention of each entity, in context."""
    for item in items:
        if item["target"] == "entities" and not item["evidence"]:
            for entity_id in item["ref"]:
                m = conn.execute(
                    "SELECT doc_id, start, end FROM mentions WHERE entity_id=? ORDER BY id DESC LIMIT 1", (entity_id,)
                ).fetchone()
                if m is not None:
                    item["evidence"].append(
                        {
                            "doc_id": m["doc_id"],
                            "start": m["start"],
                            "end": m["end"],
                            "entity_id": entity_id,
                            "context": 80,
                        }
                    )
        for ev in item["evidence"]:
            if ev.pop("sentence", False):
                _widen_to_sentence(conn, ev)
            around = int(ev.pop("context", 0))
            start, end = ev["start"], ev["end"]
            row = conn.execute(
                """SELECT substr(text, ? + 1, ?), substr(text, max(1, ? + 1 - ?), min(?, ?)), substr(text, ? + 1, ?)
                   FROM documents WHERE id=?""",
                (start, end - start, start, around, start, around, end, around, ev["doc_id"]),
            ).fetchone()
            if row is not None:
                ev["text"] = row[0]
                ev["before"], ev["after"] = (_from_word(row[1]), _to_word(row[2])) if around else ("", "")


def _widen_to_sentence(conn: sqlite3.Connection, ev: Item) -> None:
    """An event report's trigger span becomes the span of the evidence sentence that holds it."""
    found = conn.execute(
        """SELECT v.start, v.end FROM event_reports r JOIN event_evidence v ON v.report_id=r.id
           WHERE r.doc_id=? AND r.trigger_start=? AND r.trigger_end=? AND v.end > r.trigger_start
           ORDER BY v.start LIMIT 1""",
        (ev["doc_id"], ev["start"], ev["end"]),
    ).fetchone()
    if found is not None:
        ev["start"], ev["end"] = int(found[0]), int(found[1])


def _from_word(text: str) -> str:
    """Context before a span, from the first whole word."""
    space = text.find(" ")
    return text[space + 1 :] if 0 <= space < len(text) - 1 and not text[:1].isspace() else text.lstrip()


def _to_word(text: str) -> str:
    """Context after a span, up to the last whole word."""
    space = text.rfind(" ")
    return text[:space] if space > 0 else text


# -- marks ----------------------------------------------------------------------------------------------
def mark(
    conn: sqlite3.Connection,
    item: Item,
    decision: str,
    author: str,
    note: str | None = None,
    corrections: list[int] | None = None,
) -> int:
    """Record that ``item`` was reviewed (under each of its anchors); returns the rows written."""
    if decision not in DECISIONS:
        raise UserError(f"unknown decision {decision!r}; choose one of {', '.join(DECISIONS)}")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    n = 0
    for anchor in item["anchors"]:
        n += conn.execute(
            """INSERT INTO review_marks(kind, anchor, item, decision, corrections, author, note, created_at)
               VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(kind, anchor) DO UPDATE SET item=excluded.item,
               decision=excluded.decision, corrections=excluded.corrections, author=excluded.author,
               note=excluded.note, created_at=excluded.created_at""",
            (item["kind"], anchor, item["id"], decision, json.dumps(corrections or []), author, note, now),
        ).rowcount
    return n


def list_marks(conn: sqlite3.Connection, limit: int = 100, offset: int = 0) -> list[Item]:
    """Reviewed items, latest first (one row per item, however many anchors it was stored under)."""
    rows = conn.execute(
        """SELECT m.item, m.kind, m.decision, m.corrections, m.author, m.note, g.created_at, g.anchors
           FROM (SELECT max(id) AS latest, max(created_at) AS created_at, count(*) AS anchors
                 FROM review_marks GROUP BY item, decision) AS g
           JOIN review_marks m ON m.id=g.latest ORDER BY g.latest DESC LIMIT ? OFFSET ?""",
        (limit, offset),
    ).fetchall()
    return [{**dict(r), "corrections": json.loads(r["corrections"])} for r in rows]
