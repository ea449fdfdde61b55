"""Score event extraction against gold files (tests/data/events/<split>/gold.jsonl + articles).

Detection: a predicted event matches a gold event when one of its evidence sentences contains the
gold trigger (one-to-one, in text order). Precision, recall and F1 of detection; then, on matched
pairs, the accuracy of each field; casualty figures exact and within ±10 %.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from watchfloor.eval.linking import find_occurrence
from watchfloor.eval.metrics import DetectionScore
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


class EventScore(DetectionScore):
    def as_dict(self) -> dict[str, Any]:
        return self.detection_dict(
            "events", [*FIELDS, "killed_exact", "killed_10pct", "wounded_exact", "wounded_10pct"]
        )


def _best(value: int | None, low: int | None, high: int | None) -> int | None:
    return value if value is not None else low if low is not None else high


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
    score.check("event_type", p.event_type == g["event_type"], where, g["event_type"], p.event_type)
    if g["event_type"] in ("attack", "kidnapping"):
        score.check("attack_type", p.attack_type == g["attack_type"], where, g["attack_type"], p.attack_type)
    if g.get("date"):
        score.check("date", p.date == g["date"], where, g["date"], p.date)
        score.check(
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
        score.check("place", ok, where, g["place"], p.place_text)
    if g.get("country"):
        score.check("country", p.country == g["country"], where, g["country"], p.country)
    score.check(
        "perpetrator",
        _perp_ok(g.get("perpetrator"), p, gazetteer),
        where,
        g.get("perpetrator"),
        p.perpetrator_text,
    )
    if g.get("perpetrator"):
        score.check(
            "perpetrator_status",
            p.perpetrator_status == g["perpetrator_status"],
            where,
            g["perpetrator_status"],
            p.perpetrator_status,
        )
    if g.get("target_type") and g["target_type"] != "unknown":
        score.check("target_type", p.target_type == g["target_type"], where, g["target_type"], p.target_type)
    if g.get("weapon"):
        score.check("weapon", p.weapon == g["weapon"], where, g["weapon"], p.weapon)
    score.check("suicide", p.suicide == bool(g.get("suicide")), where, g.get("suicide"), p.suicide)
    score.check(
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
        score.check(name + "_exact", pred == gold, where, gold, pred)
        score.check(name + "_10pct", pred is not None and abs(pred - gold) <= 0.1 * max(gold, 1), where, gold, pred)


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
