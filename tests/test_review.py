"""The review queue on a small store built with the real ingest: each kind of item is flagged (and what is
fine is not), and accept / fix / reject are recorded as corrections and marks that survive re-runs."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import built_once, run_cli
from watchfloor.errors import NotFound, UserError
from watchfloor.review import ReviewQueue
from watchfloor.store import rawtext
from watchfloor.store.sqlite import _migrations, _split_sql, open_store
from watchfloor.store.sqlite_browse import event_points
from watchfloor.store.sqlite_corrections import list_corrections
from watchfloor.workspace import Workspace

# One article per situation the queue must catch, plus what it must leave alone. The Kandahar bombing is reported
# twice with different tolls; the Herat bombing is dated by its second report after the first was published;
# "Mohammed" and "Mohammad Karim Zadran" are one elder spelt two ways; one article is dated 2099.
ARTICLES = [
    {"title": "Gunmen attack police post", "source": "Kabul Wire", "url": "https://example.org/undated",
     "text": "Gunmen attacked a police post in Jalalabad on Friday, killing four officers, officials said. No group "
             "has claimed responsibility for the attack.\n\nThe provincial governor said an investigation was under "
             "way."},
    {"title": "Mosque bombing in Kandahar", "published": "2024-05-04", "source": "Wire A", "url": "https://example.org/a",
     "text": "A suicide bomber struck a Shia mosque in Kandahar on Friday, killing 12 worshippers and wounding 30 "
             "others, officials said. Islamic State Khorasan Province claimed the attack in a statement.\n\nMohammed "
             "Karim Zadran, a local elder, said the mosque had been warned."},
    {"title": "Kandahar toll rises", "published": "2024-05-05", "source": "Wire B", "url": "https://example.org/b",
     "text": "The death toll from Friday's suicide bombing at a Shia mosque in Kandahar rose to 20, health officials "
             "said on Sunday. Islamic State Khorasan Province claimed the bombing.\n\nMohammad Karim Zadran, an elder "
             "in the city, said families were still searching for relatives."},
    {"title": "Market blast", "published": "2024-03-14", "source": "Wire C", "url": "https://example.org/c",
     "text": "An explosion tore through a crowded market in Peshawar on Tuesday, killing three people, police said. "
             "It was not clear who was behind the blast."},
    {"title": "Future article", "published": "2099-05-01", "source": "Wire D", "url": "https://example.org/d",
     "text": "Security forces arrested five suspects in Quetta on Monday, a spokesman for the provincial government "
             "said."},
    {"title": "Herat mosque attack", "published": "2024-09-05", "source": "Wire E", "url": "https://example.org/e",
     "text": "A suicide bomber struck a Shia mosque in Herat, killing 9 worshippers, officials said."},
    {"title": "Herat mosque attack: more details", "published": "2024-09-09", "source": "Wire F",
     "url": "https://example.org/f",
     "text": "The suicide bombing of a Shia mosque in Herat on Friday, September 6, killed 9 worshippers, officials "
             "said."},
    {"title": "Taliban and al-Qaeda", "published": "2024-06-01", "source": "Wire G", "url": "https://example.org/g",
     "text": "The Taliban have hosted al-Qaeda since 2021, a United Nations monitoring report said. The monitors "
             "wrote that the group was likely to expand its training camps within the next year."},
]  # fmt: skip
# A user gazetteer entry that repeats Al-Qaeda's Wikidata id: the same group entered twice.
EXTRA_GAZETTEER = """- id: al_qaeda_general_command_test
  name: Qaedat al-Jihad General Command
  kind: armed_group
  label: ORG
  aliases: [Jihad General Command]
  qid: Q34490
  source: a test entry that repeats Al-Qaeda's Wikidata id
"""


@pytest.fixture(scope="session")
def review_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The articles above ingested with the real command line (and the extra gazetteer), once per run."""

    def build(db: Path) -> None:
        folder = db.parent
        source = folder / "articles.jsonl"
        source.write_text("\n".join(json.dumps(a) for a in ARTICLES), "utf-8")
        extra = folder / "extra.yaml"
        extra.write_text(EXTRA_GAZETTEER, "utf-8")
        result = run_cli("ingest", str(source), "--db", str(db), "--gazetteer", str(extra), "--quiet", cwd=folder)
        assert result.returncode == 0, result.stderr

    return built_once(tmp_path_factory, "review", build)


@pytest.fixture
def store(review_store: Path, store_copier: Callable[[Path, str], Path]) -> Path:
    """A copy of the review store on each backend (SQLite, PostgreSQL)."""
    return store_copier(review_store, "store.db")


@pytest.fixture
def ws(store: Path) -> Iterator[Workspace]:
    with Workspace(store) as workspace:
        yield workspace


def open_items(queue: ReviewQueue, kind: str | None = None) -> list[dict[str, Any]]:
    return queue.page(kind)[0]


def one(items: list[dict[str, Any]], text: str) -> dict[str, Any]:
    """The one item whose title mentions ``text``."""
    found = [i for i in items if text in i["title"]]
    assert len(found) == 1, [i["title"] for i in items]
    return found[0]


def doc_id(ws: Workspace, title: str) -> str:
    return str(ws.repo.conn.execute("SELECT id FROM documents WHERE title=?", (title,)).fetchone()[0])


def event_of(ws: Workspace, title: str) -> dict[str, Any]:
    """The event reported by the document titled ``title`` (each article here reports one)."""
    rows = ws.repo.conn.execute(
        "SELECT DISTINCT r.event_id FROM event_reports r JOIN documents d ON d.id=r.doc_id WHERE d.title=?", (title,)
    ).fetchall()
    assert len(rows) == 1, title
    event = ws.repo.event(int(rows[0][0]))
    assert event is not None
    return event


def entity_id(ws: Workspace, name: str) -> int:
    found = ws.lookup(name)
    assert found is not None, name
    return int(found["id"])


def assert_evidence_is_the_document_text(ws: Workspace, item: dict[str, Any]) -> None:
    assert item["evidence"], item["id"]
    for ev in item["evidence"]:
        text = ws.document(ev["doc_id"])["text"]
        assert ev["end"] > ev["start"] and ev["text"] == text[ev["start"] : ev["end"]]


# -- each kind ------------------------------------------------------------------------------------------
def test_an_undated_document_is_listed_and_setting_its_date_dates_its_event(ws: Workspace) -> None:
    queue = ws.review
    item = one(open_items(queue, "undated"), "Gunmen attack police post")
    doc = doc_id(ws, "Gunmen attack police post")
    assert item["id"] == f"undated:doc-{doc}" and item["target"] == "document" and item["ref"] == doc
    assert "no publication date" in item["why"] and "1 event" in item["why"]
    assert item["actions"] == ["accept", "fix"]
    assert item["links"] == [{"label": "document", "href": f"/documents/{doc}"}]
    assert len(open_items(queue, "undated")) == 1  # the dated articles are not listed
    before = event_of(ws, "Gunmen attack police post")
    assert before["date"] is None
    waiting = one(open_items(queue, "incomplete"), "Jalalabad")
    assert f"its source is undated: fix undated:doc-{doc}" in waiting["why"]

    result = queue.fix(f"undated:doc-{doc[:8]}", date="2024-05-11")  # a unique prefix is enough
    assert (result["decision"], result["published"], result["reprocessed"]) == ("fixed", "2024-05-11", 1)
    assert open_items(queue, "undated") == []
    after = event_of(ws, "Gunmen attack police post")
    assert (after["date"], after["date_precision"]) == ("2024-05-10", "day")  # "on Friday" before Saturday 11 May
    assert after["id"] in {p["id"] for p in event_points(ws.repo.conn)}  # the timeline shows it now
    assert "no date" not in one(open_items(queue, "incomplete"), "Jalalabad")["why"]
    analyst = ws.repo.conn.execute("SELECT published FROM document_dates WHERE doc_id=?", (doc,)).fetchone()
    assert analyst[0] == "2024-05-11"


def test_incomplete_events_name_what_is_missing(ws: Workspace) -> None:
    items = open_items(ws.review, "incomplete")
    market = one(items, "Peshawar")
    assert market["why"] == "no perpetrator" and market["target"] == "event"
    assert market["ref"] == event_of(ws, "Market blast")["id"]
    assert market["links"] == [{"label": "event", "href": f"/events/{market['ref']}"}]
    assert "explosion" in market["evidence"][0]["text"]
    assert_evidence_is_the_document_text(ws, market)
    assert one(items, "Jalalabad")["why"].startswith("no date, no perpetrator")
    kandahar = event_of(ws, "Mosque bombing in Kandahar")
    assert kandahar["date"] and kandahar["place"] and kandahar["perpetrator"]
    assert kandahar["id"] not in {i["ref"] for i in items}  # complete events are not listed


def test_future_dated_facts(ws: Workspace) -> None:
    items = open_items(ws.review, "future")
    doc = one([i for i in items if i["target"] == "document"], "Future article")
    assert doc["why"].startswith("published 2099-05-01, after today")
    quetta = one(items, "Quetta")
    assert quetta["target"] == "event" and "after today" in quetta["why"]
    herat = one(items, "Herat")  # dated 6 September by the second report, first published on the 5th
    first = doc_id(ws, "Herat mosque attack")
    assert herat["why"] == f"dated 2024-09-06, after its source {first[:8]} was published (2024-09-05)"
    assert {i["ref"] for i in items if i["target"] == "event"} == {quetta["ref"], herat["ref"]}
    assert not [i for i in items if i["target"] == "relation"]  # "since 2021" in a 2024 article is fine

    as_of_2020 = open_items(ReviewQueue(ws, today=date(2020, 6, 1)), "future")
    hosts = one([i for i in as_of_2020 if i["target"] == "relation"], "hosts")
    assert hosts["why"] == "valid from 2021, after today" and hosts["actions"] == ["accept", "reject"]
    assert_evidence_is_the_document_text(ws, hosts)
    assert event_of(ws, "Mosque bombing in Kandahar")["id"] in {i["ref"] for i in as_of_2020}


def test_low_confidence_claims_follow_the_threshold(ws: Workspace) -> None:
    scores = {int(r[0]): float(r[1]) for r in ws.repo.conn.execute("SELECT id, extraction_score FROM claims")}
    assert len(scores) >= 6 and len(set(scores.values())) > 3
    threshold = sorted(scores.values())[len(scores) // 2]
    items = open_items(ReviewQueue(ws, threshold=threshold), "low-confidence")
    assert {i["ref"] for i in items} == {cid for cid, s in scores.items() if s < threshold}
    assert [i["score"] for i in items] == sorted(i["score"] for i in items)  # least certain first
    assert all(i["actions"] == ["accept", "reject"] and i["target"] == "claim" for i in items)
    assert_evidence_is_the_document_text(ws, items[0])
    assert open_items(ReviewQueue(ws, threshold=0.0), "low-confidence") == []


def test_suspected_duplicates_by_name_and_by_wikidata_id(ws: Workspace) -> None:
    items = open_items(ws.review, "duplicate")
    zadran = one(items, "Zadran")
    assert zadran["why"].startswith("names alike: “mohammed karim zadran” ~ “mohammad karim zadran”")
    qaeda = one(items, "Al-Qaeda")
    assert qaeda["why"].startswith("same Wikidata id Q34490")
    assert qaeda["keep"] == entity_id(ws, "Al-Qaeda")  # the mentioned one is kept by default
    assert len(items) == 2  # no two curated gazetteer entries are listed for their names alone
    assert {e["entity_id"] for e in zadran["evidence"]} == set(zadran["ref"])  # a mention of each
    for ev in zadran["evidence"]:
        assert ev["text"] in ("Mohammed Karim Zadran", "Mohammad Karim Zadran") and ev["before"] + ev["after"]


def test_conflicting_tolls_list_each_source(ws: Workspace) -> None:
    item = one(open_items(ws.review, "tolls"), "Kandahar")
    first, second = doc_id(ws, "Mosque bombing in Kandahar"), doc_id(ws, "Kandahar toll rises")
    assert item["why"] == f"sources disagree: killed 12 ({first[:8]}), 20 ({second[:8]})"
    assert [ev["doc_id"] for ev in item["evidence"]] == [first, second]
    assert_evidence_is_the_document_text(ws, item)
    assert item["fix"] == ["killed", "wounded"]
    assert len(open_items(ws.review, "tolls")) == 1  # the Herat reports agree


def test_counts_match_the_items(ws: Workspace) -> None:
    queue = ws.review
    items, total, counts = queue.page()
    assert total == len(items) == counts["total"] == sum(counts[k] for k in counts if k != "total")
    assert counts == queue.counts()
    assert [i["kind"] for i in items] == sorted((i["kind"] for i in items), key=list(counts).index)
    assert len({i["id"] for i in items}) == total


def test_pages_follow_one_order_and_every_item_is_found_by_its_id(ws: Workspace) -> None:
    queue = ReviewQueue(ws, today=date(2020, 6, 1), threshold=0.9)  # every kind and target has items
    everything, total, counts = queue.page()
    assert {i["target"] for i in everything} == {"document", "event", "relation", "claim", "entities"}
    for size in (1, 4, 7):
        pages = [queue.page(None, size, offset)[0] for offset in range(0, total + size, size)]
        assert [i["id"] for page in pages for i in page] == [i["id"] for i in everything]
    kinds = [queue.page(k)[0] for k in counts if k != "total"]
    assert [i["id"] for items in kinds for i in items] == [i["id"] for i in everything]
    for item in everything:
        assert queue.item(item["id"]) == item
    undated = next(i for i in everything if i["kind"] == "undated")
    assert queue.item(undated["id"][: len("undated:doc-") + 4])["id"] == undated["id"]
    for wrong in ("undated:doc-", "undated:doc-zzzz", "incomplete:event-x", "tolls:claim-1", "duplicate:entities-1"):
        with pytest.raises(NotFound):
            queue.item(wrong)


# -- actions --------------------------------------------------------------------------------------------
def test_accept_takes_an_item_off_the_queue_for_good(ws: Workspace) -> None:
    queue = ws.review
    market = one(open_items(queue, "incomplete"), "Peshawar")
    result = queue.accept(market["id"], "analyst-1", "nobody claimed it")
    assert result == {"item": market["id"], "kind": "incomplete", "decision": "accepted", "corrections": []}
    assert "Peshawar" not in [i["title"] for i in open_items(queue, "incomplete")]
    assert queue.history()[0]["item"] == market["id"] and queue.history()[0]["note"] == "nobody claimed it"
    with pytest.raises(NotFound):
        queue.accept(market["id"])  # no longer open
    # Re-extracting the document deletes and re-creates its event under a new id: the mark still holds.
    ws.reprocess(stage="extract", doc_ids=[doc_id(ws, "Market blast")], force=True)
    renumbered = event_of(ws, "Market blast")
    assert renumbered["id"] != market["ref"] and renumbered["perpetrator"] is None
    assert "Peshawar" not in [i["title"] for i in open_items(queue, "incomplete")]


def test_reject_is_an_analyst_correction(ws: Workspace) -> None:
    queue = ws.review
    item = one(open_items(queue, "tolls"), "Kandahar")
    result = queue.reject(item["id"], note="two attacks mixed up")
    assert result["decision"] == "rejected" and result["applied"]["reject"] == 2
    rejected = [c for c in list_corrections(ws.repo.conn) if c["action"] == "reject"]
    assert {(c["target_kind"], c["doc_id"]) for c in rejected} == {("event_report", d) for d in item["sources"]}
    assert ws.repo.event(int(item["ref"])) is None
    assert open_items(queue, "tolls") == []
    assert queue.history()[0]["decision"] == "rejected" and queue.history()[0]["corrections"] == result["corrections"]


def test_fixing_an_event_is_a_correction_that_survives_reprocessing(ws: Workspace) -> None:
    queue = ws.review
    market = one(open_items(queue, "incomplete"), "Peshawar")
    result = queue.fix(market["id"], perpetrator="TTP", note="claimed a day later")
    assert result["decision"] == "fixed" and result["applied"]["set_event"] == 1
    event = event_of(ws, "Market blast")
    assert (event["perpetrator_key"], event["perpetrator_status"]) == ("ttp", "attributed")
    correction = list_corrections(ws.repo.conn)[0]
    assert (correction["action"], correction["target_kind"]) == ("set_event", "event_report")
    assert correction["value"] == {"perpetrator_key": "ttp"}
    ws.reprocess(stage="extract", doc_ids=[doc_id(ws, "Market blast")], force=True)
    again = event_of(ws, "Market blast")
    assert again["id"] != event["id"] and again["perpetrator_key"] == "ttp"  # re-applied after the re-run
    assert "Peshawar" not in [i["title"] for i in open_items(queue, "incomplete")]


def test_fixing_a_place_a_date_and_tolls(ws: Workspace) -> None:
    queue = ws.review
    jalalabad = one(open_items(queue, "incomplete"), "Jalalabad")
    queue.fix(jalalabad["id"], date="2024-05", place="Nangarhar")
    event = event_of(ws, "Gunmen attack police post")
    assert (event["date"], event["date_precision"], event["date_method"]) == ("2024-05", "month", "analyst")
    assert event["place_key"] == ws.entity_key(entity_id(ws, "Nangarhar")) and event["country"] == "AF"
    tolls = one(open_items(queue, "tolls"), "Kandahar")
    queue.fix(tolls["id"], killed=20, wounded=30)
    kandahar = event_of(ws, "Mosque bombing in Kandahar")
    assert (kandahar["killed"], kandahar["killed_low"], kandahar["wounded"]) == (20, None, 30)
    assert open_items(queue, "tolls") == []


def test_merging_duplicates(ws: Workspace) -> None:
    queue = ws.review
    zadran = one(open_items(queue, "duplicate"), "Zadran")
    with pytest.raises(UserError, match="neither of the two"):
        queue.fix(zadran["id"], keep="Al-Qaeda")
    keep = entity_id(ws, "Mohammad Karim Zadran")
    result = queue.fix(zadran["id"], keep="Mohammad Karim Zadran")
    gone = next(i for i in zadran["ref"] if i != keep)
    assert (result["kept"], result["merged"], result["applied"]["merge"] > 0) == (keep, gone, True)
    assert ws.repo.entity(gone)["merged_into"] == keep
    assert entity_id(ws, "Mohammed Karim Zadran") == keep
    assert "Zadran" not in " ".join(i["title"] for i in open_items(queue, "duplicate"))


def test_actions_that_do_not_apply_are_user_errors(ws: Workspace) -> None:
    queue = ws.review
    undated = open_items(queue, "undated")[0]["id"]
    market = one(open_items(queue, "incomplete"), "Peshawar")["id"]
    claim = open_items(ReviewQueue(ws, threshold=1.0), "low-confidence")[0]["id"]
    with pytest.raises(UserError, match="cannot be rejected"):
        queue.reject(undated)
    with pytest.raises(UserError, match="publication date"):
        queue.fix(undated, place="Kabul")
    with pytest.raises(UserError, match="in the future"):
        queue.fix(undated, date="2099-01-01")
    with pytest.raises(UserError, match="after 2024-03-14"):
        queue.fix(market, date="2024-04-01")  # after its only source was published
    with pytest.raises(UserError, match="not a place"):
        queue.fix(market, place="Taliban")
    with pytest.raises(NotFound, match="no actor"):
        queue.fix(market, perpetrator="No Such Group At All")
    with pytest.raises(UserError, match="has no fix"):
        ReviewQueue(ws, threshold=1.0).fix(claim, date="2024-01-01")
    with pytest.raises(NotFound):
        queue.accept("incomplete:event-999999")
    with pytest.raises(NotFound):
        queue.accept("nonsense")
    with pytest.raises(UserError, match="unknown review kind"):
        queue.page("bogus")
    assert list_corrections(ws.repo.conn) == []  # nothing was recorded by the refused actions


def test_migration_013_keeps_earlier_corrections_and_allows_set_event(tmp_path: Path) -> None:
    db = tmp_path / "v12.db"
    conn = sqlite3.connect(db)
    conn.create_function("wf_raw_delta", 2, rawtext.pack, deterministic=True)
    for version, sql in _migrations():
        if version <= 12:
            for statement in _split_sql(sql):
                conn.execute(statement)
    conn.execute("PRAGMA user_version=12")
    conn.execute(
        "INSERT INTO corrections(action, entity_key, value, author, created_at) "
        "VALUES ('add_alias', 'iskp', 'Khorasan franchise', 'analyst', '2026-01-01')"
    )
    conn.commit()
    conn.close()
    repo = open_store(db)
    assert repo.schema_version >= 13
    kept = repo.conn.execute("SELECT id, action, entity_key, value FROM corrections").fetchall()
    assert [tuple(r) for r in kept] == [(1, "add_alias", "iskp", "Khorasan franchise")]
    repo.conn.execute("INSERT INTO corrections(action, author, created_at) VALUES ('set_event', 'a', 'now')")
    with pytest.raises(sqlite3.IntegrityError):
        repo.conn.execute("INSERT INTO corrections(action, author, created_at) VALUES ('delete_all', 'a', 'now')")
    assert repo.conn.execute("SELECT count(*) FROM review_marks").fetchone()[0] == 0
    repo.close()
