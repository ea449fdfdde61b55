"""Exact and near-duplicate detection."""

from __future__ import annotations

import pytest

from watchfloor.ingest import dedup

STORY = (
    "A suicide bomber struck a crowded political rally in the Bajaur district of northwest Pakistan, "
    "killing at least 54 people and wounding nearly 200, officials said. The Islamic State's regional "
    "branch later claimed the attack, which targeted supporters of a religious party allied with the "
    "government. Police said the bomber detonated his vest near the stage as party leaders arrived, "
    "and ambulances carried the wounded to hospitals in Khar and Peshawar throughout the evening. "
    "The provincial government declared three days of mourning and announced compensation for the "
    "families of the dead. Security analysts in Islamabad said the choice of target suggested the "
    "militants wanted to punish clerics who had backed talks with the Afghan authorities, and warned "
    "that further attacks on election gatherings were likely in the weeks before the national vote."
)


def test_text_hash_ignores_case_spacing_and_punctuation() -> None:
    assert dedup.text_hash(STORY) == dedup.text_hash(STORY.upper().replace(" ", "  ").replace(",", ""))
    assert dedup.text_hash(STORY) != dedup.text_hash(STORY.replace("54", "55"))


def test_republished_story_with_new_header_and_footer_is_a_near_duplicate() -> None:
    index = dedup.NearDuplicateIndex(0.8)
    index.add("original", dedup.minhash(STORY))
    republished = "FRONTIER DAILY — Updated edition\n" + STORY + "\nCopyright Frontier Daily."
    match = index.best_match(dedup.minhash(republished))
    assert match is not None and match[0] == "original" and match[1] >= 0.8


def test_different_story_on_the_same_topic_is_not_a_duplicate() -> None:
    other = (
        "Gunmen attacked a police post in Khyber district overnight, killing three officers, in the "
        "latest of a series of raids that officials blamed on the Pakistani Taliban. The provincial "
        "government announced compensation for the families and ordered a review of security at "
        "checkpoints along the main road to the Afghan border crossing at Torkham."
    )
    index = dedup.NearDuplicateIndex(0.8)
    index.add("original", dedup.minhash(STORY))
    assert index.best_match(dedup.minhash(other)) is None


def test_minhash_round_trips_through_bytes() -> None:
    m = dedup.minhash(STORY)
    assert dedup.from_bytes(dedup.to_bytes(m)).jaccard(m) == 1.0


def _variants() -> list[tuple[str, str]]:
    """Stories and edited copies of them: some near duplicates, some not."""
    sentences = [s.strip() + "." for s in STORY.split(".") if s.strip()]
    out = []
    for k in range(len(sentences)):
        out.append((f"cut-{k}", " ".join(sentences[:k] + sentences[k + 1 :])))
        out.append((f"only-{k}", sentences[k]))
    return out


def test_stored_signatures_are_indexed_compactly_and_fetched_only_for_candidates() -> None:
    stored = {doc_id: dedup.to_bytes(dedup.minhash(text)) for doc_id, text in [*_variants(), ("original", STORY)]}
    asked: list[list[str]] = []

    def fetch(ids: list[str]) -> dict[str, bytes]:
        asked.append(ids)
        return {i: stored[i] for i in ids}

    index = dedup.NearDuplicateIndex(0.8, fetch)
    index.load(stored.items())
    match = index.best_match(dedup.minhash(STORY + " Officials gave no further details."))
    assert match is not None and match[0] == "original" and match[1] >= 0.8
    assert asked and all(len(ids) < len(stored) for ids in asked)
    asked.clear()
    unrelated = "Heavy rain closed the mountain road for a week and the harvest festival was postponed until spring."
    assert index.best_match(dedup.minhash(unrelated)) is None and sum(map(len, asked)) == 0


def test_the_compact_index_finds_what_datasketchs_lsh_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    from datasketch import MinHashLSH

    monkeypatch.setattr(dedup, "LOAD_CHUNK", 3)  # stored signatures hashed in several chunks

    docs = {doc_id: dedup.minhash(text) for doc_id, text in _variants()}
    lsh = MinHashLSH(threshold=0.8, num_perm=dedup.NUM_PERM)
    index = dedup.NearDuplicateIndex(0.8)
    half = sorted(docs)[: len(docs) // 2]
    index.load((doc_id, dedup.to_bytes(docs[doc_id])) for doc_id in half)
    for doc_id in sorted(docs):
        if doc_id not in half:
            index.add(doc_id, docs[doc_id])
    for doc_id in sorted(docs):
        lsh.insert(doc_id, docs[doc_id])
    queries = [dedup.minhash(STORY), *docs.values()]
    for query in queries:
        expected = {k for k in lsh.query(query) if query.jaccard(docs[k]) >= 0.8}
        best = index.best_match(query)
        if not expected:
            assert best is None
        else:
            assert best is not None and best[0] in expected
            assert best[1] == max(query.jaccard(docs[k]) for k in expected)
