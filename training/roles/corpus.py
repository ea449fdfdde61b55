"""MUC-4 documents (GRIT's lower-cased texts, truecased first as the evaluation does) parsed once with
watchfloor's pipeline, cached as DocBin (``.cache/muc4``); the cache key is the gold file's bytes, the
truecasing table, the pipeline's model and the gazetteer."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc

from training.common import cached_parses
from watchfloor.eval.muc4 import GritDoc, load_grit
from watchfloor.link.gazetteer import load_gazetteer
from watchfloor.nlp.truecase import TABLE_RESOURCE, load_truecase_table, truecase

CACHE = Path(".cache/muc4")


def file_digest(path: Path) -> str:
    """sha256 of a gold file's bytes (recorded in model.json as the training data's hash)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def truecase_table_sha256() -> str:
    """sha256 of the shipped truecasing table the texts are truecased with (recorded in model.json)."""
    path = resources.files("watchfloor").joinpath(*TABLE_RESOURCE)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parsed_split(path: Path) -> tuple[list[GritDoc], list[Doc]]:
    """The gold documents of one GRIT file and their parses (from the cache when it is current)."""
    gold = load_grit(path)
    table = load_truecase_table()
    texts = [truecase(d.text, table) for d in gold]  # same length: gold offsets stay valid
    digest = f"{file_digest(path)}|truecase:{table.fingerprint}"
    docs = cached_parses(CACHE, path.stem, digest, texts, load_gazetteer(), batch_size=32)
    return gold, docs
