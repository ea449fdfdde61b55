"""Footnote marks pasted from Wikipedia or a report ("Kabul[5][6].") are blanked in the text the parser
reads, so names stay names and the marks' numbers are no quantities; spans stay spans of the stored text."""

from __future__ import annotations

from spacy.language import Language

from watchfloor.nlp.citations import blank_marks
from watchfloor.nlp.truecase import for_parser

TEXT = "A suicide bomber attacked a mosque in Kandahar[5][6]. The attack killed 12 people.[3] Police said so."


def test_marks_are_blanked_to_the_same_length() -> None:
    blanked = blank_marks(TEXT)
    assert len(blanked) == len(TEXT) and "[" not in blanked
    assert blanked.index("Kandahar") == TEXT.index("Kandahar")
    assert blank_marks("see array[0] and x[1234]") == "see array    and x[1234]"  # four digits: no mark


def test_the_parser_finds_a_place_glued_to_marks_and_no_numbers_in_them(nlp: Language) -> None:
    bare = nlp(TEXT)
    assert "Kandahar" not in [e.text for e in bare.ents]  # spaCy reads "Kandahar[5][6" as one token
    doc = nlp(for_parser(TEXT))
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("Kandahar", "GPE") in ents
    numbers = [text for text, label in ents if label == "CARDINAL"]
    assert numbers == ["12"]
    span = next(e for e in doc.ents if e.text == "Kandahar")
    assert TEXT[span.start_char : span.end_char] == "Kandahar"  # offsets are offsets of the stored text


def test_a_flattened_superscript_footnote_no_longer_glues_two_sentences(nlp: Language) -> None:
    text = "A suicide bomber killed 12 people in Kabul.3 The Islamic State claimed the attack.14 Officials said so."
    assert "Kabul.3" in [t.text for t in nlp(text)]  # how spaCy reads the report's text as it is
    doc = nlp(for_parser(text))
    assert ("Kabul", "GPE") in [(e.text, e.label_) for e in doc.ents]
    assert len(list(doc.sents)) == 3
    assert [e.text for e in doc.ents if e.label_ == "CARDINAL"] == ["12"]


def test_decimals_and_years_ending_a_sentence_are_kept() -> None:
    text = "Prices rose 3.5 per cent in 2021.3 and the U.S. left at 10.30 am."
    assert blank_marks(text) == text
