"""The learned role filler (watchfloor.extract.roles): candidates, provenance, selection, model file."""

from __future__ import annotations

import json
from importlib import resources

import numpy
import pytest
from spacy.language import Language

from watchfloor.extract.roles import (
    CLASSES,
    FEATURE_VERSION,
    ROLES,
    Phrase,
    candidate_phrases,
    load_role_model,
    model_from_spec,
    parenthesis_aliases,
    phrase_key,
    same_filler,
    select_fillers,
)

WIRE = (
    "members of the farabundo marti national liberation front (fmln) blew up a power pylon with dynamite charges "
    "near the city. the dynamite attack left the region without electricity."
)


def test_phrase_keys_follow_the_scorers_normalisation() -> None:
    assert phrase_key("The  Shining Path,") == "shining path"
    assert phrase_key("M-19") == "m19"
    assert phrase_key("bank of the republic") == "bank of republic"
    assert phrase_key("theatre") == "theatre"


def test_every_candidate_points_at_its_own_text(nlp: Language) -> None:
    doc = nlp(WIRE)
    phrases = candidate_phrases(doc)
    keys = {p.key for p in phrases}
    # the "of" extension, the name inside it, and a compound modifier are all candidates
    assert "members of farabundo marti national liberation front" in keys
    assert "farabundo marti national liberation front" in keys
    assert "dynamite" in keys and "power pylon" in keys
    for phrase in phrases:
        assert phrase.spans == sorted(phrase.spans)
        for start, end in phrase.spans:
            assert phrase_key(WIRE[start:end]) == phrase.key
        assert f"phrase={phrase.key}" in phrase.features
    dynamite = next(p for p in phrases if p.key == "dynamite")
    assert len(dynamite.spans) == 2  # "dynamite charges" and "the dynamite attack"
    # the same document gives the same candidates and features
    again = candidate_phrases(nlp(WIRE))
    assert [(p.key, p.spans, p.features) for p in again] == [(p.key, p.spans, p.features) for p in phrases]


def test_a_name_and_its_parenthesised_short_form_are_one_filler(nlp: Language) -> None:
    doc = nlp(WIRE)
    aliases = parenthesis_aliases(doc, candidate_phrases(doc))
    assert ("farabundo marti national liberation front", "fmln") in aliases
    assert same_filler("fmln", "farabundo marti national liberation front", frozenset(aliases))
    assert not same_filler("fmln", "farabundo marti national liberation front")
    assert same_filler("urban guerrillas", "guerrillas") and same_filler("power pylon", "power pylon in city")
    assert not same_filler("power pylon", "power station")


def _phrase(key: str, start: int) -> Phrase:
    return Phrase(key, spans=[(start, start + len(key))], texts=[key])


def test_selection_takes_each_phrase_in_its_best_role_once() -> None:
    phrases = [_phrase("guerrillas", 0), _phrase("urban guerrillas", 20), _phrase("bus", 40), _phrase("rain", 50)]
    probs = numpy.zeros((4, len(CLASSES)))
    probs[0, CLASSES.index("PerpInd")], probs[0, CLASSES.index("PerpOrg")] = 0.6, 0.3
    probs[1, CLASSES.index("PerpInd")] = 0.4
    probs[2, CLASSES.index("Target")] = 0.35
    probs[3, CLASSES.index("Target")] = 0.1  # under the threshold
    probs[:, 0] = 1 - probs[:, 1:].sum(axis=1)
    thresholds = dict.fromkeys(ROLES, 0.2)
    fillers = select_fillers(phrases, probs, thresholds)
    assert [(f.role, f.text) for f in fillers] == [("PerpInd", "guerrillas"), ("Target", "bus")]
    assert fillers[0].spans == ((0, 10),) and fillers[0].probability == 0.6
    # a higher threshold for a role drops its fillers
    assert [f.text for f in select_fillers(phrases, probs, {**thresholds, "Target": 0.5})] == ["guerrillas"]


def test_the_shipped_model_matches_the_code_and_records_its_training() -> None:
    spec = json.loads((resources.files("watchfloor") / "models/roles/model.json").read_text("utf-8"))
    assert spec["feature_version"] == FEATURE_VERSION and tuple(spec["classes"]) == CLASSES
    assert set(spec["thresholds"]) == set(ROLES)
    assert spec["training"]["command"].startswith("python -m training.roles.train")
    assert len(spec["training"]["data_sha256"]) == 64 and spec["training"]["documents"] == 1300
    model = load_role_model()
    assert model is not None and model.clusters and model.aliases
    # a model file of another feature version is refused rather than misread
    assert model_from_spec({**spec, "feature_version": FEATURE_VERSION + 1}) is None


@pytest.mark.parametrize("text", ["", "   ", "the weather was fine."])
def test_text_without_an_attack_gives_no_fillers(nlp: Language, text: str) -> None:
    model = load_role_model()
    assert model is not None
    assert model.fill(nlp(text)) == []
