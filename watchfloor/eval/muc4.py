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

The filler is watchfloor's role model (``watchfloor.extract.roles``): a logistic regression over the
candidate phrases of watchfloor's own parse, trained on the train split by ``training/roles`` and
shipped in ``watchfloor/models/roles/model.json``; nothing is fitted at evaluation time.

The baseline is bare spaCy (``load_base_model()``, its NER and parser, nothing fitted) on the
lower-cased texts as given, scored with the same metric. In every sentence holding an
attack word (a lemma or phrase trigger of ``data/lexicons/events.yaml`` whose event type is an
attack, air strike, kidnapping, leader killing or cross-border fire):

* PerpOrg: every ORG and NORP entity of the sentence;
* Victim: every PERSON entity of the sentence;
* Target: for each attack verb, the noun chunk of its first object (direct object or passive
  subject), unless that object is a PERSON entity;
* Weapon: every phrase of the event lexicon's ``weapons`` lists found in the sentence;
* PerpInd: nothing (bare NER has no notion of an individual perpetrator).

Each distinct normalised string is one entity with one mention (no coreference). The texts are
lower-cased by GRIT's authors, which leaves bare NER little to go on; the baseline parses them as
given (the honest bare baseline for this input). watchfloor truecases them first
(``watchfloor.nlp.truecase``: only letter case changes, so every offset stays valid), in training and
here alike.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from watchfloor.errors import UserError
from watchfloor.eval.metrics import max_matching
from watchfloor.extract.lexicon import EventLexicon, load_event_lexicon
from watchfloor.extract.roles import RoleModel, load_role_model, phrase_key
from watchfloor.nlp.truecase import load_truecase_table, truecase

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")

Entities = list[list[str]]


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


def grit_normalize(text: str) -> str:
    """GRIT's ``normalize_string``: lower case, punctuation deleted, articles removed, single spaces
    (the role model labels its training phrases with the same function)."""
    return phrase_key(text)


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


# -- watchfloor's filler -----------------------------------------------------------------------
def watchfloor_fill(doc: Doc, model: RoleModel) -> dict[str, Entities]:
    """watchfloor's role fillers of one document parsed by its pipeline, in GRIT's shape (one mention
    per entity: under the official rule a second mention can only make an entity wrong)."""
    result: dict[str, Entities] = {role: [] for role in ROLES}
    for filler in model.fill(doc):
        result[filler.role].append([filler.text])
    return result


def parse_all(nlp: Language, docs: list[GritDoc], restore_case: bool = True) -> list[Doc]:
    """Parse documents with a pipeline; the lower-cased texts are truecased first (``restore_case``,
    as the role model's training parses are: same length, so gold offsets stay valid)."""
    if not restore_case:
        return list(nlp.pipe((d.text for d in docs), batch_size=32))
    table = load_truecase_table()
    return list(nlp.pipe((truecase(d.text, table) for d in docs), batch_size=32))


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
    pipeline: Language,
    base: Language,
    model: RoleModel | None = None,
    limit: int | None = None,
) -> tuple[Muc4Result, dict[str, dict[str, Entities]]]:
    """Fill every document of ``split`` with watchfloor (its pipeline and shipped role model) and with the
    bare baseline (the bare model ``base``), and score both under both rules.

    Returns the scores and watchfloor's predictions. ``limit`` keeps the first documents (for quick
    checks; the figures are only comparable with ``limit=None``).
    """
    started = time.perf_counter()
    model = model or load_role_model()
    if model is None:
        raise UserError("the role model (watchfloor/models/roles/model.json) is missing; reinstall watchfloor")
    docs = load_grit(split)[:limit]
    predictions = {d.docid: watchfloor_fill(doc, model) for d, doc in zip(docs, parse_all(pipeline, docs), strict=True)}
    baseline = {
        d.docid: baseline_fill(doc) for d, doc in zip(docs, parse_all(base, docs, restore_case=False), strict=True)
    }
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
