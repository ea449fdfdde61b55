"""Every shipped model is documented with the sha256 of its file, small, and loadable by the code."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODELS = REPO / "watchfloor" / "models"
MAX_BYTES = 50 * 1024 * 1024


def test_each_model_file_is_listed_with_its_sha256_and_training_command() -> None:
    doc = (REPO / "docs" / "models.md").read_text("utf-8")
    files = [p for p in MODELS.rglob("*") if p.is_file() and p.name != "meta.json"]
    assert {p.parent.name for p in files} >= {"furniture", "headline", "pubdate"}
    for path in files:
        assert path.stat().st_size <= MAX_BYTES, path
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest in doc, f"docs/models.md does not list {path.relative_to(REPO)} ({digest})"
        assert f"training.{path.parent.name}.train" in doc


def test_rankers_record_how_they_were_trained() -> None:
    for name in ("headline", "pubdate"):
        spec = json.loads((MODELS / name / "model.json").read_text("utf-8"))
        assert spec["training_command"].startswith(f"python -m training.{name}.train")
        assert len(spec["training_data"]["sha256"]) == 64
        assert 0.0 < spec["cv_train"]["top1_among_pages_with_candidates"] <= 1.0
        assert len(spec["coef"]) == len(spec["features"]) == len(spec["mean"])
