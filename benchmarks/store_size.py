"""Store size: KB per 1,000 words of ingested text, and which tables and indexes hold the bytes.

Run: ``python benchmarks/store_size.py`` ingests the bundled demo corpus into a new store and measures
it; ``--db PATH`` measures an existing store instead (a copy; add ``--migrate`` to open the copy with
this version first, which applies its migrations). The store is measured after ``VACUUM`` (free pages
are not counted). ``entities``/``aliases`` (mostly the gazetteer, a fixed cost) are reported apart.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GAZETTEER_PREFIXES = ("entities", "aliases", "sqlite_autoindex_entities", "sqlite_autoindex_aliases")


def measure(db: Path) -> dict[str, Any]:
    """Size figures of the store at ``db`` (which is vacuumed: pass a copy)."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("VACUUM")
        words, text_bytes, docs = conn.execute(
            "SELECT sum(word_count), sum(length(CAST(text AS BLOB))), count(*) FROM documents"
        ).fetchone()
        size = int(conn.execute("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size").fetchone()[0])
        try:
            tables = {
                str(name): int(pages)
                for name, pages in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")
            }
        except sqlite3.OperationalError:  # SQLite built without dbstat
            tables = {}
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
    gazetteer = sum(v for k, v in tables.items() if k.startswith(GAZETTEER_PREFIXES))
    per_k = 1000 / max(int(words or 0), 1) / 1024
    return {
        "schema_version": version,
        "documents": docs,
        "words": words,
        "bytes": size,
        "text_bytes": text_bytes,
        "times_the_text": round(size / max(text_bytes or 0, 1), 2),
        "kb_per_1k_words": round(size * per_k, 1),
        "kb_per_1k_words_without_entities_aliases": round((size - gazetteer) * per_k, 1) if tables else None,
        "kb_per_1k_words_by_table": {k: round(v * per_k, 2) for k, v in list(tables.items())[:15]},
    }


def build_demo_store(db: Path) -> float:
    """Ingest the demo corpus into ``db``; returns the seconds it took."""
    from watchfloor.workspace import Workspace, demo_corpus_path

    start = time.perf_counter()
    with Workspace(db) as ws:
        ws.ingest([str(demo_corpus_path())])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="measure this store (a copy) instead of a new demo store")
    parser.add_argument("--migrate", action="store_true", help="with --db: apply this version's migrations first")
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "store.db"
        if args.db is not None:
            source = sqlite3.connect(args.db)
            target = sqlite3.connect(copy)
            source.backup(target)
            source.close()
            target.close()
            if args.migrate:
                from watchfloor.store.sqlite import open_store

                open_store(copy).close()
            what = f"{args.db}{' (migrated)' if args.migrate else ''}"
        else:
            seconds = build_demo_store(copy)
            what = f"demo corpus, ingested in {seconds:.0f} s"
        result = {"store": what, **measure(copy)}
    text = json.dumps(result, indent=2)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", "utf-8")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
