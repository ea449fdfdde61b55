"""The review queue through the JSON API: envelope, paging, evidence, and token-guarded accept / fix / reject."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.test_review import review_store  # noqa: F401 - the session store of the review tests
from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings

TOKEN = "review-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(
    review_store: Path,  # noqa: F811 - the fixture imported above
    store_copier: Callable[[Path, str], Path],
) -> Iterator[TestClient]:
    db = store_copier(review_store, "api.db")  # on SQLite and on PostgreSQL
    with TestClient(create_app(ServerSettings(db=db, token=TOKEN)), base_url="http://127.0.0.1") as c:
        yield c


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def find(items: list[dict[str, Any]], kind: str, text: str) -> dict[str, Any]:
    return next(i for i in items if i["kind"] == kind and text in i["title"])


def test_the_list_is_a_page_with_counts(client: TestClient) -> None:
    everything = ok(client.get("/api/review?limit=500"))
    assert everything["total"] == len(everything["items"]) == everything["counts"]["total"] > 5
    assert everything["next"] is None
    first = ok(client.get("/api/review?limit=3"))
    assert first["total"] == everything["total"] and first["counts"] == everything["counts"]
    second = ok(client.get(first["next"].replace("http://127.0.0.1", "")))
    assert [i["id"] for i in first["items"] + second["items"]] == [i["id"] for i in everything["items"][:6]]
    tolls = ok(client.get("/api/review?kind=tolls"))
    assert tolls["total"] == everything["counts"]["tolls"] and {i["kind"] for i in tolls["items"]} == {"tolls"}
    assert ok(client.get("/api/review?kind=bogus"), 422)["error"]["code"] == "invalid_parameters"


def test_an_item_carries_its_evidence_and_links(client: TestClient) -> None:
    listed = ok(client.get("/api/review?kind=incomplete"))["items"]
    market = find(listed, "incomplete", "Peshawar")
    item = ok(client.get(f"/api/review/{market['id']}"))
    assert item == market
    ev = item["evidence"][0]
    doc = ok(client.get(f"/api/documents/{ev['doc_id']}"))
    assert ev["text"] == doc["text"][ev["start"] : ev["end"]]
    assert item["links"] == [{"label": "event", "href": f"/events/{item['ref']}"}]
    assert ok(client.get("/api/review/incomplete:event-999999"), 404)["error"]["message"].startswith("no open")


def test_writes_need_the_token(client: TestClient) -> None:
    item = ok(client.get("/api/review?kind=incomplete"))["items"][0]
    for action in ("accept", "reject", "fix"):
        response = client.post(f"/api/review/{item['id']}/{action}", json={})
        assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
        wrong = {"Authorization": "Bearer not-the-token-0123456789"}
        assert client.post(f"/api/review/{item['id']}/{action}", json={}, headers=wrong).status_code == 401
    assert ok(client.get(f"/api/review/{item['id']}"))["id"] == item["id"]  # still open
    assert ok(client.get("/api/review/log"))["items"] == []


def test_accept_then_the_log(client: TestClient) -> None:
    before = ok(client.get("/api/review"))["total"]
    item = ok(client.get("/api/review?kind=duplicate"))["items"][0]
    result = ok(client.post(f"/api/review/{item['id']}/accept", json={"note": "two people"}, headers=AUTH))
    assert (result["decision"], result["open"]) == ("accepted", before - 1)
    assert ok(client.post(f"/api/review/{item['id']}/accept", headers=AUTH), 404)  # no body needed; gone now
    assert item["id"] not in [i["id"] for i in ok(client.get("/api/review?limit=500"))["items"]]
    log = ok(client.get("/api/review/log"))["items"]
    assert [(r["item"], r["decision"], r["note"]) for r in log] == [(item["id"], "accepted", "two people")]


def test_fix_an_event_and_merge_duplicates(client: TestClient) -> None:
    items = ok(client.get("/api/review?limit=500"))["items"]
    market = find(items, "incomplete", "Peshawar")
    assert ok(client.post(f"/api/review/{market['id']}/fix", json={"date": "2099-01-01"}, headers=AUTH), 400)
    assert ok(client.post(f"/api/review/{market['id']}/fix", json={"date": "12 May"}, headers=AUTH), 422)
    assert ok(client.post(f"/api/review/{market['id']}/fix", json={}, headers=AUTH), 400)
    fixed = ok(client.post(f"/api/review/{market['id']}/fix", json={"perpetrator": "TTP"}, headers=AUTH))
    assert fixed["applied"]["set_event"] == 1
    event = ok(client.get(f"/api/events/{market['ref']}"))
    assert (event["perpetrator_key"], event["perpetrator_status"]) == ("ttp", "attributed")
    corrections = ok(client.get("/api/corrections"))["items"]
    assert corrections[0]["action"] == "set_event" and corrections[0]["value"] == {"perpetrator_key": "ttp"}

    pair = find(items, "duplicate", "Al-Qaeda")
    other = next(i for i in pair["ref"] if i != pair["keep"])
    merged = ok(client.post(f"/api/review/{pair['id']}/fix", json={"keep": str(other)}, headers=AUTH))
    assert (merged["kept"], merged["merged"]) == (other, pair["keep"])
    assert ok(client.get(f"/api/entities/{pair['keep']}"))["id"] == other  # resolves to the one kept


def test_reject_and_what_cannot_be_rejected(client: TestClient) -> None:
    items = ok(client.get("/api/review?limit=500"))["items"]
    undated = next(i for i in items if i["kind"] == "undated")
    assert "cannot be rejected" in ok(client.post(f"/api/review/{undated['id']}/reject", headers=AUTH), 400)[
        "error"]["message"]  # fmt: skip
    tolls = next(i for i in items if i["kind"] == "tolls")
    result = ok(client.post(f"/api/review/{tolls['id']}/reject", json={"note": "mixed up"}, headers=AUTH))
    assert result["decision"] == "rejected" and len(result["corrections"]) == len(tolls["sources"])
    assert ok(client.get(f"/api/events/{tolls['ref']}"), 404)
    assert ok(client.get("/api/review?kind=tolls"))["total"] == 0
