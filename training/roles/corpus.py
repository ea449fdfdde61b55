"""MUC-4 documents (GRIT's lower-cased texts) parsed once with watchfloor's pipeline, cached as DocBin
(``.cache/muc4``); the cache key is the gold file's bytes, the pipeline's model and the gazetteer."""

from __future__ import annotations

import hashlib
from pathlib import Path

from spacy.tokens import Doc

from training.common import cached_parses
from watchfloor.eval.muc4 import GritDoc, load_grit
from watchfloor.link.gazetteer import load_gazetteer

CACHE = Path(".cache/muc4")


def file_digest(path: Path) -> str:
    """sha256 of a gold file's bytes (recorded in model.json as the training data's hash)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parsed_split(path: Path) -> tuple[list[GritDoc], list[Doc]]:
    """The gold documents of one GRIT file and their parses (from the cache when it is current)."""
    gold = load_grit(path)
    docs = cached_parses(CACHE, path.stem, file_digest(path), [d.text for d in gold], load_gazetteer(), batch_size=32)
    return gold, docs
