"""A bounded fuzz target for the importers (text, Markdown, HTML, PDF): whatever the bytes, building a
document either succeeds or raises the ``ValueError``/``FormatError`` the ingest run turns into one
"skipped" line; nothing else escapes, and nothing hangs.

CI runs a few hundred derandomised cases (well under a minute). For a longer hunt:
``WATCHFLOOR_FUZZ_EXAMPLES=20000 pytest -q tests/test_fuzz_importers.py -p no:cacheprovider``.
"""

from __future__ import annotations

import io
import os
import time
from functools import cache

from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watchfloor.ingest.document import build_document
from watchfloor.models import RawInput

EXAMPLES = int(os.environ.get("WATCHFLOOR_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="WATCHFLOOR_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
SLOWEST_S = 20.0  # one input may not take longer than this (a hang shows as a failure, not a stuck CI job)


def importable(kind: str, data: bytes, url: str | None = None) -> None:
    started = time.monotonic()
    try:
        doc = build_document(RawInput(source=f"fuzz.{kind}", kind=kind, data=data, url=url))
    except ValueError:  # FormatError is a ValueError: "skipped FILE: reason"
        pass
    else:
        assert isinstance(doc.text, str) and isinstance(doc.title, str | None)
        for span in doc.removed:
            assert 0 <= span.start <= span.end
    assert time.monotonic() - started < SLOWEST_S


@cache
def sample_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.set_title("Raid in Kunar")
    pdf.multi_cell(0, 8, "Asadabad, June 4, 2026. Security forces said they killed three fighters in a night raid. "
                         "A bomb wounded five people at a market two days earlier, officials said.")  # fmt: skip
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


TAGS = st.sampled_from(["p", "div", "article", "script", "style", "nav", "h1", "title", "meta", "a", "table", "td",
                        "svg", "iframe", "noscript", "br", "img", "li", "footer", "template", "!--",
                        "![CDATA["])  # fmt: skip
WORDS = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    parts = ["<!doctype html>" if draw(st.booleans()) else "", "<html><head>"]
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(TAGS)
        attrs = "".join(f' {draw(st.sampled_from(["class", "content", "property", "href", "onerror", "lang"]))}='
                        f'"{draw(WORDS)}"' for _ in range(draw(st.integers(0, 2))))  # fmt: skip
        parts.append(f"<{tag}{attrs}>{draw(WORDS)}" + (f"</{tag}>" if draw(st.booleans()) else ""))
    text = "".join(parts)
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
    return text.encode(encoding, errors="replace")


@st.composite
def mutated_pdfs(draw: st.DrawFn) -> bytes:
    data = bytearray(sample_pdf())
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 256))]
    return bytes(data)


@FUZZ
@given(st.one_of(st.binary(max_size=3000), WORDS.map(lambda s: s.encode("utf-8"))), st.sampled_from(["txt", "md"]))
def test_text_and_markdown_importers_survive_any_bytes(data: bytes, kind: str) -> None:
    importable(kind, data)


@FUZZ
@given(
    st.one_of(html_pages(), st.binary(max_size=3000)), st.one_of(st.none(), st.just("https://example.org/2024/05/06/x"))
)
def test_html_importer_survives_hostile_markup(data: bytes, url: str | None) -> None:
    importable("html", data, url)


@FUZZ
@given(st.one_of(mutated_pdfs(), st.binary(max_size=2000).map(lambda b: b"%PDF-1.4\n" + b)))
def test_pdf_importer_survives_damaged_files(data: bytes) -> None:
    importable("pdf", data)


def test_the_unmutated_pdf_is_read() -> None:
    doc = build_document(RawInput(source="ok.pdf", kind="pdf", data=sample_pdf()))
    assert "night raid" in doc.text
