"""The Watch page in a real browser (Debian's chromium driven by Playwright): add an actor with the token, see
everything marked new on the first visit, nothing on the next, and after a later ingest exactly the later
document's facts; remove it again. Expected rows come from the JSON API of the same server."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.test_web import PHONE, TOKEN, Browsing, LiveServer, Tab
from watchfloor.workspace import Workspace, demo_corpus_path

pytestmark = pytest.mark.browser

DEMO = ["crocus-city-hall-attack-moscow.html", "kerman-memorial-twin-bombings.txt",
        "kandahar-shia-mosque-bombing-wire.txt"]  # fmt: skip
LATER = "2999-01-01T00:00:00+00:00"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("watch-web") / "watch.db"
    with Workspace(path) as ws:
        report = ws.ingest([str(demo_corpus_path() / name) for name in DEMO])
    assert report.analysed == len(DEMO), report
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[LiveServer]:
    with LiveServer(db) as live:
        yield live


def use_token(page: Page) -> None:
    page.locator("details.token summary").click()
    page.locator("#token").fill(TOKEN)
    page.locator("#token-form button[type=submit]").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\bcan-write\b"))


def flagged(page: Page, selector: str, attribute: str) -> set[str]:
    """The ``attribute`` of every row matching ``selector`` that carries a "new" badge."""
    return {
        str(row.get_attribute(attribute))
        for row in page.locator(selector).all()
        if row.locator(".badge-new").count()
    }


def visit(tab: Tab, path: str = "/watch") -> None:
    """Open the page and wait until it has remembered the visit (the token is in the tab's session)."""
    tab.goto(path)
    expect(tab.page.locator("#watch-visit")).to_contain_text("Visit remembered")


def test_the_watch_page_marks_what_is_new_since_the_last_visit(browsing: Browsing, server: LiveServer,
                                                                db: Path) -> None:  # fmt: skip
    with browsing.tab(server.url) as tab:
        page = tab.page
        tab.goto("/watch")
        expect(page.locator("#watch-state")).to_contain_text("Nothing watched yet")
        expect(page.locator("#watch-add")).to_be_hidden()  # writes need the token
        expect(page.locator("nav[aria-label=main] a[aria-current=page]")).to_have_text("Watch")
        use_token(page)
        form = page.locator("#watch-add")
        form.locator("input[name=value]").fill("Talibn")
        form.locator("button[type=submit]").click()
        expect(page.locator("#toast")).to_contain_text("Not added: no actor named 'Talibn'")
        tab.errors.clear()  # the browser logs the refused request itself
        form.locator("input[name=value]").fill("ISKP")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        section = page.locator("section.watch-item")
        expect(section).to_have_count(1)
        expect(section.locator("h2")).to_contain_text("Islamic State Khorasan Province")
        expect(page.locator("#watch-visit")).to_contain_text("Visit remembered")
        # First visit: everything listed is new.
        rows = section.locator("tr[data-event], tr[data-claim], tr[data-relation], li[data-doc]")
        assert rows.count() > 3
        assert section.locator(".badge-new").count() == rows.count()

        visit(tab)  # the next visit: nothing entered the store since
        expect(page.locator("section.watch-item .badge-new")).to_have_count(0)
        expect(page.locator("section.watch-item .watch-count")).to_have_text("0 new")

        # A document about ISKP is stored later (as a second ingest would): the API says what is new now.
        before = server.get("/api/watch/overview")["items"][0]
        later = before["claims"][0]["doc_id"]
        with closing(sqlite3.connect(db)) as conn, conn:
            conn.execute("UPDATE documents SET ingested_at=? WHERE id=?", (LATER, later))
        news = server.get("/api/watch/news")["items"][0]
        assert [d["id"] for d in news["documents"]] == [later]
        visit(tab)
        assert flagged(page, "li[data-doc]", "data-doc") == {later}
        for kind, key in (("claim", "id"), ("relation", "relation_id"), ("event", "id")):
            selector, attribute = f"tr[data-{kind}]", f"data-{kind}"
            shown = {str(row.get_attribute(attribute)) for row in page.locator(selector).all()}  # 10 of each
            assert flagged(page, selector, attribute) == {str(f[key]) for f in news[f"{kind}s"]} & shown, kind
        assert flagged(page, "tr[data-claim]", "data-claim")  # the later document's claims are on the page
        badges = page.locator("section.watch-item .badge-new").count()
        expect(page.locator("section.watch-item .watch-count")).to_have_text(f"{badges} new")

        visit(tab)  # seen now
        expect(page.locator("section.watch-item .badge-new")).to_have_count(0)

        with page.expect_navigation():
            page.locator("button[data-watch-remove]").click()
        expect(page.locator("section.watch-item")).to_have_count(0)
        assert server.get("/api/watch")["items"] == []
        tab.check()


def test_the_watch_page_fits_a_phone(browsing: Browsing, server: LiveServer) -> None:
    added = server.api.post("/api/watch", json={"name": "Kerman"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert added.status_code == 201, added.text
    with browsing.tab(server.url, PHONE) as tab:
        tab.goto("/watch")
        expect(tab.page.locator("section.watch-item")).to_have_count(1)
        width = tab.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1] + 1, f"/watch is {width[0]} px wide in a {width[1]} px window"
        tab.check()
