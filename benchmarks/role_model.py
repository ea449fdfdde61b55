"""Cost of the event role filler per article, beside bare spaCy, in one run.

Run: ``python benchmarks/role_model.py [--out benchmarks/results/role_model.json]``.
Uses the MUC-4 dev wires (../shared/eval/muc4/grit_dev.jsonl, 200 real news stories of 1989-90) and
the bundled demo articles. Parses them once with watchfloor's pipeline, then times, in alternating
order (A-B-B-A, twice, CPU time, best run):

- ``RoleModel.fill``: candidate phrases, their features and the shipped model's probabilities;
- ``candidate_phrases`` alone (the share of the cost that is feature extraction);
- bare spaCy ``nlp.pipe`` over the same texts (the cost every ingest pays anyway).

Prints ms per document and the filler's cost as a share of the bare spaCy time.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from abba import abba_ms, report

from watchfloor.eval.muc4 import load_grit
from watchfloor.extract.roles import candidate_phrases, load_role_model
from watchfloor.link.gazetteer import load_gazetteer
from watchfloor.nlp.pipeline import build_pipeline, load_base_model

DEMO = Path(__file__).resolve().parents[1] / "watchfloor" / "data" / "demo"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/muc4"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    model = load_role_model()
    if model is None:
        raise SystemExit("no role model shipped (watchfloor/models/roles/model.json)")
    corpora = {
        "muc4_dev": [d.text for d in load_grit(args.data / "grit_dev.jsonl")],
        "demo": [p.read_text("utf-8") for p in sorted(DEMO.glob("*.txt"))],
    }
    nlp, base = build_pipeline(load_gazetteer()), load_base_model()
    result: dict[str, object] = {}
    for name, texts in corpora.items():
        docs = list(nlp.pipe(texts, batch_size=16))

        def fill(docs: list = docs) -> None:  # type: ignore[type-arg]
            for doc in docs:
                model.fill(doc)

        def candidates(docs: list = docs) -> None:  # type: ignore[type-arg]
            for doc in docs:
                candidate_phrases(doc, model.clusters)

        def bare_spacy(texts: list[str] = texts) -> None:
            for _ in base.pipe(texts, batch_size=16):
                pass

        ms = abba_ms({"fill": fill, "candidates": candidates, "spacy": bare_spacy}, len(docs))
        result[name] = {
            "documents": len(docs),
            "words": sum(len(t.split()) for t in texts),
            "cpu_ms_per_document": {k: round(v, 2) for k, v in ms.items()},
            "fill_over_bare_spacy": round(ms["fill"] / ms["spacy"], 4),
        }
    report(result, args.out)


if __name__ == "__main__":
    main()
