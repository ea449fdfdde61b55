"""Attack detection and argument head F1 on WikiEvents (Li, Ji & Han 2021), end to end, vs a bare baseline.

Gold: ``../shared/eval/wikievents/dev.jsonl`` (20 documents, KAIROS ontology) and its coreference
clusters ``coref/dev.jsonlines``; read at run time, never copied into the repository.

Text. The files give each sentence's text and tokens; their character offsets assume one separator
between sentences that the ``text`` field lacks, so the document is rebuilt as the sentence texts
joined by newlines (token offsets shifted accordingly). A newline ends a sentence in watchfloor's
pipeline, so both systems see the gold sentence boundaries; every score below is per gold sentence.

Watchfloor runs end to end, exactly as ingest does for one document (gazetteer pipeline, linker,
``extract_events``; no publication date is known). No gold trigger is given to it.

Attack detection (per sentence). Gold: sentences holding a ``Conflict.Attack.*`` trigger.
Watchfloor, ``evidence`` variant (the headline figure): every evidence sentence of an attack-type
event (``ATTACK_TYPES``: attack, air strike, cross-border fire, leader killed, offensive; not
arrests, kidnappings or hostage releases) — merged follow-up sentences, casualty sentences and
claim sentences are evidence too. ``trigger`` variant: only the sentence holding the event's first
trigger. Document level: a document is an attack document when it has at least one gold
``Conflict.Attack.*`` event / one predicted attack-type event.

Arguments (head F1). Roles and the gold they are scored against:

=========== ======================================== ===============================================
role        gold (WikiEvents)                        watchfloor field
=========== ======================================== ===============================================
attacker    Conflict.Attack.* Attacker               ``perpetrator_text``
target      Conflict.Attack.* Target                 ``target`` (the noun chunk holding a target word)
victim      Life.Die.* Victim                        ``target`` as well (watchfloor has no victim
                                                     field; its target is often people: "civilians")
instrument  Conflict.Attack.* Instrument and          the words that gave ``weapon`` its category (a
            ExplosiveDevice                          weapon-lexicon word in the evidence, else the trigger)
place       Conflict.Attack.* Place                  ``place_text``
=========== ======================================== ===============================================

Gold items are deduplicated per document: one item per (role, coreference cluster), carrying the
sentences of every trigger it is an argument of. Predicted items are deduplicated per document by
(role, head word), carrying the evidence sentences of every event that produced them.

Matching rule (as BART-Gen's head F1, adapted to end-to-end extraction without gold triggers):
the *head word* of a span is the lower-cased text of the syntactic root of that span in the spaCy
parse of the document (a predicted string is located in its event's evidence sentences, else in the
document; a string found nowhere uses its last word; for an instrument, whose string is a lexicon
fragment such as "improvised explosive", the root of the noun chunk holding it). A predicted item
matches a gold item of the same role when (1) its head equals the head of the gold argument's
annotated mention (``head`` figures) — or of any mention coreferent with it (``coref`` figures,
BART-Gen's "coref F1") — and
(2) the two share a sentence (an evidence sentence of the predicted event is a trigger sentence of
the gold event). Predicted and gold items are aligned one to one (maximum bipartite matching);
precision = matched / predicted items, recall = matched / gold items, micro-averaged over documents.

Baseline, in the same run on the same rebuilt text, bare spaCy (no gazetteer, no linker, no
extractor): a sentence is an attack sentence when a word of watchfloor's attack lexicon occurs in it
(lemma or phrase of an attack-type trigger, without any of the extractor's filters). In those
sentences: every ORG/NORP entity is an attacker, every GPE/LOC entity a place, the noun chunk
nearest the trigger word (other than the one holding it) is the target and the victim, and the
trigger word itself is the instrument when it is a noun ("bomb", "blast"). The baseline has no
events, so its ``trigger`` detection variant equals its ``evidence`` one.

Casualty figures are not scored: WikiEvents gives victims as mentions ("people", "general"), not
numbers, so no gold toll can be read off it reliably.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from watchfloor.eval.metrics import max_matching
from watchfloor.extract.events import extract_events
from watchfloor.extract.info import entity_info
from watchfloor.extract.lexicon import EventLexicon, load_event_lexicon
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.link.places import load_place_index
from watchfloor.models import EventRecord
from watchfloor.nlp.pipeline import DEFAULT_MODEL, build_pipeline, load_base_model
from watchfloor.nlp.truecase import for_parser

ROLES = ("attacker", "target", "victim", "instrument", "place")
ATTACK_TYPES = frozenset({"attack", "air_strike", "cross_border_fire", "leader_killed", "military_offensive"})
# (event type prefix, WikiEvents role) -> our role
GOLD_ROLES: dict[tuple[str, str], str] = {
    ("Conflict.Attack", "Attacker"): "attacker",
    ("Conflict.Attack", "Target"): "target",
    ("Conflict.Attack", "Instrument"): "instrument",
    ("Conflict.Attack", "ExplosiveDevice"): "instrument",
    ("Conflict.Attack", "Place"): "place",
    ("Life.Die", "Victim"): "victim",
}
BASELINE_ATTACKER = frozenset({"ORG", "NORP"})
BASELINE_PLACE = frozenset({"GPE", "LOC"})

Span2 = tuple[int, int]


# -- gold ------------------------------------------------------------------------------------
@dataclass
class GoldArg:
    """One gold argument (a coreference cluster in one role) and where its events' triggers are."""

    role: str
    cluster: str
    mentions: list[Span2]  # character spans of the annotated argument mentions
    coref: list[Span2]  # character spans of every mention in the cluster
    sentences: set[int] = field(default_factory=set)


@dataclass
class WikiDoc:
    doc_id: str
    text: str
    sentences: list[Span2]  # character span of each gold sentence in ``text``
    attack_sentences: set[int]  # sentences holding a Conflict.Attack.* trigger
    args: list[GoldArg]


def _event_family(event_type: str) -> str:
    return ".".join(event_type.split(".")[:2])


def parse_document(row: dict[str, Any], clusters: list[list[str]]) -> WikiDoc:
    """Rebuild the text (sentences joined by newlines) and collect the gold attacks and arguments."""
    pieces: list[str] = []
    sentences: list[Span2] = []
    tokens: list[Span2] = []
    offset = 0
    for sent_tokens, sent_text in row["sentences"]:
        base = sent_tokens[0][1]
        tokens.extend((s - base + offset, e - base + offset) for _, s, e in sent_tokens)
        sentences.append((offset, offset + len(sent_text)))
        pieces.append(sent_text)
        offset += len(sent_text) + 1
    text = "\n".join(pieces)
    entities = {m["id"]: m for m in row["entity_mentions"]}

    def char_span(mention: dict[str, Any]) -> Span2:
        return tokens[mention["start"]][0], tokens[mention["end"] - 1][1]

    cluster_of = {eid: f"c{i}" for i, members in enumerate(clusters) for eid in members}
    members: dict[str, list[Span2]] = {}
    for eid, mention in entities.items():
        members.setdefault(cluster_of.get(eid, eid), []).append(char_span(mention))
    attack_sentences: set[int] = set()
    items: dict[tuple[str, str], GoldArg] = {}
    for event in row["event_mentions"]:
        family = _event_family(event["event_type"])
        sent = int(event["trigger"]["sent_idx"])
        if family == "Conflict.Attack":
            attack_sentences.add(sent)
        for arg in event["arguments"]:
            role = GOLD_ROLES.get((family, arg["role"]))
            mention = entities.get(arg["entity_id"])
            if role is None or mention is None:
                continue
            cluster = cluster_of.get(arg["entity_id"], arg["entity_id"])
            item = items.setdefault((role, cluster), GoldArg(role, cluster, [], members[cluster]))
            span = char_span(mention)
            if span not in item.mentions:
                item.mentions.append(span)
            item.sentences.add(sent)
    return WikiDoc(row["doc_id"], text, sentences, attack_sentences, list(items.values()))


def load_wikievents(folder: Path, split: str = "dev") -> list[WikiDoc]:
    """Documents of one split with their coreference clusters."""
    rows = [json.loads(line) for line in (folder / f"{split}.jsonl").read_text("utf-8").splitlines() if line.strip()]
    coref_path = folder / "coref" / f"{split}.jsonlines"
    clusters: dict[str, list[list[str]]] = {}
    if coref_path.is_file():
        for line in coref_path.read_text("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                clusters[item["doc_key"]] = item["clusters"]
    return [parse_document(row, clusters.get(row["doc_id"], [])) for row in rows]


# -- heads and matching ---------------------------------------------------------------------------
def head_word(doc: Doc, start: int, end: int, chunk: bool = False) -> str:
    """Lower-cased text of the syntactic root of the character span (its last word if unaligned).

    With ``chunk``, the root of the noun chunk holding the span's root, if any: a lexicon fragment
    ("improvised explosive") stands for its phrase ("an improvised explosive device").
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        words = doc.text[start:end].split()
        return words[-1].lower() if words else ""
    root = span.root
    if chunk:
        root = next((c.root for c in doc.noun_chunks if c.start <= root.i < c.end), root)
    return root.lower_


def locate(text: str, needle: str, windows: Iterable[Span2]) -> Span2 | None:
    """The first case-insensitive whole-word occurrence of ``needle`` inside one of ``windows``, else anywhere."""
    target = needle.strip()
    if not target:
        return None
    pattern = re.compile(r"(?<!\w)" + re.escape(target) + r"(?!\w)", re.I)
    for start, end in windows:
        found = pattern.search(text, start, end)
        if found:
            return found.start(), found.end()
    found = pattern.search(text)
    return (found.start(), found.end()) if found else None


@dataclass
class PredArg:
    role: str
    text: str
    head: str
    sentences: set[int]


def matches(pred: PredArg, gold: GoldArg, gold_heads: set[str]) -> bool:
    """The matching rule: same role, head word among the gold heads, and a shared sentence."""
    return pred.role == gold.role and pred.head in gold_heads and bool(pred.sentences & gold.sentences)


@dataclass
class PRF:
    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_predicted: int = 0

    def add(self, gold: int, predicted: int, matched_gold: int, matched_predicted: int | None = None) -> None:
        self.gold += gold
        self.predicted += predicted
        self.matched_gold += matched_gold
        self.matched_predicted += matched_gold if matched_predicted is None else matched_predicted

    def as_dict(self) -> dict[str, Any]:
        p = self.matched_predicted / self.predicted if self.predicted else 0.0
        r = self.matched_gold / self.gold if self.gold else 0.0
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched_gold,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        }


def dedupe(items: Iterable[PredArg]) -> list[PredArg]:
    """One predicted item per (role, head word); sentences united."""
    out: dict[tuple[str, str], PredArg] = {}
    for item in items:
        if not item.head:
            continue
        known = out.get((item.role, item.head))
        if known is None:
            out[(item.role, item.head)] = PredArg(item.role, item.text, item.head, set(item.sentences))
        else:
            known.sentences |= item.sentences
    return list(out.values())


def score_arguments(
    doc: WikiDoc, parsed: Doc, predicted: list[PredArg], scores: dict[str, dict[str, PRF]], errors: list[str]
) -> None:
    """Add one document's argument matches to ``scores[variant][role]`` (variants head, coref)."""
    preds = dedupe(predicted)
    for variant in ("head", "coref"):
        for role in ROLES:
            golds = [g for g in doc.args if g.role == role]
            heads = [
                {head_word(parsed, s, e) for s, e in (g.mentions if variant == "head" else g.coref)} for g in golds
            ]
            mine = [p for p in preds if p.role == role]
            edges = [[j for j, g in enumerate(golds) if matches(p, g, heads[j])] for p in mine]
            found = max_matching(edges)
            scores[variant][role].add(len(golds), len(mine), found)
            scores[variant]["all"].add(len(golds), len(mine), found)
            if variant == "head":
                hit = {j for e in edges for j in e}
                errors += [
                    f"{doc.doc_id} {role}: spurious {p.text!r} (head {p.head!r})"
                    for p, e in zip(mine, edges, strict=True)
                    if not e
                ]
                errors += [
                    f"{doc.doc_id} {role}: missed {doc.text[g.mentions[0][0] : g.mentions[0][1]]!r}"
                    for j, g in enumerate(golds)
                    if j not in hit
                ]


def sentence_of(doc: WikiDoc, char: int) -> int:
    for i, (start, end) in enumerate(doc.sentences):
        if start <= char <= end:
            return i
    return -1


def sentences_in(doc: WikiDoc, spans: Iterable[Span2]) -> set[int]:
    """Gold sentences overlapping any of the character spans."""
    out: set[int] = set()
    for start, end in spans:
        out |= {i for i, (s, e) in enumerate(doc.sentences) if s < end and start < e}
    return out


# -- watchfloor --------------------------------------------------------------------------------
def _weapon_words(event: EventRecord, lex: EventLexicon) -> list[str]:
    if event.weapon is None:
        return []
    words = list(lex.weapons.get(event.weapon, ()))
    words += [p for p, trig in lex.phrase_triggers.items() if trig.weapon == event.weapon]
    return sorted(words, key=len, reverse=True)


def watchfloor_arguments(doc: WikiDoc, parsed: Doc, events: list[EventRecord]) -> list[PredArg]:
    """Our attack-type events' fields as located argument strings with their head words."""
    lex = load_event_lexicon()
    out: list[PredArg] = []
    for event in events:
        if event.event_type not in ATTACK_TYPES:
            continue
        sents = sentences_in(doc, event.evidence)
        windows = [doc.sentences[i] for i in sorted(sents)]
        fields: list[tuple[str, str | None]] = [
            ("attacker", event.perpetrator_text),
            ("place", event.place_text),
            ("target", event.target),
            ("victim", event.target),
        ]
        if event.weapon:
            lower = doc.text.lower()
            found = next(
                (w for w in _weapon_words(event, lex) if any(w in lower[s:e] for s, e in windows)),
                event.trigger_text,
            )
            fields.append(("instrument", found))
        for role, value in fields:
            if not value:
                continue
            where = locate(doc.text, value, windows)
            head = head_word(parsed, *where, chunk=role == "instrument") if where else value.split()[-1].lower()
            out.append(PredArg(role, value, head, sents))
    return out


def watchfloor_sentences(doc: WikiDoc, events: list[EventRecord], variant: str) -> set[int]:
    out: set[int] = set()
    for event in events:
        if event.event_type not in ATTACK_TYPES:
            continue
        if variant == "trigger":
            out.add(sentence_of(doc, event.trigger_start))
        else:
            out |= sentences_in(doc, event.evidence)
    return out


# -- baseline ----------------------------------------------------------------------------------
def baseline_triggers(sent: Span, lex: EventLexicon) -> list[Token]:
    """Tokens of the sentence that are attack-lexicon words (lemma or the first word of a phrase)."""
    found = [t for t in sent if (trig := lex.lemma_triggers.get(t.lemma_.lower())) and trig.event_type in ATTACK_TYPES]
    lower = sent.text.lower()
    for m in lex.phrase_pattern.finditer(lower):
        if lex.phrase_triggers[m.group(0)].event_type in ATTACK_TYPES:
            span = sent.doc.char_span(sent.start_char + m.start(), sent.start_char + m.end(), alignment_mode="expand")
            if span is not None:
                found.append(span.root)
    return sorted(set(found), key=lambda t: t.i)


def baseline_predictions(doc: WikiDoc, parsed: Doc) -> tuple[set[int], list[PredArg]]:
    """Lexicon-word sentences and bare-NER / noun-chunk arguments in them."""
    lex = load_event_lexicon()
    sentences: set[int] = set()
    out: list[PredArg] = []
    chunks = list(parsed.noun_chunks)
    for i, (start, end) in enumerate(doc.sentences):
        sent = parsed.char_span(start, end, alignment_mode="expand")
        if sent is None:
            continue
        triggers = baseline_triggers(sent, lex)
        if not triggers:
            continue
        sentences.add(i)
        for ent in sent.ents:
            if ent.label_ in BASELINE_ATTACKER:
                out.append(PredArg("attacker", ent.text, ent.root.lower_, {i}))
            elif ent.label_ in BASELINE_PLACE:
                out.append(PredArg("place", ent.text, ent.root.lower_, {i}))
        trigger = triggers[0]
        local = [
            c for c in chunks if c.start >= sent.start and c.end <= sent.end and not (c.start <= trigger.i < c.end)
        ]
        if local:
            nearest = min(local, key=lambda c: min(abs(c.start - trigger.i), abs(c.end - 1 - trigger.i)))
            out.append(PredArg("target", nearest.text, nearest.root.lower_, {i}))
            out.append(PredArg("victim", nearest.text, nearest.root.lower_, {i}))
        if trigger.pos_ in ("NOUN", "PROPN"):
            out.append(PredArg("instrument", trigger.text, trigger.lower_, {i}))
    return sentences, out


# -- evaluation --------------------------------------------------------------------------------
@dataclass
class SystemScore:
    sentences: PRF = field(default_factory=PRF)
    sentences_trigger: PRF = field(default_factory=PRF)
    documents: PRF = field(default_factory=PRF)
    arguments: dict[str, dict[str, PRF]] = field(
        default_factory=lambda: {v: {r: PRF() for r in (*ROLES, "all")} for v in ("head", "coref")}
    )
    errors: list[str] = field(default_factory=list)

    def add_detection(self, doc: WikiDoc, predicted: set[int], target: PRF, name: str) -> None:
        gold = doc.attack_sentences
        target.add(len(gold), len(predicted), len(gold & predicted))
        if target is self.sentences:
            for i in sorted(predicted - gold):
                self.errors.append(
                    f"{doc.doc_id} {name}: spurious attack sentence {doc.text[slice(*doc.sentences[i])]!r}"
                )
            for i in sorted(gold - predicted):
                self.errors.append(
                    f"{doc.doc_id} {name}: missed attack sentence {doc.text[slice(*doc.sentences[i])]!r}"
                )

    def as_dict(self) -> dict[str, Any]:
        return {
            "attack_sentences": self.sentences.as_dict(),
            "attack_sentences_trigger_only": self.sentences_trigger.as_dict(),
            "attack_documents": self.documents.as_dict(),
            "arguments_head": {r: s.as_dict() for r, s in self.arguments["head"].items()},
            "arguments_coref": {r: s.as_dict() for r, s in self.arguments["coref"].items()},
        }


def evaluate(
    folder: Path,
    gazetteer: Gazetteer,
    model: str = DEFAULT_MODEL,
    split: str = "dev",
    limit: int | None = None,
    nlp: Language | None = None,
    base: Language | None = None,
) -> dict[str, Any]:
    """Score watchfloor and the bare baseline on the same documents; plain dict (see module docstring)."""
    began = time.perf_counter()
    docs = load_wikievents(folder, split)[:limit]
    nlp = nlp or build_pipeline(gazetteer, model)
    base = base or load_base_model(model)
    linker = Linker(gazetteer, load_place_index())
    ours, bare = SystemScore(), SystemScore()
    for doc in docs:
        spacy_doc = nlp(for_parser(doc.text))
        linked = linker.link(spacy_doc)
        events = extract_events(spacy_doc, linked.mentions, None, entity_info(gazetteer, linked.entities))
        base_doc = base(doc.text)
        predicted = watchfloor_sentences(doc, events, "evidence")
        ours.add_detection(doc, predicted, ours.sentences, "watchfloor")
        ours.add_detection(doc, watchfloor_sentences(doc, events, "trigger"), ours.sentences_trigger, "watchfloor")
        ours.documents.add(
            int(bool(doc.attack_sentences)), int(bool(predicted)), int(bool(doc.attack_sentences) and bool(predicted))
        )
        score_arguments(doc, base_doc, watchfloor_arguments(doc, base_doc, events), ours.arguments, ours.errors)
        base_sentences, base_args = baseline_predictions(doc, base_doc)
        bare.add_detection(doc, base_sentences, bare.sentences, "baseline")
        bare.add_detection(doc, base_sentences, bare.sentences_trigger, "baseline")
        bare.documents.add(
            int(bool(doc.attack_sentences)),
            int(bool(base_sentences)),
            int(bool(doc.attack_sentences) and bool(base_sentences)),
        )
        score_arguments(doc, base_doc, base_args, bare.arguments, bare.errors)
    return {
        "split": split,
        "documents": len(docs),
        "sentences": sum(len(d.sentences) for d in docs),
        "gold_attack_sentences": sum(len(d.attack_sentences) for d in docs),
        "gold_arguments": {r: sum(1 for d in docs for g in d.args if g.role == r) for r in ROLES},
        "watchfloor": ours.as_dict(),
        "baseline": bare.as_dict(),
        "errors": {"watchfloor": ours.errors, "baseline": bare.errors},
        "seconds": round(time.perf_counter() - began, 1),
    }
