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
from threadpoolctl import threadpool_limits

from watchfloor.eval import pasted
from watchfloor.ingest import clean
from watchfloor.ingest.clean import split_lines
from watchfloor.ingest.line_features import feature_names, page_features

RETENTION_TARGET = 0.97
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
    page_data: list[tuple[str, list[str], list[str | None], np.ndarray[Any, Any]]] = []
    pages = 0
    for corpus, page_id, text, page_labels, _ in pasted.labelled_pages(data_dir, part):
        spans = split_lines(text)
        if not any(page_labels):
            continue
        pages += 1
        lines = [text[s:e] for s, e in spans]
        raw_lines = [text[text.rfind("\n", 0, s) + 1 : e] for s, e in spans]
        feats = page_features(lines, raw_lines)
        page_data.append((corpus, lines, page_labels, np.asarray(feats, dtype=np.float64)))
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
        "page_data": page_data,
    }


def _weights(corpora: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return np.asarray([CORPUS_WEIGHT[str(c)] for c in corpora], dtype=np.float64)


Array = np.ndarray[Any, Any]


def pipeline_scores(page_data: list[Any], page_probs: list[Array], threshold: float) -> dict[str, Any]:
    """Article retention, furniture recall and article precision (kept article lines / kept
    labelled lines) per corpus of the whole decision (:func:`clean.decide_lines`: lexicon rules,
    gated rules and the model) with the given per-page P(furniture)."""
    names = feature_names()
    counts: dict[str, list[int]] = {}
    for (corpus, lines, labels, feats), probs in zip(page_data, page_probs, strict=True):
        reasons = clean.decide_lines(lines, probs.tolist(), feats.tolist(), names, threshold)
        c = counts.setdefault(corpus, [0, 0, 0, 0])  # article kept, article, furniture removed, furniture
        for lab, reason in zip(labels, reasons, strict=True):
            if lab == "article":
                c[0] += reason is None
                c[1] += 1
            elif lab == "furniture":
                c[2] += reason is not None
                c[3] += 1
    out: dict[str, Any] = {}
    for corpus, (ak, at, fr, ft) in sorted(counts.items()):
        kept = ak + ft - fr
        out[corpus] = {
            "article_retention": round(ak / at, 4) if at else 1.0,
            "furniture_recall": round(fr / ft, 4) if ft else 1.0,
            "article_precision": round(ak / kept, 4) if kept else 1.0,
        }
    return out


def choose_threshold(page_data: list[Any], page_probs: list[Array]) -> dict[str, Any]:
    """The lowest P(furniture) threshold whose cross-validated article retention, over the whole
    decision (rules included), is >= RETENTION_TARGET on each corpus: as much furniture recall as
    that allows."""
    grid = np.unique(np.round(np.concatenate([np.arange(0.50, 0.95, 0.01), np.arange(0.95, 0.9995, 0.001)]), 3))
    for t in grid:
        stats = pipeline_scores(page_data, page_probs, float(t))
        if all(v["article_retention"] >= RETENTION_TARGET for v in stats.values()):
            return {"threshold": float(t), "cv": stats}
    return {"threshold": 0.999, "cv": pipeline_scores(page_data, page_probs, 0.999)}


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


def out_of_fold(train: dict[str, Any], folds: int = 5) -> list[Array]:
    """P(furniture) of every line of every training page (labelled or not) from the model of the
    grouped fold that did not see the page (order of ``train["page_data"]``)."""
    X, y, groups, corpora = train["X"], train["y"], train["groups"], train["corpora"]
    page_data = train["page_data"]
    page_probs: list[Array] = [np.zeros(0)] * len(page_data)
    group_page = {g: i for i, g in enumerate(dict.fromkeys(groups.tolist()))}
    for fit_idx, test_idx in GroupKFold(n_splits=folds).split(X, y, groups):
        model = HistGradientBoostingClassifier(**PARAMS)
        model.fit(X[fit_idx], y[fit_idx], sample_weight=_weights(corpora[fit_idx]))
        for g in np.unique(groups[test_idx]):
            i = group_page[str(g)]
            page_probs[i] = model.predict_proba(page_data[i][3])[:, 1]
    return page_probs


def out_of_fold_by_page(data_dir: Path, folds: int = 5) -> dict[str, Array]:
    """Out-of-fold P(furniture) per line of each train-part page, keyed ``corpus/page id`` (for the
    rankers that read the cleaner's probabilities: trained on what the cleaner says of unseen pages)."""
    threadpool_limits(limits=1)
    train = build_dataset(data_dir, "train")
    keys = list(dict.fromkeys(train["groups"].tolist()))
    return dict(zip(keys, out_of_fold(train, folds), strict=True))


def page_probabilities(furniture: dict[str, Array], page_id: str, n_lines: int) -> list[float] | None:
    """The out-of-fold P(furniture) of a trafilatura_eval page's lines, or None when the page has none
    (no labelled line) or they do not line up with its ``n_lines`` lines."""
    probs = furniture.get(f"{pasted.TRAFILATURA}/{page_id}")
    return probs.tolist() if probs is not None and len(probs) == n_lines else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data", type=Path, required=True, help="../shared/eval/article_extraction")
    ap.add_argument("--out", type=Path, required=True, help="watchfloor/models/furniture")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    # One thread: the same trees on any machine, and much faster than OpenMP on a busy CPU.
    threadpool_limits(limits=1)
    t0 = time.time()
    pasted.check_data(args.data)
    train = build_dataset(args.data, "train")
    X, y, corpora = train["X"], train["y"], train["corpora"]
    print(f"train: {train['pages']} pages, {len(y)} labelled lines ({int(y.sum())} furniture)", file=sys.stderr)

    # Out-of-fold P(furniture) for every line of every training page (labelled or not), so the
    # threshold is chosen on the whole decision, rules included.
    page_data = train["page_data"]
    page_probs = out_of_fold(train, args.folds)
    chosen = choose_threshold(page_data, page_probs)
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
        feature=arrays["feature"].astype(np.int64),
        threshold_value=arrays["threshold_value"],
        left=arrays["left"].astype(np.int64),
        right=arrays["right"].astype(np.int64),
        is_leaf=arrays["is_leaf"],
        value=arrays["value"],
        roots=arrays["roots"].astype(np.int64),
        baseline=float(arrays["baseline"]),
        max_depth=int(arrays["max_depth"]),
        threshold=0.5,
        feature_names=feature_names(),
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
            "sources": [
                "article_extraction/html + gt (scrapinghub, dense labels)",
                "article_extraction/trafilatura_eval/dev (with/without snippets, sparse labels)",
            ],
            "split": "train part: sha1(page id) last hex digit < 'b'",
            "sha256": train["sha256"],
            "pages": train["pages"],
            "lines": len(y),
            "furniture_lines": int(y.sum()),
        },
        "threshold": chosen["threshold"],
        "threshold_rule": f"lowest threshold with cross-validated article retention >= {RETENTION_TARGET} "
        "on each corpus, over the whole decision (clean.decide_lines: lexicon rules, gated rules and the "
        "model; GroupKFold by page on the train part)",
        "rule_gate": clean.RULE_GATE,
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
