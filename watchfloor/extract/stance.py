"""Agreement and contradiction between claims by different speakers about the same subject.

By meaning (the default when a claim has an embedding): two claims about a common linked actor or
place are compared by the cosine of their MiniLM sentence embeddings (``watchfloor.nlp.embed``,
computed once at ingest and stored per claim); when they say much the same thing (cosine at or above
:data:`RELATED`) they *agree* if both point the same way and *contradict* if one expects what the
other denies or rates unlikely (:func:`watchfloor.extract.forecast.direction`: negation, denial,
ICD-203 band at or below "unlikely", "the likelihood … is small"). Only claims that share a subject
are compared, so an index keyed by subject keeps the work per claim small.

By words (the fallback for claims stored without an embedding, and the baseline of ``watchfloor eval
stance``): two claims are about the same subject when they name a common actor or place and share
enough content words; they agree when both assert it and contradict when one asserts what the other
negates. Pure: claims in, links out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from watchfloor.extract.claims_lexicon import load_claims_lexicon

_WORD = re.compile(r"[a-z][a-z'-]{2,}")
MIN_SHARED = 0.12
MIN_SHARED_ALONE = 0.25
# Cosine of two claims' embeddings from which they are taken to say the same thing (or its opposite).
# Chosen on the dev part of the annotated real pair set (``watchfloor eval stance``), never the held-out part.
RELATED = 0.6


@dataclass(frozen=True)
class StanceInput:
    id: int
    speaker: str  # entity key, or the speaker's words when unlinked
    about: frozenset[str]
    text: str
    negative: bool
    kind: str
    vector: np.ndarray | None = None  # unit sentence embedding (float16 or float32), None when not computed
    direction: int = 0  # +1 expects / -1 denies or rates unlikely; 0: from ``negative``

    @property
    def sign(self) -> int:
        return self.direction or (-1 if self.negative else 1)


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


def semantic_stance(a: StanceInput, b: StanceInput, related: float = RELATED) -> str | None:
    """Agree, contradict or None (unrelated) for two claims that both have embeddings."""
    if a.vector is None or b.vector is None:
        raise ValueError("semantic_stance needs both embeddings")
    similarity = float(np.dot(a.vector.astype(np.float32), b.vector.astype(np.float32)))
    if similarity < related:
        return None
    return "agree" if a.sign == b.sign else "contradict"


def lexical_stance(a: StanceInput, b: StanceInput) -> str | None:
    """The word-overlap rule (the fallback, and the baseline the semantic rule is measured against)."""
    if not same_subject(a, b):
        return None
    return "agree" if a.sign == b.sign else "contradict"


def _comparable(a: StanceInput, b: StanceInput) -> bool:
    return a.speaker != b.speaker and "responsibility" not in (a.kind, b.kind)


def stance_links(claims: Sequence[StanceInput]) -> dict[int, tuple[list[int], list[int]]]:
    """For each claim id: (ids it agrees with, ids it contradicts), symmetric.

    Semantic when both claims have embeddings (and share a linked subject), lexical otherwise.
    """
    links: dict[int, tuple[list[int], list[int]]] = {c.id: ([], []) for c in claims}
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if not _comparable(a, b):
                continue
            if a.vector is not None and b.vector is not None:
                found = semantic_stance(a, b) if a.about & b.about else None
            else:
                found = lexical_stance(a, b)
            if found is not None:
                slot = 0 if found == "agree" else 1
                links[a.id][slot].append(b.id)
                links[b.id][slot].append(a.id)
    return links


def _grown(lists: dict[str, np.ndarray], added: Iterable[tuple[int, Iterable[str]]]) -> dict[str, np.ndarray]:
    """Posting lists (key → positions) with new positions appended; the lists not touched are shared."""
    more: dict[str, list[int]] = {}
    for position, keys in added:
        for key in keys:
            more.setdefault(key, []).append(position)
    out = dict(lists)
    for key, ix in more.items():
        out[key] = np.concatenate([lists.get(key, np.zeros(0, dtype=np.int64)), np.array(ix, dtype=np.int64)])
    return out


class StanceIndex:
    """Stance links of a few claims against a large pool, without comparing every pair in Python.

    Claims with embeddings are compared with the claims that share a linked subject (postings per
    entity) in one matrix product. For pairs where a claim has no embedding (stores written before
    embeddings existed) the lexical rule applies: any linked pair shares a content word, so shared-word
    counts come from an inverted index (numpy ``bincount``) built only when such claims exist. The
    result for a claim equals what :func:`stance_links` gives over the whole pool.
    """

    def __init__(self, pool: Sequence[StanceInput], related: float = RELATED) -> None:
        self.claims = sorted(pool, key=lambda c: c.id)
        self.related = related
        self.position = {c.id: i for i, c in enumerate(self.claims)}
        speakers: dict[str, int] = {}
        self.speaker = np.array([speakers.setdefault(c.speaker, len(speakers)) for c in self.claims], dtype=np.int64)
        self._speakers = speakers
        self.responsibility = np.array([c.kind == "responsibility" for c in self.claims], dtype=bool)
        self.negative = np.array([c.negative for c in self.claims], dtype=bool)
        self.sign = np.array([c.sign for c in self.claims], dtype=np.int8)
        self.ids = np.array([c.id for c in self.claims], dtype=np.int64)
        self.has_vector = np.array([c.vector is not None for c in self.claims], dtype=bool)
        width = next((len(c.vector) for c in self.claims if c.vector is not None), 0)
        self.vectors = np.zeros((len(self.claims), width), dtype=np.float16)
        for i, c in enumerate(self.claims):
            if c.vector is not None:
                self.vectors[i] = c.vector
        about: dict[str, list[int]] = {}
        for i, c in enumerate(self.claims):
            for key in c.about:
                about.setdefault(key, []).append(i)
        self.about = {k: np.array(ix, dtype=np.int64) for k, ix in about.items()}
        self.words: list[frozenset[str]] = []
        self.sizes = np.zeros(0, dtype=np.float64)
        self.postings: dict[str, np.ndarray] = {}
        if not self.has_vector.all():
            self.words = [content_words(c.text) for c in self.claims]
            self.sizes = np.array([len(w) for w in self.words], dtype=np.float64)
            lists: dict[str, list[int]] = {}
            for i, ws in enumerate(self.words):
                for word in ws:
                    lists.setdefault(word, []).append(i)
            self.postings = {w: np.array(ix, dtype=np.int64) for w, ix in lists.items()}
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def extended(self, added: Sequence[StanceInput]) -> StanceIndex:
        """A new index holding these claims and ``added`` (newer claims: higher ids), built without
        redoing the arrays of the claims already held. Links are recomputed on demand (new claims can
        link to old ones). A full build when the old claims would need a lexical index they lack."""
        new = sorted(added, key=lambda c: c.id)
        if not new:
            return self
        width = self.vectors.shape[1]
        lexical = bool(self.postings) or any(c.vector is None for c in new)
        extendable = (
            bool(self.claims)
            and new[0].id > self.claims[-1].id
            and all(c.vector is None or len(c.vector) == width for c in new)
            and (bool(self.postings) or (bool(self.has_vector.all()) and not lexical))
        )
        if not extendable:
            return StanceIndex([*self.claims, *new], self.related)
        out = object.__new__(StanceIndex)
        base = len(self.claims)
        out.claims = [*self.claims, *new]
        out.related = self.related
        out.position = {**self.position, **{c.id: base + k for k, c in enumerate(new)}}
        out._speakers = dict(self._speakers)
        added_speakers = [out._speakers.setdefault(c.speaker, len(out._speakers)) for c in new]
        out.speaker = np.concatenate([self.speaker, np.array(added_speakers, dtype=np.int64)])
        out.responsibility = np.concatenate([self.responsibility, [c.kind == "responsibility" for c in new]])
        out.negative = np.concatenate([self.negative, [c.negative for c in new]])
        out.sign = np.concatenate([self.sign, np.array([c.sign for c in new], dtype=np.int8)])
        out.ids = np.concatenate([self.ids, np.array([c.id for c in new], dtype=np.int64)])
        out.has_vector = np.concatenate([self.has_vector, [c.vector is not None for c in new]])
        rows = np.zeros((len(new), width), dtype=np.float16)
        for k, c in enumerate(new):
            if c.vector is not None:
                rows[k] = c.vector
        out.vectors = np.concatenate([self.vectors, rows])
        out.about = _grown(self.about, ((base + k, c.about) for k, c in enumerate(new)))
        if lexical:
            words = [content_words(c.text) for c in new]
            out.words = [*self.words, *words]
            out.sizes = np.concatenate([self.sizes, np.array([len(w) for w in words], dtype=np.float64)])
            out.postings = _grown(self.postings, ((base + k, w) for k, w in enumerate(words)))
        else:
            out.words, out.sizes, out.postings = [], np.zeros(0, dtype=np.float64), {}
        out._cache = {}
        return out

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
        if i is None or self.claims[i].kind == "responsibility":
            return empty, empty
        a = self.claims[i]
        comparable = (self.speaker != self.speaker[i]) & ~self.responsibility
        comparable[i] = False
        keep = np.zeros(len(self.claims), dtype=bool)
        if self.has_vector[i] and a.about:
            same = np.unique(np.concatenate([self.about[k] for k in a.about]))
            same = same[comparable[same] & self.has_vector[same]]
            if len(same):
                sims = self.vectors[same].astype(np.float32) @ self.vectors[i].astype(np.float32)
                keep[same[sims >= self.related]] = True
        if self.postings and self.words[i]:
            lexical = self._lexical(i) & comparable
            if self.has_vector[i]:
                lexical &= ~self.has_vector  # pairs with both embeddings were judged by meaning
            keep |= lexical
        same_sign = self.sign == self.sign[i]
        return self.ids[keep & same_sign], self.ids[keep & ~same_sign]

    def _lexical(self, i: int) -> np.ndarray:
        a = self.claims[i]
        shared = np.bincount(
            np.concatenate([self.postings[w] for w in self.words[i]]), minlength=len(self.claims)
        ).astype(np.float64)
        overlap = shared / np.maximum(self.sizes[i] + self.sizes - shared, 1.0)
        keep = np.asarray(overlap >= MIN_SHARED, dtype=bool)
        same_subject = np.asarray(overlap >= MIN_SHARED_ALONE, dtype=bool)
        for key in a.about:
            same_subject[self.about[key]] = True  # a shared actor lowers the bar to MIN_SHARED
        result: np.ndarray = keep & same_subject
        return result
