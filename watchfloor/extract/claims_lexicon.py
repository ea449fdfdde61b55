"""The claims lexicon (data/lexicons/claims.yaml), loaded once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from watchfloor.nlp.phrases import word_pattern


@dataclass(frozen=True)
class ClaimsLexicon:
    cue_verbs: dict[str, str | None]  # lemma -> kind it forces (or None)
    statement_nouns: frozenset[str]
    estimative: tuple[tuple[re.Pattern[str], str, float, float], ...]  # longest phrase first
    any_estimative: re.Pattern[str]  # matches where any estimative phrase does (one search, not 38)
    future: re.Pattern[str]
    assessment: re.Pattern[str]
    responsibility: re.Pattern[str]
    stance_stopwords: frozenset[str]


def _words(items: list[str], boundary: str = r"\w'") -> re.Pattern[str]:
    return word_pattern((str(w) for w in items), boundary)


@lru_cache(maxsize=1)
def load_claims_lexicon() -> ClaimsLexicon:
    """Parse the data file into matchers."""
    spec = yaml.safe_load((resources.files("watchfloor") / "data/lexicons/claims.yaml").read_text("utf-8"))
    estimative = sorted(spec["estimative"].items(), key=lambda kv: len(kv[0]), reverse=True)
    return ClaimsLexicon(
        cue_verbs={str(k): v for k, v in spec["cue_verbs"].items()},
        statement_nouns=frozenset(spec["statement_nouns"]),
        estimative=tuple(
            (re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", re.I), phrase, float(lo), float(hi))
            for phrase, (lo, hi) in estimative
        ),
        any_estimative=_words([phrase for phrase, _ in estimative], boundary=r"\w"),
        future=_words(spec["future_markers"]),
        assessment=_words(spec["assessment_markers"]),
        responsibility=_words(spec["responsibility_words"]),
        stance_stopwords=frozenset(str(w) for w in spec["stance_stopwords"]),
    )
