"""What every training command shares: gold texts parsed once and cached, and the model file written
with its size and sha256 printed (the figures docs/models.md records)."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from watchfloor.link.gazetteer import Gazetteer
from watchfloor.nlp.pipeline import DEFAULT_MODEL, build_pipeline


def cached_parses(
    cache: Path,
    name: str,
    data_digest: str,
    texts: list[str],
    gazetteer: Gazetteer,
    nlp: Language | None = None,
    batch_size: int = 16,
) -> list[Doc]:
    """The texts parsed by watchfloor's pipeline, from ``cache`` when the data, model and gazetteer match.

    The cache key covers the gold data, the pipeline's model name, its components and the gazetteer hash,
    so a changed pipeline re-parses instead of training on stale parses.
    """
    nlp = nlp or build_pipeline(gazetteer)
    parts = f"{data_digest}|{DEFAULT_MODEL}|{','.join(nlp.pipe_names)}|{gazetteer.fingerprint}"
    key = hashlib.sha256(parts.encode()).hexdigest()[:16]
    path = cache / f"{name}-{key}.spacy"
    if path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if len(docs) == len(texts):
            return docs
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(store_user_data=False, docs=docs).to_disk(path)
    return docs


def write_model(out: Path, spec: dict[str, Any], started: float) -> str:
    """Write ``out/model.json`` deterministically; print its size and sha256; return the sha256."""
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(spec, indent=0, ensure_ascii=False) + "\n"
    (out / "model.json").write_text(text, "utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    seconds = time.perf_counter() - started
    print(f"wrote {out / 'model.json'} ({len(text) / 1e6:.2f} MB, sha256 {sha}) in {seconds:.0f} s")
    return sha
