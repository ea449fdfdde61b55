"""Ingest throughput: full watchfloor ingest vs bare spaCy ``nlp.pipe`` on the same corpus.

Run: ``python benchmarks/ingest_throughput.py --sizes 1000,10000``. Each size runs in a fresh
subprocess (so peak RSS is per size): it writes a synthetic corpus made of demo-corpus sentences
(different mixes, so nothing is a duplicate), times bare ``nlp.pipe`` with the same model, then
times ``watchfloor ingest`` into a new store, and prints docs/s, words/s, the ratio and peak RSS.
Two more passes ingest with event extraction off, then claim extraction off: each stage's cost.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES_PER_DOC = 10


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


def run_one(n: int, workers: int, model: str, overhead: bool) -> dict[str, float]:
    from watchfloor.nlp.pipeline import load_base_model
    from watchfloor.runner import IngestOptions
    from watchfloor.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        texts = make_corpus(folder, n)
        words = sum(len(t.split()) for t in texts)

        nlp = load_base_model(model)
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=16, n_process=workers):
            pass
        bare = time.perf_counter() - start
        del nlp

        # Warm the place index and pipeline once so the timing is the steady state, as for bare spaCy.
        with Workspace(Path(tmp) / "warm.db") as ws:
            ws.ingest([str(folder / "doc00000.txt")], IngestOptions(model=model))
        start = time.perf_counter()
        with Workspace(Path(tmp) / "bench.db") as ws:
            report = ws.ingest([str(folder)], IngestOptions(model=model, workers=workers))
        full = time.perf_counter() - start
        assert report.analysed + report.duplicates == n, report
        # Peak memory of bare spaCy plus one full ingest; the stage-off passes below load more pipelines.
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # The same ingest with one extraction stage switched off: that stage's throughput cost.
        stage_off: dict[str, float] = {}
        for stage in ("events", "claims") if overhead else ():
            options = IngestOptions(model=model, workers=workers)
            setattr(options, stage, False)
            start = time.perf_counter()
            with Workspace(Path(tmp) / f"no-{stage}.db") as ws:
                ws.ingest([str(folder)], options)
            stage_off[stage] = time.perf_counter() - start
    rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    off = {f"{stage}_off_words_per_s": words / seconds for stage, seconds in stage_off.items()} | {
        f"ratio_{stage}_on_over_off": seconds / full for stage, seconds in stage_off.items()
    }
    return {
        "documents": n,
        "words": words,
        "workers": workers,
        "bare_docs_per_s": n / bare,
        "bare_words_per_s": words / bare,
        "full_docs_per_s": n / full,
        "full_words_per_s": words / full,
        "ratio_full_over_bare": bare / full,
        **off,
        "near_duplicates_found": report.duplicates,
        "peak_rss_mb": rss,
        "peak_rss_children_mb": rss_children,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000", help="comma-separated corpus sizes")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--model", default="md")
    parser.add_argument(
        "--overhead-sizes", default="1000", help="sizes at which to time events-off and claims-off passes too"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--overhead", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.workers, args.model, args.overhead)))
        return
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(size),
                "--workers",
                str(args.workers),
                "--model",
                args.model,
                *(["--overhead"] if str(size) in args.overhead_sizes.split(",") else []),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(row)
        print(
            f"{row['documents']:>6} docs {row['words']:>9,} words | "
            f"bare nlp.pipe {row['bare_docs_per_s']:6.1f} docs/s "
            f"{row['bare_words_per_s']:7.0f} words/s | "
            f"watchfloor ingest {row['full_docs_per_s']:6.1f} docs/s "
            f"{row['full_words_per_s']:7.0f} words/s | ratio {row['ratio_full_over_bare']:.2f} | "
            + "".join(f"{k[6:-12]} on/off {v:.2f} | " for k, v in row.items() if k.endswith("_on_over_off"))
            + f"peak RSS {row['peak_rss_mb']:.0f} MB",
            flush=True,
        )
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
