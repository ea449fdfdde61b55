"""Branches named through their parent: "the Islamic State's Khorasan branch" is ISKP, not the Islamic
State; "the Sahel province of the Islamic State" is IS Sahel. The gazetteer says which entries are a
parent's branches (``parent``); the region words before the branch noun pick one of them by its name,
its aliases or its country. Pure: a parsed document and its mentions in, the mentions rewritten out."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from importlib import resources

import yaml
from spacy.tokens import Doc, Token

from watchfloor.link.demonyms import country_of_demonym
from watchfloor.link.gazetteer import Gazetteer, GazetteerEntry
from watchfloor.models import MentionRecord


@cache
def branch_nouns() -> frozenset[str]:
    """Nouns naming a part of an organisation (``data/lexicons/branches.yaml``)."""
    path = resources.files("watchfloor") / "data" / "lexicons" / "branches.yaml"
    return frozenset(yaml.safe_load(path.read_text("utf-8"))["branch_nouns"])


_CHILDREN: dict[str, dict[str, list[GazetteerEntry]]] = {}  # gazetteer fingerprint -> parent -> branches


def _children(gazetteer: Gazetteer, parent: str) -> list[GazetteerEntry]:
    index = _CHILDREN.get(gazetteer.fingerprint)
    if index is None:
        index = {}
        for entry in gazetteer.entries:
            if entry.parent:
                index.setdefault(entry.parent, []).append(entry)
        _CHILDREN[gazetteer.fingerprint] = index
    return index.get(parent, [])


def _region_words(noun: Token, parent_root: Token) -> list[Token]:
    """The words that say which branch: modifiers of the branch noun before it ("Khorasan", "Yemeni")."""
    return [
        t
        for t in noun.children
        if t.i < noun.i and t.dep_ in ("compound", "amod", "nmod", "npadvmod") and t.i != parent_root.i
        for t in t.subtree
        if not t.is_punct and t.dep_ not in ("det", "poss", "case")
    ]


def _names_region(words: list[str], name: str) -> bool:
    """Whether every region word starts a word of the name, give or take an ending ("West African" in
    "Islamic State West Africa Province", "Khorasan" in "Islamic State Khorasan Province")."""
    parts = name.lower().split()
    return all(any(p.startswith(w[: max(4, len(w) - 2)]) for p in parts) for w in words)


def _branch_for(region: list[Token], children: list[GazetteerEntry]) -> GazetteerEntry | None:
    """The one child whose name or aliases hold the region's words, or whose country the region names."""
    words = [t.lower_ for t in region if t.is_alpha]
    if not words:
        return None
    by_name = [e for e in children if any(_names_region(words, name) for name in (e.record.name, *e.record.aliases))]
    if len(by_name) == 1:
        return by_name[0]
    country = country_of_demonym(" ".join(t.text for t in region)) if len(region) == 1 else None
    by_country = [e for e in children if country is not None and country in e.record.countries]
    return by_country[0] if len(by_country) == 1 else None


def branch_references(doc: Doc, mentions: list[MentionRecord], gazetteer: Gazetteer) -> list[MentionRecord]:
    """The mentions with each parent named as the owner of one of its branches relinked to that branch;
    the mention then covers the whole phrase ("Islamic State's Khorasan branch")."""
    nouns = branch_nouns()
    out: list[MentionRecord] = []
    widened: list[tuple[int, int]] = []
    for m in mentions:
        children = _children(gazetteer, m.entity_key) if m.entity_key and m.label == "ORG" else []
        span = doc.char_span(m.start, m.end, alignment_mode="expand") if children else None
        if span is None:
            out.append(m)
            continue
        root = span.root
        if root.dep_ == "poss" and root.head.lower_ in nouns:
            noun = root.head  # "the Islamic State's Khorasan branch"
            start, end = m.start, noun.idx + len(noun.text)
        elif root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in nouns:
            noun = root.head.head  # "the Khorasan branch of the Islamic State"
            first = min([noun, *_region_words(noun, root)], key=lambda t: t.i)
            start, end = first.idx, m.end
        else:
            out.append(m)
            continue
        branch = _branch_for(_region_words(noun, root), children)
        if branch is None:
            out.append(m)
            continue
        text = doc.text[start:end]
        out.append(replace(m, start=start, end=end, text=text, entity_key=branch.record.key, link_method="branch"))
        widened.append((start, end))
    # a region word the NER tagged on its own ("Khorasan") is part of the branch's name now
    return [m for m in out if m.link_method == "branch" or not any(a <= m.start and m.end <= b for a, b in widened)]
