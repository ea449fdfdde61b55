"""Agreement and contradiction between claims by different speakers about the same subject.

Two claims are about the same subject when they name a common actor or place and share enough
content words; they agree when both assert it and contradict when one asserts what the other
negates (a denial, an "unlikely" band, or a negated clause). Pure: claims in, links out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from watchfloor.extract.claims_lexicon import load_claims_lexicon

_WORD = re.compile(r"[a-z][a-z'-]{2,}")
MIN_SHARED = 0.12
MIN_SHARED_ALONE = 0.25


@dataclass(frozen=True)
class StanceInput:
    id: int
    speaker: str  # entity key, or the speaker's words when unlinked
    about: frozenset[str]
    text: str
    negative: bool
    kind: str


def content_words(text: str) -> frozenset[str]:
    """Lower-case content words, crudely stemmed so that "attacks" meets "attack"."""
    stop = load_claims_lexicon().stance_stopwords
    return frozenset(w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in stop)


def same_subject(a: StanceInput, b: StanceInput) -> bool:
    """A shared actor or place with some shared content words, or many shared content words."""
    wa, wb = content_words(a.text), content_words(b.text)
    if not wa or not wb:
        return False
    overlap = len(wa & wb) / len(wa | wb)
    return overlap >= MIN_SHARED_ALONE or (bool(a.about & b.about) and overlap >= MIN_SHARED)


def stance_links(claims: Sequence[StanceInput]) -> dict[int, tuple[list[int], list[int]]]:
    """For each claim id: (ids it agrees with, ids it contradicts), symmetric."""
    links: dict[int, tuple[list[int], list[int]]] = {c.id: ([], []) for c in claims}
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if a.speaker == b.speaker or "responsibility" in (a.kind, b.kind) or not same_subject(a, b):
                continue
            slot = 0 if a.negative == b.negative else 1
            links[a.id][slot].append(b.id)
            links[b.id][slot].append(a.id)
    return links


class StanceIndex:
    """Stance links of a few claims against a large pool, without comparing every pair in Python.

    Any linked pair shares at least one content word, so shared-word counts come from an inverted index
    (numpy ``bincount`` over the postings of the claim's words) and the overlap test runs on arrays; only
    candidates above the lower overlap threshold are checked one by one. The result for a claim equals what
    :func:`stance_links` gives over the whole pool.
    """

    def __init__(self, pool: Sequence[StanceInput]) -> None:
        self.claims = sorted(pool, key=lambda c: c.id)
        self.position = {c.id: i for i, c in enumerate(self.claims)}
        words = [content_words(c.text) for c in self.claims]
        self.words = words
        self.sizes = np.array([len(w) for w in words], dtype=np.float64)
        speakers: dict[str, int] = {}
        self.speaker = np.array([speakers.setdefault(c.speaker, len(speakers)) for c in self.claims], dtype=np.int64)
        self.responsibility = np.array([c.kind == "responsibility" for c in self.claims], dtype=bool)
        self.negative = np.array([c.negative for c in self.claims], dtype=bool)
        self.ids = np.array([c.id for c in self.claims], dtype=np.int64)
        about: dict[str, list[int]] = {}
        for i, c in enumerate(self.claims):
            for key in c.about:
                about.setdefault(key, []).append(i)
        self.about = {k: np.array(ix, dtype=np.int64) for k, ix in about.items()}
        lists: dict[str, list[int]] = {}
        for i, ws in enumerate(words):
            for word in ws:
                lists.setdefault(word, []).append(i)
        self.postings = {w: np.array(ix, dtype=np.int64) for w, ix in lists.items()}
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def links(self, claim_id: int, cap: int | None = None) -> tuple[list[int], list[int]]:
        """(ids it agrees with, ids it contradicts), in id order; at most ``cap`` of each."""
        agree, contra = self.link_arrays(claim_id)
        return agree[:cap].tolist(), contra[:cap].tolist()

    def counts(self, claim_id: int) -> tuple[int, int]:
        agree, contra = self.link_arrays(claim_id)
        return len(agree), len(contra)

    def link_arrays(self, claim_id: int) -> tuple[np.ndarray, np.ndarray]:
        """Computed once per claim while the pool is unchanged (analysts come back to the same pages)."""
        found = self._cache.get(claim_id)
        if found is None:
            if len(self._cache) > 100_000:
                self._cache.clear()
            found = self._cache[claim_id] = self._compute(claim_id)
        return found

    def _compute(self, claim_id: int) -> tuple[np.ndarray, np.ndarray]:
        i = self.position.get(claim_id)
        empty = np.zeros(0, dtype=np.int64)
        if i is None or self.claims[i].kind == "responsibility" or not self.words[i]:
            return empty, empty
        a = self.claims[i]
        shared = np.bincount(
            np.concatenate([self.postings[w] for w in self.words[i]]), minlength=len(self.claims)
        ).astype(np.float64)
        overlap = shared / np.maximum(self.sizes[i] + self.sizes - shared, 1.0)
        keep = (overlap >= MIN_SHARED) & (self.speaker != self.speaker[i]) & ~self.responsibility
        keep[i] = False
        same_subject = overlap >= MIN_SHARED_ALONE
        for key in a.about:
            same_subject[self.about[key]] = True  # a shared actor lowers the bar to MIN_SHARED
        keep &= same_subject
        same_stance = self.negative == a.negative
        return self.ids[keep & same_stance], self.ids[keep & ~same_stance]
