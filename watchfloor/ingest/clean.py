"""Remove site furniture line by line, keeping what was removed and why.

Rules live in ``data/lexicons/furniture.yaml``. A rule only fires on short lines, so a body
sentence that happens to contain "share" or "subscribe" is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from watchfloor.models import RemovedSpan

BODY_MIN_WORDS = 20  # a paragraph this long ends a dropped block of headlines


@dataclass(frozen=True)
class Rule:
    reason: str
    patterns: tuple[re.Pattern[str], ...]
    max_words: int
    block: bool
    to_end: bool


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    """Read the furniture lexicon shipped with the package."""
    text = (resources.files("watchfloor") / "data/lexicons/furniture.yaml").read_text("utf-8")
    spec = yaml.safe_load(text)
    return tuple(
        Rule(
            reason=r["reason"],
            patterns=tuple(re.compile(p, re.IGNORECASE) for p in r["patterns"]),
            max_words=int(r.get("max_words", 12)),
            block=bool(r.get("block", False)),
            to_end=bool(r.get("to_end", False)),
        )
        for r in spec["rules"]
    )


def classify_line(line: str, rules: tuple[Rule, ...] | None = None) -> Rule | None:
    """The furniture rule a single line matches, or None for content."""
    stripped = line.strip().strip("*_#>|•·-– ").strip()
    if not stripped:
        return None
    words = len(stripped.split())
    for rule in rules if rules is not None else load_rules():
        if words <= rule.max_words and any(p.search(stripped) for p in rule.patterns):
            return rule
    return None


def _looks_like_body(line: str) -> bool:
    words = line.split()
    return len(words) >= BODY_MIN_WORDS and line.rstrip().endswith((".", '"', "”", "’", "'", ")"))


def split_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of ``text``."""
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line)
    return spans


NAV_RUN = 3  # this many consecutive one-to-three-word lines form a navigation menu
NAV_MAX_WORDS = 3


def _nav_like(line: str) -> bool:
    words = line.split()
    return len(words) <= NAV_MAX_WORDS and not line.rstrip().endswith((".", "!", "?", '"', "”", ":"))


def clean_lines(text: str) -> tuple[list[tuple[int, int]], list[RemovedSpan]]:
    """Split text into kept line spans and removed furniture spans (offsets into ``text``)."""
    rules = load_rules()
    kept: list[tuple[int, int]] = []
    removed: list[RemovedSpan] = []
    spans = split_lines(text)
    block_reason: str | None = None
    to_end = False
    nav = _navigation_runs([text[s:e] for s, e in spans])
    for i, (start, end) in enumerate(spans):
        line = text[start:end]
        if i in nav:
            removed.append(RemovedSpan(start, end, line, "navigation menu (run of short items)"))
            continue
        rule = classify_line(line, rules)
        if rule is not None:
            removed.append(RemovedSpan(start, end, line, rule.reason))
            if rule.block:
                # A comment section only runs to the end when it sits in the last part of the page.
                to_end = rule.to_end and i >= len(spans) * 0.5
                block_reason = rule.reason
            continue
        if block_reason is not None and (to_end or not _looks_like_body(line)):
            removed.append(RemovedSpan(start, end, line, block_reason + " (listed item)"))
            continue
        block_reason = None
        kept.append((start, end))
    return kept, removed


def _navigation_runs(lines: list[str]) -> set[int]:
    """Indexes of lines inside runs of NAV_RUN or more very short items (menus, topic lists)."""
    found: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*lines, "a full sentence that ends the last run of menu items."]):
        if i < len(lines) and _nav_like(line):
            run.append(i)
            continue
        if len(run) >= NAV_RUN:
            found.update(run)
        run = []
    return found
