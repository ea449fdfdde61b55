"""Datelines at the head of a paragraph: "KABUL, Afghanistan (Wire) —", "WASHINGTON --", "Kabul, 3 May –".

A dateline says where a story was filed; its place is never the subject of the sentence that follows,
though a parser often takes it as one ("WASHINGTON -- President X, opening the museum, said ...").
"""

from __future__ import annotations

import re

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = rf"(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}})(?:,?\s+(?:19|20)\d{{2}})?"
_CAPS_PLACE = r"[A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]+){0,3}"
_TITLE_PLACE = r"[A-Z][a-z'.-]+(?:\s+[A-Z][a-z'.-]+){0,3}"
_REGION = r"(?:,\s+[A-Z][A-Za-z'.-]+(?:\s+[A-Z][A-Za-z'.-]+){0,2})"
_AGENCY = r"(?:\s*\([^()\n]{1,40}\))"
_DASH = r"\s*(?:--|–|—|-\s)\s*"
# ALL-CAPS places need only the dash; a title-case place must also carry a region, a date or an agency,
# so "Officials - not ..." at a paragraph's head is not read as a dateline.
DATELINE = re.compile(
    rf"(?:{_CAPS_PLACE}{_REGION}{{0,2}}(?:,?\s+{_DATE})?{_AGENCY}?"
    rf"|{_TITLE_PLACE}(?:{_REGION}{{1,2}}(?:,?\s+{_DATE})?|,?\s+{_DATE}|{_REGION}{{0,2}}{_AGENCY})){_DASH}"
)


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the datelines opening the text's paragraphs (the dash included)."""
    out = []
    for m in re.finditer(r"(?:^|\n)[ \t]*", text):
        found = DATELINE.match(text, m.end())
        if found is not None and found.end() > found.start():
            out.append((found.start(), found.end()))
    return out
