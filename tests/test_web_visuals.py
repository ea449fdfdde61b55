"""The charts in a real browser (Debian's chromium driven by Playwright): one colour per actor on every page,
a month axis without gaps, timeline year labels that never overlap, network labels readable at the hubs, the
date range on map and timeline, and merging two actors by searching a name on the actor page.

Expected values come from the JSON API of the same server; every test fails on any console error.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.test_web import (
    DESKTOP,
    PHONE,
    TOKEN,
    Browsing,
    LiveServer,
    Tab,
    copy_store,
)

pytestmark = pytest.mark.browser

OLD_DATE = "1971-06-01"  # one event moved this far back makes the timeline span over fifty years


def served_copy(demo_db: Path, folder: Path, change: str | None = None) -> Iterator[LiveServer]:
    db = folder / "visuals.db"
    copy_store(demo_db, db)
    if change:
        with closing(sqlite3.connect(db)) as conn, conn:
            conn.execute(change)
    with LiveServer(db) as live:
        yield live


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from served_copy(demo_db, tmp_path_factory.mktemp("visuals"))


@pytest.fixture(scope="module")
def long_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo store with its oldest dated event moved back to 1971: half a century of year labels."""
    oldest = ("UPDATE events SET date='" + OLD_DATE + "', date_precision='day' WHERE id=(SELECT id FROM events "
              "WHERE date IS NOT NULL AND is_background=0 ORDER BY date LIMIT 1)")  # fmt: skip
    yield from served_copy(demo_db, tmp_path_factory.mktemp("visuals-long"), oldest)


@pytest.fixture(scope="module")
def merge_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A copy of its own: the merge changes the store."""
    yield from served_copy(demo_db, tmp_path_factory.mktemp("visuals-merge"))


def hex_colour(css: str) -> str:
    """``rgb(0, 114, 178)`` or ``#0072b2`` as ``#0072b2``."""
    if css.startswith("#"):
        return css.lower()
    r, g, b = (int(c) for c in re.findall(r"\d+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def months_between(first: str, last: str) -> list[str]:
    out, (y, m) = [], (int(first[:4]), int(first[5:7]))
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def boxes(page: Page, selector: str) -> list[dict[str, float]]:
    return list(page.locator(selector).evaluate_all(
        "els => els.map((e) => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, "
        "top: r.top, bottom: r.bottom}; })"))  # fmt: skip


# -- colours ------------------------------------------------------------------------------------------------
def test_an_actor_has_the_same_colour_on_every_page(tab: Tab, server: LiveServer) -> None:
    points = server.get("/api/timeline")["items"]
    graph = {n["key"]: n for n in server.get("/api/graph")["nodes"]}
    active = {a["key"] for a in server.get("/api/stats")["active"]}
    counts: dict[str, int] = {}
    for p in points:
        if p["perpetrator_key"] in graph:
            counts[p["perpetrator_key"]] = counts.get(p["perpetrator_key"], 0) + 1
    keys = sorted(counts, key=lambda k: -counts[k])[:3]
    assert len(keys) >= 2, "the demo store should have perpetrators that are also in the network"
    page = tab.page
    seen: dict[str, dict[str, str]] = {k: {} for k in keys}

    tab.goto("/timeline")
    expect(page.locator("#timeline[data-visible]")).to_be_attached()
    for key in keys:
        ids = [p["id"] for p in points if p["perpetrator_key"] == key and p["date"]]
        fills = {hex_colour(page.locator(f'#timeline circle[data-event="{i}"]').get_attribute("fill") or "")
                 for i in ids}  # fmt: skip
        assert len(fills) == 1, (key, fills)
        seen[key]["timeline"] = fills.pop()
        name = next(p["perpetrator"] for p in points if p["perpetrator_key"] == key)
        swatch = page.locator(f'#tl-legend span[data-lane="{name}"]').locator("xpath=preceding-sibling::span[1]")
        seen[key]["timeline legend"] = hex_colour(swatch.evaluate("s => getComputedStyle(s).backgroundColor"))

    tab.goto("/map")
    expect(page.locator("#map[data-countries]")).to_be_attached()
    for key in keys:
        ids = [p["id"] for p in points if p["perpetrator_key"] == key]
        fills = {hex_colour(c.evaluate("c => getComputedStyle(c).fill"))
                 for i in ids for c in page.locator(f'#map circle[data-event="{i}"]').all()}  # fmt: skip
        if fills:  # an event without a place is not on the map
            assert len(fills) == 1, (key, fills)
            seen[key]["map"] = fills.pop()

    tab.goto("/graph")
    expect(page.locator("#graph[data-edges]")).to_be_attached()
    for key in keys:
        node = str(graph[key]["id"])
        seen[key]["network"] = hex_colour(page.evaluate(f"wfGraph.getElementById('{node}').style('background-color')"))

    for key in keys:
        tab.goto(f"/actors/{key}")
        seen[key]["actor page"] = hex_colour(page.locator("h1 svg.swatch circle").get_attribute("fill") or "")
        if key in active:
            tab.goto("/")
            item = page.locator("ol.active li", has=page.locator(f'a[href="/actors/{graph[key]["id"]}"]'))
            seen[key]["dashboard"] = hex_colour(item.locator("svg.swatch circle").get_attribute("fill") or "")

    for key, pages in seen.items():
        assert len(pages) >= 4, (key, pages)
        assert len(set(pages.values())) == 1, f"{key} changes colour between pages: {pages}"
    tab.check()


# -- time axes ----------------------------------------------------------------------------------------------
def test_the_dashboard_month_axis_has_every_month(tab: Tab, server: LiveServer) -> None:
    by_month = {m["month"]: m["events"] for m in server.get("/api/stats")["events_by_month"]}
    assert len(by_month) >= 3
    expected = months_between(min(by_month), max(by_month))
    assert len(expected) > len(by_month), "the demo store has months without events: the test needs a gap"
    tab.goto("/")
    bars = tab.page.locator("svg.bars rect")
    drawn = bars.evaluate_all("rs => rs.map((r) => [r.dataset.month, Number(r.dataset.value), r.getBBox().x])")
    assert [d[0] for d in drawn] == expected
    assert [d[1] for d in drawn] == [by_month.get(m, 0) for m in expected]
    xs = [d[2] for d in drawn]
    gaps = {round(b - a, 1) for a, b in itertools.pairwise(xs)}
    assert len(gaps) == 1, f"months are not evenly spaced: {gaps}"  # one slot per month, zero or not
    tab.check()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_timeline_year_labels_never_overlap(browsing: Browsing, long_server: LiveServer, viewport: Any) -> None:
    dated = [p["date"] for p in long_server.get("/api/timeline")["items"] if p["date"]]
    assert min(dated) == OLD_DATE and int(max(dated)[:4]) - 1971 >= 40
    with browsing.tab(long_server.url, viewport) as t:
        t.goto("/timeline")
        page = t.page
        expect(page.locator("#timeline[data-visible]")).to_be_attached()
        for zoom in range(3):  # the full span, then zoomed in twice
            labels = page.locator("#timeline .axis text")
            texts = labels.all_text_contents()
            assert len(texts) >= 3, texts
            placed = sorted(boxes(page, "#timeline .axis text"), key=lambda b: b["left"])
            overlaps = [(a, b) for a, b in itertools.pairwise(placed) if a["right"] > b["left"]]
            assert overlaps == [], f"zoom {zoom}: {texts}"
            page.locator("#tl-in").click()
        t.check()


# -- the network --------------------------------------------------------------------------------------------
LABELS = """() => {
  const cy = wfGraph;
  return cy.nodes().map((n) => ({ id: n.id(), degree: n.degree(),
    labelled: !n.hasClass("unlabelled") && !!n.style("label"), px: parseFloat(n.style("font-size")) * cy.zoom() }));
}"""
# Returns nothing on purpose (as TAP_FIRST_EDGE in tests/test_web.py): cy.zoom() returns the Cytoscape core, and
# handing that back to Python took 17-45 s.
ZOOM_OUT_THREE_TIMES = "() => { wfGraph.zoom({level: wfGraph.zoom() / 3, renderedPosition: {x: 300, y: 300}}); }"


def test_network_hub_labels_are_readable(tab: Tab, server: LiveServer) -> None:
    tab.goto("/graph")
    page = tab.page
    expect(page.locator("#graph[data-edges]")).to_be_attached()
    nodes = page.evaluate(LABELS)
    hub = max(nodes, key=lambda n: n["degree"])
    assert hub["labelled"] and hub["px"] >= 11, hub
    assert all(n["px"] >= 10 for n in nodes if n["labelled"]), "a label is drawn smaller than 10 px"
    page.evaluate(ZOOM_OUT_THREE_TIMES)
    page.wait_for_function(f"wfGraph.getElementById('{hub['id']}').data('fontSize') * wfGraph.zoom() < {hub['px']}")
    zoomed_out = page.evaluate(LABELS)
    assert all(n["px"] >= 10 for n in zoomed_out if n["labelled"]), "zooming out shrank labels below 10 px"
    tab.check()


# -- date range ---------------------------------------------------------------------------------------------
def test_date_range_on_timeline_and_map(tab: Tab, server: LiveServer) -> None:
    since, until = "2024-01-01", "2024-12-31"
    window = server.get("/api/timeline", since=since, until=until)["items"]
    everything = server.get("/api/timeline")["items"]
    assert 0 < len(window) < len(everything)
    page = tab.page
    tab.goto("/timeline")
    page.locator("input[type=date][name=since]").fill(since)
    page.locator("input[type=date][name=until]").fill(until)
    page.get_by_role("button", name="Show").click()  # the empty fields go along too: "country=" must not break it
    page.wait_for_url(re.compile(r"/timeline\?.*since=2024-01-01"))
    expect(page.locator("#timeline[data-visible]")).to_have_attribute("data-visible", str(len(window)))
    expect(page.locator("#tl-table tr")).to_have_count(len(window) + 1)
    expect(page.locator("input[type=date][name=since]")).to_have_value(since)
    page.locator("p.linked a", has_text="map").click()
    page.wait_for_url(re.compile(r"/map\?.*until=2024-12-31"))
    expect(page.locator("#map[data-points]")).to_be_attached()
    on_map = int(page.locator("#map").get_attribute("data-points") or -1)
    located = [p for p in window if p["latitude"] is not None or p["country_numeric"]]
    assert 0 < on_map <= len(located) < len(everything)
    shown = page.locator("#map circle[data-event]").evaluate_all("cs => cs.map((c) => Number(c.dataset.event))")
    assert len(shown) == on_map and set(shown) <= {p["id"] for p in window}
    expect(page.locator("input[type=date][name=until]")).to_have_value(until)
    tab.check()


# -- merging by name ----------------------------------------------------------------------------------------
def test_merge_an_actor_found_by_name(browsing: Browsing, merge_server: LiveServer) -> None:
    keep = merge_server.get("/api/entities/ISKP")
    dup = next(e for e in merge_server.get("/api/entities", q="Sahel", limit=50)["items"]
               if e["kind"] == "armed_group" and e["id"] != keep["id"])  # fmt: skip
    before = merge_server.get("/api/corrections")["total"]
    with browsing.tab(merge_server.url) as t:
        page = t.page
        t.goto("/actors/ISKP")
        page.locator("details.token summary").click()
        page.locator("#token").fill(TOKEN)
        page.locator("#token-form button[type=submit]").click()
        expect(page.locator("body")).to_have_class(re.compile(r"\bcan-write\b"))
        page.locator("#merge-box summary").click()
        go = page.locator("#merge-go")
        expect(go).to_be_disabled()
        page.locator("#merge-q").press_sequentially("Sahel", delay=30)
        option = page.locator(f'#merge-suggestions button[data-entity="{dup["id"]}"]')
        expect(option).to_contain_text(dup["name"])
        expect(page.locator(f'#merge-suggestions button[data-entity="{keep["id"]}"]')).to_have_count(0)
        option.click()
        expect(page.locator("#merge-choice")).to_contain_text(dup["name"])
        expect(go).to_be_enabled()

        page.once("dialog", lambda d: d.dismiss())  # changing one's mind sends nothing
        go.click()
        page.wait_for_timeout(500)
        assert merge_server.get("/api/corrections")["total"] == before

        page.once("dialog", lambda d: d.accept())
        with page.expect_navigation():
            go.click()
        expect(page.locator("h1")).to_contain_text(keep["name"])
        t.check()
    latest = merge_server.get("/api/corrections")["items"][0]
    assert latest["action"] == "merge"
    assert merge_server.get(f"/api/entities/{dup['id']}")["id"] == keep["id"]  # the duplicate resolves to ISKP
    assert dup["name"] in merge_server.get("/api/entities/ISKP")["aliases"]
    assert dup["id"] not in {e["id"] for e in merge_server.get("/api/entities", q="Sahel", limit=50)["items"]}
