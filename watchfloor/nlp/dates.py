"""Complete dates the statistical NER misses or cuts ("Gunmen attacked a bus on 5 May 2023." tagged
"5" as a number; "May 5, 2023" cut to "May 5" and a cardinal "2023"), set as DATE entities.

The dates are those ``ingest.metadata.dates_in_line`` reads (day, month by name or number, year; in
the languages of the month lexicon), kept only when unambiguous: a numeric date reads the same day-first
and month-first ("2023-05-04", "23.05.2023", not "5/4/2023"). A DATE or TIME entity that already holds
the date is kept as it is ("Friday, 3 March 2022"); any other entity overlapping it gives way.
"""

from __future__ import annotations

import re
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

_LINE = re.compile(r"[^\n]+")


def complete_date_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the unambiguous complete dates in ``text``."""
    from watchfloor.ingest.metadata import dates_in_line

    out = []
    for m in _LINE.finditer(text):
        line = m.group()
        if not any(c.isdigit() for c in line):
            continue
        day_first = {(h.start, h.end): h.day for h in dates_in_line(line, date.max)}
        month_first = {(h.start, h.end): h.day for h in dates_in_line(line, date.max, True)}
        out += [(m.start() + s, m.start() + e) for (s, e), day in day_first.items() if month_first.get((s, e)) == day]
    return out


# A month and a year, the whole of an entity the NER gave another label ("ISKP's September 2022 attack":
# EVENT).
_MONTH_YEAR = re.compile(
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.? (?:19|20)\d\d"
)


@Language.component("complete_dates")
def complete_dates(doc: Doc) -> Doc:
    """After the NER: every unambiguous complete date is a DATE entity, and so is an entity that is only a
    month and a year."""
    relabelled = [
        Span(doc, e.start, e.end, label="DATE")
        if e.label_ not in ("DATE", "TIME") and _MONTH_YEAR.fullmatch(e.text)
        else e
        for e in doc.ents
    ]
    if any(a is not b for a, b in zip(relabelled, doc.ents, strict=True)):
        doc.ents = relabelled
    spans = complete_date_spans(doc.text)
    if not spans:
        return doc
    ents = list(doc.ents)
    added: list[Span] = []
    for start, end in spans:
        span = doc.char_span(start, end, label="DATE", alignment_mode="expand")
        if span is None:
            continue
        if any(e.label_ in ("DATE", "TIME") and e.start <= span.start and span.end <= e.end for e in ents):
            continue  # the NER already has it, maybe with its weekday
        ents = [e for e in ents if e.end <= span.start or e.start >= span.end]
        added.append(span)
    if added:
        doc.ents = filter_spans([*ents, *added])
    return doc
