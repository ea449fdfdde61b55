"""What a user does on the demo store: list actors, open one, search, read a document."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import invoke_cli
from watchfloor.store.sqlite import _migrations
from watchfloor.workspace import Workspace


def test_actors_json_lists_canonical_actors_with_aliases_counts_and_documents(demo_db: Path) -> None:
    result = invoke_cli("actors", "--db", str(demo_db), "--json", "--limit", "500")
    assert result.returncode == 0, result.stderr
    actors = json.loads(result.stdout)
    keys = {"key", "name", "kind", "aliases", "mentions", "documents", "document_ids", "qid"}
    assert all(keys <= set(a) for a in actors)
    by_key = {a["key"]: a for a in actors}
    iskp = by_key["iskp"]
    assert iskp["kind"] == "armed_group" and "ISIS-K" in iskp["aliases"]
    assert iskp["documents"] == len(iskp["document_ids"]) >= 3
    assert by_key["taliban"]["mentions"] > by_key["iskp"]["documents"]
    # Counts agree with the mentions table.
    with sqlite3.connect(demo_db) as conn:
        n = conn.execute(
            "SELECT count(*) FROM mentions m JOIN entities e ON e.id=m.entity_id WHERE e.key='iskp'"
        ).fetchone()[0]
    assert iskp["mentions"] == n


def test_actor_by_acronym_and_by_name_is_the_same_entity(demo_db: Path) -> None:
    a = json.loads(invoke_cli("actor", "ISKP", "--db", str(demo_db), "--json").stdout)
    b = json.loads(invoke_cli("actor", "Islamic State Khorasan", "--db", str(demo_db), "--json").stdout)
    assert a["key"] == b["key"] == "iskp"
    assert a["mention_count"] == b["mention_count"] > 0
    ev = a["evidence"][0]
    with sqlite3.connect(demo_db) as conn:
        text = conn.execute("SELECT text FROM documents WHERE id=?", (ev["doc_id"],)).fetchone()[0]
    assert text[ev["start"] : ev["end"]] == ev["text"]  # evidence points to the exact span


def test_father_and_son_stay_apart_in_the_demo(demo_db: Path) -> None:
    with Workspace(demo_db) as ws:
        son = ws.actor("Ahmad Massoud")
        father = ws.actor("Ahmad Shah Massoud")
    assert son["key"] != father["key"]
    assert son["mention_count"] > 0 and father["mention_count"] > 0


def test_search_highlights_and_filters(demo_db: Path) -> None:
    rows = json.loads(invoke_cli("search", "suicide bomber", "--db", str(demo_db), "--json").stdout)
    assert rows and all("[" in r["snippet"] for r in rows)
    with_actor = json.loads(invoke_cli("search", "attack", "--actor", "ISKP", "--db", str(demo_db), "--json").stdout)
    without = json.loads(invoke_cli("search", "attack", "--db", str(demo_db), "--json", "--limit", "100").stdout)
    assert 0 < len(with_actor) < len(without)
    dated = json.loads(
        invoke_cli("search", "attack", "--since", "2024-01-01", "--db", str(demo_db), "--json", "--limit", "100").stdout
    )
    assert dated and all(r["published"] >= "2024-01-01" for r in dated)
    assert len(dated) < len(without)


def test_doc_shows_removed_furniture_with_reasons_and_mentions(demo_db: Path) -> None:
    with sqlite3.connect(demo_db) as conn:
        doc_id = conn.execute(
            "SELECT id FROM documents WHERE kind='html' AND status='analysed' ORDER BY id LIMIT 1"
        ).fetchone()[0]
    result = invoke_cli("doc", doc_id[:10], "--db", str(demo_db), "--json")
    doc = json.loads(result.stdout)
    assert doc["id"] == doc_id
    assert doc["removed"] and all(r["reason"] for r in doc["removed"])
    assert doc["mentions"] and all(doc["text"][m["start"] : m["end"]] == m["text"] for m in doc["mentions"])
    for r in doc["removed"]:
        assert r["text"] not in doc["text"] or len(r["text"]) < 25


def test_demo_corpus_special_cases(demo_db: Path) -> None:
    with sqlite3.connect(demo_db) as conn:
        rows = conn.execute("SELECT source, status, duplicate_kind, language FROM documents").fetchall()
    by_name = {Path(r[0].split("#")[0]).name: r for r in rows}
    assert by_name["bamako-attaque-jnim-fr.txt"][1:] == ("not_english", None, "fr")
    near = [r for r in rows if r[2] == "near"]
    assert [Path(r[0]).name for r in near] == ["peshawar-police-mosque-bombing-frontier-daily.html"]
    with sqlite3.connect(demo_db) as conn:
        # Byte-identical copies are one document with two sources, not two documents.
        ids = {r[0] for r in conn.execute("SELECT doc_id FROM sources WHERE source LIKE '%solingen%'")}
        n_sources = conn.execute("SELECT count(*) FROM sources WHERE source LIKE '%solingen%'").fetchone()[0]
    assert len(ids) == 1 and n_sources == 2
    assert any(r[0].endswith(".pdf") and r[1] == "analysed" for r in rows)


def test_status_and_docs(demo_db: Path) -> None:
    status = json.loads(invoke_cli("status", "--db", str(demo_db), "--json").stdout)
    assert status["documents"] >= 30 and status["schema_version"] == max(v for v, _ in _migrations())
    assert status["linked_mentions"] <= status["mentions"]
    docs = json.loads(invoke_cli("docs", "--db", str(demo_db), "--json", "--limit", "5").stdout)
    assert len(docs) == 5
    dates = [d["published"] for d in docs if d["published"]]
    assert dates == sorted(dates, reverse=True)
    table = invoke_cli("actors", "--db", str(demo_db), "--limit", "5")
    assert table.returncode == 0 and "Taliban" in table.stdout


def test_events_json_fields_filters_and_evidence(demo_db: Path) -> None:
    rows = json.loads(
        invoke_cli("events", "--db", str(demo_db), "--json", "--include-background", "--limit", "500").stdout
    )
    required = {
        "id",
        "date",
        "date_precision",
        "place",
        "country",
        "perpetrator",
        "perpetrator_status",
        "target",
        "target_type",
        "attack_type",
        "weapon",
        "killed",
        "killed_low",
        "killed_high",
        "wounded",
        "wounded_low",
        "wounded_high",
        "suicide",
        "is_background",
        "sources",
    }
    assert rows and all(required <= set(r) for r in rows)
    with sqlite3.connect(demo_db) as conn:
        for r in rows:
            for s in r["sources"]:
                text = conn.execute("SELECT text FROM documents WHERE id=?", (s["doc_id"],)).fetchone()[0]
                assert text[s["start"] : s["end"]] == s["text"] and s["text"]
    abbey = [r for r in rows if r["date"] == "2021-08-26" and r["perpetrator_key"] == "iskp"]
    assert abbey and abbey[0]["is_background"] and abbey[0]["killed"] == 183
    assert len({s["doc_id"] for s in abbey[0]["sources"]}) >= 2  # merged across documents
    news = json.loads(invoke_cli("events", "--db", str(demo_db), "--json", "--limit", "500").stdout)
    assert news and not any(r["is_background"] for r in news) and len(news) < len(rows)
    iskp = json.loads(invoke_cli("events", "--actor", "ISKP", "--db", str(demo_db), "--json").stdout)
    assert iskp and len(iskp) < len(news)
    recent = json.loads(
        invoke_cli("events", "--since", "2024-01-01", "--country", "PK", "--db", str(demo_db), "--json").stdout
    )
    assert recent and all(r["date"] >= "2024-01-01" and r["country"] == "PK" for r in recent)
    timeline = json.loads(invoke_cli("timeline", "--db", str(demo_db), "--json").stdout)
    dates = [r["date"] for r in timeline if r["date"]]
    assert dates == sorted(dates)
    bad = invoke_cli("events", "--type", "picnic", "--db", str(demo_db))
    assert bad.returncode == 1 and "unknown --type" in bad.stderr
