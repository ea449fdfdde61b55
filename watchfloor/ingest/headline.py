"""Which line of a pasted page is its headline: a small learned ranker over line features.

Every line that could be a headline (2–40 words, not a date or byline) is scored by a logistic
regression trained on real pages (``training/headline/train.py``; weights, scaler and scores in
``watchfloor/models/headline/model.json``); the best-scoring line wins. The features are what a
reader uses: the line's place relative to the article block, its length and punctuation, whether
it is repeated (headlines often are, and breadcrumbs end with them), whether a byline or date
follows it, how many of its words the article repeats, whether the furniture lexicon knows it, and
what the cleaner's line model says of it and of its neighbours (a headline is the first kept line
above kept prose). Without the model file the hand-set score in ``metadata`` is used.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from watchfloor.ingest.ranker import LinearRanker, load_ranker

FEATURES = (
    "offset", "abs_offset", "just_above", "near_above", "far_above", "below", "rel_position", "log_words",
    "log_chars", "ends_question", "ends_exclaim", "ends_period", "ends_colon", "has_colon", "is_upper",
    "title_ratio", "repeated", "meta_after", "meta_before", "furniture_rule", "pipe", "breadcrumb",
    "digit_ratio", "block_overlap", "next_is_block", "first_candidate", "candidates_between", "lead_overlap",
    "sentence_like", "long", "short", "in_block", "comma_count", "inside_other", "meta_next", "to_meta_below",
    "prev_short", "next_standfirst", "furn_logit", "next_article", "prev_furniture",
    "kept_rank", "kept_above", "first_prose_offset",
)  # fmt: skip
_WORD = re.compile(r"\w{4,}")
_BREADCRUMB = re.compile(r"\s[/›»>]\s|\w\s?/\s?\w+\s?/")


def is_candidate(line: str) -> bool:
    """Lines that could be a headline at all."""
    words = line.split()
    return (2 <= len(words) <= 40 or (len(words) <= 2 and len(line) >= 10)) and len(line) <= 300


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


@dataclass(frozen=True)
class PageContext:
    """What every candidate's features need from the whole page, computed once."""

    start: int
    end: int
    counts: dict[str, int]
    meta_lines: frozenset[int]
    block_words: frozenset[str]
    lead_words: frozenset[str]
    candidates: tuple[int, ...]
    folded: str  # the page's lines, case-folded, one per line: how often a line's text occurs inside others
    furniture: tuple[float, ...]  # P(furniture) of every line from the cleaner's line model (0.5 without it)
    threshold: float
    candidate_furniture: tuple[float, ...]  # the candidates' P(furniture), sorted
    kept_candidates: tuple[int, ...]  # the candidates the cleaner keeps, in page order
    first_prose: int  # the first kept line of ten words or more (the article's start as the cleaner sees it)


def page_context(
    lines: list[str], start: int, end: int, meta_lines: set[int], furniture: Sequence[float] | None = None
) -> PageContext:
    """What the features need from the whole page. ``furniture``: the cleaner's P(furniture) of each
    line when the caller has it (else the line model is run here)."""
    counts = Counter(line.strip().casefold() for line in lines)
    block = " ".join(lines[start : end + 1]) if end >= start else ""
    lead = " ".join(lines[start : start + 3]) if end >= start else ""
    last = start + 3 if end >= start else len(lines)  # a headline sits above (or just inside) the article block
    candidates = tuple(i for i, line in enumerate(lines[:last]) if is_candidate(line.strip()) and i not in meta_lines)
    folded = "\n".join(line.strip().casefold() for line in lines)
    from watchfloor.ingest.clean import line_model
    from watchfloor.ingest.line_features import page_features

    model = line_model()
    threshold = model.threshold if model is not None else 0.5
    if furniture is None:
        stripped = [line.strip() for line in lines]
        furniture = model.predict_proba(page_features(stripped, lines)) if model is not None else [0.5] * len(lines)
    probs = tuple(furniture)
    by_p = tuple(sorted(probs[c] for c in candidates))
    kept = tuple(c for c in candidates if probs[c] < threshold)
    first_prose = next((j for j, p in enumerate(probs) if p < threshold and len(lines[j].split()) >= 10), start)
    return PageContext(start, end, counts, frozenset(meta_lines), frozenset(_words(block)), frozenset(_words(lead)),
                       candidates, folded, probs, threshold, by_p, kept, first_prose)  # fmt: skip


def features(lines: list[str], i: int, ctx: PageContext) -> list[float]:
    """The feature vector of line ``i`` (order of FEATURES)."""
    from watchfloor.ingest.clean import classify_line

    line = lines[i].strip()
    words = line.split()
    offset = i - ctx.start
    own = _words(line)
    letters = [c for c in line if c.isalpha()]
    caps = [w for w in words if w[:1].isupper()]
    return [
        max(-60.0, min(60.0, float(offset))) / 10,
        min(60.0, abs(float(offset))) / 10,
        float(-3 <= offset <= -1),
        float(-8 <= offset <= -4),
        float(offset < -8),
        float(offset >= 0),
        i / max(len(lines), 1),
        math.log1p(len(words)),
        math.log1p(len(line)),
        float(line.endswith("?")),
        float(line.endswith("!")),
        float(line.endswith(".")),
        float(line.endswith(":")),
        float(":" in line[:-1]),
        float(bool(letters) and all(c.isupper() for c in letters)),
        len(caps) / max(len(words), 1),
        float(ctx.counts.get(line.casefold(), 0) > 1),
        float(any(j in ctx.meta_lines for j in range(i + 1, i + 4))),
        float(any(j in ctx.meta_lines for j in range(i - 3, i))),
        float(classify_line(line) is not None),
        float("|" in line),
        float(bool(_BREADCRUMB.search(line))),
        sum(c.isdigit() for c in line) / max(len(line), 1),
        len(own & ctx.block_words) / max(len(own), 1),
        float(i + 1 == ctx.start),
        float(bool(ctx.candidates) and ctx.candidates[0] == i),
        math.log1p(sum(1 for c in ctx.candidates if i < c < ctx.start)),
        len(own & ctx.lead_words) / max(len(own), 1),
        float(len(words) >= 12 and line[-1:] in '.!?"”'),
        float(len(words) > 18),
        float(len(words) <= 3),
        float(ctx.start <= i <= ctx.end),
        min(5.0, float(line.count(","))),
        float(ctx.folded.count(line.casefold()) > ctx.counts.get(line.casefold(), 0)),
        float(i + 1 in ctx.meta_lines),
        min(10, next((j - i for j in range(i + 1, i + 11) if j in ctx.meta_lines), 10)) / 10,
        float(i > 0 and len(lines[i - 1].split()) <= 3),
        float(i + 1 < len(lines) and len(lines[i + 1].split()) >= 12 and lines[i + 1].rstrip()[-1:] in ".!?"),
        _logit(ctx.furniture[i]),
        sum(p < ctx.threshold for p in ctx.furniture[i + 1 : i + 6]) / 5,
        sum(p >= ctx.threshold for p in ctx.furniture[max(0, i - 5) : i]) / 5,
        bisect.bisect_left(ctx.candidate_furniture, ctx.furniture[i]) / max(len(ctx.candidates), 1),
        math.log1p(bisect.bisect_left(ctx.kept_candidates, i)),
        max(-30.0, min(30.0, float(i - ctx.first_prose))) / 10,
    ]


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def headline_model() -> LinearRanker | None:
    """The shipped ranker, or None when its file is absent or was trained on other features."""
    return load_ranker("headline", FEATURES)


def rank_headline(lines: list[str], ctx: PageContext, model: LinearRanker) -> int | None:
    """Index of the best headline candidate."""
    found = model.best([features(lines, i, ctx) for i in ctx.candidates])
    return ctx.candidates[found[0]] if found else None
