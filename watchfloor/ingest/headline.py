"""Which line of a pasted page is its headline: a small learned ranker over line features.

Every line that could be a headline (2–40 words, not a date or byline) is scored by a logistic
regression trained on real pages (``training/headline/train.py``; weights, scaler and scores in
``watchfloor/models/headline/model.json``); the best-scoring line wins. The features are what a
reader uses: the line's place relative to the article block, its length and punctuation, whether
it is repeated (headlines often are), whether a byline or date follows it, how many of its words
the article repeats, and whether the furniture lexicon knows it. Without the model file the
hand-set score in ``metadata`` is used.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from watchfloor.ingest.ranker import LinearRanker, load_ranker

FEATURES = (
    "offset", "abs_offset", "just_above", "near_above", "far_above", "below", "rel_position", "log_words",
    "log_chars", "ends_question", "ends_exclaim", "ends_period", "ends_colon", "has_colon", "is_upper",
    "title_ratio", "repeated", "meta_after", "meta_before", "furniture_rule", "pipe", "breadcrumb",
    "digit_ratio", "block_overlap", "next_is_block", "first_candidate", "candidates_between", "lead_overlap",
    "sentence_like", "long", "short", "in_block", "comma_count",
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


def page_context(lines: list[str], start: int, end: int, meta_lines: set[int]) -> PageContext:
    counts = Counter(line.strip().casefold() for line in lines)
    block = " ".join(lines[start : end + 1]) if end >= start else ""
    lead = " ".join(lines[start : start + 3]) if end >= start else ""
    last = start + 3 if end >= start else len(lines)  # a headline sits above (or just inside) the article block
    candidates = tuple(i for i, line in enumerate(lines[:last]) if is_candidate(line.strip()) and i not in meta_lines)
    return PageContext(start, end, counts, frozenset(meta_lines), frozenset(_words(block)), frozenset(_words(lead)),
                       candidates)  # fmt: skip


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
    ]


def headline_model() -> LinearRanker | None:
    """The shipped ranker, or None when its file is absent or was trained on other features."""
    return load_ranker("headline", FEATURES)


def rank_headline(lines: list[str], ctx: PageContext, model: LinearRanker) -> int | None:
    """Index of the best headline candidate."""
    found = model.best([features(lines, i, ctx) for i in ctx.candidates])
    return ctx.candidates[found[0]] if found else None
