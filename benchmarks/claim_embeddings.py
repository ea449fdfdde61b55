"""Ingest cost of claim embeddings (stance by meaning): ms per claim and per article, beside spaCy's own time.

    python benchmarks/claim_embeddings.py [--data ../shared/eval] [--limit 84]

Runs the ingest pipeline's parse, linking and claim extraction on PolNeAR dev texts, then embeds each
document's claims as ingest does (only claims with a linked subject: stance compares claims per subject;
batches of similar length, one ONNX thread). CPU time (process_time).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from watchfloor.eval.stance import load_documents
from watchfloor.extract.claims import extract_claims
from watchfloor.extract.info import entity_info, kind_lookup
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import load_gazetteer
from watchfloor.link.places import load_place_index
from watchfloor.nlp.embed import embed_texts
from watchfloor.nlp.pipeline import build_pipeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--limit", type=int, default=84)
    args = parser.parse_args()
    docs = [t for d, t in load_documents(args.data).items() if d.startswith("polnear/")][: args.limit]
    gazetteer = load_gazetteer()
    nlp = build_pipeline(gazetteer)
    linker = Linker(gazetteer, load_place_index())
    spacy_s = embed_s = 0.0
    claims = embedded = words = 0
    embed_texts(["warm up the session"])
    for text in docs:
        started = time.process_time()
        parsed = nlp(text)
        spacy_s += time.process_time() - started
        linked = linker.link(parsed)
        found = extract_claims(parsed, linked.mentions, None, kind_lookup(entity_info(gazetteer, linked.entities)))
        started = time.process_time()
        wanted = [c.text for c in found if c.about and c.kind != "responsibility"]
        embed_texts(wanted)
        embed_s += time.process_time() - started
        claims += len(found)
        embedded += len(wanted)
        words += len(text.split())
    print(json.dumps({
        "articles": len(docs), "claims": claims, "embedded_claims": embedded, "words": words,
        "embedding_ms_per_embedded_claim": round(1000 * embed_s / max(embedded, 1), 2),
        "embedding_ms_per_claim": round(1000 * embed_s / max(claims, 1), 2),
        "embedding_ms_per_article": round(1000 * embed_s / len(docs), 1),
        "spacy_ms_per_article": round(1000 * spacy_s / len(docs), 1),
        "embedding_share_of_spacy": round(embed_s / spacy_s, 3),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
