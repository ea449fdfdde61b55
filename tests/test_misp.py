"""`watchfloor export misp`: PyMISP loads the event back with every attack, date, toll and perpetrator, and
misp-stix (MISP's own STIX import) is shown to drop the incidents of our STIX bundle, which this export keeps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pymisp import MISPEvent, MISPObject

from tests.conftest import invoke_cli
from watchfloor.export.misp import MispRows, build_misp, galaxy_tag, misp_event
from watchfloor.workspace import Workspace


def _export(db: Path, out: Path, *args: str) -> MISPEvent:
    result = invoke_cli("export", "misp", "--db", str(db), "-o", str(out), *args)
    assert result.returncode == 0, result.stderr
    event = MISPEvent()
    event.load(out.read_text("utf-8"))
    return event


def _attacks(event: MISPEvent) -> dict[str, MISPObject]:
    """The event objects by the watchfloor event id in their comment."""
    return {o.comment.removeprefix("watchfloor event "): o for o in event.objects if o.name == "event"}


def _values(obj: MISPObject, relation: str) -> list[Any]:
    return [a.value for a in obj.get_attributes_by_relation(relation)]


def _store_events(db: Path, actor: str | None = None) -> list[dict[str, Any]]:
    with Workspace(db) as ws:
        return ws.events(actor, None, None, None, None, True, 100_000, 0, "date ASC")


def test_pymisp_loads_every_attack_with_its_date_toll_perpetrator_and_sources(demo_db: Path, tmp_path: Path) -> None:
    event = _export(demo_db, tmp_path / "misp.json")
    attacks = _attacks(event)
    stored = _store_events(demo_db)
    assert len(attacks) == len(stored) > 50
    assert {t.name for t in event.tags} >= {"tlp:clear", 'osint:source-type="news-report"'}
    by_uuid = {o.uuid: o for o in event.objects}
    with Workspace(demo_db) as ws:
        documents = {d["id"]: d for d in ws.snapshot()["documents"]}
    for ev in stored:
        obj = attacks[str(ev["id"])]
        assert _values(obj, "status") == ["occurred"]
        assert ev["event_type"] in _values(obj, "event_type")
        if ev["date"]:
            assert _values(obj, "start_time")[0].date().isoformat().startswith(ev["date"][:7])
            assert obj.first_seen.isoformat()[: len(ev["date"])] == ev["date"]
            assert _values(obj, "start_time_fidelity") == [ev["date_precision"]]
        else:
            assert not _values(obj, "start_time")
        for what in ("killed", "wounded"):
            expected = ev[what] if ev[what] is not None else ev[f"{what}_low"]
            assert _values(obj, what) == ([str(expected)] if expected is not None else [])
        if ev["perpetrator"]:
            perpetrator = obj.get_attributes_by_relation("perpetrator")[0]
            assert perpetrator.value == ev["perpetrator"] and ev["perpetrator_status"] in perpetrator.comment
            references = {r.relationship_type: by_uuid[r.referenced_uuid] for r in obj.references}
            if perpetrator.type == "threat-actor":
                assert [t.name for t in perpetrator.tags] == [galaxy_tag(perpetrator.value)]
                actor = references["attributed-to"]
                assert actor.name == "organization" and _values(actor, "name") == [perpetrator.value]
        cited = {s["doc_id"] for s in ev["sources"]}
        urls = {documents[d]["url"] for d in cited if d in documents and documents[d]["url"]}
        assert set(_values(obj, "link")) == urls
        comments = " ".join(a.comment for a in obj.attributes if a.object_relation in ("link", "source"))
        for s in ev["sources"]:
            assert f"{s['doc_id']}:{s['start']}-{s['end']}" in comments
            assert " ".join(s["text"].split())[:60] in comments


def test_perpetrators_are_threat_actor_attributes_tagged_with_the_galaxy(demo_db: Path, tmp_path: Path) -> None:
    event = _export(demo_db, tmp_path / "iskp.json", "--actor", "ISKP", "--tlp", "amber")
    assert "tlp:amber" in {t.name for t in event.tags} and "tlp:clear" not in {t.name for t in event.tags}
    attacks = _attacks(event)
    assert len(attacks) == len(_store_events(demo_db, "ISKP"))
    claimed = [o for o in attacks.values() if _values(o, "perpetrator") == ["Islamic State Khorasan Province"]]
    assert claimed, "no ISKP attack in the demo store"
    tag = galaxy_tag("Islamic State Khorasan Province")
    assert tag in {t.name for t in event.tags}
    for obj in claimed:
        assert obj.get_attributes_by_relation("perpetrator")[0].type == "threat-actor"
    groups = [o for o in event.objects if o.name == "organization"]
    iskp = [o for o in groups if _values(o, "name") == ["Islamic State Khorasan Province"]]
    assert len(iskp) == 1 and "ISKP" in _values(iskp[0], "alias")
    assert [t.name for t in iskp[0].get_attributes_by_relation("name")[0].tags] == [tag]


def test_the_same_window_gives_the_same_file_and_other_windows_other_ids(demo_db: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    _export(demo_db, first)
    _export(demo_db, second)
    assert first.read_bytes() == second.read_bytes()  # re-imports update the same MISP event
    with Workspace(demo_db) as ws:
        whole, iskp = build_misp(ws), build_misp(ws, actor="ISKP")

    def uuids(e: dict[str, Any]) -> set[str]:
        found = {e["Event"]["uuid"]}
        for o in e["Event"]["Object"]:
            found |= {o["uuid"], *(a["uuid"] for a in o["Attribute"])}
        return found

    assert not uuids(whole) & uuids(iskp)  # MISP wants every uuid unique across its events


def _rows(**event: Any) -> MispRows:
    base = {
        "id": 7, "event_type": "attack", "attack_type": "bombing_explosion", "date": "2024-03",
        "date_precision": "month", "place": "Quetta", "country": "PK", "place_key": None, "latitude": None,
        "longitude": None, "perpetrator": None, "perpetrator_key": None, "perpetrator_status": "unknown",
        "target": None, "target_type": None, "weapon": "explosives", "killed": None, "killed_low": 40,
        "killed_high": 45, "wounded": None, "wounded_low": None, "wounded_high": None, "suicide": True,
        "is_background": False, "figures_disagree": True, "n_sources": 1,
        "sources": [{"doc_id": "d1", "start": 3, "end": 40, "text": "A bomb killed between 40 and 45 people."}],
    }  # fmt: skip
    document = {"id": "d1", "title": "Quetta blast", "url": None, "publisher": "Wire", "published": "2024-03-09",
                "ingested_at": "2024-03-10T00:00:00+00:00"}  # fmt: skip
    documents = {"d1": document}
    return MispRows("None|None|None", "whole store", [{**base, **event}], documents)


def test_month_dates_ranges_and_sources_without_a_url() -> None:
    event = MISPEvent()
    event.load(json.dumps(misp_event(_rows())))
    (obj,) = _attacks(event).values()
    assert _values(obj, "start_time_fidelity") == ["month"]
    assert obj.first_seen.isoformat() == "2024-03-01T00:00:00+00:00"
    assert obj.last_seen.isoformat() == "2024-03-31T23:59:59+00:00"
    killed = obj.get_attributes_by_relation("killed")[0]
    assert killed.value == "40" and "between 40 and 45" in killed.comment and "different figures" in killed.comment
    source = obj.get_attributes_by_relation("source")[0]
    assert source.value == "Quetta blast" and "d1:3-40" in source.comment and "A bomb killed" in source.comment
    (place,) = (o for o in event.objects if o.name == "geolocation")
    assert _values(place, "countrycode") == ["PK"] and _values(place, "text") == ["Quetta"]
    assert str(event.date) == "2024-03-09"
    with pytest.raises(ValueError, match="TLP"):
        misp_event(_rows(), tlp="white")


def test_misp_stix_drops_the_incidents_that_the_misp_export_keeps(demo_db: Path, tmp_path: Path) -> None:
    try:
        from misp_stix_converter import stix_2_to_misp
    except ImportError:
        pytest.fail("misp-stix is missing: pip install --no-deps -r tests/requirements-misp-stix.txt", pytrace=False)
    bundle = tmp_path / "picture.json"
    result = invoke_cli("export", "stix", "--db", str(demo_db), "-o", str(bundle), "--no-validate")
    assert result.returncode == 0, result.stderr
    incidents = [o for o in json.loads(bundle.read_text("utf-8"))["objects"] if o["type"] == "incident"]
    assert len(incidents) == len(_store_events(demo_db)) > 50

    converted = stix_2_to_misp(bundle, output_dir=tmp_path, single_event=True, debug=True)
    errors = [m for messages in converted.get("errors", {}).values() for m in messages]
    assert "Unknown STIX object type: incident" in errors  # what MISP's STIX import says, once per incident
    assert sum("incident" in m for m in errors) >= len(incidents)
    (out,) = converted["results"]
    text = Path(out).read_text("utf-8")
    misp = json.loads(text).get("Event") or json.loads(text)
    kept = json.dumps(misp, ensure_ascii=False)
    assert misp.get("Object") and not any(i["name"] in kept for i in incidents)  # not one incident survives
    assert not any(o["name"] in ("event", "incident") for o in misp["Object"])

    ours = _export(demo_db, tmp_path / "misp.json")
    assert len(_attacks(ours)) == len(incidents)
