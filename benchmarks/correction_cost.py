"""What one analyst correction costs on a large store: the entity counts recounted for the entities it
touches (since migration 015's release) against the full recount every correction used to run.

Run: ``python benchmarks/correction_cost.py --db /tmp/wf-synth-50000.db`` (a synthetic store from
``benchmarks/api_latency.py``; the store is copied, never changed). For a merge of two frequently mentioned
entities, an alias removal and a mention rejection it reports the seconds of ``repo.correct`` (record +
re-apply all corrections + recount) and, for comparison, of a full ``refresh_entity_stats``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchfloor.store import sqlite_corrections as corrections
from watchfloor.store.sqlite import open_store
from watchfloor.store.sqlite_browse import ensure_entity_stats, refresh_entity_stats


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return round(time.perf_counter() - started, 3)


def measure(db: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.db"
        with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        repo = open_store(copy)
        conn = repo.conn
        ensure_entity_stats(conn)
        top = [int(r[0]) for r in conn.execute("SELECT entity_id FROM entity_stats ORDER BY mentions DESC LIMIT 2")]
        alias = conn.execute("SELECT alias FROM aliases WHERE entity_id=? LIMIT 1", (top[1],)).fetchone()[0]
        mention = int(conn.execute("SELECT id FROM mentions WHERE entity_id IS NOT NULL LIMIT 1").fetchone()[0])
        out: dict[str, Any] = {
            "documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            "mentions": conn.execute("SELECT count(*) FROM mentions").fetchone()[0],
            "entity_stats_rows": conn.execute("SELECT count(*) FROM entity_stats").fetchone()[0],
        }

        def full() -> None:
            conn.execute("BEGIN IMMEDIATE")
            refresh_entity_stats(conn)
            conn.execute("COMMIT")

        out["full_recount_s"] = timed(full)
        out["remove_alias_s"] = timed(lambda: repo.correct(lambda c: corrections.remove_alias(c, top[1], alias, "b")))
        out["reject_mention_s"] = timed(lambda: repo.correct(lambda c: corrections.reject(c, "mention", mention, "b")))
        out["merge_top_two_s"] = timed(lambda: repo.correct(lambda c: corrections.merge(c, top[0], top[1], "b")))
        repo.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="store to measure (copied first)")
    args = parser.parse_args()
    if not args.db.is_file():
        parser.error(f"no store at {args.db}; build one with benchmarks/api_latency.py")
    print(json.dumps(measure(args.db), indent=2))


if __name__ == "__main__":
    main()
