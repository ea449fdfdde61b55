"""Suspected duplicate entities (SQLite): a shared Wikidata QID, or names alike (rapidfuzz), for the review queue.

Names are compared within a group (people with people, places with places, organisations with organisations),
normalised as the linker does, token order ignored; only names of entities that came from the text or an
analyst are compared (two curated entries are distinct by design), against every name of their group. Pairs
known to differ are left out: different QIDs, GeoNames ids or countries, different numbers in the names, and
short names (acronyms) unless spelt the same.
"""

from __future__ import annotations

import re
import sqlite3
from itertools import combinations
from typing import Any

from watchfloor.store.location import connection_path
from watchfloor.store.sqlite_browse import data_version, ensure_entity_stats

Row = dict[str, Any]
SIMILARITY = 90  # rapidfuzz token-sort ratio of two normalised names, 0-100
MAX_NAMES = 3000  # names per group compared (those of the most mentioned entities): bounded work
CURATED = ("gazetteer", "geonames", "iso3166")  # sources whose entries are distinct by design
CHUNK = 500
_PAIRS: dict[tuple[str, str], dict[tuple[int, int], str]] = {}


def suspected_duplicates(conn: sqlite3.Connection) -> list[Row]:
    """Pairs ``{a, b, why, keep}`` (``a`` and ``b`` entity rows with ``mentions``), most mentioned first."""
    if not conn.in_transaction:
        ensure_entity_stats(conn)
    pairs: dict[tuple[int, int], str] = {}
    for qid, ids in conn.execute(
        """SELECT qid, group_concat(id) FROM entities WHERE qid IS NOT NULL AND merged_into IS NULL
           GROUP BY qid HAVING count(*) > 1"""
    ):
        for low, high in combinations(sorted(int(i) for i in ids.split(",")), 2):
            pairs[(low, high)] = f"same Wikidata id {qid}"
    for pair, why in similar_names(conn).items():
        pairs.setdefault(pair, why)
    info: dict[int, Row] = {}
    ids = sorted({i for pair in pairs for i in pair})
    for chunk in [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]:
        for r in conn.execute(
            f"""SELECT e.id, e.key, e.name, e.kind, e.source, coalesce(s.mentions, 0) AS mentions FROM entities e
                LEFT JOIN entity_stats s ON s.entity_id=e.id WHERE e.id IN ({",".join("?" * len(chunk))})""",
            chunk,
        ):
            info[int(r["id"])] = dict(r)
    out = [
        {"a": info[a], "b": info[b], "why": why, "keep": int(keep_of(info[a], info[b])["id"])}
        for (a, b), why in pairs.items()
    ]
    return sorted(out, key=lambda p: (-(p["a"]["mentions"] + p["b"]["mentions"]), p["a"]["id"], p["b"]["id"]))


def keep_of(a: Row, b: Row) -> Row:
    """Which of two duplicates a merge keeps by default: a curated entry, else the more mentioned."""
    rank = [(x["source"] in CURATED, x["mentions"], -int(x["id"])) for x in (a, b)]
    return a if rank[0] >= rank[1] else b


def similar_names(conn: sqlite3.Connection) -> dict[tuple[int, int], str]:
    """Entity pairs with names alike, and why; recomputed only when documents, mentions or corrections changed
    (the fuzzy comparison is the costly part of the review queue)."""
    key = (connection_path(conn), data_version(conn))
    if key not in _PAIRS:
        _PAIRS.clear()
        _PAIRS[key] = _compare_names(conn)
    return _PAIRS[key]


def _group(label: str) -> str:
    return {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place"}.get(label, "organisation")


def _distinct(a: sqlite3.Row, b: sqlite3.Row) -> bool:
    """Two entities known to be different: both curated, or different external ids or countries."""
    if a["source"] in CURATED and b["source"] in CURATED:
        return True
    for column in ("qid", "geonames_id", "country_code"):
        if a[column] is not None and b[column] is not None and a[column] != b[column]:
            return True
    return False


def _digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def _sorted(norm: str) -> str:
    return " ".join(sorted(norm.split()))


def _compare_names(conn: sqlite3.Connection) -> dict[tuple[int, int], str]:
    """Every name (alias) of a non-curated entity against every name of its group, by token-sort ratio."""
    import numpy as np  # loaded here, not when the store opens: every command opens one
    from rapidfuzz import fuzz, process

    rows = conn.execute(
        """SELECT e.id, e.key, e.name, e.label, e.source, e.qid, e.geonames_id, e.country_code, a.norm, s.mentions
           FROM entity_stats s JOIN entities e ON e.id=s.entity_id JOIN aliases a ON a.entity_id=e.id
           WHERE e.merged_into IS NULL ORDER BY s.mentions DESC, e.id"""
    ).fetchall()
    groups: dict[str, list[sqlite3.Row]] = {}
    for r in rows:
        group = groups.setdefault(_group(r["label"]), [])
        if len(group) < MAX_NAMES:
            group.append(r)
    found: dict[tuple[int, int], str] = {}
    for group in groups.values():
        queries = [r for r in group if r["source"] not in CURATED]
        if not queries:
            continue
        scores = process.cdist(
            [_sorted(r["norm"]) for r in queries],
            [_sorted(r["norm"]) for r in group],
            scorer=fuzz.ratio,  # on sorted tokens: rapidfuzz's token_sort_ratio, each name sorted once
            score_cutoff=SIMILARITY,
            dtype=np.uint8,
        )
        for i, j in zip(*np.nonzero(scores), strict=True):
            a, b = queries[int(i)], group[int(j)]
            pair = (min(a["id"], b["id"]), max(a["id"], b["id"]))
            if a["id"] == b["id"] or pair in found or _distinct(a, b) or _digits(a["norm"]) != _digits(b["norm"]):
                continue
            if min(len(a["norm"]), len(b["norm"])) < 4 and a["norm"] != b["norm"]:
                continue  # short names and acronyms: only the same spelling
            found[pair] = f"names alike: “{a['norm']}” ~ “{b['norm']}” ({int(scores[i, j])}%)"
    return found
