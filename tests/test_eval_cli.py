"""`watchfloor eval`: the harness a maintainer runs to see how good extraction is, on held-out gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import invoke_cli

EVENTS_GOLD = Path(__file__).parent / "data" / "events"


def test_eval_events_on_the_held_out_half_reports_detection_and_fields() -> None:
    result = invoke_cli("eval", "events", str(EVENTS_GOLD / "heldout"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    gold_lines = (EVENTS_GOLD / "heldout" / "gold.jsonl").read_text("utf-8").splitlines()
    assert data["gold_events"] == sum(len(json.loads(line)["events"]) for line in gold_lines if line.strip())
    # Floors well under the measured figures (F1 0.82 when written): they catch a broken extractor,
    # not a slightly worse one.
    assert data["f1"] >= 0.6
    assert data["field_accuracy"]["event_type"] >= 0.75
    assert data["field_accuracy"]["date"] >= 0.7
    assert data["field_accuracy"]["is_background"] >= 0.8
    assert set(data["field_accuracy"]) >= {"killed_exact", "killed_10pct", "perpetrator", "place", "country"}


def test_eval_events_needs_a_gold_folder() -> None:
    result = invoke_cli("eval", "events", "/nonexistent/gold")
    assert result.returncode == 1
    assert "has no gold.jsonl" in result.stderr and "Traceback" not in result.stderr


def test_eval_muc4_without_the_data_says_where_to_point_it(tmp_path: Path) -> None:
    result = invoke_cli("eval", "muc4", "--data", str(tmp_path))
    assert result.returncode == 1
    assert "grit_dev.jsonl not found" in result.stderr and "--data" in result.stderr


CLAIMS_GOLD = Path(__file__).parent / "data" / "claims"
SHARED_POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear"


def test_eval_claims_on_the_held_out_half() -> None:
    result = invoke_cli("eval", "claims", str(CLAIMS_GOLD / "heldout"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    gold_lines = (CLAIMS_GOLD / "heldout" / "gold.jsonl").read_text("utf-8").splitlines()
    assert data["gold_claims"] == sum(len(json.loads(line)["claims"]) for line in gold_lines if line.strip())
    # Floors well under the figures measured when this was written; they catch a broken extractor.
    assert data["f1"] >= 0.6
    assert data["field_accuracy"]["speaker"] >= 0.6
    assert data["field_accuracy"]["probability_band"] >= 0.7
    assert set(data["stance_pairs"]) == {"gold", "predicted", "correct", "precision", "recall"}


def test_polnear_attribution_when_the_shared_data_is_present() -> None:
    if not (SHARED_POLNEAR / "dev" / "attributions").is_dir():
        pytest.skip(f"PolNeAR not found at {SHARED_POLNEAR} (public gold data lives outside the repository)")
    from watchfloor.eval.polnear import PolnearScore, load_split, score_document

    docs = load_split(SHARED_POLNEAR / "dev")
    assert len(docs) == 84 and sum(len(d.attributions) for d in docs) > 1000
    # the scorer itself: a claim on exactly the gold content and source spans scores on every count
    doc = next(d for d in docs if d.attributions)
    gold = doc.attributions[0]
    from watchfloor.models import ClaimRecord

    (cs, ce), (ss, se) = gold.content[0], gold.source[0]
    claim = ClaimRecord(cs, ce, doc.text[cs:ce], False, "said", None, None, None, None, "factual", [(cs, ce)])
    claim.speaker_start, claim.speaker_end = ss, se
    score = PolnearScore()
    score_document(type(doc)(doc.name, doc.text, [gold]), [claim], score)
    assert (score.content_overlap, score.source_overlap, score.source_exact) == (1, 1, 1)


def test_eval_pasted_metadata_refuses_a_wrong_part_and_errors_on_the_held_out_part(tmp_path: Path) -> None:
    wrong = invoke_cli("eval", "pasted-metadata", "--part", "test", "--data", str(tmp_path))
    assert wrong.returncode == 1 and "choose train, eval or all" in wrong.stderr
    held_out = invoke_cli("eval", "pasted-metadata", "--part", "eval", "--errors", "5", "--data", str(tmp_path))
    assert held_out.returncode == 1 and "train part only" in held_out.stderr
    missing = invoke_cli("eval", "pasted-metadata", "--data", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "not found" in missing.stderr and "Traceback" not in missing.stderr
