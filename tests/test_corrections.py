"""Analyst corrections through the API: bearer token, aliases, merge, split, reject; kept across re-runs."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.test_api import copy_store
from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings
from watchfloor.workspace import Workspace

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def store(demo_db: Path, store_copier: Callable[[Path, str], Path]) -> Path:
    """A copy of the demo store on each backend (SQLite, PostgreSQL)."""
    return store_copier(demo_db, "corrected.db")


@pytest.fixture()
def client(store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(db=store, token=TOKEN)), base_url="http://127.0.0.1") as c:
        yield c


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def wait(client: TestClient, job: dict[str, Any]) -> dict[str, Any]:
    """Poll an ingest job until it ends (the spaCy pipeline loads in the job: seconds, not minutes)."""
    deadline = time.monotonic() + 300
    while job["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.5)
        job = ok(client.get(f"/api/jobs/{job['id']}", headers=AUTH))
    return job


def mention_entity(client: TestClient, doc_id: str, start: int) -> str | None:
    doc = ok(client.get(f"/api/documents/{doc_id}"))
    return next(m["entity_key"] for m in doc["mentions"] if m["start"] == start)


def test_writes_need_the_right_bearer_token(client: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"}):
        response = client.post("/api/entities/ISKP/aliases", json={"alias": "x"}, headers=headers)
        assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert ok(client.get("/api/corrections"))["total"] == 0


def test_an_added_alias_relinks_its_mentions_and_is_recorded(client: TestClient, store: Path) -> None:
    with Workspace(store) as ws:
        row = ws.repo.conn.execute(
            """SELECT m.doc_id, m.start, m.text FROM mentions m JOIN entities e ON e.id=m.entity_id
               WHERE e.source='extracted' AND e.label='ORG' ORDER BY m.id LIMIT 1"""
        ).fetchone()
    assert mention_entity(client, row["doc_id"], row["start"]) != "iskp"
    made = ok(
        client.post("/api/entities/ISKP/aliases", json={"alias": row["text"], "note": "same group"}, headers=AUTH), 201
    )
    assert made["applied"]["add_alias"] >= 1
    assert mention_entity(client, row["doc_id"], row["start"]) == "iskp"
    assert row["text"] in ok(client.get("/api/entities/ISKP"))["aliases"]
    listed = ok(client.get("/api/corrections"))["items"][0]
    assert (listed["action"], listed["entity_key"], listed["value"], listed["note"]) == (
        "add_alias", "iskp", row["text"], "same group",
    )  # fmt: skip


def test_a_removed_alias_unlinks_its_mentions(client: TestClient) -> None:
    before = ok(client.get("/api/entities/ISKP"))
    assert "Daesh Khorasan" in before["aliases"]
    ok(client.delete("/api/entities/ISKP/aliases/Daesh Khorasan", headers=AUTH))
    after = ok(client.get("/api/entities/ISKP"))
    assert "Daesh Khorasan" not in after["aliases"]
    assert "Daesh Khorasan" not in {s["text"] for s in after["surface_forms"]}
    assert after["mention_count"] == before["mention_count"] - 3


def test_merge_moves_everything_and_the_old_name_resolves_to_the_kept_entity(client: TestClient) -> None:
    keep, gone = ok(client.get("/api/entities/Tomasz Wierzbicki")), ok(client.get("/api/entities/Harlan Voss"))
    ok(client.post(f"/api/entities/{keep['id']}/merge", json={"other": "Harlan Voss"}, headers=AUTH))
    merged = ok(client.get("/api/entities/Harlan Voss"))
    assert merged["id"] == keep["id"] and "Harlan Voss" in merged["aliases"]
    assert merged["mention_count"] == keep["mention_count"] + gone["mention_count"]
    listed = {e["id"] for e in ok(client.get("/api/entities?kind=person&limit=500"))["items"]}
    assert gone["id"] not in listed and keep["id"] in listed
    speakers = {c["speaker_entity_id"] for c in ok(client.get(f"/api/claims?speaker={keep['id']}&limit=500"))["items"]}
    assert speakers == {keep["id"]}
    assert (
        client.post(f"/api/entities/{keep['id']}/merge", json={"other": str(keep["id"])}, headers=AUTH).status_code
        == 400
    )


def test_split_moves_the_named_aliases_and_their_mentions_to_a_new_entity(client: TestClient) -> None:
    body = {"name": "Khorasan Province (local faction)", "aliases": ["Khorasan Province"]}
    out = ok(client.post("/api/entities/ISKP/split", json=body, headers=AUTH), 201)
    new = out["new_entity"]
    assert new["key"].startswith("analyst:") and new["kind"] == "armed_group"
    detail = ok(client.get(f"/api/entities/{new['id']}"))
    assert {s["text"] for s in detail["surface_forms"]} == {"Khorasan Province"}
    assert "Khorasan Province" not in ok(client.get("/api/entities/ISKP"))["aliases"]


def test_rejected_extractions_disappear_from_every_view(client: TestClient) -> None:
    relation = ok(client.get("/api/relations?actor=ISKP"))["items"][0]
    source = relation["sources"][0]
    ok(
        client.post("/api/corrections/reject", json={"kind": "relation", "id": source["relation_id"]}, headers=AUTH),
        201,
    )
    doc = ok(client.get(f"/api/documents/{source['doc_id']}"))
    assert source["relation_id"] not in {r["id"] for r in doc["relations"]}

    event = ok(client.get("/api/events?limit=1"))["items"][0]
    ok(client.post("/api/corrections/reject", json={"kind": "event", "id": event["id"]}, headers=AUTH), 201)
    assert client.get(f"/api/events/{event['id']}").status_code == 404

    claim = ok(client.get("/api/claims?limit=1"))["items"][0]
    ok(client.post("/api/corrections/reject", json={"kind": "claim", "id": claim["id"]}, headers=AUTH), 201)
    assert client.get(f"/api/claims/{claim['id']}").status_code == 404
    assert client.post("/api/corrections/reject", json={"kind": "claim", "id": 10**9}, headers=AUTH).status_code == 404
    kinds = [c["target_kind"] for c in ok(client.get("/api/corrections?limit=100"))["items"]]
    assert (
        kinds.count("relation") == 1
        and kinds.count("claim") == 1
        and kinds.count("event_report") == len(event["sources"])
    )


def test_a_rejected_fact_extracted_again_is_removed_again(client: TestClient, store: Path) -> None:
    source = ok(client.get("/api/relations?actor=Taliban"))["items"][0]["sources"][0]
    with Workspace(store) as ws:
        row = dict(ws.repo.conn.execute("SELECT * FROM relations WHERE id=?", (source["relation_id"],)).fetchone())
    ok(
        client.post("/api/corrections/reject", json={"kind": "relation", "id": source["relation_id"]}, headers=AUTH),
        201,
    )
    with Workspace(store) as ws:
        conn = ws.repo.conn
        row.pop("id")  # a re-run inserts the same extraction under a new row id
        conn.execute(
            f"INSERT INTO relations({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        again = "SELECT count(*) FROM relations WHERE doc_id=? AND trigger_start=? AND predicate=?"
        key = (row["doc_id"], row["trigger_start"], row["predicate"])
        assert conn.execute(again, key).fetchone()[0] == 1
        assert ws.repo.apply_corrections()["reject"] == 1
        assert conn.execute(again, key).fetchone()[0] == 0
        second = ws.repo.apply_corrections()
        assert second == dict.fromkeys(second, 0)  # applying again changes nothing


def test_corrections_survive_an_ingest_run_of_new_documents(client: TestClient, store: Path, tmp_path: Path) -> None:
    ok(client.post("/api/entities/Tomasz Wierzbicki/merge", json={"other": "Harlan Voss"}, headers=AUTH))
    ok(client.delete("/api/entities/ISKP/aliases/Daesh Khorasan", headers=AUTH))
    article = tmp_path / "rerun.txt"
    article.write_text(
        "Kabul, March 3, 2026\n\nHarlan Voss, a security analyst, said Daesh Khorasan had lost most of its "
        "urban cells in eastern Afghanistan, but warned that the group would try to strike Kabul again this year.\n",
        encoding="utf-8",
    )
    with Workspace(store) as ws:
        report = ws.ingest([str(article)])
        assert report.analysed == 1
        doc_id = ws.repo.conn.execute("SELECT id FROM documents WHERE source=?", (str(article),)).fetchone()[0]
    doc = ok(client.get(f"/api/documents/{doc_id}"))
    by_text = {m["text"]: m["entity_key"] for m in doc["mentions"]}
    assert by_text["Harlan Voss"] == "person:tomasz-wierzbicki"
    assert by_text.get("Daesh Khorasan") is None


def test_uploads_are_ingested_as_background_jobs(client: TestClient) -> None:
    assert client.post("/api/ingest/upload", files={"file": ("x.exe", b"MZ\x00", "application/octet-stream")},
                       headers=AUTH).status_code == 415  # fmt: skip
    assert client.post("/api/ingest/upload", files={"file": ("empty.txt", b"", "text/plain")},
                       headers=AUTH).status_code == 400  # fmt: skip
    text = b"Peshawar, May 2, 2026\n\nA roadside bomb killed four policemen in Bajaur on Friday, officials said.\n"
    job = wait(client, ok(client.post("/api/ingest/upload", files={"file": ("bajaur.txt", text, "text/plain")},
                                      headers=AUTH), 202))  # fmt: skip
    assert job["status"] == "done", job
    assert job["report"]["analysed"] == 1
    found = ok(client.get("/api/documents?q=bajaur.txt"))["items"]
    assert len(found) == 1 and found[0]["status"] == "analysed" and found[0]["published"] == "2026-05-02"
    events = ok(client.get(f"/api/documents/{found[0]['id']}"))["events"]
    assert [e["place"] for e in events] == ["Bajaur"]


def test_a_url_is_ingested_as_a_job_and_private_addresses_need_permission(demo_db: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "raid.html").write_text(
        "<html><head><title>Raid in Kunar</title></head><body><article><h1>Raid in Kunar</h1>"
        "<p>Asadabad, June 4, 2026. Security forces said they killed three ISKP fighters in a night raid in "
        "Kunar province on Tuesday, two days after a bomb wounded five people at a market in Asadabad.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/raid.html"
        for allowed in (False, True):
            db = copy_store(demo_db, tmp_path / f"url-{allowed}.db")
            settings = ServerSettings(db=db, token=TOKEN, allow_private_urls=allowed)
            with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
                assert client.post("/api/ingest", json={"url": "ftp://x"}, headers=AUTH).status_code == 422
                job = wait(client, ok(client.post("/api/ingest", json={"url": url}, headers=AUTH), 202))
                assert job["status"] == "done", job
                found = ok(client.get("/api/documents?q=Raid in Kunar"))["items"]
                if allowed:
                    assert job["report"]["analysed"] == 1 and len(found) == 1
                else:
                    assert job["report"]["analysed"] == 0 and found == []
                    assert any("private" in p or "loopback" in p for p in job["report"]["problems"]), job
        httpd.shutdown()
