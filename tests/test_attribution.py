"""The learned attribution model (PolNeAR-trained): cue, source and content on single sentences, the
one-attribution-per-word rule, the feature-version guard, and the rules kept as fallback."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from watchfloor.extract import claims as claims_module
from watchfloor.extract.attribution import (
    FEATURE_VERSION,
    Attribution,
    Candidate,
    cue_candidate_indices,
    cue_features_at,
    doc_facts,
    find_attributions,
    load_attribution_model,
    model_from_spec,
    span_chars,
    univocal,
)
from watchfloor.extract.claims import extract_claims
from watchfloor.extract.info import entity_info, kind_lookup


def _found(nlp, text: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    model = load_attribution_model()
    assert model is not None, "the shipped attribution model must load"
    out = []
    for a in find_attributions(doc, model):
        s, e = span_chars(doc, a.content)
        ss, se = span_chars(doc, a.source)
        out.append((doc[a.cue].text, text[ss:se], text[s:e]))
    return out


def test_indirect_speech_finds_cue_source_and_clause(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _found(nlp, "The interior ministry said that fighters had crossed the border near Torkham overnight.")
    assert found == [("said", "The interior ministry", "fighters had crossed the border near Torkham overnight")]


def test_according_to_puts_the_source_after_the_content(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The group still commands about 4,000 fighters in the east, according to a United Nations report."
    found = _found(nlp, text)
    assert len(found) == 1
    cue, source, content = found[0]
    assert cue == "according" and "United Nations report" in source
    assert content.startswith("The group still commands about 4,000 fighters")


def test_a_relative_clause_speaker_keeps_its_noun(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _found(nlp, "Officials, who said the attackers wore police uniforms, closed the road to Jalalabad.")
    said = [f for f in found if f[0] == "said"]
    assert said and said[0][1].startswith("Officials") and said[0][1].endswith("who")
    assert said[0][2] == "the attackers wore police uniforms"


def test_a_statement_reported_inside_another_is_one_attribution(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _found(nlp, "Khan said the governor had claimed that the raid was staged by the army.")
    assert [(cue, source) for cue, source, _ in found] == [("said", "Khan")]


def _attribution(cue: int, content: tuple[int, int], p: float) -> Attribution:
    return Attribution(cue, Candidate("nsubj", cue - 1, cue, cue - 1), Candidate("c:ccomp", *content, content[0]), p, p)


def test_univocal_keeps_the_more_confident_of_nested_attributions() -> None:
    outer = _attribution(1, (2, 12), 0.9)
    inner = _attribution(5, (6, 12), 0.6)  # its cue sits inside the outer content
    apart = _attribution(20, (21, 25), 0.5)
    assert univocal([inner, apart, outer]) == [outer, apart]
    assert univocal([_attribution(1, (2, 12), 0.4), _attribution(5, (6, 12), 0.95)])[0].cue == 5


def test_a_model_of_another_feature_version_is_refused() -> None:
    spec = json.loads((resources.files("watchfloor") / "models/attribution/model.json").read_text("utf-8"))
    assert spec["feature_version"] == FEATURE_VERSION and model_from_spec(spec) is not None
    assert model_from_spec({**spec, "feature_version": FEATURE_VERSION + 1}) is None
    assert len(spec["training"]["data_sha256"]) == 64 and spec["training"]["documents"] > 500
    assert spec["training"]["command"].startswith("python -m training.attribution.train")


def test_claims_carry_the_model_score_and_the_rules_remain_as_fallback(  # type: ignore[no-untyped-def]
    nlp, linker, gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "Nadia Rahimi, a researcher in Kabul, said the movement would probably split within a year. "
        "She added that its leaders had lost the trust of the southern commanders."
    )
    doc = nlp(text)
    linked = linker.link(doc)
    kind_of = kind_lookup(entity_info(gazetteer, linked.entities))
    learned = extract_claims(doc, linked.mentions, None, kind_of)
    assert [c.speaker_text for c in learned] == ["Nadia Rahimi", "Nadia Rahimi"]
    assert all(c.confidence is not None and 0.0 < c.confidence <= 1.0 for c in learned)
    assert learned[1].speaker_mention == "She"
    monkeypatch.setattr(claims_module, "load_attribution_model", lambda: None)
    ruled = extract_claims(doc, linked.mentions, None, kind_of)
    assert [c.text for c in ruled] == [c.text for c in learned]
    assert all(c.confidence is None for c in ruled)


def test_reported_speech_ending_a_content_stands_on_its_own(nlp) -> None:  # type: ignore[no-untyped-def]
    """'X is promising A, but he has also intensified B': A is X's, and the clause after 'but' is not
    swallowed into it (univocal cuts the outer content before a clause-final attribution)."""
    joined = nlp("Khan said the raid was staged and the governor claimed the army fired first.")
    found = _found(nlp, joined.text)
    assert [(cue, source) for cue, source, _ in found] == [("said", "Khan"), ("claimed", "the governor")]
    assert found[0][2] == "the raid was staged"
    # without a comma or conjunction before it, the inner attribution is still speech reported inside
    doc = nlp("a b c d e f g h i j k l m n")
    outer, inner = _attribution(1, (2, 12), 0.9), _attribution(9, (10, 12), 0.6)
    assert univocal([outer, inner], doc) == [outer]
    doc = nlp("a b c d e f g and i j k l m n")
    assert univocal([outer, inner], doc) == [_attribution(1, (2, 7), 0.9), inner]  # cut before "and"


def test_a_transcript_label_and_a_signed_quote_name_the_speaker(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Mike Pence: a profile of the candidate\n\n"
        "Mike Pence spoke to Chris Wallace on Sunday.\n\n"
        "WALLACE: Will the campaign release the returns before the vote?\n\n"
        "PENCE: Well, look, the returns will come out when the audit is finished.\n\n"
        "Update: the interview was edited for length.\n\n"
        "“The debate showed who he really is and I will not vote for him.” ― Maria Lopez, 34, Houston"
    )
    doc = nlp(text)
    linked = linker.link(doc)
    claims = extract_claims(doc, linked.mentions, None, kind_lookup(entity_info(gazetteer, linked.entities)))
    by_text = {c.text: c for c in claims}
    pence = by_text["Well, look, the returns will come out when the audit is finished"]
    assert text[pence.speaker_start : pence.speaker_end] == "PENCE" and pence.speaker_text == "Mike Pence"
    assert pence.cue == ":" and "Update" not in {c.speaker_mention for c in claims}
    assert "a profile of the candidate" not in by_text  # a headline's topic says nothing
    signed = by_text["The debate showed who he really is and I will not vote for him"]
    assert signed.speaker_mention == "Maria Lopez" and signed.quote and signed.cue == "―"
    assert not any(c.speaker_mention == "he" for c in claims)  # speech inside the signed quote is hers


def test_cue_features_from_the_token_columns_read_what_the_tokens_say(nlp) -> None:  # type: ignore[no-untyped-def]
    # The features are read from shared token columns, not from spaCy Tokens; each one must still say
    # what the Token says (the shipped weights were learned from Token-read features).
    doc = nlp(
        'NATO officials warned on Tuesday that the "ceasefire" would not hold. ISKP CLAIMED the attack, '
        "according to its Amaq agency, and the Taliban did not deny reports that it had been warned."
    )
    facts = doc_facts(doc)
    candidates = cue_candidate_indices(doc)
    assert candidates == [t.i for t in doc if t.pos_ in ("VERB", "AUX", "NOUN", "ADJ") or t.lower_ == "according"]
    for i in candidates:
        tok, features = doc[i], cue_features_at(i, facts)
        lemma = tok.lemma_.lower()
        shape = "U" if tok.is_upper else "T" if tok.is_title else "l"
        assert features[:7] == [
            f"l={lemma}",
            f"p={tok.pos_}",
            f"d={tok.dep_}",
            f"t={tok.tag_}",
            f"l|d={lemma}|{tok.dep_}",
            f"l|t={lemma}|{tok.tag_}",
            f"shape={shape}",
        ]
        wanted_children = [
            f"c={c.dep_}:{c.lower_}"
            for c in tok.children
            if c.dep_ in ("prep", "prt", "mark", "neg", "aux", "auxpass", "dobj", "dative")
        ]
        assert [f for f in features if f.startswith("c=")] == wanted_children
        assert f"hp={tok.head.pos_}|{tok.dep_}" in features
        if tok.i + 1 < len(doc):
            assert f"n1={doc[tok.i + 1].lower_}" in features
        if tok.i > 0:
            assert f"p1={doc[tok.i - 1].lower_}" in features
    assert any(f == "shape=U" for i in candidates for f in cue_features_at(i, facts))  # "CLAIMED"
