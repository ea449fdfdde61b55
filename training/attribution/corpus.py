"""PolNeAR train/dev parsed once with watchfloor's own pipeline, cached as DocBin (``.cache/polnear``).

The cache key is the split's annotation and text files plus the pipeline's model name and the
gazetteer hash, so a changed pipeline re-parses instead of training on stale parses.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from spacy.tokens import Doc

from training.common import cached_parses
from watchfloor.eval.polnear import PolnearDoc, load_split
from watchfloor.link.gazetteer import Gazetteer, load_gazetteer

CACHE = Path(".cache/polnear")


def split_digest(docs: list[PolnearDoc]) -> str:
    """sha256 over the split's texts and gold spans: the training data's identity."""
    digest = hashlib.sha256()
    for doc in docs:
        digest.update(doc.name.encode())
        digest.update(doc.text.encode())
        for a in doc.attributions:
            digest.update(repr((a.source, a.content, a.cue)).encode())
    return digest.hexdigest()


def parsed_split(folder: Path, gazetteer: Gazetteer | None = None) -> tuple[list[PolnearDoc], list[Doc]]:
    """The split's gold documents and their spaCy parses (from the cache when it is current)."""
    gazetteer = gazetteer or load_gazetteer()
    gold = load_split(folder)
    docs = cached_parses(CACHE, folder.name, split_digest(gold), [d.text for d in gold], gazetteer)
    return gold, docs
