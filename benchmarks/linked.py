"""Texts parsed and linked once with watchfloor's pipeline, for benchmarks that time one extractor."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from watchfloor.extract.info import entity_info, kind_lookup
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import load_gazetteer
from watchfloor.link.places import load_place_index
from watchfloor.models import MentionRecord
from watchfloor.nlp.pipeline import build_pipeline

Linked = tuple[Doc, list[MentionRecord], Callable[[str], str | None]]


def linked_docs(texts: list[str], batch_size: int = 16) -> list[Linked]:
    """(doc, mentions, kind lookup) for each text, as ingest hands them to the extractors."""
    gazetteer = load_gazetteer()
    nlp = build_pipeline(gazetteer)
    linker = Linker(gazetteer, load_place_index())
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        linked = linker.link(doc)
        out.append((doc, linked.mentions, kind_lookup(entity_info(gazetteer, linked.entities))))
    return out
