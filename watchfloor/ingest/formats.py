"""Per-format text extraction: plain text, Markdown, HTML (trafilatura) and PDF (pypdf)."""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from watchfloor.ingest.decode import decode_text, plain_characters
from watchfloor.ingest.html_meta import page_author, page_headline
from watchfloor.models import RemovedSpan

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?", re.MULTILINE)
_MD_RULE = re.compile(r"^\s{0,3}([-*_]\s*){3,}$", re.MULTILINE)
_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figcaption",
    "blockquote",
    "td",
    "th",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "nav",
    "ul",
    "ol",
    "figure",
    "br",
    "tr",
    "pre",
    "address",
    "dd",
    "dt",
    "button",
    "form",
    "label",
    "option",
    "span",
    "a",
}


@dataclass
class Extracted:
    """Text pulled out of one input, before furniture removal."""

    raw_text: str  # all visible text, the reference for removed-span offsets
    main_text: str  # the candidate main text (trafilatura's for HTML, the raw text otherwise)
    removed: list[RemovedSpan] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    body_date: str | None = None  # HTML only: htmldate's guess from the page body, a last resort
    url: str | None = None
    notes: list[str] = field(default_factory=list)


class FormatError(ValueError):
    """The input is not readable as its format claims."""


def extract_plain(data: bytes) -> Extracted:
    text, encoding = decode_text(data)
    notes = [] if encoding in ("utf-8", "ascii") else [f"decoded as {encoding}"]
    text = plain_characters(text.replace("\r\n", "\n").replace("\r", "\n"))
    return Extracted(raw_text=text, main_text=text, notes=notes)


def extract_markdown(data: bytes) -> Extracted:
    ex = extract_plain(data)
    title_match = re.search(r"^\s{0,3}#\s+(.+)$", ex.raw_text, re.MULTILINE)
    text = _MD_LINK.sub(r"\1", ex.raw_text)
    text = _MD_HEADING.sub("", text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_RULE.sub("", text)
    text = _MD_EMPH.sub(r"\2", text)
    ex.main_text = text
    ex.raw_text = text
    if title_match:
        ex.title = _MD_EMPH.sub(r"\2", title_match.group(1)).strip()
    return ex


def visible_text(root: lxml.html.HtmlElement) -> str:
    """The page's visible text, one block element per line."""
    for bad in root.xpath("//script|//style|//noscript|//template|//svg|//head"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(el: lxml.html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(root)
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def extract_html(data: bytes, url: str | None = None) -> Extracted:
    text, _encoding = decode_text(data)
    if not text.strip():
        raise FormatError("empty HTML page")
    try:
        # The text is already decoded: the parser must read these bytes as UTF-8, whatever charset the page
        # declares (or fails to declare; libxml2 would then fall back to Latin-1 and garble every accent).
        root = lxml.html.fromstring(text.encode("utf-8", errors="replace"), parser=_UTF8_PARSER)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise FormatError(f"HTML could not be parsed ({exc})") from exc
    page_text = plain_characters(visible_text(root))
    result = trafilatura.bare_extraction(
        text,
        url=url,
        with_metadata=True,
        include_comments=False,
        # Tables hold article text on real pages (price lists, results, specifications): on the
        # trafilatura_eval train part they add 1.6 points of snippet recall. A page laid out in a
        # table would bring its whole menu and sidebar with them, so its tables are left out.
        include_tables=not _table_layout(root),
        favor_precision=True,
        deduplicate=False,
    )
    main = plain_characters(getattr(result, "text", None) or "") if result is not None else ""
    if not main.strip():
        main = page_text  # trafilatura found no article block; the line cleaner still runs
        note = ["trafilatura found no main block; cleaned the whole page text"]
    else:
        note = []
    main_lines = {re.sub(r"\s+", " ", ln).strip() for ln in main.splitlines() if ln.strip()}
    title = page_headline(
        root,
        getattr(result, "title", None) if result is not None else None,
        getattr(result, "sitename", None) if result is not None else None,
        url,
    )
    title = plain_characters(title) if title else title
    if title:
        main_lines.add(re.sub(r"\s+", " ", title).strip())  # the headline is kept as the text's first line
    removed: list[RemovedSpan] = []
    pos = 0
    for line in page_text.split("\n"):
        start = pos
        pos += len(line) + 1
        if line in main_lines or any(line in m for m in main_lines if len(line) > 30):
            continue
        removed.append(RemovedSpan(start, start + len(line), line, "outside the main text"))
    ex = Extracted(raw_text=page_text, main_text=main, removed=removed, notes=note)
    ex.title = title
    if result is not None:
        ex.publisher = getattr(result, "sitename", None)
        ex.author = page_author(getattr(result, "author", None), ex.publisher, url)
        ex.url = getattr(result, "url", None) or url
    ex.date = _html_date(text, url)
    if ex.date is None:
        ex.body_date = _html_date(text, url, extensive=True)
    return ex


_LAYOUT_SHARE = 0.5  # a table holding this share of the page's text is the page's layout, not data


def _table_layout(root: lxml.html.HtmlElement) -> bool:
    """Whether one table holds most of the page's text (an old table layout)."""
    body = root.find("body")
    total = len((body if body is not None else root).text_content())
    if total == 0:
        return False
    # Outermost tables only: a nested table's text is part of its outer one's, so it never holds more.
    outer = root.xpath("//table[not(ancestor::table)]")
    return any(len(t.text_content()) >= _LAYOUT_SHARE * total for t in outer)


def _html_date(html: str, url: str | None, extensive: bool = False) -> str | None:
    """Publication date from the page's metadata and URL; with ``extensive``, htmldate's guess from the body."""
    from htmldate import find_date

    try:
        found = find_date(html, url=url, extensive_search=extensive, original_date=True)
    except (ValueError, TypeError):
        return None
    return str(found) if found else None


# pypdf reports what it repairs ("EOF marker not found") through logging and warnings; with no handler set,
# Python would print each as a stray second line under our own one-line message. The reason that matters
# reaches the user in the FormatError.
_PYPDF_LOG = logging.getLogger("pypdf")
_PYPDF_LOG.addHandler(logging.NullHandler())
_PYPDF_LOG.propagate = False


def extract_pdf(data: bytes) -> Extracted:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            pages = [page.extract_text() or "" for page in reader.pages]
            meta = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise FormatError(f"PDF is damaged or truncated ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # pypdf parses hostile bytes: whatever it raises means this file cannot be read
        raise FormatError(f"PDF cannot be read ({type(exc).__name__}: {str(exc)[:200]})") from exc
    text = "\n".join(pages).replace("\r\n", "\n")
    text = plain_characters(_join_pdf_lines(text))
    ex = Extracted(raw_text=text, main_text=text)
    if meta is not None:
        ex.title = (meta.title or None) if hasattr(meta, "title") else None
        ex.author = (meta.author or None) if hasattr(meta, "author") else None
    return ex


def _join_pdf_lines(text: str) -> str:
    """PDF text breaks lines inside paragraphs; rejoin lines that do not end a sentence."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            out.append("")
            continue
        if (
            out
            and out[-1]
            and not out[-1].endswith((".", ":", "?", "!", '"', "”"))
            and (line[:1].islower() or len(out[-1]) > 60)
        ):
            out[-1] = out[-1].rstrip("-") + ("" if out[-1].endswith("-") else " ") + line
        else:
            out.append(line)
    return "\n".join(out)
