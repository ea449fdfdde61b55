"""Admiralty grades of relations and claims: the events' grading over the documents that state them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ingest_jsonl, invoke_cli
from watchfloor.api.app import create_app
from watchfloor.api.context import ServerSettings
from watchfloor.reliability import Report
from watchfloor.store.sqlite_reliability import claim_grade
from watchfloor.workspace import Workspace

WIRE = (
    "KABUL, Afghanistan — Fighters of the Islamic State Khorasan Province clashed with the Taliban in Nangarhar "
    "province on Monday, the latest battle in a long war between the two groups, local officials said. The Islamic "
    "State Khorasan Province is hostile to the Taliban, which it regards as apostates, and has attacked its fighters "
    "and officials across the east of the country. At least six fighters were killed in the clashes near Jalalabad, "
    "a provincial spokesman said. The Taliban said they had driven the militants out of two villages and seized "
    "weapons and ammunition from them."
)
BBC = (
    "Tehrik-i-Taliban Pakistan is allied with the Afghan Taliban, Pakistani officials say, and its leaders shelter "
    "across the border. Islamabad has repeatedly asked Kabul to act against the group, which has carried out a wave "
    "of attacks on police in the north-west."
)
DAWN = (
    "Security analysts in Peshawar said the Tehrik-i-Taliban Pakistan is allied with the Afghan Taliban and draws "
    "on their support. The group has stepped up attacks on security forces in Khyber Pakhtunkhwa since the Taliban "
    "returned to power in Kabul in 2021."
)
AMAQ = (
    '"The apostates in Kabul will fall within a year," the Islamic State Khorasan Province said in a statement '
    "published on its channels."
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wire story and its syndicated copy, two independent outlets stating one alliance, a propaganda outlet."""
    title = "IS-K and Taliban clash in Nangarhar"
    return ingest_jsonl(
        tmp_path_factory.mktemp("graded"),
        "graded",
        [
            {"text": WIRE, "title": title, "source": "Reuters", "published": "2024-06-03",
             "url": "https://www.reuters.com/world/asia-pacific/nangarhar-2024-06-03/"},
            {"text": WIRE + "\n\nThis story was republished from a wire service.", "title": title,
             "source": "Frontier Blog", "published": "2024-06-03",
             "url": "https://frontierblog.blogspot.com/2024/06/nangarhar.html"},
            {"text": BBC, "title": "Pakistan presses Kabul over TTP", "source": "BBC News", "published": "2024-06-04",
             "url": "https://www.bbc.com/news/world-asia-1"},
            {"text": DAWN, "title": "TTP and the Afghan Taliban", "source": "Dawn", "published": "2024-06-05",
             "url": "https://www.dawn.com/news/1"},
            {"text": AMAQ, "title": "Statement", "source": "Amaq News Agency", "published": "2024-06-06"},
        ],
    )  # fmt: skip


def _relation(rows: list[dict[str, Any]], predicate: str) -> dict[str, Any]:
    found = [r for r in rows if r["predicate"] == predicate]
    assert len(found) == 1, rows
    return found[0]


def _amaq_claim(rows: list[dict[str, Any]]) -> dict[str, Any]:
    found = [c for c in rows if "apostates in Kabul" in c["text"]]
    assert len(found) == 1, [c["text"] for c in rows]
    return found[0]


def test_a_relation_in_a_wire_story_and_its_syndicated_copy_has_one_independent_source(db: Path) -> None:
    with Workspace(db) as ws:
        hostile = _relation(ws.relations(), "hostile_to")
    assert (hostile["subject"], hostile["object"]) == ("Islamic State Khorasan Province", "Taliban")
    assert hostile["n_independent"] == 1 and hostile["grade"] == "B3", hostile["admiralty"]
    assert hostile["admiralty"]["n_reports"] == 2  # the Reuters story and the blog's copy of it
    assert "1 syndicated copy collapsed" in hostile["admiralty"]["explanation"]
    cli = invoke_cli("relations", "--db", str(db), "--no-pager")
    assert cli.returncode == 0 and re.search(r"hostile_to .* B3 \(1\)", cli.stdout), cli.stdout


def test_a_relation_stated_by_two_independent_outlets_has_two(db: Path) -> None:
    with Workspace(db) as ws:
        alliance = _relation(ws.relations(), "allied_with")
    assert alliance["n_independent"] == 2 and alliance["grade"] == "B2", alliance["admiralty"]
    outlets = sorted(s["outlet"] for s in alliance["admiralty"]["sources"])
    assert outlets == ["BBC", "Dawn"]


def test_a_claim_from_a_propaganda_outlet_is_graded_e(db: Path) -> None:
    with Workspace(db) as ws:
        claim = _amaq_claim(ws.claims())
    assert claim["grade"] == "E5", claim["admiralty"]  # unreliable source; nothing else corroborates it
    assert "Amaq News Agency (group propaganda outlet, E)" in claim["admiralty"]["explanation"]
    assert "no other document carries this claim" in claim["admiralty"]["explanation"]
    cli = invoke_cli("claims", "--db", str(db), "--no-pager")
    assert cli.returncode == 0 and re.search(r"E5 .*apostates in Kabul", cli.stdout), cli.stdout


def test_a_claims_letter_is_its_own_outlets_and_its_digit_counts_every_carrier() -> None:
    said = "The apostates in Kabul will fall within a year, the group said in a statement on its channels."
    amaq = Report("p1", "Amaq News Agency", None, None, (said,))
    wire = Report("w1", "Reuters", None, None, ("The group told followers the government in Kabul would fall.",))
    blog = Report("b1", "Some Blog", None, None, (said,))  # the same sentence: a copy of Amaq's text
    grade = claim_grade([amaq], [amaq, wire, blog], "ISKP")
    assert grade.code == "E3" and grade.n_independent == 2, grade.explanation
    assert (
        grade.explanation.startswith("E3: said in Amaq News Agency") and "carried by 2 independent" in grade.explanation
    )


def test_the_api_gives_grades_of_relations_and_claims(db: Path) -> None:
    app = create_app(ServerSettings(db=db, token="t" * 32))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        relations = client.get("/api/relations", params={"sources": 1}).json()["items"]
        hostile = _relation(relations, "hostile_to")
        assert (hostile["grade"], hostile["n_independent"]) == ("B3", 1)  # all reports, not only the 1 shown
        assert hostile["admiralty"]["sources"][0]["outlet"] == "Reuters"
        assert _relation(relations, "allied_with")["n_independent"] == 2
        claim = _amaq_claim(client.get("/api/claims").json()["items"])
        one = client.get(f"/api/claims/{claim['id']}").json()
        for item in (claim, one):
            assert (item["grade"], item["n_independent"]) == ("E5", 1)
            assert item["admiralty"]["reliability"] == "E" and item["admiralty"]["explanation"].startswith("E5: ")
        actor = client.get(f"/actors/{hostile['subject_entity_id']}").text
        assert f'title="{hostile["admiralty"]["explanation"]}">B3</span>' in actor  # the relation list, on hover
        ledger = client.get("/claims").text
        assert re.search(r'class="kind grade" title="E5: said in Amaq[^"]*">E5</span>', ledger)


ELDERS = '"The road to Asadabad has been closed for three weeks by the fighting," local elders said on Tuesday.'
ELDERS_AGAIN = (
    "Traders in Kunar said prices had doubled. Speaking to reporters in the provincial capital, local elders said: "
    '"The road to Asadabad has been closed for three weeks by the fighting."'
)
ELDERS_OTHER = '"The market in Asadabad reopened after the fighting ended," local elders said on Wednesday.'


def test_a_claim_carried_by_two_outlets_counts_both_and_only_its_own_words(tmp_path: Path) -> None:
    """Carriers are the same speaker's claims with the same words: another claim by that speaker is not one."""
    db = ingest_jsonl(
        tmp_path,
        "carriers",
        [
            {"text": ELDERS, "title": "Kunar road", "source": "Reuters", "published": "2024-06-03",
             "url": "https://www.reuters.com/world/kunar-road/"},
            {"text": ELDERS_AGAIN, "title": "Kunar road closed", "source": "Dawn",
             "published": "2024-06-04", "url": "https://www.dawn.com/news/2"},
            {"text": ELDERS_OTHER, "title": "Kunar market", "source": "BBC News", "published": "2024-06-05",
             "url": "https://www.bbc.com/news/world-asia-2"},
        ],
    )  # fmt: skip
    with Workspace(db) as ws:
        claims = ws.repo.list_claims(limit=20)
    road = [c for c in claims if "road to Asadabad" in c["text"]]
    market = [c for c in claims if "market in Asadabad" in c["text"]]
    assert len(road) == 2 and len(market) == 1, [c["text"] for c in claims]
    assert {c["n_independent"] for c in road} == {2}
    assert market[0]["n_independent"] == 1


def test_a_carrier_ingested_later_counts_in_a_server_that_already_graded_the_claim(tmp_path: Path) -> None:
    """The carriers are looked up in claims held between requests: a later ingest's copy must join them."""
    first = {"text": ELDERS, "title": "Kunar road", "source": "Reuters", "published": "2024-06-03",
             "url": "https://www.reuters.com/world/kunar-road/"}  # fmt: skip
    later = {"text": ELDERS_AGAIN, "title": "Kunar road closed", "source": "Dawn", "published": "2024-06-04",
             "url": "https://www.dawn.com/news/2"}  # fmt: skip
    db = ingest_jsonl(tmp_path, "first", [first])
    with Workspace(db) as ws:
        before = [c for c in ws.repo.list_claims(limit=20) if "road to Asadabad" in c["text"]]
        more = tmp_path / "later"
        more.mkdir()
        ingest_jsonl(more, "later", [later], db=db)
        after = [c for c in ws.repo.list_claims(limit=20) if "road to Asadabad" in c["text"]]
    assert [c["n_independent"] for c in before] == [1]
    assert len(after) == 2 and {c["n_independent"] for c in after} == {2}
