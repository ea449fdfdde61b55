#!/usr/bin/env python3
"""Render the demo PDF(s) for the watchfloor demo corpus.

Every tools/demo-pdf-source/<name>.txt becomes
watchfloor/data/demo/<name>.pdf, rendered with fpdf2 and the core
Helvetica font.  Core fonts only cover latin-1, so typographic characters
(curly quotes, dashes, ellipsis, non-breaking spaces...) are mapped to
ASCII first, and anything else outside latin-1 is replaced with '?'.

Layout conventions of the source text:
  * the first non-empty line is the document header (small caps style),
  * the first line that follows a blank line after the header block and
    looks like a title (no final period) is rendered large,
  * short lines without a final period that stand alone are headings,
  * lines starting with "- " or "1. " are list items,
  * everything else is body text, one paragraph per line.

Usage:  python tools/make_demo_pdf.py [--src DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from fpdf import FPDF

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SRC = REPO / "tools" / "demo-pdf-source"
DEFAULT_OUT = REPO / "watchfloor" / "data" / "demo"

ASCII_MAP = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2032": "'",
    "\u2033": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": " - ",
    "\u2015": " - ",
    "\u2212": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\u00b7": "-",
    "\u00a0": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u202f": " ",
    "\u200b": "",
    "\ufeff": "",
}


def to_latin1(text: str) -> str:
    for k, v in ASCII_MAP.items():
        text = text.replace(k, v)
    text = re.sub(r" {2,}", " ", text)
    return text.encode("latin-1", "replace").decode("latin-1")


class BriefPDF(FPDF):
    def __init__(self, header_text: str):
        super().__init__(format="A4")
        self.header_text = header_text
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)

    def header(self):
        if self.page_no() == 1:
            return
        self.set_font("Helvetica", "I", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 6, self.header_text, align="R")
        self.ln(10)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 10, f"Page {self.page_no()}", align="C")
        self.set_text_color(0, 0, 0)


def is_heading(line: str) -> bool:
    return (
        len(line) < 60
        and not line.endswith((".", ":", "?", "!", '"'))
        and not line.startswith(("- ", "(c)"))
        and not re.match(r"\d+\. ", line)
    )


def render(src: Path, out: Path) -> None:
    raw = to_latin1(src.read_text(encoding="utf-8"))
    lines = [ln.rstrip() for ln in raw.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)

    # header block = lines until the first blank line
    head = []
    while lines and lines[0].strip():
        head.append(lines.pop(0).strip())
    while lines and not lines[0].strip():
        lines.pop(0)
    title = lines.pop(0).strip() if lines else src.stem

    pdf = BriefPDF(head[0] if head else "")
    pdf.set_title(title)
    pdf.set_author(head[0].title() if head else "")
    pdf.set_creator("watchfloor tools/make_demo_pdf.py")
    pdf.add_page()
    width = pdf.epw

    if head:
        pdf.set_font("Helvetica", "B", 11)
        pdf.set_text_color(30, 60, 110)
        pdf.multi_cell(width, 6, head[0])
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("Helvetica", "", 9)
        for h in head[1:]:
            pdf.multi_cell(width, 5, h)
        pdf.ln(4)

    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(width, 8, title)
    pdf.ln(3)

    for line in lines:
        text = line.strip()
        if not text:
            pdf.ln(2)
            continue
        if text.startswith("Authors:"):
            pdf.set_font("Helvetica", "I", 10)
            pdf.multi_cell(width, 5.5, text)
            pdf.ln(1)
        elif text.startswith("- ") or re.match(r"\d+\. ", text):
            pdf.set_font("Helvetica", "", 10)
            bullet, rest = ("-", text[2:]) if text.startswith("- ") else text.split(" ", 1)
            pdf.set_x(pdf.l_margin + 4)
            pdf.cell(6, 5.5, bullet)
            pdf.multi_cell(width - 10, 5.5, rest)
        elif text.startswith("(c)"):
            pdf.ln(4)
            pdf.set_font("Helvetica", "I", 8)
            pdf.multi_cell(width, 4.5, text)
        elif is_heading(text):
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(width, 6.5, text)
            pdf.ln(1)
        else:
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(width, 5.5, text)
            pdf.ln(1)

    pdf.output(str(out))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    sources = sorted(args.src.glob("*.txt"))
    if not sources:
        print(f"no .txt sources in {args.src}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for src in sources:
        dest = args.out / f"{src.stem}.pdf"
        render(src, dest)
        print(f"wrote {dest.relative_to(REPO) if dest.is_relative_to(REPO) else dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
