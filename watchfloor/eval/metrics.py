"""What the gold-file scorers share: detection P/R/F1, per-field accuracy on matched items, spans."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


def span_overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap of two character spans as a share of the shorter one (0 when disjoint)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter / max(1, min(a[1] - a[0], b[1] - b[0])) if inter > 0 else 0.0


@dataclass
class DetectionScore:
    """Items found (matched against gold one-to-one) and, on matched items, field accuracy."""

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

    def check(self, name: str, ok: bool, where: str, gold: Any, predicted: Any) -> None:
        """Count one field comparison; keep a readable line for each miss."""
        self.field_total[name] += 1
        if ok:
            self.field_correct[name] += 1
        else:
            self.errors.append(f"{where} {name}: predicted {predicted!r}, gold {gold!r}")

    def detection_dict(self, noun: str, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
        """Stable JSON keys: gold_<noun>, predicted_<noun>, matched, P/R/F1, field accuracy and counts."""
        return {
            f"gold_{noun}": self.gold,
            f"predicted_{noun}": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "field_accuracy": {n: (round(a, 4) if (a := self.accuracy(n)) is not None else None) for n in fields},
            "field_counts": {n: self.field_total[n] for n in fields},
        }


def max_matching(edges: list[list[int]]) -> int:
    """Size of a maximum bipartite matching (left i -> right j in edges[i]); Kuhn's augmenting paths."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(edges)))
