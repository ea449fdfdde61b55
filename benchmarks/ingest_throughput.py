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


def run_one(n: int, workers: int, model: str) -> dict[str, float]:
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
        # The same ingest with one extraction stage switched off: that stage's throughput cost.
        stage_off: dict[str, float] = {}
        for stage in ("events", "claims"):
            options = IngestOptions(model=model, workers=workers)
            setattr(options, stage, False)
            start = time.perf_counter()
            with Workspace(Path(tmp) / f"no-{stage}.db") as ws:
                ws.ingest([str(folder)], options)
            stage_off[stage] = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "documents": n,
        "words": words,
        "workers": workers,
        "bare_docs_per_s": n / bare,
        "bare_words_per_s": words / bare,
        "full_docs_per_s": n / full,
        "full_words_per_s": words / full,
        "ratio_full_over_bare": bare / full,
        "events_off_words_per_s": words / stage_off["events"],
        "ratio_events_on_over_off": stage_off["events"] / full,
        "claims_off_words_per_s": words / stage_off["claims"],
        "ratio_claims_on_over_off": stage_off["claims"] / full,
        "near_duplicates_found": report.duplicates,
        "peak_rss_mb": rss,
        "peak_rss_children_mb": rss_children,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000", help="comma-separated corpus sizes")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--model", default="md")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.workers, args.model)))
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
            f"events on/off {row['ratio_events_on_over_off']:.2f} | "
            f"claims on/off {row['ratio_claims_on_over_off']:.2f} | "
            f"peak RSS {row['peak_rss_mb']:.0f} MB",
            flush=True,
        )
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
