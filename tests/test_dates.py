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


def test_dates_in_the_text_only_bound_an_undated_article_from_below() -> None:
    text = "The group was founded on January 10, 2015, and struck again on 3 March 2022, killing six people."
    doc = build_document(RawInput("z.txt", "txt", text.encode()), TODAY)
    assert doc.published.date is None and doc.published.method == "none"
    assert doc.published.not_before == "2022-03-03"


def test_no_date_anywhere_leaves_no_bound() -> None:
    doc = build_document(
        RawInput("n.txt", "txt", b"No dates in this text at all, only a long sentence about it."), TODAY
    )
    assert doc.published.date is None and doc.published.not_before is None


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
    text = "Officials expect elections on March 3, 2031, in the whole province, the commission said today."
    doc = build_document(RawInput("f.txt", "txt", text.encode()), TODAY)
    assert doc.published.date is None and doc.published.not_before is None


def test_day_first_wire_dateline_in_capitals_with_a_two_digit_year() -> None:
    text = (
        "SAN JOSE (COSTA RICA), 18 NOV 89 (ACAN-EFE) -- [TEXT] THE GUERRILLA MOVEMENT TODAY ANNOUNCED THAT IT\n"
        "WILL KEEP FIGHTING IN THE NORTH OF THE COUNTRY, ITS RADIO STATION SAID LATE ON FRIDAY."
    )
    doc = build_document(RawInput("w.txt", "txt", text.encode()), TODAY)
    assert (doc.published.date, doc.published.method, doc.publisher) == ("1989-11-18", "dateline", "ACAN-EFE")
    assert dates.dateline("KABUL, 4 February 2024 (AFP) - Gunmen attacked")[:4] == ("AFP", 2, 4, 2024)
    # without the agency in brackets a place, a number and a month are not a dateline
    assert dates.dateline("PARIS, 12 MAY 24 PEOPLE WERE HURT") is None
