"""Train the attribution model (cue, source, content) on PolNeAR train; dev is never seen here.

    python -m training.attribution.train --data ../shared/eval/polnear --out watchfloor/models/attribution

Cue: every content word is a candidate, positive when it heads a gold Cue span (the cue token whose
syntactic head lies outside the span). Source and content: for each gold cue, the parse's
candidates, positive when they overlap the gold Source / are the closest to the gold Content (token
F1). The cue classifier is an L2 logistic regression (liblinear, fixed C); source and content are
rankers: a softmax over each cue's candidates (conditional logit, L-BFGS from zero weights, L2),
because inference picks the best candidate of each cue, not every good one. One-hot features; the
cue threshold is the one that maximises cue F1 on out-of-fold predictions (3 folds by document).
Deterministic: same data, same parses, same weights.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc

from training.attribution.corpus import parsed_split, split_digest
from training.common import write_model
from watchfloor.eval.polnear import PolnearDoc
from watchfloor.extract.attribution import (
    CUE_POS,
    FEATURE_VERSION,
    Candidate,
    content_candidates,
    content_features,
    cue_candidates,
    cue_features,
    doc_facts,
    source_candidates,
    source_features,
)

C = {"cue": 0.3, "source": 1.0, "content": 1.0}
MIN_COUNT = 2  # features seen fewer times in training carry no weight
COMMAND = "python -m training.attribution.train --data ../shared/eval/polnear --out watchfloor/models/attribution"


def _tokens(doc: Doc, spans: list[tuple[int, int]]) -> list[int]:
    return [t.i for t in doc if any(s <= t.idx < e for s, e in spans)]


def anchor(doc: Doc, cue_spans: list[tuple[int, int]]) -> int | None:
    """The token that heads a gold cue span: a candidate whose head lies outside the span."""
    toks = _tokens(doc, cue_spans)
    inside = set(toks)
    cands = [i for i in toks if doc[i].pos_ in CUE_POS or doc[i].lower_ == "according"]
    for i in cands:
        if doc[i].head.i not in inside or doc[i].head.i == i:
            return i
    return cands[0] if cands else None


def _char_f1(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    if not inter:
        return 0.0
    p, r = inter / (a[1] - a[0]), inter / (b[1] - b[0])
    return 2 * p * r / (p + r)


def _chars(doc: Doc, c: Candidate) -> tuple[int, int]:
    span = doc[c.start : c.end]
    return span.start_char, span.end_char


class Rows:
    def __init__(self) -> None:
        self.x: list[dict[str, int]] = []
        self.y: list[int] = []
        self.group: list[int] = []  # the document (folds)
        self.query: list[int] = []  # the cue whose candidates compete (rankers)

    def add(self, features: list[str], label: int, group: int, query: int = -1) -> None:
        self.x.append(dict.fromkeys(features, 1))
        self.y.append(label)
        self.group.append(group)
        self.query.append(query)


def examples(gold: list[PolnearDoc], docs: list[Doc]) -> tuple[Rows, Rows, Rows, dict[str, int]]:
    cue, source, content = Rows(), Rows(), Rows()
    stats = {"gold": 0, "anchored": 0, "source_found": 0, "content_found": 0}
    query = 0
    for d, (g, doc) in enumerate(zip(gold, docs, strict=True)):
        facts = doc_facts(doc)
        anchors: dict[int, int] = {}
        for k, a in enumerate(g.attributions):
            stats["gold"] += 1
            i = anchor(doc, a.cue)
            if i is not None:
                anchors.setdefault(i, k)
        stats["anchored"] += len(anchors)
        for tok in cue_candidates(doc):
            cue.add(cue_features(tok, facts), int(tok.i in anchors), d)
        for i, k in anchors.items():
            query += 1
            a, tok = g.attributions[k], doc[i]
            src_hull = (min(s for s, _ in a.source), max(e for _, e in a.source))
            sources = source_candidates(tok, facts)
            labels = [int(_char_f1(_chars(doc, c), src_hull) > 0) for c in sources]
            for c, y in zip(sources, labels, strict=True):
                source.add(source_features(tok, c, facts), y, d, query)
            gold_source = next((c for c, y in zip(sources, labels, strict=True) if y), None)
            stats["source_found"] += gold_source is not None
            hull = (min(s for s, _ in a.content), max(e for _, e in a.content))
            contents = content_candidates(tok, gold_source, facts)
            if gold_source is not None:
                contents = [c for c in contents if c.end <= gold_source.start or c.start >= gold_source.end]
            f1s = [_char_f1(_chars(doc, c), hull) for c in contents]
            if not f1s or max(f1s) < 0.2:
                continue
            stats["content_found"] += 1
            best = int(np.argmax(f1s))
            for j, c in enumerate(contents):
                content.add(content_features(tok, c, facts), int(j == best), d, query)
    return cue, source, content, stats


def _int32(matrix: Any) -> Any:
    """liblinear takes only 32-bit sparse indices; recent SciPy builds 64-bit ones."""
    csr = matrix.tocsr()
    csr.indices = csr.indices.astype(np.int32)
    csr.indptr = csr.indptr.astype(np.int32)
    return csr


def _vectorised(rows: Rows) -> tuple[DictVectorizer, Any]:
    """The rows as a sparse matrix over the features seen at least MIN_COUNT times."""
    counts: dict[str, int] = {}
    for x in rows.x:
        for k in x:
            counts[k] = counts.get(k, 0) + 1
    kept = [{k: v for k, v in x.items() if counts[k] >= MIN_COUNT} for x in rows.x]
    vec = DictVectorizer()
    return vec, vec.fit_transform(kept)


def fit(rows: Rows, c: float) -> tuple[DictVectorizer, LogisticRegression]:
    vec, matrix = _vectorised(rows)
    model = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0)
    model.fit(_int32(matrix), np.asarray(rows.y))
    return vec, model


def fit_ranker(rows: Rows, c: float) -> tuple[DictVectorizer, np.ndarray]:
    """Weights of a softmax over each cue's candidates (conditional logit): maximise the probability
    the gold candidates get against their rivals, L2-penalised as liblinear's C does (1 / (2C))."""
    vec, sparse = _vectorised(rows)
    matrix = sparse.tocsr().astype(np.float64)
    queries = np.asarray(rows.query)
    gold = np.asarray(rows.y, dtype=np.float64)
    _, inverse = np.unique(queries, return_inverse=True)
    n_queries = int(inverse.max()) + 1
    has_gold = np.bincount(inverse, weights=gold, minlength=n_queries) > 0

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = matrix @ w
        peak = np.full(n_queries, -np.inf)
        np.maximum.at(peak, inverse, z)
        e = np.exp(z - peak[inverse])
        total = np.bincount(inverse, weights=e, minlength=n_queries)
        good = np.bincount(inverse, weights=e * gold, minlength=n_queries)
        value = -np.sum(np.log(good[has_gold]) - np.log(total[has_gold]))
        share_all = e / total[inverse]
        share_gold = np.where(gold > 0, e / np.maximum(good[inverse], 1e-300), 0.0)
        weight = np.where(has_gold[inverse], share_all - share_gold, 0.0)
        grad = matrix.T @ weight
        return float(value + w @ w / (2 * c)), np.asarray(grad + w / c)

    result = minimize(loss, np.zeros(matrix.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return vec, np.asarray(result.x)


def export(vec: DictVectorizer, weights: np.ndarray, bias: float = 0.0) -> dict[str, object]:
    """Sparse JSON weights: every feature whose weight rounds to something, and the bias."""
    names = vec.get_feature_names_out()
    kept = {str(n): round(float(w), 4) for n, w in zip(names, weights, strict=True) if abs(w) >= 5e-4}
    return {"weights": dict(sorted(kept.items())), "bias": round(float(bias), 4)}


def cue_threshold(rows: Rows, folds: int = 3) -> tuple[float, dict[str, float]]:
    """The probability cut that maximises out-of-fold cue F1."""
    group = np.asarray(rows.group)
    y = np.asarray(rows.y)
    prob = np.zeros(len(y))
    for f in range(folds):
        test = group % folds == f
        train = Rows()
        for i in np.flatnonzero(~test):
            train.x.append(rows.x[i])
            train.y.append(rows.y[i])
        vec, model = fit(train, C["cue"])
        prob[test] = model.predict_proba(_int32(vec.transform([rows.x[i] for i in np.flatnonzero(test)])))[:, 1]
    best = (0.0, 0.5, 0.0, 0.0)
    for t in np.arange(0.2, 0.81, 0.025):
        pred = prob >= t
        tp = float(np.sum(pred & (y == 1)))
        p = tp / max(1, int(pred.sum()))
        r = tp / max(1, int(y.sum()))
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best[0]:
            best = (f1, float(round(t, 3)), p, r)
    return best[1], {"f1": round(best[0], 4), "precision": round(best[2], 4), "recall": round(best[3], 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the polnear folder of ../shared/eval")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    gold, docs = parsed_split(args.data / "train")
    cue, source, content, stats = examples(gold, docs)
    print(f"examples: cue {len(cue.y)} source {len(source.y)} content {len(content.y)} {stats}", flush=True)
    threshold, cv = cue_threshold(cue)
    print(f"cue threshold {threshold} out-of-fold {cv}", flush=True)
    spec: dict[str, object] = {
        "feature_version": FEATURE_VERSION,
        "cue_threshold": threshold,
        "training": {
            "command": COMMAND,
            "data": "PolNeAR train (../shared/eval/polnear/train), first annotator per article",
            "data_sha256": split_digest(gold),
            "documents": len(gold),
            "examples": {"cue": len(cue.y), "source": len(source.y), "content": len(content.y)},
            "gold": stats,
            "C": C,
            "cue_out_of_fold": cv,
        },
    }
    vec, model = fit(cue, C["cue"])
    spec["cue"] = export(vec, model.coef_[0], float(model.intercept_[0]))
    for name, rows in (("source", source), ("content", content)):
        spec[name] = export(*fit_ranker(rows, C[name]))
    write_model(args.out, spec, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
