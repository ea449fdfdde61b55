"""Watchlist API: reads are open, writes need the token, `news` never moves the last-seen mark and `seen`
does; what a later ingest stored is new, by ingest time, to the second."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings
from watchfloor.store.sqlite_watch import Mark, high_water
from watchfloor.workspace import Workspace, demo_corpus_path

TOKEN = "watch-api-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DEMO = ["crocus-city-hall-attack-moscow.html", "kerman-memorial-twin-bombings.txt",
        "kandahar-shia-mosque-bombing-wire.txt"]  # fmt: skip
LATER = "2999-01-01T00:00:00+00:00"  # an ingest time after every other: a document "stored later"


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("watch-api") / "small.db"
    with Workspace(db) as ws:
        report = ws.ingest([str(demo_corpus_path() / name) for name in DEMO])
    assert report.analysed == len(DEMO), report
    return db


@pytest.fixture
def db(small_store: Path, store_copier: Callable[[Path, str], Path]) -> Path:
    return store_copier(small_store, "watch.db")  # on SQLite and on PostgreSQL


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(db=db, token=TOKEN)), base_url="http://127.0.0.1") as c:
        yield c


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def store_later(db: Path, doc_id: str) -> None:
    """Make one document look ingested after everything else (what a second ingest run does)."""
    with Workspace(db) as ws, ws.repo.transaction():  # either backend
        ws.repo.conn.execute("UPDATE documents SET ingested_at=? WHERE id=?", (LATER, doc_id))


def test_reading_is_open_and_changing_needs_the_token(client: TestClient) -> None:
    assert ok(client.get("/api/watch"))["items"] == []
    assert client.post("/api/watch", json={"name": "ISKP"}).status_code == 401
    assert client.post("/api/watch", json={"name": "ISKP"}, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert ok(client.get("/api/watch"))["items"] == []
    made = ok(client.post("/api/watch", json={"name": "ISIS-K"}, headers=AUTH), 201)
    assert made["added"] and made["entity"]["name"] == "Islamic State Khorasan Province" and made["label"] == "ISIS-K"
    again = ok(client.post("/api/watch", json={"name": "iskp"}, headers=AUTH), 200)  # the same entity
    assert again["id"] == made["id"] and not again["added"]
    search = ok(client.post("/api/watch", json={"search": "suicide bomb*", "watchlist": "iran"}, headers=AUTH), 201)
    listed = ok(client.get("/api/watch"))
    assert [(i["id"], i["watchlist"]) for i in listed["items"]] == [(made["id"], "default"), (search["id"], "iran")]
    assert {w["name"]: w["items"] for w in listed["watchlists"]} == {"default": 1, "iran": 1}
    assert "no actor named 'Talibn'" in ok(client.post("/api/watch", json={"name": "Talibn"}, headers=AUTH), 404)[
        "error"]["message"]  # fmt: skip
    assert client.post("/api/watch", json={"name": "ISKP", "search": "x"}, headers=AUTH).status_code == 400
    hook = client.post("/api/watch", json={"name": "ISKP", "alert_command": "touch /tmp/pwned"}, headers=AUTH)
    assert hook.status_code == 422  # alert hooks run programs: command line only
    assert all(i["alert_command"] is None for i in ok(client.get("/api/watch"))["items"])
    assert client.delete(f"/api/watch/{made['id']}").status_code == 401
    assert ok(client.delete(f"/api/watch/{made['id']}", headers=AUTH))["label"] == "ISIS-K"
    assert client.delete(f"/api/watch/{made['id']}", headers=AUTH).status_code == 404
    assert [i["id"] for i in ok(client.get("/api/watch"))["items"]] == [search["id"]]


def test_news_never_moves_the_mark_seen_does_and_a_later_document_is_new(client: TestClient, db: Path) -> None:
    ok(client.post("/api/watch", json={"name": "ISKP"}, headers=AUTH), 201)
    first = ok(client.get("/api/watch/news"))
    iskp = first["items"][0]
    assert first["since"] is None and not first["marked_seen"] and iskp["documents"] and iskp["claims"]
    assert ok(client.get("/api/watch/news"))["items"][0]["counts"] == iskp["counts"]  # GET moved nothing
    page = ok(client.get("/api/watch/overview"))
    assert page["seen"] is None and all(d["new"] for d in page["items"][0]["documents"])
    ok(client.post("/api/watch/seen", json={"upto": page["upto"]["upto"], "ids": page["upto"]["ids"]}, headers=AUTH))
    assert ok(client.get("/api/watch/news"))["items"][0]["counts"] == dict.fromkeys(iskp["counts"], 0)

    later = next(c["doc_id"] for c in iskp["claims"])  # a document with claims about ISKP comes in "later"
    store_later(db, later)
    news = ok(client.get("/api/watch/news"))["items"][0]
    assert [d["id"] for d in news["documents"]] == [later]
    assert news["claims"] and {c["doc_id"] for c in news["claims"]} == {later}
    assert {r["doc_id"] for r in news["relations"]} <= {later}
    assert {c["id"] for c in news["claims"]} == {c["id"] for c in iskp["claims"] if c["doc_id"] == later}
    flagged = ok(client.get("/api/watch/overview"))["items"][0]
    assert {d["id"] for d in flagged["documents"] if d["new"]} == {later}
    assert {c["id"] for c in flagged["claims"] if c["new"]} == {c["id"] for c in news["claims"]}
    assert all(c["doc_id"] != later for c in flagged["claims"] if not c["new"])
    assert flagged["n_new"] == sum(len(news[k]) for k in ("documents", "events", "claims", "relations"))
    since = ok(client.get("/api/watch/news", params={"since": "2998-12-31"}))["items"][0]
    assert [d["id"] for d in since["documents"]] == [later]  # a date instead of the mark


def test_the_seen_mark_never_moves_back(client: TestClient) -> None:
    ok(client.post("/api/watch", json={"name": "ISKP"}, headers=AUTH), 201)
    now = ok(client.post("/api/watch/seen", json={}, headers=AUTH))["seen"]
    assert now is not None
    back = ok(client.post("/api/watch/seen", json={"upto": "2001-01-01T00:00:00+00:00"}, headers=AUTH))
    assert back["seen"] == now
    assert client.post("/api/watch/seen", json={"upto": "yesterday"}, headers=AUTH).status_code == 422
    assert client.post("/api/watch/seen", json={"watchlist": "none"}, headers=AUTH).status_code == 404


def test_a_bad_since_is_a_400_with_the_accepted_forms(client: TestClient) -> None:
    ok(client.post("/api/watch", json={"name": "ISKP"}, headers=AUTH), 201)
    error = ok(client.get("/api/watch/news", params={"since": "whenever"}), 400)["error"]
    assert "'whenever' is not a date" in error["message"] and "last-week" in error["message"]
    assert client.get("/api/watch/news", params={"watchlist": "none"}).status_code == 404


def test_a_mark_keeps_apart_documents_stored_in_the_same_second(db: Path) -> None:
    """Ingest times have whole seconds: a document stored in the mark's second after the mark is still new."""
    with Workspace(db) as ws:
        conn = ws.repo.conn
        first, second, third = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
        conn.execute("UPDATE documents SET ingested_at=?", ("2999-01-01T00:00:00+00:00",))
        conn.execute("UPDATE documents SET ingested_at=? WHERE id=?", ("2998-01-01T00:00:00+00:00", third))
        mark = high_water(conn)
        assert mark == Mark("2999-01-01T00:00:00+00:00", (first, second))

        def new() -> set[str]:
            sql, args = mark.after("d")
            return {r[0] for r in conn.execute(f"SELECT id FROM documents d WHERE {sql}", args)}

        assert new() == set()
        conn.execute("UPDATE documents SET ingested_at=? WHERE id=?", (mark.upto, third))  # same second, later
        assert new() == {third}
        assert Mark(mark.upto, inclusive=True).after("d")[0] == "d.ingested_at >= ?"
