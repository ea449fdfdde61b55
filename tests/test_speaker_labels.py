"""Transcript labels and dash-signed quotations found in plain text (spans only; the caller checks names)."""

from __future__ import annotations

from watchfloor.extract.speaker_labels import labelled_speech


def _read(text: str) -> list[tuple[str, str, str, str]]:
    return [
        (s.form, text[s.label[0] : s.label[1]], text[s.cue[0] : s.cue[1]], text[s.content[0] : s.content[1]])
        for s in labelled_speech(text)
    ]


def test_transcript_lines_and_headlines_with_a_colon() -> None:
    text = (
        '"TAPPER: Do you think he campaigned as a healer?\n\nFALLIN: I think he is trying.\n\n'
        "Pat Caddell: Voters Worried"
    )
    assert _read(text) == [
        ("transcript", "TAPPER", ":", "Do you think he campaigned as a healer?"),
        ("transcript", "FALLIN", ":", "I think he is trying."),
        ("transcript", "Pat Caddell", ":", "Voters Worried"),
    ]


def test_signed_quotations_keep_the_name_without_age_or_town() -> None:
    text = "”He represents our greatest shame.” ― Sonya Herridge\n“I am so ashamed.”\u00a0― Carla Sanchez.\n"
    assert _read(text) == [
        ("signed", "Sonya Herridge", "―", "He represents our greatest shame."),
        ("signed", "Carla Sanchez", "―", "I am so ashamed."),
    ]


def test_sentences_with_colons_or_dashes_inside_are_not_labels() -> None:
    text = (
        "The ministry said at 10:30 that the road was closed.\n"
        "Officials — speaking anonymously — said more.\n"
        "One word: no.\n"
        "Mark Blumenthal and Jon Cohen: the polls were early.\n"
    )
    assert _read(text) == []
