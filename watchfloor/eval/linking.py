"""Score entity linking against gold mention files (tests/data/linking/*/gold.jsonl).

Each gold mention is (text, occurrence, entity): the n-th occurrence of an exact string in the
file, and a gazetteer key or "NEW:Name" for an actor outside the gazetteer. A NEW entity is right
when all its mentions go to one discovered (non-gazetteer) entity that no other gold entity shares.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.link.places import load_place_index
from watchfloor.models import MentionRecord
from watchfloor.nlp.pipeline import DEFAULT_MODEL, build_pipeline


def find_occurrence(text: str, needle: str, occurrence: int) -> int:
    pos = -1
    for _ in range(occurrence):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            raise ValueError(f"{needle!r} occurs fewer than {occurrence} times")
    return pos


@dataclass
class LinkScore:
    correct: int = 0
    total: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def _predicted(mentions: list[MentionRecord], start: int, end: int) -> str | None:
    overlapping = [m for m in mentions if m.start < end and start < m.end and m.entity_key]
    if not overlapping:
        return None
    best = max(overlapping, key=lambda m: min(end, m.end) - max(start, m.start))
    return best.entity_key


def evaluate(folder: Path, gazetteer: Gazetteer, model: str = DEFAULT_MODEL) -> LinkScore:
    nlp = build_pipeline(gazetteer, model)
    linker = Linker(gazetteer, load_place_index())
    score = LinkScore()
    for line in (folder / "gold.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        text = (folder / item["file"]).read_text("utf-8")
        mentions = linker.link(nlp(text)).mentions
        new_groups: dict[str, list[str | None]] = defaultdict(list)
        for gold in item["mentions"]:
            start = find_occurrence(text, gold["text"], int(gold["occurrence"]))
            predicted = _predicted(mentions, start, start + len(gold["text"]))
            if gold["entity"].startswith("NEW:"):
                new_groups[gold["entity"]].append(predicted)
                continue
            score.total += 1
            if predicted == gold["entity"]:
                score.correct += 1
            else:
                score.errors.append(f"{item['file']}: {gold['text']!r} -> {predicted} (gold {gold['entity']})")
        used: dict[str, str] = {}
        for entity, predictions in new_groups.items():
            keys = {p for p in predictions if p}
            for p in predictions:
                score.total += 1
                ok = (
                    p is not None
                    and p not in gazetteer.by_key
                    and len(keys) == 1
                    and used.setdefault(p, entity) == entity
                )
                if ok:
                    score.correct += 1
                else:
                    score.errors.append(f"{item['file']}: {entity} -> {p}")
    return score
