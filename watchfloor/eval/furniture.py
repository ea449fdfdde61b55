"""Score furniture removal against gold files (tests/data/furniture/*/NAME.gold.json).

A gold line counts as removed when its whitespace-normalised text is absent from the cleaned
output. Precision = furniture removed / all gold lines removed; recall = furniture removed / all
furniture lines. Bare trafilatura (HTML pages only) is scored side by side in the same run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from watchfloor.ingest.decode import plain_characters
from watchfloor.ingest.document import build_document
from watchfloor.ingest.sources import EXTENSIONS
from watchfloor.models import RawInput


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", plain_characters(text)).strip()


@dataclass
class Score:
    furniture_removed: int = 0
    furniture_total: int = 0
    content_removed: int = 0
    content_total: int = 0
    leaked: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        removed = self.furniture_removed + self.content_removed
        return self.furniture_removed / removed if removed else 1.0

    @property
    def recall(self) -> float:
        return self.furniture_removed / self.furniture_total if self.furniture_total else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, output: str, gold: dict[str, list[str]], source: str) -> None:
        out = _norm(output)
        for line in gold["furniture"]:
            self.furniture_total += 1
            if _norm(line) in out:
                self.leaked.append(f"{source}: {line}")
            else:
                self.furniture_removed += 1
        for line in gold["content"]:
            self.content_total += 1
            if _norm(line) in out:
                continue
            self.content_removed += 1
            self.lost.append(f"{source}: {line}")

    def as_dict(self) -> dict[str, object]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "furniture_lines": self.furniture_total,
            "content_lines": self.content_total,
            "furniture_leaked": self.leaked,
            "content_lost": self.lost,
        }


def gold_pairs(folder: Path) -> list[tuple[Path, dict[str, list[str]]]]:
    pairs = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        docs = [p for p in folder.iterdir() if p.stem == stem and p.suffix.lower() in EXTENSIONS]
        if docs:
            pairs.append((docs[0], json.loads(gold_path.read_text("utf-8"))))
    return pairs


def evaluate(folder: Path) -> dict[str, dict[str, object]]:
    """Watchfloor's cleaner on every document; bare trafilatura on the HTML pages."""
    ours, ours_html, bare_html = Score(), Score(), Score()
    for path, gold in gold_pairs(folder):
        kind = EXTENSIONS[path.suffix.lower()]
        data = path.read_bytes()
        doc = build_document(RawInput(str(path), kind, data))
        output = (doc.title or "") + "\n" + doc.text
        ours.add(output, gold, path.name)
        if kind == "html":
            ours_html.add(output, gold, path.name)
            bare = trafilatura.extract(data.decode("utf-8", "replace"), with_metadata=False) or ""
            title = trafilatura.extract_metadata(data.decode("utf-8", "replace"))
            bare_html.add((getattr(title, "title", "") or "") + "\n" + bare, gold, path.name)
    return {
        "watchfloor_all": ours.as_dict(),
        "watchfloor_html": ours_html.as_dict(),
        "trafilatura_html": bare_html.as_dict(),
    }
