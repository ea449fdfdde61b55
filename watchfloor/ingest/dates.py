"""Find an article's publication date and record how it was found.

Order: metadata (HTML/JSONL) > URL > header line ("Kabul Ledger 08-04-2025", day-month order) >
"Published:" line > wire dateline (year inferred) > weekday/date pairs ("Monday, April 29" fixes
the year) > latest explicit date in the text > none.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

import dateparser

from watchfloor.models import PublishedDate

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH_RE = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?:/|-|$)")
HEADER_LINE = re.compile(
    r"^(?P<pub>[A-Z][\w.&' -]{0,59}?[A-Za-z.])[\s,|–-]*(?P<d>\d{1,2})[-./](?P<m>\d{1,2})[-./](?P<y>(?:19|20)\d{2})\s*$"
)
PUBLISHED_LINE = re.compile(
    r"^(?:published|posted|date|dated|first published|updated)(?: on)?\s*[:\-–]?\s*(?P<value>.{6,60})$",
    re.IGNORECASE,
)
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'-]{2,40}),(?:\s+[A-Z][A-Za-z .'-]{2,30},)?\s+"
    + _MONTH_RE
    + r"\s+(?P<day>\d{1,2})(?:,\s+(?P<year>(?:19|20)\d{2}))?\s*(?:\((?P<agency>[^)]{2,40})\))?"
)
WEEKDAY_DATE = re.compile(
    rf"\b(?P<weekday>{_WEEKDAYS}),?\s+(?:the\s+)?" + _MONTH_RE + r"\s+(?P<day>\d{1,2})\b(?!,?\s*\d{4})"
)
FULL_DATE = re.compile(
    _MONTH_RE
    + r"\s+(?P<day>\d{1,2}),\s+(?P<year>(?:19|20)\d{2})"
    + r"|(?P<day2>\d{1,2})\s+"
    + _MONTH_RE.replace("month", "month2")
    + r",?\s+(?P<year2>(?:19|20)\d{2})"
    + r"|\b(?P<iy>(?:19|20)\d{2})-(?P<im>\d{2})-(?P<id>\d{2})\b"
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


def published_line(line: str, today: date | None = None) -> PublishedDate | None:
    m = PUBLISHED_LINE.match(line.strip())
    if not m:
        return None
    parsed = dateparser.parse(
        m["value"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "STRICT_PARSING": True,
        },
        languages=["en"],
    )
    if parsed is None:
        return None
    if today and parsed.date() > today:
        return None
    return PublishedDate(parsed.date().isoformat(), "published-line", line.strip())


STAMP = re.compile(
    r"^(?:(?:updated|published|posted)\s*:?\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?:\d{1,2}\s+)?" + _MONTH_RE + r"\s+(?:\d{1,2},?\s+)?(?:19|20)\d{2}\b.{0,30}$",
    re.IGNORECASE,
)


def stamp_line(line: str, today: date | None = None) -> PublishedDate | None:
    """A line that is only a date and time: 'January 20, 2025 10:17 PM GMT-5', 'Jul 08, 2024 · 6 min read'."""
    text = line.strip()
    if len(text.split()) > 12 or not STAMP.match(text):
        return None
    found = explicit_dates(text, today or date.today())
    if not found:
        return None
    return PublishedDate(found[0][0].isoformat(), "date-stamp-line", text)


def dateline(line: str) -> tuple[str | None, int, int, int | None, str] | None:
    """'PESHAWAR, Pakistan, Jan. 31 (Watchwire) —' -> (agency, month, day, year or None, text)."""
    m = DATELINE.match(line.strip())
    if not m:
        return None
    year = int(m["year"]) if m["year"] else None
    return (m["agency"], _month(m["month"]), int(m["day"]), year, m.group(0))


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


def explicit_dates(text: str, today: date) -> list[tuple[date, str]]:
    out = []
    for m in FULL_DATE.finditer(text):
        if m["iy"]:
            d = _safe_date(int(m["iy"]), int(m["im"]), int(m["id"]))
        elif m["year"]:
            d = _safe_date(int(m["year"]), _month(m["month"]), int(m["day"]))
        else:
            d = _safe_date(int(m["year2"]), _month(m["month2"]), int(m["day2"]))
        if d and d <= today:
            out.append((d, m.group(0)))
    return out


def infer_from_text(text: str, today: date | None = None) -> PublishedDate:
    """Estimate the publication date from dates inside the text (the latest one mentioned)."""
    today = today or date.today()
    explicit = explicit_dates(text, today)
    years = [int(y) for y in YEAR.findall(text) if int(y) <= today.year]
    anchor = max(years) if years else None
    weekday = weekday_dates(text, anchor, today)
    if weekday:
        best = max(weekday)
        if not explicit or best[0] >= max(explicit)[0]:
            return PublishedDate(best[0].isoformat(), "weekday-date", best[1])
    if explicit:
        best = max(explicit)
        return PublishedDate(best[0].isoformat(), "latest-date-in-text", best[1])
    return PublishedDate(None, "none", "")


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
