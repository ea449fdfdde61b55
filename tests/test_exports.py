"""Exports round-trip through the reference libraries: stix2 and stix2-validator, networkx, pyarrow, csv."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx
import pyarrow.parquet as pq
import pytest
import stix2

from tests.conftest import invoke_cli
from watchfloor.export.stix import build_bundle, validate
from watchfloor.workspace import Workspace

# Warnings kept on purpose (docs/exports.md): 103 deterministic UUIDv5 ids so re-exports update objects;
# 202 incidents attributed-to threat-actors (what OpenCTI itself writes); 302 reference URLs without hashes.
EXPLAINED_WARNINGS = {"103", "202", "302"}


def _json(db: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    result = invoke_cli(*args, "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_stix_bundle_is_valid_complete_and_deterministic(demo_db: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        result = invoke_cli("export", "stix", "--db", str(demo_db), "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert "0 errors" in result.stderr
    assert first.read_bytes() == second.read_bytes()  # same store, same ids and timestamps: an update, not a copy
    bundle = stix2.parse(first.read_text("utf-8"), allow_custom=True)
    by_type: dict[str, list] = {}  # type: ignore[type-arg]
    for obj in bundle.objects:
        by_type.setdefault(obj.type, []).append(obj)
    status = json.loads(invoke_cli("status", "--db", str(demo_db), "--json").stdout)
    assert len(by_type["report"]) == status["documents_by_status"]["analysed"]
    iskp = next(o for o in by_type["threat-actor"] if o.name == "Islamic State Khorasan Province")
    assert "ISKP" in iskp.aliases
    relations = _json(demo_db, "relations", "--limit", "100000")
    assert len([r for r in by_type["relationship"] if not r.source_ref.startswith("incident--")]) == len(relations)
    events = _json(demo_db, "events", "--include-background", "--limit", "100000")
    assert len(by_type["incident"]) == len(events)
    claims = _json(demo_db, "claims", "--limit", "100000")
    assert len(by_type["note"]) == len(claims)
    ids = {o.id for o in bundle.objects}
    for report in by_type["report"]:
        assert set(report.object_refs) <= ids
    with Workspace(demo_db) as ws:
        errors, warnings = validate(build_bundle(ws))
    assert errors == []
    assert {re.search(r"\{(\d+)\}", w).group(1) for w in warnings} <= EXPLAINED_WARNINGS  # type: ignore[union-attr]


def test_graphml_and_gexf_open_in_networkx_with_the_store_counts(demo_db: Path, tmp_path: Path) -> None:
    relations = _json(demo_db, "relations", "--limit", "100000")
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"g.{fmt}"
        assert invoke_cli("export", "graph", "--format", fmt, "--db", str(demo_db), "-o", str(out)).returncode == 0
        graph = reader(out)
        assert graph.number_of_edges() == len(relations)
    graph = nx.read_graphml(tmp_path / "g.graphml")
    edge = next(d for _u, _v, d in graph.edges(data=True) if d["predicate"] == "member_of")
    assert edge["n_sources"] >= 1 and re.match(r"\d{4}-\d{2}-\d{2}", edge["first_seen"])
    assert {d["kind"] for _n, d in graph.nodes(data=True)} >= {"armed_group"}


@pytest.mark.parametrize("table", ["entities", "events", "relations", "claims"])
def test_tables_round_trip_in_every_format(demo_db: Path, tmp_path: Path, table: str) -> None:
    counts = {}
    for fmt in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"{table}.{fmt}"
        result = invoke_cli("export", "table", table, "--db", str(demo_db), "-o", str(out))
        assert result.returncode == 0, result.stderr
        if fmt == "csv":
            with out.open(encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
        elif fmt == "jsonl":
            rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        else:
            rows = pq.read_table(out).to_pylist()
        counts[fmt] = len(rows)
        assert (rows and "evidence" in rows[0]) or table == "entities"
    assert len(set(counts.values())) == 1
    if table == "events":
        events = _json(demo_db, "events", "--include-background", "--limit", "100000")
        assert counts["parquet"] == len(events)
        columns = pq.read_table(tmp_path / "events.parquet").column_names
        assert {"event_date", "event_type", "sub_event_type", "actor1", "fatalities", "latitude"} <= set(columns)


def test_export_errors_are_one_line(demo_db: Path, tmp_path: Path) -> None:
    for args, message in (
        (("table", "people", "-o", str(tmp_path / "x.csv")), "no table"),
        (("table", "events", "-o", str(tmp_path / "x.xlsx")), "cannot tell the format"),
        (("stix", "-o", str(tmp_path / "missing" / "b.json")), "does not exist"),
        (("graph", "--format", "dot", "-o", str(tmp_path / "g.dot")), "use graphml or gexf"),
    ):
        result = invoke_cli("export", *args, "--db", str(demo_db))
        assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
