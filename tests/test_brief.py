"""The analyst brief: every sentence cites numbered sources that exist; the PDF really renders."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pypdfium2
from pypdf import PdfReader

from tests.conftest import invoke_cli

SECTIONS = ("Bottom line up front", "Key judgements", "Recent events", "Actor relationships",
            "What experts forecast", "Where they disagree", "Sources")  # fmt: skip


def _brief(demo_db: Path, out: Path, *extra: str) -> str:
    result = invoke_cli("brief", "--about", "ISKP", "--db", str(demo_db), "-o", str(out), *extra)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_markdown_brief_cites_every_sentence_and_lists_its_sources(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "iskp.md"
    _brief(demo_db, out)
    text = out.read_text("utf-8")
    positions = [text.index(f"## {s}") for s in SECTIONS]
    assert positions == sorted(positions)
    sources = re.findall(r"^(\d+)\. .+\(watchfloor doc ([0-9a-f]{16})\)$", text, re.M)
    numbers = {int(n) for n, _doc in sources}
    assert numbers == set(range(1, len(sources) + 1))
    bullets = [line for line in text.splitlines() if line.startswith("- ") and "Nothing in the store" not in line]
    assert bullets
    for line in bullets:
        cited = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        assert cited and set(cited) <= numbers, line
    events = json.loads(invoke_cli("events", "--actor", "ISKP", "--db", str(demo_db), "--json").stdout)
    table_rows = [line for line in text.splitlines() if re.match(r"\| \d{4}", line)]
    assert len(table_rows) == min(len(events), 25)
    assert (tmp_path / "brief-chart-1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_html_brief_is_self_contained_and_escaped(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "iskp.html"
    _brief(demo_db, out, "--since", "2022-01-01")
    page = out.read_text("utf-8")
    assert "Content-Security-Policy" in page and "<script" not in page
    assert page.count("data:image/png;base64,") == 2  # events and casualties per month
    assert "Sources published since 2022-01-01" in page


def test_pdf_brief_renders_to_images(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "iskp.pdf"
    _brief(demo_db, out)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Bottom line up front" in text and "Islamic State Khorasan Province" in text
    pdf = pypdfium2.PdfDocument(str(out))
    assert len(pdf) >= 2
    image = pdf[0].render(scale=1).to_pil().convert("L")
    lo, hi = image.getextrema()
    assert hi - lo > 100  # ink on paper, not a blank page
    image.save(tmp_path / "page1.png")
    assert (tmp_path / "page1.png").stat().st_size > 5000


def test_brief_errors(demo_db: Path, tmp_path: Path) -> None:
    result = invoke_cli("brief", "--about", "Nobody Known", "--db", str(demo_db), "-o", str(tmp_path / "x.md"))
    assert result.returncode == 1 and "no actor named" in result.stderr
    result = invoke_cli("brief", "--about", "ISKP", "--db", str(demo_db), "-o", str(tmp_path / "x.docx"))
    assert result.returncode == 1 and "cannot tell the format" in result.stderr


def _hostile_brief() -> Any:
    from watchfloor.export.brief import Brief, Sentence

    payload = "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) ![t](http://x/t.png)"
    return Brief(
        title=f"Brief: {payload}",
        scope="Sources <b>all</b>",
        bluf=[Sentence(f"ISKP said {payload}\n# not a heading", [1])],
        events=[
            {
                "date": "2024-01-02",
                "event_type": "attack",
                "attack_type": "<svg onload=alert(4)>",
                "place": "K",
                "country": "AF",
                "perpetrator": "<i>x</i>",
                "perpetrator_status": "claimed",
                "killed": 3,
                "killed_low": None,
                "refs": [1],
            }
        ],
        sources=[
            {
                "n": 1,
                "title": payload,
                "publisher": "<p>",
                "published": "2024",
                "url": "javascript:alert(5)",
                "doc_id": "0123456789abcdef",
            },
            {
                "n": 2,
                "title": "ok",
                "publisher": None,
                "published": None,
                "url": "https://example.org/a?b=1",
                "doc_id": "0123456789abcdee",
            },
        ],
    )


def test_markdown_brief_escapes_html_and_links_from_articles() -> None:
    from watchfloor.export.brief import to_markdown

    text = to_markdown(_hostile_brief())
    for raw in ("<script", "<img", "<svg", "<i>", "<b>", "<p>", "javascript:alert(5)>", "![t]"):
        assert raw not in text, raw
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # only an escaped bracket precedes it
    assert "&lt;script&gt;" in text and "\\[click\\]" in text
    assert "<https://example.org/a?b=1>" in text
    assert "\n# not a heading" not in text
    assert re.search(r"^- ISKP said .+ \[1\]$", text, re.M)


def test_html_brief_links_only_http_urls() -> None:
    from watchfloor.export.brief import to_html

    page = to_html(_hostile_brief())
    assert "href='javascript" not in page and 'href="javascript' not in page
    assert "<a href='https://example.org/a?b=1'>" in page
    assert "<script" not in page and "<img src=x" not in page
