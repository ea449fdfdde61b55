"""Resolve date expressions ("on Friday", "Oct. 12", "last month", "in March 2024") against a base date.

Returns the date and its precision (day, month, year). Durations ("four years", "the past decade")
are not dates and resolve to None. The machine clock is never a base: without a publication date
only expressions that carry their own year resolve; with a *not-before bound* (the latest full date
the text mentions) year-less month/day dates take their year from the bound and are flagged
``inferred``, and relative expressions ("on Friday", "last month") stay unresolved. dateparser
handles absolute forms; weekdays and "last/this month/year" are resolved here because
dateparser's choices for them do not suit news.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import dateparser

_WEEKDAY = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_ABBR = {
    "jan.": "january",
    "feb.": "february",
    "mar.": "march",
    "apr.": "april",
    "aug.": "august",
    "sept.": "september",
    "sep.": "september",
    "oct.": "october",
    "nov.": "november",
    "dec.": "december",
}
_RELATIVE_DAY_WORDS = frozenset({"today", "tonight", "yesterday", "this", "last", *_WEEKDAY})
_DURATION = re.compile(
    r"^(?:the )?(?:past|last|next|coming|previous)?\s*(?:\d+|a|an|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|several|few|many|\w+teen|\w+ty)\s+(?:years?|months?|weeks?|days?|decades?|hours?)$"
)
_STRIP = re.compile(
    r"^(?:on|in|at|by|from|since|until|during|early|late|mid|the|of|around|about|before|after)\s+", re.I
)


@dataclass(frozen=True)
class Resolved:
    date: str  # YYYY-MM-DD, YYYY-MM or YYYY
    precision: str  # day, month, year
    first_day: dt.date
    inferred: bool = False  # the year came from a not-before bound, not from a known publication date


_OWN_YEAR = re.compile(r"(?:19|20)\d{2}")
# A clock time before a day word ("0115 this morning", "10:30 p.m. yesterday") says nothing of the day.
_CLOCK = re.compile(r"^(?:\d{1,2}[:.]\d{2}|\d{4}|\d{1,2})(?:\s*(?:a\.?m\.?|p\.?m\.?|gmt|hours|hrs))?\s+(?=[a-z])")


@lru_cache(maxsize=8192)  # pure, and the same phrases recur within an article and a day's articles
def resolve(text: str, base: date | None, *, bound: bool = False) -> Resolved | None:
    """Resolve one DATE mention; None for durations, vague or future-only expressions.

    ``base`` is the publication date; with ``bound=True`` it is only a not-before bound for it.
    Without a base, only dates that state their year resolve.
    """
    t = " ".join(text.lower().replace("’", "'").split())
    while True:
        stripped = _STRIP.sub("", t)
        if stripped == t:
            break
        t = stripped
    for abbr, full in _ABBR.items():
        t = t.replace(abbr, full)
    t = re.sub(r"\b(\d{1,2})(st|nd|rd|th)\b", r"\1", t).removesuffix("'s")
    if _CLOCK.match(t) and _CLOCK.sub("", t).split()[0] in _RELATIVE_DAY_WORDS:
        t = _CLOCK.sub("", t)
    if not t or (_DURATION.match(t) and "ago" not in t):
        return None
    if base is None or bound:
        return _resolve_without_reference(t, base)
    return _resolve_against(t, base)


def _resolve_without_reference(t: str, bound: date | None) -> Resolved | None:
    """No publication date: a stated year resolves; a month/day takes the bound's year, flagged."""
    if _OWN_YEAR.search(t) and not re.search(r"\bago\b", t):
        reference = date(int(_OWN_YEAR.findall(t)[-1]), 12, 31)
        found = _resolve_against(t, reference)
        return found if found is not None and found.first_day.year == reference.year else None
    if bound is None or not any(m in t for m in _MONTHS):
        return None
    if not re.search(r"\b\d{1,2}\b", t):
        return None  # "in March" without a year or a day: too vague to place in a year
    found = _resolve_against(t, bound)
    if found is None:
        return None
    return Resolved(found.date, found.precision, found.first_day, inferred=True)


def _resolve_against(t: str, base: date) -> Resolved | None:
    day_part = re.sub(r"\s+(?:morning|afternoon|evening|night|prayers)$", "", t)
    if t == "last night":  # not "last" + a day part: the night before the report
        day_part = "yesterday"
    if day_part in ("today", "tonight") or (day_part == "this" and t != "this"):  # "this morning", "this evening"
        return Resolved(base.isoformat(), "day", base)
    if day_part in ("yesterday", "last night"):
        d = base - timedelta(days=1)
        return Resolved(d.isoformat(), "day", d)
    if day_part in _WEEKDAY:
        delta = (base.weekday() - _WEEKDAY[day_part]) % 7
        d = base - timedelta(days=delta)
        return Resolved(d.isoformat(), "day", d)
    if day_part.startswith("last ") and day_part[5:] in _WEEKDAY:
        delta = (base.weekday() - _WEEKDAY[day_part[5:]]) % 7 or 7
        d = base - timedelta(days=delta)
        return Resolved(d.isoformat(), "day", d)
    if day_part in ("weekend", "last weekend", "this weekend", "over the weekend"):
        # the Saturday of the weekend meant (Saturday or Sunday: within the day that event merging allows)
        saturday = base - timedelta(days=(base.weekday() - 5) % 7)
        d = saturday - timedelta(days=7) if day_part == "last weekend" and base.weekday() >= 5 else saturday
        return Resolved(d.isoformat(), "day", d)
    if t in ("last month", "previous month"):
        first = (base.replace(day=1) - timedelta(days=1)).replace(day=1)
        return Resolved(first.strftime("%Y-%m"), "month", first)
    if t in ("this month", "earlier this month"):
        first = base.replace(day=1)
        return Resolved(first.strftime("%Y-%m"), "month", first)
    if t in ("last year", "previous year"):
        first = date(base.year - 1, 1, 1)
        return Resolved(str(first.year), "year", first)
    if t in ("this year", "earlier this year"):
        return Resolved(str(base.year), "year", date(base.year, 1, 1))
    m = re.fullmatch(r"(?:(?P<last>last) )?(?P<month>[a-z]+)(?: of)?(?: (?P<which>this|last) year)?", t)
    if m and m["month"] in _MONTHS and (m["last"] or m["which"]):
        # "May this year", "March last year", "last May" (the latest May before the month of the base date)
        month = _MONTHS[m["month"]]
        if m["which"] == "this":
            year = base.year
        elif m["which"] == "last":
            year = base.year - 1
        else:
            year = base.year if month < base.month else base.year - 1
        first = date(year, month, 1)
        return Resolved(first.strftime("%Y-%m"), "month", first)
    if re.fullmatch(r"(?:19|20)\d{2}", t):
        return Resolved(t, "year", date(int(t), 1, 1))
    m = re.fullmatch(r"(?P<month>[a-z]+),?\s+(?P<year>(?:19|20)\d{2})", t)
    if m and m["month"] in _MONTHS:
        first = date(int(m["year"]), _MONTHS[m["month"]], 1)
        return Resolved(first.strftime("%Y-%m"), "month", first)
    if t in _MONTHS:  # "in March": the latest March not after the base date
        year = base.year if _MONTHS[t] <= base.month else base.year - 1
        first = date(year, _MONTHS[t], 1)
        return Resolved(first.strftime("%Y-%m"), "month", first)
    has_day = (bool(re.search(r"\b\d{1,2}\b", t)) and any(m in t for m in _MONTHS)) or bool(
        re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}", t)
    )
    if not has_day and "ago" not in t:
        return _year_or_month_named(t)
    parsed = dateparser.parse(
        t,
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(base.year, base.month, base.day),
            "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "DATE_ORDER": "DMY",
        },
    )
    if parsed is None:
        return None
    d = parsed.date()
    if not re.search(r"(?:19|20)\d{2}", t) and d > base:  # "Oct. 12" in a November article: this year
        d = d.replace(year=d.year - 1)
    return Resolved(d.isoformat(), "day", d)


def _year_or_month_named(t: str) -> Resolved | None:
    """The one year (and month) a vague reference states: "that day in 2001" (2001), "the summer of 2001",
    "that week in September 2001" (2001-09); None with no year or with several ("between 2019 and 2021")."""
    years = re.findall(r"\b(?:19|20)\d{2}\b", t)
    if len(years) != 1:
        return None
    months = {_MONTHS[w] for w in re.findall(r"[a-z]+", t) if w in _MONTHS}
    if len(months) == 1:
        first = date(int(years[0]), months.pop(), 1)
        return Resolved(first.strftime("%Y-%m"), "month", first)
    return Resolved(years[0], "year", date(int(years[0]), 1, 1)) if not months else None
