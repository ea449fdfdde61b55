"""Remove site furniture line by line, keeping what was removed and why.

The decision is made by a line classifier trained on real pages rendered to pasted text
(``models/furniture/``, trained by ``training/furniture/train.py``; features in
``ingest/line_features.py``). The rules of ``data/lexicons/furniture.yaml`` are features of that
model, and the whole cleaner when the model file is absent (:func:`clean_lines_lexicon`). A rule
only fires on short lines, so a body sentence that happens to contain "share" or "subscribe" is
kept.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from watchfloor.models import RemovedSpan

log = logging.getLogger(__name__)

BODY_MIN_WORDS = 20  # a paragraph this long ends a dropped block of headlines


@dataclass(frozen=True)
class Rule:
    reason: str
    patterns: tuple[re.Pattern[str], ...]
    max_words: int
    block: bool
    to_end: bool

    pattern: re.Pattern[str] = re.compile("(?!)")  # all patterns as one alternation: one search per line

    def __post_init__(self) -> None:
        if self.patterns:
            joined = re.compile("|".join(f"(?:{p.pattern})" for p in self.patterns), re.IGNORECASE)
            object.__setattr__(self, "pattern", joined)  # frozen: set once, at construction


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
    if rules is None or rules is load_rules():
        return _first_shipped_rule(stripped)
    return _first_rule(stripped, rules)


@lru_cache(maxsize=4096)  # each line is classified for its features and again when lines are decided
def _first_shipped_rule(stripped: str) -> Rule | None:
    return _first_rule(stripped, load_rules())


def _first_rule(stripped: str, rules: tuple[Rule, ...]) -> Rule | None:
    words = len(stripped.split())
    for rule in rules:
        if words <= rule.max_words and rule.pattern.search(stripped):
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


def clean_lines_lexicon(text: str) -> tuple[list[tuple[int, int]], list[RemovedSpan]]:
    """The rule-only cleaner (lexicon + navigation runs): the fallback without a line model."""
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


MODEL_PATH: Path = Path(str(resources.files("watchfloor") / "models" / "furniture" / "model.npz"))
# Rules precise enough to remove a line without asking the model.
CERTAIN_RULES = frozenset(
    {
        "cookie or privacy notice",
        "share or follow buttons",
        "read-more link to another article",
        "photo credit or caption",
    }
)
# A heading of these rules removes itself and the short items listed under it (until a body paragraph).
CERTAIN_BLOCK_RULES = frozenset({"list of other headlines (related / popular / read more)"})
# The items listed under such a heading, and navigation runs outside the article block, are removed
# only when the model also leans to furniture: ungated, these two rules cost the most article lines
# in cross-validation on the training pages (short subheadings and list items taken for menus).
RULE_GATE = 0.9
# The line model learned from whole web pages where the article block is; in a text this short (a pasted
# paragraph or two) it has no page to read, so only the lexicon's rules remove lines.
MIN_MODEL_LINES = 4


@dataclass(frozen=True)
class LineModel:
    """Gradient-boosted trees exported from scikit-learn to flat numpy arrays (no pickle, and no
    scikit-learn needed at run time). All trees' nodes are concatenated; ``roots`` index them."""

    feature: Any  # int array: feature index tested at each node
    threshold_value: Any  # float array: go left when x[feature] <= threshold_value
    left: Any  # int array: global index of the left child
    right: Any
    is_leaf: Any  # bool array
    value: Any  # float array: leaf values (raw log-odds contributions)
    roots: Any  # int array: root node of each tree
    baseline: float
    max_depth: int
    threshold: float  # remove a line when P(furniture) >= threshold
    feature_names: tuple[str, ...]

    @cached_property
    def _children(self) -> Any:
        """Left and right child of every node side by side: node ``k`` goes to ``[2k + went_right]``."""
        import numpy as np

        return np.stack([self.left, self.right], axis=1).ravel()

    def predict_proba(self, rows: list[list[float]]) -> list[float]:
        """P(furniture) per feature row, walking every tree at once (vectorised traversal).

        Only the (row, tree) pairs not yet at a leaf take each next step: trees are 1 to ``max_depth``
        deep, and stepping every pair down to the deepest tree's depth cost twice as much."""
        import numpy as np

        x = np.asarray(rows, dtype=np.float64)
        n, trees = x.shape[0], self.roots.shape[0]
        values = x.ravel()
        node = np.tile(self.roots, n)  # row-major: row r's trees at r * trees ...
        row_start = np.repeat(np.arange(n) * x.shape[1], trees)  # where each pair's row starts in values
        walking = np.flatnonzero(~self.is_leaf[node])
        children = self._children
        while walking.size:
            at = node[walking]
            went_right = ~(values[row_start[walking] + self.feature[at]] <= self.threshold_value[at])
            at = children[2 * at + went_right]
            node[walking] = at
            walking = walking[~self.is_leaf[at]]
        raw = self.baseline + self.value[node.reshape(n, trees)].sum(axis=1)
        return [float(p) for p in 1.0 / (1.0 + np.exp(-raw))]


@lru_cache(maxsize=4)
def _load_model_at(path: str) -> LineModel | None:
    model_file = Path(path)
    meta_file = model_file.with_name("meta.json")
    if not model_file.exists() or not meta_file.exists():
        return None
    try:
        import numpy as np

        meta = json.loads(meta_file.read_text("utf-8"))
        with np.load(model_file, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        from watchfloor.ingest.line_features import feature_names

        names = tuple(meta.get("feature_names", ()))
        if names != feature_names():
            log.warning("furniture line model features differ from the code: using the lexicon rules")
            return None
        return LineModel(
            feature=arrays["feature"].astype(np.int64),
            threshold_value=arrays["threshold_value"],
            left=arrays["left"].astype(np.int64),
            right=arrays["right"].astype(np.int64),
            is_leaf=arrays["is_leaf"].astype(bool),
            value=arrays["value"],
            roots=arrays["roots"].astype(np.int64),
            baseline=float(arrays["baseline"]),
            max_depth=int(arrays["max_depth"]),
            threshold=float(meta["threshold"]),
            feature_names=names,
        )
    except (ImportError, OSError, ValueError, KeyError) as exc:
        log.warning("furniture line model unusable (%s): using the lexicon rules", exc)
        return None


def line_model() -> LineModel | None:
    """The furniture line model, loaded once; None when absent (the lexicon rules are used)."""
    return _load_model_at(str(MODEL_PATH))


def furniture_probabilities(
    text: str, model: LineModel
) -> tuple[list[tuple[int, int]], list[float], list[list[float]]]:
    """(line spans, P(furniture) per line, feature vectors) for a text."""
    from watchfloor.ingest.line_features import page_features

    spans = split_lines(text)
    if not spans:
        return spans, [], []
    lines = [text[s:e] for s, e in spans]
    raw_lines = [text[text.rfind("\n", 0, s) + 1 : e] for s, e in spans]
    feats = page_features(lines, raw_lines)
    return spans, model.predict_proba(feats), feats


def _model_reason(p: float, f: dict[str, float]) -> str:
    if f["repeat"] > 0 and not f["in_block"]:
        why = "line repeated elsewhere on the page"
    elif f["nav_run"] or f["short_run"] >= 3:
        why = "run of short items (menu or list of links)"
    elif f["in_block"]:
        why = "line inside the article block that reads like page furniture"
    elif f["before_block"]:
        why = "short line before the article block" if f["short"] else "line before the article block"
    else:
        why = "short line after the article block" if f["short"] else "line after the article block"
    return f"furniture (line model, p={p:.2f}): {why}"


def decide_lines(
    lines: list[str], probs: list[float], feats: list[list[float]], names: tuple[str, ...], threshold: float
) -> list[str | None]:
    """The removal reason of each line (None = kept), from the model's P(furniture) and the lexicon.

    Near-certain lexicon rules fire anywhere, the other lexicon rules outside the article block;
    navigation runs (outside the block), items listed under a "Related" heading and lines after a
    comment-section heading that follows the article are removed when P(furniture) >= :data:`RULE_GATE`;
    every other line when P(furniture) >= ``threshold``.
    Shared by :func:`clean_lines` and the training script (which scores the whole decision,
    rules included, with cross-validated probabilities).
    """
    rules = load_rules()
    out: list[str | None] = []
    listing: str | None = None
    # Under a "Related" heading: how many lines so far, and whether they run headline, summary,
    # headline, summary (teasers of other stories) rather than a plain list of headlines.
    items = 0
    teasers = False
    in_block = names.index("in_block")
    before_block = names.index("before_block")
    nav_run = names.index("nav_run")
    to_end = {rule.reason for rule in rules if rule.to_end}
    comments: str | None = None  # after the article, under a comment-section heading: the comments
    for line, p, vec in zip(lines, probs, feats, strict=True):
        rule = classify_line(line, rules)
        outside = not vec[in_block]
        if rule is not None and rule.reason in to_end and outside and not vec[before_block]:
            comments = rule.reason
        body = _looks_like_body(line)
        if rule is not None and rule.reason in CERTAIN_BLOCK_RULES:
            listing, items, teasers = rule.reason, 0, False
        elif listing is not None and body and (items == 1 or teasers) and not _looks_like_body(lines[len(out) - 1]):
            # Another story's headline, then its summary: the list goes on (the article does not resume).
            teasers = True
            items += 1
            if out[-1] is None:
                out[-1] = listing + " (teaser headline of another story)"
            out.append(listing + " (teaser of another story)")
            continue
        elif listing is not None and (rule is not None or body):
            listing = None
        elif listing is not None:
            items += 1
        if rule is not None and (rule.reason in CERTAIN_RULES or rule.reason in CERTAIN_BLOCK_RULES or outside):
            # Near-certain rules fire anywhere; any lexicon rule fires outside the article block.
            out.append(rule.reason)
        elif outside and vec[nav_run] and p >= RULE_GATE:
            out.append("navigation menu (run of short items)")
        elif listing is not None and p >= RULE_GATE:
            out.append(listing + " (listed item)")
        elif comments is not None and outside and p >= RULE_GATE:
            out.append(comments + " (a comment)")
        elif p >= threshold and len(lines) >= MIN_MODEL_LINES:
            out.append(rule.reason if rule is not None else _model_reason(p, dict(zip(names, vec, strict=True))))
        else:
            out.append(None)
    return out


@dataclass(frozen=True)
class CleanedLines:
    """The cleaner's answer for one text: kept line spans, removed spans, and P(furniture) per line."""

    kept: list[tuple[int, int]]
    removed: list[RemovedSpan]
    furniture: list[float] | None  # one per non-blank line (order of split_lines); None without the model


def clean_lines(text: str) -> tuple[list[tuple[int, int]], list[RemovedSpan]]:
    """Split text into kept line spans and removed furniture spans (offsets into ``text``).

    Uses the trained line model when it is installed, else :func:`clean_lines_lexicon`.
    """
    cleaned = clean_text_lines(text)
    return cleaned.kept, cleaned.removed


def clean_text_lines(text: str) -> CleanedLines:
    """:func:`clean_lines` with the line model's probabilities, which the headline ranker reads too."""
    model = line_model()
    if model is None:
        return CleanedLines(*clean_lines_lexicon(text), None)
    spans, probs, feats = furniture_probabilities(text, model)
    lines = [text[s:e] for s, e in spans]
    reasons = decide_lines(lines, probs, feats, model.feature_names, model.threshold)
    kept: list[tuple[int, int]] = []
    removed: list[RemovedSpan] = []
    for (start, end), line, reason in zip(spans, lines, reasons, strict=True):
        if reason is None:
            kept.append((start, end))
        else:
            removed.append(RemovedSpan(start, end, line, reason))
    return CleanedLines(kept, removed, probs)
