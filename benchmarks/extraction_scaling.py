"""Extraction cost per 1k words on short and long documents: it should not grow with the length.

Run: ``python benchmarks/extraction_scaling.py --out benchmarks/results/extraction_scaling.json``.
The same text (the demo corpus, cleaned as ingest cleans it, concatenated; or with ``--real`` the
article bodies of the real pages in ``../shared/eval``) is cut at paragraph breaks into documents of
about 250, 1,500 and 5,000 words. Each set is parsed and linked once (not timed); then the event,
claim and relation extractors run over it, CPU time, best of 4 runs in A-B-B-A order, reported as
ms per 1k words per extractor and overall, beside bare spaCy's parse of the same set.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from abba import abba_ms, cpu_seconds, report
from extraction_corpus import Analysed, Analyser, demo_texts, real_texts

from watchfloor.extract.claims import extract_claims
from watchfloor.extract.events import extract_events
from watchfloor.extract.relations import extract_relations

PUBLISHED = date(2025, 6, 1)


def cut(paragraphs: list[str], words: int, budget: int) -> list[str]:
    """Documents of about ``words`` words each (whole paragraphs), ``budget`` words in all."""
    docs: list[str] = []
    current: list[str] = []
    size = total = 0
    for para in paragraphs:
        n = len(para.split())
        current.append(para)
        size += n
        total += n
        if size >= words:
            docs.append("\n\n".join(current))
            current, size = [], 0
        if total >= budget:
            break
    if current and size >= words // 2:
        docs.append("\n\n".join(current))
    return docs


def paragraphs(real: bool) -> list[str]:
    texts = real_texts() if real else demo_texts()
    if not texts:
        raise SystemExit("no texts: ../shared/eval is absent (drop --real to use the demo corpus)")
    return [p.strip() for _name, text, *_ in texts for p in text.split("\n") if p.strip()]


def run(lengths: list[int], budget: int, real: bool, only: list[str]) -> dict[str, object]:
    analyser = Analyser()
    paras = paragraphs(real)
    rows = []
    for length in lengths:
        texts = cut(paras, length, budget)
        words = sum(len(t.split()) for t in texts)
        parse_s = cpu_seconds(lambda texts=texts: [analyser.nlp(t) for t in texts])
        docs: list[Analysed] = [analyser.analyse(f"doc{i}", t, PUBLISHED) for i, t in enumerate(texts)]

        def events(docs: list[Analysed] = docs) -> None:
            for a in docs:
                extract_events(a.doc, a.mentions, a.published, a.info)

        def claims(docs: list[Analysed] = docs) -> None:
            for a in docs:
                extract_claims(a.doc, a.mentions, a.published, a.kind_of)

        def relations(docs: list[Analysed] = docs) -> None:
            for a in docs:
                extract_relations(a.doc, a.mentions, a.published, a.kind_of)

        jobs = {"events": events, "claims": claims, "relations": relations}
        ms = abba_ms({name: job for name, job in jobs.items() if name in only}, 1)
        per_kw = {name: round(value * 1000 / words, 2) for name, value in ms.items()}
        rows.append(
            {
                "target_words": length,
                "documents": len(texts),
                "words": words,
                "mean_words": round(words / len(texts)),
                "ms_per_1k_words": {**per_kw, "all_extractors": round(sum(per_kw.values()), 2)},
                "spacy_parse_ms_per_1k_words": round(parse_s * 1e6 / words, 1),
            }
        )
        print(rows[-1], file=sys.stderr, flush=True)
    return {"corpus": "real pages" if real else "demo corpus", "lengths": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lengths", default="250,1500,5000", help="document lengths in words")
    parser.add_argument("--budget", type=int, default=15000, help="words per length (same text for each)")
    parser.add_argument("--real", action="store_true", help="real pages from ../shared/eval, not the demo corpus")
    parser.add_argument("--extractors", default="events,claims,relations", help="which extractors to time")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    lengths = [int(x) for x in args.lengths.split(",")]
    report(run(lengths, args.budget, args.real, args.extractors.split(",")), args.out)


if __name__ == "__main__":
    main()
