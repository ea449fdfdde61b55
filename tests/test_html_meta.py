"""The headline of an HTML page: its own <h1>, not the metadata title with the site's name."""

from __future__ import annotations

import lxml.html

from watchfloor.ingest.formats import extract_html
from watchfloor.ingest.html_meta import page_author, page_headline, strip_site_name

BODY = "<p>" + "Police in the northern district said the convoy was hit at dawn near the bridge. " * 6 + "</p>"


def _page(title: str, h1: str, site: str = "", charset: str = '<meta charset="utf-8">') -> bytes:
    site_meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    return (
        f"<html><head>{charset}<title>{title}</title>{site_meta}</head><body>"
        f"<header><a href='/'>Home</a></header><article><h1>{h1}</h1>{BODY}</article></body></html>"
    ).encode()


def test_site_name_at_either_end_is_cut() -> None:
    title = "Convoy hit near bridge | Frontier Ledger"
    assert strip_site_name(title, "Frontier Ledger", None) == "Convoy hit near bridge"
    assert strip_site_name("Frontier Ledger - Convoy hit near bridge", None, "https://www.frontierledger.org/a/1") == (
        "Convoy hit near bridge"
    )
    # A separator inside the headline itself stays when neither end names the site.
    assert strip_site_name("Kabul: convoy hit near bridge", "Frontier Ledger", None) == "Kabul: convoy hit near bridge"


def test_h1_wins_in_its_own_spelling() -> None:
    page = _page("“Nothing left” - convoy hit | Frontier Ledger", "„Nothing left“ – convoy hit", "Frontier Ledger")
    ex = extract_html(page)
    assert ex.title == "„Nothing left“ – convoy hit"


def test_kicker_in_front_of_the_h1_is_not_the_headline() -> None:
    heading = "<h1><span>Politics</span> | Convoy hit near the bridge at dawn</h1>"
    root = lxml.html.fromstring(f"<html><body>{heading}</body></html>")
    assert page_headline(root, "Convoy hit near the bridge at dawn", None, None) == "Convoy hit near the bridge at dawn"


def test_unrelated_h1_is_never_taken() -> None:
    root = lxml.html.fromstring("<html><body><h1>Frontier Ledger</h1><h1>Newsletter</h1></body></html>")
    assert page_headline(root, "Convoy hit near the bridge at dawn", "Frontier Ledger", None) == (
        "Convoy hit near the bridge at dawn"
    )
    assert page_headline(root, None, None, None) == "Frontier Ledger"


def test_heading_pieces_from_separate_elements_do_not_run_together() -> None:
    root = lxml.html.fromstring("<html><body><h1><span>Week in review</span><span>Convoy hit</span></h1></body></html>")
    assert page_headline(root, None, None, None) == "Week in review Convoy hit"
    root = lxml.html.fromstring("<html><body><h1><em>Convoy</em>: hit at dawn</h1></body></html>")
    assert page_headline(root, None, None, None) == "Convoy: hit at dawn"


def test_page_without_charset_keeps_its_accents() -> None:
    ex = extract_html(_page("Anschlag in Köln", "Anschlag in Köln: Polizei ermittelt", charset=""))
    assert "Köln" in ex.raw_text
    assert "KÃ" not in ex.raw_text
    assert ex.title == "Anschlag in Köln: Polizei ermittelt"


def test_author_outlet_beside_a_person_is_dropped() -> None:
    assert page_author("Rob Lantern; CNN", "CNN", "https://edition.cnn.com/a") == "Rob Lantern"
    assert page_author("Facebook Com; Amira Haddad", None, "https://frontier.example/a") == "Amira Haddad"


def test_author_that_is_the_site_alone_stays() -> None:
    # A blog's author is often the blog: with nobody else named, the site's name is the byline.
    assert page_author("Frontier Ledger", "Frontier Ledger", None) == "Frontier Ledger"


def test_author_byline_prefix_is_cut() -> None:
    assert page_author("Par Collectif Sahel", None, None) == "Collectif Sahel"
    assert page_author("By Amira Haddad; Jon Weller", None, None) == "Amira Haddad; Jon Weller"
    assert page_author(None, "Frontier Ledger", None) is None
