"""Exact and near-duplicate detection."""

from __future__ import annotations

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
