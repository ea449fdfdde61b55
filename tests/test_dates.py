"""Publication dates found in metadata, URLs, header lines, datelines and the text itself."""

from __future__ import annotations

from datetime import date

from watchfloor.ingest import dates
from watchfloor.ingest.document import build_document
from watchfloor.models import RawInput

TODAY = date(2026, 11, 23)


def test_header_line_is_day_month_order() -> None:
    found = dates.header_line("Kabul Ledger 08-04-2025")
    assert found is not None
    assert found[0] == "Kabul Ledger"
    assert found[1].date == "2025-04-08"
    assert found[1].method == "header-line"


def test_header_line_with_impossible_day_month_swaps() -> None:
    found = dates.header_line("Frontier Daily 04/28/2023")
    assert found is not None and found[1].date == "2023-04-28"


def test_url_date() -> None:
    found = dates.from_url("https://northwest.test/2023/07/31/bajaur-rally-blast")
    assert found is not None and found.date == "2023-07-31" and found.method == "url"
    assert dates.from_url("https://northwest.test/news/bajaur-rally-blast") is None


def test_weekday_date_pair_fixes_the_year() -> None:
    text = "The convoy was hit on Monday, April 29, near the border. Officials met again in 2023 and 2024."
    found = dates.infer_from_text(text, TODAY)
    assert found.date == "2024-04-29"  # April 29 was a Monday in 2024 (and 2019, 2013)
    assert found.method == "weekday-date"


def test_latest_explicit_date_when_nothing_else() -> None:
    text = "The group was founded on January 10, 2015, and struck again on 3 March 2022."
    found = dates.infer_from_text(text, TODAY)
    assert found.date == "2022-03-03" and found.method == "latest-date-in-text"


def test_no_date_is_recorded_as_none() -> None:
    found = dates.infer_from_text("No dates in this text at all.", TODAY)
    assert found.date is None and found.method == "none"


def test_yearless_dateline_takes_the_year_its_weekday_fits() -> None:
    text = (
        "KANDAHAR, Afghanistan, Oct. 15 (Watchwire) — Bombers struck a mosque during Friday prayers.\n\n"
        "The group first appeared in 2015."
    )
    doc = build_document(RawInput("x.txt", "txt", text.encode()), TODAY)
    assert doc.published.date == "2021-10-15"  # the latest Oct. 15 that fell on a Friday
    assert doc.publisher == "Watchwire"
    assert "year inferred" in doc.published.method


def test_published_line_is_metadata_not_text() -> None:
    text = "Published: 23 March 2024\n\nGunmen opened fire at a concert hall outside Moscow on Friday evening."
    doc = build_document(RawInput("y.txt", "txt", text.encode()), TODAY)
    assert doc.published.date == "2024-03-23"
    assert "Published" not in doc.text
    assert any(r.text == "Published: 23 March 2024" for r in doc.removed)


def test_future_dates_are_never_chosen() -> None:
    found = dates.infer_from_text("Officials expect elections on March 3, 2031.", TODAY)
    assert found.date is None
