"""Cost of the learned attribution model on real news, beside the claim rules and bare spaCy, in one run.

Run: ``python benchmarks/attribution_model.py [--docs 84] [--out benchmarks/results/attribution_model.json]``.
Uses the PolNeAR dev articles (../shared/eval/polnear/dev, real US political news). Parses them once
with watchfloor's pipeline, then times, on the same parsed documents in alternating order (A-B-B-A,
twice, CPU time, best run):

- ``extract_claims`` with the shipped attribution model;
- ``extract_claims`` with the model switched off (the hand-written rules);
- bare spaCy ``nlp.pipe`` over the same texts (the cost every ingest pays anyway).

Prints ms per document and the model's extra cost as a share of the bare spaCy time.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from abba import abba_ms, report
from linked import linked_docs

from watchfloor.eval.polnear import load_split
from watchfloor.extract import claims as claims_module
from watchfloor.extract.claims import extract_claims
from watchfloor.nlp.pipeline import load_base_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/polnear/dev"))
    parser.add_argument("--docs", type=int, default=84)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    texts = [d.text for d in load_split(args.data)][: args.docs]
    parsed = linked_docs(texts, batch_size=16)
    shipped = claims_module.load_attribution_model

    def learned() -> None:
        for doc, mentions, kind_of in parsed:
            extract_claims(doc, mentions, None, kind_of)

    def rules() -> None:
        claims_module.load_attribution_model = lambda: None  # type: ignore[assignment]
        try:
            learned()
        finally:
            claims_module.load_attribution_model = shipped

    base = load_base_model()

    def bare_spacy() -> None:
        for _ in base.pipe(texts, batch_size=16):
            pass

    ms = abba_ms({"learned": learned, "rules": rules, "spacy": bare_spacy}, len(parsed))
    result = {
        "documents": len(parsed),
        "words": sum(len(t.split()) for t in texts),
        "cpu_ms_per_document": {k: round(v, 2) for k, v in ms.items()},
        "learned_extra_ms_per_document": round(ms["learned"] - ms["rules"], 2),
        "learned_extra_over_bare_spacy": round((ms["learned"] - ms["rules"]) / ms["spacy"], 4),
        "claims_over_bare_spacy": round(ms["learned"] / ms["spacy"], 4),
    }
    report(result, args.out)


if __name__ == "__main__":
    main()
