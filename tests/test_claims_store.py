"""The claims ledger end to end: ingest, `watchfloor claims`, forecast outcome, `watchfloor speaker`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ingest_jsonl, invoke_cli

ARTICLES = [
    {
        "title": "Analysts fear a new wave of attacks in the Afghan capital",
        "published": "2024-01-10",
        "url": "https://example.org/a",
        "text": (
            "Analysts fear a new wave of attacks in the Afghan capital.\n\n"
            "Nadia Rahimi, a researcher at the Kabul Policy Forum, said ISKP would very likely carry out a major "
            "attack in Kabul within the next six months.\n\n"
            "Peter Lang, a former British diplomat, said the Taliban government would probably collapse within "
            "the next year. He added that the movement had lost the loyalty of its rank and file."
        ),
    },
    {
        "title": "Suicide bomber kills 20 at Kabul mosque",
        "published": "2024-03-05",
        "url": "https://example.org/b",
        "text": (
            "Suicide bomber kills 20 at Kabul mosque\n\n"
            "KABUL, March 5 — A suicide bomber killed 20 worshippers at a mosque in Kabul on Sunday, officials said. "
            "ISKP claimed responsibility for the bombing in a statement on its Amaq news agency."
        ),
    },
]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory, module_db: Path) -> Path:
    return ingest_jsonl(tmp_path_factory.mktemp("ledger"), "ledger", ARTICLES, module_db)


def _claims(db: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    result = invoke_cli("claims", "--db", str(db), "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_claims_json_has_the_documented_fields_and_evidence(ledger: Path) -> None:
    rows = _claims(ledger, "--as-of", "2024-06-01")
    keys = {"id", "speaker", "speaker_role", "kind", "text", "quote", "about", "probability_words"}
    keys |= {"probability_band", "horizon_start", "horizon_end", "status", "agrees_with", "contradicts", "sources"}
    keys.add("extraction_score")
    assert rows and all(keys <= set(r) for r in rows)
    scores = [r["extraction_score"] for r in rows]
    assert all(isinstance(x, float) and 0.0 < x <= 1.0 for x in scores), scores  # the learned model's own score
    by_score = [r["id"] for r in _claims(ledger, "--as-of", "2024-06-01", "--sort", "extraction")]
    assert by_score == [r["id"] for r in sorted(rows, key=lambda r: (r["extraction_score"], r["id"]))][: len(by_score)]
    for r in rows:
        (source,) = r["sources"]
        assert source["text"] == r["text"] and source["sentence"].find(r["text"]) >= 0


def test_a_forecast_is_supported_by_a_later_matching_event(ledger: Path) -> None:
    rahimi = next(r for r in _claims(ledger, "--speaker", "Nadia Rahimi", "--as-of", "2024-06-01"))
    assert rahimi["kind"] == "forecast" and rahimi["speaker_role"].startswith("researcher")
    assert rahimi["probability_band"] == [0.8, 0.95]
    assert (rahimi["horizon_start"], rahimi["horizon_end"]) == ("2024-01-10", "2024-07-10")
    assert rahimi["status"] == "supported" and rahimi["supporting_events"]
    events = json.loads(invoke_cli("events", "--db", str(ledger), "--json").stdout)
    assert set(rahimi["supporting_events"]) <= {e["id"] for e in events}


def test_a_forecast_expires_when_its_horizon_passes_without_an_event(ledger: Path) -> None:
    before = next(r for r in _claims(ledger, "--speaker", "Peter Lang", "--kind", "forecast", "--as-of", "2024-06-01"))
    after = next(r for r in _claims(ledger, "--speaker", "Peter Lang", "--kind", "forecast", "--as-of", "2025-06-01"))
    assert before["status"] == "open" and after["status"] == "expired"
    assert after["probability_words"] == "probably"


def test_speaker_track_record(ledger: Path) -> None:
    result = invoke_cli("speaker", "Nadia Rahimi", "--db", str(ledger), "--json", "--as-of", "2024-06-01")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["forecasts"]["supported"] == 1 and record["hit_rate"] == 1.0
    text = invoke_cli("speaker", "Peter Lang", "--db", str(ledger), "--as-of", "2025-06-01").stdout
    assert "1 expired" in text and "former British diplomat" in text


def test_bad_filters_are_one_line_errors(ledger: Path) -> None:
    for args, message in (
        (("--kind", "rumour"), "is not one of"),
        (("--speaker", "Nobody Atall"), "no speaker named"),
        (("--as-of", "someday"), "is not a date"),
    ):
        result = invoke_cli("claims", "--db", str(ledger), *args)
        assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_a_responsibility_claim_links_to_the_event_it_claims(ledger: Path) -> None:
    events = json.loads(invoke_cli("events", "--db", str(ledger), "--json").stdout)
    bombing = next(e for e in events if e["attack_type"] == "bombing_explosion")
    claims = _claims(ledger, "--kind", "responsibility")
    assert claims, "the ISKP claim of the Kabul bombing was not extracted as a responsibility claim"
    assert claims[0]["doc_id"] == bombing["sources"][0]["doc_id"]
    assert bombing["id"] in claims[0]["claimed_events"]
