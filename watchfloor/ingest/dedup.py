"""Exact (normalised-text hash) and near-duplicate (MinHash LSH) detection.

datasketch (and through it scipy) takes about a second to import, so it is imported on first use:
commands that only read the store never load it.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datasketch import MinHash

NUM_PERM = 128
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
    import numpy as np
    from datasketch import MinHash

    dtype = "<u8" if len(data) == NUM_PERM * 8 else "<u4"
    values = np.frombuffer(data, dtype=dtype).astype(np.uint32)
    return MinHash(num_perm=NUM_PERM, seed=1, hashvalues=values, scheme=SCHEME)


class NearDuplicateIndex:
    """LSH index over documents already stored (loaded at start) and those seen in this run."""

    def __init__(self, threshold: float = 0.8) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.hashes: dict[str, MinHash] = {}

    def add(self, doc_id: str, m: MinHash) -> None:
        if doc_id not in self.hashes:
            self.lsh.insert(doc_id, m)
            self.hashes[doc_id] = m

    def best_match(self, m: MinHash) -> tuple[str, float] | None:
        """The most similar indexed document at or above the threshold."""
        best: tuple[str, float] | None = None
        for key in self.lsh.query(m):
            score = float(m.jaccard(self.hashes[key]))
            if score >= self.threshold and (best is None or score > best[1]):
                best = (str(key), score)
        return best
