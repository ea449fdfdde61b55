"""Relations between linked actors (allied_with, hostile_to, attacks, hosts, supports, negotiates_with,
member_of, leads, deputy_of, founded, operates_in, sanctions), from dependency parses and the lexicon
in ``data/lexicons/relations.yaml``. Text in, records out; each record cites its sentence.

Verbs relate their subject (or passive agent) to their object (direct, or through a preposition);
role nouns relate an apposition, a copula subject or a name they are compounded with to their "of"
argument ("X, the leader of Y", "X is a faction of Y", "ISKP leader X"). Negation ("denied
harbouring"), hedging ("reportedly") and stated time ("since 2021", "in 2017", "until 2021") are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from spacy.tokens import Doc, Span, Token

from watchfloor.link.temporal import resolve
from watchfloor.models import MentionRecord, RelationRecord

EXTRACTOR_VERSION = "0.1.0"
ACTOR_KINDS = {
    "armed_group",
    "person",
    "state",
    "military",
    "security_service",
    "government_body",
    "international_org",
    "political_party",
    "organisation",
    "media_outlet",
}
PLACE_PREDICATES = {"operates_in"}
KindLookup = Callable[[str], str | None]


@dataclass(frozen=True)
class RelationLexicon:
    verbs: dict[str, str]
    object_preps: frozenset[str]
    nouns: dict[str, str]
    symmetric: frozenset[str]
    phrases: dict[str, str]
    hedges: re.Pattern[str]
    denials: frozenset[str]


@lru_cache(maxsize=1)
def load_relation_lexicon() -> RelationLexicon:
    """Parse the data file once."""
    spec: dict[str, Any] = yaml.safe_load(
        (resources.files("watchfloor") / "data/lexicons/relations.yaml").read_text("utf-8")
    )
    hedges = sorted((re.escape(h) for h in spec["hedges"]), key=len, reverse=True)
    return RelationLexicon(
        verbs=dict(spec["verbs"]),
        object_preps=frozenset(spec["object_preps"]),
        nouns=dict(spec["nouns"]),
        symmetric=frozenset(spec["symmetric"]),
        phrases=dict(spec["phrases"]),
        hedges=re.compile(r"\b(?:" + "|".join(hedges) + r")\b", re.I),
        denials=frozenset(spec["denials"]),
    )


class _Index:
    """Which linked mention a token belongs to, and what kind of entity it is."""

    def __init__(self, doc: Doc, mentions: list[MentionRecord], kind_of: KindLookup) -> None:
        self.kind_of = kind_of
        self.by_token: dict[int, MentionRecord] = {}
        for m in mentions:
            if not m.entity_key:
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for tok in span:
                    self.by_token.setdefault(tok.i, m)

    def actor(self, tok: Token, places: bool = False) -> MentionRecord | None:
        """The mention a noun phrase head stands for: itself, its compound or possessor ("ISKP fighters"),
        or its "of" argument ("members of the TTP")."""
        for candidate in (tok, *(c for c in tok.children if c.dep_ in ("compound", "poss", "amod", "nmod"))):
            m = self.by_token.get(candidate.i)
            if m is not None and self._usable(m, places):
                return m
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    m = self.by_token.get(pobj.i)
                    if pobj.dep_ == "pobj" and m is not None and self._usable(m, places):
                        return m
        return None

    def _usable(self, m: MentionRecord, places: bool) -> bool:
        kind = self.kind_of(m.entity_key or "")
        if places:
            return kind in ("place", "state") or (m.entity_key or "").startswith(("geo:", "adm1:", "country:"))
        return kind in ACTOR_KINDS


def _with_conjuncts(tok: Token) -> list[Token]:
    return [tok, *tok.conjuncts]


ACCUSING = {"accuse", "blame", "suspect", "charge"}


def _accused(verb: Token) -> Token | None:
    """'Pakistan accused India of funding X': the accusing verb whose object does the funding."""
    if verb.dep_ == "pcomp" and verb.head.lower_ in ("of", "for") and verb.head.head.lemma_.lower() in ACCUSING:
        return next((c for c in verb.head.head.children if c.dep_ in ("dobj", "nsubjpass")), None)
    return None


def _subjects(verb: Token) -> list[Token]:
    accused = _accused(verb)
    if accused is not None:
        return [accused]
    passive = any(c.dep_ == "nsubjpass" for c in verb.children)
    if passive:
        return [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    found = [c for c in verb.children if c.dep_ == "nsubj"]
    if not found and verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        return _subjects(verb.head)  # "denied harbouring X", "fought and defeated X"
    return found


def _objects(verb: Token, lex: RelationLexicon) -> list[Token]:
    found = [c for c in verb.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
    for prep in verb.children:
        if prep.dep_ in ("prep", "dative") and prep.lower_ in lex.object_preps:
            found += [g for g in prep.children if g.dep_ == "pobj"]
    return found


def _negated(tok: Token, lex: RelationLexicon) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    return any(a.lemma_.lower() in lex.denials or a.lower_ in lex.denials for a in list(tok.ancestors)[:2])


def _hedged(tok: Token, sent: Span, lex: RelationLexicon) -> bool:
    if _accused(tok) is not None or any(
        c.dep_ == "aux" and c.lower_ in ("may", "might", "could") for c in tok.children
    ):
        return True  # an accusation or a modal is a hedged statement of the relation
    window = sent.doc[max(sent.start, tok.left_edge.i - 6) : tok.i + 1].text
    return bool(lex.hedges.search(window))


def _valid_time(tok: Token, published: date | None) -> tuple[str | None, str | None]:
    """'since 2021' -> from; 'until 2021' -> to; 'in 2017' -> both."""
    start = end = None
    for prep in tok.children:
        if prep.dep_ != "prep":
            continue
        for pobj in (g for g in prep.children if g.dep_ == "pobj"):
            if pobj.ent_type_ != "DATE":
                continue
            found = resolve(tok.doc[pobj.left_edge.i : pobj.right_edge.i + 1].text, published)
            if found is None:
                continue
            if prep.lower_ == "since":
                start = found.date
            elif prep.lower_ in ("until", "till"):
                end = found.date
            elif prep.lower_ in ("in", "during", "on"):
                start = end = found.date
    return start, end


def _verb_relations(
    sent: Span, index: _Index, lex: RelationLexicon
) -> Iterator[tuple[MentionRecord, str, MentionRecord, Token]]:
    for tok in sent:
        if tok.pos_ != "VERB":
            continue
        lemma = tok.lemma_.lower()
        predicate = lex.verbs.get(lemma)
        objects = _objects(tok, lex)
        for obj in list(objects):  # "gave safe haven to X", "pledged allegiance to X"
            phrase = next((p for p in lex.phrases if p in sent.doc[obj.left_edge.i : obj.i + 1].text.lower()), None)
            if phrase is not None:
                predicate = lex.phrases[phrase]
                objects = [g for c in tok.children if c.dep_ in ("prep", "dative") for g in c.children]
                objects += [g for c in obj.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        if predicate is None:
            continue
        places = predicate in PLACE_PREDICATES
        for subject in (s for head in _subjects(tok) for s in _with_conjuncts(head)):
            subj = index.actor(subject)
            if subj is None:
                continue
            for target in (o for head in objects for o in _with_conjuncts(head)):
                obj_m = index.actor(target, places=places)
                if obj_m is not None and obj_m.entity_key != subj.entity_key:
                    yield subj, predicate, obj_m, tok


def _noun_relations(
    sent: Span, index: _Index, lex: RelationLexicon
) -> Iterator[tuple[MentionRecord, str, MentionRecord, Token]]:
    for tok in sent:
        predicate = lex.nouns.get(tok.lower_) if tok.pos_ == "NOUN" else None
        if predicate is None:
            continue
        # the organisation the role is "of": "leader of Y", "Y's leader", "ISKP leader X"
        obj = None
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "to"):  # "in Mali" places, not organises
                obj = next((index.actor(g) for g in prep.children if g.dep_ == "pobj" and index.actor(g)), None)
        if obj is None:
            obj = next(
                (index.by_token.get(c.i) for c in tok.children if c.dep_ in ("poss", "compound") and index.actor(c)),
                None,
            )
        if obj is None:
            continue
        # who holds the role: an apposition, a copula subject, or the name the role word is compounded with
        holder = None
        if tok.dep_ == "appos" or tok.dep_ == "compound":
            holder = index.actor(tok.head)
        elif tok.dep_ == "attr" and tok.head.lemma_ == "be":
            holder = next((index.actor(c) for c in tok.head.children if c.dep_ == "nsubj"), None)
        if holder is None:
            holder = next((index.actor(c) for c in tok.children if c.dep_ == "appos" and index.actor(c)), None)
        if holder is not None and holder.entity_key != obj.entity_key:
            yield holder, predicate, obj, tok


def extract_relations(
    doc: Doc, mentions: list[MentionRecord], published: date | None, kind_of: KindLookup
) -> list[RelationRecord]:
    """Relations stated in the document, one per (subject, predicate, object, sentence)."""
    lex = load_relation_lexicon()
    index = _Index(doc, mentions, kind_of)
    out: list[RelationRecord] = []
    seen: set[tuple[str, str, str, int]] = set()
    for sent in doc.sents:
        for subj, predicate, obj, trigger in (*_verb_relations(sent, index, lex), *_noun_relations(sent, index, lex)):
            s_key, o_key = subj.entity_key or "", obj.entity_key or ""
            if predicate in lex.symmetric and o_key < s_key:
                subj, obj, s_key, o_key = obj, subj, o_key, s_key
            key = (s_key, predicate, o_key, sent.start)
            if key in seen:
                continue
            seen.add(key)
            valid_from, valid_to = _valid_time(trigger, published)
            out.append(
                RelationRecord(
                    subject_key=s_key,
                    subject_text=subj.text,
                    predicate=predicate,
                    object_key=o_key,
                    object_text=obj.text,
                    negated=_negated(trigger, lex),
                    hedged=_hedged(trigger, sent, lex),
                    valid_from=valid_from,
                    valid_to=valid_to,
                    trigger_start=trigger.idx,
                    trigger_end=trigger.idx + len(trigger.text),
                    evidence=(sent.start_char, sent.end_char),
                )
            )
    return out
