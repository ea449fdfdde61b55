"""re3d documents parsed once with watchfloor's own pipeline, cached as DocBin (``.cache/re3d``).

The cache key is the gold texts and relations plus the pipeline's model name and the gazetteer
hash, so a changed pipeline re-parses instead of training on stale parses. re3d ships only what
is here as a development set (three of seven sources, no train split), so the training command
splits it by document (``watchfloor.eval.re3d.splits``) into a tuning part and a held-out part.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from training.common import cached_parses
from watchfloor.eval.re3d import Re3dDoc, load_re3d
from watchfloor.link.gazetteer import Gazetteer, load_gazetteer

CACHE = Path(".cache/re3d")


def corpus_digest(docs: list[Re3dDoc]) -> str:
    """sha256 over the documents' texts and gold relations: the training data's identity."""
    digest = hashlib.sha256()
    for doc in docs:
        digest.update(f"{doc.source}/{doc.doc_id}".encode())
        digest.update(doc.text.encode())
        for r in doc.relations:
            digest.update(repr((r.type, r.source, r.target)).encode())
    return digest.hexdigest()


def parsed_corpus(
    folder: Path, gazetteer: Gazetteer | None = None, nlp: Language | None = None
) -> tuple[list[Re3dDoc], list[Doc]]:
    """The gold documents and their spaCy parses (from the cache when it is current)."""
    gazetteer = gazetteer or load_gazetteer()
    gold = load_re3d(folder)
    docs = cached_parses(CACHE, "re3d", corpus_digest(gold), [d.text for d in gold], gazetteer, nlp, batch_size=8)
    return gold, docs
