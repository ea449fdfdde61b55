"""Footnote marks pasted with the text ("Kabul[5][6].", "sediment.[1]", "(ISKP)[14]", and a report's
superscript numbers flattened by PDF extraction: "killed 12 people in Kabul.3 The group …").

Text copied from Wikipedia or a report keeps its citation marks glued to the words. spaCy's
tokenizer leaves "Kabul[5][6" as one token, so the city is no place, "mountains,[1" becomes an
organisation, and the marks' numbers become quantities. A flattened superscript glues the sentence end
to the next sentence ("Kabul.3 The" is one token: no place, no sentence break). The parser is given the
text with every mark blanked out (same length, so every span found is a span of the stored text, which
keeps its marks).
"""

from __future__ import annotations

import re

MARK = re.compile(
    r"(?:\[\d{1,3}\])+"  # "[1]", "[12][13]"
    # a footnote number glued to a word's sentence end ("Kabul.3 The", "attack.”14"), never a decimal ("3.5")
    r"|(?:(?<=[^\W\d_][.!?])|(?<=[.!?][\"”’)]))\d{1,3}(?=\s|$)"
)


def blank_marks(text: str) -> str:
    """``text`` with its footnote marks replaced by as many spaces."""
    return MARK.sub(lambda m: " " * len(m.group()), text)
