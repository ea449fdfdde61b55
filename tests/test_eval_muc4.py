"""The MUC-4 scorer (GRIT's CEAF-REE) on hand-made cases, and the filler on sentences written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.eval.muc4 import (
    ROLES,
    GritDoc,
    aligned_matches,
    fill_parsed,
    fit,
    load_grit,
    normalize_mention,
    score,
)

SHARED_MUC4 = Path(__file__).resolve().parents[2] / "shared" / "eval" / "muc4"


def test_mentions_match_without_case_or_leading_article() -> None:
    assert normalize_mention("The  Shining Path,") == "shining path"
    assert normalize_mention("an urban guerrilla") == "urban guerrilla"
    assert normalize_mention("theatre") == "theatre"


def test_alignment_is_one_to_one_and_any_mention_may_match() -> None:
    gold = [["farabundo marti national liberation front", "fmln"], ["eln"]]
    # two predicted entities both naming the FMLN: only one of them may be aligned to it
    assert aligned_matches([["fmln"], ["the fmln"]], gold) == 1
    assert aligned_matches([["fmln"], ["eln"]], gold) == 2
    # an entity whose second mention matches still counts; a wrong one does not
    assert aligned_matches([["rebels", "farabundo marti national liberation front"], ["army"]], gold) == 1
    # the matching must find the assignment that frees the other gold entity (augmenting path)
    assert aligned_matches([["fmln", "eln"], ["eln"]], gold) == 2


def test_micro_average_over_roles_and_documents() -> None:
    docs = [
        GritDoc("d1", "", {r: [] for r in ROLES} | {"Weapon": [["bomb"]], "Victim": [["jose perez"]]}),
        GritDoc("d2", "", {r: [] for r in ROLES} | {"PerpOrg": [["eln"]]}),
    ]
    predictions = {"d1": {"Weapon": [["bomb"], ["dynamite"]]}, "d2": {"PerpOrg": [["eln"]]}}
    result = score(predictions, docs)
    assert (result["all"].correct, result["all"].predicted, result["all"].gold) == (2, 3, 3)
    assert result["Victim"].recall == 0.0 and result["Weapon"].precision == 0.5
    assert round(result["all"].f1, 4) == round(2 / 3, 4)


def test_filler_learns_from_training_documents_written_here(nlp) -> None:  # type: ignore[no-untyped-def]
    def doc(docid: str, text: str, **gold: list[list[str]]) -> GritDoc:
        return GritDoc(docid, text, {r: gold.get(r, []) for r in ROLES})

    train = [
        doc(
            f"t{i}",
            f"urban guerrillas bombed the {place} in the capital yesterday. the police said that a bomb "
            "destroyed the building.",
            PerpInd=[["urban guerrillas"]],
            Target=[[place]],
            Weapon=[["bomb"]],
        )
        for i, place in enumerate(["bank", "power station", "bus terminal", "embassy"])
    ]
    model = fit(train, [nlp(d.text) for d in train])
    test_text = "urban guerrillas bombed the telephone exchange last night with a bomb."
    predicted = fill_parsed(nlp(test_text), model)
    assert ["urban guerrillas"] in predicted["PerpInd"]
    assert any("bomb" in entity for entity in predicted["Weapon"])
    assert any("telephone exchange" in entity for entity in predicted["Target"])
    assert predicted["Victim"] == []


def test_grit_files_load_when_the_shared_data_is_present() -> None:
    path = SHARED_MUC4 / "grit_dev.jsonl"
    if not path.is_file():
        pytest.skip(f"MUC-4 GRIT data not found at {path} (public gold data lives outside the repository)")
    docs = load_grit(path)
    assert len(docs) == 200
    assert all(set(d.gold) == set(ROLES) for d in docs)
    assert sum(len(d.gold["PerpInd"]) for d in docs) > 0
