"""The review page in a real browser (Debian's chromium via Playwright) on a copy of the demo store: the
dashboard count leads to it, an analyst sets the date of an undated article, the item leaves the queue and
the article's events are dated and on the timeline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.test_web import PHONE, TOKEN, Browsing, LiveServer, Tab, copy_store

pytestmark = pytest.mark.browser
REPROCESS_MS = 120_000  # setting a date re-analyses the document with the language model


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("review-web") / "review.db"
    copy_store(demo_db, db)
    with LiveServer(db) as live:
        yield live


def use_token(tab: Tab) -> None:
    page = tab.page
    page.locator("details.token summary").click()
    page.locator("#token").fill(TOKEN)
    page.locator("#token-form button[type=submit]").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\bcan-write\b"))


def doc_events(server: LiveServer, doc_id: str) -> dict[int, dict[str, Any]]:
    """The events the document reports, by the start of their trigger."""
    reports = server.get(f"/api/documents/{doc_id}")["events"]
    return {r["trigger_start"]: server.get(f"/api/events/{r['event_id']}") for r in reports}


def test_the_dashboard_links_the_open_count_to_the_review_page(tab: Tab, server: LiveServer) -> None:
    counts = server.get("/api/review", limit=1)["counts"]
    assert counts["undated"] >= 1, "the demo corpus has undated articles"
    tab.goto("/")
    page = tab.page
    link = page.locator("[data-testid=review-count] a[href='/review']")
    expect(link).to_have_text(f"{counts['total']:,} items to review")
    link.click()
    page.wait_for_url("**/review")
    expect(page.locator("[data-testid=review-total]")).to_have_text(f"{counts['total']} open")
    expect(page.locator("header nav a[href='/review']")).to_have_attribute("aria-current", "page")
    first = server.get("/api/review", limit=50)["items"]
    assert page.locator("li.review-item").evaluate_all("els => els.map(e => e.dataset.item)") == [
        i["id"] for i in first
    ]
    expect(page.locator("li.review-item .actions").first).to_be_hidden()  # no token: no actions
    page.locator("nav.tabs a[data-kind=undated]").click()
    page.wait_for_url("**/review?kind=undated")
    expect(page.locator("li.review-item")).to_have_count(counts["undated"])
    tab.check()


def test_setting_the_date_of_an_undated_article(tab: Tab, server: LiveServer) -> None:
    undated = server.get("/api/review", kind="undated")["items"]
    item = max(undated, key=lambda i: len(doc_events(server, i["ref"])))  # the article with the most events
    doc = server.get(f"/api/documents/{item['ref']}")
    waiting = [at for at, e in doc_events(server, doc["id"]).items() if e["date"] is None]
    assert waiting, "an undated article's relative dates are unresolved"
    bound = doc["published_not_before"]
    published = (date.fromisoformat(bound) + timedelta(days=1)).isoformat() if bound else "2024-08-03"
    total = server.get("/api/review", limit=1)["total"]

    tab.goto("/review?kind=undated")
    page = tab.page
    use_token(tab)
    entry = page.locator(f"li.review-item[data-item='{item['id']}']")
    expect(entry.locator(".title")).to_have_text(item["title"])
    expect(entry.locator(".why")).to_have_text(item["why"])
    entry.locator("input[name=date]").fill(published)
    with page.expect_navigation(timeout=REPROCESS_MS):
        entry.locator("form.fix button[type=submit]").click()
    expect(page.locator(f"li.review-item[data-item='{item['id']}']")).to_have_count(0)
    # The item is gone, and so may be others the re-analysis settled (an event that now has its date,
    # place and perpetrator is no longer incomplete): the page shows the queue's new, smaller total.
    after = server.get("/api/review", limit=1)["total"]
    assert after <= total - 1
    expect(page.locator("[data-testid=review-total]")).to_have_text(f"{after} open")
    assert server.get(f"/api/documents/{doc['id']}")["published"] == published

    # Re-analysed with a reference date: every news event of the article is dated, none after the article.
    dated = [e for e in doc_events(server, doc["id"]).values() if not e["is_background"]]
    assert dated and all(e["date"] and e["date"] <= published for e in dated), dated
    on_timeline = {p["id"] for p in server.get("/api/timeline")["items"]}
    assert {e["id"] for e in dated} <= on_timeline
    tab.goto(f"/events/{dated[0]['id']}")
    expect(page.locator("h1")).to_contain_text(dated[0]["date"])
    tab.check()


def test_accepting_and_merging_from_the_page(tab: Tab, server: LiveServer) -> None:
    items = server.get("/api/review", limit=500)["items"]
    claim = next(i for i in items if i["kind"] == "low-confidence")
    pair = next((i for i in items if i["kind"] == "duplicate"), None)
    tab.goto("/review?kind=low-confidence")
    page = tab.page
    use_token(tab)
    with page.expect_navigation():
        page.locator(f"li.review-item[data-item='{claim['id']}'] button[data-review=accept]").click()
    expect(page.locator(f"li.review-item[data-item='{claim['id']}']")).to_have_count(0)
    assert server.get("/api/review/log")["items"][0]["item"] == claim["id"]
    if pair is not None:  # the demo corpus has suspected duplicates; merge one, keeping the other entity
        other = next(i for i in pair["ref"] if i != pair["keep"])
        tab.goto("/review?kind=duplicate")
        entry = page.locator(f"li.review-item[data-item='{pair['id']}']")
        entry.locator("select[name=keep]").select_option(str(other))
        with page.expect_navigation():
            entry.locator("form.fix button[type=submit]").click()
        expect(page.locator(f"li.review-item[data-item='{pair['id']}']")).to_have_count(0)
        assert server.get(f"/api/entities/{pair['keep']}")["id"] == other
    tab.check()


def test_the_review_page_fits_a_phone(browsing: Browsing, server: LiveServer) -> None:
    with browsing.tab(server.url, PHONE) as t:
        page = t.page
        for path in ["/review", "/review?kind=incomplete", "/review?kind=duplicate"]:
            t.goto(path)
            for link in page.locator("nav[aria-label=main] a").all():
                expect(link).to_be_in_viewport()
            use_token(t)  # the action controls are the widest part of an item
            expect(page.locator("li.review-item .actions").first).to_be_visible()
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1] + 1, f"{path}: page is {width[0]} px wide in a {width[1]} px window"
        t.check()
