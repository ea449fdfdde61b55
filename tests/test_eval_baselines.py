"""The bare baselines scored beside watchfloor: MUC-4 role fillers and PolNeAR attributions.

Each is checked on sentences written here; the PolNeAR one also on a few documents of
../shared/eval when present (the full runs are `watchfloor eval muc4` and `watchfloor eval polnear`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from watchfloor.eval.muc4 import ROLES, baseline_fill, grit_normalize
from watchfloor.eval.polnear import Attribution, PolnearDoc, PolnearScore, baseline_attributions, score_document
from watchfloor.nlp.pipeline import load_base_model

SHARED_POLNEAR = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "polnear"


@pytest.fixture(scope="module")
def base() -> Language:
    return load_base_model()


def test_muc4_baseline_on_sentences_written_here(base: Language) -> None:
    text = (
        "Guerrillas of the Farabundo Marti National Liberation Front attacked the power station with grenades. "
        "The weather was fine."
    )
    predicted = baseline_fill(base(text))
    assert set(predicted) == set(ROLES)
    assert predicted["PerpInd"] == []  # bare NER has no notion of an individual perpetrator
    assert any("power station" in m for entity in predicted["Target"] for m in entity)
    assert ["grenades"] in predicted["Weapon"]
    # one mention per entity, no two entities with the same normalised name in a role
    for role in ROLES:
        assert all(len(entity) == 1 for entity in predicted[role])
        names = [grit_normalize(entity[0]) for entity in predicted[role]]
        assert len(names) == len(set(names))
    # no attack word, no fillers
    assert baseline_fill(base("The weather was fine in the capital.")) == {role: [] for role in ROLES}


def test_polnear_baseline_takes_reporting_sentences_and_the_nearest_name(base: Language) -> None:
    text = (
        "The senator spoke in Ohio. Barack Obama said that the economy is growing. "
        "The plan is \u201ca disaster.\u201d The sky was blue."
    )
    claims = baseline_attributions(base(text))
    said = next(c for c in claims if c.text.startswith("Barack Obama said"))
    assert said.text == "Barack Obama said that the economy is growing."
    assert said.speaker_start is not None and said.speaker_end is not None
    assert text[said.speaker_start : said.speaker_end] == "Barack Obama"
    quoted = next(c for c in claims if "disaster" in c.text)
    assert quoted.quote and quoted.speaker_start is None  # no name in that sentence: no source
    assert not any("sky" in c.text or "Ohio" in c.text for c in claims)

    # scored like watchfloor's claims: whole-sentence content overlaps the gold content, source matches
    start = text.index("Barack")
    content = (text.index("the economy"), text.index(" The plan"))
    gold = PolnearDoc("d", text, [Attribution([(start, start + len("Barack Obama"))], [content])])
    score = PolnearScore()
    score_document(gold, claims, score)
    assert (score.content_overlap, score.content_exact, score.source_overlap) == (1, 0, 1)
    assert score.predicted == len(claims)


def test_polnear_both_systems_on_a_few_shared_documents() -> None:
    folder = SHARED_POLNEAR / "dev"
    if not (folder / "attributions").is_dir():
        pytest.skip(f"PolNeAR not found at {SHARED_POLNEAR} (public gold data lives outside the repository)")
    from watchfloor.eval.polnear import evaluate
    from watchfloor.link.gazetteer import load_gazetteer

    result = evaluate(folder, load_gazetteer(), limit=3).as_dict()
    assert result["documents"] == 3
    keys = {"gold_attributions", "predicted_claims", "content_overlap", "content_exact", "source_given_content"}
    for system in ("watchfloor", "baseline"):
        assert keys | {"source_and_content_overlap"} <= set(result[system])
        assert result[system]["gold_attributions"] == result["watchfloor"]["gold_attributions"] > 0
        for name in ("content_overlap", "content_exact", "source_and_content_overlap"):
            assert 0.0 <= result[system][name]["f1"] <= 1.0
    assert result["baseline"]["predicted_claims"] > 0
