"""Shared training for the linear rankers in watchfloor/models (headline, pubdate).

Examples are candidates grouped by page (one positive or none per page). A logistic regression on
standardised features is fitted; grouped 5-fold cross-validation on the train part gives top-1
accuracy and, when asked, the acceptance threshold that maximises right − penalty × wrong picks
(a wrong publication date is worse than none). Deterministic: liblinear-free lbfgs, fixed folds.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from watchfloor.eval.pages import _gold_text
from watchfloor.eval.pasted import TRAFILATURA, corpus_dirs, page_part, rendered_pages

C = 1.0
SPLIT_RULE = "article_extraction/trafilatura_eval dev, train part (sha1(page id) last hex < 'b')"


@dataclass
class Examples:
    rows: list[list[float]]
    labels: list[int]
    groups: list[int]
    pages_total: int  # pages with a gold value, including those where no candidate is right


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, LogisticRegression]:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit((x - mean) / scale, y)
    return mean, scale, model


def _picks(x: np.ndarray, y: np.ndarray, g: np.ndarray, mean: np.ndarray, scale: np.ndarray,
           model: LogisticRegression) -> list[tuple[float, int]]:  # fmt: skip
    """(probability, right?) of the best candidate of each page."""
    probs = model.predict_proba((x - mean) / scale)[:, 1]
    out = []
    for page in np.unique(g):
        mask = g == page
        i = int(np.argmax(probs[mask]))
        out.append((float(probs[mask][i]), int(y[mask][i])))
    return out


def train(ex: Examples, name: str, command: str, features: Sequence[str], out: Path, sha: str,
          threshold_penalty: float | None = None) -> dict[str, Any]:  # fmt: skip
    """Fit, cross-validate and write ``out/model.json``; returns the spec written."""
    x, y, g = np.array(ex.rows), np.array(ex.labels), np.array(ex.groups)
    picks: list[tuple[float, int]] = []
    for tr, te in GroupKFold(n_splits=5).split(x, y, g):
        mean, scale, model = fit(x[tr], y[tr])
        picks += _picks(x[te], y[te], g[te], mean, scale, model)
    pages_with_answer = len(set(ex.groups))
    threshold = None
    if threshold_penalty is not None:
        best = max(
            (sum(r for p, r in picks if p >= t) - threshold_penalty * sum(1 - r for p, r in picks if p >= t), -t)
            for t in np.linspace(0.0, 0.95, 20)
        )
        threshold = round(-best[1], 3)
    accepted = [(p, r) for p, r in picks if threshold is None or p >= threshold]
    mean, scale, model = fit(x, y)
    out.mkdir(parents=True, exist_ok=True)
    spec = {
        "name": name,
        "training_command": command,
        "model": f"sklearn LogisticRegression(C={C}, class_weight=balanced) on standardised features",
        "training_data": {"source": SPLIT_RULE, "pages": ex.pages_total, "pages_with_candidates":
                          pages_with_answer, "candidates": len(y), "sha256": sha},
        "cv_train": {
            "top1_among_pages_with_candidates": round(float(np.mean([r for _, r in picks])), 4),
            "accepted_right": sum(r for _, r in accepted),
            "accepted_wrong": sum(1 - r for _, r in accepted),
            "pages": len(picks),
        },
        "threshold": threshold,
        "features": list(features),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": model.coef_[0].round(6).tolist(),
        "intercept": round(float(model.intercept_[0]), 6),
    }  # fmt: skip
    (out / "model.json").write_text(json.dumps(spec, indent=1) + "\n", "utf-8")
    return spec


def gold_pages(data: Path, field: str) -> Iterator[tuple[str, list[str], str]]:
    """(page id, non-blank pasted lines, gold value) of the train-part pages whose gold has ``field``."""
    html_dir, gt_dir = corpus_dirs(data)[TRAFILATURA]
    for page_id, text in rendered_pages(html_dir):
        if page_part(page_id) != "train":
            continue
        gold = _gold_text(json.loads((gt_dir / f"{page_id}.json").read_text("utf-8")).get(field))
        if gold:
            yield page_id, [ln for ln in text.splitlines() if ln.strip()], gold


def main(
    argv: list[str] | None,
    name: str,
    model_dir: str,
    build: Callable[[Path], tuple[Examples, str]],
    features: Sequence[str],
    threshold_penalty: float | None = None,
) -> int:
    """The command line of a ranker's training script: build examples, train, write, report."""
    parser = argparse.ArgumentParser(description=f"Train the {name}.")
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/article_extraction"))
    parser.add_argument("--out", type=Path, default=Path("watchfloor/models") / model_dir)
    args = parser.parse_args(argv)
    command = (
        f"python -m training.{model_dir}.train --data ../shared/eval/article_extraction "
        f"--out watchfloor/models/{model_dir}"
    )
    ex, sha = build(args.data)
    spec = train(ex, name, command, features, args.out, sha, threshold_penalty)
    print(json.dumps(spec["cv_train"]), spec["threshold"], spec["training_data"])
    return 0
