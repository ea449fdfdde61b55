"""The headline ranker reads the cleaner's line probabilities and the page's own repetitions."""

from __future__ import annotations

from datetime import date

import pytest

from watchfloor.ingest.clean import clean_lines, clean_text_lines, line_model, split_lines
from watchfloor.ingest.headline import FEATURES, features, headline_model, page_context
from watchfloor.ingest.metadata import read_plain_metadata

TODAY = date(2026, 1, 1)
BODY = [
    "The river rose two metres overnight and flooded the lower streets of three towns, the regional office said.",
    "Volunteers filled sandbags through the night while the fire brigade pumped water out of the old cellars.",
    "The weather service expects more rain on Tuesday and asks residents near the banks to move their cars.",
]
HEAD = ["Home", "News", "World", "Storm floods the river valley towns", "Town hall opens a shelter in the gym"]
LINES = [*HEAD, "By Jane Doe", "12 March 2024", *BODY]

needs_models = pytest.mark.skipif(
    line_model() is None or headline_model() is None, reason="the shipped line and headline models are missing"
)


@needs_models
@pytest.mark.parametrize(("furniture_at", "expected"), [(4, HEAD[3]), (3, HEAD[4])])
def test_the_line_the_cleaner_calls_furniture_is_not_the_headline(furniture_at: int, expected: str) -> None:
    probs = [0.9999] * 3 + [0.2, 0.2] + [0.5, 0.5] + [0.01] * len(BODY)
    probs[furniture_at] = 0.9999
    assert read_plain_metadata(LINES, TODAY, furniture=probs).title == expected


@needs_models
def test_the_cleaners_probabilities_are_one_per_line_and_reused_as_given() -> None:
    text = "\n\n".join(LINES)
    cleaned = clean_text_lines(text)
    assert cleaned.furniture is not None and len(cleaned.furniture) == len(split_lines(text)) == len(LINES)
    assert (cleaned.kept, cleaned.removed) == clean_lines(text)
    # Handing the cleaner's probabilities over gives the same features as computing them again.
    given = page_context(LINES, 7, 9, {5, 6}, cleaned.furniture)
    computed = page_context(LINES, 7, 9, {5, 6})
    assert [features(LINES, i, given) for i in given.candidates] == [
        features(LINES, i, computed) for i in computed.candidates
    ]


def test_a_line_repeated_inside_a_breadcrumb_is_marked() -> None:
    lines = ["Home › World › Storm floods the river valley towns", *LINES[3:]]
    ctx = page_context(lines, 5, 7, {3, 4}, [0.5] * len(lines))
    inside = FEATURES.index("inside_other")
    assert features(lines, 1, ctx)[inside] == 1.0  # the headline, also the breadcrumb's last item
    assert features(lines, 2, ctx)[inside] == 0.0


def test_an_article_opening_on_a_dated_sentence_is_not_dated_by_it() -> None:
    # A retrospective's first sentence names the day it recalls, not the day it ran.
    lines = [
        "Few events of the conflict marked the city as deeply as those on Friday, 21 July 1972, a day that "
        "became known by the name the newspapers gave it the following morning.",
        "By the end of the day, the group's city brigade had detonated at least twenty bombs across the centre.",
        "In little more than an hour, nine people were dead and some hundred and thirty more were injured.",
        "Witnesses remember people running in all directions, not knowing where the next bomb would go off.",
    ]
    meta = read_plain_metadata(lines, TODAY)
    assert meta.published is None and meta.not_before == "1972-07-21"
    stamp = "Posted on Friday, 21 July 1972 by the city desk of the morning paper, updated at noon."
    assert read_plain_metadata([stamp, *lines[1:]], TODAY).published is not None  # labelled: the page's stamp
