"""Resolve a forecast's time horizon ("within the next year", "by 2027") to an absolute date range."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

_NUMBER = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "eighteen": 18, "few": 3, "several": 3,
}  # fmt: skip
_N = r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|few|several)"
_UNIT = r"(day|week|month|year|decade)s?"


@dataclass(frozen=True)
class Horizon:
    text: str
    start: date
    end: date
    offset: int  # where the expression starts in the searched text


def _delta(n: int, unit: str) -> relativedelta:
    unit = unit.lower().rstrip("s")
    if unit == "decade":
        return relativedelta(years=10 * n)
    if unit == "year":
        return relativedelta(years=n)
    if unit == "month":
        return relativedelta(months=n)
    if unit == "week":
        return relativedelta(weeks=n)
    return relativedelta(days=n)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER[word.lower()]


def find_horizon(text: str, published: date | None) -> Horizon | None:
    """The first horizon expression in ``text`` resolved from ``published`` (None without a date)."""
    if published is None:
        return None
    patterns: list[tuple[str, object]] = [
        (rf"\bwithin {_N} {_UNIT} to {_N} {_UNIT}\b", "range"),
        (rf"\b(?:within|in|over|during) the (?:next|coming) {_N} {_UNIT}\b", "n"),
        (r"\bwithin (days|weeks|months|years)\b", "vague"),
        (r"\b(?:in|over|during) the (?:coming|next) (days|weeks|months|years)\b", "vague"),
        (r"\b(?:within|in|over|during) (?:the )?(?:next|coming) (day|week|month|year|decade)\b", "one"),
        (rf"\bwithin {_N} {_UNIT}\b", "n"),
        (r"\b(?:by|before) (?:the end of )?(20\d\d)\b", "by_year"),
        (r"\b(?:before|by) the end of (?:the|this) year\b|\bthis year\b", "this_year"),
        (r"\bnext year\b", "next_year"),
    ]
    best: Horizon | None = None
    for pattern, how in patterns:
        m = re.search(pattern, text, re.I)
        if m is None or (best is not None and m.start() >= best.offset):
            continue
        start, end = published, published
        if how == "range":
            start = published + _delta(_count(m.group(1)), m.group(2))
            end = published + _delta(_count(m.group(3)), m.group(4))
        elif how == "n":
            end = published + _delta(_count(m.group(1)), m.group(2))
        elif how == "one":
            end = published + _delta(1, m.group(1))
        elif how == "vague":
            unit = m.group(1).lower()
            end = (
                published
                + {
                    "days": relativedelta(days=14),
                    "weeks": relativedelta(months=2),
                    "months": relativedelta(months=6),
                    "years": relativedelta(years=3),
                }[unit]
            )
        elif how == "by_year":
            end = date(int(m.group(1)), 12, 31)
        elif how == "this_year":
            end = date(published.year, 12, 31)
        elif how == "next_year":
            start, end = date(published.year + 1, 1, 1), date(published.year + 1, 12, 31)
        best = Horizon(m.group(0), start, end, m.start())
    return best
