"""Speech attributed by a label instead of a verb: transcript lines ("PENCE: Well, look, …"),
headlines ("Pat Caddell: Democrat voters worried …") and quotes signed with a dash ("“…” ― Veronica
Cruz"). Text in, spans out; whether a label names a speaker is for the caller to decide against the
document's named people and groups ("Update:" or "Photo:" name nobody).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r"[A-Z][\w.'’\-]*(?:[ \t]+[A-Z][\w.'’\-]*){0,3}"
DASHES = ("--", "―", "—", "–")  # what signs a quotation ("“…” ― Veronica Cruz")
LABEL_CUES = frozenset({":", *DASHES})  # the cue of a labelled claim: the colon or the dash
_DASH = "|".join(DASHES)
# A paragraph opening with a capitalised name of one to four words, a colon, then the words spoken.
TRANSCRIPT = re.compile(rf"^[ \t]*[\"“]?(?P<label>{_NAME})[ \t]*(?P<cue>:)[ \t]+(?P<content>\S[^\n]*)", re.M)
# A paragraph that is one quotation (opened by a closing mark too: a common slip), a dash and the
# name of whoever said it.
SIGNED = re.compile(
    rf"^[ \t]*[\"“”](?P<content>[^\n]+?)[\"”][ \t\u00a0]*(?P<cue>{_DASH})[ \t\u00a0]*(?P<label>{_NAME})[^\n]*$",
    re.M,
)
_CLOSING = " \t\u00a0\"”’'"


@dataclass(frozen=True)
class LabelledSpeech:
    """Words spoken (``content``), the label naming who spoke them and the colon or dash between."""

    label: tuple[int, int]
    cue: tuple[int, int]
    content: tuple[int, int]
    form: str  # "transcript" or "signed"


def labelled_speech(text: str) -> list[LabelledSpeech]:
    """Every transcript line and signed quotation in the text, in text order."""
    found: list[LabelledSpeech] = []
    for m in TRANSCRIPT.finditer(text):
        start, end = m.span("content")
        while end > start and text[end - 1] in _CLOSING:
            end -= 1
        if len(text[start:end].split()) >= 2:
            found.append(LabelledSpeech(m.span("label"), m.span("cue"), (start, end), "transcript"))
    for m in SIGNED.finditer(text):
        start, end = m.span("content")
        label_start, label_end = m.span("label")
        while label_end > label_start and text[label_end - 1] in ".,":  # "― Carla Sanchez."
            label_end -= 1
        if len(text[start:end].split()) >= 2:
            found.append(LabelledSpeech((label_start, label_end), m.span("cue"), (start, end), "signed"))
    return sorted(found, key=lambda s: s.cue)
