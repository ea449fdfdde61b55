"""Train the relation classifier on the tuning part of re3d; the held-out part is never read here.

    python -m training.relations.train --data ../shared/eval/re3d --out watchfloor/models/relations

re3d ships no train split (three of its seven sources are here, as a development set), so its
documents are split by ``watchfloor.eval.re3d.splits`` (per source, every third document by a hash
of its id is held out). Candidates are the pairs of argument phrases of a sentence
(``watchfloor.extract.relation_model``); a pair is labelled with the gold relation whose source and
target spans it covers best (FightingAgainst -> hostile_to, AlliesOf -> allied_with, BelongsTo ->
member_of, InChargeOf -> leads, with the direction for the last two), else "none". One multinomial
L2 logistic regression (lbfgs, fixed seed) over one-hot features seen at least twice; C and the
probability threshold are chosen by 3-fold cross-validation by document on the tuning part.
Deterministic: same data, same parses, same weights.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc

from training.common import write_model
from training.relations.corpus import corpus_digest, parsed_corpus
from watchfloor.eval.re3d import Re3dDoc, overlaps, splits
from watchfloor.extract.info import entity_info, kind_lookup
from watchfloor.extract.relation_model import (
    CLASSES,
    FEATURE_VERSION,
    Argument,
    DocFacts,
    arguments,
    candidate_pairs,
    mention_spans,
    pair_features,
)
from watchfloor.extract.relations import _Index, load_relation_lexicon, rule_pair_map, rule_triples
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import load_gazetteer
from watchfloor.link.places import load_place_index

COMMAND = "python -m training.relations.train --data ../shared/eval/re3d --out watchfloor/models/relations"
GOLD_CLASS = {
    "FightingAgainst": "hostile_to",
    "AlliesOf": "allied_with",
    "BelongsTo": "member_of",
    "InChargeOf": "leads",
}
SYMMETRIC = frozenset({"hostile_to", "allied_with"})
MIN_COUNT = 2
C_GRID = (0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.1, 0.61, 0.05))


@dataclass
class Rows:
    x: list[dict[str, int]] = field(default_factory=list)
    y: list[str] = field(default_factory=list)
    group: list[int] = field(default_factory=list)
    unreachable: dict[int, int] = field(default_factory=dict)  # doc -> gold relations no pair covers


def _shared(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _best(args: list[Argument], doc: Doc, span: tuple[int, int]) -> Argument | None:
    scored = [(_shared(a.chars(doc), span), -a.start, a) for a in args if overlaps(a.chars(doc), span)]
    return max(scored, key=lambda x: (x[0], x[1]))[2] if scored else None


def examples(gold: list[Re3dDoc], docs: list[Doc], keep: set[str]) -> Rows:
    """Labelled candidate pairs of the documents whose id is in ``keep``."""
    gazetteer = load_gazetteer()
    linker = Linker(gazetteer, load_place_index())
    lex = load_relation_lexicon()
    lexicon = lex.features
    rows = Rows()
    for d, (g, doc) in enumerate(zip(gold, docs, strict=True)):
        if g.doc_id not in keep:
            continue
        linked = linker.link(doc)
        kind_of = kind_lookup(entity_info(gazetteer, linked.entities))
        index = _Index(doc, linked.mentions, kind_of)
        spans = mention_spans(doc, linked.mentions)
        facts = DocFacts(doc)
        labels: dict[tuple[int, int], str] = {}
        reached = 0
        for sent in doc.sents:
            args = arguments(sent, spans, kind_of, facts)
            for r in g.relations:
                if not (sent.start_char <= r.source[0] < sent.end_char):
                    continue
                a, b = _best(args, doc, r.source), _best(args, doc, r.target)
                if a is None or b is None or a is b:
                    continue
                cls = GOLD_CLASS[r.type]
                first, second = (a, b) if a.start < b.start else (b, a)
                label = cls if cls in SYMMETRIC else f"{cls}{'>' if first is a else '<'}"
                labels.setdefault((first.head, second.head), label)
            rules = rule_triples(sent, index, lex)
            rule_pairs = rule_pair_map(doc, args, rules)
            for a, b, between in candidate_pairs(args):
                feats = pair_features(facts, a, b, lexicon, rule_pairs, between)
                if feats is None:
                    continue
                y = labels.get((a.head, b.head), "none")
                reached += y != "none"
                rows.x.append(dict.fromkeys(feats, 1))
                rows.y.append(y)
                rows.group.append(d)
        rows.unreachable[d] = len(g.relations) - reached
    return rows


def fit(x: list[dict[str, int]], y: list[str], c: float) -> tuple[DictVectorizer, LogisticRegression]:
    counts: dict[str, int] = {}
    for row in x:
        for k in row:
            counts[k] = counts.get(k, 0) + 1
    kept = [{k: v for k, v in row.items() if counts[k] >= MIN_COUNT} for row in x]
    vec = DictVectorizer()
    matrix = vec.fit_transform(kept)
    model = LogisticRegression(C=c, max_iter=3000, random_state=0)
    model.fit(matrix, np.asarray(y))
    return vec, model


def _decide(prob: np.ndarray, classes: list[str], threshold: float) -> list[str]:
    none = classes.index("none")
    masked = prob.copy()
    masked[:, none] = -1
    best = masked.argmax(axis=1)
    return [classes[k] if masked[i, k] >= threshold else "none" for i, k in enumerate(best)]


def _prf(pred: list[str], gold: list[str], unreachable: int) -> dict[str, float]:
    tp = sum(1 for p, g in zip(pred, gold, strict=True) if p != "none" and p == g)
    n_pred = sum(1 for p in pred if p != "none")
    n_gold = sum(1 for g in gold if g != "none") + unreachable
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def cross_validate(rows: Rows, folds: int = 3) -> tuple[float, float, dict[str, object]]:
    """(C, threshold) with the best out-of-fold pair F1 (unreachable gold relations count as misses)."""
    group = np.asarray(rows.group)
    docs = sorted(set(rows.group))
    fold_of = {d: k % folds for k, d in enumerate(docs)}
    fold = np.asarray([fold_of[g] for g in group])
    unreachable = sum(rows.unreachable.values())
    best: tuple[float, float, float, dict[str, float]] = (-1.0, 0.0, 0.0, {})
    table: dict[str, object] = {}
    for c in C_GRID:
        classes = sorted(set(rows.y))
        prob = np.zeros((len(rows.y), len(classes)))
        for f in range(folds):
            train = np.flatnonzero(fold != f)
            test = np.flatnonzero(fold == f)
            vec, model = fit([rows.x[i] for i in train], [rows.y[i] for i in train], c)
            part = model.predict_proba(vec.transform([rows.x[i] for i in test]))
            for k, cls in enumerate(model.classes_):
                prob[test, classes.index(str(cls))] = part[:, k]
        for t in THRESHOLDS:
            scores = _prf(_decide(prob, classes, t), rows.y, unreachable)
            table[f"C={c} t={t}"] = scores
            if scores["f1"] > best[0]:
                best = (scores["f1"], c, t, scores)
    return best[1], best[2], {"best": best[3], "grid": table}


def export(vec: DictVectorizer, model: LogisticRegression) -> tuple[dict[str, dict[str, float]], list[float]]:
    names = vec.get_feature_names_out()
    classes = [str(c) for c in model.classes_]
    weights: dict[str, dict[str, float]] = {}
    for j, name in enumerate(names):
        row = {cls: round(float(model.coef_[k][j]), 4) for k, cls in enumerate(classes)}
        row = {cls: w for cls, w in row.items() if abs(w) >= 5e-4}
        if row:
            weights[str(name)] = row
    bias_of = {cls: float(model.intercept_[k]) for k, cls in enumerate(classes)}
    bias = [round(bias_of.get(cls, -30.0), 4) for cls in CLASSES]  # a class never seen is never predicted
    return dict(sorted(weights.items())), bias


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the re3d folder of ../shared/eval")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    gold, docs = parsed_corpus(args.data)
    split = splits(gold)
    tune = {d.doc_id for d in gold if split[d.doc_id] == "tune"}
    tune_docs = [d for d in gold if d.doc_id in tune]
    rows = examples(gold, docs, tune)
    positives = {c: rows.y.count(c) for c in CLASSES}
    print(f"examples {len(rows.y)} {positives} unreachable {sum(rows.unreachable.values())}", flush=True)
    c, threshold, cv = cross_validate(rows)
    print(f"C {c} threshold {threshold} out-of-fold {cv['best']}", flush=True)
    vec, model = fit(rows.x, rows.y, c)
    weights, bias = export(vec, model)
    spec: dict[str, object] = {
        "feature_version": FEATURE_VERSION,
        "classes": list(CLASSES),
        "threshold": threshold,
        "bias": bias,
        "training": {
            "command": COMMAND,
            "data": "re3d tuning part (../shared/eval/re3d: BBC Online, CENTCOM, Wikipedia; "
            "watchfloor.eval.re3d.splits), the held-out part never read",
            "data_sha256": corpus_digest(tune_docs),
            "documents": len(tune_docs),
            "heldout_documents": sorted(d.doc_id for d in gold if d.doc_id not in tune),
            "examples": len(rows.y),
            "positives": positives,
            "gold_relations_no_candidate_pair": sum(rows.unreachable.values()),
            "C": c,
            "min_count": MIN_COUNT,
            "out_of_fold_pairs": cv["best"],
        },
        "weights": weights,
    }
    write_model(args.out, spec, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
