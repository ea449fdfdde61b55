"""The JSON API on the demo store: envelopes, paging, sorting, filters, provenance and error bodies."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings


def copy_store(source: Path, target: Path) -> Path:
    """A private copy of a store (the backup API copies a WAL store consistently)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.fixture(scope="module")
def client(demo_db: Path, module_store_copier: Callable[[Path, str], Path]) -> Iterator[TestClient]:
    db = module_store_copier(demo_db, "read.db")  # on SQLite and on PostgreSQL
    with TestClient(create_app(ServerSettings(db=db)), base_url="http://127.0.0.1") as c:
        yield c


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.json()


def test_lists_page_with_totals_and_next_links(client: TestClient) -> None:
    first = get(client, "/api/entities?limit=5")
    second = get(client, first["next"].replace("http://127.0.0.1", ""))
    both = get(client, "/api/entities?limit=10")
    assert first["total"] == both["total"] > 10
    assert [e["id"] for e in first["items"] + second["items"]] == [e["id"] for e in both["items"]]
    last = get(client, f"/api/entities?limit=5&offset={first['total'] - 2}")
    assert len(last["items"]) == 2 and last["next"] is None


def test_lists_without_totals_still_know_whether_there_is_a_next_page(client: TestClient) -> None:
    events = get(client, "/api/events?limit=500")["items"]
    page = get(client, f"/api/events?limit={len(events) - 1}")
    assert page["next"] is not None and len(page["items"]) == len(events) - 1
    assert get(client, f"/api/events?limit={len(events)}")["next"] is None


def test_sorting_follows_the_requested_field_and_direction(client: TestClient) -> None:
    killed = [
        e["killed"] for e in get(client, "/api/events?sort=-killed&limit=200")["items"] if e["killed"] is not None
    ]
    assert killed == sorted(killed, reverse=True) and len(killed) > 5
    dates = [e["date"] for e in get(client, "/api/events?sort=date&limit=200")["items"] if e["date"]]
    assert dates == sorted(dates)
    names = [e["name"] for e in get(client, "/api/entities?sort=name&limit=100")["items"]]
    assert names == sorted(names)
    sources = [r["n_sources"] for r in get(client, "/api/relations?sort=-n_sources")["items"]]
    assert sources == sorted(sources, reverse=True)


def test_an_entity_is_the_same_under_any_alias_and_carries_its_facts(client: TestClient) -> None:
    by_alias = get(client, "/api/entities/ISIS-K")
    assert (
        get(client, "/api/entities/iskp")["id"]
        == by_alias["id"]
        == get(client, f"/api/entities/{by_alias['id']}")["id"]
    )
    assert by_alias["name"] == "Islamic State Khorasan Province" and "ISKP" in by_alias["aliases"]
    assert by_alias["mention_count"] >= len(by_alias["mentions"]) > 0
    for rel in by_alias["relations"]:
        assert by_alias["id"] in (rel["subject_entity_id"], rel["object_entity_id"])
    about = {a["id"] for c in by_alias["claims_about"] for a in c["about"]}
    assert not by_alias["claims_about"] or by_alias["id"] in about


def test_every_span_in_a_document_points_at_its_text(client: TestClient) -> None:
    """Provenance: mentions, events, claims and relations all index into the stored text."""
    doc_id = get(client, "/api/entities/ISKP")["mentions"][0]["doc_id"]
    doc = get(client, f"/api/documents/{doc_id}")
    text = doc["text"]
    assert doc["mentions"] and all(text[m["start"] : m["end"]] == m["text"] for m in doc["mentions"])
    for claim in doc["claims"]:
        assert 0 <= claim["evidence_start"] <= claim["start"] < claim["end"] <= claim["evidence_end"] <= len(text)
    for rel in doc["relations"]:
        assert rel["evidence_start"] <= rel["trigger_start"] < rel["trigger_end"] <= rel["evidence_end"] <= len(text)
    for event in doc["events"]:
        assert text[event["trigger_start"] : event["trigger_end"]] == event["trigger_text"]
    assert "raw_text" not in doc


def test_filters_keep_only_matching_rows(client: TestClient) -> None:
    taliban = get(client, "/api/entities/Taliban")["id"]
    rels = get(client, "/api/relations?actor=Taliban")["items"]
    assert rels and all(taliban in (r["subject_entity_id"], r["object_entity_id"]) for r in rels)
    hostile = get(client, "/api/relations?predicate=hostile_to")["items"]
    assert hostile and {r["predicate"] for r in hostile} == {"hostile_to"}
    events = get(client, "/api/events?country=AF&limit=200")["items"]
    assert events and {e["country"] for e in events} == {"AF"}
    forecasts = get(client, "/api/claims?kind=forecast&limit=200")["items"]
    assert forecasts and {c["kind"] for c in forecasts} == {"forecast"}
    docs = get(client, "/api/documents?actor=ISKP&limit=200")
    assert docs["total"] == get(client, "/api/entities/ISKP")["document_count"]


def test_graph_edges_join_listed_nodes_and_follow_the_predicate_filter(client: TestClient) -> None:
    graph = get(client, "/api/graph")
    ids = {n["id"] for n in graph["nodes"]}
    assert graph["edges"] and all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    leads = get(client, "/api/graph?predicate=leads")
    assert leads["edges"] and {e["predicate"] for e in leads["edges"]} == {"leads"}
    persons = get(client, "/api/graph?kind=person&kind=armed_group")
    assert {n["kind"] for n in persons["nodes"]} <= {"person", "armed_group"}


def test_search_marks_matches_and_reports_bad_syntax_as_a_400(client: TestClient) -> None:
    hits = get(client, '/api/search?q="suicide bomber"')["items"]
    assert hits and all("\x02" in h["snippet"] for h in hits)
    assert get(client, '/api/search?q="unclosed phrase')["items"] == []  # punctuation is text, not syntax
    error = get(client, "/api/search?q=%20%20", 400)["error"]
    assert error["code"] == "bad_request" and error["message"]


def test_errors_have_one_shape(client: TestClient) -> None:
    missing = get(client, "/api/entities/no-such-actor-anywhere", 404)["error"]
    assert missing == {"status": 404, "code": "not_found", "message": missing["message"], "fields": None}
    invalid = get(client, "/api/events?limit=0&sort=sideways", 422)["error"]
    assert invalid["code"] == "invalid_parameters" and {f["where"] for f in invalid["fields"]} == {
        "query.limit",
        "query.sort",
    }
    assert get(client, "/api/events/999999", 404)["error"]["message"] == "no event with id 999999"


def test_writes_are_refused_when_no_token_is_configured(client: TestClient) -> None:
    response = client.post("/api/entities/ISKP/aliases", json={"alias": "anything"})
    assert response.status_code == 403 and "token" in response.json()["error"]["message"]


def test_responses_carry_a_content_security_policy(client: TestClient) -> None:
    for url in ("/", "/api/stats", "/actors/ISKP"):
        policy = client.get(url).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy and "unsafe-inline" not in policy


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    paths = get(client, "/api/openapi.json")["paths"]
    wanted = ["/api/entities", "/api/entities/{ref}", "/api/events", "/api/relations", "/api/claims", "/api/search",
              "/api/graph", "/api/stats", "/api/documents/{doc_id}", "/api/corrections/reject"]  # fmt: skip
    assert [p for p in wanted if p not in paths] == []
    assert client.get("/api/docs").status_code == 200


def test_health_reports_when_the_background_warm_up_is_done(client: TestClient) -> None:
    deadline = time.monotonic() + 120
    health = get(client, "/api/health")
    while not health["warm"] and time.monotonic() < deadline:
        time.sleep(0.2)
        health = get(client, "/api/health")
    assert health["status"] == "ok" and health["warm"] is True
