"""Language identification (langdetect, seeded so results are repeatable)."""

from __future__ import annotations

from importlib import resources

from langdetect import DetectorFactory, LangDetectException, detect_langs

DetectorFactory.seed = 0


_ENGLISH = frozenset(
    word
    for line in (resources.files("watchfloor") / "data/lexicons/english_function_words.txt")
    .read_text("utf-8")
    .splitlines()
    if not line.startswith("#")
    for word in line.split()
)
_ENGLISH_SHARE = 0.22


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and probability of the text's language, (None, 0) when undecidable.

    Clearly English text is recognised from its function words (langdetect costs ~20 ms a
    document); anything else goes to langdetect.
    """
    sample = text[:4000]
    words = sample.lower().split()
    if len(words) < 5:
        return None, 0.0
    share = sum(1 for w in words if w in _ENGLISH) / len(words)
    if share >= _ENGLISH_SHARE:
        return "en", 1.0
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return None, 0.0
    return str(best.lang), float(best.prob)
