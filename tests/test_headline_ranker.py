"""The headline ranker reads the cleaner's line probabilities and the page's own repetitions."""

from __future__ import annotations

from datetime import date

import pytest

from watchfloor.ingest.clean import clean_lines, clean_text_lines, line_model, split_lines
from watchfloor.ingest.headline import FEATURES, features, headline_model, page_context
from watchfloor.ingest.metadata import PageCues, article_block, page_cues, read_plain_metadata

TODAY = date(2026, 1, 1)
BODY = [
    "The river rose two metres overnight and flooded the lower streets of three towns, the regional office said.",
    "Volunteers filled sandbags through the night while the fire brigade pumped water out of the old cellars.",
    "The weather service expects more rain on Tuesday and asks residents near the banks to move their cars.",
]
HEAD = ["Home", "News", "World", "Storm floods the river valley towns", "Town hall opens a shelter in the gym"]
LINES = [*HEAD, "By Jane Doe", "12 March 2024", *BODY]


def _cues(start: int, end: int, bylines: set[int]) -> PageCues:
    return PageCues(start, end, [], {i: "Jane Doe" for i in bylines}, [])


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
    cues = _cues(7, 9, {5, 6})
    given = page_context(LINES, cues, cleaned.furniture)
    computed = page_context(LINES, cues)
    assert [features(LINES, i, given) for i in given.candidates] == [
        features(LINES, i, computed) for i in computed.candidates
    ]


def test_a_line_repeated_inside_a_breadcrumb_is_marked() -> None:
    lines = ["Home › World › Storm floods the river valley towns", *LINES[3:]]
    ctx = page_context(lines, _cues(5, 7, {3, 4}), [0.5] * len(lines))
    inside = FEATURES.index("inside_other")
    assert features(lines, 1, ctx)[inside] == 1.0  # the headline, also the breadcrumb's last item
    assert features(lines, 2, ctx)[inside] == 0.0


def test_a_headline_holding_a_date_is_a_candidate_but_a_date_line_is_not() -> None:
    dated = "Conference on the revolutions of 1848 in Europe (26 and 27 February 2015, Eichstätt)"
    lines = ["Home", dated, "28 January 2015 · karstenruppert", *BODY]
    ctx = page_context(lines, page_cues(lines, TODAY), [0.5] * len(lines))
    assert 1 in ctx.candidates and 2 not in ctx.candidates
    assert features(lines, 1, ctx)[FEATURES.index("has_date")] == 1.0
    assert features(lines, 0, ctx)[FEATURES.index("has_date")] == 0.0


COOKIES = [
    "We use cookies to give you the best experience on our website and to understand how you use it, "
    "which helps us improve our services for every reader.",
    "You can change your settings at any time, but some parts of the site may not work properly if you "
    "refuse the cookies that are strictly necessary for it.",
    "Necessary cookies are always active because the site cannot work without them; they store no "
    "information that identifies you as a person.",
]


def test_the_article_block_skips_prose_the_cleaner_calls_furniture() -> None:
    menu = ["Related", "Politics", "Weather", "Sport", "Culture", "Travel", "Contact", "Imprint", "Jobs", "Cookies"]
    lines = ["Storm floods the river valley towns", *BODY, *menu, *COOKIES]
    cookie_start = len(lines) - len(COOKIES)
    assert article_block(lines)[0] == cookie_start  # the longest prose on the page is the cookie notice
    furniture = [0.1] * (1 + len(BODY)) + [0.9] * (len(menu) + len(COOKIES))
    assert article_block(lines, furniture) == (1, len(BODY))
