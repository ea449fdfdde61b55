"""Train the event role filler on MUC-4 train (GRIT's 1,300 documents); dev is never read here.

    python -m training.roles.train --data ../shared/eval/muc4 --out watchfloor/models/roles

Candidates are the phrases of ``watchfloor.extract.roles.candidate_phrases`` on watchfloor's own parse
of the texts (GRIT's lower-cased texts, truecased first by ``watchfloor.nlp.truecase``). A phrase is
labelled with a role when its normalised text is one of that role's gold mentions in the document
(a phrase gold for two roles gives one row per role), else "none". One multinomial L2 logistic
regression (lbfgs, fixed seed) over one-hot features seen in at least two documents. C, the per-role
probability thresholds and the de-duplication of each role's fillers are chosen by 3-fold
cross-validation by document on train, scored with the official GRIT rule.
Deterministic: same data, same parses, same weights.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from training.common import write_model
from training.roles.corpus import file_digest, parsed_split, truecase_table_sha256
from watchfloor.eval.muc4 import GritDoc, score
from watchfloor.extract.relation_model import RelationModel
from watchfloor.extract.roles import (
    CLASSES,
    FEATURE_VERSION,
    ROLES,
    Phrase,
    RoleModel,
    candidate_phrases,
    phrase_key,
    predicted_entities,
)

COMMAND = "python -m training.roles.train --data ../shared/eval/muc4 --out watchfloor/models/roles"
MIN_DOCS = 2
C_GRID = (0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.1, 0.71, 0.05))
FOLDS = 3
CLUSTERS = 200


@dataclass
class Rows:
    x: list[dict[str, int]] = field(default_factory=list)
    y: list[str] = field(default_factory=list)
    doc: list[int] = field(default_factory=list)


def labelled(gold: list[GritDoc], phrases: list[list[Phrase]]) -> Rows:
    """One row per (document, phrase, label)."""
    rows = Rows()
    for k, (g, cands) in enumerate(zip(gold, phrases, strict=True)):
        roles_of: dict[str, list[str]] = {}
        for role in ROLES:
            for entity in g.gold[role]:
                for mention in entity:
                    roles_of.setdefault(phrase_key(mention), [])
                    if role not in roles_of[phrase_key(mention)]:
                        roles_of[phrase_key(mention)].append(role)
        for phrase in cands:
            feats = dict.fromkeys(sorted(phrase.features), 1)
            for label in roles_of.get(phrase.key, ["none"]):
                rows.x.append(feats)
                rows.y.append(label)
                rows.doc.append(k)
    return rows


def frequent_features(rows: Rows, keep: set[int]) -> set[str]:
    """Features seen in at least ``MIN_DOCS`` of the kept documents."""
    docs_of: dict[str, set[int]] = {}
    for feats, d in zip(rows.x, rows.doc, strict=True):
        if d in keep:
            for f in feats:
                docs_of.setdefault(f, set()).add(d)
    return {f for f, ds in docs_of.items() if len(ds) >= MIN_DOCS}


def fit(rows: Rows, keep: set[int], c: float) -> RelationModel:
    """A multinomial logistic regression on the rows of the kept documents, as a RelationModel."""
    vocab = frequent_features(rows, keep)
    x = [{f: 1 for f in feats if f in vocab} for feats, d in zip(rows.x, rows.doc, strict=True) if d in keep]
    y = [label for label, d in zip(rows.y, rows.doc, strict=True) if d in keep]
    vec = DictVectorizer()
    matrix = vec.fit_transform(x)
    clf = LogisticRegression(C=c, max_iter=2000, random_state=0)
    clf.fit(matrix, y)
    order = [list(clf.classes_).index(cls) for cls in CLASSES]
    coef = clf.coef_[order]
    weights: dict[str, dict[str, float]] = {}
    for j, name in enumerate(vec.get_feature_names_out()):
        row = {cls: round(float(coef[k, j]), 4) for k, cls in enumerate(CLASSES) if abs(coef[k, j]) >= 1e-4}
        if row:
            weights[str(name)] = row
    bias = tuple(round(float(clf.intercept_[k]), 4) for k in order)
    return RelationModel(CLASSES, weights, bias, 1.0)


def probabilities(model: RelationModel, phrases: list[Phrase]) -> np.ndarray:
    return RoleModel(model, {}).probabilities(phrases)


def choose_thresholds(
    gold: list[GritDoc], phrases: list[list[Phrase]], probs: list[np.ndarray]
) -> tuple[dict[str, float], float]:
    """Per role, the threshold with the best official F1 on the cross-validated probabilities."""
    thresholds: dict[str, float] = {}
    correct = predicted = total = 0
    for role in ROLES:
        best = (-1.0, 0.5, 0, 0, 0)
        for t in THRESHOLDS:
            only = {r: (t if r == role else 2.0) for r in ROLES}
            preds = {
                g.docid: predicted_entities(cands, p, only)
                for g, cands, p in zip(gold, phrases, probs, strict=True)
            }
            s = score(preds, gold)[role]
            if s.f1 > best[0]:
                best = (s.f1, t, s.correct, s.predicted, s.gold)
        thresholds[role] = float(best[1])
        correct, predicted, total = correct + best[2], predicted + best[3], total + best[4]
    p = correct / predicted if predicted else 0.0
    r = correct / total if total else 0.0
    return thresholds, (2 * p * r / (p + r) if p + r else 0.0)


def word_clusters(vectors: np.ndarray) -> tuple[int, ...]:
    """K-means clusters of the pipeline's word vectors (cosine: rows normalised), one id per row."""
    unit = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)
    labels = KMeans(CLUSTERS, n_init=1, random_state=0).fit(unit).labels_
    return tuple(int(x) for x in labels)


def alias_pairs(gold: list[GritDoc]) -> list[list[str]]:
    """Pairs of different names of one gold filler, seen in at least two training documents."""
    docs_of: Counter[tuple[str, str]] = Counter()
    for g in gold:
        pairs: set[tuple[str, str]] = set()
        for role in ROLES:
            for entity in g.gold[role]:
                keys = sorted({phrase_key(m) for m in entity} - {""})
                pairs.update((a, b) for i, a in enumerate(keys) for b in keys[i + 1 :])
        docs_of.update(pairs)
    return [list(pair) for pair, n in sorted(docs_of.items()) if n >= MIN_DOCS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/muc4"))
    parser.add_argument("--out", type=Path, default=Path("watchfloor/models/roles"))
    parser.add_argument("--c", type=float, action="append", help="regularisation strengths to try (default: a grid)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    path = args.data / "grit_train.jsonl"
    gold, docs = parsed_split(path)
    clusters = word_clusters(docs[0].vocab.vectors.data)
    phrases = [candidate_phrases(doc, clusters) for doc in docs]
    rows = labelled(gold, phrases)
    print(f"{len(gold)} documents, {len(rows.y)} rows, labels {dict(Counter(rows.y))}")
    folds = [set(range(f, len(gold), FOLDS)) for f in range(FOLDS)]
    best: tuple[float, float, dict[str, float]] = (-1.0, 1.0, {})
    for c in args.c or C_GRID:
        probs: list[np.ndarray] = [np.zeros(0)] * len(gold)
        for held in folds:
            model = fit(rows, set(range(len(gold))) - held, c)
            for k in held:
                probs[k] = probabilities(model, phrases[k])
        thresholds, f1 = choose_thresholds(gold, phrases, probs)
        print(f"C={c}: cross-validated official F1 {100 * f1:.1f} with thresholds {thresholds}")
        if f1 > best[0]:
            best = (f1, c, thresholds)
    f1, c, thresholds = best
    model = fit(rows, set(range(len(gold))), c)
    spec = {
        "feature_version": FEATURE_VERSION,
        "classes": list(CLASSES),
        "thresholds": thresholds,
        "bias": list(model.bias),
        "aliases": alias_pairs(gold),
        "clusters": list(clusters),
        "training": {
            "command": COMMAND,
            "data": "MUC-4 train, GRIT's split (DEV-MUC3-0001..1300); dev (TST1+TST2) never read",
            "data_sha256": file_digest(path),
            "truecasing": f"watchfloor/data/truecase/table.json.gz sha256 {truecase_table_sha256()}",
            "documents": len(gold),
            "rows": len(rows.y),
            "c": c,
            "cross_validated_official_f1": round(100 * f1, 2),
            "min_docs_per_feature": MIN_DOCS,
        },
        "weights": model.weights,
    }
    write_model(args.out, spec, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())

