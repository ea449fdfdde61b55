"""A linear ranker shipped as JSON: standardise features, dot with weights, pick the best candidate.

Used for the headline line and the publication-date stamp of pasted pages. Each model file lives
under ``watchfloor/models/<name>/model.json`` with its feature names, scaler, weights, training
command and scores; a file trained on other features than the code computes is refused (None), so
the caller falls back to its hand-set rule instead of scoring garbage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np


@dataclass(frozen=True)
class LinearRanker:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float | None  # minimum probability for the best candidate to be accepted (None: always)

    def scores(self, rows: list[list[float]]) -> np.ndarray:
        """Logits of each candidate."""
        x = (np.asarray(rows, dtype=float) - self.mean) / self.scale
        return np.asarray(x @ self.coef + self.intercept)

    def best(self, rows: list[list[float]]) -> tuple[int, float] | None:
        """(index, probability) of the best candidate, or None when none clears the threshold."""
        if not rows:
            return None
        logits = self.scores(rows)
        i = int(np.argmax(logits))
        p = float(1 / (1 + np.exp(-logits[i])))
        if self.threshold is not None and p < self.threshold:
            return None
        return i, p


@cache
def load_ranker(name: str, features: tuple[str, ...]) -> LinearRanker | None:
    """The shipped model ``name``, or None when absent or trained on other features."""
    path = resources.files("watchfloor") / f"models/{name}/model.json"
    if not path.is_file():
        return None
    spec = json.loads(path.read_text("utf-8"))
    if tuple(spec["features"]) != features:
        return None
    return LinearRanker(
        np.array(spec["mean"]), np.array(spec["scale"]), np.array(spec["coef"]), float(spec["intercept"]),
        spec.get("threshold"),
    )  # fmt: skip
