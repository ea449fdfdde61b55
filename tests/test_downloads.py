"""Exports from the UI: the /api/export downloads (each format checked for what it holds) and a real browser
clicking the download links of the actor page and the dashboard's brief form."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from pymisp import MISPEvent
from pypdf import PdfReader
from stix2validator import ValidationOptions, validate_instance

from tests.test_web import LiveServer, Tab
from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings
from watchfloor.export.brief import build_brief
from watchfloor.workspace import Workspace

EXPLAINED_WARNINGS = {"103", "202", "302"}  # docs/exports.md, as in tests/test_exports.py


@pytest.fixture(scope="module")
def store(demo_db: Path, module_store_copier: Callable[[Path, str], Path]) -> Path:
    return module_store_copier(demo_db, "downloads.db")  # on SQLite and on PostgreSQL


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(db=store)), base_url="http://127.0.0.1") as c:
        yield c


def download(client: TestClient, url: str, media: str, name: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith(media), response.headers["content-type"]
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert "script-src 'self'" in response.headers["content-security-policy"]
    return response.content


def store_events(store: Path, actor: str | None) -> list[dict[str, Any]]:
    with Workspace(store) as ws:
        return ws.events(actor, None, None, None, None, True, 100_000, 0, "date ASC")


def test_stix_download_validates_and_holds_the_actors_incidents(client: TestClient, store: Path) -> None:
    body = download(client, "/api/export/stix?actor=ISKP", "application/json",
                    "watchfloor-stix-Islamic-State-Khorasan-Province.json")  # fmt: skip
    bundle = json.loads(body)
    result = validate_instance(bundle, ValidationOptions(strict=False))
    assert result.errors == []
    assert {re.search(r"\{(\d+)\}", str(w)).group(1) for w in result.warnings} <= EXPLAINED_WARNINGS  # type: ignore[union-attr]
    incidents = [o for o in bundle["objects"] if o["type"] == "incident"]
    assert len(incidents) == len(store_events(store, "ISKP")) > 0
    assert any(
        o["type"] == "threat-actor" and o["name"] == "Islamic State Khorasan Province" for o in bundle["objects"]
    )


def test_misp_download_loads_in_pymisp_with_every_event(client: TestClient, store: Path) -> None:
    body = download(client, "/api/export/misp?since=2020&tlp=green", "application/json", "watchfloor-misp-2020.json")
    event = MISPEvent()
    event.load(body.decode("utf-8"))
    assert "tlp:green" in {t.name for t in event.tags}
    with Workspace(store) as ws:
        expected = ws.events(None, None, "2020", None, None, True, 100_000, 0, "date ASC")
    assert len([o for o in event.objects if o.name == "event"]) == len(expected) > 0


def test_graphml_download_opens_in_networkx(client: TestClient, store: Path) -> None:
    body = download(client, "/api/export/graph?format=graphml", "application/xml", "watchfloor-network.graphml")
    graph = nx.read_graphml(io.BytesIO(body))
    with Workspace(store) as ws:
        assert graph.number_of_edges() == len(ws.relations(None, None, None, None, 1, 100_000, 0)) > 10


def test_table_downloads_hold_the_store_rows(client: TestClient, store: Path) -> None:
    body = download(client, "/api/export/table/events?format=csv&actor=TTP", "text/csv",
                    "watchfloor-events-Tehrik-i-Taliban-Pakistan.csv")  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert [int(r["event_id"]) for r in rows] == [e["id"] for e in store_events(store, "TTP")]
    parquet = download(client, "/api/export/table/claims?format=parquet", "application/vnd.apache.parquet",
                       "watchfloor-claims.parquet")  # fmt: skip
    assert pq.read_table(io.BytesIO(parquet)).num_rows > 50


def test_brief_downloads_in_every_format_mention_a_known_event(client: TestClient, store: Path) -> None:
    with Workspace(store) as ws:
        iskp = ws.lookup("ISKP")
        assert iskp is not None
        made = build_brief(ws, "ISKP")
    known = next(e for e in made.events if e["date"] and e["place"])  # a dated, placed ISKP event in the brief
    name = "watchfloor-brief-Islamic-State-Khorasan-Province"
    md = download(client, f"/api/export/brief?about={iskp['id']}&format=md", "text/markdown", f"{name}.md").decode()
    assert md.startswith("# Islamic State Khorasan Province: analyst brief")
    assert re.search(rf"\| {re.escape(known['date'])} \|.*{re.escape(known['place'])}", md), known
    html = download(client, "/api/export/brief?about=ISKP&format=html", "text/html", f"{name}.html").decode()
    assert known["place"] in html and "<script" not in html
    pdf = download(client, "/api/export/brief?about=ISKP&format=pdf", "application/pdf", f"{name}.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF") and "Islamic State Khorasan Province" in text


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/export/stix?actor=no-such-actor", 404),
        ("/api/export/brief?about=no-such-actor", 404),
        ("/api/export/brief", 422),
        ("/api/export/misp?since=yesterday", 422),
        ("/api/export/misp?tlp=white", 422),
        ("/api/export/table/people", 422),
        ("/api/export/graph?format=dot", 422),
    ],
)
def test_bad_requests_get_the_json_error_shape(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["error"]["status"] == status and "content-disposition" not in response.headers


def test_the_downloads_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    wanted = ["/api/export/stix", "/api/export/misp", "/api/export/graph", "/api/export/table/{table}",
              "/api/export/brief"]  # fmt: skip
    assert [p for p in wanted if p not in paths] == []


# -- in a real browser ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[LiveServer]:
    with LiveServer(store) as live:
        yield live


@pytest.mark.browser
def test_the_actor_page_downloads_its_stix_bundle_and_brief(tab: Tab, server: LiveServer) -> None:
    entity = server.get("/api/entities/ISKP")
    tab.goto(f"/actors/{entity['id']}")
    page = tab.page
    page.get_by_test_id("downloads").locator("summary").click()
    with page.expect_download() as stix_download:
        page.get_by_test_id("download-stix").click()
    stix = stix_download.value
    assert stix.suggested_filename == "watchfloor-stix-Islamic-State-Khorasan-Province.json"
    bundle = json.loads(Path(stix.path()).read_text("utf-8"))
    events = server.get("/api/events", actor=entity["id"], limit=500, include_background="true")["items"]
    incidents = [o for o in bundle["objects"] if o["type"] == "incident"]
    assert bundle["type"] == "bundle" and len(incidents) == len(events) > 0

    with page.expect_download() as brief_download:
        page.get_by_test_id("download-brief-html").click()
    brief = Path(brief_download.value.path()).read_text("utf-8")
    assert brief_download.value.suggested_filename.endswith(".html")
    assert "<h1>Islamic State Khorasan Province: analyst brief</h1>" in brief
    assert tab.path() == f"/actors/{entity['id']}"  # a download, not a navigation
    tab.check()


@pytest.mark.browser
def test_the_dashboard_brief_form_downloads_a_markdown_brief(tab: Tab) -> None:
    tab.goto("/")
    page = tab.page
    page.get_by_test_id("downloads").locator("summary").click()
    form = page.get_by_test_id("brief-form")
    form.get_by_label("brief about").fill("TTP")
    form.get_by_label("brief format").select_option("md")
    with page.expect_download() as brief_download:
        form.get_by_role("button", name="Brief").click()
    text = Path(brief_download.value.path()).read_text("utf-8")
    assert brief_download.value.suggested_filename == "watchfloor-brief-Tehrik-i-Taliban-Pakistan.md"
    assert text.startswith("# Tehrik-i-Taliban Pakistan: analyst brief")
    tab.check()
