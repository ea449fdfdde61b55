"""Forecast outcomes end to end: ingest, `watchfloor claims`, the API and the web ledger agree on the status.

Articles written for this test: three analysts' forecasts, then three attacks of which only one is the
predicted one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ingest_jsonl, invoke_cli
from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings

ARTICLES = [
    {
        "title": "Three analysts on the year ahead",
        "published": "2025-01-10",
        "url": "https://example.org/outlook",
        "text": (
            "Three analysts on the year ahead\n\n"
            "Omar Haidari, a security analyst at the Horn Policy Institute, said the likelihood that al-Shabaab "
            "carries out a bombing in Mogadishu within the next six months is small.\n\n"
            "Karim Jalali, a researcher at the Kabul Policy Forum, said ISKP would very likely carry out an attack "
            "in Kabul within the next six months.\n\n"
            "Leyla Demir, a professor of security studies, said that ISKP will attack Kabul again."
        ),
    },
    {
        "title": "Car bomb kills 12 in Mogadishu",
        "published": "2025-03-04",
        "url": "https://example.org/mogadishu",
        "text": (
            "Car bomb kills 12 in Mogadishu\n\n"
            "A car bomb exploded at a busy market in Mogadishu on Monday, killing 12 people, police said. "
            "Al-Shabaab claimed responsibility for the bombing."
        ),
    },
    {
        "title": "Suicide bomber kills nine at Herat mosque",
        "published": "2025-03-12",
        "url": "https://example.org/herat",
        "text": (
            "Suicide bomber kills nine at Herat mosque\n\n"
            "A suicide bomber killed nine worshippers at a mosque in Herat on Tuesday, officials said. "
            "ISKP claimed responsibility for the attack in a statement."
        ),
    },
    {
        "title": "Gunmen kill seven in Kabul",
        "published": "2025-05-21",
        "url": "https://example.org/kabul",
        "text": (
            "Gunmen kill seven in Kabul\n\n"
            "Gunmen stormed a hotel in Kabul on Tuesday, killing seven guests, officials said. "
            "ISKP claimed responsibility for the attack."
        ),
    },
]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory, module_db: Path) -> Path:
    return ingest_jsonl(tmp_path_factory.mktemp("forecasts"), "forecasts", ARTICLES, module_db)


def _forecast(db: Path, speaker: str, as_of: str) -> dict[str, Any]:
    args = ("--json", "--speaker", speaker, "--kind", "forecast", "--as-of", as_of)
    result = invoke_cli("claims", "--db", str(db), *args)
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    return row  # type: ignore[no-any-return]


def _events(db: Path) -> dict[str, int]:
    """Place -> id of the attacks reported after the forecasts were made."""
    events = json.loads(invoke_cli("events", "--db", str(db), "--json").stdout)
    return {e["place"]: e["id"] for e in events if e.get("place") and (e["date"] or "") > "2025-01-10"}


def test_a_low_likelihood_forecast_followed_by_the_event_is_contradicted(ledger: Path) -> None:
    row = _forecast(ledger, "Omar Haidari", "2025-04-01")
    assert row["horizon_end"] == "2025-07-10"
    assert row["status"] == "contradicted"
    assert row["supporting_events"] == [_events(ledger)["Mogadishu"]]


def test_supported_only_by_the_predicted_actor_in_the_predicted_place(ledger: Path) -> None:
    # By April an al-Shabaab bombing in Mogadishu and an ISKP bombing in Herat have happened: neither counts.
    before = _forecast(ledger, "Karim Jalali", "2025-04-01")
    assert before["status"] == "open" and before["supporting_events"] == []
    after = _forecast(ledger, "Karim Jalali", "2025-06-01")
    assert after["status"] == "supported" and after["supporting_events"] == [_events(ledger)["Kabul"]]


def test_no_horizon_is_open_no_horizon_even_after_a_matching_event(ledger: Path) -> None:
    for as_of in ("2025-06-01", "2027-01-01"):
        row = _forecast(ledger, "Leyla Demir", as_of)
        assert row["horizon_end"] is None and row["status"] == "open (no horizon)"
    text = invoke_cli("speaker", "Leyla Demir", "--db", str(ledger), "--as-of", "2025-06-01").stdout
    assert "1 open (no horizon)" in text


@pytest.fixture(scope="module")
def client(ledger: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(db=ledger)), base_url="http://127.0.0.1") as c:
        yield c


def test_the_api_and_the_ledger_show_the_same_statuses(client: TestClient) -> None:
    found = client.get("/api/claims", params={"kind": "forecast", "as_of": "2025-06-01"})
    assert found.status_code == 200, found.text
    statuses = {r["speaker"]: r["status"] for r in found.json()["items"]}
    assert statuses == {"Omar Haidari": "contradicted", "Karim Jalali": "supported", "Leyla Demir": "open (no horizon)"}
    page = client.get("/claims", params={"kind": "forecast", "as_of": "2025-06-01"}).text
    assert 'class="status s-contradicted"' in page and 'class="status s-open-no-horizon"' in page
    assert ">open (no horizon)</span>" in page
