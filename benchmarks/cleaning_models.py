"""Cost of the trained cleaning/metadata models on real pasted pages, beside bare spaCy, in one run.

Run: ``python benchmarks/cleaning_models.py [--pages 200]``. Uses the trafilatura_eval dev pages
rendered to pasted text (``watchfloor.eval.pasted``; needs ../shared/eval and Debian chromium for a
cold cache). Times, on the same texts and in alternating order (A-B-B-A, twice):

- ``build_document`` with the shipped models (furniture line model, headline and date rankers);
- ``build_document`` with the models switched off (the rule fallbacks);
- bare spaCy ``nlp.pipe`` over the cleaned texts (the cost every ingest pays anyway).

Prints ms per page for each and the models' extra cost as a share of the bare spaCy time.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from abba import abba_ms, report

from watchfloor.eval.pasted import TRAFILATURA, corpus_dirs, rendered_pages
from watchfloor.ingest import clean, headline, pubdate
from watchfloor.ingest.document import build_document
from watchfloor.models import RawInput
from watchfloor.nlp.pipeline import load_base_model

TODAY = date(2026, 12, 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/article_extraction"))
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    html_dir, _ = corpus_dirs(args.data)[TRAFILATURA]
    texts = [text for _, text in rendered_pages(html_dir)][: args.pages]
    raws = [RawInput(f"p{i}.txt", "txt", t.encode("utf-8")) for i, t in enumerate(texts)]
    models = (clean.line_model, headline.headline_model, pubdate.pubdate_model)
    saved = [(m.__module__, m.__name__, m) for m in models]

    def with_models() -> None:
        for raw in raws:
            build_document(raw, TODAY)

    def without_models() -> None:
        import sys

        for module, name, _ in saved:
            setattr(sys.modules[module], name, lambda: None)
        try:
            for raw in raws:
                build_document(raw, TODAY)
        finally:
            for module, name, fn in saved:
                setattr(sys.modules[module], name, fn)

    cleaned = [build_document(raw, TODAY).text for raw in raws]
    nlp = load_base_model()

    def bare_spacy() -> None:
        for _ in nlp.pipe(cleaned, batch_size=16):
            pass

    ms = abba_ms({"models": with_models, "rules": without_models, "spacy": bare_spacy}, len(raws))
    result = {
        "pages": len(raws),
        "cpu_ms_per_page": {k: round(v, 2) for k, v in ms.items()},
        "models_extra_ms_per_page": round(ms["models"] - ms["rules"], 2),
        "models_extra_over_bare_spacy": round((ms["models"] - ms["rules"]) / ms["spacy"], 4),
        "cleaning_over_bare_spacy": round(ms["models"] / ms["spacy"], 4),
    }
    report(result, args.out)


if __name__ == "__main__":
    main()
