"""Actor relations on sentences written for these tests, and their aggregation across documents."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import invoke_cli
from watchfloor.extract.info import entity_info, kind_lookup
from watchfloor.extract.relations import extract_relations


def _relations(nlp, linker, gazetteer, text: str) -> set[tuple[str, str, str, bool, bool, str | None, str | None]]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    linked = linker.link(doc)
    found = extract_relations(
        doc, linked.mentions, date(2025, 1, 1), kind_lookup(entity_info(gazetteer, linked.entities))
    )
    for r in found:
        assert doc.text[r.evidence[0] : r.evidence[1]].find(doc.text[r.trigger_start : r.trigger_end]) >= 0
    return {(r.subject_key, r.predicate, r.object_key, r.negated, r.hedged, r.valid_from, r.valid_to) for r in found}


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("The Taliban have reportedly harboured al-Qaeda leaders in Kabul since 2021.",
         ("taliban", "hosts", "al_qaeda", False, True, "2021", None)),
        ("The Taliban denied harbouring the TTP.", ("taliban", "hosts", "ttp", True, False, None, None)),
        ("ISKP has clashed with the Taliban in Nangarhar.",
         ("iskp", "hostile_to", "taliban", False, False, None, None)),
        ("Pakistan accused India of funding the Baloch Liberation Army.",
         ("india", "supports", "bla", False, True, None, None)),
        ("Shahab al-Muhajir, the leader of ISKP, was not seen in public.",
         ("shahab_al_muhajir", "leads", "iskp", False, False, None, None)),
        ("JNIM, an affiliate of al-Qaeda, is expanding.", ("jnim", "member_of", "al_qaeda", False, False, None, None)),
        ("The United States designated the TTP as a terrorist organisation in 2010.",
         ("united_states", "sanctions", "ttp", False, False, "2010", "2010")),
        ("Iran supplies the Houthis with drones.", ("iran", "supports", "houthis", False, False, None, None)),
        ("The Haqqani network pledged allegiance to the Taliban.",
         ("haqqani_network", "member_of", "taliban", False, False, None, None)),
    ],
)  # fmt: skip
def test_relations_from_sentences(nlp, linker, gazetteer, sentence: str, expected: tuple[object, ...]) -> None:  # type: ignore[no-untyped-def]
    assert expected in _relations(nlp, linker, gazetteer, sentence)


def test_symmetric_relations_are_stored_once_and_places_are_not_actors(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    a = _relations(nlp, linker, gazetteer, "The Taliban fought ISKP in Kunar.")
    b = _relations(nlp, linker, gazetteer, "ISKP fought the Taliban in Kunar.")
    assert {r[:3] for r in a} == {r[:3] for r in b} == {("iskp", "hostile_to", "taliban")}
    assert _relations(nlp, linker, gazetteer, "Fighting spread from Kunar to Nangarhar.") == set()


ARTICLES = [
    {
        "title": "Envoys meet in Doha",
        "published": "2024-02-01",
        "text": "Officials say the Taliban are hosting al-Qaeda leaders in Kabul. Envoys from nine countries met "
        "in Doha on Monday to discuss aid, and several of them left before the closing session ended.",
    },
    {
        "title": "Diplomats worry",
        "published": "2024-05-01",
        "text": "Western diplomats said the Taliban sheltered al-Qaeda fighters. The remarks came as the price of "
        "flour in Herat rose for the third month running, according to traders in the old bazaar.",
    },
    {
        "title": "A denial",
        "published": "2024-09-01",
        "text": "The Taliban denied harbouring al-Qaeda. A spokesman read the statement to reporters at a "
        "press conference that was cut short when the power failed across the western half of the capital.",
    },
]


def test_relations_aggregate_sources_dates_and_contradictions(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text("\n".join(json.dumps(a) for a in ARTICLES), "utf-8")
    db = tmp_path / "r.db"
    assert invoke_cli("ingest", str(source), "--db", str(db), "--quiet").returncode == 0
    result = invoke_cli("relations", "--db", str(db), "--json", "--actor", "Taliban", "--predicate", "hosts")
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert (row["subject"], row["object"], row["n_sources"]) == ("Taliban", "Al-Qaeda", 3)
    assert (row["first_seen"], row["last_seen"]) == ("2024-02-01", "2024-09-01")
    assert row["contradicted"] and not row["negated"]
    assert [s["negated"] for s in row["sources"]] == [False, False, True]  # assertions before the denial
    assert all(any(s["text"].strip() in a["text"] for a in ARTICLES) for s in row["sources"])
    bad = invoke_cli("relations", "--db", str(db), "--predicate", "likes")
    assert bad.returncode == 1 and "is not one of" in bad.stderr
