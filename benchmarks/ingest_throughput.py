"""Ingest throughput: full watchfloor ingest vs bare spaCy ``nlp.pipe`` on the same corpus.

Run: ``python benchmarks/ingest_throughput.py --sizes 1000,10000 [--rounds 2] [--out FILE]``.
Each size runs in a fresh subprocess (so peak RSS is per size): it writes a synthetic corpus made of
demo-corpus sentences (different mixes, so nothing is a duplicate), warms both sides on a few
documents, then alternates bare ``nlp.pipe`` (same model) and ``watchfloor ingest`` into a new store
in A-B-B-A order (``--rounds`` times). At ``--overhead-sizes`` two more jobs join the rotation:
ingest with event extraction off, then with claim extraction off (each stage's cost).

Each run is timed by CPU time (this process + its worker processes) and by elapsed time; figures are
means over the runs. Ratios follow the project's convention: watchfloor throughput ÷ bare spaCy
throughput (≤ 1, higher is better). The 1-minute load average is recorded before and after; when
it is above half the cores (before) or half the cores + the benchmark's own processes (after), the
results are marked ``"busy": true`` and ``--out`` is not written unless ``--force`` is given.
See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from abba import Run, abba_order, abba_runs, load_1min, load_limit

SENTENCES_PER_DOC = 10
TIMING = "CPU time (process + worker processes) and elapsed time, mean of 2 x rounds runs in A-B-B-A order"
STAGES = ("events", "claims")


def make_corpus(folder: Path, n: int) -> list[str]:
    from watchfloor.workspace import demo_corpus_path

    sentences = [
        s.strip() + "."
        for p in sorted(demo_corpus_path().glob("*.txt"))
        if "bamako" not in p.name
        for s in p.read_text("utf-8").replace("\n", " ").split(". ")
        if len(s.split()) > 8
    ]
    texts = []
    for i in range(n):
        picks = random.Random(i).sample(sentences, SENTENCES_PER_DOC)
        text = f"Report {i}.\n\n" + "\n\n".join(picks)
        (folder / f"doc{i:05d}.txt").write_text(text, "utf-8")
        texts.append(text)
    return texts


def own_processes(workers: int) -> int:
    """Busy processes of the benchmark itself: the workers, plus the main one when it feeds them."""
    return workers if workers == 1 else workers + 1


def _summary(runs: list[Run]) -> dict[str, Any]:
    cpu, elapsed = [r.cpu_s for r in runs], [r.elapsed_s for r in runs]
    return {
        "cpu_s": statistics.mean(cpu),
        "elapsed_s": statistics.mean(elapsed),
        "cpu_s_runs": [round(x, 3) for x in cpu],
        "elapsed_s_runs": [round(x, 3) for x in elapsed],
    }


def run_one(n: int, workers: int, model: str, overhead: bool, rounds: int) -> dict[str, Any]:
    from watchfloor.nlp.pipeline import load_base_model
    from watchfloor.runner import IngestOptions, IngestReport
    from watchfloor.workspace import Workspace

    load_start = load_1min()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        texts = make_corpus(folder, n)
        words = sum(len(t.split()) for t in texts)
        nlp = load_base_model(model)
        store = Path(tmp) / "bench.db"
        reports: list[IngestReport] = []

        def bare() -> None:
            for _doc in nlp.pipe(texts, batch_size=16, n_process=workers):
                pass

        def ingest(stage_off: str | None = None) -> Callable[[], None]:
            def job() -> None:
                options = IngestOptions(model=model, workers=workers)
                if stage_off:
                    setattr(options, stage_off, False)
                with Workspace(store) as ws:
                    reports.append(ws.ingest([str(folder)], options))

            return job

        def remove_store() -> None:
            for path in Path(tmp).glob("bench.db*"):
                path.unlink()

        jobs = {"bare": bare, "full": ingest()}
        if overhead:
            jobs |= {f"{stage}_off": ingest(stage) for stage in STAGES}
        # Warm both sides (lazy loads: place index, pipeline, vectors) so the runs are the steady state.
        for _doc in nlp.pipe(texts[:16], batch_size=16):
            pass
        with Workspace(Path(tmp) / "warm.db") as ws:
            ws.ingest([str(folder / "doc00000.txt")], IngestOptions(model=model))
        runs = abba_runs(jobs, rounds, between=remove_store)
        for report in reports:
            assert report.analysed + report.duplicates == n, report
    # Peak memory over all runs: bare spaCy's model plus watchfloor's pipeline, place index and store.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    s = {name: _summary(job_runs) for name, job_runs in runs.items()}
    bare_s, full_s = s["bare"], s["full"]
    off: dict[str, float] = {}
    for stage in STAGES if overhead else ():
        stage_s = s[f"{stage}_off"]
        off[f"{stage}_off_words_per_s"] = words / stage_s["elapsed_s"]
        # Throughput with the stage on ÷ with it off (≤ 1): that stage's cost.
        off[f"ratio_{stage}_on_over_off_cpu"] = stage_s["cpu_s"] / full_s["cpu_s"]
        off[f"ratio_{stage}_on_over_off_elapsed"] = stage_s["elapsed_s"] / full_s["elapsed_s"]
    return {
        "documents": n,
        "words": words,
        "workers": workers,
        "rounds": rounds,
        "order": abba_order(list(jobs), rounds),
        "bare_docs_per_s": n / bare_s["elapsed_s"],
        "bare_words_per_s": words / bare_s["elapsed_s"],
        "full_docs_per_s": n / full_s["elapsed_s"],
        "full_words_per_s": words / full_s["elapsed_s"],
        "bare_cpu_ms_per_doc": 1000 * bare_s["cpu_s"] / n,
        "full_cpu_ms_per_doc": 1000 * full_s["cpu_s"] / n,
        # watchfloor throughput ÷ bare spaCy throughput (≤ 1, higher is better)
        "ratio_full_over_bare_cpu": bare_s["cpu_s"] / full_s["cpu_s"],
        "ratio_full_over_bare_elapsed": bare_s["elapsed_s"] / full_s["elapsed_s"],
        **off,
        "near_duplicates_found": reports[0].duplicates,
        "peak_rss_mb": rss,
        "peak_rss_children_mb": rss_children,
        "load_average_1min_start_end": [load_start, load_1min()],
        "runs": s,
    }


def describe(row: dict[str, Any]) -> str:
    stages = "".join(
        f"{stage} on/off cpu {row[f'ratio_{stage}_on_over_off_cpu']:.2f} "
        f"elapsed {row[f'ratio_{stage}_on_over_off_elapsed']:.2f} | "
        for stage in STAGES
        if f"ratio_{stage}_on_over_off_cpu" in row
    )
    return (
        f"{row['documents']:>6} docs {row['words']:>9,} words, {row['workers']} worker(s) | "
        f"bare nlp.pipe {row['bare_docs_per_s']:6.1f} docs/s {row['bare_words_per_s']:7.0f} words/s "
        f"{row['bare_cpu_ms_per_doc']:5.1f} CPU ms/doc | "
        f"watchfloor ingest {row['full_docs_per_s']:6.1f} docs/s {row['full_words_per_s']:7.0f} words/s "
        f"{row['full_cpu_ms_per_doc']:5.1f} CPU ms/doc | "
        f"ratio cpu {row['ratio_full_over_bare_cpu']:.2f} elapsed {row['ratio_full_over_bare_elapsed']:.2f} | "
        + stages
        + f"peak RSS {row['peak_rss_mb']:.0f} MB | load {row['load_average_1min_start_end']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000", help="comma-separated corpus sizes")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--model", default="md")
    parser.add_argument(
        "--overhead-sizes", default="1000", help="sizes at which to time events-off and claims-off passes too"
    )
    parser.add_argument("--rounds", type=int, default=1, help="A-B-B-A rounds (each job runs twice per round)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here (not when the machine was busy)")
    parser.add_argument("--force", action="store_true", help="write --out even when the machine was busy")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--overhead", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.one:
        print(json.dumps(run_one(args.one, args.workers, args.model, args.overhead, args.rounds)))
        return
    cores, own = os.cpu_count() or 1, own_processes(args.workers)
    limit_before, limit_after = load_limit(), load_limit(own)
    load_before = load_1min()
    if load_before > limit_before:
        print(f"warning: load average {load_before} > {limit_before} before starting", file=sys.stderr)
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                *("--one", str(size), "--workers", str(args.workers), "--model", args.model),
                *("--rounds", str(args.rounds)),
                *(["--overhead"] if str(size) in args.overhead_sizes.split(",") else []),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(describe(results[-1]), flush=True)
    load_after = load_1min()
    ends = [row["load_average_1min_start_end"][1] for row in results]
    busy = load_before > limit_before or max(ends) > limit_after
    result = {
        "timing": TIMING,
        "rounds": args.rounds,
        "cores": cores,
        "load_average_1min_before_after": [load_before, load_after],
        "load_limit_before_after": [limit_before, limit_after],
        "busy": busy,
        "sizes": results,
    }
    print(f"load average (1 min) before {load_before}, after {load_after}; limits {limit_before}, {limit_after}")
    if busy:
        print(
            f"warning: the machine was busy (load average above {limit_before} before or {limit_after} "
            "after a size): elapsed times and their ratio are not trustworthy",
            file=sys.stderr,
        )
    if args.out:
        if busy and not args.force:
            sys.exit(f"not writing {args.out}: the machine was busy (--force writes it marked busy)")
        args.out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
