"""Claims and forecasts on text written for these tests: attribution, kinds, confidence, horizons."""

from __future__ import annotations

from datetime import date

import pytest

from watchfloor.extract.claims import extract_claims, negated, quote_spans
from watchfloor.extract.horizon import find_horizon
from watchfloor.extract.info import entity_info, kind_lookup
from watchfloor.extract.stance import StanceInput, stance_links
from watchfloor.models import ClaimRecord

PUBLISHED = date(2025, 3, 10)


def _claims(nlp, linker, gazetteer, text: str, published: date | None = PUBLISHED) -> list[ClaimRecord]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    linked = linker.link(doc)
    return extract_claims(doc, linked.mentions, published, kind_lookup(entity_info(gazetteer, linked.entities)))


@pytest.mark.parametrize(
    "phrase,start,end",
    [
        ("an attack within the next year", "2025-03-10", "2026-03-10"),
        ("a return in the coming months", "2025-03-10", "2025-09-10"),
        ("a comeback by 2027", "2025-03-10", "2027-12-31"),
        ("within six months to two years", "2025-09-10", "2027-03-10"),
        ("before the end of the year", "2025-03-10", "2025-12-31"),
        ("a surge next year", "2026-01-01", "2026-12-31"),
        ("over the next decade", "2025-03-10", "2035-03-10"),
    ],
)
def test_horizons_resolve_from_the_publication_date(phrase: str, start: str, end: str) -> None:
    found = find_horizon(phrase, PUBLISHED)
    assert found is not None
    assert (found.start.isoformat(), found.end.isoformat()) == (start, end)


def test_no_horizon_without_a_time_expression_or_a_date() -> None:
    assert find_horizon("the group will regroup", PUBLISHED) is None
    assert find_horizon("within the next year", None) is None


def test_quotes_of_every_style_and_across_paragraphs() -> None:
    text = (
        "“The camp is a school for the next generation,” she said.\n\n"
        "«They recruit teenagers in the open»,\u00a0he added.\n\n"
        '"We expect the pressure to grow. Nobody is ready for it.\n\n'
        '"The border posts are empty at night," the officer said.\n\n'
        'It is a "scare quote" only.'
    )
    spans = [text[s:e] for s, e in quote_spans(text)]
    assert "The camp is a school for the next generation," in spans
    assert "They recruit teenagers in the open" in spans
    assert any(s.startswith("We expect the pressure to grow.") for s in spans)  # continues next paragraph
    assert "The border posts are empty at night," in spans
    assert "scare quote" not in spans  # too short to be a statement


def test_indirect_forecast_with_role_confidence_and_horizon(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Marta Kowalczyk, a former head of counter-terrorism at Europol, warned that ISKP would very likely "
        "attempt an attack in western Europe within the next year."
    )
    (claim,) = _claims(nlp, linker, gazetteer, text)
    assert claim.speaker_text == "Marta Kowalczyk"
    assert claim.speaker_role is not None and "head of counter-terrorism" in claim.speaker_role
    assert claim.kind == "forecast" and not claim.quote and claim.cue == "warned"
    assert claim.text.startswith("ISKP would very likely attempt")
    assert (claim.probability_words, claim.band_low, claim.band_high) == ("very likely", 0.8, 0.95)
    assert (claim.horizon_start, claim.horizon_end) == ("2025-03-10", "2026-03-10")
    assert "iskp" in claim.about
    assert text[claim.speaker_start : claim.speaker_end] == "Marta Kowalczyk"  # evidence of attribution


def test_pronouns_titles_and_interrupted_quotes_keep_the_speaker(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "General Rahim Dost, the commander of the northern corps, spoke to reporters on Sunday. "
        "“The valley is quiet,” the general said, “but the quiet will not last.” "
        "He said the militants had moved their families across the river."
    )
    claims = _claims(nlp, linker, gazetteer, text)
    assert [c.text for c in claims] == [
        "The valley is quiet",
        "the militants had moved their families across the river",
    ]
    assert {c.speaker_text for c in claims} == {"Rahim Dost"}
    assert claims[0].quote and claims[0].speaker_mention == "the general"
    assert claims[1].speaker_mention == "He" and claims[1].kind == "factual"


def test_according_to_denials_and_responsibility(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "According to the United Nations, al-Shabaab collects more in taxes than the federal government. "
        "The Taliban denied that foreign fighters were living in Kunar. "
        "Al-Shabaab said its fighters had carried out the bombing of the checkpoint in Afgoye."
    )
    claims = _claims(nlp, linker, gazetteer, text)
    by_kind = {c.kind: c for c in claims}
    assert by_kind["denial"].speaker_key == "taliban"
    assert by_kind["responsibility"].speaker_key == "al_shabaab"
    according = next(c for c in claims if c.cue == "according to")
    assert according.speaker_key == "united_nations"
    assert according.text.startswith("al-Shabaab collects more in taxes")


def test_estimative_words_map_to_icd_203_bands_and_unlikely_is_not_likely(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Dr. Ana Lima said it was unlikely that the group would regain territory by 2027. "
        "Tomas Berg said there was only a remote chance of a ceasefire before the end of the year. "
        "Lena Ortiz said the group would strike again."
    )
    claims = _claims(nlp, linker, gazetteer, text)
    bands = [(c.probability_words, c.band_low, c.band_high) for c in claims]
    assert bands == [("unlikely", 0.2, 0.45), ("remote chance", 0.01, 0.05), (None, None, None)]
    assert [c.kind for c in claims] == ["forecast", "forecast", "forecast"]  # the last one is unhedged


def test_a_forecast_and_a_contradicting_judgement_by_two_experts_are_linked(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Omar Haddad said al-Qaeda would be able to direct an attack against a Western country within two years. "
        "Sofia Reyes said it was unlikely that al-Qaeda could direct an attack against a Western country "
        "within two years. "
        "Karl Weber said al-Qaeda would be able to direct an attack against a Western country soon."
    )
    claims = _claims(nlp, linker, gazetteer, text)
    assert len(claims) == 3 and negated(claims[1]) and not negated(claims[0])
    inputs = [
        StanceInput(i, c.speaker_text or "", frozenset(c.about), c.text, negated(c), c.kind)
        for i, c in enumerate(claims)
    ]
    links = stance_links(inputs)
    assert links[0] == ([2], [1]) and links[1] == ([], [0, 2])


def test_unattributed_narrative_is_not_a_claim(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "The group has grown since 2021. Its fighters control several districts."
    assert _claims(nlp, linker, gazetteer, text) == []


@pytest.mark.parametrize(
    "dateline",
    ["KABUL, Afghanistan – ", "Kabul, Afghanistan, 3 May – ", "QUETTA, Pakistan (Wire) -- "],
)
def test_a_dateline_is_never_the_speaker(nlp, linker, gazetteer, dateline: str) -> None:  # type: ignore[no-untyped-def]
    text = (
        dateline + "Ahmad Massoud, leader of the National Resistance Front, says that the Taliban will not last "
        "another winter.\n"
    )
    claims = _claims(nlp, linker, gazetteer, text)
    assert claims, text
    speakers = {c.speaker_text for c in claims}
    assert speakers == {"Ahmad Massoud"}, speakers
    assert all(c.speaker_start is not None and c.speaker_start >= len(dateline) for c in claims)


def test_the_name_under_a_dateline_speaks_not_the_dateline(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "WASHINGTON -- President Obama, opening a museum on Saturday, said it would tell a story of suffering.\n"
    claims = _claims(nlp, linker, gazetteer, text)
    assert [c.speaker_text for c in claims] == ["Obama"]


def test_a_quote_paragraph_with_its_own_speaker_does_not_continue_the_previous_one(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Ahmad Massoud told the radio, “We are ready to talk to anyone.”\n\n"
        "“The front has no money and no friends left,” Zabihullah Mujahid said.\n"
    )
    claims = _claims(nlp, linker, gazetteer, text)
    second = [c for c in claims if "no money" in c.text]
    assert second and {c.speaker_text for c in second} == {"Zabihullah Mujahid"}
    assert all(c.speaker_start is not None and c.speaker_start > text.index("\n\n") for c in second)


def test_a_report_speaks_for_the_body_that_issued_it_not_the_group_it_describes(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The United Nations Security Council published a report on Tuesday. It examined the finances of "
        "the Islamic State Khorasan Province in detail. The report said that the group had lost most of its "
        "income from extortion.\n"
    )
    claims = _claims(nlp, linker, gazetteer, text)
    by_report = [c for c in claims if "lost most" in c.text]
    assert by_report, claims
    assert {c.speaker_text for c in by_report} == {"United Nations Security Council"}
    assert {c.speaker_role for c in by_report} == {"report"}


def test_an_unsourced_report_is_its_own_speaker(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The Taliban held a rally in Kandahar on Friday. A leaked report said that the movement was "
        "short of money.\n"
    )
    claims = _claims(nlp, linker, gazetteer, text)
    leaked = [c for c in claims if "short of money" in c.text]
    assert leaked and {c.speaker_key for c in leaked} == {None}
    assert {c.speaker_text for c in leaked} == {"A leaked report"}
