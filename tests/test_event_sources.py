"""Event pages stay small: sources capped and paged with an exact ``n_sources``, evidence cut in SQL
equal to the document's own text, and the figures check made over all sources, not only those shown."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings
from watchfloor.models import CleanDocument, EventRecord, PublishedDate
from watchfloor.store import sqlite_events, sqlparts
from watchfloor.store.base import DocumentWrite
from watchfloor.store.sqlite import SQLiteRepository, open_store
from watchfloor.web import pages

REPORTS = 12  # reports of the one big event
PREFIXES = ["", "Jalālābād — ", "«Kabul» 🇦🇫 ", "Peşawar, ", "北京 "]  # characters before the spans move offsets


def _document(i: int) -> tuple[CleanDocument, EventRecord]:
    lead = PREFIXES[i % len(PREFIXES)] + f"Report {i}.\n"
    first = f"A suicide bomber struck a mosque in Kandahar, killing {40 + i % 3} people."
    second = f" Witnesses ({i}) said the blast — «huge» — shook the city."
    text = lead + first + second + "\nMore text follows here.\n"
    start = len(lead)
    evidence = [(start, start + len(first))] + (
        [(start + len(first) + 1, start + len(first + second))] if i % 2 else []
    )
    published = None if i % 4 == 0 else f"2024-03-{10 + (i * 7) % 13:02d}"  # undated ones sort first
    sha = hashlib.sha256(text.encode()).hexdigest()
    doc = CleanDocument(
        f"doc{i}.txt", "txt", sha, text, text, [], f"Report {i}", None, None, None,
        PublishedDate(published, "metadata" if published else "none", ""),
    )  # fmt: skip
    event = EventRecord(
        "attack", "bombing_explosion", start + 2, start + 9, text[start + 2 : start + 9], evidence,
        date="2024-03-22", date_precision="day", date_method="text", country="AF", killed=40 + i % 3,
        target_type="religious",  # the country and the kind of target tie the reports of a mosque bombing
    )  # fmt: skip
    return doc, event


def _lone_event_document() -> tuple[CleanDocument, EventRecord]:
    text = "Gunmen attacked a checkpoint in Bamako, killing five soldiers.\n"
    doc = CleanDocument(
        "lone.txt", "txt", "f" * 64, text, text, [], "Lone", None, None, None, PublishedDate("2024-01-05", "metadata")
    )
    return doc, EventRecord(
        "attack", "armed_assault", 0, 6, "Gunmen", [(0, len(text) - 1)], date="2024-01-04", country="ML", killed=5
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteRepository]:
    db = tmp_path_factory.mktemp("sources") / "events.db"
    repo = open_store(db)
    with repo.transaction():
        for doc, event in [*(_document(i) for i in range(REPORTS)), _lone_event_document()]:
            write = DocumentWrite(doc, doc.doc_id, doc.doc_id, "analysed", "en", events=[event])
            repo.write_document(write, "test", "1")
    yield repo
    repo.close()


def _big_event(repo: SQLiteRepository) -> int:
    return int(
        repo.conn.execute("SELECT event_id FROM event_reports GROUP BY event_id ORDER BY count(*) DESC").fetchone()[0]
    )


def _reference_sources(repo: SQLiteRepository, event_id: int) -> list[dict[str, Any]]:
    """The sources as the store held them before: whole texts read into Python and sliced."""
    out = []
    for report_id, doc_id, published, text in repo.conn.execute(
        """SELECT r.id, r.doc_id, d.published, d.text FROM event_reports r JOIN documents d ON d.id=r.doc_id
           WHERE r.event_id=? ORDER BY d.published, r.id""",
        (event_id,),
    ):
        spans = repo.conn.execute(
            "SELECT start, end FROM event_evidence WHERE report_id=? ORDER BY start", (report_id,)
        )
        out.append({"doc_id": doc_id, "published": published, "evidence": [(s, e, text[s:e]) for s, e in spans]})
    return out


def _shape(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "doc_id": s["doc_id"],
            "published": s["published"],
            "evidence": [(v["start"], v["end"], v["text"]) for v in s["evidence"]],
        }
        for s in sources
    ]


def test_the_store_holds_one_event_with_many_reports(store: SQLiteRepository) -> None:
    counts = sorted(n for (n,) in store.conn.execute("SELECT count(*) FROM event_reports GROUP BY event_id"))
    assert counts == [1, REPORTS]


def test_evidence_cut_in_sql_equals_the_document_slice(store: SQLiteRepository) -> None:
    event = store.event(_big_event(store))
    assert event is not None
    assert _shape(event["sources"]) == _reference_sources(store, int(event["id"]))
    non_ascii = [v for s in event["sources"] for v in s["evidence"] if not v["text"].isascii()]
    assert non_ascii  # offsets after multi-byte characters were exercised
    for s in event["sources"]:
        assert (s["start"], s["end"], s["text"]) == (
            s["evidence"][0]["start"],
            s["evidence"][0]["end"],
            s["evidence"][0]["text"],
        )


def test_sources_are_capped_with_an_exact_count(store: SQLiteRepository) -> None:
    big = _big_event(store)
    everything = store.list_events(include_background=True)
    capped = store.list_events(include_background=True, max_sources=5)
    assert [e["id"] for e in capped] == [e["id"] for e in everything]
    for full, short in zip(everything, capped, strict=True):
        total = store.conn.execute("SELECT count(*) FROM event_reports WHERE event_id=?", (full["id"],)).fetchone()[0]
        assert full["n_sources"] == short["n_sources"] == total == len(full["sources"])
        assert short["sources"] == full["sources"][:5]
        assert short["figures_disagree"] == full["figures_disagree"]
    assert next(e for e in capped if e["id"] == big)["n_sources"] == REPORTS


def test_events_read_in_chunks_give_the_same_page(store: SQLiteRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = store.list_events(include_background=True, max_sources=3)
    monkeypatch.setattr(sqlparts, "CHUNK", 1)  # one event (and one report) per query
    assert store.list_events(include_background=True, max_sources=3) == whole


def test_pages_of_sources_add_up_to_all_of_them(store: SQLiteRepository) -> None:
    big = _big_event(store)
    full = store.event(big)
    assert full is not None
    pages = [store.event(big, max_sources=5, sources_offset=offset) for offset in range(0, REPORTS + 5, 5)]
    assert all(p is not None and p["n_sources"] == REPORTS for p in pages)
    assert [s for p in pages if p for s in p["sources"]] == full["sources"]
    assert pages[-1] is not None and pages[-1]["sources"] == []


def test_figures_disagree_is_judged_over_all_sources(store: SQLiteRepository) -> None:
    for e in store.list_events(include_background=True, max_sources=1):
        killed = {
            r for r in store.conn.execute("SELECT killed, killed_low FROM event_reports WHERE event_id=?", (e["id"],))
        }
        assert e["figures_disagree"] == (len({k for k in killed if k != (None, None)}) > 1)
    assert any(e["figures_disagree"] for e in store.list_events(include_background=True, max_sources=1))


@pytest.fixture(scope="module")
def client(store: SQLiteRepository) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(db=Path(store.path))), base_url="http://127.0.0.1") as c:
        yield c


def test_the_api_caps_sources_in_lists_and_pages_them_on_the_event(client: TestClient, store: SQLiteRepository) -> None:
    big = _big_event(store)
    items = client.get("/api/events?include_background=true").json()["items"]
    row = next(e for e in items if e["id"] == big)
    assert row["n_sources"] == REPORTS and len(row["sources"]) == 5  # the default cap in lists
    assert len(next(e for e in client.get("/api/events?sources=2").json()["items"] if e["id"] == big)["sources"]) == 2
    first = client.get(f"/api/events/{big}?sources=5").json()
    assert first["n_sources"] == REPORTS and len(first["sources"]) == 5 and first["sources_next"]
    seen = list(first["sources"])
    url = first["sources_next"]
    while url:
        page = client.get(url.replace("http://127.0.0.1", "")).json()
        seen += page["sources"]
        url = page["sources_next"]
    assert _shape(seen) == _reference_sources(store, big)


def test_the_web_pages_say_how_many_sources_are_not_shown(client: TestClient, store: SQLiteRepository) -> None:
    big = _big_event(store)
    dashboard = client.get("/").text
    assert f'href="/events/{big}"' in dashboard and f"+{REPORTS - 5} more" in dashboard
    page = client.get(f"/events/{big}").text
    assert page.count("<blockquote>") == sum(len(s["evidence"]) for s in _reference_sources(store, big))


def test_the_event_page_pages_through_its_sources(
    client: TestClient, store: SQLiteRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE", 5)
    big = _big_event(store)
    first = client.get(f"/events/{big}").text
    assert "offset=5" in first and "next →" in first and "← previous" not in first
    last = client.get(f"/events/{big}?offset=10").text
    assert 'start="11"' in last and "← previous" in last and "next →" not in last
    shown = sum(len(s["evidence"]) for s in _reference_sources(store, big)[10:])
    assert last.count("<blockquote>") == shown


@pytest.mark.parametrize("walk", [True, False])
def test_an_actors_events_are_the_same_whether_walked_or_joined(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, walk: bool
) -> None:
    """Walking the events newest first and joining the actor's mentions to the evidence give one page."""
    demo = open_store(demo_db)
    actors = [
        int(r[0])
        for r in demo.conn.execute(
            "SELECT DISTINCT m.entity_id FROM mentions m JOIN event_evidence v ON v.doc_id=m.doc_id "
            "AND m.start>=v.start AND m.end<=v.end WHERE m.entity_id IS NOT NULL"
        )
    ]
    assert len(actors) > 10
    expected = {}
    for actor in actors:
        for limit, offset in ((3, 0), (3, 2), (200, 0)):
            monkeypatch.setattr(sqlite_events, "walk_pays", lambda _c, _e, _n: not walk)
            expected[actor, limit, offset] = [
                e["id"] for e in sqlite_events.list_events(demo.conn, actor_id=actor, limit=limit, offset=offset)
            ]
            monkeypatch.setattr(sqlite_events, "walk_pays", lambda _c, _e, _n: walk)
            got = [e["id"] for e in sqlite_events.list_events(demo.conn, actor_id=actor, limit=limit, offset=offset)]
            assert got == expected[actor, limit, offset]
    assert any(len(ids) == 3 for ids in expected.values())
