"""Cold actor pages, section by section, in process: where a first visit's time goes.

Run: ``python benchmarks/actor_page_sections.py [--db /tmp/wf-synth-50k.db] [--first 0 --last 200]``.
The store (default: the 50,000-document synthetic store ``api_latency.py`` builds) is copied first, so
every page is a first visit on a fresh connection; the claims' stance index and carrier map are built
before timing, as ``serve`` does at warm-up. Each of the actors ranked ``--first`` to ``--last`` by
documents gets each section of ``Workspace.entity_detail`` timed once (overview, relations, events,
claims by and about it, mentions). Prints mean, p50, p95 and max per section in ms; nothing is written.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/wf-synth-50k.db"))
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--last", type=int, default=200)
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(f"{args.db} not found: build it with python benchmarks/api_latency.py first", file=sys.stderr)
        return 2
    from watchfloor.store.sqlite_browse import entity_mentions, entity_overview
    from watchfloor.store.sqlite_claims import claims_with_words
    from watchfloor.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="wf-sections-") as tmp:
        db = Path(tmp) / "store.db"
        shutil.copyfile(args.db, db)
        ws = Workspace(str(db))
        conn, repo = ws.repo.conn, ws.repo
        actors = [
            int(r[0])
            for r in conn.execute("SELECT entity_id FROM entity_stats ORDER BY documents DESC LIMIT ?", (args.last,))
        ][args.first :]
        repo.list_claims(speaker_id=actors[0], limit=20, stance_ids=100)  # the stance index, as at warm-up
        claims_with_words(conn, set())
        sections: dict[str, Callable[[int], Any]] = {
            "overview": lambda e: entity_overview(conn, e, 20),
            "relations": lambda e: repo.list_relations(actor_id=e, limit=20, max_sources=5),
            "events": lambda e: repo.list_events(actor_id=e, limit=20, max_sources=5),
            "claims by": lambda e: repo.list_claims(speaker_id=e, limit=20, stance_ids=100),
            "claims about": lambda e: repo.list_claims(about_id=e, limit=20, stance_ids=100),
            "mentions": lambda e: entity_mentions(conn, e, 20),
        }
        times: dict[str, list[float]] = {name: [] for name in (*sections, "whole page")}
        for actor in actors:
            began = time.perf_counter()
            for name, read in sections.items():
                start = time.perf_counter()
                read(actor)
                times[name].append((time.perf_counter() - start) * 1000)
            times["whole page"].append((time.perf_counter() - began) * 1000)
    print(f"{len(actors)} actors (ranks {args.first}-{args.last - 1}) of {args.db}, cold, ms")
    for name, values in times.items():
        values.sort()
        p50, p95 = values[len(values) // 2], values[min(len(values) - 1, int(len(values) * 0.95))]
        print(f"{name:13s} mean {statistics.mean(values):6.1f}  p50 {p50:6.1f}  p95 {p95:6.1f}  max {values[-1]:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
