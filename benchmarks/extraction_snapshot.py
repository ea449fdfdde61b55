"""Every extractor's records over the demo corpus and real pages, as JSON: a before/after check.

Run ``python benchmarks/extraction_snapshot.py -o before.json`` before a change to the extractors,
``-o after.json`` after it, then ``python benchmarks/extraction_snapshot.py --compare before.json
after.json``: it lists every document whose mentions (the extractors' input) or records differ.
A speed-up of the extractors must leave the records identical.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from extraction_corpus import Analyser, demo_texts, real_texts

from watchfloor.extract.claims import extract_claims
from watchfloor.extract.events import extract_events
from watchfloor.extract.relations import extract_relations


def snapshot(real_limit: int) -> dict[str, dict[str, Any]]:
    """Records per document and extractor (plus the mentions they were given)."""
    analyser = Analyser()
    out: dict[str, dict[str, Any]] = {}
    for name, text, published, not_before in [*demo_texts(), *(real_texts(real_limit) if real_limit else [])]:
        a = analyser.analyse(name, text, published, not_before)
        out[name] = {
            "mentions": [asdict(m) for m in a.mentions],
            "events": [asdict(e) for e in extract_events(a.doc, a.mentions, published, a.info, not_before)],
            "claims": [asdict(c) for c in extract_claims(a.doc, a.mentions, published, a.kind_of)],
            "relations": [asdict(r) for r in extract_relations(a.doc, a.mentions, published, a.kind_of)],
        }
    return out


def compare(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[str]:
    """One line per (document, part) that differs."""
    problems = [f"{name}: only in one snapshot" for name in sorted(set(before) ^ set(after))]
    for name in sorted(set(before) & set(after)):
        for part in before[name]:
            if before[name][part] != after[name].get(part):
                problems.append(f"{name}: {part} differ")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-o", "--out", type=Path, help="write the snapshot here")
    parser.add_argument("--real", type=int, default=40, help="how many real pages (0: none)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(p.read_text("utf-8")) for p in args.compare)
        problems = compare(before, after)
        print("\n".join(problems) or f"identical: {len(before)} documents")
        sys.exit(1 if problems else 0)
    data = snapshot(args.real)
    counts = {part: sum(len(d[part]) for d in data.values()) for part in ("mentions", "events", "claims", "relations")}
    print(json.dumps({"documents": len(data), **counts}))
    if args.out:
        args.out.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", "utf-8")


if __name__ == "__main__":
    main()
