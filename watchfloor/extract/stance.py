"""Agreement and contradiction between claims by different speakers about the same subject.

Two claims are about the same subject when they name a common actor or place and share enough
content words; they agree when both assert it and contradict when one asserts what the other
negates (a denial, an "unlikely" band, or a negated clause). Pure: claims in, links out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

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
    """Stance links of a few claims against a large pool, without comparing every pair.

    Any linked pair shares at least one content word, so candidates come from an inverted index;
    the result for a claim equals what :func:`stance_links` gives over the whole pool.
    """

    def __init__(self, pool: Sequence[StanceInput]) -> None:
        self.by_id = {c.id: c for c in pool}
        self.postings: dict[str, list[int]] = {}
        for c in sorted(pool, key=lambda c: c.id):
            for word in content_words(c.text):
                self.postings.setdefault(word, []).append(c.id)

    def links(self, claim_id: int) -> tuple[list[int], list[int]]:
        """(ids it agrees with, ids it contradicts), in id order."""
        a = self.by_id.get(claim_id)
        agrees: list[int] = []
        contradicts: list[int] = []
        if a is None or a.kind == "responsibility":
            return agrees, contradicts
        candidates = sorted({i for w in content_words(a.text) for i in self.postings.get(w, ())} - {a.id})
        for other in candidates:
            b = self.by_id[other]
            if a.speaker == b.speaker or b.kind == "responsibility" or not same_subject(a, b):
                continue
            (agrees if a.negative == b.negative else contradicts).append(b.id)
        return agrees, contradicts
