"""Relations in SQLite: one row per stating sentence; listed aggregated per (subject, predicate, object)."""

from __future__ import annotations

import sqlite3
from typing import Any

from watchfloor.models import RelationRecord
from watchfloor.store import grade_cache
from watchfloor.store.sqlite_reliability import attach_relation_grades
from watchfloor.store.sqlparts import Where, order_term

Row = dict[str, Any]
FACTUAL = ("asserted", "reported")  # what summaries count by default: not forecasts, claims, questions...


def modality_label(modality: str | None, speaker: str | None) -> str | None:
    """A short label for a stating sentence that is not a plain assertion: "forecast by X", "claimed by X",
    "reported by X", "question"; None for an assertion."""
    if not modality or modality == "asserted":
        return None
    return f"{modality} by {speaker}" if speaker else modality


def write_relations(
    conn: sqlite3.Connection,
    doc_id: str,
    relations: list[RelationRecord],
    ids: dict[str, int],
    extractor: str,
    version: str,
) -> None:
    """Insert one document's relations (both ends must be stored entities)."""
    conn.executemany(
        """INSERT INTO relations(doc_id, subject_entity_id, predicate, object_entity_id, negated, hedged,
               valid_from, valid_to, trigger_start, trigger_end, evidence_start, evidence_end, extractor,
               extractor_version, modality, speaker_entity_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        [
            (
                doc_id,
                ids[r.subject_key],
                r.predicate,
                ids[r.object_key],
                int(r.negated),
                int(r.hedged),
                r.valid_from,
                r.valid_to,
                r.trigger_start,
                r.trigger_end,
                r.evidence[0],
                r.evidence[1],
                extractor,
                version,
                r.modality,
                ids.get(r.speaker_key) if r.speaker_key else None,
            )
            for r in relations
            if r.subject_key in ids and r.object_key in ids
        ],
    )


RELATION_ORDERS = {f: f for f in ("n_sources", "last_seen", "first_seen", "subject", "predicate")}


def list_relations(
    conn: sqlite3.Connection,
    *,
    actor_id: int | None = None,
    predicate: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_sources: int = 1,
    limit: int = 100,
    offset: int = 0,
    order: str = "n_sources DESC",
    max_sources: int | None = None,
    modalities: tuple[str, ...] | None = FACTUAL,
) -> list[Row]:
    """Relations aggregated per (subject, predicate, object): first/last seen, independent sources,
    how many sources deny or hedge it, whether sources contradict each other, and the evidence. Only
    sentences stating it in one of ``modalities`` count (default asserted or reported: a forecast
    alliance is no alliance); None counts every sentence. Each row has its Admiralty ``grade`` over the
    documents stating it (docs/reliability.md)."""
    sql = """SELECT r.subject_entity_id, s.name AS subject, s.kind AS subject_kind, r.predicate,
                    r.object_entity_id, o.name AS object, o.kind AS object_kind,
                    COUNT(DISTINCT r.doc_id) AS n_sources, MIN(d.published) AS first_seen,
                    MAX(d.published) AS last_seen, SUM(r.negated) AS n_negated,
                    SUM(CASE WHEN r.negated=0 THEN 1 ELSE 0 END) AS n_asserted, SUM(r.hedged) AS n_hedged,
                    MIN(r.valid_from) AS valid_from, MAX(r.valid_to) AS valid_to,
                    group_concat(DISTINCT r.modality) AS modalities
             FROM relations r JOIN entities s ON s.id=r.subject_entity_id JOIN entities o ON o.id=r.object_entity_id
             JOIN documents d ON d.id=r.doc_id WHERE """
    w = Where()
    w.add(actor_id, "(r.subject_entity_id=? OR r.object_entity_id=?)", actor_id, actor_id)
    w.add(predicate, "r.predicate=?")
    w.add(modalities, f"r.modality IN ({','.join('?' * len(modalities or ()))})", *(modalities or ()))
    w.window("d.published", since, until)
    sql += (
        w.sql
        + f""" GROUP BY r.subject_entity_id, s.id, r.predicate, r.object_entity_id, o.id
               HAVING COUNT(DISTINCT r.doc_id) >= ?
               ORDER BY {order_term(order, RELATION_ORDERS)}, n_sources DESC, last_seen DESC, subject, object
               LIMIT ? OFFSET ?"""
    )
    held = grade_cache.held_grades(conn)  # read first: grades computed below may only be newer than it says
    rows = [dict(r) for r in conn.execute(sql, [*w.args, min_sources, limit, offset])]
    triples = [(row["subject_entity_id"], row["predicate"], row["object_entity_id"]) for row in rows]
    keys: list[tuple[Any, ...]] = []
    for i, row in enumerate(rows):
        row["negated"] = row["n_asserted"] == 0
        row["hedged"] = row["n_hedged"] == row["n_asserted"] + row["n_negated"]
        row["contradicted"] = bool(row["n_negated"]) and bool(row["n_asserted"])
        row["modalities"] = sorted(set((row["modalities"] or "asserted").split(",")))
        keys.append(("relation", *triples[i], row["negated"], since, until, modalities))
    # Rows graded since the store last changed need only the sentences shown; the others all of them (their
    # grade reads every one), of which the page shows the first ``max_sources``.
    missing = [i for i, key in enumerate(keys) if key not in held]
    every = relation_sources_many(conn, [triples[i] for i in missing], since, until, None, modalities)
    shown = relation_sources_many(
        conn, [triples[i] for i, key in enumerate(keys) if key in held], since, until, max_sources, modalities
    )
    statements: dict[int, list[Row]] = {}
    for i, row in enumerate(rows):
        if keys[i] in held:
            row["sources"] = shown.get(triples[i], [])
            grade_cache.apply(row, held[keys[i]])
        else:
            statements[i] = every.get(triples[i], [])
            row["sources"] = statements[i] if max_sources is None else statements[i][:max_sources]
    # grade, n_independent, admiralty: computed (for the rows not graded since the store last changed), never stored
    attach_relation_grades(conn, [rows[i] for i in missing], {k: statements[i] for k, i in enumerate(missing)})
    for i in missing:
        held[keys[i]] = grade_cache.fields_of(rows[i])
    return rows


def relation_sources_many(
    conn: sqlite3.Connection,
    triples: list[tuple[int, str, int]],
    since: str | None,
    until: str | None,
    limit: int | None = None,
    modalities: tuple[str, ...] | None = None,
) -> dict[tuple[int, str, int], list[Row]]:
    """Every sentence stating each relation (at most ``limit`` each; in one of ``modalities``, None: any),
    strongest first (asserted and unhedged before the rest), with how it is stated and by whom ("forecast by
    X"). One query for a page of relations: one per row cost a round trip each on PostgreSQL."""
    out: dict[tuple[int, str, int], list[Row]] = {}
    for start in range(0, len(triples), 100):
        chunk = list(dict.fromkeys(triples[start : start + 100]))
        pick = " OR ".join("(r.subject_entity_id=? AND r.predicate=? AND r.object_entity_id=?)" for _ in chunk)
        w = Where(f"({pick})", *[x for triple in chunk for x in triple])
        w.add(modalities, f"r.modality IN ({','.join('?' * len(modalities or ()))})", *(modalities or ()))
        w.window("d.published", since, until)
        sql = f"""SELECT * FROM (
                      SELECT r.subject_entity_id AS s_id, r.predicate AS p, r.object_entity_id AS o_id,
                             r.id AS relation_id, r.doc_id, d.title, d.published, r.evidence_start AS start,
                             r.evidence_end AS end,
                             substr(d.text, r.evidence_start + 1, r.evidence_end - r.evidence_start) AS text,
                             r.trigger_start, r.trigger_end, r.negated, r.hedged, r.valid_from, r.valid_to,
                             r.modality, r.speaker_entity_id, sp.name AS speaker,
                             ROW_NUMBER() OVER (PARTITION BY r.subject_entity_id, r.predicate, r.object_entity_id
                                 ORDER BY r.negated, r.modality NOT IN ('asserted', 'reported'), r.hedged,
                                          d.published DESC, r.id) AS n
                      FROM relations r JOIN documents d ON d.id=r.doc_id
                      LEFT JOIN entities sp ON sp.id=r.speaker_entity_id WHERE {w.sql}) AS ranked
                  WHERE ? < 0 OR n <= ? ORDER BY n"""
        bound = -1 if limit is None else limit
        for r in conn.execute(sql, [*w.args, bound, bound]):
            row = dict(r)
            key = (row.pop("s_id"), row.pop("p"), row.pop("o_id"))
            row.pop("n")
            row["negated"], row["hedged"] = bool(row["negated"]), bool(row["hedged"])
            row["label"] = modality_label(row["modality"], row["speaker"])
            out.setdefault(key, []).append(row)
    return out
