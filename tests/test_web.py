"""The web UI in a real browser (Debian's chromium driven by Playwright) against a real server.

One uvicorn server on a copy of the demo store and one browser serve the whole module. Every test checks
what a user sees against the JSON API of the same server, never against hard-coded numbers, and every
test fails if a page logged a console error (a CSP violation is one) or threw.
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Response, ViewportSize, expect

from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings
from watchfloor.web.pages import quoted
from watchfloor.workspace import Workspace

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "web-ui-test-token-0123456789"
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000
LOCAL_HOSTS = {"127.0.0.1"}
# Returns nothing on purpose: handing the Cytoscape collection that emit() returns back to Python takes a minute.
TAP_FIRST_EDGE = "() => { wfGraph.edges()[0].emit('tap'); }"


# -- the server ---------------------------------------------------------------------------------------------
class LiveServer:
    """The real app under uvicorn in a background thread, on a port the OS picked."""

    def __init__(self, db: Path) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        app = create_app(ServerSettings(db=db, token=TOKEN))
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.api = httpx.Client(base_url=self.url, timeout=30)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        for _ in range(400):
            if self.server.started or not self.thread.is_alive():
                break
            threading.Event().wait(0.05)
        assert self.server.started, "uvicorn did not start"
        return self

    def __exit__(self, *_exc: object) -> None:
        self.api.close()
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()

    def get(self, path: str, **params: Any) -> Any:
        response = self.api.get(path, params=params)
        response.raise_for_status()
        return response.json()


def copy_store(src: Path, dst: Path) -> None:
    """A consistent copy of a WAL-mode store (the backup API reads through the WAL)."""
    with closing(sqlite3.connect(src)) as a, closing(sqlite3.connect(dst)) as b:
        a.backup(b)


# -- the browser --------------------------------------------------------------------------------------------
class Tab:
    """One page of one browser context, with every console error and page error it produced."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.errors: list[str] = []
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda m: self.errors.append(f"console {m.type} on {page.url}: {m.text}")
                if m.type == "error" else None)  # fmt: skip
        page.on("pageerror", lambda e: self.errors.append(f"page error on {page.url}: {e}"))

    def goto(self, path: str) -> Response:
        response = self.page.goto(self.base + path)
        assert response is not None, path
        assert response.ok, f"{path}: HTTP {response.status}"
        return response

    def path(self) -> str:
        """The current address without the server part."""
        parsed = urlparse(self.page.url)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "") + (f"#{parsed.fragment}" if parsed.fragment
                                                                            else "")  # fmt: skip

    def check(self) -> None:
        """No page the tab showed logged a console error (CSP violations included) or threw."""
        assert not self.errors, "\n".join(self.errors)


class Browsing:
    """The module's browser plus a record of every request any of its pages made."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.requests: list[str] = []

    def offsite(self) -> list[str]:
        return [u for u in self.requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
                and urlparse(u).hostname not in LOCAL_HOSTS]  # fmt: skip

    @contextmanager
    def tab(self, base: str, viewport: ViewportSize = DESKTOP) -> Iterator[Tab]:
        context = self.browser.new_context(viewport=viewport)
        context.on("request", lambda r: self.requests.append(r.url))
        try:
            yield Tab(context.new_page(), base)
        finally:
            context.close()


MISSING_CHROMIUM = f"{CHROMIUM} is missing; the web UI tests need Debian's chromium: apt-get install chromium"


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo store, copied so that the corrections made here stay in this module."""
    db = tmp_path_factory.mktemp("web") / "web.db"
    copy_store(demo_db, db)
    with LiveServer(db) as live:
        yield live


# -- helpers ------------------------------------------------------------------------------------------------
def evidence_href(doc_id: str, start: int, end: int) -> str:
    return f"/documents/{doc_id}?hl={start}-{end}#hl"


def focus_text(page: Page) -> str:
    """The highlighted evidence on a document page: every segment of the focus, in order."""
    return "".join(page.locator("#doctext .hl-focus").all_text_contents())


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def unobscured(page: Page, selector: str) -> str:
    """The ``data-event`` of a circle a user can click (no other circle drawn over its centre)."""
    found = page.evaluate(
        """(sel) => {
            for (const c of document.querySelectorAll(sel)) {
                c.scrollIntoView({block: "center"});
                const r = c.getBoundingClientRect();
                if (r.width && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === c) {
                    return c.dataset.event;
                }
            }
            return null;
        }""",
        selector,
    )
    assert found, f"no clickable {selector}"
    return str(found)


def spread(xs: dict[str, float]) -> float:
    return max(xs.values()) - min(xs.values()) if len(xs) > 1 else 0.0


def contrast(page: Page, selector: str) -> float:
    """WCAG contrast ratio between an element's text colour and the first opaque background behind it."""
    fg, bg = page.locator(selector).first.evaluate(
        """(el) => {
            let b = el;
            while (b && ["rgba(0, 0, 0, 0)", "transparent"].includes(getComputedStyle(b).backgroundColor)) {
                b = b.parentElement;
            }
            return [getComputedStyle(el).color, b ? getComputedStyle(b).backgroundColor : "rgb(255, 255, 255)"];
        }"""
    )

    def luminance(css: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def all_claims(server: LiveServer) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        page = server.get("/api/claims", limit=500, offset=len(out))
        out.extend(page["items"])
        if not page["next"]:
            return out


@pytest.fixture(scope="module")
def documents(server: LiveServer) -> list[dict[str, Any]]:
    """Every analysed document of the demo store with its spans, as the API gives them."""
    listed = server.get("/api/documents", limit=500, status="analysed")["items"]
    return [server.get(f"/api/documents/{d['id']}") for d in listed]


def document_with_furniture(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """The analysed document with the most removed page furniture that also has claims and relations."""
    usable = [d for d in documents if d["claims"] and d["relations"] and len(d["removed"]) >= 2]
    assert usable, "the demo store has no document with furniture, claims and relations"
    return max(usable, key=lambda d: len(d["removed"]))


def furniture_summary(n: int) -> str:
    return f"{n} line{'' if n == 1 else 's'} of page furniture removed"


# -- the tests ----------------------------------------------------------------------------------------------
def test_chromium_is_installed() -> None:
    assert CHROMIUM.exists(), MISSING_CHROMIUM


def test_dashboard_counts_and_the_evidence_trail(tab: Tab, server: LiveServer) -> None:
    stats = server.get("/api/stats")
    tab.goto("/")
    page = tab.page
    labels = {"documents": "documents", "actors & places": "entities_mentioned", "events": "events",
              "relations": "relations", "claims": "claims", "forecasts": "forecasts"}  # fmt: skip
    shown = {c.locator("span").inner_text(): c.locator("b").inner_text() for c in page.locator(".cards .card").all()}
    assert shown == {label: f"{stats[key]:,}" for label, key in labels.items()}
    # One bar per month with events; the months between them are zero slots (tests/test_web_visuals.py).
    assert page.locator("svg.bars rect:not([data-value='0'])").count() == len(stats["events_by_month"])

    latest = page.locator("section", has=page.locator("h2", has_text="Latest events"))
    links = latest.locator("td:first-child a[href^='/events/']")
    api_latest = server.get("/api/events", limit=8)["items"]
    assert [int(h.split("/")[-1]) for h in (a.get_attribute("href") or "" for a in links.all())] == [
        e["id"] for e in api_latest
    ]

    first = api_latest[0]
    links.first.click()
    page.wait_for_url(f"**/events/{first['id']}")
    event = server.get(f"/api/events/{first['id']}")
    expect(page.locator("h1")).to_contain_text(event["date"] or "undated")
    source = event["sources"][0]
    evidence = source["evidence"][0]
    link = page.locator("ol.sources a.evidence").first
    assert link.get_attribute("href") == evidence_href(source["doc_id"], evidence["start"], evidence["end"])
    link.click()
    page.wait_for_url(f"**/documents/{source['doc_id']}?hl=*")
    hl = page.locator("#hl")
    expect(hl).to_be_visible()
    expect(hl).to_be_in_viewport()
    assert "hl-focus" in (hl.get_attribute("class") or "")
    hl_text = hl.text_content() or ""
    assert hl_text.strip() and hl_text in evidence["text"]
    assert focus_text(page) == evidence["text"]
    tab.check()


def test_search_from_the_header_box(tab: Tab, server: LiveServer) -> None:
    query = '"suicide bomber"'
    api_hits = server.get("/api/search", q=query, limit=20)["items"]
    assert api_hits, "the demo corpus should mention a suicide bomber"
    tab.goto("/")
    page = tab.page
    box = page.locator("header form.search input[name=q]")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    expect(page.locator("main input[name=q]")).to_have_value(query)
    hits = page.locator("ol.hits > li")
    expect(hits).to_have_count(len(api_hits))
    marks = page.locator("ol.hits mark")
    assert marks.count() > 0
    assert all(re.fullmatch(r"suicide\s+bombers?", m.lower()) for m in marks.all_inner_texts())
    assert hits.first.locator("a").inner_text() == (api_hits[0]["title"] or "(untitled)")
    hits.first.locator("a").click()
    page.wait_for_url(f"**/documents/{api_hits[0]['id']}")
    expect(page.locator("#doctext")).to_be_visible()
    tab.check()


def test_actor_page_by_alias_and_relation_evidence(tab: Tab, server: LiveServer) -> None:
    entity = server.get("/api/entities/ISKP")
    relations = server.get("/api/relations", actor="ISKP")["items"]
    assert relations, "ISKP has relations in the demo store"
    tab.goto("/actors/ISIS-K")
    page = tab.page
    assert page.locator("h1").inner_text().strip().startswith(entity["name"])  # after the colour swatch
    assert entity["name"] == "Islamic State Khorasan Province"
    aliases = [t.replace("×", "").strip() for t in page.locator("#aliases > li").all_inner_texts()]
    assert "ISKP" in aliases
    assert sorted(aliases) == sorted(entity["aliases"])
    expect(page.locator("table.relations tr:has(td)")).to_have_count(len(relations))

    source = relations[0]["sources"][0]
    link = page.locator("table.relations a.evidence").first
    assert link.get_attribute("href") == evidence_href(source["doc_id"], source["start"], source["end"])
    link.click()
    page.wait_for_url(f"**/documents/{source['doc_id']}?hl=*")
    expect(page.locator("#hl")).to_be_in_viewport()
    assert focus_text(page) == source["text"]
    tab.check()


def test_network_counts_edge_evidence_and_filter(tab: Tab, server: LiveServer) -> None:
    graph = server.get("/api/graph")
    tab.goto("/graph")
    page = tab.page
    box = page.locator("#graph[data-edges]")
    expect(box).to_have_attribute("data-nodes", str(len(graph["nodes"])))
    expect(box).to_have_attribute("data-edges", str(len(graph["edges"])))
    expect(page.locator("#graph canvas").first).to_be_visible()
    legend = f"{len(graph['nodes'])} actors, {len(graph['edges'])} relations"
    expect(page.locator("#graph-legend")).to_contain_text(legend)

    edge = page.evaluate("(() => { const d = wfGraph.edges()[0].data(); "
                         "return {source: d.source, target: d.target, predicate: d.predicate}; })()")  # fmt: skip
    page.evaluate(TAP_FIRST_EDGE)
    query = {"actor": edge["source"], "predicate": edge["predicate"], "limit": 100, "sources": 50}
    rows = server.get("/api/relations", **query)["items"]
    row = next(r for r in rows if str(r["subject_entity_id"]) == edge["source"]
               and str(r["object_entity_id"]) == edge["target"])  # fmt: skip
    items = page.locator("#graph-panel ol.sources > li")
    expect(items).to_have_count(len(row["sources"]))
    expect(page.locator("#graph-panel h3")).to_contain_text(edge["predicate"].replace("_", " "))
    first = row["sources"][0]
    assert squash(items.first.locator("span").inner_text()) == squash(quoted(first["text"]))
    clipped = page.locator("#graph-panel").evaluate(
        "(p) => [...p.querySelectorAll('a')].filter((a) => a.getBoundingClientRect().right > "
        "p.getBoundingClientRect().right + 1).map((a) => a.textContent)"
    )
    assert clipped == [], "evidence links run past the panel's edge"
    link = items.first.locator("a.evidence")
    assert link.get_attribute("href") == evidence_href(first["doc_id"], first["start"], first["end"])
    link.click()
    page.wait_for_url(f"**/documents/{first['doc_id']}?hl=*")
    expect(page.locator("#hl")).to_be_in_viewport()
    assert focus_text(page) == first["text"]

    counts: dict[str, int] = {}
    for e in graph["edges"]:
        counts[e["predicate"]] = counts.get(e["predicate"], 0) + 1
    predicate = max(counts, key=lambda p: counts[p])
    filtered = server.get("/api/graph", predicate=predicate)
    assert len(filtered["edges"]) < len(graph["edges"]), "pick a predicate that actually filters"
    tab.goto("/graph")
    expect(page.locator("#graph[data-edges]")).to_be_attached()
    page.locator("select[name=predicate]").select_option(predicate)
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**/graph?predicate={predicate}*")
    box = page.locator("#graph[data-edges]")
    expect(box).to_have_attribute("data-nodes", str(len(filtered["nodes"])))
    expect(box).to_have_attribute("data-edges", str(len(filtered["edges"])))
    predicates = page.evaluate("[...new Set(wfGraph.edges().map((e) => e.data('predicate')))]")
    assert predicates == [predicate]
    tab.check()


def test_timeline_circles_zoom_and_click(tab: Tab, server: LiveServer) -> None:
    dated = [p for p in server.get("/api/timeline")["items"] if p["date"]]
    assert dated
    tab.goto("/timeline")
    page = tab.page
    box = page.locator("#timeline[data-visible]")
    expect(box).to_have_attribute("data-visible", str(len(dated)))
    circles = page.locator("#timeline circle[data-event]")
    expect(circles).to_have_count(len(dated))
    assert sorted(int(c) for c in circles.evaluate_all("cs => cs.map((c) => c.dataset.event)")) == sorted(
        p["id"] for p in dated
    )
    expect(page.locator("main h2").first).to_have_text(f"{len(dated)} dated events")

    def positions() -> dict[str, float]:
        return dict(circles.evaluate_all("cs => cs.map((c) => [c.dataset.event, Number(c.getAttribute('cx'))])"))

    before = positions()
    page.locator("#tl-in").click()
    page.locator("#tl-in").click()
    visible = int(box.get_attribute("data-visible") or -1)
    assert 0 <= visible <= len(dated)
    expect(circles).to_have_count(visible)
    after = positions()
    # Zooming in drops circles outside the window or spreads the ones left further apart.
    assert visible < len(dated) or spread(after) > spread(before)
    page.locator("#tl-reset").click()
    expect(box).to_have_attribute("data-visible", str(len(dated)))
    assert positions() == before

    event_id = unobscured(page, "#timeline circle[data-event]")
    page.locator(f'#timeline circle[data-event="{event_id}"]').click()
    page.wait_for_url(f"**/events/{event_id}")
    event = server.get(f"/api/events/{event_id}")
    expect(page.locator("h1")).to_contain_text(event["date"])
    tab.check()


def test_map_outlines_points_click_and_nothing_offsite(tab: Tab, server: LiveServer, browsing: Browsing) -> None:
    items = server.get("/api/timeline")["items"]
    located = {p["id"] for p in items if p["latitude"] is not None and p["longitude"] is not None}
    by_country = {p["id"] for p in items if p["id"] not in located and p.get("country_numeric")}
    assert located
    tab.goto("/map")
    page = tab.page
    box = page.locator("#map[data-countries]")
    expect(box).to_be_attached()
    assert int(box.get_attribute("data-countries") or 0) > 200
    expect(page.locator("#map path.land")).to_have_count(int(box.get_attribute("data-countries") or 0))

    def ids(selector: str) -> set[int]:
        return {int(i) for i in page.locator(selector).evaluate_all("cs => cs.map((c) => c.dataset.event)")}

    # Events with coordinates sit at their town; the others, if their country is known, at its centre.
    assert ids("#map circle.exact[data-event]") == located
    approximate = ids("#map circle.approx[data-event]")
    assert approximate <= by_country
    expect(box).to_have_attribute("data-approximate", str(len(approximate)))
    expect(box).to_have_attribute("data-points", str(len(located) + len(approximate)))
    expect(page.locator("#map circle[data-event]")).to_have_count(len(located) + len(approximate))

    event_id = unobscured(page, "#map circle.exact[data-event]")
    page.locator(f'#map circle[data-event="{event_id}"]').click()
    link = page.locator(f'#map-panel a[href="/events/{event_id}"]')
    expect(link).to_be_visible()
    point = next(p for p in items if str(p["id"]) == event_id)
    expect(page.locator("#map-panel h3")).to_contain_text(point["place"] or "?")
    link.click()
    page.wait_for_url(f"**/events/{event_id}")

    assert any(urlparse(u).path == "/static/vendor/countries-50m.json" for u in browsing.requests)
    assert browsing.offsite() == []
    tab.check()


def test_claims_ledger_and_disputes(tab: Tab, server: LiveServer) -> None:
    first_page = server.get("/api/claims", limit=50)
    tab.goto("/claims")
    page = tab.page
    rows = page.locator("table.claims tr[data-claim]")
    expect(rows).to_have_count(len(first_page["items"]))
    assert [int(r.get_attribute("data-claim") or 0) for r in rows.all()] == [c["id"] for c in first_page["items"]]
    speakers = [t.split("\n")[0].strip() for t in rows.locator("td:nth-child(2)").all_inner_texts()]
    assert speakers == [c["speaker"] or "–" for c in first_page["items"]]
    expect(page.locator("nav.pager a", has_text="next")).to_have_count(1 if first_page["next"] else 0)
    assert contrast(page, "nav.tabs a[aria-current=page]") >= 4.5, "the current tab is hard to read"

    disputed = [c for c in all_claims(server) if c["contradicts"]]
    assert disputed, "the demo store has contradicting claims"
    page.get_by_role("link", name="contradictions").click()
    page.wait_for_url("**/claims?view=disputes")
    articles = page.locator("article.dispute")
    expect(articles).to_have_count(len(disputed))
    for article, claim in zip(articles.all(), disputed, strict=True):
        assert squash(quoted(claim["text"])) in squash(article.locator("p").first.text_content() or "")
        assert article.locator("li.contra").count() == len(claim["contradicts"])
    tab.check()


def test_document_layers_and_furniture(tab: Tab, documents: list[dict[str, Any]]) -> None:
    doc = document_with_furniture(documents)
    tab.goto(f"/documents/{doc['id']}")
    page = tab.page
    doctext = page.locator("#doctext")
    claim_only = page.locator("#doctext .hl-claim:not(.hl-relation):not(.hl-event):not(.hl-focus)").first
    expect(claim_only).to_be_visible()
    expect(page.locator("#layers label", has_text="claims")).to_contain_text(str(len(doc["claims"])))
    background = "el => getComputedStyle(el).backgroundColor"
    assert claim_only.evaluate(background) not in ("rgba(0, 0, 0, 0)", "transparent")

    checkbox = page.locator("#layers input[value=claim]")
    checkbox.uncheck()
    expect(doctext).to_have_class(re.compile(r"\bhide-claim\b"))
    assert claim_only.evaluate(background) == "rgba(0, 0, 0, 0)"
    checkbox.check()
    expect(doctext).not_to_have_class(re.compile(r"\bhide-claim\b"))

    furniture = page.locator("details.furniture")
    assert furniture.evaluate("d => d.open") is False
    items = furniture.locator("ul > li")
    expect(items.first).to_be_hidden()
    expect(furniture.locator("summary")).to_have_text(furniture_summary(len(doc["removed"])))
    furniture.locator("summary").click()
    assert furniture.evaluate("d => d.open") is True
    expect(items).to_have_count(len(doc["removed"]))
    expect(items.first).to_be_visible()
    assert [squash(t) for t in furniture.locator("ul > li .removed").all_text_contents()] == [
        squash(r["text"]) for r in doc["removed"]
    ]
    for other in {len(d["removed"]): d for d in documents}.values():  # one document per count, 0 and 1 included
        tab.goto(f"/documents/{other['id']}")
        expect(page.locator("details.furniture summary")).to_have_text(furniture_summary(len(other["removed"])))
    tab.check()


XSS_SCRIPT = "<script>window.pwned=1</script>"
XSS_ARTICLE = f"""Kandahar Courier 14-03-2024

Checkpoint attack in Kandahar {XSS_SCRIPT} bulletin

By Courier staff

Gunmen attacked a police checkpoint on the edge of Kandahar city on Wednesday night, killing four officers.

A police spokesman said ISKP fighters had attacked the Taliban post and left a note that read \
{XSS_SCRIPT} <img src=x onerror="window.pwned=2"> "><svg onload=window.pwned=3> beside the bodies of the zorbalite \
guards.

The Taliban said its forces had killed two of the attackers. ISKP has fought the Taliban since 2015 and has claimed \
many attacks on its checkpoints in the south.
"""


def test_article_markup_never_runs(browsing: Browsing, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("xss")
    article = folder / "kandahar-courier-checkpoint.txt"
    article.write_text(XSS_ARTICLE, encoding="utf-8")
    db = folder / "xss.db"
    with Workspace(db) as ws:
        report = ws.ingest([str(article)])
    assert report.analysed == 1, report

    with LiveServer(db) as live, browsing.tab(live.url) as t:
        doc_id = live.get("/api/documents")["items"][0]["id"]
        assert XSS_SCRIPT in live.get(f"/api/documents/{doc_id}")["text"]
        pages = [f"/documents/{doc_id}", "/search?q=zorbalite", "/actors/ISKP", "/actors/Taliban"]
        for path in pages:
            response = t.goto(path)
            assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), path
            t.page.wait_for_load_state("load")
            t.page.wait_for_timeout(200)
            assert t.page.evaluate("typeof window.pwned") == "undefined", path
            expect(t.page.get_by_text(XSS_SCRIPT).first).to_be_visible()
            assert t.page.locator("main img, main script, main svg[onload]").count() == 0, path
            if not path.startswith("/search"):  # a search snippet is a few words around the match
                text = t.page.locator("main").inner_text()
                assert '<img src=x onerror="window.pwned=2">' in text, path
                assert '"><svg onload=window.pwned=3>' in text, path
        t.check()


def test_phone_layout_has_no_sideways_scroll(
    browsing: Browsing, server: LiveServer, documents: list[dict[str, Any]]
) -> None:
    doc = document_with_furniture(documents)
    with browsing.tab(server.url, PHONE) as t:
        page = t.page
        for path in ["/", "/actors/ISKP", f"/documents/{doc['id']}", "/claims"]:
            t.goto(path)
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1] + 1, f"{path}: page is {width[0]} px wide in a {width[1]} px window"
            expect(page.locator("nav[aria-label=main]")).to_be_visible()
            for link in page.locator("nav[aria-label=main] a").all():
                expect(link).to_be_in_viewport()
            expect(page.locator("header form.search input")).to_be_visible()
            if path.startswith("/actors/"):
                widths = page.locator("table.relations td.quote").evaluate_all(
                    "tds => tds.map((td) => td.getBoundingClientRect().width)"
                )
                assert widths and min(widths) >= 200, f"relation evidence squeezed into {min(widths)} px columns"
            outside = page.evaluate(
                "[...document.querySelectorAll('main table')].filter((t) => !t.closest('.scroll')).length"
            )
            assert outside == 0, f"{path}: a table outside a .scroll box"
        t.check()


SCREENS = 10_000  # bytes: an empty or broken page compresses to far less


def test_screenshots_of_every_page(browsing: Browsing, server: LiveServer, tmp_path: Path) -> None:
    folder = Path(os.environ.get("WATCHFLOOR_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    relation = server.get("/api/relations", actor="ISKP")["items"][0]["sources"][0]
    events = [e for e in server.get("/api/events", limit=500)["items"] if not e["figures_disagree"]]
    event_id = max(events, key=lambda e: (len(e["sources"]), e["killed"] or e["killed_low"] or 0))["id"]
    shots = [
        ("dashboard", "/", "svg.bars"),
        ("search", "/search?q=" + quote('"suicide bomber"'), "ol.hits mark"),
        ("actor", "/actors/ISKP", "table.relations"),
        ("network", "/graph", "#graph[data-edges]"),
        ("timeline", "/timeline", "#timeline[data-visible]"),
        ("map", "/map", "#map[data-countries]"),
        ("claims", "/claims", "table.claims tr[data-claim]"),
        ("document", evidence_href(relation["doc_id"], relation["start"], relation["end"]), "#hl"),
        ("event", f"/events/{event_id}", "ol.sources a.evidence"),
    ]
    written = []
    with browsing.tab(server.url) as t:
        for name, path, ready in shots:
            t.goto(path)
            expect(t.page.locator(ready).first).to_be_attached()
            if name == "network":
                t.page.evaluate(TAP_FIRST_EDGE)
                expect(t.page.locator("#graph-panel ol.sources li").first).to_be_visible()
            target = folder / f"{name}.png"
            t.page.screenshot(path=str(target))  # the viewport: what a user sees first
            written.append(target)
        t.check()
    with browsing.tab(server.url, PHONE) as t:
        t.goto("/actors/ISKP")
        target = folder / "mobile-actor.png"
        t.page.screenshot(path=str(target))  # the viewport: what a user sees first
        written.append(target)
        t.check()
    for png in written:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", png
        assert len(data) > SCREENS, f"{png} is only {len(data)} bytes"


def test_corrections_through_the_ui(tab: Tab, server: LiveServer) -> None:
    alias = "Khorasan franchise"
    before = server.get("/api/corrections")["total"]
    tab.goto("/actors/ISKP")
    page = tab.page
    form = page.locator("form[data-action=add-alias]")
    expect(form).to_be_hidden()

    def use_token(token: str) -> None:
        if not page.locator("details.token").evaluate("d => d.open"):
            page.locator("details.token summary").click()
        page.locator("#token").fill(token)
        page.locator("#token-form button[type=submit]").click()
        expect(page.locator("body")).to_have_class(re.compile(r"\bcan-write\b"))
        expect(page.locator("#token-state")).to_have_text("corrections enabled")

    use_token("not-the-right-token-at-all")
    expect(form).to_be_visible()
    form.locator("input[name=alias]").fill(alias)
    form.locator("button[type=submit]").click()
    expect(page.locator("#toast")).to_contain_text("Not saved")
    expect(page.locator("#toast")).to_contain_text("wrong bearer token")
    page.wait_for_timeout(600)  # a success would have reloaded the page by now
    assert [e for e in tab.errors if "401" not in e] == []
    tab.errors.clear()  # the browser logs the refused request itself
    expect(page.locator("#aliases")).not_to_contain_text(alias)
    assert server.get("/api/corrections")["total"] == before
    assert alias not in server.get("/api/entities/ISKP")["aliases"]

    use_token(TOKEN)
    form.locator("input[name=alias]").fill(alias)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#aliases > li", has_text=alias)).to_be_visible()
    expect(page.locator("body")).to_have_class(re.compile(r"\bcan-write\b"))
    corrections = server.get("/api/corrections")
    assert corrections["total"] == before + 1
    latest = corrections["items"][0]
    assert (latest["action"], latest["value"], latest["entity_key"]) == ("add_alias", alias, "iskp")
    assert alias in server.get("/api/entities/ISKP")["aliases"]
    tab.check()


def test_no_page_fetched_anything_from_another_host(browsing: Browsing, server: LiveServer) -> None:
    """Everything the pages of this module loaded (this test's own pages included) came from the server."""
    with browsing.tab(server.url) as t:
        for path, ready in [("/", "svg.bars"), ("/graph", "#graph[data-edges]"), ("/map", "#map[data-countries]")]:
            t.goto(path)
            expect(t.page.locator(ready)).to_be_attached()
        t.check()
    assert any(urlparse(u).path == "/static/vendor/cytoscape.min.js" for u in browsing.requests)
    assert browsing.offsite() == []


def test_an_alias_with_a_slash_is_removed_through_the_ui(tab: Tab, server: LiveServer) -> None:
    alias = next(a for a in server.get("/api/entities/ISKP")["aliases"] if "/" in a)  # "ISKP/ISIS-K"
    tab.goto("/actors/ISKP")
    page = tab.page
    page.locator("details.token summary").click()
    page.locator("#token").fill(TOKEN)
    page.locator("#token-form button[type=submit]").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\bcan-write\b"))
    with page.expect_navigation():
        page.locator(f"#aliases button[data-alias='{alias}']").click()
    expect(page.locator("#aliases > li", has_text=alias)).to_have_count(0)
    assert alias not in server.get("/api/entities/ISKP")["aliases"]
    latest = server.get("/api/corrections")["items"][0]
    assert (latest["action"], latest["value"]) == ("remove_alias", alias)
    tab.check()
