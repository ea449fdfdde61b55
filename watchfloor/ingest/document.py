"""Turn one raw input into a clean document: extract, clean furniture, find metadata."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from watchfloor.ingest import dates
from watchfloor.ingest.clean import CleanedLines, classify_line, clean_text_lines, split_lines
from watchfloor.ingest.formats import (
    Extracted,
    extract_html,
    extract_markdown,
    extract_pdf,
    extract_plain,
)
from watchfloor.ingest.metadata import dates_in_line, read_plain_metadata
from watchfloor.ingest.unwrap import join_lines
from watchfloor.models import CleanDocument, PublishedDate, RawInput, RemovedSpan

_BYLINE = re.compile(r"^[Bb]y\s+(?P<name>[A-Z][\w.'-]+(?:\s+(?:[A-Z][\w.'-]+|and|&)){0,6})(?:\s*[,|–-].*)?$")
MAX_HEADER_LINES = 6
MAX_STAMP_LINES = 25


def extract(raw: RawInput) -> Extracted:
    """Dispatch on format."""
    if raw.kind == "html":
        return extract_html(raw.data, raw.url)
    if raw.kind == "pdf":
        return extract_pdf(raw.data)
    if raw.kind == "md":
        return extract_markdown(raw.data)
    return extract_plain(raw.data)


def _html_furniture(raw_lines: list[str], ex: Extracted, cleaned: CleanedLines) -> list[float] | None:
    """P(furniture) of a page's visible lines from what the HTML cleaner kept: a kept line has the line
    model's probability, the headline is kept, every line trafilatura dropped is furniture."""
    if cleaned.furniture is None:
        return None
    kept = {ex.main_text[s:e]: p for (s, e), p in zip(split_lines(ex.main_text), cleaned.furniture, strict=True)}
    if ex.title:
        kept.setdefault(ex.title.strip(), 0.5)
    return [kept.get(line, 0.9999) for line in raw_lines]


def build_document(raw: RawInput, today: date | None = None) -> CleanDocument:
    """Pure: raw input in, clean document with removed spans and publication date out."""
    today = today or date.today()
    ex = extract(raw)
    cleaned = clean_text_lines(ex.main_text)
    kept, removed_lines = cleaned.kept, cleaned.removed
    offset_base = 0 if ex.main_text is ex.raw_text or ex.main_text == ex.raw_text else None
    removed: list[RemovedSpan] = list(ex.removed)
    for span in removed_lines:
        start = span.start if offset_base == 0 else ex.raw_text.find(span.text)
        start = max(start, 0)
        removed.append(RemovedSpan(start, start + len(span.text), span.text, span.reason))

    publisher = ex.publisher
    author = ex.author
    title = ex.title
    published: PublishedDate | None = None
    meta_date = raw.meta.get("published")
    if meta_date:
        published = PublishedDate(meta_date[:10], "metadata", "supplied by the source")
    elif ex.date:
        published = PublishedDate(ex.date, "html-metadata", "page metadata or URL")
    elif raw.meta.get("feed_published"):
        published = PublishedDate(raw.meta["feed_published"], "feed", "RSS/Atom item date")
    published = published or dates.from_url(raw.url or ex.url)
    # Metadata lines (masthead, headline, byline, date stamp) are read from the raw lines first: the
    # cleaner below may drop exactly those lines.
    meta_source = ex.raw_text if raw.kind == "html" else ex.main_text
    raw_spans = split_lines(meta_source)
    raw_lines = [meta_source[s:e] for s, e in raw_spans]
    for line in raw_lines[:MAX_STAMP_LINES]:
        if published is None and (hl := dates.header_line(line)):
            publisher, published = publisher or hl[0], hl[1]
    # The cleaner's P(furniture) of each line is the headline ranker's too, when both read the same lines.
    furniture = cleaned.furniture if meta_source is ex.main_text else _html_furniture(raw_lines, ex, cleaned)
    plain = read_plain_metadata(raw_lines, today, month_first=_month_first(raw.url or ex.url), furniture=furniture)
    published = published or plain.published
    author = author or plain.author
    publisher = publisher or plain.publisher
    if author:
        author = author.strip(" ·•|,;") or None
    if title is None and raw.kind in ("txt", "md", "pdf") and plain.title:
        title = plain.title
    meta_starts = {raw_spans[i][0]: reason for i, reason in plain.meta_lines.items()}

    # Header lines: publisher/date stamps, "Published:" lines, bylines. They are metadata, not text.
    body: list[str] = []
    body_spans: list[tuple[int, int]] = []
    dateline_parts: tuple[str | None, int, int, int | None, str] | None = None
    for i, (start, end) in enumerate(kept):
        line = ex.main_text[start:end]
        if i < MAX_HEADER_LINES and (hl := dates.header_line(line)):
            publisher = publisher or hl[0]
            removed.append(_meta_span(ex.raw_text, line, "header line (publisher and date)"))
            continue
        if start in meta_starts and offset_base == 0:
            removed.append(RemovedSpan(start, end, line, meta_starts[start]))
            continue
        if i < MAX_HEADER_LINES and (bl := _BYLINE.match(line.strip())) and len(line) < 80:
            author = author or bl["name"]
            removed.append(_meta_span(ex.raw_text, line, "byline"))
            continue
        if dateline_parts is None and len(body) < MAX_HEADER_LINES:
            dateline_parts = dates.dateline(line)
        body.append(line)
        body_spans.append((start, end))

    if title is None and body and _title_like(body[0]):
        title = body[0].strip()
    if dateline_parts is not None:
        agency = dateline_parts[0]
        publisher = publisher or agency
        if published is None:
            month, day, year = dateline_parts[1], dateline_parts[2], dateline_parts[3]
            text_all = "\n".join(body)
            found = (
                dates.complete_dateline(month, day, text_all, today)
                if year is None
                else (dates._safe_date(year, month, day))
            )
            if found is not None:
                how = "dateline" if year else "dateline (year inferred from the text)"
                published = PublishedDate(found.isoformat(), how, dateline_parts[4])
    runs_on = [
        ex.main_text.count("\n", body_spans[i][1], body_spans[i + 1][0]) == 1 for i in range(len(body_spans) - 1)
    ] + [False]
    text = join_lines(body, runs_on) if raw.kind in ("txt", "pdf") else "\n\n".join(line.strip() for line in body)
    if published is None and ex.body_date and ex.body_date <= today.isoformat():
        # Last resort on HTML: htmldate's reading of dates in the page body (stamps near the headline first).
        published = PublishedDate(ex.body_date, "html-body", "a date shown on the page")
    if published is None:
        # Undated: no guess. The latest full date the article itself mentions bounds it from below.
        in_text = [hit.day for line in body for hit in dates_in_line(line, today)]
        bound = max(in_text).isoformat() if in_text else None
        published = PublishedDate(None, "none", "", not_before=bound)
    title = raw.meta.get("title") or title
    if title and not text.startswith(title.strip()) and raw.kind in ("html", "jsonl"):
        text = title.strip() + "\n\n" + text
    notes = list(ex.notes)
    if published.date is None:
        bound = f"; the text mentions dates up to {published.not_before}" if published.not_before else ""
        notes.append(f"publication date unknown{bound}: set it with `watchfloor doc ID --set-published DATE`")
    elif published.method not in ("metadata", "html-metadata", "feed", "url", "header-line", "dateline"):
        notes.append(f"publication date {published.date} found by {published.method}")
    return CleanDocument(
        source=raw.source,
        kind=raw.kind,
        raw_sha256=hashlib.sha256(raw.data).hexdigest(),
        raw_text=ex.raw_text,
        text=text,
        removed=sorted(removed, key=lambda r: r.start),
        title=title,
        publisher=raw.meta.get("source") or publisher,
        author=author,
        url=raw.url or ex.url,
        published=published,
        notes=notes,
        raw_data=raw.data if raw.kind in ("html", "pdf") else None,
    )


def _month_first(url: str | None) -> bool:
    """US pages write 10/18/2019 month first; elsewhere day first."""
    return bool(url) and not re.search(r"\.(?:uk|au|nz|ie|in|za|de|fr|es|it|nl|at|ch|eu)(?:/|$)", url or "")


def _meta_span(raw_text: str, line: str, reason: str) -> RemovedSpan:
    start = max(raw_text.find(line), 0)
    return RemovedSpan(start, start + len(line), line, reason)


def _title_like(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 25 and not line.rstrip().endswith((".", ",", ";")) and (classify_line(line) is None)
