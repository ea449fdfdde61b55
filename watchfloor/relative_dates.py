"""Dates as analysts type them, for every ``--since`` / ``--until`` option and for ``watchfloor news``.

Accepted: ISO days, months and years (``2024-05-01``, ``2024-05``, ``2024``); ``7d``, ``2w``, ``3m``, ``1y``
(also ``7 days ago``); ``today``, ``yesterday``, ``this-week``, ``last-week``, ``this-month``, ``last-month``,
``this-year``, ``last-year``; and, through dateparser, English phrases such as ``last friday`` or
``1 May 2024``. A value names a *period*: ``--since`` takes its first day, ``--until`` its last
(``--until last-month`` ends on the last day of that month). The functions are pure: ``today`` (or ``now``)
is a parameter, so they are testable; only the option callbacks read the clock.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta

from watchfloor.errors import UserError

EXAMPLES = "e.g. 2024-05-01, 7d, yesterday, last-week"  # the rest: see the module docstring
_AMOUNT = re.compile(
    r"(?P<n>\d{1,4})\s*(?P<unit>d|days?|w|wks?|weeks?|m|mos?|months?|y|yrs?|years?)(?:\s+ago)?", re.IGNORECASE
)
_HOURS = re.compile(r"(?P<n>\d{1,5})\s*(?:h|hrs?|hours?)(?:\s+ago)?", re.IGNORECASE)
_ISO_MONTH = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})")
_ISO_YEAR = re.compile(r"\d{4}")

Period = tuple[date, date]


def months_back(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, clamped to the month's end (31 March - 1m = 29 Feb)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month(year: int, month: int) -> Period:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _named(word: str, today: date) -> Period | None:
    monday = today - timedelta(days=today.weekday())
    last_month = months_back(today.replace(day=1), 1)
    periods: dict[str, Period] = {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "this-week": (monday, monday + timedelta(days=6)),
        "last-week": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "this-month": _month(today.year, today.month),
        "last-month": _month(last_month.year, last_month.month),
        "this-year": (date(today.year, 1, 1), date(today.year, 12, 31)),
        "last-year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    }
    return periods.get(re.sub(r"[\s_]+", "-", word))


def _ago(n: int, unit: str, today: date) -> date:
    unit = unit[0]
    if unit == "d":
        return today - timedelta(days=n)
    if unit == "w":
        return today - timedelta(weeks=n)
    return months_back(today, n * (12 if unit == "y" else 1))


def _iso(value: str) -> Period | None:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        pass
    else:
        return day, day
    if m := _ISO_MONTH.fullmatch(value):
        year, month = int(m["y"]), int(m["m"])
        return _month(year, month) if 1 <= month <= 12 and year >= 1 else None
    if _ISO_YEAR.fullmatch(value) and int(value) >= 1:
        return date(int(value), 1, 1), date(int(value), 12, 31)
    return None


def _dateparser(value: str, today: date) -> Period | None:
    """English phrases dateparser knows ("last friday", "1 May 2024", "May 2024"), relative to ``today``."""
    from dateparser.date import DateDataParser  # about half a second to import: only for phrases

    parser = DateDataParser(
        languages=["en"],
        settings={"RELATIVE_BASE": datetime.combine(today, time()), "PREFER_DATES_FROM": "past",
                  "PREFER_DAY_OF_MONTH": "first"},
    )  # fmt: skip
    try:
        data = parser.get_date_data(value)
    except Exception:  # a third-party parser on free text: any failure means "not a date"
        return None
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    if data.period == "month":
        return _month(day.year, day.month)
    if data.period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day, day


def period(value: str, today: date) -> Period | None:
    """The inclusive span of days ``value`` names relative to ``today``, or None when it names none."""
    text = value.strip().lower()
    if not text:
        return None
    found = _iso(text) or _named(text, today)
    if found:
        return found
    if m := _AMOUNT.fullmatch(text):
        try:
            day = _ago(int(m["n"]), m["unit"].lower(), today)
        except (ValueError, OverflowError):  # before year 1
            return None
        return day, day
    if re.search(r"[a-z]", text) and not _HOURS.fullmatch(text):
        return _dateparser(text, today)
    return None


def resolve(value: str, today: date, *, end: bool = False, label: str = "--since") -> date:
    """The day a ``--since`` (first day of the period) or ``--until`` (``end``: last day) value names."""
    found = period(value, today)
    if found is None:
        raise UserError(f"{label} {value!r} is not a date ({EXAMPLES})")
    return found[1] if end else found[0]


def moment(value: str, now: datetime) -> datetime:
    """A point in time for ``news --since``: ``12h`` (hours before ``now``), an ISO timestamp, or the start
    of the first day a date value names, in ``now``'s time zone. Returned in UTC."""
    local = now if now.tzinfo else now.replace(tzinfo=UTC)
    text = value.strip()
    if m := _HOURS.fullmatch(text):
        try:
            return (local - timedelta(hours=int(m["n"]))).astimezone(UTC)
        except OverflowError as exc:
            raise UserError(f"--since {value!r} is too far back") from exc
    if text[:4].isdigit() and len(text) > 10:  # 2024-05-01T10:00 or 2024-05-01 10:00
        try:
            stamp = datetime.fromisoformat(text)
            return (stamp if stamp.tzinfo else stamp.replace(tzinfo=local.tzinfo)).astimezone(UTC)
        except (ValueError, OverflowError):
            pass
    day = resolve(text, local.date(), label="--since")
    try:
        return datetime.combine(day, time(), tzinfo=local.tzinfo).astimezone(UTC)
    except OverflowError:  # the first day of year 1 in a time zone east of UTC
        return datetime.min.replace(tzinfo=UTC)


def since_option(value: str | None) -> str | None:
    """Typer callback for ``--since`` options: any accepted form becomes ``YYYY-MM-DD`` (today's clock)."""
    return None if value is None else resolve(value, date.today()).isoformat()


def until_option(value: str | None) -> str | None:
    """Typer callback for ``--until`` options: the last day of the period the value names, ``YYYY-MM-DD``."""
    return None if value is None else resolve(value, date.today(), end=True, label="--until").isoformat()
