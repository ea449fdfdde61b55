"""Which date on a pasted page is its publication date: a learned ranker over the page's dates.

Every complete date the page shows is a candidate; its features say where it stands (lines from
the headline and from the article block, inside the body or after it), how its line reads (a short
stamp, a "Published"/"Veröffentlicht" label, an "Updated"/comment label, a byline, a time of day),
and how it compares with the page's other dates (the latest one, repeated, first on the page). The
logistic regression (``training/pubdate/train.py``; ``watchfloor/models/pubdate/model.json``) picks
the best candidate and accepts it only above a threshold chosen so that a wrong date costs more than
no date; below it the page stays undated. Without the model, ``metadata`` uses its hand-set score.
"""

from __future__ import annotations

import math
import re

from watchfloor.ingest.metadata import DateHit, PageCues, byline, byline_lexicon
from watchfloor.ingest.ranker import LinearRanker, load_ranker

FEATURES = (
    "title_offset", "abs_title_offset", "above_title", "block_offset", "in_block", "after_block", "rel_position",
    "log_words", "short_line", "hit_position", "labelled", "other_label", "has_byline", "has_time",
    "same_date_count", "is_latest", "days_before_latest", "first_on_page", "dates_in_line", "long_prose",
    "rule_pick", "rule_day",
)  # fmt: skip
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")


def pubdate_model() -> LinearRanker | None:
    """The shipped ranker, or None when its file is absent or was trained on other features."""
    return load_ranker("pubdate", FEATURES)


def candidate_features(
    lines: list[str], cues: PageCues, anchor: int, k: int, rule: tuple[int, DateHit] | None = None
) -> list[float]:
    """Features of the k-th stamp candidate (``cues.stamps[k]``); ``rule``: the hand rule's pick."""
    lex = byline_lexicon()
    i, hit = cues.stamps[k]
    line = lines[i]
    words = len(line.split())
    days = [h.day for _, h in cues.dates]
    latest = max(days)
    before = line[: hit.start]
    return [
        max(-40.0, min(40.0, float(i - anchor))) / 10,
        min(40.0, abs(float(i - anchor))) / 10,
        float(i < anchor),
        max(-40.0, min(40.0, float(i - cues.start))) / 10,
        float(cues.start <= i <= cues.end),
        float(i > cues.end >= 0),
        i / max(len(lines), 1),
        math.log1p(words),
        float(words <= 12),
        hit.start / max(len(line), 1),
        float(bool(lex.published.search(line[: hit.start + 1]))),
        float(bool(lex.other.search(before))),
        float(byline(line) is not None),
        float(bool(_TIME.search(line[hit.end : hit.end + 12]))),
        math.log1p(days.count(hit.day)),
        float(hit.day == latest),
        min(3650.0, float((latest - hit.day).days)) / 365,
        float(k == 0),
        float(sum(1 for j, _ in cues.dates if j == i)),
        float(words > 20 and hit.start > 40),
        float(rule is not None and rule[0] == i and rule[1] == hit),
        float(rule is not None and rule[1].day == hit.day),
    ]


def rank_pubdate(lines: list[str], cues: PageCues, anchor: int, model: LinearRanker) -> tuple[int, DateHit] | None:
    """The publication date's (line, hit), or None when no candidate is convincing."""
    from watchfloor.ingest.metadata import stamp_by_rule

    rule = stamp_by_rule(lines, cues, anchor)
    found = model.best([candidate_features(lines, cues, anchor, k, rule) for k in range(len(cues.stamps))])
    return cues.stamps[found[0]] if found else None


__all__ = ["FEATURES", "candidate_features", "pubdate_model", "rank_pubdate"]
