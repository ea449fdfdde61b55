"""Truecasing (watchfloor.nlp.truecase): only letter case changes, learned forms come back, common words stay."""

from __future__ import annotations

from watchfloor.nlp.truecase import TruecaseTable, load_truecase_table, needs_truecasing, truecase

WIRE = (
    "members of the farabundo marti national liberation front (fmln) attacked the city.  president cristiani "
    "said the u.s. embassy in san salvador was not damaged."
)


def test_length_and_letters_are_kept() -> None:
    for text in (WIRE, WIRE.upper(), "ß straße İstanbul " * 5 + "was hit."):
        out = truecase(text)
        assert len(out) == len(text)
        assert out.lower() == text.lower() or out == text


def test_known_cased_words_are_restored_and_common_words_kept_lower() -> None:
    out = truecase(WIRE)
    assert out.startswith("Members of the ")  # sentence start; "of", "the" stay lower
    assert "President Cristiani said" in out  # a sentence start, then a name judged by its word vector
    assert "(FMLN)" in out  # an unknown short word in brackets: an acronym
    assert " attacked the city." in out
    assert "U.S." in out
    assert truecase(WIRE.upper())[: len("Members of the")] == "Members of the"


def test_mixed_case_text_is_left_alone() -> None:
    text = "President Cristiani said the FMLN attacked the city of San Salvador on Monday."
    assert not needs_truecasing(text)
    assert truecase(text) == text
    assert needs_truecasing(text.lower()) and needs_truecasing(text.upper())


def test_table_rules() -> None:
    common = frozenset(["the", "white", "house", "said", "and", "met", "at", "of", "a", "friend", "in", "city"])
    table = TruecaseTable({"trump": "Trump", "white house": "White House"}, common)
    text = "the white house said trump and the fmln met ortega at the house of a friend in the city."
    # a two-word name, a learned form, an unknown word without vowel (acronym) or with (name)
    assert (
        truecase(text, table)
        == "The White House said Trump and the FMLN met Ortega at the house of a friend in the city."
    )
    shipped = load_truecase_table()
    assert len(shipped.fingerprint) == 16
    assert shipped.form_of("the") == "the"
