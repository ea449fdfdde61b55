"""The WikiEvents and re3d scorers: matching rules on hand-built cases, and whole runs on ../shared/eval.

The whole runs skip (with a message) when the public gold data is not next to the repository. They
check invariants that do not depend on how good extraction is: gold counts equal what the files hold
(counted here independently of the scorer), every ratio lies in [0, 1], matched never exceeds gold or
predicted, and both watchfloor and the baseline were measured.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from watchfloor.eval.metrics import max_matching
from watchfloor.eval.re3d import GoldRelation, PredRelation, align, relation_matches
from watchfloor.eval.wikievents import GoldArg, PredArg, head_word, locate, matches
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.nlp.pipeline import load_base_model

SHARED_EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
WIKIEVENTS = SHARED_EVAL / "wikievents"
RE3D = SHARED_EVAL / "re3d"


# -- matching rules on hand-built examples -----------------------------------------------------------
def test_wikievents_head_rule_on_a_hand_built_sentence() -> None:
    base = load_base_model()
    text = "A roadside bomb killed three soldiers in Kandahar.\nThe Taliban claimed the attack."
    doc = base(text)
    assert head_word(doc, *text_span(text, "three soldiers")) == "soldiers"
    assert head_word(doc, *text_span(text, "A roadside bomb")) == "bomb"
    assert head_word(doc, *text_span(text, "roadside"), chunk=True) == "bomb"
    assert locate(text, "taliban", [(0, 50)]) == text_span(text, "Taliban")  # outside the window: anywhere
    assert locate(text, "eta", [(0, len(text))]) is None  # whole words only ("pesETAs" is not ETA)

    gold = GoldArg("victim", "c1", [text_span(text, "three soldiers")], [text_span(text, "three soldiers")], {0})
    heads = {head_word(doc, s, e) for s, e in gold.mentions}
    assert matches(PredArg("victim", "soldiers", "soldiers", {0}), gold, heads)
    assert not matches(PredArg("victim", "soldiers", "soldiers", {1}), gold, heads)  # other sentence
    assert not matches(PredArg("target", "soldiers", "soldiers", {0}), gold, heads)  # other role
    assert not matches(PredArg("victim", "three", "three", {0}), gold, heads)  # not the head


def test_argument_alignment_is_one_to_one() -> None:
    # two predictions that both match gold 0 only: one of them counts
    assert max_matching([[0], [0]]) == 1
    # the augmenting path frees gold 1 for the second prediction
    assert max_matching([[0, 1], [0]]) == 2
    assert max_matching([]) == 0


def test_re3d_relation_rule_directions() -> None:
    gold = GoldRelation("BelongsTo", (0, 5), (15, 20), "Omar", "ISIL")
    member = PredRelation("BelongsTo", ((0, 4),), ((16, 20),), "Omar member_of ISIL")
    reversed_member = PredRelation("BelongsTo", ((16, 20),), ((0, 4),), "ISIL member_of Omar")
    assert relation_matches(member, gold)
    assert not relation_matches(reversed_member, gold)  # membership has a direction
    fighting = GoldRelation("FightingAgainst", (0, 5), (15, 20), "Army", "ISIL")
    assert relation_matches(PredRelation("FightingAgainst", ((15, 20),), ((0, 5),), "ISIL attacks Army"), fighting)
    assert not relation_matches(PredRelation("AlliesOf", ((0, 5),), ((15, 20),), "x"), fighting)
    assert not relation_matches(PredRelation("FightingAgainst", ((6, 10),), ((15, 20),), "x"), fighting)


def test_re3d_alignment_prefers_the_largest_then_closest_span() -> None:
    # gold 0 = "an ISIL tactical unit", gold 1 = "ISIL"; the prediction "ISIL" overlaps both equally
    pairs = [((4, -17), 0, 0), ((4, 0), 1, 0)]
    assert align(pairs) == [(1, 0)]


def text_span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


# -- whole runs on the public data ---------------------------------------------------------------------
def _ratios_sane(node: Any, path: str = "") -> None:
    """Every P/R/F1 in [0, 1]; matched never above gold or predicted."""
    if isinstance(node, dict):
        if {"precision", "recall", "f1", "gold", "predicted", "matched"} <= node.keys():
            for key in ("precision", "recall", "f1"):
                assert 0.0 <= node[key] <= 1.0, (path, node)
            assert node["matched"] <= node["gold"], (path, node)
            assert node["matched"] <= node["predicted"], (path, node)
        for key, value in node.items():
            _ratios_sane(value, f"{path}/{key}")


@pytest.fixture(scope="module")
def base_model() -> Language:
    return load_base_model()


def test_wikievents_whole_dev_split(gazetteer: Gazetteer, nlp: Language, base_model: Language) -> None:
    if not (WIKIEVENTS / "dev.jsonl").is_file():
        pytest.skip(f"WikiEvents gold not found at {WIKIEVENTS} (public data lives next to the repository)")
    from watchfloor.eval.wikievents import ROLES, evaluate

    rows = [json.loads(line) for line in (WIKIEVENTS / "dev.jsonl").read_text("utf-8").splitlines() if line.strip()]
    attack_sentences = {
        (row["doc_id"], e["trigger"]["sent_idx"])
        for row in rows
        for e in row["event_mentions"]
        if e["event_type"].startswith("Conflict.Attack.")
    }
    result = evaluate(WIKIEVENTS, gazetteer, nlp=nlp, base=base_model)
    assert result["documents"] == len(rows)
    assert result["sentences"] == sum(len(row["sentences"]) for row in rows)
    assert result["gold_attack_sentences"] == len(attack_sentences)
    _ratios_sane(result)
    for system in ("watchfloor", "baseline"):
        scores = result[system]
        assert scores["attack_sentences"]["gold"] == len(attack_sentences)
        assert scores["attack_sentences"]["predicted"] > 0, f"{system} found no attack sentence"
        for variant in ("arguments_head", "arguments_coref"):
            for role in ROLES:
                assert scores[variant][role]["gold"] == result["gold_arguments"][role]
            assert scores[variant]["all"]["gold"] == sum(result["gold_arguments"].values())
        # coreferent mentions only add ways to match
        assert scores["arguments_coref"]["all"]["matched"] >= scores["arguments_head"]["all"]["matched"]
    # every gold argument role has gold items (dedup by coreference may only shrink the raw count)
    raw = sum(
        1
        for row in rows
        for e in row["event_mentions"]
        for a in e["arguments"]
        if (e["event_type"].startswith("Conflict.Attack.") and a["role"] in ("Attacker", "Target", "Place"))
    )
    deduped = sum(result["gold_arguments"][r] for r in ("attacker", "target", "place"))
    assert 0 < deduped <= raw
    assert result["seconds"] < 180


def test_re3d_three_sources(gazetteer: Gazetteer, nlp: Language, base_model: Language) -> None:
    if not (RE3D / "CENTCOM" / "documents.json").is_file():
        pytest.skip(f"re3d gold not found at {RE3D} (public data lives next to the repository)")
    from watchfloor.eval.re3d import MENTION_TYPES, RELATION_CLASSES, SOURCES, evaluate

    def lines(name: str) -> list[dict[str, Any]]:
        return [
            json.loads(line)
            for source in SOURCES
            for line in (RE3D / source / name).read_text("utf-8").splitlines()
            if line.strip()
        ]

    entities = {(e["documentId"], e["begin"], e["end"], e["type"]) for e in lines("entities.json")}
    relations = {
        (r["documentId"], r["type"], r["sourceBegin"], r["sourceEnd"], r["targetBegin"], r["targetEnd"])
        for r in lines("relations.json")
    }
    result = evaluate(RE3D, gazetteer, nlp=nlp, base=base_model)
    assert result["documents"] == len(lines("documents.json"))
    for kind in MENTION_TYPES:
        assert result["gold_mentions"][kind] == sum(1 for e in entities if e[3] == kind)
    for cls in RELATION_CLASSES:
        assert result["gold_relations"][cls] == sum(1 for r in relations if r[1] == cls)
    _ratios_sane(result)
    for system in ("watchfloor", "watchfloor_linked", "baseline"):
        for mode in ("exact", "overlap", "named_overlap"):
            rows = result[system][f"mentions_{mode}"]
            assert rows["all"]["gold"] == sum(result["gold_mentions"][k] for k in MENTION_TYPES) - (
                result["gold_pronoun_mentions"] if mode == "named_overlap" else 0
            )
        exact, overlap = result[system]["mentions_exact"]["all"], result[system]["mentions_overlap"]["all"]
        assert exact["matched"] <= overlap["matched"]
        assert overlap["predicted"] > 0, f"{system} found no mention"
    # linked mentions are a subset of all the linker's mentions
    assert (
        result["watchfloor_linked"]["mentions_overlap"]["all"]["predicted"]
        <= (result["watchfloor"]["mentions_overlap"]["all"]["predicted"])
    )
    assert result["baseline"]["relations"]["all"]["predicted"] > 0
    assert result["watchfloor"]["relations"]["all"]["gold"] == sum(result["gold_relations"].values())
    assert result["seconds"] < 180
