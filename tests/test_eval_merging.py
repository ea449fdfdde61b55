"""Event-merging evaluation: pairwise scoring on hand-built units, the shipped labels, and the real run.

The whole run skips (with a message) when the public WikiEvents gold is not next to the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from watchfloor.eval.merging import Label, Unit, evaluate, load_labels, per_document_baseline, relation, score_units

WIKIEVENTS = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "wikievents"


def test_pairwise_scores_count_wrong_and_missed_merges() -> None:
    labels = {
        ("a", 0): [Label("kabul-1", None)],
        ("a", 1): [Label("kabul-2", None)],
        ("b", 0): [Label("kabul-1", None)],
        ("b", 1): [Label("kabul-1", None)],
    }
    # event e1 wrongly holds both Kabul bombings of document a; document b's two sentences are split
    units = [Unit("a", 0, "e1"), Unit("a", 1, "e1"), Unit("b", 0, "e2"), Unit("b", 1, "e3")]
    scores = score_units(units, labels)
    every = scores["all"]
    # same-incident pairs: a0-b0, a0-b1, b0-b1; merged pairs: a0-a1 only (wrong)
    assert (every.same, every.merged, every.merged_right) == (3, 1, 0)
    assert every.precision == 0.0 and every.recall == 0.0
    assert every.wrong_examples == ["a#0 kabul-1 + a#1 kabul-2"]
    across = scores["across_documents"]
    assert (across.same, across.merged) == (2, 0)

    right = score_units([Unit("a", 0, "x"), Unit("b", 0, "x"), Unit("b", 1, "x"), Unit("a", 1, "y")], labels)["all"]
    assert (right.merged, right.merged_right, right.same, right.same_merged) == (3, 3, 3, 3)
    assert right.precision == right.recall == 1.0


def test_part_of_pairs_are_not_counted_and_unlabelled_units_are_ignored() -> None:
    day, bus = [Label("belfast-1972-07-21", None)], [Label("belfast-bus-station", "belfast-1972-07-21")]
    assert relation(day, bus) == "part"
    assert relation(bus, [Label("belfast-bar", "belfast-1972-07-21")]) == "different"
    labels = {("d", 0): day, ("d", 1): bus}
    scores = score_units([Unit("d", 0, "e"), Unit("d", 1, "e"), Unit("d", 5, "e")], labels)["all"]
    assert (scores.merged, scores.same) == (0, 0)


def test_per_document_baseline_merges_within_and_never_across() -> None:
    units = per_document_baseline([Unit("a", 0, "e1"), Unit("a", 3, "e2"), Unit("b", 0, "e1")])
    assert units[0].cluster == units[1].cluster != units[2].cluster


def test_shipped_labels_cover_every_attack_mention() -> None:
    if not (WIKIEVENTS / "dev.jsonl").is_file():
        pytest.skip(f"WikiEvents gold not found at {WIKIEVENTS} (public data lives next to the repository)")
    mentions = {
        (row["doc_id"], e["id"])
        for line in (WIKIEVENTS / "dev.jsonl").read_text("utf-8").splitlines()
        if (row := json.loads(line))
        for e in row["event_mentions"]
        if e["event_type"].startswith("Conflict.Attack")
    }
    from importlib import resources

    rows = [
        json.loads(line)
        for line in resources.files("watchfloor")
        .joinpath("data/eval/wikievents_incidents.jsonl")
        .read_text()
        .splitlines()
        if line.strip()
    ]
    assert {(r["doc_id"], r["event_id"]) for r in rows} == mentions
    labels = load_labels()
    shared = {x.incident for ls in labels.values() for x in ls}
    assert len(shared) >= 10


def test_merging_on_wikievents_dev() -> None:
    if not (WIKIEVENTS / "dev.jsonl").is_file():
        pytest.skip(f"WikiEvents gold not found at {WIKIEVENTS} (public data lives next to the repository)")
    result = evaluate(WIKIEVENTS)
    ours, base = result["watchfloor"]["all"], result["baseline"]["all"]
    assert result["documents"] == 20 and result["run"]["analysed"] == 20
    assert result["run"]["evidence_not_located"] == 0
    assert result["units"] >= 30
    # the per-document baseline merges across documents never, so it cannot find a cross-document pair
    assert result["baseline"]["across_documents"]["merged_pairs"] == 0
    # watchfloor splits a document's distinct incidents the baseline lumps together
    assert ours["precision"] > base["precision"]
    assert ours["merged_pairs"] > 0
