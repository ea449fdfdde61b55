"""A consistent read of the store for exports: documents in a date window, the entities they mention."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

Row = dict[str, Any]


def snapshot(
    conn: sqlite3.Connection, since: str | None = None, until: str | None = None, actor_id: int | None = None
) -> Row:
    """Analysed documents (published in the window, mentioning the actor if given) and their entities."""
    sql = """SELECT id, title, url, publisher, author, published, source, ingested_at FROM documents
             WHERE status='analysed'"""
    args: list[Any] = []
    if since:
        sql += " AND published >= ?"
        args.append(since)
    if until:
        sql += " AND published <= ?"
        args.append(until + "~")
    if actor_id is not None:
        sql += " AND id IN (SELECT doc_id FROM mentions WHERE entity_id=?)"
        args.append(actor_id)
    documents = [dict(r) for r in conn.execute(sql + " ORDER BY published, id", args)]
    doc_ids = [d["id"] for d in documents]
    entities: dict[int, Row] = {}
    if doc_ids:
        marks = ",".join("?" * len(doc_ids))
        for r in conn.execute(
            f"""SELECT e.id, e.key, e.name, e.kind, e.label, e.qid, e.description, e.countries, e.geonames_id,
                       e.latitude, e.longitude, e.country_code, e.admin1, m.doc_id, count(*) AS mentions,
                       min(d.ingested_at) AS first_ingested
                FROM mentions m JOIN entities e ON e.id=m.entity_id JOIN documents d ON d.id=m.doc_id
                WHERE m.doc_id IN ({marks}) GROUP BY e.id, m.doc_id ORDER BY e.id""",
            doc_ids,
        ):
            row = dict(r)
            entity = entities.setdefault(
                row["id"],
                {
                    **{k: row[k] for k in row if k not in ("doc_id", "mentions", "first_ingested")},
                    "doc_ids": [],
                    "mentions": 0,
                    "first_ingested": row["first_ingested"],
                },
            )
            entity["doc_ids"].append(row["doc_id"])
            entity["mentions"] += row["mentions"]
            entity["first_ingested"] = min(entity["first_ingested"], row["first_ingested"])
        for entity in entities.values():
            entity["countries"] = json.loads(entity["countries"] or "[]")
            entity["aliases"] = [
                a[0]
                for a in conn.execute("SELECT alias FROM aliases WHERE entity_id=? ORDER BY alias", (entity["id"],))
            ]
    return {"documents": documents, "entities": list(entities.values())}
