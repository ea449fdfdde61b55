"""Train the furniture line classifier on real pages rendered to pasted text.

    python -m training.furniture.train --data ../shared/eval/article_extraction --out watchfloor/models/furniture

Only the "train" part of the deterministic page split (``watchfloor.eval.pasted.page_part``) is
used for fitting and for choosing the threshold (grouped cross-validation by page). The
"eval" part is scored once at the end and recorded in ``meta.json``; never tune on it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from watchfloor.eval import pasted
from watchfloor.ingest import clean
from watchfloor.ingest.clean import split_lines
from watchfloor.ingest.line_features import feature_names, page_features

RETENTION_TARGET = 0.98
CORPUS_WEIGHT = {pasted.SCRAPINGHUB: 1.0, pasted.TRAFILATURA: 3.0}
PARAMS: dict[str, Any] = {
    "max_iter": 300,
    "learning_rate": 0.05,
    "max_leaf_nodes": 31,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 0,
}


def build_dataset(data_dir: Path, part: str) -> dict[str, Any]:
    """Feature matrix, labels (1 = furniture), page groups, corpus per row, and the data hash."""
    rows: list[list[float]] = []
    labels: list[int] = []
    groups: list[str] = []
    corpora: list[str] = []
    tuples: list[tuple[str, str, str]] = []
    pages = 0
    for corpus, page_id, text, page_labels, _ in pasted.labelled_pages(data_dir, part):
        spans = split_lines(text)
        if not any(page_labels):
            continue
        pages += 1
        lines = [text[s:e] for s, e in spans]
        raw_lines = [text[text.rfind("\n", 0, s) + 1 : e] for s, e in spans]
        feats = page_features(lines, raw_lines)
        for vec, lab, line in zip(feats, page_labels, lines, strict=True):
            if lab is None:
                continue
            rows.append(vec)
            labels.append(int(lab == "furniture"))
            groups.append(f"{corpus}/{page_id}")
            corpora.append(corpus)
            tuples.append((f"{corpus}/{page_id}", lab, line))
    digest = hashlib.sha256()
    for t in sorted(tuples):
        digest.update(json.dumps(t, ensure_ascii=False).encode("utf-8") + b"\n")
    return {
        "X": np.asarray(rows, dtype=np.float64),
        "y": np.asarray(labels, dtype=np.int64),
        "groups": np.asarray(groups),
        "corpora": np.asarray(corpora),
        "sha256": digest.hexdigest(),
        "pages": pages,
    }


def _weights(corpora: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return np.asarray([CORPUS_WEIGHT[str(c)] for c in corpora], dtype=np.float64)


Array = np.ndarray[Any, Any]


def choose_threshold(probs: Array, y: Array, corpora: Array) -> dict[str, Any]:
    """The lowest P(furniture) threshold keeping ≥ RETENTION_TARGET of all labelled article lines
    (both corpora pooled), so furniture recall is as high as that allows."""
    best: dict[str, Any] | None = None
    coarse = np.round(np.arange(0.30, 0.99, 0.01), 2)
    grid = np.unique(np.concatenate([coarse, np.round(np.arange(0.990, 0.9991, 0.001), 3)]))
    for t in grid:
        stats: dict[str, Any] = {}
        for c in np.unique(corpora):
            m = corpora == c
            art = m & (y == 0)
            fur = m & (y == 1)
            retention = float(np.mean(probs[art] < t)) if art.any() else 1.0
            recall = float(np.mean(probs[fur] >= t)) if fur.any() else 1.0
            stats[str(c)] = {"article_retention": round(retention, 4), "furniture_recall": round(recall, 4)}
        pooled = float(np.mean(probs[y == 0] < t))
        pooled_recall = float(np.mean(probs[y == 1] >= t))
        stats["pooled"] = {"article_retention": round(pooled, 4), "furniture_recall": round(pooled_recall, 4)}
        if pooled >= RETENTION_TARGET:
            best = {"threshold": float(t), "cv": stats}
            break
    if best is None:
        best = {"threshold": 0.999, "cv": {}}
    return best


def export_trees(model: Any) -> dict[str, np.ndarray[Any, Any]]:
    """Flatten a fitted binary HistGradientBoostingClassifier into numpy arrays for
    ``watchfloor.ingest.clean.LineModel`` (numerical features only, no missing values)."""
    feature, thr, left, right, leaf, value, roots = [], [], [], [], [], [], []
    offset = 0
    depth = 0
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise ValueError("categorical splits are not supported by the exporter")
        roots.append(offset)
        feature.append(nodes["feature_idx"])
        thr.append(nodes["num_threshold"])
        left.append(nodes["left"].astype(np.int64) + offset)
        right.append(nodes["right"].astype(np.int64) + offset)
        leaf.append(nodes["is_leaf"].astype(bool))
        value.append(np.where(nodes["is_leaf"].astype(bool), nodes["value"], 0.0))
        depth = max(depth, int(nodes["depth"].max()))
        offset += len(nodes)
    baseline = float(np.ravel(model._baseline_prediction)[0])
    return {
        "feature": np.concatenate(feature).astype(np.int32),
        "threshold_value": np.concatenate(thr).astype(np.float64),
        "left": np.concatenate(left).astype(np.int32),
        "right": np.concatenate(right).astype(np.int32),
        "is_leaf": np.concatenate(leaf),
        "value": np.concatenate(value).astype(np.float64),
        "roots": np.asarray(roots, dtype=np.int32),
        "baseline": np.asarray(baseline),
        "max_depth": np.asarray(depth + 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data", type=Path, required=True, help="../shared/eval/article_extraction")
    ap.add_argument("--out", type=Path, required=True, help="watchfloor/models/furniture")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    t0 = time.time()
    pasted.check_data(args.data)
    train = build_dataset(args.data, "train")
    X, y, groups, corpora = train["X"], train["y"], train["groups"], train["corpora"]
    print(f"train: {train['pages']} pages, {len(y)} labelled lines ({int(y.sum())} furniture)", file=sys.stderr)

    oof = np.zeros(len(y))
    for fit_idx, test_idx in GroupKFold(n_splits=args.folds).split(X, y, groups):
        model = HistGradientBoostingClassifier(**PARAMS)
        model.fit(X[fit_idx], y[fit_idx], sample_weight=_weights(corpora[fit_idx]))
        oof[test_idx] = model.predict_proba(X[test_idx])[:, 1]
    chosen = choose_threshold(oof, y, corpora)
    print(f"threshold {chosen['threshold']}: cv {chosen['cv']}", file=sys.stderr)

    model = HistGradientBoostingClassifier(**PARAMS)
    model.fit(X, y, sample_weight=_weights(corpora))
    args.out.mkdir(parents=True, exist_ok=True)
    model_path = args.out / "model.npz"
    arrays = export_trees(model)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
    blob = buf.getvalue()
    model_path.write_bytes(blob)
    check = clean.LineModel(
        feature=arrays["feature"].astype(np.int64), threshold_value=arrays["threshold_value"],
        left=arrays["left"].astype(np.int64), right=arrays["right"].astype(np.int64), is_leaf=arrays["is_leaf"],
        value=arrays["value"], roots=arrays["roots"].astype(np.int64), baseline=float(arrays["baseline"]),
        max_depth=int(arrays["max_depth"]), threshold=0.5, feature_names=feature_names(),
    )
    sample = X[:2000]
    gap = float(np.max(np.abs(np.asarray(check.predict_proba(sample.tolist())) - model.predict_proba(sample)[:, 1])))
    if gap > 1e-9:
        raise RuntimeError(f"exported trees disagree with scikit-learn by {gap}")
    meta: dict[str, Any] = {
        "name": "furniture line classifier",
        "training_command": "python -m training.furniture.train --data ../shared/eval/article_extraction "
        "--out watchfloor/models/furniture",
        "model": "sklearn HistGradientBoostingClassifier, trees exported to numpy arrays (model.npz)",
        "params": PARAMS,
        "corpus_weight": CORPUS_WEIGHT,
        "sklearn_version": sklearn.__version__,
        "python_version": platform.python_version(),
        "training_data": {
            "sources": ["article_extraction/html + gt (scrapinghub, dense labels)",
                        "article_extraction/trafilatura_eval/dev (with/without snippets, sparse labels)"],
            "split": "train part: sha1(page id) last hex digit < 'b'",
            "sha256": train["sha256"],
            "pages": train["pages"],
            "lines": len(y),
            "furniture_lines": int(y.sum()),
        },
        "threshold": chosen["threshold"],
        "threshold_rule": f"lowest threshold with cross-validated article retention >= {RETENTION_TARGET} "
        "over the labelled article lines of both corpora pooled (GroupKFold by page on the train part)",
        "cv_train": chosen["cv"],
        "feature_names": list(feature_names()),
        "model_sha256": hashlib.sha256(blob).hexdigest(),
        "model_bytes": len(blob),
    }
    meta_path = args.out / "meta.json"
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", "utf-8")

    # Score the evaluation part once, with the model just written.
    clean.MODEL_PATH = model_path
    clean._load_model_at.cache_clear()
    scores = pasted.evaluate_pasted(args.data, "eval")
    meta["dev_scores"] = scores
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps(scores, indent=1), file=sys.stderr)
    print(f"done in {time.time() - t0:.0f}s: {model_path} ({len(blob)} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
