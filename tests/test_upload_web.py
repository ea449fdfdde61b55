"""The "Add articles" page in a real browser (Debian's chromium driven by Playwright): with the analyst token,
choose an article and drop a junk file, send them as one job, watch it finish, see one result per file
(the junk with the CLI's reason) and follow the link to the new document. What the page shows is checked
against the JSON API of the same server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.test_web import DESKTOP, PHONE, TOKEN, Browsing, LiveServer
from watchfloor.workspace import demo_corpus_path

pytestmark = pytest.mark.browser

ARTICLE = demo_corpus_path() / "kerman-memorial-twin-bombings.txt"
JUNK_JS = """() => {
    const dt = new DataTransfer();
    const bytes = new Uint8Array(2048).map((_, i) => i % 256);
    dt.items.add(new File([bytes], "junk.txt", { type: "text/plain" }));
    return dt;
}"""
JOB_TIMEOUT_MS = 240_000  # the first job loads the language model


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """An empty store: whatever the page adds is the only document."""
    with LiveServer(tmp_path_factory.mktemp("upload-web") / "up.db") as live:
        yield live


def use_token(page: Page, token: str) -> None:
    if page.locator("details.token[open]").count() == 0:
        page.locator("details.token summary").click()
    page.locator("#token").fill(token)
    page.locator("#token-form button[type=submit]").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\bcan-write\b"))


def api_job(server: LiveServer, job_id: str) -> dict[str, Any]:
    response = server.api.get(f"/api/jobs/{job_id}", headers={"Authorization": f"Bearer {TOKEN}"})
    response.raise_for_status()
    job: dict[str, Any] = response.json()
    return job


def test_upload_an_article_and_a_junk_file_then_open_the_new_document(browsing: Browsing, server: LiveServer) -> None:
    with browsing.tab(server.url) as tab:
        page = tab.page
        tab.goto("/")
        page.locator("nav[aria-label=main] a", has_text="Add articles").click()
        expect(page).to_have_url(server.url + "/ingest")
        expect(page.locator("nav[aria-label=main] a[aria-current=page]")).to_have_text("Add articles")
        expect(page.locator("#ingest-form")).to_be_hidden()  # adding needs the token
        expect(page.locator("#ingest-locked")).to_be_visible()

        use_token(page, "wrong-token-0123456789")
        page.locator("#ingest-urls").fill("https://example.org/article.html")
        page.locator("#ingest-submit").click()
        expect(page.locator("#ingest-message")).to_have_text("Not added: missing or wrong bearer token")
        tab.errors.clear()  # the browser logs the refused request itself
        page.locator("#ingest-urls").fill("")

        use_token(page, TOKEN)
        expect(page.locator("#ingest-locked")).to_be_hidden()
        page.locator("#ingest-files").set_input_files(str(ARTICLE))
        page.locator("#dropzone").dispatch_event("drop", {"dataTransfer": page.evaluate_handle(JUNK_JS)})
        chosen = page.locator("#ingest-chosen li")
        expect(chosen).to_have_count(2)
        assert [li.get_attribute("data-file") for li in chosen.all()] == [ARTICLE.name, "junk.txt"]

        page.locator("#ingest-submit").click()
        expect(page.locator("#ingest-job")).to_be_visible()
        expect(page.locator("#ingest-job")).to_have_attribute("data-status", "done", timeout=JOB_TIMEOUT_MS)
        expect(page.locator("#ingest-chosen li")).to_have_count(0)

        job = api_job(server, page.locator("#job-id").inner_text())
        results = {r["input"]: r for r in job["results"]}
        assert results[ARTICLE.name]["outcome"] == "analysed" and results[ARTICLE.name]["document"], job
        assert results["junk.txt"]["outcome"] == "problem" and "binary content" in results["junk.txt"]["message"]
        expect(page.locator("#job-state")).to_have_text("Done: 1 analysed, 1 problem.")
        rows = page.locator("#job-results tbody tr")
        expect(rows).to_have_count(2)
        assert [tr.get_attribute("data-input") for tr in rows.all()] == [ARTICLE.name, "junk.txt"]  # as given
        junk = page.locator('#job-results tr[data-input="junk.txt"]')
        expect(junk).to_have_attribute("data-outcome", "problem")
        expect(junk.locator("td").nth(2)).to_have_text(results["junk.txt"]["message"])
        expect(junk.locator("a")).to_have_count(0)

        page.set_viewport_size(PHONE)
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1] + 1, f"/ingest is {width[0]} px wide on a {width[1]} px phone"
        page.set_viewport_size(DESKTOP)

        doc_id = results[ARTICLE.name]["document"]
        row = page.locator(f'#job-results tr[data-input="{ARTICLE.name}"]')
        expect(row.locator("td").nth(1)).to_have_text("analysed")
        link = row.locator("a")
        expect(link).to_have_attribute("href", f"/documents/{doc_id}")
        doc = server.get(f"/api/documents/{doc_id}")
        expect(link).to_have_text(doc["title"])
        link.click()
        expect(page).to_have_url(f"{server.url}/documents/{doc_id}")
        expect(page.locator("h1")).to_contain_text(doc["title"])
        expect(page.locator("#doctext")).to_contain_text(doc["text"][:60])
        tab.check()


def test_the_page_says_when_the_server_has_no_token(browsing: Browsing, tmp_path: Path) -> None:
    with LiveServer(tmp_path / "none.db") as live, browsing.tab(live.url) as tab:
        app: Any = live.server.config.app
        app.state.ctx.settings.token = None  # as `watchfloor serve` without --token-file
        tab.goto("/ingest")
        expect(tab.page.locator("#ingest-disabled")).to_contain_text("started without an analyst token")
        expect(tab.page.locator("#ingest-form")).to_have_count(0)
        tab.check()
