"""Regression guard on real-world accuracy: the fast scorecard sections must not drop more than two
points below the figures committed in docs/accuracy.json (made by `watchfloor eval scorecard`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from watchfloor.eval.pasted import RendererUnavailable
from watchfloor.eval.scorecard import FAST_SECTIONS, run_scorecard

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "eval"
COMMITTED = REPO / "docs" / "accuracy.json"
TOLERANCE = 2.0


def _key(row: dict[str, object]) -> tuple[object, ...]:
    return row["section"], row["metric"], row["baseline_name"]


def test_fast_scorecard_holds_the_committed_figures() -> None:
    if not (SHARED / "article_extraction").is_dir():
        pytest.skip(f"{SHARED} absent: the shared real-world gold data is needed for the accuracy guard")
    committed = {_key(r): r for r in json.loads(COMMITTED.read_text("utf-8"))["rows"]}
    try:
        result = run_scorecard(SHARED, FAST_SECTIONS)
    except RendererUnavailable as exc:
        pytest.fail(f"the pasted-text sections need Debian chromium (make browser): {exc}")
    checked = 0
    drops = []
    for row in result["rows"]:
        old = committed.get(_key(row))
        if old is None or old["watchfloor"] is None or row["watchfloor"] is None or "missing" in str(row["metric"]):
            continue  # "date missing" is informational: an honest undated page is not a loss
        checked += 1
        lower_is_better = "lower is better" in str(row["metric"])
        change = (old["watchfloor"] - row["watchfloor"]) if lower_is_better else (row["watchfloor"] - old["watchfloor"])
        if change < -TOLERANCE:
            drops.append(f"{row['section']} / {row['metric']}: {old['watchfloor']} -> {row['watchfloor']}")
    assert checked >= 10, "docs/accuracy.json does not cover the fast sections; run `make accuracy`"
    assert not drops, "accuracy dropped:\n" + "\n".join(drops)
