"""Mention detection and relations on dstl's re3d gold (BBC Online, CENTCOM, Wikipedia), vs bare spaCy.

Gold: ``../shared/eval/re3d/<source>/{documents,entities,relations}.json`` (one JSON object per
line, mongoexport), read at run time and never copied into the repository. Offsets are character
offsets into each document's ``text``, which both systems analyse unchanged. Gold entities are
deduplicated by (document, begin, end, type); annotation confidence is not used (every gold
annotation counts).

Mentions. Per type — Person, Organisation, Location, Nationality (own row) — and micro-averaged
("all"): a predicted mention matches a gold mention of the same type when the character spans are
equal (``exact``) or share at least one character (``overlap``); alignment is one to one (greedy,
largest overlap first, then closest length). ``named_overlap`` is ``overlap`` with the gold pronoun
mentions ("I", "he", "we", "they": re3d annotates them as Person/Organisation) left out of the gold.
re3d also nests mentions ("an ISIL tactical unit" and "ISIL" inside it, both Organisation); one
prediction can match only one of them, so recall has a ceiling below 1 for any flat NER. Systems:

* ``watchfloor``: every mention the linker emits after the full pipeline (gazetteer rulers,
  spaCy NER, title references such as "the general", missed surnames), typed by label:
  PERSON -> Person, ORG -> Organisation, GPE/LOC/FAC -> Location, NORP -> Nationality;
* ``watchfloor_linked``: the same, only mentions linked to an entity (gazetteer, alias, place
  index, coreference or a new entity); unresolved places and unknown nationalities drop out;
* ``baseline``: bare spaCy NER (``load_base_model()``, no gazetteer ruler), the same label map.

Relations. re3d types map to watchfloor predicates:

================ ======================== ==========================================================
re3d type        watchfloor predicates    direction
================ ======================== ==========================================================
FightingAgainst  hostile_to, attacks      either (fighting is mutual; re3d orders by text)
AlliesOf         allied_with              either (symmetric)
BelongsTo        member_of                source = member (our subject), target = group (object)
InChargeOf       leads                    source = who is in charge (subject), target = what (object)
================ ======================== ==========================================================

Other re3d types (CoLocated, CommWith, HasAttrOf, IsSynonymOf, Likes, Dislikes, Apart) have no
watchfloor counterpart and are not scored; other watchfloor predicates (supports, hosts, ...) are
not counted as predictions. A predicted relation matches a gold relation of its class in the same
document when its subject span overlaps the gold source span and its object span the gold target
span (or crosswise, for the "either" classes); one to one, greedy. Negated relations ("denied
supporting") are not predictions of the relation; hedged ones are. Watchfloor's relation records
name their arguments by text and entity key; their spans are the linked mentions with that text
and key inside the relation's sentence (any of them may match).

Relation systems (``relations_by_split``; ``watchfloor`` above is the first, on every document):
``watchfloor`` = hand rules + the learned relation model (what ingest runs); ``watchfloor_asserted``
= only its relations stated as fact (not forecast, hypothetical, question, "unlikely", or a party's
own claim); ``watchfloor_stored`` = only those whose both ends are linked entities (the store drops
the rest: descriptions such as "government forces" and pronouns); ``rules`` = the hand rules alone;
``baseline`` = co-occurrence, below. The model's arguments are phrases, so its relations carry
their own argument spans (``subject_span``/``object_span``), which are matched directly. re3d has no
train split: ``splits`` holds out every third document per source; the model is trained on the
rest ("tune"), so only the ``heldout`` figures measure it (the scorecard reports those).

Relation baseline (honest, not a straw man): same-sentence co-occurrence. Every pair of bare-spaCy
PERSON/ORG/GPE/NORP entities in one sentence is predicted once for *each* class (text order = source
then target for the directed classes). Its recall is the share of gold relations whose two
arguments a bare NER even finds in one sentence (a ceiling for any sentence-level extractor built
on that NER); its precision is the base rate of the class among co-occurring pairs. Watchfloor
should beat its precision by a wide margin; recall below it is the price of precision.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from watchfloor.extract.info import entity_info, kind_lookup
from watchfloor.extract.relation_model import load_relation_model
from watchfloor.extract.relations import extract_relations
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.link.places import load_place_index
from watchfloor.models import MentionRecord, RelationRecord
from watchfloor.nlp.pipeline import DEFAULT_MODEL, build_pipeline, load_base_model
from watchfloor.nlp.truecase import for_parser

SOURCES = ("BBC Online", "CENTCOM", "Wikipedia")
MENTION_TYPES = ("Person", "Organisation", "Location", "Nationality")
LABEL_TO_TYPE = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Location",
    "LOC": "Location",
    "FAC": "Location",
    "NORP": "Nationality",
}
RELATION_CLASSES: dict[str, frozenset[str]] = {
    "FightingAgainst": frozenset({"hostile_to", "attacks"}),
    "AlliesOf": frozenset({"allied_with"}),
    "BelongsTo": frozenset({"member_of"}),
    "InChargeOf": frozenset({"leads"}),
}
EITHER_DIRECTION = frozenset({"FightingAgainst", "AlliesOf"})
BASELINE_RELATION_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
MENTION_MODES = ("exact", "overlap", "named_overlap")
# re3d annotates pronouns as Person/Organisation mentions; no NER finds them ("named_overlap" drops them)
PRONOUNS = frozenset(
    {
        *("i", "me", "my", "myself", "mine", "we", "us", "our", "ours", "ourselves", "you", "your", "yours"),
        *("he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself"),
        *("they", "them", "their", "theirs", "themselves", "who", "whom", "whose"),
    }
)

Span2 = tuple[int, int]


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    type: str
    text: str


@dataclass(frozen=True)
class GoldRelation:
    type: str
    source: Span2
    target: Span2
    source_text: str
    target_text: str


@dataclass
class Re3dDoc:
    source: str
    doc_id: str
    text: str
    mentions: list[GoldMention]
    relations: list[GoldRelation]


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def load_source(folder: Path) -> list[Re3dDoc]:
    """One source folder's documents with their (deduplicated) gold mentions and relations."""
    docs = {
        row["_id"]: Re3dDoc(folder.name, row["_id"], row["text"], [], []) for row in _rows(folder / "documents.json")
    }
    seen_m: set[tuple[str, int, int, str]] = set()
    for row in _rows(folder / "entities.json"):
        key = (row["documentId"], int(row["begin"]), int(row["end"]), row["type"])
        if row["type"] in MENTION_TYPES and key not in seen_m and row["documentId"] in docs:
            seen_m.add(key)
            docs[key[0]].mentions.append(GoldMention(key[1], key[2], key[3], row["value"]))
    seen_r: set[tuple[str, str, int, int, int, int]] = set()
    for row in _rows(folder / "relations.json"):
        rkey = (
            row["documentId"],
            row["type"],
            int(row["sourceBegin"]),
            int(row["sourceEnd"]),
            int(row["targetBegin"]),
            int(row["targetEnd"]),
        )
        if row["type"] in RELATION_CLASSES and rkey not in seen_r and row["documentId"] in docs:
            seen_r.add(rkey)
            docs[rkey[0]].relations.append(
                GoldRelation(rkey[1], (rkey[2], rkey[3]), (rkey[4], rkey[5]), row["source"], row["target"])
            )
    return list(docs.values())


def splits(docs: Iterable[Re3dDoc]) -> dict[str, str]:
    """Document id -> "tune" or "heldout". re3d ships no train split, so the relation model is trained
    on the tuning part and the held-out part is only ever scored: within each source, documents are
    ordered by a hash of their id and every third one (ranks 1, 4, 7, ...) is held out."""
    out: dict[str, str] = {}
    by_source: dict[str, list[str]] = {}
    for doc in docs:
        by_source.setdefault(doc.source, []).append(doc.doc_id)
    for ids in by_source.values():
        for rank, doc_id in enumerate(sorted(ids, key=lambda i: hashlib.sha1(i.encode()).hexdigest())):
            out[doc_id] = "heldout" if rank % 3 == 1 else "tune"
    return out


def load_re3d(folder: Path, sources: Iterable[str] = SOURCES) -> list[Re3dDoc]:
    """Documents of the given sources that are present under ``folder``."""
    return [doc for name in sources if (folder / name).is_dir() for doc in load_source(folder / name)]


# -- matching ----------------------------------------------------------------------------------
def overlaps(a: Span2, b: Span2) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _shared(a: Span2, b: Span2) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def align(pairs: Iterable[tuple[tuple[int, int], int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one alignment of (weight, gold index, predicted index) candidates, heaviest first."""
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _w, gi, pi in sorted(pairs, key=lambda x: ((-x[0][0], -x[0][1]), x[1], x[2])):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


@dataclass
class PRF:
    gold: int = 0
    predicted: int = 0
    matched: int = 0

    def as_dict(self) -> dict[str, Any]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        }


@dataclass(frozen=True)
class PredMention:
    start: int
    end: int
    type: str
    text: str


def score_mentions(
    gold: list[GoldMention],
    predicted: list[PredMention],
    scores: dict[str, dict[str, PRF]],
    errors: list[str],
    where: str,
) -> None:
    """Add one document to ``scores[mode][type or 'all']`` (modes exact, overlap, named_overlap)."""
    for mode in MENTION_MODES:
        for kind in MENTION_TYPES:
            g = [m for m in gold if m.type == kind and (mode != "named_overlap" or m.text.lower() not in PRONOUNS)]
            p = [m for m in predicted if m.type == kind]
            pairs = [
                (
                    (_shared((a.start, a.end), (b.start, b.end)), -abs((a.end - a.start) - (b.end - b.start))),
                    gi,
                    pi,
                )
                for gi, a in enumerate(g)
                for pi, b in enumerate(p)
                if (
                    (a.start, a.end) == (b.start, b.end)
                    if mode == "exact"
                    else overlaps((a.start, a.end), (b.start, b.end))
                )
            ]
            found = align(pairs)
            for key in (kind, "all"):
                scores[mode][key].gold += len(g)
                scores[mode][key].predicted += len(p)
                scores[mode][key].matched += len(found)
            if mode == "overlap":
                got_g, got_p = {gi for gi, _ in found}, {pi for _, pi in found}
                errors += [f"{where} {kind}: missed {m.text!r}" for i, m in enumerate(g) if i not in got_g]
                errors += [f"{where} {kind}: spurious {m.text!r}" for i, m in enumerate(p) if i not in got_p]


@dataclass(frozen=True)
class PredRelation:
    cls: str
    subject: tuple[Span2, ...]
    object: tuple[Span2, ...]
    text: str


def relation_matches(pred: PredRelation, gold: GoldRelation) -> bool:
    """The matching rule: same class, subject/source and object/target spans overlap (or crosswise)."""
    if pred.cls != gold.type:
        return False

    def hits(spans: tuple[Span2, ...], gold_span: Span2) -> bool:
        return any(overlaps(s, gold_span) for s in spans)

    straight = hits(pred.subject, gold.source) and hits(pred.object, gold.target)
    crossed = gold.type in EITHER_DIRECTION and hits(pred.subject, gold.target) and hits(pred.object, gold.source)
    return straight or crossed


def score_relations(
    gold: list[GoldRelation], predicted: list[PredRelation], scores: dict[str, PRF], errors: list[str], where: str
) -> None:
    for cls in RELATION_CLASSES:
        g = [r for r in gold if r.type == cls]
        p = [r for r in predicted if r.cls == cls]
        found = align(((1, 0), gi, pi) for gi, a in enumerate(g) for pi, b in enumerate(p) if relation_matches(b, a))
        for key in (cls, "all"):
            scores[key].gold += len(g)
            scores[key].predicted += len(p)
            scores[key].matched += len(found)
        got_g, got_p = {gi for gi, _ in found}, {pi for _, pi in found}
        errors += [
            f"{where} {cls}: missed {r.source_text!r} -> {r.target_text!r}" for i, r in enumerate(g) if i not in got_g
        ]
        errors += [f"{where} {cls}: spurious {r.text}" for i, r in enumerate(p) if i not in got_p]


# -- systems -----------------------------------------------------------------------------------
def typed_mentions(mentions: Iterable[MentionRecord], linked_only: bool = False) -> list[PredMention]:
    return [
        PredMention(m.start, m.end, LABEL_TO_TYPE[m.label], m.text)
        for m in mentions
        if m.label in LABEL_TO_TYPE and (m.entity_key or not linked_only)
    ]


def argument_spans(mentions: list[MentionRecord], key: str, text: str) -> tuple[Span2, ...]:
    """Spans of the mentions with this key and text (any text if none has it)."""
    same = [(m.start, m.end) for m in mentions if m.entity_key == key and m.text == text]
    return tuple(same) or tuple((m.start, m.end) for m in mentions if m.entity_key == key)


def relation_predictions(relations: Iterable[RelationRecord], mentions: list[MentionRecord]) -> list[PredRelation]:
    """Watchfloor relations of the scored predicates, with their argument spans in the sentence."""
    out = []
    for rel in relations:
        cls = next((c for c, preds in RELATION_CLASSES.items() if rel.predicate in preds), None)
        if cls is None or rel.negated:
            continue
        in_sentence = [m for m in mentions if rel.evidence[0] <= m.start < rel.evidence[1]]
        out.append(
            PredRelation(
                cls,
                (rel.subject_span,)
                if rel.subject_span
                else argument_spans(in_sentence, rel.subject_key, rel.subject_text),
                (rel.object_span,) if rel.object_span else argument_spans(in_sentence, rel.object_key, rel.object_text),
                f"{rel.subject_text} {rel.predicate} {rel.object_text} [{rel.extractor}, {rel.modality}]",
            )
        )
    return out


# the relation systems scored beside each other (``relations_by_split``)
RELATION_SYSTEMS = {
    "watchfloor": "hand rules + relation model (what ingest runs)",
    "watchfloor_asserted": "the same, only relations stated as fact (asserted or reported; not forecast, "
    "hypothetical, question, unlikely, or a party's claim)",
    "watchfloor_stored": "the same, only relations whose two ends are linked entities (what the store keeps)",
    "rules": "the hand rules alone (model off)",
    "baseline": "every same-sentence pair of bare-NER entities, once per class",
}


def _subsets(relations: list[RelationRecord]) -> dict[str, list[RelationRecord]]:
    return {
        "watchfloor": relations,
        "watchfloor_asserted": [r for r in relations if r.modality in ("asserted", "reported")],
        "watchfloor_stored": [r for r in relations if r.subject_key and r.object_key],
    }


def cooccurrence_baseline(doc: Doc) -> list[PredRelation]:
    """Every same-sentence pair of bare-NER actor/place entities, once per relation class."""
    out = []
    for sent in doc.sents:
        ents = [e for e in sent.ents if e.label_ in BASELINE_RELATION_LABELS]
        for a, b in combinations(ents, 2):
            for cls in RELATION_CLASSES:
                sa, sb = (a.start_char, a.end_char), (b.start_char, b.end_char)
                out.append(PredRelation(cls, (sa,), (sb,), f"{a.text} ~ {b.text}"))
    return out


@dataclass
class SystemScores:
    mentions: dict[str, dict[str, PRF]] = field(
        default_factory=lambda: {m: {t: PRF() for t in (*MENTION_TYPES, "all")} for m in MENTION_MODES}
    )
    relations: dict[str, PRF] = field(default_factory=lambda: {c: PRF() for c in (*RELATION_CLASSES, "all")})
    errors: list[str] = field(default_factory=list)

    def as_dict(self, with_relations: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            f"mentions_{mode}": {t: s.as_dict() for t, s in rows.items()} for mode, rows in self.mentions.items()
        }
        if with_relations:
            out["relations"] = {c: s.as_dict() for c, s in self.relations.items()}
        return out


def relation_model_info() -> dict[str, Any] | None:
    """The shipped relation model's training facts (None when ingest runs the rules alone)."""
    from importlib import resources

    if load_relation_model() is None:
        return None
    spec = json.loads((resources.files("watchfloor") / "models/relations/model.json").read_text("utf-8"))
    training = dict(spec["training"])
    return {k: training[k] for k in ("data_sha256", "documents", "C", "out_of_fold_pairs") if k in training}


def evaluate(
    folder: Path,
    gazetteer: Gazetteer,
    model: str = DEFAULT_MODEL,
    sources: Iterable[str] = SOURCES,
    nlp: Language | None = None,
    base: Language | None = None,
) -> dict[str, Any]:
    """Score watchfloor (all / linked mentions, relations) and the bare-spaCy baseline; plain dict."""
    began = time.perf_counter()
    docs = load_re3d(folder, sources)
    nlp = nlp or build_pipeline(gazetteer, model)
    base = base or load_base_model(model)
    linker = Linker(gazetteer, load_place_index())
    ours, linked, bare = SystemScores(), SystemScores(), SystemScores()
    split_of = splits(docs)
    by_split: dict[str, dict[str, dict[str, PRF]]] = {
        part: {name: {c: PRF() for c in (*RELATION_CLASSES, "all")} for name in RELATION_SYSTEMS}
        for part in ("all", "tune", "heldout")
    }
    for doc in docs:
        where = f"{doc.source}/{doc.doc_id[:8]}"
        spacy_doc = nlp(for_parser(doc.text))
        result = linker.link(spacy_doc)
        kind_of = kind_lookup(entity_info(gazetteer, result.entities))
        relations = extract_relations(spacy_doc, result.mentions, None, kind_of)
        rules = extract_relations(spacy_doc, result.mentions, None, kind_of, model=False)
        score_mentions(doc.mentions, typed_mentions(result.mentions), ours.mentions, ours.errors, where)
        score_mentions(doc.mentions, typed_mentions(result.mentions, True), linked.mentions, linked.errors, where)
        score_relations(
            doc.relations, relation_predictions(relations, result.mentions), ours.relations, ours.errors, where
        )
        base_doc = base(doc.text)
        predicted = {
            **{k: relation_predictions(v, result.mentions) for k, v in _subsets(relations).items()},
            "rules": relation_predictions(rules, result.mentions),
            "baseline": cooccurrence_baseline(base_doc),
        }
        for part in ("all", split_of[doc.doc_id]):
            for name, preds in predicted.items():
                score_relations(doc.relations, preds, by_split[part][name], [], where)
        base_mentions = [
            PredMention(e.start_char, e.end_char, LABEL_TO_TYPE[e.label_], e.text)
            for e in base_doc.ents
            if e.label_ in LABEL_TO_TYPE
        ]
        score_mentions(doc.mentions, base_mentions, bare.mentions, bare.errors, where)
        score_relations(doc.relations, cooccurrence_baseline(base_doc), bare.relations, [], where)
    return {
        "sources": [s for s in sources if (folder / s).is_dir()],
        "documents": len(docs),
        "gold_mentions": {t: sum(1 for d in docs for m in d.mentions if m.type == t) for t in MENTION_TYPES},
        "gold_pronoun_mentions": sum(1 for d in docs for m in d.mentions if m.text.lower() in PRONOUNS),
        "gold_relations": {c: sum(1 for d in docs for r in d.relations if r.type == c) for c in RELATION_CLASSES},
        "watchfloor": ours.as_dict(),
        "watchfloor_linked": linked.as_dict(with_relations=False),
        "baseline": bare.as_dict(),
        "relation_systems": RELATION_SYSTEMS,
        "relation_model": relation_model_info(),
        "relations_by_split": {
            part: {name: {c: prf.as_dict() for c, prf in rows.items()} for name, rows in systems.items()}
            for part, systems in by_split.items()
        },
        "split_documents": {p: sum(1 for v in split_of.values() if v == p) for p in ("tune", "heldout")},
        "errors": {"watchfloor": ours.errors, "baseline": bare.errors},
        "seconds": round(time.perf_counter() - began, 1),
    }
