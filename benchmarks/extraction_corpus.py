"""Texts and analysed documents for the extraction benchmarks: the demo corpus and real pages.

The demo corpus is cleaned as ingest cleans it; real pages are the article bodies of the
article-extraction gold set in ``../shared/eval`` (read at run time, never copied into the repo;
absent folder -> no real pages). ``analyse`` runs the same pipeline and linker as ingest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from watchfloor.extract.events import InfoLookup
from watchfloor.extract.info import entity_info, kind_lookup
from watchfloor.ingest.document import build_document
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import load_gazetteer
from watchfloor.link.places import load_place_index
from watchfloor.models import MentionRecord, RawInput
from watchfloor.nlp.pipeline import build_pipeline
from watchfloor.workspace import demo_corpus_path

SHARED_EVAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval"
REAL_PAGES = SHARED_EVAL / "article_extraction" / "ground-truth.json"
FIXED_TODAY = date(2025, 6, 1)  # cleaning may consult "today"; keep runs comparable


@dataclass
class Analysed:
    """One parsed and linked document, ready for the extractors."""

    name: str
    doc: Doc
    mentions: list[MentionRecord]
    published: date | None
    not_before: date | None
    info: InfoLookup
    kind_of: Callable[[str], str | None]


Text = tuple[str, str, date | None, date | None]  # name, clean text, published, not-before bound


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def demo_texts() -> list[Text]:
    """(name, clean text, publication date, not-before) for every English demo-corpus article."""
    out = []
    for path in sorted(demo_corpus_path().iterdir()):
        if path.suffix not in (".txt", ".html", ".md") or "-fr" in path.stem:
            continue
        clean = build_document(RawInput(str(path), path.suffix.lstrip("."), path.read_bytes()), FIXED_TODAY)
        found = clean.published
        out.append((path.name, clean.text, _day(found.date), None if found.date else _day(found.not_before)))
    return out


def real_texts(limit: int | None = None) -> list[Text]:
    """(name, article body, None, None) for the real pages of the article-extraction gold set, if present."""
    if not REAL_PAGES.exists():
        return []
    gold: dict[str, dict[str, str]] = json.loads(REAL_PAGES.read_text("utf-8"))
    items = sorted(gold.items())[:limit] if limit else sorted(gold.items())
    return [(f"real:{key}", value["articleBody"], None, None) for key, value in items if value.get("articleBody")]


class Analyser:
    """The ingest pipeline and linker, loaded once."""

    def __init__(self, model: str = "md") -> None:
        self.gazetteer = load_gazetteer()
        self.nlp: Language = build_pipeline(self.gazetteer, model)
        self.linker = Linker(self.gazetteer, load_place_index())

    def analyse(self, name: str, text: str, published: date | None, not_before: date | None = None) -> Analysed:
        doc = self.nlp(text)
        linked = self.linker.link(doc)
        info = entity_info(self.gazetteer, linked.entities)
        return Analysed(name, doc, linked.mentions, published, not_before, info, kind_lookup(info))
