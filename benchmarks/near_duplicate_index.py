"""Loading the near-duplicate index of a large store: seconds and memory, watchfloor's index vs datasketch's.

Run: ``python benchmarks/near_duplicate_index.py [--db /tmp/wf-synth-1000k.db] [--limit N] [--datasketch]``.
Every ingest starts by indexing the MinHash signatures of the documents already stored. This loads the
first ``--limit`` of them (all by default) from a SQLite store into ``dedup.NearDuplicateIndex`` (or,
with ``--datasketch``, into a datasketch ``MinHashLSH`` with one ``MinHash`` per document, as the index
did before) and prints the time, the peak and the held resident memory of this process, and the time
of one query. Run each variant in its own process: the peak is the process's. Nothing is written.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path


def _held_mb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) // 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/wf-synth-1000k.db"))
    parser.add_argument("--limit", type=int, default=None, help="index only the first N stored signatures")
    parser.add_argument("--datasketch", action="store_true", help="datasketch's MinHashLSH, as before")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(f"{args.db} not found: build it with python benchmarks/api_latency.py first", file=sys.stderr)
        return 2
    from watchfloor.ingest import dedup
    from watchfloor.store.sqlite import open_store

    repo = open_store(args.db)

    count = 0

    def stored() -> Iterator[tuple[str, bytes]]:
        nonlocal count
        for row in repo.iter_minhashes():
            if args.limit is not None and count >= args.limit:
                return
            count += 1
            yield row

    before = _held_mb()
    started = time.perf_counter()
    if args.datasketch:
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=0.8, num_perm=dedup.NUM_PERM)
        signatures = {}
        for doc_id, blob in stored():
            signatures[doc_id] = dedup.from_bytes(blob)
            lsh.insert(doc_id, signatures[doc_id])
    else:
        index = dedup.NearDuplicateIndex(0.8, repo.minhashes)
        index.load(stored())
    seconds = time.perf_counter() - started
    gc.collect()
    query = dedup.minhash("a text that matches no stored article " * 30)
    began = time.perf_counter()
    for _ in range(100):
        if args.datasketch:
            lsh.query(query)
        else:
            index.best_match(query)
    query_ms = (time.perf_counter() - began) * 10
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    variant = "datasketch MinHashLSH" if args.datasketch else "watchfloor NearDuplicateIndex"
    print(
        f"{variant}: {count:,} stored signatures of {args.db} in {seconds:.1f} s; "
        f"peak {peak} MB, held {_held_mb()} MB (process before: {before} MB); one query {query_ms:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
