"""CPU ms per document of each stage ingest adds to spaCy, on the ingest benchmark's corpus.

Run: ``python benchmarks/ingest_stages.py [--docs 300] [--runs 4] [--out FILE]``. The documents are
cleaned and parsed once (not timed); then each stage runs over all of them, in ingest's order (cleaning,
MinHash, linking, events, claims, author judgements, relations), ``--runs`` times; the best run of each
stage is reported (each run starts from freshly parsed documents' empty caches).

To compare two versions of the code, run this script on both *at the same time* (a worktree of the old
commit with ``PYTHONPATH`` pointing at it, and the current tree), one per core: both then see the same
machine, which on a shared host swings by 20 % from one minute to the next.
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from ingest_throughput import make_corpus

from watchfloor import runner
from watchfloor.extract.claims import extract_claims
from watchfloor.extract.events import extract_events
from watchfloor.extract.info import entity_info, kind_lookup
from watchfloor.extract.relations import extract_relations
from watchfloor.ingest import dedup
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import load_gazetteer
from watchfloor.link.places import load_place_index
from watchfloor.models import RawInput
from watchfloor.nlp.pipeline import build_pipeline
from watchfloor.nlp.truecase import for_parser

STAGES = ("clean", "minhash", "link", "events", "claims", "author", "relations")


def measure(n_docs: int, runs: int, model: str) -> dict[str, float]:
    """Best-of-``runs`` CPU ms per document of each stage."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        make_corpus(folder, n_docs)
        items = [RawInput(str(p), "txt", p.read_bytes()) for p in sorted(folder.glob("*.txt"))]
    gazetteer = load_gazetteer()
    linker = Linker(gazetteer, load_place_index())
    nlp = build_pipeline(gazetteer, model)
    cleaned = [runner.clean_input(item, None) for item in items]
    assert all(isinstance(c, runner.Cleaned) for c in cleaned)
    docs = [c.doc for c in cleaned if isinstance(c, runner.Cleaned)]
    parsed = list(nlp.pipe([for_parser(d.text) for d in docs], batch_size=16))
    gc.freeze()  # as ingest does while documents stream through
    best: dict[str, float] = defaultdict(lambda: float("inf"))
    for _ in range(runs):
        spent: dict[str, float] = defaultdict(float)
        t = time.process_time()
        for item in items:
            runner.clean_input(item, None)
        spent["clean"] += time.process_time() - t
        t = time.process_time()
        for d in docs:
            dedup.minhash(d.text)
        spent["minhash"] += time.process_time() - t
        for spacy_doc, d in zip(parsed, docs, strict=True):
            spacy_doc.user_data.clear()  # the shared per-document tables are built again, as in ingest
            published, not_before = runner._published(d), runner._not_before(d)
            t0 = time.process_time()
            linked = linker.link(spacy_doc, as_of=published)
            t1 = time.process_time()
            info = entity_info(gazetteer, linked.entities)
            extract_events(spacy_doc, linked.mentions, published, info, not_before)
            t2 = time.process_time()
            kind_of = kind_lookup(info)
            claims = extract_claims(spacy_doc, linked.mentions, published, kind_of)
            t3 = time.process_time()
            facts = runner.Facts(linked.mentions, linked.entities)
            facts.claims = claims
            runner._add_author_claims(spacy_doc, d, facts, published)
            t4 = time.process_time()
            extract_relations(spacy_doc, linked.mentions, published, kind_of, linked_only=True)
            t5 = time.process_time()
            for stage, spent_s in zip(STAGES[2:], (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
                spent[stage] += spent_s
        for stage in STAGES:
            best[stage] = min(best[stage], 1000 * spent[stage] / len(items))
    result = {stage: round(best[stage], 3) for stage in STAGES}
    result["total"] = round(sum(result.values()), 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--model", default="md")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = measure(args.docs, args.runs, args.model)
    for stage, ms in result.items():
        print(f"{stage:10s} {ms:7.2f} CPU ms/doc")
    if args.out:
        args.out.write_text(json.dumps({"documents": args.docs, "runs": args.runs, "ms_per_doc": result}, indent=2))


if __name__ == "__main__":
    main()
