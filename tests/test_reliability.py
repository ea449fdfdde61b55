"""Admiralty grades: source reliability from the outlet list, credibility from independent sources."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import ingest_jsonl, invoke_cli
from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings
from watchfloor.reliability import Copy, Report, grade_reports, load_lexicon, meets, parse_grade
from watchfloor.workspace import Workspace

QUETTA = "A suicide bomber killed 12 people at a police checkpoint in Quetta on Tuesday, officials said."


def report(doc_id: str, publisher: str | None, sentence: str, *copies: Copy, url: str | None = None) -> Report:
    return Report(doc_id, publisher, url, None, (sentence,), "", tuple(copies))


# -- the pure grading ---------------------------------------------------------------------------------------
def test_a_syndicated_wire_copy_does_not_raise_the_independent_count() -> None:
    wire = report("w1", "Reuters", QUETTA, Copy("b1", "Frontier Blog", "https://frontierblog.blogspot.com/x"))
    g = grade_reports([wire])
    assert (g.n_independent, g.n_reports, g.code) == (1, 2, "B3")
    assert "1 syndicated copy collapsed" in g.explanation
    # The same text under another outlet that the near-duplicate check missed: the shared sentence collapses it.
    reposted = report("b2", "Some Blog", QUETTA)
    g = grade_reports([wire, reposted])
    assert g.n_independent == 1 and g.credibility == 3, g.explanation


def test_propaganda_outlet_is_unreliable_and_never_corroborates() -> None:
    amaq = report("p1", "Amaq News Agency", "A soldier of the caliphate attacked a gathering of apostates in Kabul.")
    g = grade_reports([amaq])
    assert g.reliability == "E" and g.credibility == 5
    g = grade_reports([amaq, report("n1", "Dawn", "Police said a gunman opened fire at a mosque in Kabul on Friday.")])
    assert g.n_independent == 2 and g.credibility == 3, g.explanation  # one corroborating source, not two
    assert "not counted as corroboration" in g.explanation


def test_three_independent_reliable_reports_are_confirmed() -> None:
    g = grade_reports(
        [
            report("a", "Reuters", "A suicide bomber killed 12 people in Quetta on Tuesday, police said."),
            report("b", "BBC News", "Twelve people died when an attacker blew himself up at a checkpoint in Quetta."),
            report(
                "c",
                None,
                "The blast at the Quetta checkpoint killed a dozen, officials said.",
                url="https://www.dawn.com/x",
            ),
        ]
    )
    assert g.code == "B1" and g.n_independent == 3
    assert g.explanation.startswith("B1: best source Reuters (wire service, B); 3 independent sources")


def test_the_same_publisher_and_relayed_reports_count_once() -> None:
    g = grade_reports(
        [
            report("a", "Reuters", "A suicide bomber killed 12 people in Quetta on Tuesday, police said."),
            report(
                "b", "Reuters", "The toll from Tuesday's Quetta checkpoint bombing rose to 14, hospital staff said."
            ),
            report("c", "Some Blog", "Twelve people were killed in Quetta, according to Reuters."),
        ]
    )
    assert g.n_independent == 1 and g.code == "B3", g.explanation
    assert "1 from the same publisher and 1 relaying the same outlet collapsed" in g.explanation


def test_unknown_outlets_cannot_be_judged_and_grades_compare_on_both_scales() -> None:
    assert grade_reports([report("x", "Nobody Knows Weekly", QUETTA)]).code == "F6"
    assert load_lexicon().judge(None, "https://news.example.gov/x").grade == "C"  # a government domain pattern
    assert meets("B2", "B3") and not meets("C2", "B3") and not meets("A4", "B3")
    with pytest.raises(ValueError, match="Admiralty"):
        parse_grade("G7")


# -- a store built by the real ingest -------------------------------------------------------------------------
WIRE = (
    "QUETTA, Pakistan — A suicide bomber killed 12 people at a police checkpoint in Quetta on Tuesday, officials "
    "said, the latest in a string of attacks on security forces in Balochistan province. The bomber detonated his "
    "explosives as officers were checking vehicles at the entrance to the city, provincial police chief Abdul "
    "Khaliq said. Another 20 people were wounded, several of them critically, and were taken to the civil "
    "hospital. No group immediately claimed responsibility for the bombing, but Pakistani officials have blamed "
    "the Tehrik-i-Taliban Pakistan for similar attacks this year. Security has been tightened across the province "
    "since the start of the year, when militants stepped up their campaign against police and paramilitary forces."
)


@pytest.fixture(scope="module")
def syndicated_db(tmp_path_factory: pytest.TempPathFactory, module_db: Path) -> Path:
    """The same wire story under two outlets (the second with a line added): one event, one source."""
    title = "Suicide bomber kills 12 at Quetta police checkpoint"
    return ingest_jsonl(
        tmp_path_factory.mktemp("syndicated"),
        "syndicated",
        [
            {
                "text": WIRE,
                "title": title,
                "source": "Reuters",
                "published": "2024-05-14",
                "url": "https://www.reuters.com/world/asia-pacific/quetta-bombing-2024-05-14/",
            },
            {
                "text": WIRE + "\n\nThis story was republished from a wire service.",
                "title": title,
                "source": "Frontier Blog",
                "published": "2024-05-14",
                "url": "https://frontierblog.blogspot.com/2024/05/quetta.html",
            },
        ],
        module_db,  # SQLite and PostgreSQL
    )


def _quetta(db: Path) -> dict[str, object]:
    with Workspace(db) as ws:
        found = [e for e in ws.events() if e["place"] and "Quetta" in str(e["place"])]
    assert len(found) == 1, found
    return found[0]


def test_ingested_wire_copy_under_another_outlet_stays_one_independent_source(syndicated_db: Path) -> None:
    event = _quetta(syndicated_db)
    assert event["n_independent"] == 1
    assert event["grade"] == "B3"  # Reuters is a wire service (B), one independent source (3)
    admiralty = event["admiralty"]
    assert isinstance(admiralty, dict) and admiralty["n_reports"] == 2
    assert "1 syndicated copy collapsed" in admiralty["explanation"]
    cli = invoke_cli("events", "--db", str(syndicated_db), "--no-pager")
    assert cli.returncode == 0 and "B3 (1)" in cli.stdout, cli.stdout
    assert "B3 (1)" not in invoke_cli("events", "--db", str(syndicated_db), "--no-pager", "--min-grade", "B2").stdout


def test_api_event_json_has_the_grade_and_filters_by_it(syndicated_db: Path) -> None:
    app = create_app(ServerSettings(db=syndicated_db, token="t" * 32))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        items = client.get("/api/events").json()["items"]
        event = next(e for e in items if e["grade"] == "B3")
        one = client.get(f"/api/events/{event['id']}").json()
        assert one["grade"] == "B3" and one["n_independent"] == 1
        assert one["admiralty"]["sources"][0]["outlet"] == "Reuters"
        assert [e["id"] for e in client.get("/api/events", params={"min_grade": "B3"}).json()["items"]] == [
            e["id"] for e in items if e["grade"] in ("A1", "A2", "A3", "B1", "B2", "B3")
        ]
        assert client.get("/api/events", params={"min_grade": "A1"}).json()["items"] == []
        assert client.get("/api/events", params={"min_grade": "Q9"}).status_code == 422


# -- the event page in a real browser -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def live(syndicated_db: Path) -> Iterator[str]:
    from tests.test_web import LiveServer

    with LiveServer(syndicated_db) as server:
        yield server.url


@pytest.mark.browser
def test_event_page_shows_the_grade_and_how_it_was_reached(live: str) -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_web import CHROMIUM, LAUNCH_ARGS

    with closing(httpx.Client(base_url=live)) as api:
        event = next(e for e in api.get("/api/events").json()["items"] if e["grade"] == "B3")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{live}/events/{event['id']}")
            assert page.locator("dl.facts a.grade").inner_text() == "B3"
            how = page.locator("#grade .grade-explanation").inner_text()
            assert how == event["admiralty"]["explanation"] and "1 syndicated copy collapsed" in how
            assert "Reuters" in page.locator("#grade .grade-sources").inner_text()
            page.goto(f"{live}/")
            assert page.locator("table a.grade").count() >= 1  # the dashboard's event list has the column
        finally:
            browser.close()
