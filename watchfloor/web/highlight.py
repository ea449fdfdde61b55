"""Turn a document's text and its extracted spans into escaped HTML with the spans highlighted.

Pure: text and spans in, :class:`markupsafe.Markup` out. Article text is untrusted, so every piece of it
goes through :func:`markupsafe.escape`; only tags built here are emitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Span:
    """One highlighted stretch of text: ``layer`` is the CSS class (mention, claim, relation, event)."""

    start: int
    end: int
    layer: str
    title: str = ""
    href: str | None = None  # mentions link to their entity
    extra_class: str = ""


@dataclass
class _Segment:
    start: int
    end: int
    spans: list[Span] = field(default_factory=list)


def _segments(text: str, spans: Iterable[Span]) -> list[_Segment]:
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    segments = [_Segment(a, b) for a, b in pairwise(cuts) if b > a]
    # Spans are few per document (hundreds) and segments are ordered, so a sweep keeps this linear-ish.
    ordered = sorted(valid, key=lambda s: (s.start, -s.end))
    i = 0
    for seg in segments:
        while i < len(ordered) and ordered[i].end <= seg.start:
            i += 1
        for span in ordered[i:]:
            if span.start >= seg.end:
                break
            if span.start <= seg.start and span.end >= seg.end:
                seg.spans.append(span)
    return segments


def highlight(text: str, spans: Iterable[Span], focus: tuple[int, int] | None = None) -> Markup:
    """HTML of ``text`` with each span wrapped by its layers; the ``focus`` range gets ``id="hl"``."""
    out: list[str] = []
    focus_marked = False
    for seg in _segments(text, [*spans, *([Span(focus[0], focus[1], "focus")] if focus else [])]):
        piece = str(escape(text[seg.start : seg.end]))
        if not seg.spans:
            out.append(piece)
            continue
        classes = sorted({f"hl-{s.layer}" for s in seg.spans} | {s.extra_class for s in seg.spans if s.extra_class})
        titles = [s.title for s in seg.spans if s.title]
        attrs = f' class="{escape(" ".join(classes))}"'
        if titles:
            attrs += f' title="{escape(" · ".join(dict.fromkeys(titles)))}"'
        if any(s.layer == "focus" for s in seg.spans) and not focus_marked:
            attrs += ' id="hl"'
            focus_marked = True
        href = next((s.href for s in seg.spans if s.href), None)
        tag = "a" if href else "span"
        if href:
            attrs += f' href="{escape(href)}"'
        out.append(f"<{tag}{attrs}>{piece}</{tag}>")
    return Markup("".join(out))


def mark_snippet(snippet: str, open_mark: str, close_mark: str) -> Markup:
    """Escape an FTS snippet and turn its match markers into ``<mark>`` elements."""
    escaped = str(escape(snippet))
    return Markup(escaped.replace(open_mark, "<mark>").replace(close_mark, "</mark>"))
