"""Tables in HTML: a data table in the article is text; a page laid out in one table is not."""

from __future__ import annotations

from watchfloor.ingest.document import build_document
from watchfloor.ingest.formats import extract_html
from watchfloor.models import RawInput

PARAS = "".join(
    f"<p>Paragraph {i}: the provincial police said the attack on the checkpoint began before dawn and "
    f"lasted for about two hours before reinforcements arrived from the district centre.</p>"
    for i in range(6)
)
DATA_TABLE = (
    "<table><tr><th>District</th><th>Attacks in 2024</th></tr>"
    "<tr><td>Bannu</td><td>41 recorded incidents</td></tr><tr><td>Lakki Marwat</td><td>29 recorded incidents</td></tr>"
    "</table>"
)
SECTIONS = ("Home", "National", "Tribal Areas", "Business", "Sport", "Opinion", "Letters", "Archives", "Contact us")
MENU = "".join(f"<a href='/{name.lower()}'>{name}</a><br>" for name in SECTIONS)


def test_data_table_inside_an_article_is_kept() -> None:
    article = f"<article><h1>Checkpoint attack</h1>{PARAS}{DATA_TABLE}</article>"
    page = f"<html><body><nav>{MENU}</nav>{article}</body></html>"
    ex = extract_html(page.encode())
    assert "41 recorded incidents" in ex.main_text


def test_page_laid_out_in_a_table_does_not_bring_its_menu() -> None:
    page = (
        "<html><body><table><tr><td>" + MENU + "</td><td><h1>Checkpoint attack</h1>" + PARAS + "</td></tr></table>"
        "</body></html>"
    )
    doc = build_document(RawInput("page.html", "html", page.encode()))
    assert "Paragraph 3" in doc.text
    assert "Tribal Areas" not in doc.text
    assert any("Tribal Areas" in span.text for span in doc.removed)  # removed, with its reason
