"""Read latency under concurrent analysts: p50/p95/p99 and requests/s at 1, 4 and 16 clients, idle and
while an ingest job writes into the same store.

Run: ``python benchmarks/api_concurrency.py`` (the 50,000-document synthetic store of
``api_latency.py``, built once), or ``--synthetic-docs 5000`` for a quicker look. The real server
(``watchfloor serve``) runs in a subprocess; each client is a thread with its own ``httpx.Client`` that
sends requests back to back for ``--seconds`` per level, cycling through a read mix an analyst's
screens make (entity page and its mentions, search, events and claims about an actor, a document,
the entity list and the stats) with parameters drawn from the store as in ``api_latency.py``.

"During ingest" levels run while ``watchfloor ingest`` adds synthetic articles
(``benchmarks/make_corpus.py``, real length) to the same store in another process; they start once
the ingest has written its first batch, and the ingest must still be running at the end of each
level (else the level is marked). The ingest process's peak resident memory is sampled
(``ingest_peak_rss_mb``: whether its memory grows with the store it writes into). The machine's load
average is recorded before and after. Results go to ``benchmarks/results/api_concurrency.json`` and a
table. Never a timed test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api_latency as base  # the sibling benchmark: synthetic store, server, parameters

ROOT = base.ROOT
RESULTS = ROOT / "benchmarks" / "results" / "api_concurrency.json"
MIX = (
    "entity page",
    "entity mentions",
    "search page",
    "events by actor",
    "claims about actor",
    "document page",
    "entities list",
    "stats",
)
console = Console(width=None if sys.stdout.isatty() else 150)


@dataclass
class Level:
    clients: int
    during_ingest: bool
    times: dict[str, list[float]] = field(default_factory=dict)  # endpoint -> ms of each 200 answer
    failures: int = 0
    failure_examples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    ingest_running_at_end: bool | None = None
    documents_before: int = 0
    documents_after: int = 0

    def summary(self) -> dict[str, Any]:
        every = sorted(t for ts in self.times.values() for t in ts)
        row: dict[str, Any] = {
            "clients": self.clients,
            "during_ingest": self.during_ingest,
            "requests": len(every),
            "failures": self.failures,
            "failure_examples": self.failure_examples[:3],
            "seconds": round(self.seconds, 1),
            "req_per_s": round(len(every) / self.seconds, 1) if self.seconds else None,
            "ingest_running_at_end": self.ingest_running_at_end,
            "documents_written_during_level": self.documents_after - self.documents_before,
        }
        if every:
            row |= {f"p{p}_ms": round(base.percentile(every, p), 1) for p in (50, 95, 99)}
        row["endpoints"] = {
            name: {"n": len(ts), **{f"p{p}_ms": round(base.percentile(sorted(ts), p), 1) for p in (50, 95, 99)}}
            for name, ts in sorted(self.times.items())
            if ts
        }
        return row


def _documents(db: Path | str) -> int:
    if str(db).startswith(("postgresql://", "postgres://")):
        import psycopg

        with psycopg.connect(str(db)) as pg:
            row = pg.execute("SELECT count(*) FROM documents").fetchone()
            return int(row[0]) if row else 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        conn.close()


def run_level(server: base.Server, paths: dict[str, list[str]], level: Level, seconds: float, seed: int) -> None:
    """``level.clients`` threads send requests back to back for ``seconds``; latencies go into ``level``."""
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        names = list(paths)
        local: dict[str, list[float]] = {n: [] for n in names}
        failures: list[str] = []
        with httpx.Client(timeout=httpx.Timeout(120.0)) as http:
            i = rng.randrange(len(names))
            while time.perf_counter() < stop:
                name = names[i % len(names)]
                i += 1
                ms, status, body, error = base.timed_get(http, server, rng.choice(paths[name]))
                if status == 200:
                    local[name].append(ms)
                else:
                    failures.append(f"{name}: {status} {error or body[:120]!r}")
        with lock:
            for name, ts in local.items():
                level.times.setdefault(name, []).extend(ts)
            level.failures += len(failures)
            level.failure_examples.extend(failures[:2])

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(level.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    level.seconds = time.perf_counter() - started


def sample_peak_rss(proc: subprocess.Popen[bytes], peak: dict[str, float]) -> threading.Thread:
    """A thread keeping ``peak["rss_mb"]``: the largest resident memory of ``proc`` and its children seen
    every half second until it ends (does the ingest's memory grow with the store it writes into?)."""
    import psutil

    def sample() -> None:
        try:
            process = psutil.Process(proc.pid)
            while proc.poll() is None:
                rss = process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))
                peak["rss_mb"] = max(peak.get("rss_mb", 0.0), round(rss / 2**20, 1))
                time.sleep(0.5)
        except psutil.Error:
            return  # the process ended between two samples

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    return thread


@contextlib.contextmanager
def running_ingest(
    db: Path | str, corpus: Path, log: Path, wait_s: float, peak: dict[str, float] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``watchfloor ingest`` of ``corpus`` into ``db``, yielded once it has written its first documents;
    ``peak`` gets its peak resident memory (``rss_mb``)."""
    before = _documents(db)
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "watchfloor", "ingest", str(corpus), "--db", str(db), "--types", "txt"],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=ROOT,
        )
        if peak is not None:
            sample_peak_rss(proc, peak)
        try:
            deadline = time.monotonic() + wait_s
            while _documents(db) == before:
                if proc.poll() is not None:
                    raise RuntimeError(f"ingest exited with {proc.returncode}: {log.read_text()[-2000:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"ingest wrote nothing within {wait_s:.0f} s: {log.read_text()[-2000:]}")
                time.sleep(1.0)
            yield proc
        finally:
            if proc.poll() is None:
                proc.terminate()  # an interrupted ingest resumes: the store stays consistent
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def print_table(rows: list[dict[str, Any]], title: str) -> None:
    table = Table(title=title, title_justify="left")
    for col in ("clients", "phase", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "entity page p95", "fail"):
        table.add_column(col, justify="right")
    for r in rows:
        phase = "during ingest" if r["during_ingest"] else "idle"
        if r["during_ingest"] and not r["ingest_running_at_end"]:
            phase += " (ingest ended early)"
        entity = r["endpoints"].get("entity page", {}).get("p95_ms")
        table.add_row(
            str(r["clients"]), phase, str(r["requests"]), f"{r['req_per_s']}", f"{r.get('p50_ms', '')}",
            f"{r.get('p95_ms', '')}", f"{r.get('p99_ms', '')}", f"{entity}", str(r["failures"] or ""),
        )  # fmt: skip
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synthetic-docs", type=int, default=50000, help="synthetic store size")
    parser.add_argument("--synthetic-db", type=Path, help="synthetic store (default /tmp/wf-synth-<N>.db)")
    parser.add_argument("--clients", default="1,4,16", help="comma-separated client counts")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds of load per level")
    parser.add_argument("--ingest-docs", type=int, default=400, help="synthetic articles the ingest job adds")
    parser.add_argument("--no-ingest", action="store_true", help="measure idle levels only")
    parser.add_argument("--server-workers", type=int, default=1, help="`watchfloor serve --workers` processes")
    parser.add_argument(
        "--postgres",
        help="measure this PostgreSQL store instead of a SQLite copy: the synthetic store copied there with "
        "`watchfloor migrate-store` (the ingest levels add documents to it; copy it again to re-run)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=RESULTS, help="write the results as JSON here")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]

    size = f"{args.synthetic_docs // 1000}k" if args.synthetic_docs % 1000 == 0 else str(args.synthetic_docs)
    source = args.synthetic_db or Path(f"/tmp/wf-synth-{size}.db")
    build_s, _built = base.synthetic_store(source, args.synthetic_docs, args.seed)
    load_before = os.getloadavg()
    started = time.perf_counter()
    ingest_peak: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="wf-concurrency-") as tmp_name:
        tmp = Path(tmp_name)
        # The ingest phase adds documents: measure on a copy so the shared synthetic store stays as built.
        db: Path | str = args.postgres or tmp / "store.db"
        if not args.postgres:
            shutil.copyfile(source, db)
        params = base.sample_parameters(source, random.Random(args.seed), 200)  # ids survive migrate-store
        paths = {ep.name: ep.paths for ep in base.endpoints(params, 200) if ep.name in MIX}
        corpus = tmp / "corpus"
        if not args.no_ingest:
            subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(args.ingest_docs), str(corpus)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        rows: list[dict[str, Any]] = []
        with base.running_server(db, tmp / "server.log", args.server_workers) as server:
            for clients in levels:
                level = Level(clients, during_ingest=False)
                run_level(server, paths, level, args.seconds, args.seed)
                rows.append(level.summary())
                console.print(f"idle, {clients} clients: " + json.dumps({k: v for k, v in rows[-1].items()
                                                                          if k != "endpoints"}))  # fmt: skip
            if not args.no_ingest:
                with running_ingest(db, corpus, tmp / "ingest.log", wait_s=600, peak=ingest_peak) as ingest:
                    for clients in levels:
                        level = Level(clients, during_ingest=True, documents_before=_documents(db))
                        run_level(server, paths, level, args.seconds, args.seed)
                        level.ingest_running_at_end = ingest.poll() is None
                        level.documents_after = _documents(db)
                        rows.append(level.summary())
                        console.print(f"during ingest, {clients} clients: " + json.dumps(
                            {k: v for k, v in rows[-1].items() if k != "endpoints"}))  # fmt: skip
    counts = base.store_counts(source)
    print_table(
        rows,
        f"synthetic {args.synthetic_docs:,} documents ({counts['mentions']:,} mentions), "
        f"{'PostgreSQL' if args.postgres else 'SQLite'}, "
        f"{args.server_workers} server worker{'s' if args.server_workers > 1 else ''}",
    )
    out = {
        "benchmark": "api_concurrency",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": base.machine_info(load_before),
        "settings": {
            "store": f"synthetic {args.synthetic_docs}",
            "backend": "postgresql" if args.postgres else "sqlite",
            "store_build_seconds": build_s,
            "clients": levels,
            "server_workers": args.server_workers,
            "seconds_per_level": args.seconds,
            "ingest_docs": None if args.no_ingest else args.ingest_docs,
            "mix": list(MIX),
            "seed": args.seed,
            "client": "one thread and one httpx.Client per client, requests back to back",
        },
        "counts": counts,
        "ingest_peak_rss_mb": ingest_peak.get("rss_mb"),
        "measure_seconds": round(time.perf_counter() - started, 1),
        "levels": rows,
    }
    base.write_results(out, args.out)


if __name__ == "__main__":
    main()
