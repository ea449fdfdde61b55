"""Event role filling learned from MUC-4: which phrases of a document are the perpetrator (individual
or organisation), the target, the victim and the weapon of the attacks it reports.

Candidates are phrases cut from the parse (noun chunks, named entities, their cores without
determiners, "X of Y" extensions, name runs, compound modifiers such as *dynamite* in "dynamite
attack"). A phrase may occur several times in a document; the classifier sees the union of its
occurrences' features (the phrase itself, head word, governing verb or noun with the dependency that
links them, modifiers, entity label, whether its sentence reports an attack, how early and how often it
occurs, and how much attack talk the document holds) and gives one probability per role. Weights:
``watchfloor/models/roles/model.json`` (``training/roles``); pure functions, text in and records out,
and every filler keeps the character spans of its occurrences.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy
import yaml
from spacy.tokens import Doc, Span, Token

from watchfloor.extract.docindex import tables_of
from watchfloor.extract.lexicon import load_event_lexicon
from watchfloor.extract.relation_model import RelationModel

FEATURE_VERSION = 1
ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
CLASSES = ("none", *ROLES)
MAX_TOKENS = 10
_DROP_DEPS = frozenset({"det", "predet", "nummod", "poss", "case", "quantmod", "cc", "preconj"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
_ATTACK_TYPES = frozenset({"attack", "air_strike", "kidnapping", "leader_killed", "cross_border_fire", "bombing"})
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation)


def phrase_key(text: str) -> str:
    """The name a phrase is compared by: lower case, punctuation and articles dropped, single spaces
    (the normalisation of the MUC-4/GRIT scorer, so that training labels and scoring agree)."""
    return " ".join(_ARTICLES.sub(" ", text.lower().translate(_PUNCT)).split())


@dataclass
class Phrase:
    """One candidate phrase of a document: its occurrences and the union of their features."""

    key: str
    spans: list[tuple[int, int]] = field(default_factory=list)  # character spans, text order
    texts: list[str] = field(default_factory=list)
    features: set[str] = field(default_factory=set)
    first_sentence: int = 1_000_000


@dataclass(frozen=True)
class RoleFiller:
    """A phrase the model puts in a role, with its probability and where it occurs."""

    role: str
    text: str
    probability: float
    spans: tuple[tuple[int, int], ...]


@cache
def role_lexicon() -> dict[str, frozenset[str]]:
    """The role cue lexicon (``data/lexicons/roles.yaml``): verbs and nouns whose arguments are victims
    or physical targets (they mark attack sentences), and nouns naming people."""
    path = resources.files("watchfloor") / "data" / "lexicons" / "roles.yaml"
    data: dict[str, list[str]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {key: frozenset(values) for key, values in data.items()}


@cache
def _attack_lemmas() -> frozenset[str]:
    """Lemmas that make a sentence an attack report: attack triggers of the event lexicon and role cues."""
    lex = load_event_lexicon()
    words = {lemma for lemma, trig in lex.lemma_triggers.items() if trig.event_type in _ATTACK_TYPES}
    cues = role_lexicon()
    for key in ("victim_verbs", "target_verbs", "victim_nouns", "target_nouns"):
        words |= cues[key]
    return frozenset(words)


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _core(span: Span) -> Span:
    """The span without leading determiners, numbers, possessives and punctuation."""
    start = span.start
    while start < span.end - 1 and (
        span.doc[start].dep_ in _DROP_DEPS or span.doc[start].is_punct or span.doc[start].like_num
    ):
        start += 1
    return span.doc[start : span.end]


def _end_without_asides(prep: Token) -> int:
    """End (token index) of a prepositional phrase without parenthesised or appositive asides of its object:
    "members of the front (fmln)" ends at "front"."""
    asides = {
        t.i
        for pobj in prep.children
        for child in pobj.children
        if child.dep_ in ("appos", "punct") and child.i > pobj.i
        for t in child.subtree
    }
    return max(t.i for t in prep.subtree if t.i not in asides) + 1


def _variants(span: Span) -> Iterator[tuple[str, Span]]:
    """(kind, sub-span) candidates cut from one noun chunk or entity."""
    doc = span.doc
    core = _core(span)
    root = span.root
    yield "chunk", span
    yield "core", core
    yield "root", doc[root.i : root.i + 1]
    for prep in root.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "from"):
            end = _end_without_asides(prep)
            if end - core.start <= MAX_TOKENS:
                yield "of", doc[core.start : end]
    subtree = [t.i for t in root.subtree]
    if max(subtree) - min(subtree) < MAX_TOKENS:
        yield "subtree", doc[min(subtree) : max(subtree) + 1]
    names = [t for t in core if t.pos_ == "PROPN"]
    if names:
        yield "name", doc[names[0].i : names[-1].i + 1]
    for tok in core:
        # every modifier word: "dynamite" in "dynamite charges" is tagged an adjective in lower-cased wires
        if tok.dep_ in _MODIFIER_DEPS and tok.is_alpha:
            yield "modifier", doc[tok.i : tok.i + 1]
    if len(core) > 1:
        yield "tail", doc[core.start + 1 : core.end]


def _governor(token: Token) -> list[str]:
    """Where the phrase hangs in its clause: the governing word and the relation, through prepositions."""
    dep = token.dep_
    head = token.head
    feats = [f"dep={dep}"]
    if dep == "pobj" and head.dep_ in ("prep", "agent"):
        prep = head.lower_
        gov = head.head
        feats += [f"prep={prep}", f"gov={gov.lemma_.lower()}:{prep}", f"govpos={gov.pos_}:{prep}"]
        if gov.dep_ == "acl" or gov.dep_ == "relcl":
            feats.append(f"gov2={gov.head.lemma_.lower()}:{prep}")
    elif head is not token:
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)
        feats += [f"gov={head.lemma_.lower()}:{dep}", f"govpos={head.pos_}:{dep}"]
        if passive:
            feats.append(f"passive:{dep}")
        if dep in ("conj", "appos"):
            feats += _governor(head)[:1]
    return feats


@dataclass(frozen=True)
class _DocFacts:
    """What every occurrence of a document needs, read once: lower-cased lemmas, each token's sentence,
    and each sentence's attack words (index, lemma)."""

    lemmas: list[str]
    lowers: list[str]
    unknown: list[bool]  # alphabetic and without a word vector
    sent_of: list[int]
    attack_words: list[list[tuple[int, str]]]

    @classmethod
    def of(cls, doc: Doc, attack: frozenset[str]) -> _DocFacts:
        tables = tables_of(doc)  # lemmas, lower-cased words and sentences other extractors read too
        lemmas, lowers, _offsets = tables.lowers
        unknown = [t.is_alpha and not t.has_vector for t in doc]
        sent_of = [0] * len(doc)
        attack_words: list[list[tuple[int, str]]] = []
        for k, sent in enumerate(tables.sents):
            sent_of[sent.start : sent.end] = [k] * (sent.end - sent.start)
            attack_words.append([(i, lemmas[i]) for i in range(sent.start, sent.end) if lemmas[i] in attack])
        return cls(lemmas, lowers, unknown, sent_of, attack_words)


def _attack_context(root: Token, facts: _DocFacts, attack: frozenset[str]) -> list[str]:
    """The attack words of the sentence seen from the phrase: which ones, on which side, and whether the
    phrase hangs under one (and through which relation)."""
    feats = [
        f"attack_word={lemma}:{'before' if i < root.i else 'after'}"
        for i, lemma in facts.attack_words[facts.sent_of[root.i]]
        if i != root.i
    ]
    child, up = root, root.head
    for depth in range(3):
        if up is child:
            break
        if facts.lemmas[up.i] in attack:
            feats += [f"under={facts.lemmas[up.i]}:{child.dep_}", f"under_depth={depth}:{child.dep_}"]
            break
        child, up = up, up.head
    return feats


def _cluster(token: Token, clusters: Sequence[int]) -> str:
    """The word-vector cluster of a token (its row in the model's vector table), "-" when it has no vector."""
    row = token.vocab.vectors.key2row.get(token.orth, -1)
    return str(clusters[row]) if 0 <= row < len(clusters) else "-"


def _root_features(root: Token, facts: _DocFacts, clusters: Sequence[int]) -> list[str]:
    """The features an occurrence owes to its head word alone (shared by every variant with that head)."""
    feats = [
        f"head={facts.lemmas[root.i]}",
        f"ent={root.ent_type_ or '-'}",
        f"pos={root.pos_}",
        *_governor(root),
    ]
    if root.lower_ in role_lexicon()["person_nouns"]:
        feats.append("person_noun")
    if clusters:
        feats += [f"cluster={_cluster(root, clusters)}", f"gov_cluster={_cluster(root.head, clusters)}:{root.dep_}"]
    feats += [f"mod={facts.lemmas[t.i]}" for t in root.children if t.dep_ in _MODIFIER_DEPS and t.i < root.i]
    if facts.attack_words[facts.sent_of[root.i]]:
        feats += ["attack_sentence", f"attack_sentence:dep={root.dep_}"]
        feats += _attack_context(root, facts, _attack_lemmas())
    return feats


def _span_features(kind: str, start: int, end: int, facts: _DocFacts, clusters: Sequence[int]) -> list[str]:
    """The features an occurrence owes to its extent: variant kind, length, neighbours, unknown words."""
    lowers, n = facts.lowers, len(facts.lowers)
    feats = [f"kind={kind}", f"len={min(end - start, 5)}"]
    if clusters:
        feats.append(f"no_vector={min(sum(facts.unknown[start:end]), 3)}")
    if start > 0:
        feats.append(f"left={lowers[start - 1]}")
    if end < n:
        feats.append(f"right={lowers[end]}")
    if start > 1:
        feats.append(f"left2={lowers[start - 2]}")
    if end + 1 < n:
        feats.append(f"right2={lowers[end + 1]}")
    return feats


def candidate_phrases(doc: Doc, clusters: Sequence[int] = ()) -> list[Phrase]:
    """Every candidate phrase of a parsed document with its features (pure: the same doc, the same list).

    ``clusters`` maps each row of the pipeline's word-vector table to a cluster (shipped with the model),
    so that unseen words of a seen kind share features."""
    facts = _DocFacts.of(doc, _attack_lemmas())
    phrases: dict[str, Phrase] = {}
    seen: set[tuple[int, int, str]] = set()
    by_root: dict[int, list[str]] = {}
    text = doc.text
    for source in (*doc.noun_chunks, *doc.ents):
        for kind, span in _variants(source):
            start, end = span.start, span.end
            if (start, end, kind) in seen:
                continue
            seen.add((start, end, kind))
            chars = (span.start_char, span.end_char)
            written = text[chars[0] : chars[1]]
            key = phrase_key(written)
            if not key or end - start > MAX_TOKENS:
                continue
            root = span.root
            phrase = phrases.setdefault(key, Phrase(key))
            if chars not in phrase.spans:
                phrase.spans.append(chars)
                phrase.texts.append(written)
            phrase.first_sentence = min(phrase.first_sentence, facts.sent_of[root.i])
            if root.i not in by_root:
                by_root[root.i] = _root_features(root, facts, clusters)
            phrase.features.update(by_root[root.i])
            phrase.features.update(_span_features(kind, start, end, facts, clusters))
    n_attack = sum(1 for words in facts.attack_words if words)
    doc_feats = [f"doc_attack_sentences={_bucket(n_attack, (0, 1, 2, 4, 8))}"]
    for phrase in phrases.values():
        phrase.spans.sort()
        phrase.features.add(f"phrase={phrase.key}")
        phrase.features.add(f"first={_bucket(phrase.first_sentence, (0, 1, 2, 4, 8))}")
        phrase.features.add(f"count={_bucket(len(phrase.spans), (1, 2, 3, 5))}")
        phrase.features.update(doc_feats)
    return list(phrases.values())


def same_filler(a: str, b: str, aliases: frozenset[tuple[str, str]] = frozenset()) -> bool:
    """Whether two phrase keys name one filler: known aliases, the same head word, or one a word run of
    the other."""
    if (a, b) in aliases or (b, a) in aliases:
        return True
    wa, wb = a.split(), b.split()
    if wa[-1] == wb[-1]:
        return True
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1))


def parenthesis_aliases(doc: Doc, phrases: list[Phrase]) -> set[tuple[str, str]]:
    """Pairs of phrase keys written as "long name (short name)" in the text."""
    ends: dict[int, list[str]] = {}
    starts: dict[int, str] = {}
    for phrase in phrases:
        for start, end in phrase.spans:
            ends.setdefault(end, []).append(phrase.key)
            starts.setdefault(start, phrase.key) if len(phrase.key.split()) <= 2 else None
    pairs: set[tuple[str, str]] = set()
    text = doc.text
    for open_at in (i for i, ch in enumerate(text) if ch == "("):
        before = open_at
        while before > 0 and text[before - 1] == " ":
            before -= 1
        inner = starts.get(open_at + 1)
        if inner is None:
            continue
        close = open_at + 1 + len(text[open_at + 1 :].split(")", 1)[0])
        if phrase_key(text[open_at + 1 : close]) != inner:
            continue
        pairs.update((outer, inner) for outer in ends.get(before, ()) if outer != inner)
    return pairs


def select_fillers(
    phrases: list[Phrase],
    probs: numpy.ndarray,
    thresholds: dict[str, float],
    aliases: frozenset[tuple[str, str]] = frozenset(),
) -> list[RoleFiller]:
    """Each phrase in its most probable role when that reaches the role's threshold; within a role the
    most probable phrase of a group naming one filler (same head word, or nested) stands for it."""
    fillers: list[RoleFiller] = []
    if not phrases:
        return fillers
    best = probs[:, 1:].argmax(axis=1) + 1
    by_role: dict[str, list[tuple[float, int]]] = {role: [] for role in ROLES}
    for i, k in enumerate(best.tolist()):
        role = CLASSES[k]
        p = float(probs[i, k])
        if p >= thresholds[role]:
            by_role[role].append((p, i))
    for role in ROLES:
        kept: list[str] = []
        for p, i in sorted(by_role[role], key=lambda x: (-x[0], phrases[x[1]].spans[0])):
            phrase = phrases[i]
            if any(same_filler(phrase.key, other, aliases) for other in kept):
                continue
            kept.append(phrase.key)
            fillers.append(RoleFiller(role, phrase.texts[0], round(p, 4), tuple(phrase.spans)))
    return fillers


def predicted_entities(
    phrases: list[Phrase],
    probs: numpy.ndarray,
    thresholds: dict[str, float],
    aliases: frozenset[tuple[str, str]] = frozenset(),
) -> dict[str, list[list[str]]]:
    """Fillers in the MUC-4/GRIT shape: per role, a list of entities, each a list of mention strings."""
    out: dict[str, list[list[str]]] = {role: [] for role in ROLES}
    for filler in select_fillers(phrases, probs, thresholds, aliases):
        out[filler.role].append([filler.text])
    return out


@dataclass(frozen=True)
class RoleModel:
    """Multinomial logistic regression over phrase features, with a probability threshold per role."""

    model: RelationModel
    thresholds: dict[str, float]
    aliases: frozenset[tuple[str, str]] = frozenset()  # pairs of names of one filler seen in training
    clusters: tuple[int, ...] = ()  # word-vector row -> cluster

    def probabilities(self, phrases: list[Phrase]) -> numpy.ndarray:
        """Class probabilities (columns in ``CLASSES`` order) of each phrase."""
        if not phrases:
            return numpy.zeros((0, len(CLASSES)))
        return self.model.probabilities_many([sorted(p.features) for p in phrases])

    def fill(self, doc: Doc) -> list[RoleFiller]:
        """The role fillers of one parsed document, most probable first within each role."""
        phrases = candidate_phrases(doc, self.clusters)
        aliases = self.aliases | parenthesis_aliases(doc, phrases)
        return select_fillers(phrases, self.probabilities(phrases), self.thresholds, aliases)


def model_from_spec(spec: dict[str, Any]) -> RoleModel | None:
    """The model a parsed ``model.json`` describes; None when its feature version is not the code's."""
    if spec.get("feature_version") != FEATURE_VERSION or tuple(spec.get("classes", ())) != CLASSES:
        return None
    weights = {str(f): {str(c): float(w) for c, w in row.items()} for f, row in spec["weights"].items()}
    model = RelationModel(CLASSES, weights, tuple(float(b) for b in spec["bias"]), 1.0)
    aliases = frozenset((str(a), str(b)) for a, b in spec.get("aliases", ()))
    clusters = tuple(int(c) for c in spec.get("clusters", ()))
    thresholds = {str(r): float(t) for r, t in spec["thresholds"].items()}
    return RoleModel(model, thresholds, aliases, clusters)


@cache
def load_role_model() -> RoleModel | None:
    """The shipped model, or None when it is absent or was trained on another feature version."""
    path = resources.files("watchfloor") / "models/roles/model.json"
    if not path.is_file():
        return None
    return model_from_spec(json.loads(path.read_text("utf-8")))
