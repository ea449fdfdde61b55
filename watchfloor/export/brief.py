"""An analyst brief about one actor: bottom line up front, key judgements, recent events, relationships,
forecasts and disagreements, numbered sources. Every sentence is a template filled from the store and
cites the documents its facts come from; nothing is invented.
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from watchfloor.workspace import Workspace

PREDICATE_WORDS = {
    "allied_with": "allied with",
    "hostile_to": "fighting",
    "attacks": "attacking",
    "hosts": "hosting",
    "supports": "supporting",
    "negotiates_with": "negotiating with",
    "member_of": "part of",
    "leads": "leading",
    "deputy_of": "deputy to",
    "founded": "founder of",
    "operates_in": "operating in",
    "sanctions": "sanctioning",
}
EVENT_LIMIT = 25


@dataclass
class Sentence:
    text: str
    refs: list[int]


@dataclass
class Brief:
    title: str
    scope: str
    bluf: list[Sentence] = field(default_factory=list)
    judgements: list[Sentence] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    relations: list[Sentence] = field(default_factory=list)
    forecasts: list[Sentence] = field(default_factory=list)
    disagreements: list[Sentence] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    charts: dict[str, bytes] = field(default_factory=dict)


class _Citations:
    """Numbers documents in the order the brief first cites them."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.numbers: dict[str, int] = {}
        self.sources: list[dict[str, Any]] = []

    def cite(self, sources: list[dict[str, Any]], most: int = 3) -> list[int]:
        refs = []
        for s in sources[:most]:
            doc_id = s["doc_id"]
            if doc_id not in self.numbers:
                doc = self.ws.document(doc_id)
                self.numbers[doc_id] = len(self.numbers) + 1
                self.sources.append(
                    {"n": self.numbers[doc_id], "doc_id": doc_id, "title": doc["title"] or doc["source"],
                     "publisher": doc["publisher"], "published": doc["published"], "url": doc["url"]}
                )  # fmt: skip
            refs.append(self.numbers[doc_id])
        return sorted(set(refs))


def _figure(value: int | None, low: int | None) -> str:
    if value is not None:
        return str(value)
    return f"at least {low}" if low is not None else "an unknown number of"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _killed(e: dict[str, Any]) -> int:
    return int(e["killed"] if e["killed"] is not None else e["killed_low"] or 0)


def _kind(e: dict[str, Any]) -> str:
    kind = e["attack_type"] if e["event_type"] == "attack" else e["event_type"]
    return str(kind or "attack").replace("_", " ")


def build_brief(ws: Workspace, about: str, since: str | None = None, until: str | None = None) -> Brief:
    """Gather the brief's sentences, tables and charts from the store."""
    actor = ws.actor(about, limit=1)
    name = actor["name"]
    cite = _Citations(ws)
    window = f"since {since}" if since else "in the store"
    if until:
        window += f" until {until}"
    brief = Brief(f"{name}: analyst brief", f"Sources published {window}; generated {date.today().isoformat()}.")
    events = ws.events(about, None, since, until, None, False, 100000, 0, "date DESC")
    relations = ws.relations(about, None, since, until, 1, 100000, 0)
    claims = [
        c for c in ws.claims(None, about, None, since, 100000, 0) if not until or (c["published"] or "") <= until + "~"
    ]

    if events:
        total = sum(_killed(e) for e in events)
        dates = sorted(e["date"] for e in events if e["date"])
        brief.bluf.append(
            Sentence(
                f"{len(events)} attacks and security events involving {name} were reported "
                + (f"between {dates[0]} and {dates[-1]}" if dates else "with no usable date")
                + (f", with at least {total} people killed in total." if total else "."),
                cite.cite([s for e in events[:3] for s in e["sources"][:1]]),
            )
        )
        worst = max(events, key=_killed)
        if _killed(worst):
            perp = f", {worst['perpetrator_status']} to {worst['perpetrator']}" if worst["perpetrator"] else ""
            where = worst["place"] or worst["country"] or "an unknown place"
            toll = _figure(worst["killed"], worst["killed_low"])
            brief.bluf.append(
                Sentence(
                    f"The deadliest was {_article(_kind(worst))} {_kind(worst)} in {where} on "
                    f"{worst['date'] or 'an unknown date'}, "
                    f"which killed {toll} people{perp}.",
                    cite.cite(worst["sources"]),
                )
            )
    if relations:
        top = relations[0]
        brief.bluf.append(
            Sentence(
                f"The relationship reported most often is {top['subject']} {PREDICATE_WORDS[top['predicate']]} "
                f"{top['object']} ({top['n_sources']} source{'s' if top['n_sources'] != 1 else ''}).",
                cite.cite(top["sources"]),
            )
        )
    forecasts = [c for c in claims if c["kind"] == "forecast"]
    if forecasts:
        status = Counter(c["status"] for c in forecasts)
        brief.bluf.append(
            Sentence(
                f"{len(forecasts)} forecasts about {name} were recorded: {status['supported']} supported by a later "
                f"matching event in the store, {status['contradicted']} contradicted by one (they expected it not to "
                f"happen), {status['expired']} expired without one, {status['open']} still open and "
                f"{status['open (no horizon)']} open with no horizon.",
                cite.cite([c["sources"][0] for c in forecasts[:3]]),
            )
        )

    for c in [c for c in claims if c["probability_words"] and c["kind"] in ("forecast", "assessment")][:10]:
        role = f" ({c['speaker_role']})" if c["speaker_role"] else ""
        horizon = f", horizon {c['horizon_start']} to {c['horizon_end']}" if c["horizon_end"] else ""
        band = c["probability_band"]
        brief.judgements.append(
            Sentence(
                f"{c['speaker']}{role} judged: “{c['text']}” — {c['probability_words']} "
                f"({int(band[0] * 100)}–{int(band[1] * 100)} %){horizon}.",
                cite.cite(c["sources"]),
            )
        )
    for e in events[:EVENT_LIMIT]:
        brief.events.append({**e, "refs": cite.cite(e["sources"])})
    for r in relations[:15]:
        qualifier = "denied: " if r["negated"] else "reportedly " if r["hedged"] else ""
        when = f" (stated valid from {r['valid_from']})" if r["valid_from"] else ""
        dispute = "; sources disagree" if r["contradicted"] else ""
        brief.relations.append(
            Sentence(
                f"{qualifier}{r['subject']} {PREDICATE_WORDS[r['predicate']]} {r['object']}{when} — "
                f"{r['n_sources']} source{'s' if r['n_sources'] != 1 else ''}, last seen {(r['last_seen'] or '')[:10]}"
                f"{dispute}.",
                cite.cite(r["sources"]),
            )
        )
    by_id = {c["id"]: c for c in claims}
    for c in forecasts[:12]:
        words = c["probability_words"] or "no stated confidence"
        brief.forecasts.append(
            Sentence(
                f"{c['speaker']} ({(c['published'] or '')[:10]}): “{c['text']}” — {words}; status {c['status']}.",
                cite.cite(c["sources"]),
            )
        )
    seen: set[tuple[int, int]] = set()
    for c in claims:
        for other_id in c["contradicts"]:
            other = by_id.get(other_id)
            pair = (min(c["id"], other_id), max(c["id"], other_id))
            if other is None or pair in seen:
                continue
            seen.add(pair)
            brief.disagreements.append(
                Sentence(
                    f"{c['speaker']} (“{c['text']}”) is contradicted by {other['speaker']} (“{other['text']}”).",
                    cite.cite([*c["sources"], *other["sources"]], most=4),
                )
            )
    brief.sources = cite.sources
    brief.charts = _charts(events)
    return brief


def _charts(events: list[dict[str, Any]]) -> dict[str, bytes]:
    """Events and people killed per month, as PNG images."""
    months = sorted({e["date"][:7] for e in events if e["date"] and len(e["date"]) >= 7})
    if not months:
        return {}
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = Counter(e["date"][:7] for e in events if e["date"] and len(e["date"]) >= 7)
    killed: Counter[str] = Counter()
    for e in events:
        if e["date"] and len(e["date"]) >= 7:
            killed[e["date"][:7]] += _killed(e)
    out = {}
    for name, series, colour in (
        ("Events per month", counts, "#1f4e79"),
        ("People killed per month", killed, "#a61c1c"),
    ):
        fig, ax = plt.subplots(figsize=(7, 2.6), dpi=110)
        ax.bar(months, [series[m] for m in months], color=colour)
        ax.set_title(name, fontsize=10)
        ax.tick_params(axis="x", labelrotation=60, labelsize=7)
        ax.tick_params(axis="y", labelsize=8)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
        out[name] = buffer.getvalue()
    return out


def _refs(refs: list[int]) -> str:
    return "".join(f"[{n}]" for n in refs)


def _event_row(e: dict[str, Any]) -> list[str]:
    perp = f"{e['perpetrator']} ({e['perpetrator_status']})" if e["perpetrator"] else "unknown"
    return [e["date"] or "", _kind(e), ", ".join(x for x in (e["place"], e["country"]) if x), perp,
            _figure(e["killed"], e["killed_low"]) if e["killed"] is not None or e["killed_low"] is not None else "",
            _refs(e["refs"])]  # fmt: skip


SECTIONS = (
    ("Bottom line up front", "bluf"),
    ("Key judgements", "judgements"),
    ("Actor relationships", "relations"),
    ("What experts forecast", "forecasts"),
    ("Where they disagree", "disagreements"),
)
EVENT_HEADER = ["date", "type", "place", "perpetrator", "killed", "sources"]


def md(text: object) -> str:
    """Store text made inert in Markdown: one line, HTML escaped (no raw ``<script>`` or ``<img onerror>``
    for a CommonMark renderer to pass through), and ``[`` ``]`` escaped so no link or image can be formed."""
    flat = " ".join(str(text).split())
    flat = flat.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return html.escape(flat, quote=False)


def safe_url(url: object) -> str | None:
    """``url`` when it is a plain http(s) address (no javascript:, data:, spaces, quotes or brackets)."""
    text = str(url or "").strip()
    if not text or any(c.isspace() or c in "<>\"'`\\" or ord(c) < 32 for c in text):
        return None
    parts = urlsplit(text)
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def to_markdown(brief: Brief, chart_dir: Path | None = None) -> str:
    """Markdown; charts are written as PNG files into ``chart_dir`` and linked when it is given.
    All text from the store passes through :func:`md`; only http(s) links are emitted."""
    lines = [f"# {md(brief.title)}", "", f"*{md(brief.scope)}*", ""]
    for title, attr in SECTIONS[:2]:
        lines += _md_section(title, getattr(brief, attr))
    lines += ["## Recent events", ""]
    if brief.events:
        lines += ["| " + " | ".join(EVENT_HEADER) + " |", "|" + "---|" * len(EVENT_HEADER)]
        for e in brief.events:
            *cells, refs = _event_row(e)
            lines.append("| " + " | ".join([*(md(c).replace("|", "/") for c in cells), refs]) + " |")
    else:
        lines.append("No events in the store for this window.")
    lines.append("")
    if chart_dir is not None:
        for i, (name, png) in enumerate(brief.charts.items(), 1):
            path = chart_dir / f"brief-chart-{i}.png"
            path.write_bytes(png)
            lines += [f"![{name}]({path.name})", ""]
    for title, attr in SECTIONS[2:]:
        lines += _md_section(title, getattr(brief, attr))
    lines += ["## Sources", ""]
    for s in brief.sources:
        url = safe_url(s["url"])
        shown = f", <{url}>" if url else (f", {md(s['url'])}" if s["url"] else "")
        lines.append(
            f"{s['n']}. {md(s['title'])} — {md(s['publisher'] or 'unknown publisher')}, "
            f"{md(s['published'] or 'undated')}{shown} (watchfloor doc {md(s['doc_id'])})"
        )
    return "\n".join(lines) + "\n"


def _md_section(title: str, sentences: list[Sentence]) -> list[str]:
    body = [f"- {md(s.text)} {_refs(s.refs)}" for s in sentences] or ["Nothing in the store for this window."]
    return [f"## {title}", "", *body, ""]


def to_html(brief: Brief) -> str:
    """A standalone HTML page (charts inline, no scripts, all text escaped)."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' "
        "content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">",
        f"<title>{e(brief.title)}</title><style>body{{font-family:sans-serif;max-width:52rem;margin:2rem auto;"
        "line-height:1.45}}table{{border-collapse:collapse}}td,th{{border:1px solid #bbb;padding:.2rem .4rem;"
        "font-size:.9rem}}sup{{color:#555}}</style></head><body>",
        f"<h1>{e(brief.title)}</h1><p><em>{e(brief.scope)}</em></p>",
    ]  # fmt: skip

    def section(title: str, sentences: list[Sentence]) -> None:
        parts.append(f"<h2>{e(title)}</h2>")
        items = "".join(f"<li>{e(s.text)} <sup>{e(_refs(s.refs))}</sup></li>" for s in sentences)
        parts.append(f"<ul>{items}</ul>" if items else "<p>Nothing in the store for this window.</p>")

    for title, attr in SECTIONS[:2]:
        section(title, getattr(brief, attr))
    parts.append("<h2>Recent events</h2>")
    if brief.events:
        head = "".join(f"<th>{e(h)}</th>" for h in EVENT_HEADER)
        rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in _event_row(ev)) + "</tr>" for ev in brief.events)
        parts.append(f"<table><tr>{head}</tr>{rows}</table>")
    for name, png in brief.charts.items():
        parts.append(f"<p><img alt='{e(name)}' src='data:image/png;base64,{base64.b64encode(png).decode()}'></p>")
    for title, attr in SECTIONS[2:]:
        section(title, getattr(brief, attr))
    parts.append("<h2>Sources</h2><ol>")
    for s in brief.sources:
        url = safe_url(s["url"])
        link = f" <a href='{e(url)}'>{e(url)}</a>" if url else (f" {e(str(s['url']))}" if s["url"] else "")
        parts.append(
            f"<li>{e(s['title'])} — {e(s['publisher'] or 'unknown publisher')}, {e(s['published'] or 'undated')}"
            f"{link} <small>(doc {e(s['doc_id'])})</small></li>"
        )
    parts.append("</ol></body></html>")
    return "".join(parts)


def to_pdf(brief: Brief) -> bytes:
    """A PDF (fpdf2, with the DejaVu font that matplotlib ships, so any Latin text prints)."""
    import matplotlib
    from fpdf import FPDF

    font = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf"
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.add_font("DejaVu", "", str(font / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(font / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, brief.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, brief.scope, new_x="LMARGIN", new_y="NEXT")

    def heading(title: str) -> None:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9.5)

    def sentences(items: list[Sentence]) -> None:
        for s in items or [Sentence("Nothing in the store for this window.", [])]:
            pdf.multi_cell(0, 5, f"• {s.text} {_refs(s.refs)}", new_x="LMARGIN", new_y="NEXT")

    for title, attr in SECTIONS[:2]:
        heading(title)
        sentences(getattr(brief, attr))
    heading("Recent events")
    if brief.events:
        with pdf.table(col_widths=(20, 26, 34, 40, 16, 18), text_align="LEFT", line_height=4.5) as table:
            table.row(EVENT_HEADER)
            for ev in brief.events:
                table.row(_event_row(ev))
    for png in brief.charts.values():
        pdf.image(io.BytesIO(png), w=170)
    for title, attr in SECTIONS[2:]:
        heading(title)
        sentences(getattr(brief, attr))
    heading("Sources")
    for s in brief.sources:
        pdf.multi_cell(
            0, 4.5,
            f"{s['n']}. {s['title']} — {s['publisher'] or 'unknown publisher'}, {s['published'] or 'undated'}"
            + (f", {s['url']}" if s["url"] else "") + f" (doc {s['doc_id']})",
            new_x="LMARGIN", new_y="NEXT",
        )  # fmt: skip
    return bytes(pdf.output())
