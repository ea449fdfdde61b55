"""Dates are never invented: undated documents stay undated, relative dates stay unresolved, and an
analyst's date re-resolves everything (CLI `doc --set-published`, `reprocess`)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from spacy.language import Language

from tests.conftest import invoke_cli
from watchfloor.extract.events import extract_events
from watchfloor.extract.info import entity_info
from watchfloor.ingest.document import build_document
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.link.temporal import resolve
from watchfloor.models import RawInput

UNDATED = (
    "Gunmen stormed a hotel in the port city of Kismayo on Friday, killing nine guests, police said.\n\n"
    "The Shabaab militants claimed the attack on 5 September, their radio station said. The hotel had "
    "reopened on 12 March 2022 after an earlier raid, the owner told reporters.\n"
)


def test_relative_dates_do_not_resolve_without_a_publication_date() -> None:
    assert resolve("on Friday", None) is None
    assert resolve("last month", None) is None
    assert resolve("5 September", None) is None
    found = resolve("5 September 2022", None)
    assert found is not None and (found.date, found.precision) == ("2022-09-05", "day")
    month = resolve("March 2024", None)
    assert month is not None and (month.date, month.precision) == ("2024-03", "month")


def test_a_not_before_bound_gives_year_less_dates_a_flagged_year_but_not_weekdays() -> None:
    bound = date(2022, 10, 1)
    found = resolve("5 September", bound, bound=True)
    assert found is not None and found.date == "2022-09-05" and found.inferred
    later = resolve("12 November", bound, bound=True)
    assert later is not None and later.date == "2021-11-12"  # never after the bound
    assert resolve("on Friday", bound, bound=True) is None
    assert resolve("yesterday", bound, bound=True) is None


def test_an_undated_article_gets_no_date_only_a_not_before_bound() -> None:
    for today in (date(2024, 1, 1), date(2031, 6, 30)):
        doc = build_document(RawInput("kismayo.txt", "txt", UNDATED.encode()), today)
        assert doc.published.date is None and doc.published.method == "none"
        assert doc.published.not_before == "2022-03-12"
        assert any("publication date unknown" in n for n in doc.notes)


def _events(nlp: Language, linker: Linker, gazetteer: Gazetteer, text: str, published: date | None):  # type: ignore[no-untyped-def]
    spacy_doc = nlp(text)
    linked = linker.link(spacy_doc)
    info = entity_info(gazetteer, linked.entities)
    return extract_events(spacy_doc, linked.mentions, published, info, date(2022, 3, 12) if not published else None)


def test_events_of_an_undated_article_are_not_dated_by_the_clock(
    nlp: Language, linker: Linker, gazetteer: Gazetteer
) -> None:
    events = [e for e in _events(nlp, linker, gazetteer, UNDATED, None) if not e.is_background]
    assert events, "the hotel attack is found"
    assert all(e.date is None or e.date_method == "text-year-inferred" for e in events), [
        (e.date, e.date_method) for e in events
    ]
    this_year = str(date.today().year)
    assert not any((e.date or "").startswith(this_year) for e in events)


def test_no_event_is_dated_after_its_document(nlp: Language, linker: Linker, gazetteer: Gazetteer) -> None:
    text = (
        "A suicide bomber attacked a market in Quetta on 14 June 2031, killing 12 people, officials said.\n\n"
        "Another bombing killed four soldiers in Quetta on Tuesday, police said.\n"
    )
    published = date(2024, 5, 2)
    events = _events(nlp, linker, gazetteer, text, published)
    assert events
    for e in events:
        assert e.date is None or e.date[:10] <= published.isoformat(), (e.date, e.trigger_text)


def test_set_published_re_resolves_dates_and_survives_reprocess(tmp_path: Path) -> None:
    article = tmp_path / "kismayo.txt"
    article.write_text(UNDATED, "utf-8")
    db = tmp_path / "store.db"
    assert invoke_cli("ingest", str(article), "--db", str(db), "-q").returncode == 0
    status = invoke_cli("status", "--db", str(db))
    assert "have no publication date" in status.stdout
    listed = json.loads(invoke_cli("docs", "--db", str(db), "--status", "undated", "--json").stdout)
    assert len(listed) == 1
    doc_id = listed[0]["id"]
    with sqlite3.connect(db) as conn:
        dates = [r[0] for r in conn.execute("SELECT date FROM events WHERE is_background=0")]
    assert dates and all(d is None or d.startswith("2022") for d in dates), dates

    shown = invoke_cli("doc", doc_id, "--db", str(db)).stdout
    assert "published: unknown\n" in shown and "found by none" not in shown
    future = invoke_cli("doc", doc_id, "--db", str(db), "--set-published", "2099-01-01")
    assert future.returncode == 1 and "in the future" in future.stderr and "Traceback" not in future.stderr
    done = invoke_cli("doc", doc_id[:8], "--db", str(db), "--set-published", "2023-09-10")
    assert done.returncode == 0, done.stderr
    assert "published: 2023-09-10 (found by analyst" in done.stdout

    def event_dates() -> set[str]:
        with sqlite3.connect(db) as conn:
            return {r[0] for r in conn.execute("SELECT date FROM events WHERE is_background=0") if r[0]}

    # "on Friday" before Sunday 10 September 2023 is 8 September; "5 September" is 2023-09-05.
    assert "2023-09-08" in event_dates(), event_dates()
    again = invoke_cli("reprocess", "--db", str(db), "-q")
    assert again.returncode == 0 and "0 document(s)" in again.stderr
    forced = invoke_cli("reprocess", "--db", str(db), "-q", "--force")
    assert forced.returncode == 0 and "1 document(s)" in forced.stderr, forced.stderr
    assert "2023-09-08" in event_dates()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT published, published_method FROM documents").fetchone() == (
            "2023-09-10",
            "analyst",
        )
        assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 1
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_api_sets_the_publication_date_with_a_token(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from watchfloor.api.app import create_app
    from watchfloor.api.context import ServerSettings

    article = tmp_path / "kismayo.txt"
    article.write_text(UNDATED, "utf-8")
    db = tmp_path / "store.db"
    assert invoke_cli("ingest", str(article), "--db", str(db), "-q").returncode == 0
    token = "a-long-enough-test-token"
    with TestClient(create_app(ServerSettings(db=db, token=token)), base_url="http://127.0.0.1") as client:
        _check_api(client, token)


def _check_api(client: Any, token: str) -> None:
    doc_id = client.get("/api/documents").json()["items"][0]["id"]
    assert "undated" in client.get(f"/documents/{doc_id}").text
    assert "without a publication date" in client.get("/").text
    refused = client.post(f"/api/documents/{doc_id}/published", json={"published": "2023-09-10"})
    assert refused.status_code in (401, 403)
    auth = {"Authorization": f"Bearer {token}"}
    future = client.post(f"/api/documents/{doc_id}/published", json={"published": "2099-01-01"}, headers=auth)
    assert future.status_code == 400 and "future" in future.json()["error"]["message"]
    done = client.post(f"/api/documents/{doc_id}/published", json={"published": "2023-09-10"}, headers=auth)
    assert done.status_code == 200, done.text
    assert done.json()["reprocessed"] == 1
    assert client.get(f"/api/documents/{doc_id}").json()["published"] == "2023-09-10"


def test_undated_reports_merge_across_articles_only_with_the_same_town_and_perpetrator(tmp_path: Path) -> None:
    import sqlite3

    texts = {
        "a.txt": "A bomb tore through a crowded bus terminal in Quetta, killing nine passengers and wounding "
        "dozens more, according to provincial officials who spoke to reporters at the scene.",
        "b.txt": "A bomb exploded outside a police training centre in Quetta, killing four recruits, a senior "
        "police officer told journalists, adding that the building's gate was badly damaged.",
        "c.txt": "Tehreek-e-Taliban Pakistan claimed a suicide bombing at a checkpoint in Peshawar that killed "
        "six soldiers, the militant group said in a statement sent to journalists.",
        "d.txt": "Six soldiers died when a suicide bomber from Tehreek-e-Taliban Pakistan struck a checkpoint "
        "in Peshawar, the group said, according to security officials in the province.",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, "utf-8")
    db = tmp_path / "store.db"
    assert invoke_cli("ingest", str(tmp_path), "--db", str(db), "-q").returncode == 0
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            """SELECT ev.id, group_concat(DISTINCT substr(d.source, -5)), count(DISTINCT r.doc_id), ev.date
               FROM events ev JOIN event_reports r ON r.event_id = ev.id JOIN documents d ON d.id = r.doc_id
               WHERE ev.event_type = 'attack' GROUP BY ev.id"""
        ).fetchall()
    by_docs = sorted(str(r[1]) for r in rows)
    assert all(r[3] is None for r in rows)
    # two undated bombings in one town with no perpetrator: nothing ties them, they stay apart
    assert "a.txt" in by_docs and "b.txt" in by_docs
    # the same group's undated bombing in the same town, told twice: one event
    assert any(set(str(r[1]).split(",")) == {"c.txt", "d.txt"} for r in rows), rows


def test_one_document_giving_two_days_tells_two_incidents_other_sources_may_differ_by_a_day(tmp_path: Path) -> None:
    import sqlite3

    published = "Published: 6 March 2024\n\n"
    two_days = (
        published + "A bomb exploded at a vegetable market in Quetta on Monday, killing five people, police said.\n\n"
        "The market had reopened only a week earlier after repairs.\n\nTraders said business had been slow.\n\n"
        "Officials promised more checkpoints in the city.\n\n"
        "A bomb exploded at a school gate in Quetta on Tuesday, killing three people, police said."
    )
    other_source = published + "A bomb killed five people at a vegetable market in Quetta on Tuesday, officials said."
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "a.txt").write_text(two_days, "utf-8")
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "b.txt").write_text(other_source, "utf-8")
    db = tmp_path / "store.db"
    assert invoke_cli("ingest", str(tmp_path / "one"), "--db", str(db), "-q").returncode == 0
    with sqlite3.connect(db) as conn:
        dated = conn.execute("SELECT date FROM events WHERE event_type = 'attack' ORDER BY date").fetchall()
    assert dated == [("2024-03-04",), ("2024-03-05",)]  # Monday and Tuesday stay two events
    assert invoke_cli("ingest", str(tmp_path / "two"), "--db", str(db), "-q").returncode == 0
    with sqlite3.connect(db) as conn:
        sources = conn.execute(
            "SELECT ev.date, count(DISTINCT r.doc_id) FROM events ev JOIN event_reports r ON r.event_id = ev.id "
            "WHERE ev.event_type = 'attack' GROUP BY ev.id ORDER BY ev.date"
        ).fetchall()
    # the other paper's report, a day off, joins an event (the day's tolerance is for other sources)
    assert len(sources) == 2 and sorted(n for _, n in sources) == [1, 2]
