"""Exact (normalised-text hash) and near-duplicate (MinHash LSH) detection.

datasketch (and through it scipy) takes about a second to import, so it is imported on first use:
commands that only read the store never load it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datasketch import MinHash

NUM_PERM = 128
LOAD_CHUNK = 50_000  # stored signatures hashed per step when the index is loaded
SHINGLE = 5
SCHEME = "affine32"  # datasketch 2's default; fixed so stored signatures stay comparable
_WORD = re.compile(r"\w+")


def text_hash(text: str) -> str:
    """Hash of the text with case, punctuation and spacing normalised away."""
    return hashlib.sha256(" ".join(_WORD.findall(text.lower())).encode()).hexdigest()


def minhash(text: str) -> MinHash:
    from datasketch import MinHash

    words = _WORD.findall(text.lower())
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, permutations=_permutations())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    m.update_batch([s.encode() for s in shingles])
    return m


@lru_cache(maxsize=1)
def _permutations() -> Any:
    """The seed's permutations, drawn once: drawing them is a sixth of the cost of one signature."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def to_bytes(m: MinHash) -> bytes:
    """The signature as stored: 32-bit values (the affine32 scheme never exceeds 2**32 - 1), 512 bytes."""
    import numpy as np

    return bytes(np.asarray(m.hashvalues, dtype="<u4").tobytes())


def from_bytes(data: bytes) -> MinHash:
    """A stored signature: 512 bytes (32-bit values), or 1024 (64-bit, as older stores kept them)."""
    from datasketch import MinHash

    rows = _signature_rows(data)
    return MinHash(num_perm=NUM_PERM, seed=1, hashvalues=rows, permutations=_permutations(), scheme=SCHEME)


def _signature_rows(data: bytes) -> Any:
    """A stored signature as a row of 32-bit values (512 bytes, or 1024 from older stores' 64-bit values)."""
    import numpy as np

    dtype = "<u8" if len(data) == NUM_PERM * 8 else "<u4"
    return np.frombuffer(data, dtype=dtype).astype(np.uint32)


class NearDuplicateIndex:
    """LSH over the signatures of the documents already stored (``load``) and those seen in this run (``add``).

    The banding is datasketch's for the threshold (9 bands of 13 values at 0.8 and 128 permutations), but
    the index keeps only one 64-bit hash per band and document, in sorted arrays, and asks ``fetch`` for a
    stored candidate's signature when a band matches. Holding a datasketch ``MinHash`` and LSH entry per
    stored document cost 6.9 GB and minutes of start-up in an ingest into a 1,000,000-document store.
    Candidates and scores are datasketch's: any equal band makes a candidate, its score is the share of
    equal values (``MinHash.jaccard``)."""

    def __init__(self, threshold: float = 0.8, fetch: Callable[[list[str]], dict[str, bytes]] | None = None) -> None:
        import numpy as np
        from datasketch import MinHashLSH

        self.threshold = threshold
        banding = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.bands, self.rows = int(banding.b), int(banding.r)
        self._multipliers = np.random.default_rng(0).integers(1, 2**63, size=self.rows, dtype=np.uint64) | np.uint64(1)
        self._fetch = fetch
        self._stored_ids: list[str] = []
        self._sorted: list[tuple[Any, Any]] = []  # per band: (sorted hashes, stored-document positions)
        self._stored_signatures: Any = None  # kept only when there is no ``fetch``
        self._added: dict[str, tuple[int, Any]] = {}  # this run's documents: id -> (order added, signature)
        self._added_bands: list[dict[int, list[str]]] = [{} for _ in range(self.bands)]

    def _band_hashes(self, signatures: Any) -> Any:
        """(documents, bands) 64-bit hashes of each band's values (equal values, equal hash)."""
        import numpy as np

        cut = signatures[:, : self.bands * self.rows].astype(np.uint64).reshape(-1, self.bands, self.rows)
        with np.errstate(over="ignore"):
            mixed = (cut * self._multipliers).sum(axis=2, dtype=np.uint64)
        return mixed ^ (mixed >> np.uint64(29))

    def load(self, stored: Iterable[tuple[str, bytes]]) -> None:
        """Index the signatures of documents already in the store (once, before ``add``), a chunk at a time
        so that a million signatures never sit in memory at once."""
        import numpy as np

        ids: list[str] = []
        hashes: list[Any] = []
        kept: list[Any] = []
        chunk: list[bytes] = []

        def flush() -> None:
            if not chunk:
                return
            if all(len(blob) == NUM_PERM * 4 for blob in chunk):
                signatures = np.frombuffer(b"".join(chunk), dtype="<u4").reshape(len(chunk), NUM_PERM)
            else:
                signatures = np.vstack([_signature_rows(blob) for blob in chunk])
            hashes.append(self._band_hashes(signatures))
            if self._fetch is None:
                kept.append(signatures.astype(np.uint32))
            chunk.clear()

        for doc_id, blob in stored:
            ids.append(doc_id)
            chunk.append(bytes(blob))
            if len(chunk) == LOAD_CHUNK:
                flush()
        flush()
        if not ids:
            return
        every = np.concatenate(hashes)
        self._stored_ids = ids
        self._sorted = []
        for band in range(self.bands):
            order = np.argsort(every[:, band], kind="stable")
            self._sorted.append((every[order, band], order))
        self._stored_signatures = np.concatenate(kept) if kept else None

    def add(self, doc_id: str, m: MinHash) -> None:
        """Index a document of this run."""
        import numpy as np

        if doc_id in self._added:
            return
        signature = np.asarray(m.hashvalues, dtype=np.uint32)
        self._added[doc_id] = (len(self._added), signature)
        for band, value in enumerate(self._band_hashes(signature[None, :])[0].tolist()):
            self._added_bands[band].setdefault(int(value), []).append(doc_id)

    def _candidates(self, signature: Any) -> tuple[set[int], set[str]]:
        """Positions of stored documents and ids of this run's documents sharing a band with ``signature``."""
        import numpy as np

        stored: set[int] = set()
        added: set[str] = set()
        for band, value in enumerate(self._band_hashes(signature[None, :])[0]):
            if self._sorted:
                hashes, positions = self._sorted[band]
                lo, hi = np.searchsorted(hashes, value, "left"), np.searchsorted(hashes, value, "right")
                stored.update(positions[lo:hi].tolist())
            added.update(self._added_bands[band].get(int(value), ()))
        return stored, added

    def best_match(self, m: MinHash) -> tuple[str, float] | None:
        """The most similar indexed document at or above the threshold (the earliest indexed on a tie)."""
        import numpy as np

        signature = np.asarray(m.hashvalues, dtype=np.uint32)
        stored, added = self._candidates(signature)
        found: list[tuple[str, Any]] = [(d, self._added[d][1]) for d in sorted(added, key=lambda d: self._added[d][0])]
        if stored:
            positions = sorted(stored)
            ids = [self._stored_ids[i] for i in positions]
            if self._stored_signatures is not None:
                found = [(doc_id, self._stored_signatures[i]) for doc_id, i in zip(ids, positions, strict=True)] + found
            elif self._fetch is not None:
                blobs = self._fetch(ids)
                found = [(doc_id, _signature_rows(blobs[doc_id])) for doc_id in ids if doc_id in blobs] + found
        best: tuple[str, float] | None = None
        for doc_id, other in found:
            score = float(np.count_nonzero(other == signature)) / NUM_PERM
            if score >= self.threshold and (best is None or score > best[1]):
                best = (doc_id, score)
        return best
