"""Words next to a name that tell whether it is a place and whether it is where an event happened
(``data/lexicons/places.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Token


@dataclass(frozen=True)
class PlaceWords:
    place_nouns: frozenset[str]
    nationality_nouns: frozenset[str]
    office_nouns: frozenset[str]
    distance_units: frozenset[str]
    compass_words: frozenset[str]
    landmark_nouns: frozenset[str]
    aim_verbs: frozenset[str]
    place_object_verbs: frozenset[str]
    region_nouns: frozenset[str]


@lru_cache(maxsize=1)
def load_place_words() -> PlaceWords:
    data = yaml.safe_load((resources.files("watchfloor") / "data/lexicons/places.yaml").read_text("utf-8"))
    return PlaceWords(
        *(
            frozenset(str(w) for w in data[k])
            for k in (
                "place_nouns",
                "nationality_nouns",
                "office_nouns",
                "distance_units",
                "compass_words",
                "landmark_nouns",
                "aim_verbs",
                "place_object_verbs",
                "region_nouns",
            )
        )
    )


def _of_head(tok: Token) -> Token | None:
    """The noun X in "X of <tok>"."""
    prep = tok.head
    if tok.dep_ == "pobj" and prep.lower_ == "of" and prep.dep_ == "prep" and prep.head.pos_ in ("NOUN", "PROPN"):
        return prep.head
    return None


def named_as_place(first: Token) -> bool:
    """The name starting at ``first`` follows "<place noun> of" ("the city of Lyon")."""
    doc = first.doc
    return (
        first.i >= 2
        and doc[first.i - 1].lower_ == "of"
        and doc[first.i - 2].lemma_.lower() in load_place_words().place_nouns
    )


def described_as_place(tok: Token) -> bool:
    """A proper noun the text itself calls a place with an appositive, even when NER missed it:
    "near Oroya, a key mining town", "in Barranca, a small village 180 km from Lima"."""
    nouns = load_place_words().place_nouns
    return tok.pos_ == "PROPN" and any(c.dep_ == "appos" and c.lemma_.lower() in nouns for c in tok.children)


def not_event_place(root: Token) -> bool:
    """The place named by ``root`` says whose nationality or office something is, where someone comes from
    or what something is aimed at, or it acts or is acted on, not where it happened: "a citizen of Kyrgyzstan",
    "Paris' counterterrorism authority", "U.S. Secretary of Defense", "seven men from Central Asia", "a message
    aimed at China", "to please China"."""
    words = load_place_words()
    head = _of_head(root)
    if head is not None and head.lemma_.lower() in words.nationality_nouns:
        return True
    if root.dep_ in ("nsubj", "dobj", "dative") and root.head.pos_ == "VERB":
        return root.head.lemma_.lower() not in words.place_object_verbs  # "to please China", "Pakistan said"
    node = root
    while node.dep_ in ("poss", "compound") and node.head.i != node.i:  # "refugees from Pakistan's tribal areas"
        node = node.head
    prep = node.head
    while prep.dep_ == "conj" and prep.head.i != prep.i:  # "aimed at the Taliban and at China"
        prep = prep.head
    if node.dep_ == "pobj" and prep.dep_ == "prep" and prep.head.i != prep.i:
        if prep.lower_ == "from":
            return True  # where someone or something comes from: "arrested seven men from Central Asia"
        if prep.lower_ == "at" and prep.head.lemma_.lower() in words.aim_verbs:
            return True  # what something is aimed at: "a message aimed at the Taliban and at China"
    if root.dep_ in ("poss", "compound", "nmod", "amod") and root.head.i != root.i:
        return root.head.lemma_.lower() in words.office_nouns
    return False


def measured_from(first: Token) -> bool:
    """The name starting at ``first`` is where a distance is measured from, not where something
    happened: "180 km from Lima", "300 km to the west of Bogota", "50 miles north of Kabul"."""
    doc = first.doc
    if first.i < 2 or doc[first.i - 1].lower_ not in ("of", "from"):
        return False
    words = load_place_words()
    i = first.i - 2
    if doc[i].lower_ in words.compass_words:
        i -= 1
        if i >= 1 and doc[i].lower_ == "the" and doc[i - 1].lower_ == "to":
            i -= 2
    return i >= 1 and doc[i].lower_ in words.distance_units and doc[i - 1].like_num
