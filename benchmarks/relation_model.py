"""Cost of the relation model per article, beside the hand rules and bare spaCy, in one run.

Run: ``python benchmarks/relation_model.py [--out benchmarks/results/relation_model.json]``.
Uses the re3d documents (../shared/eval/re3d: BBC Online, CENTCOM, Wikipedia; real defence news and
encyclopedia articles). Parses and links them once with watchfloor's pipeline, then times, on the
same parsed documents in alternating order (A-B-B-A, twice, CPU time, best run):

- ``extract_relations`` as ingest runs it: rules + the shipped relation model over the pairs of
  linked entities (``linked_only``: exactly the records the store keeps);
- ``extract_relations`` with the model over every pair of argument phrases (what the evaluation scores);
- ``extract_relations`` with the model off (the hand rules alone);
- bare spaCy ``nlp.pipe`` over the same texts (the cost every ingest pays anyway).

Prints ms per document and the model's extra cost as a share of the bare spaCy time.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from abba import abba_ms, report
from linked import linked_docs

from watchfloor.eval.re3d import load_re3d
from watchfloor.extract.relation_model import load_relation_model
from watchfloor.extract.relations import extract_relations
from watchfloor.nlp.pipeline import load_base_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/re3d"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    texts = [d.text for d in load_re3d(args.data)]
    if not texts:
        raise SystemExit(f"no re3d documents under {args.data}")
    if load_relation_model() is None:
        raise SystemExit("no relation model shipped (watchfloor/models/relations/model.json)")
    parsed = linked_docs(texts, batch_size=8)

    def learned() -> None:
        for doc, mentions, kind_of in parsed:
            extract_relations(doc, mentions, None, kind_of, linked_only=True)

    def learned_all_pairs() -> None:
        for doc, mentions, kind_of in parsed:
            extract_relations(doc, mentions, None, kind_of)

    def rules() -> None:
        for doc, mentions, kind_of in parsed:
            extract_relations(doc, mentions, None, kind_of, model=False)

    base = load_base_model()

    def bare_spacy() -> None:
        for _ in base.pipe(texts, batch_size=8):
            pass

    ms = abba_ms(
        {"learned": learned, "learned_all_pairs": learned_all_pairs, "rules": rules, "spacy": bare_spacy}, len(parsed)
    )
    result = {
        "documents": len(parsed),
        "words": sum(len(t.split()) for t in texts),
        "cpu_ms_per_document": {k: round(v, 2) for k, v in ms.items()},
        "learned_extra_ms_per_document": round(ms["learned"] - ms["rules"], 2),
        "learned_extra_over_bare_spacy": round((ms["learned"] - ms["rules"]) / ms["spacy"], 4),
        "relations_over_bare_spacy": round(ms["learned"] / ms["spacy"], 4),
        "learned_all_pairs_extra_ms_per_document": round(ms["learned_all_pairs"] - ms["rules"], 2),
    }
    report(result, args.out)


if __name__ == "__main__":
    main()
