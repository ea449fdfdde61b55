"""MUC-4 role-filler evaluation (the GRIT/GTT document-level set-up), watchfloor's filler and a bare baseline.

Gold: ``../shared/eval/muc4/grit_{train,dev}.jsonl`` (never copied into the repository). Each document
has, per role (PerpInd, PerpOrg, Target, Victim, Weapon), a list of entities, each a list of
coreferent mentions.

Metric: GRIT's CEAF-REE, as its ``eval.py`` computes it (Du, Rush & Cardie 2021,
github.com/xinyadu/grit_doc_event_entity). Mention strings are normalised as its ``normalize_string``
does (lower case, punctuation deleted, the words a/an/the removed wherever they occur, whitespace
collapsed). Per document and role, predicted entities are aligned one-to-one to gold entities so
that the number of correct pairs is largest (0/1 similarity, so a maximum bipartite matching gives
the same total as its ``linear_sum_assignment``); micro-average over roles and documents.

* ``official`` (GRIT's ``phi_strict``, the figure its paper reports): a predicted entity is correct
  when EVERY one of its mention strings equals some mention of the aligned gold entity.
* ``lenient``: correct when ANY of its mention strings equals some mention of the gold entity (the
  rule ``../shared/eval/README.md`` states in words; it forgives wrong extra mentions).

Predicted entities with no mention are dropped before scoring (GRIT's ``phi_strict`` would count an
empty entity as vacuously correct; neither system here produces one).

The filler is watchfloor's own: dependency rules over the spaCy parse (lexicon in
``data/lexicons/roles.yaml``) plus a phrase memory *fitted on the train split at run time*
(which noun phrases filled which role in training documents, and how often they did when they
occurred). The memory lives only in memory; nothing from the gold data is written to the repository.

The baseline is bare spaCy (``load_base_model()``, its NER and parser, nothing fitted) on the same
lower-cased texts and the same parses, scored with the same metric. In every sentence holding an
attack word (a lemma or phrase trigger of ``data/lexicons/events.yaml`` whose event type is an
attack, air strike, kidnapping, leader killing or cross-border fire):

* PerpOrg: every ORG and NORP entity of the sentence;
* Victim: every PERSON entity of the sentence;
* Target: for each attack verb, the noun chunk of its first object (direct object or passive
  subject), unless that object is a PERSON entity;
* Weapon: every phrase of the event lexicon's ``weapons`` lists found in the sentence;
* PerpInd: nothing (bare NER has no notion of an individual perpetrator).

Each distinct normalised string is one entity with one mention (no coreference). The texts are
lower-cased by GRIT's authors, which leaves bare NER little to go on; that is the honest baseline
for this input, and watchfloor's filler sees exactly the same text.
"""

from __future__ import annotations

import json
import re
import string
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from watchfloor.eval.metrics import max_matching
from watchfloor.extract.lexicon import EventLexicon, load_event_lexicon

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_WORD = re.compile(r"\w+(?:[-'.]\w+)*")
MAX_NGRAM = 8

Entities = list[list[str]]


def normalize_mention(text: str) -> str:
    """Lower case, single spaces, no leading article, no surrounding punctuation."""
    text = " ".join(_WORD.findall(text.lower()))
    return _ARTICLE.sub("", text)


@dataclass
class GritDoc:
    docid: str
    text: str
    gold: dict[str, Entities]


def load_grit(path: Path) -> list[GritDoc]:
    """Read a GRIT jsonl file: documents with per-role entities given as mention lists."""
    docs = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        gold = {role: [[m[0] for m in entity] for entity in row["extracts"].get(role, [])] for role in ROLES}
        docs.append(GritDoc(row["docid"], row["doctext"], gold))
    return docs


# -- metric ------------------------------------------------------------------------------------
RULES = ("official", "lenient")
_GRIT_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCTUATION = frozenset(string.punctuation)


def grit_normalize(text: str) -> str:
    """GRIT's ``normalize_string``: lower case, punctuation deleted, articles removed, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_GRIT_ARTICLES.sub(" ", text).split())


def entity_matches(predicted: Iterable[str], gold: set[str], rule: str = "official") -> bool:
    """Whether a predicted entity (its mention strings) counts as its aligned gold entity (normalised names).

    ``official``: every predicted mention is one of the gold mentions (GRIT's ``phi_strict``);
    ``lenient``: at least one is.
    """
    names = {grit_normalize(m) for m in predicted}
    if not names:
        return False
    if rule == "official":
        return names <= gold
    if rule == "lenient":
        return bool(names & gold)
    raise ValueError(f"unknown rule {rule!r}; choose one of {RULES}")


def aligned_matches(predicted: Entities, gold: Entities, rule: str = "official") -> int:
    """Largest one-to-one alignment of predicted to gold entities where the entities match under ``rule``.

    Similarity is 0/1, so CEAF's optimal alignment is a maximum bipartite matching (Kuhn's
    augmenting paths; the sets are a handful of entities, so no solver library is needed).
    """
    gold_sets = [{grit_normalize(m) for m in entity} for entity in gold]
    edges = [[j for j, g in enumerate(gold_sets) if entity_matches(p, g, rule)] for p in predicted]
    return max_matching(edges)


@dataclass
class RoleScore:
    correct: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(100 * self.precision, 2),
            "recall": round(100 * self.recall, 2),
            "f1": round(100 * self.f1, 2),
            "correct": self.correct,
            "predicted": self.predicted,
            "gold": self.gold,
        }


def score(
    predictions: dict[str, dict[str, Entities]], docs: Iterable[GritDoc], rule: str = "official"
) -> dict[str, RoleScore]:
    """Per-role and micro-averaged ("all") CEAF-REE scores under ``rule`` (official or lenient)."""
    scores = {role: RoleScore() for role in (*ROLES, "all")}
    for doc in docs:
        predicted = predictions.get(doc.docid, {})
        for role in ROLES:
            pred = [entity for entity in predicted.get(role, []) if entity]
            gold = [entity for entity in doc.gold[role] if entity]
            found = aligned_matches(pred, gold, rule)
            for key in (role, "all"):
                scores[key].correct += found
                scores[key].predicted += len(pred)
                scores[key].gold += len(gold)
    return scores


def grit_predictions(predictions: dict[str, dict[str, Entities]]) -> dict[str, dict[str, Entities]]:
    """Predictions in GRIT's shape: {docid: {role: [[mentions of entity 1], ...]}} with all five roles."""
    return {
        docid: {role: [list(e) for e in roles.get(role, []) if e] for role in ROLES}
        for docid, roles in predictions.items()
    }


# -- phrase memory fitted on the train split -----------------------------------------------------
def _ngrams(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + n]) for n in range(1, MAX_NGRAM + 1) for i in range(len(words) - n + 1)}


@dataclass
class PhraseMemory:
    """How often a phrase that occurs in a training document is one of its fillers for a role."""

    filled: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    occurs: Counter[str] = field(default_factory=Counter)
    aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def precision(self, role: str, phrase: str) -> float:
        seen = self.occurs[phrase]
        return self.filled[role][phrase] / seen if seen else 0.0

    def confident(self, role: str, min_docs: int, min_precision: float) -> set[str]:
        return {
            phrase
            for phrase, n in self.filled[role].items()
            if n >= min_docs and self.precision(role, phrase) >= min_precision
        }


def fit_memory(train: Iterable[GritDoc]) -> PhraseMemory:
    """Count, per role, in how many training documents each phrase is a filler and occurs at all."""
    memory = PhraseMemory()
    docs = list(train)
    phrases: set[str] = set()
    for doc in docs:
        for role in ROLES:
            for entity in doc.gold[role]:
                names = {normalize_mention(m) for m in entity} - {""}
                for name in names:
                    memory.filled[role][name] += 0  # registered; counted per document below
                    memory.aliases[name] |= names
                phrases |= names
            for name in {normalize_mention(m) for entity in doc.gold[role] for m in entity} - {""}:
                memory.filled[role][name] += 1
    for doc in docs:
        memory.occurs.update(_ngrams(doc.text) & phrases)
    return memory


# -- the filler ----------------------------------------------------------------------------------
@cache
def role_lexicon() -> dict[str, frozenset[str]]:
    """The role cue lexicon from the package data file."""
    path = resources.files("watchfloor") / "data" / "lexicons" / "roles.yaml"
    data: dict[str, list[str]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {key: frozenset(values) for key, values in data.items()}


_MODIFIERS = {"compound", "amod", "nmod", "nummod", "quantmod"}


def phrase_of(token: Token) -> str:
    """The noun phrase a filler is named by: head plus compounds and adjectives, no article."""
    if token.pos_ == "PROPN":  # "businessman abilio diniz" is named "abilio diniz"
        start = token.i
        while start > 0 and token.doc[start - 1].pos_ == "PROPN" and token.doc[start - 1].head.i >= start - 1:
            start -= 1
        return normalize_mention(token.doc[start : token.i + 1].text)
    left = [t for t in token.lefts if t.dep_ in _MODIFIERS and t.dep_ != "nummod"]
    start = min([token.i, *(min(t.i for t in t.subtree) for t in left)])
    span: Span = token.doc[start : token.i + 1]
    if token.lower_ in {"members", "member"}:
        for child in token.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                span = token.doc[start : max(t.i for t in child.subtree) + 1]
    return normalize_mention(span.text)


def _arguments(verb: Token) -> Iterator[tuple[str, Token]]:
    """(role-in-clause, head) pairs: 'agent' for subjects and by-phrases, 'patient' for objects."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    for child in verb.children:
        if child.dep_ == "nsubj":
            yield "agent", child
        elif child.dep_ == "nsubjpass" or child.dep_ in ("dobj", "obj"):
            yield "patient", child
        elif child.dep_ == "agent" or (passive and child.dep_ == "prep" and child.lower_ == "by"):
            yield from (("agent", g) for g in child.children if g.dep_ == "pobj")
        elif child.dep_ == "prt":
            continue
    for head in (verb,):
        if head.dep_ == "acl" and head.tag_ == "VBN":  # "a bus attacked by rebels": the noun is the patient
            yield "patient", head.head


def _with_conjuncts(token: Token) -> list[Token]:
    return [token, *token.conjuncts]


@dataclass(frozen=True)
class Candidate:
    """A noun phrase proposed for a role by a dependency rule, with the words that proposed it."""

    role: str
    phrase: str
    head: str
    cue: str

    def features(self) -> tuple[tuple[str, str], ...]:
        return ((self.role, "head=" + self.head), (self.role, "cue=" + self.cue))


def syntactic_fillers(doc: Doc) -> list[Candidate]:
    """Role candidates from the parse, in text order (may repeat)."""
    lex = role_lexicon()
    found: list[Candidate] = []
    for token in doc:
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB":
            for how, arg in _arguments(token):
                for head in _with_conjuncts(arg):
                    if head.pos_ not in ("NOUN", "PROPN"):
                        continue
                    person = head.lower_ in lex["person_nouns"] or head.ent_type_ == "PERSON" or head.pos_ == "PROPN"
                    role = None
                    if how == "agent" and lemma in lex["perpetrator_verbs"]:
                        role = "PerpInd"
                    elif how == "patient" and lemma in lex["victim_verbs"] and person:
                        role = "Victim"
                    elif how == "patient" and lemma in lex["target_verbs"] and not person:
                        role = "Target"
                    elif how == "patient" and lemma in lex["weapon_verbs"] and not person:
                        role = "Weapon"
                    if role:
                        found.append(Candidate(role, phrase_of(head), head.lemma_.lower(), lemma))
        elif token.pos_ == "NOUN" and lemma in lex["victim_nouns"] | lex["target_nouns"]:
            for prep in token.rights:
                if prep.dep_ != "prep" or prep.lower_ not in ("of", "on", "against"):
                    continue
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    for head in _with_conjuncts(pobj):
                        person = head.lower_ in lex["person_nouns"] or head.pos_ == "PROPN"
                        if person and lemma in lex["victim_nouns"]:
                            found.append(Candidate("Victim", phrase_of(head), head.lemma_.lower(), lemma))
                        elif not person and lemma in lex["target_nouns"]:
                            found.append(Candidate("Target", phrase_of(head), head.lemma_.lower(), lemma))
    return found


@dataclass(frozen=True)
class FillerSettings:
    """Thresholds (chosen on a fold of the train split, never on dev)."""

    min_docs: int = 2
    min_precision: float = 0.2
    candidate_threshold: float = 0.15
    min_feature_count: int = 3


@dataclass
class FillerModel:
    """Phrase memory plus, per rule feature (role + head word, role + cue word), how often its
    candidates were right in training documents."""

    memory: PhraseMemory
    hits: Counter[tuple[str, str]] = field(default_factory=Counter)
    seen: Counter[tuple[str, str]] = field(default_factory=Counter)

    def candidate_score(self, candidate: Candidate, settings: FillerSettings) -> float:
        for feature in candidate.features():
            if self.seen[feature] >= settings.min_feature_count:
                return self.hits[feature] / self.seen[feature]
        return 0.0


def fit(train: list[GritDoc], parsed: Iterable[Doc]) -> FillerModel:
    """Fit the phrase memory and the rule-feature table on training documents and their parses."""
    model = FillerModel(fit_memory(train))
    for gold_doc, doc in zip(train, parsed, strict=True):
        for candidate in set(syntactic_fillers(doc)):
            right = any(candidate.phrase == normalize_mention(m) for e in gold_doc.gold[candidate.role] for m in e)
            for feature in candidate.features():
                model.seen[feature] += 1
                model.hits[feature] += right
    return model


def _cluster(phrases: Iterable[str], memory: PhraseMemory) -> Entities:
    """Group a role's phrases into entities: same head word, or aliases seen together in training."""
    entities: list[list[str]] = []
    for phrase in dict.fromkeys(p for p in phrases if p):
        head = phrase.split()[-1]
        for entity in entities:
            if any(m.split()[-1] == head or m in memory.aliases.get(phrase, ()) or phrase in m.split() for m in entity):
                entity.append(phrase)
                break
        else:
            entities.append([phrase])
    return entities


def fill_parsed(doc: Doc, model: FillerModel, settings: FillerSettings = FillerSettings()) -> dict[str, Entities]:
    """Predict the five role fillers of one parsed (lower-cased) MUC document."""
    text = doc.text
    grams = _ngrams(text)
    candidates = syntactic_fillers(doc)
    result: dict[str, Entities] = {}
    for role in ROLES:
        memory = model.memory
        remembered = [p for p in memory.confident(role, settings.min_docs, settings.min_precision) if p in grams]
        remembered.sort(key=lambda p: (text.find(p), -len(p), p))  # ties broken the same way every run
        parsed = [
            c.phrase
            for c in candidates
            if c.role == role and model.candidate_score(c, settings) >= settings.candidate_threshold
        ]
        result[role] = _cluster([*remembered, *parsed], memory)
    return result


def parse_all(nlp: Language, docs: list[GritDoc]) -> list[Doc]:
    """Parse documents with the pipeline (the lower-cased text leaves its NER little to go on)."""
    return list(nlp.pipe((d.text for d in docs), batch_size=32))


# -- the bare baseline ---------------------------------------------------------------------------
BASELINE_EVENTS = frozenset({"attack", "air_strike", "kidnapping", "leader_killed", "cross_border_fire"})
_OBJECTS = ("dobj", "obj", "nsubjpass")


def _attack_words(sent: Span, lex: EventLexicon) -> list[Token]:
    """Tokens of the sentence that are attack words: a lemma trigger, or the head of a phrase trigger."""
    found = [
        t for t in sent if (trig := lex.lemma_triggers.get(t.lemma_.lower())) and trig.event_type in BASELINE_EVENTS
    ]
    for m in lex.phrase_pattern.finditer(sent.text.lower()):
        if lex.phrase_triggers[m.group(0)].event_type not in BASELINE_EVENTS:
            continue
        span = sent.doc.char_span(sent.start_char + m.start(), sent.start_char + m.end(), alignment_mode="expand")
        if span is not None:
            found.append(span.root)
    return sorted(set(found), key=lambda t: t.i)


def _weapon_pattern(lex: EventLexicon) -> re.Pattern[str]:
    words = sorted({w.lower() for words in lex.weapons.values() for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")


def baseline_fill(doc: Doc) -> dict[str, Entities]:
    """The bare baseline's fillers for one parsed document (rules in the module docstring)."""
    lex = load_event_lexicon()
    weapons = _weapon_pattern(lex)
    chunk_of = {t.i: chunk for chunk in doc.noun_chunks for t in chunk}
    found: dict[str, list[str]] = {role: [] for role in ROLES}
    for sent in doc.sents:
        words = _attack_words(sent, lex)
        if not words:
            continue
        for ent in sent.ents:
            if ent.label_ in ("ORG", "NORP"):
                found["PerpOrg"].append(ent.text)
            elif ent.label_ == "PERSON":
                found["Victim"].append(ent.text)
        for verb in (w for w in words if w.pos_ == "VERB"):
            obj = next((c for c in verb.children if c.dep_ in _OBJECTS), None)
            if obj is not None and obj.ent_type_ != "PERSON":
                found["Target"].append(chunk_of[obj.i].text if obj.i in chunk_of else obj.text)
        found["Weapon"].extend(m.group(0) for m in weapons.finditer(sent.text.lower()))
    result: dict[str, Entities] = {}
    for role, mentions in found.items():
        distinct: dict[str, str] = {}
        for mention in mentions:
            distinct.setdefault(grit_normalize(mention), mention)
        result[role] = [[mention] for name, mention in distinct.items() if name]
    return result


# -- one run: both systems, both rules -----------------------------------------------------------
@dataclass
class Muc4Result:
    """Per system (watchfloor, baseline) and rule (official, lenient), per-role scores."""

    scores: dict[str, dict[str, dict[str, RoleScore]]]
    documents: int
    seconds: float


def evaluate(
    split: Path,
    train: Path,
    nlp: Language,
    settings: FillerSettings = FillerSettings(),
    limit: int | None = None,
) -> tuple[Muc4Result, dict[str, dict[str, Entities]]]:
    """Fit on ``train``, fill every document of ``split`` with watchfloor and the baseline, score both.

    Returns the scores and watchfloor's predictions. ``limit`` keeps the first documents of each file
    (for quick checks; the figures are only comparable with ``limit=None``).
    """
    started = time.perf_counter()
    train_docs = load_grit(train)[:limit]
    model = fit(train_docs, parse_all(nlp, train_docs))
    docs = load_grit(split)[:limit]
    parsed = parse_all(nlp, docs)
    predictions = {d.docid: fill_parsed(doc, model, settings) for d, doc in zip(docs, parsed, strict=True)}
    baseline = {d.docid: baseline_fill(doc) for d, doc in zip(docs, parsed, strict=True)}
    scores = {
        system: {rule: score(predicted, docs, rule) for rule in RULES}
        for system, predicted in (("watchfloor", predictions), ("baseline", baseline))
    }
    return Muc4Result(scores, len(docs), round(time.perf_counter() - started, 1)), predictions


def role_summary(scores: dict[str, RoleScore]) -> dict[str, Any]:
    """JSON-ready scores of one system under one rule, micro-average first."""
    return {role: scores[role].as_dict() for role in ("all", *ROLES)}


def summary(result: Muc4Result | dict[str, RoleScore]) -> dict[str, Any]:
    """JSON-ready: {"watchfloor": {"official": {role: ...}, "lenient": ...}, "baseline": ..., ...}.

    A bare per-role score table (as ``score`` returns) gives its ``role_summary``.
    """
    if isinstance(result, dict):
        return role_summary(result)
    out: dict[str, Any] = {
        system: {rule: role_summary(by_rule[rule]) for rule in RULES} for system, by_rule in result.scores.items()
    }
    return {**out, "documents": result.documents, "seconds": result.seconds}
