"""The spaCy pipeline is built once per process and lent to one caller at a time (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from watchfloor.link.gazetteer import Gazetteer, load_gazetteer
from watchfloor.nlp import pipeline
from watchfloor.workspace import Workspace


@pytest.fixture
def fake_builds(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Replace the (slow) builder with one that records what it built; start with no idle pipelines."""
    built: list[tuple[str, str]] = []

    def build(gazetteer: Gazetteer, model: str = pipeline.DEFAULT_MODEL) -> Any:
        built.append((gazetteer.fingerprint, model))
        return object()

    monkeypatch.setattr(pipeline, "build_pipeline", build)
    monkeypatch.setattr(pipeline, "_idle", {})
    return built


def test_a_released_pipeline_is_lent_again(fake_builds: list[tuple[str, str]]) -> None:
    g = load_gazetteer()
    with pipeline.shared_pipeline(g) as first:
        pass
    with pipeline.shared_pipeline(g) as second:
        assert second is first
    assert len(fake_builds) == 1


def test_concurrent_callers_get_their_own_pipeline(fake_builds: list[tuple[str, str]]) -> None:
    g = load_gazetteer()
    with pipeline.shared_pipeline(g) as first, pipeline.shared_pipeline(g) as second:
        assert second is not first
    with pipeline.shared_pipeline(g) as again:
        assert again in (first, second)
    assert len(fake_builds) == 2


def test_another_model_is_another_pipeline_and_few_are_kept(fake_builds: list[tuple[str, str]]) -> None:
    g = load_gazetteer()
    lent = [pipeline.acquire_pipeline(g, model) for model in ("md", "sm", "md", "md")]
    for nlp, model in zip(lent, ("md", "sm", "md", "md"), strict=True):
        pipeline.release_pipeline(nlp, g, model)
    assert sum(len(v) for v in pipeline._idle.values()) == pipeline.MAX_IDLE
    assert pipeline.acquire_pipeline(g, "sm") is not lent[1]  # the oldest idle one was let go
    assert [m for _, m in fake_builds] == ["md", "sm", "md", "md", "sm"]


def test_two_ingests_in_one_process_build_the_pipeline_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = pipeline.build_pipeline
    calls: list[str] = []

    def counting(gazetteer: Gazetteer, model: str = pipeline.DEFAULT_MODEL) -> Any:
        calls.append(model)
        return real(gazetteer, model)

    monkeypatch.setattr(pipeline, "build_pipeline", counting)
    monkeypatch.setattr(pipeline, "_idle", {})
    texts = [
        "A suicide bomber struck a Shia mosque in Kandahar on Friday, killing about 60 worshippers, officials said.",
        "Gunmen stormed a police station in Peshawar on Monday and killed four officers before fleeing, police said.",
    ]
    for i, text in enumerate(texts):
        (tmp_path / f"a{i}.txt").write_text(f"Report {i}.\n\n{text}\n", "utf-8")
        with Workspace(tmp_path / "s.db") as ws:
            report = ws.ingest([str(tmp_path / f"a{i}.txt")])
        assert report.analysed == 1, report
    assert calls == [pipeline.DEFAULT_MODEL]
