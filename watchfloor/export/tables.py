"""Flat tables of entities, events (ACLED-like columns), relations and claims as CSV, JSONL or Parquet.

The column lists below are the documented schema (docs/exports.md); every row keeps its evidence
(document id and character span) so a spreadsheet user can still audit it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchfloor.workspace import Workspace

Rows = list[dict[str, Any]]
FORMATS = ("csv", "jsonl", "parquet")


def _evidence(sources: list[dict[str, Any]]) -> str:
    return " | ".join(f"{s['doc_id']}:{s['start']}-{s['end']}" for s in sources)


def entity_rows(ws: Workspace, since: str | None, until: str | None, actor: str | None) -> Rows:
    snap = ws.snapshot(since, until, actor)
    return [
        {
            "key": e["key"], "name": e["name"], "kind": e["kind"], "label": e["label"], "wikidata": e["qid"],
            "geonames_id": e["geonames_id"], "latitude": e["latitude"], "longitude": e["longitude"],
            "country": e["country_code"], "admin1": e["admin1"], "aliases": "; ".join(e["aliases"]),
            "mentions": e["mentions"], "documents": len(e["doc_ids"]), "doc_ids": " ".join(e["doc_ids"]),
        }
        for e in sorted(snap["entities"], key=lambda e: (-e["mentions"], e["name"]))
    ]  # fmt: skip


def event_rows(ws: Workspace, since: str | None, until: str | None, actor: str | None) -> Rows:
    """ACLED's column names where they fit (event_date, event_type, sub_event_type, actor1, …)."""
    rows = []
    for e in ws.events(actor, None, since, until, None, True, 1_000_000, 0, "date ASC"):
        rows.append(
            {
                "event_id": e["id"], "event_date": e["date"], "date_precision": e["date_precision"],
                "year": int(e["date"][:4]) if e["date"] else None, "event_type": e["event_type"],
                "sub_event_type": e["attack_type"], "actor1": e["perpetrator"],
                "actor1_status": e["perpetrator_status"], "target": e["target"], "target_type": e["target_type"],
                "weapon": e["weapon"], "suicide": e["suicide"], "country": e["country"], "location": e["place"],
                "latitude": e["latitude"], "longitude": e["longitude"],
                "fatalities": e["killed"] if e["killed"] is not None else e["killed_low"],
                "fatalities_low": e["killed_low"], "fatalities_high": e["killed_high"],
                "injuries": e["wounded"] if e["wounded"] is not None else e["wounded_low"],
                "figures_disagree": e["figures_disagree"], "is_background": e["is_background"],
                "source": "; ".join(sorted({s["title"] or s["doc_id"] for s in e["sources"]})),
                "source_count": len(e["sources"]), "evidence": _evidence(e["sources"]),
            }
        )  # fmt: skip
    return rows


def relation_rows(ws: Workspace, since: str | None, until: str | None, actor: str | None) -> Rows:
    return [
        {
            "subject": r["subject"], "predicate": r["predicate"], "object": r["object"], "negated": r["negated"],
            "hedged": r["hedged"], "contradicted": r["contradicted"], "valid_from": r["valid_from"],
            "valid_to": r["valid_to"], "n_sources": r["n_sources"], "first_seen": r["first_seen"],
            "last_seen": r["last_seen"], "evidence": _evidence(r["sources"]),
        }
        for r in ws.relations(actor, None, since, until, 1, 1_000_000, 0)
    ]  # fmt: skip


def claim_rows(ws: Workspace, since: str | None, until: str | None, actor: str | None) -> Rows:
    rows = []
    for c in ws.claims(None, actor, None, since, 1_000_000, 0):
        if until and (c["published"] or "") > until + "~":
            continue
        band = c["probability_band"] or [None, None]
        rows.append(
            {
                "claim_id": c["id"], "published": c["published"], "speaker": c["speaker"],
                "speaker_role": c["speaker_role"], "kind": c["kind"], "text": c["text"], "quote": c["quote"],
                "about": "; ".join(a["name"] for a in c["about"]), "probability_words": c["probability_words"],
                "probability_low": band[0], "probability_high": band[1], "horizon_start": c["horizon_start"],
                "horizon_end": c["horizon_end"], "status": c["status"],
                "agrees_with": " ".join(map(str, c["agrees_with"])),
                "contradicts": " ".join(map(str, c["contradicts"])),
                "evidence": _evidence(c["sources"]),
            }
        )  # fmt: skip
    return rows


TABLES: dict[str, Callable[[Workspace, str | None, str | None, str | None], Rows]] = {
    "entities": entity_rows,
    "events": event_rows,
    "relations": relation_rows,
    "claims": claim_rows,
}


def write_rows(rows: Rows, path: Path, fmt: str) -> None:
    """Write rows as CSV (UTF-8, header), JSON Lines or Parquet (typed columns via pyarrow)."""
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
    elif fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else [])
            writer.writeheader()
            writer.writerows(rows)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), path)
