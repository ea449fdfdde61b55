"""Language identification (langdetect, seeded so results are repeatable)."""

from __future__ import annotations

from langdetect import DetectorFactory, LangDetectException, detect_langs

DetectorFactory.seed = 0


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and probability of the text's language, (None, 0) when undecidable."""
    sample = text[:4000]
    if len(sample.split()) < 5:
        return None, 0.0
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return None, 0.0
    return str(best.lang), float(best.prob)
