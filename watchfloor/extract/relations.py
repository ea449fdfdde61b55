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

from watchfloor.extract.docindex import doc_sents, span_text, tables_of
from watchfloor.extract.relation_model import (
    Argument,
    DocFacts,
    RelationModel,
    arguments,
    candidate_pairs,
    load_relation_model,
    mention_spans,
    pair_features,
)
from watchfloor.extract.versions import RELATIONS_VERSION
from watchfloor.link.temporal import resolve
from watchfloor.models import MentionRecord, RelationRecord

EXTRACTOR_VERSION = RELATIONS_VERSION  # defined in extract/versions.py (light: the store imports it)
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
    event_nouns: dict[str, str]
    event_preps: dict[str, frozenset[str]]
    adjectives: dict[str, str]

    @property
    def features(self) -> dict[str, str]:
        """Every lexicon word with its predicate (verbs, role nouns, event nouns): model features."""
        return {**self.event_nouns, **self.nouns, **self.verbs}


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
        event_nouns=dict(spec["event_nouns"]),
        event_preps={k: frozenset(v) for k, v in spec["event_preps"].items()},
        adjectives=dict(spec["adjectives"]),
    )


class _Index:
    """Which linked mention a token belongs to, and what kind of entity it is."""

    def __init__(self, doc: Doc, mentions: list[MentionRecord], kind_of: KindLookup) -> None:
        self.kind_of = kind_of
        self.by_token: dict[int, MentionRecord] = {}
        self._moods: dict[int, tuple[bool, bool, MentionRecord | None]] = {}
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

    def sentence_mood(self, sent: Span) -> tuple[bool, bool, MentionRecord | None]:
        """What ``modality`` reads from the whole sentence, once per sentence: whether it is a question,
        whether it gives a small chance, and the "according to" source."""
        found = self._moods.get(sent.start)
        if found is None:
            text = span_text(sent)
            question = text.rstrip().rstrip("\"\u201d'").endswith("?")
            found = (question, bool(SMALL_CHANCE.search(text)), _according_to(sent, self))
            self._moods[sent.start] = found
        return found

    def _usable(self, m: MentionRecord, places: bool) -> bool:
        kind = self.kind_of(m.entity_key or "")
        if places:
            return kind in ("place", "state") or (m.entity_key or "").startswith(("geo:", "adm1:", "country:"))
        return kind in ACTOR_KINDS


def _with_conjuncts(tok: Token) -> list[Token]:
    return [tok, *tok.conjuncts]


ACCUSING = {"accuse", "blame", "suspect", "charge"}
RELATIVE_PRONOUNS = frozenset({"WDT", "WP", "WP$"})
RECEIVING = frozenset({"find", "seek", "enjoy", "get", "receive", "gain", "obtain", "take", "accept"})
# Cooperation "against" someone makes the cooperating sides that one's enemies, not its allies.
COOPERATIVE = frozenset({"allied_with", "supports", "negotiates_with"})
DIRECT_ONLY = frozenset({"member_of", "leads"})  # "joined an exercise with X" is not membership of X


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
    if verb.dep_ == "relcl" and (not found or all(c.tag_ in RELATIVE_PRONOUNS for c in found)):
        return [verb.head]  # "Hezbollah, which fought Israel": the noun the clause hangs on
    if not found and verb.dep_ == "xcomp" and verb.head.dep_ == "acomp":
        return _subjects(verb.head.head)  # "X and Y are unlikely to cooperate"
    if not found and verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        return _subjects(verb.head)  # "denied harbouring X", "fought and defeated X"
    return found


def _objects(verb: Token, lex: RelationLexicon, direct_only: bool = False) -> list[Token]:
    found = [c for c in verb.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
    if direct_only:
        return found
    for prep in verb.children:
        if prep.dep_ in ("prep", "dative") and prep.lower_ in lex.object_preps:
            found += [g for g in prep.children if g.dep_ == "pobj"]
    for noun in [c for c in found if c.lemma_.lower() in lex.event_nouns]:  # "fought a war with X"
        preps = lex.event_preps.get(lex.event_nouns[noun.lemma_.lower()], frozenset())
        found += [g for p in noun.children if p.dep_ == "prep" and p.lower_ in preps for g in p.children
                  if g.dep_ == "pobj"]  # fmt: skip
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
    cols = tables_of(sent.doc).columns
    for i in range(sent.start, sent.end):
        if not _verbal_at(cols, i):
            continue  # most words: no Token made
        tok = sent.doc[i]
        lemma = tok.lemma_.lower()
        predicate = lex.verbs.get(lemma) or (lex.adjectives.get(tok.lower_) if tok.pos_ == "ADJ" else None)
        objects = _objects(tok, lex)
        received = False
        for obj in list(objects):  # "gave safe haven to X", "pledged allegiance to X"
            words = span_text(sent.doc[obj.left_edge.i : obj.i + 1]).lower()
            phrase = next((p for p in lex.phrases if p in words), None)
            if phrase is not None:
                predicate = lex.phrases[phrase]
                received = lemma in RECEIVING  # "X found safe haven in Y": Y hosts X
                objects = [g for c in tok.children if c.dep_ in ("prep", "dative") for g in c.children]
                objects += [g for c in obj.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        if predicate is None:
            continue
        if predicate in DIRECT_ONLY and predicate == lex.verbs.get(lemma):
            objects = _objects(tok, lex, direct_only=True)
        places = predicate in PLACE_PREDICATES
        subjects = _subjects(tok)
        if not subjects and predicate in lex.symmetric:  # "the Taliban are allied with X" (no agent)
            subjects = [c for c in tok.children if c.dep_ == "nsubjpass"]
            objects = [o for o in objects if o.dep_ != "nsubjpass"]
        heads = [s for head in subjects for s in _with_conjuncts(head)]
        if predicate in lex.symmetric and len(heads) > 1:  # "X and Y clashed", "X and Y are unlikely to ally"
            actors = [m for h in heads if (m := index.actor(h)) is not None]
            for i, first in enumerate(actors):
                for second in actors[i + 1 :]:
                    if first.entity_key != second.entity_key:
                        yield first, predicate, second, tok
        for subject in heads:
            subj = index.actor(subject)
            if subj is None:
                continue
            for target in (o for head in objects for o in _with_conjuncts(head)):
                obj_m = index.actor(target, places=places or received)
                if obj_m is None or obj_m.entity_key == subj.entity_key:
                    continue
                if predicate in COOPERATIVE and _against(target):
                    # "Russia and the West cooperate against ISKP": they are the enemies of the object
                    yield subj, "hostile_to", obj_m, tok
                    continue
                yield (obj_m, predicate, subj, tok) if received else (subj, predicate, obj_m, tok)


def _against(target: Token) -> bool:
    """Whether the object is reached through "against" (itself, or the head of its conjunction)."""
    head = target
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    return head.dep_ == "pobj" and head.head.lower_ == "against"


def _verbal_at(cols: DocFacts, i: int) -> bool:
    """A verb, a predicative adjective ("allied with", "hostile to"), or a verb the tagger took for a
    noun at the root of a question ("Will X fight Y?")."""
    pos, dep = cols.pos[i], cols.dep[i]
    if pos == "VERB":
        return True
    if pos == "ADJ":
        return dep in ("acomp", "ROOT", "amod", "conj")
    return pos == "NOUN" and dep == "ROOT" and any(cols.dep[c] == "nsubj" for c in cols.children[i])


def _noun_relations(
    sent: Span, index: _Index, lex: RelationLexicon
) -> Iterator[tuple[MentionRecord, str, MentionRecord, Token]]:
    cols = tables_of(sent.doc).columns
    for i in range(sent.start, sent.end):
        predicate = lex.nouns.get(cols.lower[i]) if cols.pos[i] == "NOUN" else None
        if predicate is None:
            continue
        tok = sent.doc[i]
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


# verbs that carry an event noun ("launched strikes against X"); spaCy lemmatises "waged" as "wag"
CARRIERS = frozenset(
    {"launch", "wage", "wag", "conduct", "carry", "lead", "mount", "fight", "step", "intensify", "begin"}
)


def _event_noun_relations(
    sent: Span, index: _Index, lex: RelationLexicon
) -> Iterator[tuple[MentionRecord, str, MentionRecord, Token]]:
    """'coalition strikes against X', 'Russia's war on X', 'X launched an offensive against Y'."""
    cols = tables_of(sent.doc).columns
    for i in range(sent.start, sent.end):
        predicate = lex.event_nouns.get(cols.lemma[i]) if cols.pos[i] == "NOUN" else None
        if predicate is None:
            continue
        tok = sent.doc[i]
        preps = lex.event_preps.get(predicate, frozenset())
        others = [
            g for p in tok.children if p.dep_ == "prep" and p.lower_ in preps for g in p.children if g.dep_ == "pobj"
        ]
        targets = [m for o in others for c in _with_conjuncts(o) if (m := index.actor(c)) is not None]
        if not targets:
            continue
        sides = [c for c in tok.children if c.dep_ in ("compound", "poss", "amod", "nmod")]
        if not sides and tok.dep_ in ("dobj", "pobj") and tok.head.lemma_.lower() in CARRIERS | {"join", "in"}:
            carrier = tok.head.head if tok.dep_ == "pobj" else tok.head
            if carrier.pos_ in ("VERB", "AUX"):
                sides = _subjects(carrier)
        for side in (s for head in sides for s in _with_conjuncts(head)):
            subj = index.actor(side)
            if subj is None:
                continue
            for obj in targets:
                if obj.entity_key != subj.entity_key:
                    yield subj, predicate, obj, tok


# -- modality ----------------------------------------------------------------------------------------
FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "wo"})
FORECAST_WORDS = frozenset(
    {"expect", "predict", "forecast", "anticipate", "likely", "plan", "intend", "threaten", "hope", "aim", "seek"}
)
UNLIKELY_WORDS = frozenset({"unlikely", "improbable", "doubtful", "implausible", "doubt"})
HYPOTHETICAL_MARKS = frozenset({"if", "unless", "whether", "lest"})
REPORTING = frozenset(
    {"say", "claim", "state", "announce", "tell", "warn", "insist", "boast", "allege", "declare", "assert",
     "add", "write", "post", "vow", "proclaim", "report"}
)  # fmt: skip
SMALL_CHANCE = re.compile(
    r"\b(?:little|no|slim|small|low|remote|minimal)\s+(?:chance|likelihood|prospect|probability)"
    r"|\b(?:chance|likelihood|prospect|probability)s?\b[^.;]{0,80}?\b(?:is|are|was|were|remains?|seems?)\s+"
    r"(?:very\s+|quite\s+|rather\s+)?(?:small|low|slim|remote|minimal|negligible)",
    re.I,
)
PROPAGANDA_KINDS = frozenset({"armed_group"})
NOT_ASSERTED = frozenset({"claimed", "forecast", "hypothetical", "question", "unlikely"})


def _quoted(tok: Token, sent: Span) -> bool:
    """Whether the token sits inside quotation marks opened in its sentence (straight or curly)."""
    before = sent.doc[sent.start : tok.i].text
    straight = before.count('"') % 2 == 1
    return straight or before.count("\u201c") > before.count("\u201d")


def modality(
    trigger: Token, sent: Span, index: _Index, parties: tuple[MentionRecord, ...]
) -> tuple[str, MentionRecord | None]:
    """How the sentence states the relation its trigger expresses, and who states it when a speaker does.

    question > hypothetical ("if", "unless", "whether") > unlikely ("unlikely", "the likelihood ... is
    small") > forecast (future auxiliary, "expected to", "likely", "plans to") > claimed (inside a
    statement by one of the parties or by an armed group, or a direct quote of one) > reported (another
    named speaker) > asserted.
    """
    chain = [trigger, *trigger.ancestors]
    question, small_chance, according = index.sentence_mood(sent)
    if question:
        return "question", None
    speaker: MentionRecord | None = None
    found = "asserted"
    for k, t in enumerate(chain):
        lemma = t.lemma_.lower()
        if any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for c in t.children):
            return "hypothetical", None
        if k and lemma in REPORTING and t.pos_ in ("VERB", "AUX") and speaker is None:
            speaker = next(
                (m for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and (m := index.actor(c)) is not None), None
            )
            break  # what the speaker's own clause says is the speaker's framing, not ours
        words = [t, *(c for c in t.children if c.dep_ in ("acomp", "advmod", "amod", "attr", "aux", "neg"))]
        if any(w.lemma_.lower() in UNLIKELY_WORDS or w.lower_ in UNLIKELY_WORDS for w in words):
            found = "unlikely"
        elif found == "asserted" and (
            any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in t.children)
            or any(w.lemma_.lower() in FORECAST_WORDS for w in words if w.i != trigger.i)
        ):
            found = "forecast"
    if found == "asserted" and small_chance:
        found = "unlikely"
    if speaker is None:
        speaker = according
    if found != "asserted":
        return found, speaker
    if speaker is not None:
        party = speaker.entity_key in {p.entity_key for p in parties}
        if party or index.kind_of(speaker.entity_key or "") in PROPAGANDA_KINDS or _quoted(trigger, sent):
            return "claimed", speaker
        return "reported", speaker
    return "asserted", None


def _according_to(sent: Span, index: _Index) -> MentionRecord | None:
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < sent.end and sent.doc[t.i + 1].lower_ == "to":
            for g in sent.doc[t.i + 1].children:
                m = index.actor(g) if g.dep_ == "pobj" else None
                if m is not None:
                    return m
    return None


def rule_triples(
    sent: Span, index: _Index, lex: RelationLexicon
) -> list[tuple[MentionRecord, str, MentionRecord, Token]]:
    return [
        *_verb_relations(sent, index, lex),
        *_noun_relations(sent, index, lex),
        *_event_noun_relations(sent, index, lex),
    ]


def _model_rows(
    facts: DocFacts,
    args: list[Argument],
    rules: list[tuple[MentionRecord, str, MentionRecord, Token]],
    lexicon: dict[str, str],
    linked_only: bool,
) -> tuple[list[tuple[Argument, Argument]], list[list[str]]]:
    """The sentence's candidate pairs and their features (scored for the whole document at once)."""
    rule_pairs = rule_pair_map(facts.doc, args, rules)
    pairs: list[tuple[Argument, Argument]] = []
    rows: list[list[str]] = []
    for a, b, between in candidate_pairs(args, linked_only):
        feats = pair_features(facts, a, b, lexicon, rule_pairs, between)
        if feats is not None:
            pairs.append((a, b))
            rows.append(feats)
    return pairs, rows


def _model_triples(
    facts: DocFacts, pairs: list[tuple[Argument, Argument]], predictions: list[tuple[str, float]]
) -> Iterator[tuple[Argument, str, Argument, Token, float]]:
    """The model's relations among the sentence's pairs: (subject, predicate, object, trigger, p)."""
    doc = facts.doc
    for (a, b), (cls, p) in zip(pairs, predictions, strict=True):
        if cls == "none":
            continue
        found = facts.path(a.head, b.head)
        top = found[1] if found is not None else a.head
        if top in (a.head, b.head):  # "ISIL fighters", "Assad's forces": the nearest word on the path
            top = b.head if top == a.head else a.head
        trigger = doc[top]
        predicate = cls.rstrip("<>")
        if cls.endswith("<"):
            yield b, predicate, a, trigger, p
        else:
            yield a, predicate, b, trigger, p


def rule_pair_map(
    doc: Doc, args: list[Argument], rules: list[tuple[MentionRecord, str, MentionRecord, Token]]
) -> dict[tuple[int, int], str]:
    """(subject argument head, object argument head) -> the rules' predicate, for the model's features."""
    out: dict[tuple[int, int], str] = {}
    if not rules:
        return out
    by_token = {i: a for a in args for i in range(a.start, a.end)}
    for subj, predicate, obj, _ in rules:
        sa, oa = _arg_at(doc, subj, by_token), _arg_at(doc, obj, by_token)
        if sa is not None and oa is not None:
            out[(sa.head, oa.head)] = predicate
    return out


def _is_place(arg: Argument) -> bool:
    """Whether the argument is a linked place (a province, a town), not an actor."""
    return arg.kind == "place" or _key(arg).startswith(("geo:", "adm1:"))


def _key(arg: Argument) -> str:
    return (arg.mention.entity_key or "") if arg.mention is not None else ""


def _covers(a: tuple[int, int], b: tuple[int, int], rule: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    """Whether the argument spans ``a`` and ``b`` hold the two ends of a rule's relation (either way)."""

    def inside(x: tuple[int, int], y: tuple[int, int]) -> bool:
        return y[0] <= x[0] and x[1] <= y[1]

    r0, r1 = rule
    return (inside(r0, a) and inside(r1, b)) or (inside(r0, b) and inside(r1, a))


def _arg_at(doc: Doc, m: MentionRecord, by_token: dict[int, Argument]) -> Argument | None:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return by_token.get(span.root.i) if span is not None else None


def _record(
    subject: tuple[str, str, tuple[int, int]],
    predicate: str,
    obj: tuple[str, str, tuple[int, int]],
    trigger: Token,
    sent: Span,
    lex: RelationLexicon,
    published: date | None,
    mood: tuple[str, MentionRecord | None],
    score: float | None,
) -> RelationRecord:
    valid_from, valid_to = _valid_time(trigger, published)
    kind, speaker = mood
    return RelationRecord(
        subject_key=subject[0],
        subject_text=subject[1],
        predicate=predicate,
        object_key=obj[0],
        object_text=obj[1],
        negated=_negated(trigger, lex),
        hedged=_hedged(trigger, sent, lex) or kind in NOT_ASSERTED,
        valid_from=valid_from,
        valid_to=valid_to,
        trigger_start=trigger.idx,
        trigger_end=trigger.idx + len(trigger.text),
        evidence=(sent.start_char, sent.end_char),
        subject_span=subject[2],
        object_span=obj[2],
        modality=kind,
        speaker_key=speaker.entity_key if speaker is not None else None,
        speaker_text=speaker.text if speaker is not None else None,
        score=None if score is None else round(score, 4),
        extractor="rules" if score is None else "model",
    )


def extract_relations(
    doc: Doc,
    mentions: list[MentionRecord],
    published: date | None,
    kind_of: KindLookup,
    model: RelationModel | bool | None = True,
    linked_only: bool = False,
) -> list[RelationRecord]:
    """Relations stated in the document, one per (subject, predicate, object, sentence).

    The hand rules always run; with the relation model (``model=True``: the shipped one, if any) every
    pair of argument phrases is also classified and the model's relations are added to the rules' (one
    per pair: a rule's own predicate wins). ``model=False`` gives the rules alone (the bare baseline).
    Records whose arguments are not both linked entities (``""`` key) are descriptions ("government
    forces") or pronouns: kept for evaluation, never stored; ``linked_only`` (ingest) has the model score
    only pairs of two linked entities, so it gives exactly the records the store keeps, for a fraction
    of the cost.
    """
    lex = load_relation_lexicon()
    learned = load_relation_model() if model is True else (model or None)
    lexicon = lex.features
    index = _Index(doc, mentions, kind_of)
    spans = mention_spans(doc, mentions) if learned is not None else []
    facts = tables_of(doc).columns if learned is not None else None
    out: list[RelationRecord] = []
    seen: set[tuple[str, str, str, int]] = set()
    sentences = [(sent, rule_triples(sent, index, lex)) for sent in doc_sents(doc)]
    candidates: list[tuple[list[tuple[Argument, Argument]], list[list[str]]]] = []
    predictions: list[tuple[str, float]] = []
    if learned is not None and facts is not None:  # one matrix product for the whole document
        for sent, rules in sentences:
            if linked_only and len({x[3].entity_key for x in spans if sent.start <= x[0] < sent.end} - {None}) < 2:
                candidates.append(([], []))  # no two linked entities: no pair the store would keep
                continue
            candidates.append(_model_rows(facts, arguments(sent, spans, kind_of, facts), rules, lexicon, linked_only))
        predictions = learned.predict_many([row for _, rows in candidates for row in rows])
    done = 0
    for k, (sent, rules) in enumerate(sentences):
        sent_pairs: list[tuple[tuple[int, int], tuple[int, int]]] = []
        for subj, predicate, obj, trigger in rules:
            s_key, o_key = subj.entity_key or "", obj.entity_key or ""
            if predicate in lex.symmetric and o_key < s_key:
                subj, obj, s_key, o_key = obj, subj, o_key, s_key
            key = (s_key, predicate, o_key, sent.start)
            if key in seen:
                continue
            seen.add(key)
            sent_pairs.append(((subj.start, subj.end), (obj.start, obj.end)))
            mood = modality(trigger, sent, index, (subj, obj))
            out.append(
                _record(
                    (s_key, subj.text, (subj.start, subj.end)),
                    predicate,
                    (o_key, obj.text, (obj.start, obj.end)),
                    trigger,
                    sent,
                    lex,
                    published,
                    mood,
                    None,
                )
            )
        if facts is None or not candidates:
            continue
        pairs = candidates[k][0]
        scored = predictions[done : done + len(pairs)]
        done += len(pairs)
        for a, predicate, b, trigger, p in _model_triples(facts, pairs, scored):
            ends = [(a.chars(doc), a), (b.chars(doc), b)]
            if any(_covers(ends[0][0], ends[1][0], r) for r in sent_pairs):
                continue  # the rules already gave this pair
            if predicate in lex.symmetric and _key(ends[1][1]) < _key(ends[0][1]):
                ends.reverse()
            (s_span, s_arg), (o_span, o_arg) = ends
            if predicate not in PLACE_PREDICATES and (
                _is_place(s_arg) or (_is_place(o_arg) and predicate != "leads")  # a governor leads a province
            ):
                continue  # a province neither leads nor fights anyone ("attacks across Balochistan")
            s_text = s_arg.mention.text if s_arg.mention else doc[s_arg.start : s_arg.end].text
            o_text = o_arg.mention.text if o_arg.mention else doc[o_arg.start : o_arg.end].text
            key = (_key(s_arg) or s_text, predicate, _key(o_arg) or o_text, sent.start)
            if key in seen:
                continue
            seen.add(key)
            parties = tuple(x.mention for x in (s_arg, o_arg) if x.mention is not None)
            mood = modality(trigger, sent, index, parties)
            out.append(
                _record(
                    (_key(s_arg), s_text, s_span),
                    predicate,
                    (_key(o_arg), o_text, o_span),
                    trigger,
                    sent,
                    lex,
                    published,
                    mood,
                    p,
                )
            )
    return out
