"""Admiralty grades of events, computed at read time from reports, documents and their duplicates.

Nothing is stored: a grade follows the lexicon (``data/lexicons/source_reliability.yaml``) as it is edited,
and the store's own dedup (``duplicate_of``, several inputs with the same bytes) supplies syndicated copies.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from watchfloor.reliability import Copy, Grade, Report, grade_reports, meets, sort_key
from watchfloor.store import grade_cache
from watchfloor.store.sqlparts import chunks, marks

Row = dict[str, Any]
_WORD = re.compile(r"\w+")
HEAD = 300  # characters of a document's start read for a wire dateline ("KABUL (Reuters) —")


def event_reports(conn: sqlite3.Connection, event_ids: list[int]) -> dict[int, list[Report]]:
    """Per event: one :class:`Report` per reporting document, with its evidence sentences and copies."""
    by_doc: dict[tuple[int, str], Row] = {}
    for ids in chunks(event_ids):
        for row in conn.execute(
            f"""SELECT r.event_id, r.doc_id, d.publisher, d.url, d.title, d.author, substr(d.text, 1, {HEAD}) AS head,
                       substr(d.text, v.start + 1, v.end - v.start) AS sentence
                FROM event_reports r JOIN documents d ON d.id=r.doc_id
                LEFT JOIN event_evidence v ON v.report_id=r.id
                WHERE r.event_id IN ({marks(ids)}) ORDER BY r.event_id, r.id, v.start""",
            ids,
        ):
            item = by_doc.setdefault((int(row[0]), str(row[1])), {"row": row, "sentences": []})
            if row[7]:
                item["sentences"].append(str(row[7]))
    copies = _copies(conn, sorted({doc for _, doc in by_doc}))
    out: dict[int, list[Report]] = {}
    for (event_id, doc_id), item in by_doc.items():
        row = item["row"]
        sentences = tuple(item["sentences"])
        report = Report(doc_id, row[2], row[3], row[4], sentences, row[6] or "", copies.get(doc_id, ()), row[5])
        out.setdefault(event_id, []).append(report)
    return out


def _copies(conn: sqlite3.Connection, doc_ids: list[str]) -> dict[str, tuple[Copy, ...]]:
    """Syndicated copies of each document: exact and near duplicates pointing at it, and further inputs
    that had the same bytes (one document, several rows in ``sources``), duplicates' own included."""
    found: dict[str, list[Copy]] = {}
    dups: dict[str, str] = {}
    for ids in chunks(doc_ids):
        # Sorted here: an ORDER BY id makes SQLite walk the whole id index instead of the duplicate_of one.
        for dup, original, publisher, url, kind in sorted(
            (tuple(row) for row in conn.execute(
                f"""SELECT id, duplicate_of, publisher, url, duplicate_kind FROM documents
                    WHERE duplicate_of IN ({marks(ids)})""",
                ids,
            )),
            key=lambda row: str(row[0]),
        ):  # fmt: skip
            found.setdefault(original, []).append(Copy(dup, publisher, url, f"{kind or 'exact'} duplicate"))
            dups[dup] = original
    for ids in chunks([*doc_ids, *dups]):
        for doc_id, n in conn.execute(
            f"""SELECT doc_id, count(*) FROM sources WHERE doc_id IN ({marks(ids)})
                GROUP BY doc_id HAVING count(*) > 1""",
            ids,
        ):
            same = [Copy(doc_id, None, None, "same text, another input")] * (int(n) - 1)
            found.setdefault(dups.get(doc_id, doc_id), []).extend(same)
    return {doc: tuple(c) for doc, c in found.items()}


def event_grades(conn: sqlite3.Connection, event_ids: list[int]) -> dict[int, Grade]:
    """The Admiralty grade of each event (F6 for an event without reports)."""
    reports = event_reports(conn, event_ids)
    return {event_id: grade_reports(reports.get(event_id, [])) for event_id in event_ids}


def attach_grades(conn: sqlite3.Connection, rows: list[Row]) -> None:
    """Add ``grade`` ("B2"), ``n_independent`` and ``admiralty`` (how the grade was reached) to event rows."""
    grades = event_grades(conn, [int(r["id"]) for r in rows])
    for row in rows:
        g = grades[int(row["id"])]
        row["grade"] = g.code
        row["n_independent"] = g.n_independent
        row["admiralty"] = g.as_dict()


def graded_events(
    conn: sqlite3.Connection,
    *,
    min_grade: str | None = None,
    by_grade: bool = False,
    limit: int = 100,
    offset: int = 0,
    max_sources: int | None = None,
    **filters: Any,
) -> list[Row]:
    """Events at or above ``min_grade`` (both scales: B3 keeps A1–B3), best grade first when ``by_grade``.

    Grades are computed, not stored, so every matching event is graded before the page is cut; sources are
    then read for that page only."""
    from watchfloor.store.sqlite_events import event_sources, list_events  # imports this module

    rows = list_events(conn, **filters, limit=-1, offset=0, max_sources=0)
    if min_grade:
        rows = [r for r in rows if meets(r["grade"], min_grade)]
    if by_grade:
        rows.sort(key=lambda r: sort_key(r["grade"]))  # stable: the requested order within a grade
    rows = rows[offset : offset + limit]
    sources = event_sources(conn, [int(r["id"]) for r in rows], max_sources)
    for row in rows:
        row["sources"] = sources.get(int(row["id"]), [])
    return rows


# -- relations and claims: the same grading over the documents that state them ----------------------------
def doc_reports(conn: sqlite3.Connection, stated: dict[Any, list[tuple[str, str]]]) -> dict[Any, list[Report]]:
    """Per key: one :class:`Report` per document in its (doc_id, evidence sentence) pairs, with the document's
    outlet, dateline and syndicated copies (a document's sentences together)."""
    doc_ids = sorted({doc for pairs in stated.values() for doc, _ in pairs})
    meta: dict[str, Row] = {}
    for ids in chunks(doc_ids):
        for row in conn.execute(
            f"""SELECT id, publisher, url, title, author, substr(text, 1, {HEAD}) FROM documents
                WHERE id IN ({marks(ids)})""",
            ids,
        ):
            meta[str(row[0])] = {"publisher": row[1], "url": row[2], "title": row[3], "author": row[4], "head": row[5]}
    copies = _copies(conn, doc_ids)
    out: dict[Any, list[Report]] = {}
    for key, pairs in stated.items():
        sentences: dict[str, list[str]] = {}
        for doc, sentence in pairs:
            if doc in meta:
                sentences.setdefault(doc, []).extend([sentence] if sentence else [])
        out[key] = [
            Report(doc, m["publisher"], m["url"], m["title"], tuple(dict.fromkeys(s)), m["head"] or "",
                   copies.get(doc, ()), m["author"])
            for doc, s in sentences.items()
            for m in [meta[doc]]
        ]  # fmt: skip
    return out


def _set_grade(row: Row, grade: Grade) -> None:
    row["grade"] = grade.code
    row["n_independent"] = grade.n_independent
    row["admiralty"] = grade.as_dict()


def attach_relation_grades(conn: sqlite3.Connection, rows: list[Row], statements: dict[int, list[Row]]) -> None:
    """Add ``grade``, ``n_independent`` and ``admiralty`` to aggregated relation rows. ``statements[i]`` are
    all the sentences stating row ``i`` (as :func:`sqlite_relations.relation_sources_many` gives them); the
    documents stating it with the polarity the row shows (asserted, or denied when no source asserts it)
    are its reports, collapsed into independent sources as for events."""
    stated: dict[int, list[tuple[str, str]]] = {}
    against: dict[int, int] = {}
    for i, row in enumerate(rows):
        same = [s for s in statements.get(i, []) if bool(s["negated"]) == bool(row["negated"])]
        stated[i] = [(str(s["doc_id"]), str(s["text"] or "")) for s in same]
        against[i] = len({s["doc_id"] for s in statements.get(i, [])} - {s["doc_id"] for s in same})
    reports = doc_reports(conn, stated)
    for i, row in enumerate(rows):
        grade = grade_reports(reports.get(i, []))
        if against[i]:
            word = "asserts" if row["negated"] else "denies"
            grade.explanation += f"; {against[i]} document{'s' if against[i] != 1 else ''} {word} it (not counted)"
        _set_grade(row, grade)


def claim_words(text: str) -> str:
    """What makes two claims by one speaker the same claim: their words, lower case, in order."""
    return " ".join(_WORD.findall(text.lower()))


def _speaker_key(row: Row) -> str:
    return str(row["speaker_entity_id"] if row["speaker_entity_id"] is not None else row["speaker_text"])


def _has_speaker(row: Row) -> bool:
    return row["speaker_entity_id"] is not None or bool(row["speaker_text"])


def attach_claim_grades(conn: sqlite3.Connection, rows: list[Row]) -> None:
    """Add ``grade``, ``n_independent`` and ``admiralty`` to claim rows (as :func:`sqlite_claims.list_claims`
    gives them). Reliability is the claim's own document's outlet; credibility counts the independent sources
    among the documents that carry the same claim — the same speaker, the same words — collapsed as for
    events. (The store's stance links join claims of *different* speakers, so they do not count here.)
    Grades already computed since the store last changed are reused (``grade_cache``)."""
    if not rows:
        return
    held = grade_cache.held_grades(conn)
    missing: list[Row] = []
    for row in rows:
        if (fields := held.get(("claim", int(row["id"])))) is not None:
            grade_cache.apply(row, fields)
        else:
            missing.append(row)
    _grade_claims(conn, missing)
    for row in missing:
        held[("claim", int(row["id"]))] = grade_cache.fields_of(row)


def _grade_claims(conn: sqlite3.Connection, rows: list[Row]) -> None:
    if not rows:
        return
    # (Imported here: the claims module imports this one.)
    from watchfloor.store.sqlite_claims import claims_with_words

    key_of = {int(r["id"]): (_speaker_key(r), claim_words(str(r["text"]))) for r in rows}
    wanted = {key_of[int(r["id"])] for r in rows if _has_speaker(r)}
    carrier_ids = {claim_id: key for key, ids in claims_with_words(conn, wanted).items() for claim_id in ids}
    carriers: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for ids in chunks(sorted(carrier_ids)):  # the evidence sentences of the carriers only
        for claim_id, doc, sentence in conn.execute(
            f"""SELECT c.id, c.doc_id, substr(d.text, c.evidence_start + 1, c.evidence_end - c.evidence_start)
                FROM claims c JOIN documents d ON d.id=c.doc_id WHERE c.id IN ({marks(ids)}) ORDER BY c.id""",
            ids,
        ):
            carriers.setdefault(carrier_ids[int(claim_id)], []).append((str(doc), str(sentence or "")))
    own: dict[int, list[tuple[str, str]]] = {}
    carried: dict[int, list[tuple[str, str]]] = {}
    for row in rows:
        sentence = row["sources"][0]["sentence"] if row.get("sources") else ""
        own[int(row["id"])] = [(str(row["doc_id"]), str(sentence))]
        carried[int(row["id"])] = carriers.get(key_of[int(row["id"])], []) or own[int(row["id"])]
    own_reports, all_reports = doc_reports(conn, own), doc_reports(conn, carried)
    for row in rows:
        _set_grade(row, claim_grade(own_reports[int(row["id"])], all_reports[int(row["id"])], row["speaker"]))


def claim_grade(own: list[Report], carried: list[Report], speaker: str | None = None) -> Grade:
    """A claim's grade: the letter of its own document's outlet, the digit from every document carrying it."""
    source = grade_reports(own)
    info = grade_reports(carried or own)
    outlet = source.sources[0].outlet if source.sources else None
    said = (
        f"said in {outlet.name} ({outlet.label}, {outlet.grade})"
        if outlet is not None and outlet.known
        else "said in an outlet of unknown reliability (F)"
    )
    detail = info.explanation.split("; ", 1)[1] if "; " in info.explanation else info.explanation
    if len({r.doc_id for r in carried or own}) > 1:
        detail = f"carried by {detail}"
    else:
        detail = f"1 independent source: no other document carries this claim by {speaker or 'this speaker'}"
    text = f"{source.reliability}{info.credibility}: {said}; {detail}"
    return Grade(source.reliability, info.credibility, info.n_reports, info.n_independent, source.best_source,
                 text, info.sources)  # fmt: skip
