"""Watchlists with the real command line: watch an actor and a saved search, read the news, ingest a second
batch, and see only what the second batch brought; alert hooks after ingest; marks, --peek and --since."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ingest_jsonl, invoke_cli, run_cli

FIRST = [
    {
        "title": "Suicide bomber kills 14 at Kabul ministry", "published": "2024-03-11", "source": "Kabul Wire",
        "url": "https://example.org/kabul-ministry",
        "text": "KABUL, March 11 — A suicide bomber killed at least 14 people outside the Ministry of Foreign Affairs "
        "in Kabul on Monday, officials said. Islamic State Khorasan Province claimed responsibility for the attack in "
        "a statement on its Amaq news agency. The Taliban government said security forces had sealed off the area. "
        '"ISKP will very likely strike the capital again within the next three months," said Nadia Rahimi, a '
        "security analyst in Kabul. ISKP has fought the Taliban since 2021, and the group regards the Taliban as "
        "apostates. Witnesses said the blast shattered windows across the street and wounded dozens of passers-by.",
    },
]  # fmt: skip
SECOND = [
    {
        "title": "Gunmen attack Jalalabad checkpoint, ISKP claims", "published": "2024-04-02",
        "source": "Frontier Daily", "url": "https://example.org/jalalabad-checkpoint",
        "text": "JALALABAD, April 2 — Gunmen killed six Taliban fighters at a checkpoint in Jalalabad on Tuesday, "
        "provincial officials said. ISKP claimed responsibility for the attack through its Amaq news agency. "
        '"The group is likely to expand its operations in Nangarhar this year," said Omar Siddiqui, a researcher at '
        "the Kabul Policy Institute. ISKP is hostile to the Taliban, and its fighters have targeted Taliban patrols "
        "across the province. Local residents said the checkpoint had been attacked twice before.",
    },
    {
        "title": "Toll in Kabul ministry bombing rises to 16", "published": "2024-03-12", "source": "Afghan Ledger",
        "url": "https://example.org/kabul-toll",
        "text": "KABUL, March 12 — The death toll from Monday's suicide bombing outside the Ministry of Foreign "
        "Affairs in Kabul has risen to 16, a health ministry spokesman said on Tuesday. Islamic State "
        "Khorasan Province had claimed the bombing on Monday. Hospitals in the city were still treating more "
        "than 30 wounded people, and several of them were in critical condition, doctors said. The Taliban "
        "government has promised to punish those responsible.",
    },
    {
        "title": "Police arrest bomb maker in Peshawar", "published": "2024-04-03", "source": "Frontier Daily",
        "url": "https://example.org/peshawar-arrest",
        "text": "PESHAWAR, April 3 — Police arrested a man suspected of building suicide bomb vests for militants in "
        "Peshawar on Wednesday, officials said. The counter-terrorism department said the suspect had supplied "
        "explosives to Tehrik-i-Taliban Pakistan cells in Khyber Pakhtunkhwa. \"We have disrupted a network that "
        'planned attacks during Ramadan," said Kamran Shah, a police spokesman. The suspect was being questioned at '
        "a police station in the city, and officers seized detonators and ball bearings from his home.",
    },
]  # fmt: skip


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in this process (the 80-column test runs a real one)."""
    result = invoke_cli(*args, "--db", str(db), cwd=db.parent if db.parent.is_dir() else None)
    assert result.returncode == 0, (args, result.stderr)
    return result


def news(db: Path, *args: str) -> dict[str, Any]:
    return dict(json.loads(cli(db, "news", "--json", *args).stdout))


def doc_ids(db: Path) -> set[str]:
    return {d["id"] for d in json.loads(cli(db, "docs", "--json").stdout)}


def item(report: dict[str, Any], label: str) -> dict[str, Any]:
    return next(i for i in report["items"] if i["label"] == label)


def fact_docs(entry: dict[str, Any]) -> set[str]:
    """Every document a watched item's news points to: documents, claims, relations, event sources."""
    docs = {d["id"] for d in entry["documents"]} | {c["doc_id"] for c in entry["claims"]}
    docs |= {r["doc_id"] for r in entry["relations"]}
    return docs | {s["doc_id"] for e in entry["events"] for s in e["sources"]}


@dataclass
class Flow:
    db: Path
    folder: Path
    first_docs: set[str]
    second_docs: set[str]
    first: dict[str, Any]
    right_after_first: dict[str, Any]
    peeked: dict[str, Any]
    shown: dict[str, Any]
    after_shown: dict[str, Any]
    last_hour: dict[str, Any]
    ingest_stderr: str
    alerts: list[dict[str, Any]] = field(default_factory=list)
    piped: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory, module_db: Path) -> Flow:
    folder = tmp_path_factory.mktemp("watch")
    db = ingest_jsonl(folder, "watch", FIRST, module_db)
    cli(db, "watch", "add", "ISKP")
    cli(db, "watch", "add", "--search", "suicide bomb*")
    first_docs = doc_ids(db)
    first = news(db)
    right_after_first = news(db, "--peek")
    # Alert hooks set now alert on what comes next: a JSONL file and a local command fed JSON on stdin.
    alerts, piped = folder / "alerts.jsonl", folder / "piped.jsonl"
    code = f"import sys; open({str(piped)!r}, 'a').write(sys.stdin.read() + '\\n')"
    command = shlex.join([sys.executable, "-c", code])
    cli(db, "watch", "add", "ISKP", "--alert-jsonl", str(alerts), "--alert-command", command)
    second = folder / "second.jsonl"
    second.write_text("\n".join(json.dumps(a) for a in SECOND), "utf-8")
    ingested = cli(db, "ingest", str(second), "--quiet")
    peeked = news(db, "--peek")
    shown = news(db)
    return Flow(
        db=db, folder=folder, first_docs=first_docs, second_docs=doc_ids(db) - first_docs, first=first,
        right_after_first=right_after_first, peeked=peeked, shown=shown, after_shown=news(db, "--peek"),
        last_hour=news(db, "--peek", "--since", "1h"), ingest_stderr=ingested.stderr,
        alerts=[json.loads(line) for line in alerts.read_text("utf-8").splitlines() if line.strip()],
        piped=[json.loads(line) for line in piped.read_text("utf-8").splitlines() if line.strip()],
    )  # fmt: skip


def test_the_first_news_lists_what_is_stored_and_marks_it_read(flow: Flow) -> None:
    assert flow.first["since"] is None and flow.first["marked_seen"]
    iskp = item(flow.first, "ISKP")
    assert iskp["entity"]["name"] == "Islamic State Khorasan Province"
    assert iskp["events"] and iskp["claims"] and iskp["relations"]
    assert {d["id"] for d in iskp["documents"]} == flow.first_docs
    assert any(e["place"] == "Kabul" for e in iskp["events"])
    for entry in flow.right_after_first["items"]:
        assert entry["counts"] == {"documents": 0, "events": 0, "claims": 0, "relations": 0}, entry["label"]


def test_a_watchlist_shows_only_new_items_after_a_second_ingest(flow: Flow) -> None:
    assert len(flow.second_docs) == 3 and not flow.second_docs & flow.first_docs
    iskp = item(flow.peeked, "ISKP")
    assert iskp["events"] and iskp["claims"] and iskp["relations"] and iskp["documents"]
    assert {d["id"] for d in iskp["documents"]} <= flow.second_docs
    assert {c["doc_id"] for c in iskp["claims"]} <= flow.second_docs
    assert {r["doc_id"] for r in iskp["relations"]} <= flow.second_docs
    for event in iskp["events"]:  # an event is listed for a new report; its older sources stay attached
        assert {s["doc_id"] for s in event["sources"]} & flow.second_docs, event
    by_place = {e["place"]: e for e in iskp["events"]}
    assert by_place["Jalalabad"]["new"] and not by_place["Jalalabad"]["new_source"]
    kabul = by_place["Kabul"]  # first reported in the first batch, with a new source in the second
    assert kabul["new_source"] and not kabul["new"]
    assert {s["doc_id"] for s in kabul["sources"]} & flow.first_docs
    hostile = [r for r in iskp["relations"] if r["predicate"] == "hostile_to"]
    assert hostile and not any(r["first_statement"] for r in hostile)  # stated in the first batch already
    peshawar = next(d for d in json.loads(cli(flow.db, "docs", "--json").stdout) if "Peshawar" in d["title"])
    assert peshawar["id"] not in fact_docs(iskp)  # it does not name ISKP


def test_a_saved_search_shows_new_matching_documents_and_their_matching_facts(flow: Flow) -> None:
    first = item(flow.first, "suicide bomb*")
    assert {d["id"] for d in first["documents"]} == flow.first_docs
    search = item(flow.peeked, "suicide bomb*")
    titles = {d["title"] for d in search["documents"]}
    assert titles == {"Toll in Kabul ministry bombing rises to 16", "Police arrest bomb maker in Peshawar"}
    assert fact_docs(search) <= flow.second_docs | flow.first_docs
    assert {d["id"] for d in search["documents"]} <= flow.second_docs
    for claim in search["claims"]:  # only claims whose own sentence matches, not every claim of the document
        assert "suicide bomb" in claim["sources"][0]["sentence"].lower(), claim


def test_news_moves_the_mark_unless_peek_and_since_looks_further_back(flow: Flow) -> None:
    assert [i["counts"] for i in flow.shown["items"]] == [i["counts"] for i in flow.peeked["items"]]
    assert not flow.peeked["marked_seen"] and flow.shown["marked_seen"]
    for entry in flow.after_shown["items"]:
        assert entry["counts"] == {"documents": 0, "events": 0, "claims": 0, "relations": 0}, entry["label"]
    iskp = item(flow.last_hour, "ISKP")  # --since 1h ignores the mark: both batches
    second = {d["id"] for d in item(flow.peeked, "ISKP")["documents"]}
    assert {d["id"] for d in iskp["documents"]} == flow.first_docs | second


def test_alert_hooks_get_only_what_came_after_they_were_set(flow: Flow) -> None:
    assert "alert for ISKP:" in flow.ingest_stderr
    assert len(flow.alerts) == 1 and flow.piped == flow.alerts  # the same JSON to the file and the command
    alert = flow.alerts[0]
    assert alert["label"] == "ISKP" and alert["entity"]["key"] == "iskp"
    iskp = item(flow.peeked, "ISKP")
    assert {d["id"] for d in alert["documents"]} == {d["id"] for d in iskp["documents"]}
    assert {c["id"] for c in alert["claims"]} == {c["id"] for c in iskp["claims"]}
    assert {e["id"] for e in alert["events"]} == {e["id"] for e in iskp["events"]}
    assert not fact_docs(alert) - flow.second_docs - flow.first_docs
    assert {d["id"] for d in alert["documents"]} <= flow.second_docs


def test_news_text_fits_80_columns_and_marks_new_sources(flow: Flow) -> None:
    env = {**os.environ, "COLUMNS": "80", "WATCHFLOOR_LOG": str(flow.folder / "log")}
    out = subprocess.run([sys.executable, "-m", "watchfloor", "news", "--peek", "--since", "1h", "--db", str(flow.db)],
                         env=env, capture_output=True, text=True, timeout=120, check=True).stdout  # fmt: skip
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80, out
    assert any(line.lstrip().startswith("event") and "Jalalabad" in line for line in lines), out
    assert any(line.lstrip().startswith("document") for line in lines), out
    since_mark = run_cli("news", "--peek", "--limit", "5", "--db", str(flow.db)).stdout  # since the mark: nothing
    assert "nothing new" in since_mark


def test_a_reprocessed_document_brings_nothing_new(flow: Flow) -> None:
    """Re-extraction (here: an analyst sets a publication date) keeps the document's first ingest time."""
    doc = next(iter(flow.second_docs))
    cli(flow.db, "doc", doc, "--set-published", "2024-04-04")
    for entry in news(flow.db, "--peek")["items"]:
        assert entry["counts"] == {"documents": 0, "events": 0, "claims": 0, "relations": 0}, entry["label"]


def test_watch_list_add_and_remove_from_the_command_line(flow: Flow) -> None:
    listed = json.loads(cli(flow.db, "watch", "list", "--json").stdout)
    assert [(i["kind"], i["label"]) for i in listed] == [("entity", "ISKP"), ("search", "suicide bomb*")]
    assert listed[0]["alert_jsonl"] == str(flow.folder / "alerts.jsonl") and listed[0]["seen_upto"]
    unknown = invoke_cli("watch", "add", "Talibn", "--db", str(flow.db))
    assert unknown.returncode == 1 and "no actor named 'Talibn'" in unknown.stderr and "--search" in unknown.stderr
    bad_hook = invoke_cli("watch", "add", "ISKP", "--alert-command", "no-such-program-x", "--db", str(flow.db))
    assert bad_hook.returncode == 1 and "not an executable program" in bad_hook.stderr
    removed = json.loads(cli(flow.db, "watch", "remove", "Islamic State Khorasan Province", "--json").stdout)
    assert removed["label"] == "ISKP"  # found by another name of the watched entity
    assert [i["label"] for i in json.loads(cli(flow.db, "watch", "list", "--json").stdout)] == ["suicide bomb*"]
    again = invoke_cli("watch", "remove", "ISKP", "--db", str(flow.db))
    assert again.returncode == 1 and "is not watched" in again.stderr
