"""The furniture line model on pasted pages: one behaviour per test, on texts written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from watchfloor.ingest import clean
from watchfloor.ingest.clean import clean_lines, line_model

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "eval"
META = REPO / "watchfloor" / "models" / "furniture" / "meta.json"

needs_model = pytest.mark.skipif(line_model() is None, reason="furniture line model not installed")

MENU = ["Home", "World", "Politics", "Business", "Sport", "Culture", "Search", "Sign in"]
HEADLINE = "Harbour authority reopens the northern quay after a week of repairs"
BODY = [
    "The harbour authority reopened the northern quay on Thursday after a week of repairs to the "
    "loading cranes, a spokeswoman said, and the first cargo ships were expected to berth by evening.",
    "Engineers replaced two damaged rails and tested the crane motors overnight, according to a "
    "statement issued by the authority, which said the work had finished two days ahead of schedule.",
    "Local traders welcomed the news, saying that the closure had held up deliveries of fruit and "
    "building materials across the region for most of the week and had pushed up some prices.",
    "The authority said it would publish a full report on the cause of the damage next month, once "
    "the inspectors had finished their review of the maintenance records for the past two years.",
]
FOOTER = ["About us", "Contact", "Terms of use", "© 2031 Harbour Gazette. All rights reserved."]


def _page(middle: list[str], after: list[str] | None = None) -> str:
    lines = [*MENU, HEADLINE, *middle, *(after or []), *FOOTER]
    return "\n\n".join(lines)


def _kept(text: str) -> list[str]:
    kept, removed = clean_lines(text)
    assert all(text[r.start : r.end] == r.text for r in removed)
    return [text[s:e] for s, e in kept]


@needs_model
def test_body_kept_and_menu_removed() -> None:
    kept = _kept(_page(BODY))
    assert all(p in kept for p in BODY)
    assert "Politics" not in kept
    assert not any("All rights reserved" in k for k in kept)


@needs_model
def test_caption_credit_line_removed() -> None:
    credit = "Cranes at the northern quay on Wednesday. Photo: Lena Vogt/Harbour Gazette"
    kept = _kept(_page([BODY[0], BODY[1], credit, BODY[2], BODY[3]]))
    assert credit not in kept
    assert all(p in kept for p in BODY)


@needs_model
def test_popular_posts_after_the_article_removed() -> None:
    popular = [
        "Popular posts",
        "Ten gardens to visit this spring",
        "Council approves new cycle lanes in the old town",
        "Why the ferry timetable keeps changing",
        "Winter storms: what we learned",
    ]
    kept = _kept(_page(BODY, after=popular))
    assert not any(p in kept for p in popular)
    assert all(p in kept for p in BODY)


def test_comments_after_a_comment_heading_go_with_it() -> None:
    names = ("in_block", "before_block", "nav_run")
    after, inside = [0.0, 0.0, 0.0], [1.0, 0.0, 0.0]
    lines = [*BODY[:2], "Kommentare (2)", "Endlich sagt es mal jemand.", "Das sehe ich anders als der Autor."]
    feats = [inside, inside, after, after, after]
    probs = [0.01, 0.01, 0.5, 0.95, 0.95]  # the comments alone are below the model's own threshold
    reasons = clean.decide_lines(lines, probs, feats, names, threshold=0.99)
    assert reasons[:2] == [None, None]
    assert reasons[2] == "comment section"
    assert reasons[3] == reasons[4] == "comment section (a comment)"
    # Without the heading, the same lines stay: the model alone is not sure enough.
    assert clean.decide_lines([*lines[:2], *lines[3:]], probs[:2] + probs[3:], feats[:4], names, 0.99) == [None] * 4


def test_a_text_of_a_few_lines_loses_only_what_the_lexicon_knows() -> None:
    names = ("in_block", "before_block", "nav_run", "repeat", "short_run", "short")
    inside, after = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0] * 6
    lines = [BODY[0], "The group first appeared in 2015.", "Subscribe to our newsletter"]
    reasons = clean.decide_lines(lines, [0.01, 0.999, 0.999], [inside, after, after], names, threshold=0.99)
    assert reasons[:2] == [None, None]  # too short a text for the page model to judge the closing sentence
    assert reasons[2] == "subscription or newsletter prompt"
    # On a page of more lines, the model's own judgement applies.
    longer = [*BODY, *lines[1:]]
    probs = [0.01] * len(BODY) + [0.999, 0.999]
    feats = [inside] * len(BODY) + [after, after]
    assert clean.decide_lines(longer, probs, feats, names, threshold=0.99)[len(BODY)] is not None


@needs_model
def test_code_listing_inside_the_article_kept() -> None:
    code = [
        "def count_ships(berths):",
        "    total = 0",
        "    for berth in berths:",
        "        total += len(berth.ships)",
        "    return total",
    ]
    intro = (
        "The authority also published the small script its staff use to count the ships waiting at "
        "each berth, which reads the berth list and adds up the ships assigned to each one:"
    )
    text = _page([BODY[0], BODY[1], intro, *code, BODY[2], BODY[3]])
    kept = _kept(text)
    kept_stripped = [k.strip() for k in kept]
    assert all(c.strip() in kept_stripped for c in code)


@needs_model
def test_ranked_list_inside_the_article_kept() -> None:
    ranked = [
        "1. Northern quay, 14 ships",
        "2. Eastern basin, 9 ships",
        "3. Old dock, 6 ships",
        "4. Timber wharf, 3 ships",
    ]
    intro = "The busiest berths in the week before the closure, by number of ships handled, were:"
    kept = _kept(_page([BODY[0], BODY[1], intro, *ranked, BODY[2], BODY[3]]))
    assert all(r in kept for r in ranked)


@needs_model
def test_long_german_paragraph_kept() -> None:
    german = (
        "Die Hafenbehörde hat den nördlichen Kai am Donnerstag nach einer Woche voller Reparaturen "
        "wieder geöffnet, und die ersten Frachtschiffe sollten noch am Abend anlegen, sagte eine "
        "Sprecherin der Behörde, die den Abschluss der Arbeiten zwei Tage vor dem Zeitplan meldete."
    )
    kept = _kept(_page([BODY[0], german, BODY[1], BODY[2]]))
    assert german in kept


def test_fallback_to_lexicon_rules_when_model_absent(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(clean, "MODEL_PATH", tmp_path / "missing" / "model.npz")
    assert line_model() is None
    text = "Home\nWorld\nPolitics\nSport\nA crane collapsed at the harbour on Friday, the authority said."
    assert clean_lines(text) == clean.clean_lines_lexicon(text)
    kept, removed = clean_lines(text)
    assert [text[s:e] for s, e in kept] == [text.splitlines()[-1]]
    assert removed[0].reason == "navigation menu (run of short items)"


def test_model_removal_reasons_are_descriptive() -> None:
    model = line_model()
    if model is None:
        pytest.skip("furniture line model not installed")
    _, removed = clean_lines(_page(BODY))
    assert removed
    assert all(r.reason for r in removed)
    assert any("line model" in r.reason or r.reason in {rule.reason for rule in clean.load_rules()} for r in removed)


def test_evaluation_part_not_below_recorded_scores() -> None:
    """Regression guard: the evaluation-part figures recorded in meta.json, minus 0.02."""
    data = SHARED / "article_extraction"
    if not data.exists():
        pytest.skip(f"{data} absent: the shared gold data is needed for this regression guard")
    if line_model() is None or not META.exists():
        pytest.skip("furniture line model not installed")
    from watchfloor.eval import pasted

    try:
        pasted.check_data(data)
    except pasted.RendererUnavailable as exc:
        pytest.skip(f"cannot build the render cache: {exc}")
    recorded = json.loads(META.read_text("utf-8"))["dev_scores"]["scores"]
    scores = pasted.evaluate_pasted(data, "eval")["scores"]
    for corpus, per in recorded.items():
        want, got = per["model"], scores[corpus]["model"]
        assert got["furniture_recall"] >= want["furniture_recall"] - 0.02, (corpus, got, want)
        assert got["article_retention"] >= want["article_retention"] - 0.02, (corpus, got, want)
