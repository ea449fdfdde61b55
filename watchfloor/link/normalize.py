"""Name normalisation shared by the gazetteer, the linker and the store."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "‐": "-", "‑": "-", "–": "-", "—": "-"})
_POSSESSIVE = re.compile(r"(?:'s|')$")
_PUNCT = re.compile(r"[\-./,()\"]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Strip diacritics: 'Jalālābād' -> 'Jalalabad'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def norm_name(text: str) -> str:
    """Key used to compare names: folded, lower case, no article, possessive or punctuation."""
    s = fold(text.translate(_QUOTES)).lower().strip()
    s = _POSSESSIVE.sub("", s)
    if s.startswith("the "):
        s = s[4:]
    s = _PUNCT.sub(" ", s)
    return _SPACES.sub(" ", s).strip()
