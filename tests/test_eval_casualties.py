"""Casualty figures against MUC-4 template effects: gold parsing, the keyword baseline, the real run.

The whole run skips (with a message) when the public MUC-4 gold is not next to the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.eval.casualties import baseline_figure, evaluate, gold_figures

MUC4 = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "muc4"


def test_gold_figures_sum_the_targets_by_effect() -> None:
    template = {
        "hum_target_number": ['1: "ORLANDO LETELIER"', '1: "RONNIE MOFFIT"', '3: "BODYGUARDS"', 'PLURAL: "PEOPLE"'],
        "hum_target_effect": ['DEATH: "ORLANDO LETELIER"', 'DEATH: "RONNIE MOFFIT"', 'INJURY: "BODYGUARDS"',
                              'NO INJURY OR DEATH: "PEOPLE"'],
    }  # fmt: skip
    assert gold_figures(template) == {"killed": 2, "wounded": 3}
    uncountable = {"hum_target_number": ['PLURAL: "PEASANTS"'], "hum_target_effect": ['DEATH: "PEASANTS"']}
    assert gold_figures(uncountable) == {"killed": None, "wounded": None}
    questioned = {"hum_target_number": ['1: "MAYOR"'], "hum_target_effect": ['? DEATH: "MAYOR"']}
    assert gold_figures(questioned)["killed"] is None


def test_keyword_baseline_takes_the_number_nearest_a_casualty_word() -> None:
    sentences = ["THE BOMB KILLED FOUR SOLDIERS AND WOUNDED 12 CIVILIANS IN THE TOWN."]
    assert baseline_figure(sentences, "killed") == 4
    assert baseline_figure(sentences, "wounded") == 12
    assert baseline_figure(["A PEASANT WAS KILLED."], "killed") == 1
    assert baseline_figure(["THE ARMY REPORTED NO CLASHES."], "killed") is None


def test_casualties_on_muc4_dev() -> None:
    if not (MUC4 / "templates_dev.jsonl").is_file():
        pytest.skip(f"MUC-4 gold not found at {MUC4} (public data lives next to the repository)")
    result = evaluate(MUC4)
    ours, bare = result["watchfloor"]["killed"], result["baseline"]["killed"]
    assert result["templates"] == 191
    assert ours["scored"] == bare["scored"] >= 50  # the same templates for both
    assert 0 < ours["found"] <= ours["scored"] and ours["exact"] <= ours["found"]
    assert all(": gold " in e for e in result["errors"])
