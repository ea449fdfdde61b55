"""Find an article's publication date and record how it was found.

Primitives used by ``document`` (the order of cues is there): URL dates, masthead header lines
("Kabul Ledger 08-04-2025", day-month order), wire datelines ("PESHAWAR, Jan. 31 (Watchwire)") whose
missing year weekday/date pairs or the text's years fix. Date stamps near the headline are read by
``metadata``; nothing here guesses a date from the text as a whole.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from watchfloor.models import PublishedDate

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH_RE = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MONTH_ANY_CASE = "(?i:" + _MONTH_RE.removeprefix("(?P<month>").removesuffix(")\\.?") + ")"
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?:/|-|$)")
HEADER_LINE = re.compile(
    r"^(?P<pub>[A-Z][\w.&' -]{0,59}?[A-Za-z.])[\s,|–-]*(?P<d>\d{1,2})[-./](?P<m>\d{1,2})[-./](?P<y>(?:19|20)\d{2})\s*$"
)
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'-]{2,40}),(?:\s+[A-Z][A-Za-z .'-]{2,30},)?\s+"
    + _MONTH_RE
    + r"\s+(?P<day>\d{1,2})(?:,\s+(?P<year>(?:19|20)\d{2}))?\s*(?:\((?P<agency>[^)]{2,40})\))?"
)
# Day-first wire datelines, also all-caps and with a two-digit year: "SAN JOSE (COSTA RICA), 18 NOV 89 (ACAN-EFE) --",
# "KABUL, 4 February 2024 (AFP) -". The agency in brackets is required: it is what makes the line a dateline.
DATELINE_DAY_FIRST = re.compile(
    r"^(?P<place>[A-Z][A-Z .'-]{2,40}(?:\([A-Za-z .'-]{2,30}\))?),(?:\s+[A-Z][A-Za-z .'-]{2,30},)?\s+"
    r"(?P<day>\d{1,2})\s+(?P<month>" + _MONTH_ANY_CASE + r")\.?,?\s+(?P<year>(?:19|20)?\d{2})"
    r"\s*\((?P<agency>[^)]{2,40})\)"
)
WEEKDAY_DATE = re.compile(
    rf"\b(?P<weekday>{_WEEKDAYS}),?\s+(?:the\s+)?" + _MONTH_RE + r"\s+(?P<day>\d{1,2})\b(?!,?\s*\d{4})"
)
YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower().rstrip(".")[:3]]


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def from_url(url: str | None) -> PublishedDate | None:
    if not url:
        return None
    m = URL_DATE.search(url)
    if m:
        found = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if found:
            return PublishedDate(found.isoformat(), "url", m.group(0))
    return None


def header_line(line: str) -> tuple[str, PublishedDate] | None:
    """'Kabul Ledger 08-04-2025' -> ('Kabul Ledger', 2025-04-08): day-month order outside the US."""
    m = HEADER_LINE.match(line.strip())
    if not m:
        return None
    day, month = int(m["d"]), int(m["m"])
    if month > 12 and day <= 12:  # only a month-first reading is possible
        day, month = month, day
    found = _safe_date(int(m["y"]), month, day)
    if not found:
        return None
    return m["pub"].strip(), PublishedDate(found.isoformat(), "header-line", line.strip())


def dateline(line: str) -> tuple[str | None, int, int, int | None, str] | None:
    """'PESHAWAR, Pakistan, Jan. 31 (Watchwire) —' -> (agency, month, day, year or None, text)."""
    m = DATELINE.match(line.strip()) or DATELINE_DAY_FIRST.match(line.strip())
    if not m:
        return None
    year = int(m["year"]) if m["year"] else None
    if year is not None and year < 100:  # "18 NOV 89": the latest such year that is not in the future
        year += 2000 if 2000 + year <= date.today().year else 1900
    return (m["agency"], _month(m["month"]), int(m["day"]), year, m.group(0))


def dateline_place(text: str) -> str | None:
    """The place a dateline opens with ("SAN JOSE (COSTA RICA)" in "SAN JOSE (COSTA RICA), 18 NOV 89 (EFE)")."""
    m = DATELINE.match(text.strip()) or DATELINE_DAY_FIRST.match(text.strip())
    return m["place"].strip() if m else None


def weekday_dates(text: str, anchor_year: int | None, today: date) -> list[tuple[date, str]]:
    """Resolve 'Monday, April 29' to the year in which April 29 was a Monday, closest to the anchor."""
    found: list[tuple[date, str]] = []
    for m in WEEKDAY_DATE.finditer(text):
        weekday = list(calendar.day_name).index(m["weekday"])
        month, day = _month(m["month"]), int(m["day"])
        candidates = [
            d
            for y in range(1990, today.year + 1)
            if (d := _safe_date(y, month, day)) and d.weekday() == weekday and d <= today
        ]
        if not candidates:
            continue
        if anchor_year is not None:
            # The text cannot be older than the years it mentions: prefer years from the anchor on.
            later = [d for d in candidates if d.year >= anchor_year] or candidates
            best = min(later, key=lambda d: (abs(d.year - anchor_year), -d.year))
        else:
            best = candidates[-1]
        found.append((best, m.group(0)))
    return found


def complete_dateline(month: int, day: int, text: str, today: date | None = None) -> date | None:
    """Give a year-less dateline ("Oct. 15") a year consistent with the text.

    Weekday/date pairs in the text fix the year; else a weekday named near the top ("Friday
    prayers") must fall on the dateline's date; else the latest year the text mentions.
    """
    today = today or date.today()
    years = [int(y) for y in YEAR.findall(text) if int(y) <= today.year]
    if not years:
        return None  # nothing in the text fixes the year: leave the document undated
    floor = max(years)
    pairs = weekday_dates(text, floor, today)
    if pairs:
        year = max(pairs)[0].year
        found = _safe_date(year, month, day)
        if found and found > today:
            found = _safe_date(year - 1, month, day)
        return found
    head = text[:800]
    named = {i for i, name in enumerate(calendar.day_name) if re.search(rf"\b{name}\b", head)}
    if named:
        candidates = [
            d
            for y in range(floor, today.year + 1)
            if (d := _safe_date(y, month, day)) and d <= today and d.weekday() in named
        ]
        if candidates:
            return candidates[-1]
    for year in (floor, floor + 1):
        found = _safe_date(year, month, day)
        if found and found <= today:
            return found
    return None
