"""The MUC-4 scorer (GRIT's CEAF-REE, official and lenient) on hand-made cases, the shipped role filler
on a wire written here, and a small end-to-end run when ../shared/eval is present."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.eval.muc4 import (
    ROLES,
    RULES,
    GritDoc,
    aligned_matches,
    entity_matches,
    evaluate,
    grit_normalize,
    grit_predictions,
    load_grit,
    score,
    summary,
    watchfloor_fill,
)
from watchfloor.extract.roles import load_role_model

SHARED_MUC4 = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "muc4"


def test_grit_normalisation_drops_case_punctuation_and_every_article() -> None:
    # as GRIT's eval.py normalize_string: punctuation is deleted (not split on), articles go anywhere
    assert grit_normalize("The  Shining Path,") == "shining path"
    assert grit_normalize("M-19") == "m19"
    assert grit_normalize("bank of the republic") == "bank of republic"
    assert grit_normalize("theatre") == "theatre"


def test_alignment_is_one_to_one_and_any_mention_may_match_leniently() -> None:
    gold = [["farabundo marti national liberation front", "fmln"], ["eln"]]
    # two predicted entities both naming the FMLN: only one of them may be aligned to it
    assert aligned_matches([["fmln"], ["the fmln"]], gold, "lenient") == 1
    assert aligned_matches([["fmln"], ["eln"]], gold, "lenient") == 2
    # an entity whose second mention matches still counts; a wrong one does not
    assert aligned_matches([["rebels", "farabundo marti national liberation front"], ["army"]], gold, "lenient") == 1
    # the matching must find the assignment that frees the other gold entity (augmenting path)
    assert aligned_matches([["fmln", "eln"], ["eln"]], gold, "lenient") == 2


def test_official_rule_needs_every_mention_right() -> None:
    gold = {"farabundo marti national liberation front", "fmln"}
    # one right mention and one wrong one: wrong officially (GRIT's phi_strict), right leniently
    assert not entity_matches(["fmln", "rebels"], gold, "official")
    assert entity_matches(["fmln", "rebels"], gold, "lenient")
    # every mention right (after normalisation), even a subset of the gold mentions: right under both
    assert entity_matches(["The FMLN", "farabundo marti national liberation front"], gold, "official")
    assert entity_matches(["fmln"], gold, "official")
    assert not entity_matches([], gold, "lenient") and not entity_matches([], gold, "official")
    with pytest.raises(ValueError):
        entity_matches(["fmln"], gold, "generous")


def test_official_and_lenient_scores_on_a_hand_built_document() -> None:
    doc = GritDoc(
        "d1",
        "",
        {r: [] for r in ROLES}
        | {"PerpOrg": [["farabundo marti national liberation front", "fmln"]], "Target": [["power station"]]},
    )
    predictions = {"d1": {"PerpOrg": [["fmln", "rebels"]], "Target": [["the power station"]]}}
    official, lenient = score(predictions, [doc], "official"), score(predictions, [doc], "lenient")
    assert (official["PerpOrg"].correct, lenient["PerpOrg"].correct) == (0, 1)
    assert official["Target"].correct == lenient["Target"].correct == 1
    assert (official["all"].correct, official["all"].predicted, official["all"].gold) == (1, 2, 2)
    assert lenient["all"].f1 == 1.0 and official["all"].f1 == 0.5
    # the default is the official rule
    assert score(predictions, [doc])["all"].correct == 1


def test_predictions_are_written_in_grit_shape() -> None:
    out = grit_predictions({"d1": {"Weapon": [["bomb", "the bomb"]], "Victim": []}})
    assert out == {"d1": {"PerpInd": [], "PerpOrg": [], "Target": [], "Victim": [], "Weapon": [["bomb", "the bomb"]]}}


def test_micro_average_over_roles_and_documents() -> None:
    docs = [
        GritDoc("d1", "", {r: [] for r in ROLES} | {"Weapon": [["bomb"]], "Victim": [["jose perez"]]}),
        GritDoc("d2", "", {r: [] for r in ROLES} | {"PerpOrg": [["eln"]]}),
    ]
    predictions = {"d1": {"Weapon": [["bomb"], ["dynamite"]]}, "d2": {"PerpOrg": [["eln"]]}}
    result = score(predictions, docs)  # single-mention entities: official and lenient agree
    assert score(predictions, docs, "lenient")["all"].correct == 2
    assert (result["all"].correct, result["all"].predicted, result["all"].gold) == (2, 3, 3)
    assert result["Victim"].recall == 0.0 and result["Weapon"].precision == 0.5
    assert round(result["all"].f1, 4) == round(2 / 3, 4)


def test_the_shipped_filler_reads_roles_from_a_wire_written_here(nlp) -> None:  # type: ignore[no-untyped-def]
    model = load_role_model()
    assert model is not None
    text = (
        "urban guerrillas bombed the telephone exchange in the capital last night with a car bomb. "
        "the police said that two watchmen were killed in the attack."
    )
    predicted = watchfloor_fill(nlp(text), model)
    assert set(predicted) == set(ROLES)
    names = {role: {grit_normalize(m) for entity in predicted[role] for m in entity} for role in ROLES}
    assert "urban guerrillas" in names["PerpInd"]
    assert names["Target"] & {"telephone exchange", "telephone exchange in capital"}
    assert names["Weapon"] & {"car bomb", "bomb"}
    # one mention per entity, and no phrase in two roles
    assert all(len(entity) == 1 for role in ROLES for entity in predicted[role])
    assert not names["PerpInd"] & names["Target"]
    # a wire with no attack gets no fillers
    calm = watchfloor_fill(nlp("the minister met the delegation of farmers to discuss coffee prices."), model)
    assert calm == {role: [] for role in ROLES}


def test_grit_files_load_when_the_shared_data_is_present() -> None:
    path = SHARED_MUC4 / "grit_dev.jsonl"
    if not path.is_file():
        pytest.skip(f"MUC-4 GRIT data not found at {path} (public gold data lives outside the repository)")
    docs = load_grit(path)
    assert len(docs) == 200
    assert all(set(d.gold) == set(ROLES) for d in docs)
    assert sum(len(d.gold["PerpInd"]) for d in docs) > 0


def test_both_systems_and_both_rules_on_a_few_shared_documents(nlp) -> None:  # type: ignore[no-untyped-def]
    dev = SHARED_MUC4 / "grit_dev.jsonl"
    if not dev.is_file():
        pytest.skip(f"MUC-4 GRIT data not found at {SHARED_MUC4} (public gold data lives outside the repository)")
    from watchfloor.nlp.pipeline import load_base_model

    # a handful of documents keeps this quick; the full run is `watchfloor eval muc4`
    scores, predictions = evaluate(dev, nlp, load_base_model(), limit=8)
    result = summary(scores)
    assert set(result) >= {"watchfloor", "baseline"} and result["documents"] == 8
    assert len(predictions) == 8
    for system in ("watchfloor", "baseline"):
        assert set(result[system]) == set(RULES)
        for role in ("all", *ROLES):
            official, lenient = result[system]["official"][role], result[system]["lenient"][role]
            # the official rule only ever takes credit away
            assert official["correct"] <= lenient["correct"]
            assert official["predicted"] == lenient["predicted"] and official["gold"] == lenient["gold"]
