"""List same-subject claim pairs from real articles, for annotating the stance pair set.

    python tools/stance_candidates.py --data ../shared/eval --out /tmp/stance

Runs watchfloor's claim extraction over PolNeAR dev texts and the article_extraction gold bodies
(text nobody here wrote, read in place), then writes, *outside the repository*:

- ``claims.jsonl``: every claim with its document id, offsets, kind, band and linked subjects;
- ``candidates.jsonl``: pairs of claims about a common linked entity (different claims, different
  speakers where possible), a third each chosen by the highest embedding similarity, by the
  highest lexical overlap, and at random, so that the annotation sample does not favour one method.

Texts are printed for the annotator; the repository keeps only ids, offsets, labels and span hashes
(``watchfloor/data/eval/stance_pairs.jsonl``).
"""

from __future__ import annotations

import argparse
import json
import random
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from watchfloor.eval.stance import load_documents, span_hash
from watchfloor.extract.claims import NEGATION, extract_claims
from watchfloor.extract.forecast import direction
from watchfloor.extract.info import entity_info, kind_lookup
from watchfloor.extract.stance import content_words
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import load_gazetteer
from watchfloor.link.places import load_place_index
from watchfloor.nlp.embed import encoder
from watchfloor.nlp.pipeline import build_pipeline

MIN_WORDS = 5
POLARITY_PAIRS = 45


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--per-method", type=int, default=70)
    parser.add_argument("--reuse", action="store_true", help="Reuse OUT/claims.jsonl from an earlier run.")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.reuse:
        claims = [json.loads(line) for line in (args.out / "claims.jsonl").open()]
    else:
        claims = _extract(args.data)
        with (args.out / "claims.jsonl").open("w") as f:
            for c in claims:
                f.write(json.dumps(c) + "\n")
    # Identical spans (a document twice, or one span with two speakers) and bare names say nothing.
    claims = [c for c in claims if len(c["text"].split()) >= MIN_WORDS]
    _choose(claims, args.out, args.per_method)


def _extract(data: Path) -> list[dict[str, Any]]:
    gazetteer = load_gazetteer()
    nlp = build_pipeline(gazetteer)
    linker = Linker(gazetteer, load_place_index())
    claims = []
    for doc_id, text in load_documents(data).items():
        spacy_doc = nlp(text)
        linked = linker.link(spacy_doc)
        kind_of = kind_lookup(entity_info(gazetteer, linked.entities))
        for c in extract_claims(spacy_doc, linked.mentions, None, kind_of):
            claims.append(
                {"doc": doc_id, "start": c.start, "end": c.end, "kind": c.kind, "band_high": c.band_high,
                 "speaker": c.speaker_key or c.speaker_text, "about": sorted(c.about),
                 "hash": span_hash(text[c.start : c.end]), "text": text[c.start : c.end]}
            )  # fmt: skip
    return claims


def _sign(c: dict[str, Any]) -> tuple[bool, int]:
    """(the old negation test, the direction) of a claim."""
    old = c["kind"] == "denial" or (c["band_high"] is not None and c["band_high"] <= 0.45) or NEGATION.search(c["text"])
    return bool(old), direction(c["text"], c["kind"], c["band_high"])


def _choose(claims: list[dict[str, Any]], out: Path, per_method: int) -> None:
    vectors = encoder().encode([c["text"] for c in claims])
    words = [content_words(c["text"]) for c in claims]
    pairs: dict[tuple[int, int], tuple[str, float, float]] = {}
    by_subject: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        for key in c["about"]:
            by_subject.setdefault(key, []).append(i)
    for key, members in by_subject.items():
        for i, j in combinations(members, 2):
            if claims[i]["speaker"] == claims[j]["speaker"] and claims[i]["doc"] == claims[j]["doc"]:
                continue
            if claims[i]["hash"] == claims[j]["hash"]:
                continue
            overlap = len(words[i] & words[j]) / max(1, len(words[i] | words[j]))
            pairs.setdefault((i, j), (key, float(vectors[i] @ vectors[j]), overlap))
    chosen: dict[tuple[int, int], str] = {}
    ranked = list(pairs)
    for how, score in (("embedding", 1), ("lexical", 2)):
        for pair in sorted(ranked, key=lambda p: -pairs[p][score])[:per_method]:
            chosen.setdefault(pair, how)
    rng = random.Random(13)
    for pair in rng.sample(ranked, min(len(ranked), per_method)):
        chosen.setdefault(pair, "random")
    # Contradictions are rare: 45 more pairs whose polarity differs by either rule, most similar first.
    opposite = [
        p for p in ranked
        if p not in chosen and _sign(claims[p[0]]) != _sign(claims[p[1]])
        and (pairs[p][1] >= 0.45 or pairs[p][2] >= 0.25)
    ]  # fmt: skip
    for pair in sorted(opposite, key=lambda p: -max(pairs[p][1], pairs[p][2]))[:POLARITY_PAIRS]:
        chosen.setdefault(pair, "opposite_polarity")
    with (out / "candidates.jsonl").open("w") as f:
        for (i, j), how in chosen.items():
            key, sim, overlap = pairs[(i, j)]
            f.write(json.dumps({"a": claims[i], "b": claims[j], "subject": key, "picked_by": how,
                                "similarity": round(sim, 3), "overlap": round(overlap, 3)}) + "\n")  # fmt: skip
    print(f"{len(claims)} claims, {len(pairs)} same-subject pairs, {len(chosen)} candidates in {out}")
    print(f"mean similarity of candidates: {np.mean([pairs[p][1] for p in chosen]):.3f}")


if __name__ == "__main__":
    main()
