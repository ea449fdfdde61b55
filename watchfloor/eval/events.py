"""Score event extraction against gold files (tests/data/events/<split>/gold.jsonl + articles).

Detection: a predicted event matches a gold event when one of its evidence sentences contains the
gold trigger (one-to-one, in text order). Precision, recall and F1 of detection; then, on matched
pairs, the accuracy of each field; casualty figures exact and within ±10 %.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from watchfloor.eval.linking import find_occurrence
from watchfloor.extract.events import extract_events
from watchfloor.extract.info import entity_info
from watchfloor.ingest.document import build_document
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.link.normalize import norm_name
from watchfloor.link.places import load_place_index
from watchfloor.models import EventRecord, RawInput
from watchfloor.nlp.pipeline import DEFAULT_MODEL, build_pipeline

FIELDS = (
    "event_type",
    "attack_type",
    "date",
    "date_precision",
    "place",
    "country",
    "perpetrator",
    "perpetrator_status",
    "target_type",
    "weapon",
    "suicide",
    "is_background",
)


@dataclass
class EventScore:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    field_correct: Counter[str] = field(default_factory=Counter)
    field_total: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float | None:
        total = self.field_total[name]
        return self.field_correct[name] / total if total else None

    def as_dict(self) -> dict[str, Any]:
        names = [*FIELDS, "killed_exact", "killed_10pct", "wounded_exact", "wounded_10pct"]
        return {
            "gold_events": self.gold,
            "predicted_events": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "field_accuracy": {n: (round(a, 4) if (a := self.accuracy(n)) is not None else None) for n in names},
            "field_counts": {n: self.field_total[n] for n in names},
        }


def _best(value: int | None, low: int | None, high: int | None) -> int | None:
    return value if value is not None else low if low is not None else high


def _check(score: EventScore, name: str, ok: bool, where: str, gold: Any, pred: Any) -> None:
    score.field_total[name] += 1
    if ok:
        score.field_correct[name] += 1
    else:
        score.errors.append(f"{where} {name}: predicted {pred!r}, gold {gold!r}")


def _perp_ok(gold: str | None, pred: EventRecord, gazetteer: Gazetteer) -> bool:
    if gold is None:
        return pred.perpetrator_key is None
    if pred.perpetrator_key is None:
        return False
    names = {norm_name(pred.perpetrator_text or "")}
    entry = gazetteer.by_key.get(pred.perpetrator_key)
    if entry is not None:
        names |= {norm_name(a) for a in (entry.record.name, *entry.record.aliases)}
    return norm_name(gold) in names


def _compare(score: EventScore, g: dict[str, Any], p: EventRecord, where: str, gazetteer: Gazetteer) -> None:
    _check(score, "event_type", p.event_type == g["event_type"], where, g["event_type"], p.event_type)
    if g["event_type"] in ("attack", "kidnapping"):
        _check(score, "attack_type", p.attack_type == g["attack_type"], where, g["attack_type"], p.attack_type)
    if g.get("date"):
        _check(score, "date", p.date == g["date"], where, g["date"], p.date)
        _check(
            score,
            "date_precision",
            p.date_precision == g["date_precision"],
            where,
            g["date_precision"],
            p.date_precision,
        )
    if g.get("place"):
        pred_place = norm_name(p.place_text or "")
        gold_place = norm_name(g["place"])
        ok = bool(pred_place) and (pred_place in gold_place or gold_place in pred_place)
        _check(score, "place", ok, where, g["place"], p.place_text)
    if g.get("country"):
        _check(score, "country", p.country == g["country"], where, g["country"], p.country)
    _check(
        score,
        "perpetrator",
        _perp_ok(g.get("perpetrator"), p, gazetteer),
        where,
        g.get("perpetrator"),
        p.perpetrator_text,
    )
    if g.get("perpetrator"):
        _check(
            score,
            "perpetrator_status",
            p.perpetrator_status == g["perpetrator_status"],
            where,
            g["perpetrator_status"],
            p.perpetrator_status,
        )
    if g.get("target_type") and g["target_type"] != "unknown":
        _check(score, "target_type", p.target_type == g["target_type"], where, g["target_type"], p.target_type)
    if g.get("weapon"):
        _check(score, "weapon", p.weapon == g["weapon"], where, g["weapon"], p.weapon)
    _check(score, "suicide", p.suicide == bool(g.get("suicide")), where, g.get("suicide"), p.suicide)
    _check(
        score,
        "is_background",
        p.is_background == bool(g.get("is_background")),
        where,
        g.get("is_background"),
        p.is_background,
    )
    for name in ("killed", "wounded"):
        gold = _best(g.get(name), g.get(name + "_low"), g.get(name + "_high"))
        if gold is None:
            continue
        pred = _best(getattr(p, name), getattr(p, name + "_low"), getattr(p, name + "_high"))
        _check(score, name + "_exact", pred == gold, where, gold, pred)
        _check(score, name + "_10pct", pred is not None and abs(pred - gold) <= 0.1 * max(gold, 1), where, gold, pred)


def evaluate(folder: Path, gazetteer: Gazetteer, model: str = DEFAULT_MODEL) -> EventScore:
    nlp = build_pipeline(gazetteer, model)
    linker = Linker(gazetteer, load_place_index())
    score = EventScore()
    for line in (folder / "gold.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        path = folder / item["file"]
        doc = build_document(RawInput(str(path), "txt", path.read_bytes()))
        published = date.fromisoformat(item["published"])
        spacy_doc = nlp(doc.text)
        linked = linker.link(spacy_doc)
        predicted = extract_events(spacy_doc, linked.mentions, published, entity_info(gazetteer, linked.entities))
        score.predicted += len(predicted)
        used: set[int] = set()
        for g in item["events"]:
            score.gold += 1
            where = f"{item['file']} [{g['trigger'][:40]}]"
            try:
                start = find_occurrence(doc.text, g["trigger"], int(g.get("occurrence", 1)))
            except ValueError:
                score.errors.append(f"{where}: trigger not in the cleaned text")
                continue
            match = next(
                (i for i, p in enumerate(predicted) if i not in used and any(s <= start < e for s, e in p.evidence)),
                None,
            )
            if match is None:
                score.errors.append(f"{where}: missed")
                continue
            used.add(match)
            score.matched += 1
            _compare(score, g, predicted[match], where, gazetteer)
        for i, p in enumerate(predicted):
            if i not in used:
                score.errors.append(f"{item['file']}: spurious {p.event_type} {p.trigger_text!r}")
    return score
