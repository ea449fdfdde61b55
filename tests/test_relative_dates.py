"""Relative dates for --since/--until and `news --since`: every form against a fixed today, and the CLI's
one-line error for a value that is no date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import invoke_cli
from watchfloor.errors import UserError
from watchfloor.relative_dates import moment, months_back, period, resolve

TODAY = date(2024, 5, 15)  # a Wednesday


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("7d", date(2024, 5, 8), date(2024, 5, 8)),
        ("2w", date(2024, 5, 1), date(2024, 5, 1)),
        ("3m", date(2024, 2, 15), date(2024, 2, 15)),
        ("1y", date(2023, 5, 15), date(2023, 5, 15)),
        ("10 days ago", date(2024, 5, 5), date(2024, 5, 5)),
        ("today", TODAY, TODAY),
        ("Yesterday", date(2024, 5, 14), date(2024, 5, 14)),
        ("last-week", date(2024, 5, 6), date(2024, 5, 12)),  # Monday to Sunday of the week before
        ("this week", date(2024, 5, 13), date(2024, 5, 19)),
        ("last-month", date(2024, 4, 1), date(2024, 4, 30)),
        ("last_year", date(2023, 1, 1), date(2023, 12, 31)),
        ("2024-05-01", date(2024, 5, 1), date(2024, 5, 1)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("last friday", date(2024, 5, 10), date(2024, 5, 10)),  # dateparser, relative to TODAY
        ("March 2024", date(2024, 3, 1), date(2024, 3, 31)),
        ("1 May 2024", date(2024, 5, 1), date(2024, 5, 1)),
    ],
)
def test_each_form_names_a_span_of_days(value: str, first: date, last: date) -> None:
    assert period(value, TODAY) == (first, last)
    assert resolve(value, TODAY) == first
    assert resolve(value, TODAY, end=True) == last


@pytest.mark.parametrize("value", ["", "soon", "7", "2024-13", "2024-02-30", "7x", "12h", "d7", "9999y"])
def test_values_that_name_no_day_are_refused(value: str) -> None:
    assert period(value, TODAY) is None
    with pytest.raises(UserError, match=r"is not a date \(e\.g\. 2024-05-01, 7d"):
        resolve(value, TODAY, label="--until")


def test_months_back_stays_inside_shorter_months() -> None:
    assert months_back(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_back(date(2023, 3, 31), 1) == date(2023, 2, 28)
    assert months_back(date(2024, 1, 15), 1) == date(2023, 12, 15)
    assert months_back(date(2024, 5, 31), 15) == date(2023, 2, 28)


def test_a_month_before_a_january_date_is_in_december_last_year() -> None:
    assert period("1m", date(2024, 1, 10)) == (date(2023, 12, 10), date(2023, 12, 10))
    assert period("last-month", date(2024, 1, 10)) == (date(2023, 12, 1), date(2023, 12, 31))


def test_moments_for_news_are_in_utc_and_start_at_local_midnight() -> None:
    kabul = timezone(timedelta(hours=4, minutes=30))
    now = datetime(2024, 5, 15, 2, 0, tzinfo=kabul)  # still 14 May in UTC
    assert moment("12h", now) == datetime(2024, 5, 14, 9, 30, tzinfo=UTC)
    assert moment("today", now) == datetime(2024, 5, 14, 19, 30, tzinfo=UTC)  # local midnight of 15 May
    assert moment("yesterday", now) == datetime(2024, 5, 13, 19, 30, tzinfo=UTC)
    assert moment("2024-05-01T10:00", now) == datetime(2024, 5, 1, 5, 30, tzinfo=UTC)  # naive: local time
    assert moment("2024-05-01T10:00+00:00", now) == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    with pytest.raises(UserError, match="--since 'whenever' is not a date"):
        moment("whenever", now)


def test_relative_dates_reach_the_listing_commands(tmp_path: Path) -> None:
    """The options resolve before the store is opened: a bad value is one line and exit 1 on every command,
    a good one runs (on an empty store)."""
    db = str(tmp_path / "empty.db")
    for args in (["events", "--since", "someday"], ["timeline", "--until", "someday"],
                 ["claims", "--since", "someday"], ["relations", "--until", "someday"],
                 ["search", "x", "--since", "someday"], ["export", "stix", "-o", str(tmp_path / "x.json"),
                                                         "--since", "someday"]):  # fmt: skip
        bad = invoke_cli(*args, "--db", db)
        assert bad.returncode == 1, (args, bad.stderr)
        lines = [line for line in bad.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "'someday' is not a date (e.g. 2024-05-01, 7d" in lines[0], (args, bad.stderr)
    good = invoke_cli("events", "--since", "last-month", "--until", "yesterday", "--db", db, "--json")
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip() == "[]"
