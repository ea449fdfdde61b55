"""Features of the lines of a pasted page, for the furniture line model.

Pure and O(lines): :func:`page_features` takes the page's non-blank lines (as split by
``clean.split_lines``) and returns one numeric vector per line, in the order of
:func:`feature_names`. The lexicon of ``data/lexicons/furniture.yaml`` is used as features
(one binary feature per rule reason), not as the decision.

The *article block* is the densest run of long prose lines: a maximum-sum segment where a prose
line scores its length and any other line costs a fixed penalty, so a few short lines inside the
article (subheadings, code, list items) do not split it while a menu or a list of teasers does.
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections import Counter
from functools import lru_cache

from watchfloor.ingest.clean import Rule, _navigation_runs, classify_line, load_rules

PROSE_MIN_WORDS = 12
SHORT_MAX_WORDS = 6
BLOCK_GAP_COST = 60.0  # characters of prose that one non-prose line costs inside the block
WINDOW = 2

_WORD = re.compile(r"\w+", re.UNICODE)
_TERMINAL = (".", "!", "?", '"', "”", "’", "'", ")", "»", "。", "！", "？", "…", ":", ";")
_SENT_END = re.compile(r"[.!?。！？…][\"'”’»)]*$")
_BULLET = re.compile(r"^\s*(?:[-*•·–—▪►◦]|\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)])\s+\S", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(?:#?\d{1,3}[.):]|\(\d{1,3}\))\s*\S")
_CODE = re.compile(
    r"[{};]\s*$|^\s*(?:def|class|import|from|return|if|for|while|var|let|const|function|print)\b|"
    r"[=<>!]=|:=|=>|->|\(\)|\[\]|^\s*[#/]{1,2}\s|^\s*</?\w+[^>]*>$|^\s*\$ |^\s*[\w.]+\s*=\s*\S"
)
_CAPTION = re.compile(
    r"\b(photo|image|picture|illustration|credit|caption|getty|reuters|afp|ap photo|epa|shutterstock|"
    r"file photo|courtesy|foto|bild|imago|dpa|istock|alamy)\b|©|\(c\)",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? "
    r"\d{1,2}|\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|\d{1,2}:\d{2}|\bago\b|"
    r"(mon|tues|wednes|thurs|fri|satur|sun)day)",
    re.IGNORECASE,
)
_URLISH = re.compile(r"https?://|www\.|\.com\b|@\w|\b[\w.-]+@[\w.-]+\.\w+", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s[|/·•»›>]\s|\s\|\s?|\s?\|\s")
_BYLINE = re.compile(r"^(by|von|par|por|di|door|av|af)\s+\S", re.IGNORECASE)

NEIGHBOUR_KEYS = ("log_words", "prose", "terminal", "lexicon_any", "short", "title_ratio", "overlap_block")


@lru_cache(maxsize=1)
def rule_reasons() -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.reason for r in load_rules()))


def _base_names() -> list[str]:
    return [
        "log_words",
        "log_chars",
        "words",
        "terminal",
        "sent_end",
        "ends_colon",
        "ends_comma",
        "title_ratio",
        "upper_ratio",
        "digit_ratio",
        "punct_ratio",
        "non_latin",
        "avg_word_len",
        "bullet",
        "numbered",
        "code",
        "indent",
        "caption",
        "date",
        "url",
        "separators",
        "byline",
        "prose",
        "short",
        "rel_pos",
        "rel_char_pos",
        "in_block",
        "before_block",
        "after_block",
        "dist_block",
        "log_dist_block",
        "block_share",
        "block_lines_frac",
        "repeat",
        "overlap_block",
        "overlap_head",
        "overlap_lead",
        "short_run",
        "log_short_run",
        "nav_run",
        "lexicon_any",
        "lexicon_block",
        "list_in_block",
        "code_in_block",
        "non_latin_prose",
        "page_lines_log",
        "first_line",
        "last_line",
        *(f"rule:{r}" for r in rule_reasons()),
    ]


@lru_cache(maxsize=1)
def feature_names() -> tuple[str, ...]:
    names = _base_names()
    for off in range(-WINDOW, WINDOW + 1):
        if off == 0:
            continue
        names.extend(f"{k}@{off:+d}" for k in NEIGHBOUR_KEYS)
    return tuple(names)


_ASCII_PUNCT = str.maketrans("", "", string.punctuation)


def _is_latin_letter(ch: str) -> bool:
    return ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if len(w) > 3 and not w.isdigit()}


def _overlap(words: set[str], ref: set[str]) -> float:
    return len(words & ref) / len(words) if words else 0.0


def _article_block(prose_chars: list[float]) -> tuple[int, int]:
    """Maximum-sum run (Kadane) of per-line scores: prose chars, or -BLOCK_GAP_COST."""
    best, best_span = -math.inf, (0, -1)
    cur, start = 0.0, 0
    for i, score in enumerate(prose_chars):
        if cur <= 0:
            cur, start = score, i
        else:
            cur += score
        if cur > best:
            best, best_span = cur, (start, i)
    return best_span


def _line_stats(line: str, raw_line: str, rules: tuple[Rule, ...]) -> dict[str, float]:
    stripped = line.strip()
    words = stripped.split()
    n_words = len(words)
    n_chars = len(stripped)
    alpha_words = [w for w in words if w[:1].isalpha()]
    title_ratio = sum(1 for w in alpha_words if w[0].isupper()) / len(alpha_words) if alpha_words else 0.0
    if stripped.isascii():
        # Most lines: the same counts by C-level passes (ASCII punctuation and symbols are exactly
        # string.punctuation, and every ASCII letter is Latin).
        n_letters = sum(map(str.isalpha, stripped)) or 1
        upper_ratio = sum(map(str.isupper, stripped)) / n_letters
        digits = sum(map(str.isdigit, stripped))
        punct = len(stripped) - len(stripped.translate(_ASCII_PUNCT))
        non_latin = 0.0
    else:
        letters = [c for c in stripped if c.isalpha()]
        n_letters = len(letters) or 1
        upper_ratio = sum(1 for c in letters if c.isupper()) / n_letters
        digits = sum(1 for c in stripped if c.isdigit())
        punct = sum(1 for c in stripped if unicodedata.category(c).startswith(("P", "S")))
        non_latin = sum(1 for c in letters if not _is_latin_letter(c)) / n_letters
    # CJK and similar scripts have no spaces: count their characters as words for prose.
    eff_words = n_words if non_latin < 0.5 else max(n_words, n_chars // 2)
    terminal = stripped.endswith(_TERMINAL)
    sent_end = bool(_SENT_END.search(stripped))
    prose = eff_words >= PROSE_MIN_WORDS and (sent_end or eff_words >= 25)
    rule = classify_line(stripped, rules)
    return {
        "log_words": math.log1p(eff_words),
        "log_chars": math.log1p(n_chars),
        "words": float(min(eff_words, 200)),
        "terminal": float(terminal),
        "sent_end": float(sent_end),
        "ends_colon": float(stripped.endswith(":")),
        "ends_comma": float(stripped.endswith((",", ";"))),
        "title_ratio": title_ratio,
        "upper_ratio": upper_ratio,
        "digit_ratio": digits / (n_chars or 1),
        "punct_ratio": punct / (n_chars or 1),
        "non_latin": non_latin,
        "avg_word_len": min(n_chars / (n_words or 1), 30.0),
        "bullet": float(bool(_BULLET.match(stripped))),
        "numbered": float(bool(_NUMBERED.match(stripped))),
        "code": float(bool(_CODE.search(raw_line)) or stripped.count("(") + stripped.count("{") >= 2),
        "indent": float(min(len(raw_line) - len(raw_line.lstrip(" \t")), 16)),
        "caption": float(bool(_CAPTION.search(stripped))),
        "date": float(bool(_DATE.search(stripped))),
        "url": float(bool(_URLISH.search(stripped))),
        "separators": float(len(_SEPARATORS.findall(stripped))),
        "byline": float(bool(_BYLINE.match(stripped)) and n_words <= 8),
        "prose": float(prose),
        "short": float(eff_words <= SHORT_MAX_WORDS and not sent_end),
        "lexicon_any": float(rule is not None),
        "_rule": float(rule_reasons().index(rule.reason)) if rule is not None else -1.0,
        "_block_rule": float(rule is not None and rule.block),
        "_chars": float(n_chars),
    }


def page_features(lines: list[str], raw_lines: list[str] | None = None) -> list[list[float]]:
    """One feature vector per line (``lines`` are the page's non-blank, stripped lines;
    ``raw_lines`` the same lines with their original indentation, if known)."""
    n = len(lines)
    if n == 0:
        return []
    raw = raw_lines if raw_lines is not None else lines
    rules = load_rules()
    reasons = rule_reasons()
    stats = [_line_stats(line, r, rules) for line, r in zip(lines, raw, strict=True)]

    # The article block.
    scores = [s["_chars"] if s["prose"] else -BLOCK_GAP_COST for s in stats]
    b0, b1 = _article_block(scores)
    has_block = b1 >= b0 and any(s["prose"] for s in stats)
    if not has_block:
        b0, b1 = 0, -1
    total_chars = sum(s["_chars"] for s in stats) or 1.0
    block_chars = sum(stats[i]["_chars"] for i in range(b0, b1 + 1)) if has_block else 0.0
    block_words: Counter[str] = Counter()
    for i in range(b0, b1 + 1):
        block_words.update(_content_words(lines[i]))
    # Headline: the last title-like line shortly before the block (or the first line).
    head_idx = 0
    for i in range(max(0, b0 - 8), b0):
        if 3 <= len(lines[i].split()) <= 30 and not stats[i]["lexicon_any"]:
            head_idx = i
    head_words = _content_words(lines[head_idx])
    lead_words: set[str] = set()
    for i in range(b0, min(b1 + 1, b0 + 2)):
        lead_words |= _content_words(lines[i])

    norm_counts = Counter(re.sub(r"\s+", " ", line.strip().lower()) for line in lines)
    nav = _navigation_runs(lines)

    # Runs of short lines.
    short_run = [0] * n
    i = 0
    while i < n:
        if stats[i]["short"]:
            j = i
            while j < n and stats[j]["short"]:
                j += 1
            for k in range(i, j):
                short_run[k] = j - i
            i = j
        else:
            i += 1

    # Lexicon block state (a "Related"/"Comments" heading and the items listed under it).
    lex_block = [0.0] * n
    in_lex = False
    for i in range(n):
        if stats[i]["_block_rule"]:
            in_lex = True
        elif in_lex and stats[i]["prose"]:
            in_lex = False
        lex_block[i] = float(in_lex)

    per_line: list[dict[str, float]] = []
    cum_chars = 0.0
    for i in range(n):
        s = stats[i]
        words = _content_words(lines[i])
        in_block = has_block and b0 <= i <= b1
        dist = 0 if in_block or not has_block else (b0 - i if i < b0 else i - b1)
        block_self = words if in_block else set()
        # Overlap with the block's vocabulary, excluding the line's own contribution.
        ob = 0.0
        if words:
            ob = sum(1 for w in words if block_words[w] - (1 if w in block_self else 0) > 0) / len(words)
        f = {k: v for k, v in s.items() if not k.startswith("_")}
        f.update(
            rel_pos=i / max(n - 1, 1),
            rel_char_pos=cum_chars / total_chars,
            in_block=float(in_block),
            before_block=float(has_block and i < b0),
            after_block=float(has_block and i > b1),
            dist_block=float(min(dist, 200)),
            log_dist_block=math.log1p(dist),
            block_share=block_chars / total_chars,
            block_lines_frac=(b1 - b0 + 1) / n if has_block else 0.0,
            repeat=float(min(norm_counts[re.sub(r"\s+", " ", lines[i].strip().lower())] - 1, 10)),
            overlap_block=ob,
            overlap_head=_overlap(words, head_words) if i != head_idx else 1.0,
            overlap_lead=_overlap(words, lead_words),
            short_run=float(min(short_run[i], 50)),
            log_short_run=math.log1p(short_run[i]),
            nav_run=float(i in nav),
            lexicon_block=lex_block[i],
            list_in_block=float(in_block and bool(s["bullet"] or s["numbered"])),
            code_in_block=float(in_block and bool(s["code"])),
            non_latin_prose=float(s["non_latin"] > 0.5 and s["prose"] > 0),
            page_lines_log=math.log1p(n),
            first_line=float(i == 0),
            last_line=float(i == n - 1),
        )
        for r_i, reason in enumerate(reasons):
            f[f"rule:{reason}"] = float(s["_rule"] == r_i)
        per_line.append(f)
        cum_chars += s["_chars"]

    names = feature_names()
    base = _base_names()
    out: list[list[float]] = []
    pad = dict.fromkeys(NEIGHBOUR_KEYS, -1.0)
    for i in range(n):
        vec = [per_line[i][k] for k in base]
        for off in range(-WINDOW, WINDOW + 1):
            if off == 0:
                continue
            j = i + off
            nb = per_line[j] if 0 <= j < n else pad
            vec.extend(nb[k] for k in NEIGHBOUR_KEYS)
        out.append(vec)
    assert len(out[0]) == len(names)
    return out
