"""`watchfloor review` as a user runs it, in an 80-column terminal: list, show, accept, fix, reject, log."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import invoke_cli
from tests.test_api import copy_store
from tests.test_review import doc_id, review_store  # noqa: F401 - the session store of the review tests
from watchfloor.workspace import Workspace

COLUMNS = 80


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command line (in this process: tests.conftest.invoke_cli) in an 80-column terminal."""
    env = {"WATCHFLOOR_LOG": str(cwd / "watchfloor-test.log"), "WATCHFLOOR_DB": None}
    return invoke_cli(*args, cwd=cwd, columns=COLUMNS, env=env)


def ok(*args: str, cwd: Path) -> str:
    result = cli(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def fits(text: str) -> None:
    too_wide = [line for line in text.splitlines() if len(line) > COLUMNS]
    assert not too_wide, too_wide


@pytest.fixture
def db(review_store: Path, tmp_path: Path) -> Path:  # noqa: F811 - the fixture imported above
    return copy_store(review_store, tmp_path / "review.db")


def listed(db: Path, *args: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(ok("review", "--db", str(db), "--json", "--limit", "500", *args, cwd=db.parent))
    return out


def test_the_listing_fits_80_columns_and_names_every_kind(db: Path) -> None:
    out = ok("review", "--db", str(db), cwd=db.parent)
    fits(out)
    data = listed(db)
    counts = data["counts"]
    assert out.startswith(f"Review queue: {counts['total']} open (")
    for item in data["items"]:
        assert item["id"] in out  # ids are never cut
    for kind in ("undated", "incomplete", "future", "duplicate", "tolls"):
        assert counts[kind] >= 1 and f"{counts[kind]} {kind}" in out
    lines = out.splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("undated:doc-"))
    assert lines[title].endswith("Gunmen attack police post") and "no publication date" in lines[title + 1]
    assert "Next: watchfloor review show ITEM" in out


def test_kind_filter_paging_and_json(db: Path) -> None:
    tolls = listed(db, "--kind", "tolls")
    assert [i["kind"] for i in tolls["items"]] == ["tolls"] and tolls["total"] == 1
    assert set(tolls["items"][0]) >= {"id", "kind", "target", "ref", "title", "why", "evidence", "links", "actions"}
    out = ok("review", "--db", str(db), "--limit", "2", cwd=db.parent)
    fits(out)
    total = listed(db)["total"]
    assert f"Showing 1–2 of {total}; --offset 2 for more." in out
    second = listed(db, "--offset", "2")
    assert second["items"][0]["id"] == listed(db)["items"][2]["id"]


def test_show_prints_the_evidence_whole(db: Path) -> None:
    item = listed(db, "--kind", "tolls")["items"][0]
    out = ok("review", "show", item["id"], "--db", str(db), cwd=db.parent)
    fits(out)
    assert out.startswith(f"{item['id']} (tolls, event)")
    flat = " ".join(out.split())
    for ev in item["evidence"]:
        assert f"document {ev['doc_id']}, characters {ev['start']}–{ev['end']}" in out
        assert " ".join(ev["text"].split()) in flat  # whole, wrapped at spaces
    assert "actions: accept, fix (--killed, --wounded), reject" in flat


def test_fixing_an_undated_article_moves_its_event_onto_the_timeline(db: Path) -> None:
    doc = doc_id_of(db, "Gunmen attack police post")
    timeline = json.loads(ok("timeline", "--db", str(db), "--json", cwd=db.parent))
    before = [e for e in timeline if doc in [s["doc_id"] for s in e["sources"]]]
    assert [e["date"] for e in before] == [None]
    out = ok("review", "fix", f"undated:doc-{doc[:8]}", "--date", "2024-05-11", "--db", str(db), cwd=db.parent)
    fits(out)
    assert out.startswith(f"undated:doc-{doc} fixed; published 2024-05-11")
    assert listed(db, "--kind", "undated")["total"] == 0
    timeline = json.loads(ok("timeline", "--db", str(db), "--json", cwd=db.parent))
    after = [e for e in timeline if doc in [s["doc_id"] for s in e["sources"]]]
    assert [e["date"] for e in after] == ["2024-05-10"]  # "on Friday" before Saturday 11 May
    dated = [e["id"] for e in timeline if e["date"]]
    assert dated.index(after[0]["id"]) > dated.index(next(e["id"] for e in timeline if e["date"] == "2024-03-12"))


def test_accept_reject_merge_then_the_log(db: Path) -> None:
    items = listed(db)["items"]
    market = next(i for i in items if i["kind"] == "incomplete" and "Peshawar" in i["title"])
    tolls = next(i for i in items if i["kind"] == "tolls")
    pair = next(i for i in items if i["kind"] == "duplicate" and "Zadran" in i["title"])
    out = ok("review", "accept", market["id"], "--note", "unclaimed", "--db", str(db), cwd=db.parent)
    assert out.startswith(f"{market['id']} accepted: off the queue.")
    out = ok("review", "reject", tolls["id"], "--db", str(db), cwd=db.parent)
    assert out.startswith(f"{tolls['id']} rejected: hidden from now on (correction ")
    result = json.loads(ok("review", "fix", pair["id"], "--db", str(db), "--json", cwd=db.parent))
    assert result["kept"] == pair["keep"] and result["merged"] in pair["ref"] and result["corrections"]
    left = {i["id"] for i in listed(db)["items"]}
    assert not left & {market["id"], tolls["id"], pair["id"]}
    assert result["open"] == len(left)
    log = ok("review", "log", "--db", str(db), cwd=db.parent)
    fits(log)
    lines = log.splitlines()
    assert [line.split()[1:3] for line in lines[::2]] == [
        ["fixed", pair["id"]], ["rejected", tolls["id"]], ["accepted", market["id"]]
    ]  # fmt: skip
    assert lines[-1].strip() == "by analyst: unclaimed"


def test_mistakes_are_one_line_errors(db: Path) -> None:
    doc = doc_id_of(db, "Gunmen attack police post")
    for args, message in [
        (["review", "--kind", "bogus"], "unknown review kind 'bogus'"),
        (["review", "accept", "nonsense"], "no review item 'nonsense'"),
        (["review", "fix", f"undated:doc-{doc}", "--place", "Kabul"], "publication date"),
        (["review", "reject", f"undated:doc-{doc}"], "cannot be rejected"),
        (["review", "fix", f"undated:doc-{doc}", "--date", "yesterday-ish"], "is not a date"),
    ]:
        result = cli(*args, "--db", str(db), cwd=db.parent)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert message in " ".join(result.stderr.split()) and "Traceback" not in result.stderr, result.stderr
    assert listed(db, "--kind", "undated")["total"] == 1  # nothing changed


def doc_id_of(db: Path, title: str) -> str:
    with Workspace(db) as ws:
        return doc_id(ws, title)
