"""The stance index grown with an ingest batch's new claims links exactly as one built from scratch."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.conftest import ingest_jsonl
from watchfloor.extract.stance import StanceIndex, StanceInput
from watchfloor.store.sqlite_claims import stance_index
from watchfloor.workspace import Workspace

SUBJECTS = ("iskp", "ttp", "taliban", "aqap")
FIRST = (
    '"The Islamic State Khorasan Province will attack Kabul again before the winter," a Western diplomat said. '
    'Taliban spokesman Zabihullah Mujahid said: "The Islamic State Khorasan Province has been defeated in Nangarhar."'
)
SECOND = (
    '"The Islamic State Khorasan Province will not be able to strike Kabul this year," an Afghan analyst said. '
    "A United Nations report said the Tehrik-i-Taliban Pakistan is likely to expand its attacks in Khyber Pakhtunkhwa."
)


def _pool(n: int, seed: int) -> list[StanceInput]:
    rng = np.random.default_rng(seed)
    themes = rng.normal(size=(6, 16))
    claims = []
    for i in range(n):
        # Claims on one theme are paraphrases (similar vectors); the sign and subjects vary.
        vector = themes[i % 6] + rng.normal(scale=0.25, size=16)
        vector = (vector / np.linalg.norm(vector)).astype(np.float16)
        about = frozenset(rng.choice(SUBJECTS, size=int(rng.integers(1, 3)), replace=False).tolist())
        kind = "responsibility" if i % 11 == 0 else "forecast"
        claims.append(StanceInput(i + 1, f"speaker {i % 7}", about, f"claim {i}", bool(i % 3 == 0), kind, vector))
    return claims


def test_extended_index_links_like_a_full_build() -> None:
    pool = _pool(240, seed=3)
    full = StanceIndex(pool)
    grown = StanceIndex(pool[:150]).extended(pool[150:200]).extended(pool[200:])
    agreeing = 0
    for claim in pool:
        expected = full.links(claim.id)
        assert grown.links(claim.id) == expected
        agreeing += len(expected[0])
    assert agreeing > 100  # the pool has links to compare at all


def test_old_claims_see_links_to_new_ones() -> None:
    pool = _pool(60, seed=5)
    first = StanceIndex(pool[:40])
    before = first.links(pool[0].id)  # cached in the first index
    grown = first.extended(pool[40:])
    after = grown.links(pool[0].id)
    assert after == StanceIndex(pool).links(pool[0].id)
    assert len(after[0]) + len(after[1]) >= len(before[0]) + len(before[1])


def test_claims_without_vectors_fall_back_to_a_full_build() -> None:
    pool = _pool(30, seed=9)
    plain = StanceInput(31, "speaker x", frozenset({"iskp"}), "claim 30 iskp attack", False, "forecast", None)
    grown = StanceIndex(pool).extended([plain])
    assert grown.links(31) == StanceIndex([*pool, plain]).links(31)


def test_a_pool_with_plain_claims_grows_its_lexical_index_too() -> None:
    pool = _pool(80, seed=11)
    plain = [
        StanceInput(81 + k, f"speaker p{k}", frozenset({"iskp"}), text, k == 1, "forecast", None)
        for k, text in enumerate(
            ("iskp will attack kabul airport again", "iskp will not attack kabul airport", "taliban talks stall")
        )
    ]
    first = [*pool[:60], plain[0]]
    later = [*pool[60:], *plain[1:]]
    later = [StanceInput(c.id + 100, c.speaker, c.about, c.text, c.negative, c.kind, c.vector) for c in later]
    every = [*first, *later]
    grown = StanceIndex(first).extended(later)
    full = StanceIndex(every)
    assert grown.postings  # lexical index kept and grown, not rebuilt
    for claim in every:
        assert grown.links(claim.id) == full.links(claim.id)
    assert grown.links(plain[0].id) != ([], [])  # the two plain airport claims meet lexically


def test_the_store_index_follows_claims_added_while_it_is_read(tmp_path: Path) -> None:
    """Claims committed by an ingest batch extend the held index; it never holds a claim twice."""
    db = ingest_jsonl(tmp_path, "first", [{"text": FIRST, "title": "One", "published": "2024-05-01"}])
    with Workspace(db) as ws:
        before = stance_index(ws.repo.conn)
        later = tmp_path / "later"
        later.mkdir()
        ingest_jsonl(later, "second", [{"text": SECOND, "title": "Two", "published": "2024-05-02"}], db=db)
        after = stance_index(ws.repo.conn)
        ids = [c.id for c in after.claims]
        stored = [int(r[0]) for r in ws.repo.conn.execute("SELECT id FROM claims ORDER BY id")]
    assert len(before.claims) >= 1 and len(stored) > len(before.claims)
    assert ids == stored  # every claim once, in id order


def test_the_store_index_forgets_claims_of_a_removed_document(tmp_path: Path) -> None:
    """Re-extraction removes a document (and its claims) before writing it again: the held index must not
    keep claims that are gone, though no claim with a higher id arrived."""
    from watchfloor.store.sqlite_reprocess import delete_document_facts

    db = ingest_jsonl(
        tmp_path,
        "both",
        [
            {"text": FIRST, "title": "One", "published": "2024-05-01"},
            {"text": SECOND, "title": "Two", "published": "2024-05-02"},
        ],
    )
    with Workspace(db) as ws:
        conn = ws.repo.conn
        before = stance_index(conn)
        first_doc = conn.execute("SELECT doc_id FROM claims ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute("BEGIN")
        delete_document_facts(conn, first_doc)
        conn.execute("COMMIT")
        after = stance_index(conn)
        stored = [int(r[0]) for r in conn.execute("SELECT id FROM claims ORDER BY id")]
    assert len(stored) < len(before.claims)
    assert [c.id for c in after.claims] == stored
