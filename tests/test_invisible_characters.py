"""Soft hyphens and zero-width spaces inside words (pasted from web pages, &shy; in HTML) are dropped
before cleaning, so "Kun­duz" is the city and "Af­ghanistan" the country; PDF ligatures are spelt out;
joiners that shape Persian and Pashto words stay."""

from __future__ import annotations

from datetime import date

from spacy.language import Language

from watchfloor.eval.pages import title_matches
from watchfloor.ingest.decode import plain_characters
from watchfloor.ingest.document import build_document
from watchfloor.models import RawInput
from watchfloor.nlp.truecase import for_parser

SHY, ZWSP, ZWNJ = "\u00ad", "\u200b", "\u200c"
BODY = (
    f"On 8 October 2021 a suicide bomber attacked a Shia mosque in Kun{SHY}duz, Af{SHY}ghanistan, during "
    f"Friday prayers. The Tali{ZWSP}ban said the Islamic State Khorasan Province carried out the attack."
)


def test_invisible_characters_are_dropped_ligatures_spelt_out_and_joiners_kept() -> None:
    assert plain_characters(f"Kun{SHY}duz{ZWSP} and \ufeffmore") == "Kunduz and more"
    assert plain_characters("ofﬁcials said the ﬁghters opened ﬁre; the conﬂict, the ﬀ") == (
        "officials said the fighters opened fire; the conflict, the ff"
    )
    persian = f"می{ZWNJ}خواهم"
    assert plain_characters(persian) == persian


def test_pasted_text_with_soft_hyphens_names_the_place(nlp: Language) -> None:
    doc = build_document(
        RawInput("kunduz.txt", "txt", f"Mosque attack in Kunduz\n\n{BODY}\n".encode()), date(2026, 1, 1)
    )
    assert SHY not in doc.text and ZWSP not in doc.text and "Kunduz, Afghanistan" in doc.text
    ents = {(e.text, e.label_) for e in nlp(doc.text).ents}
    assert ("Kunduz", "GPE") in ents and ("Afghanistan", "GPE") in ents


def test_html_soft_hyphens_leave_title_and_text() -> None:
    html = (
        "<html><head><title>Mosque attack in Kun&shy;duz</title></head><body><article>"
        f"<h1>Mosque attack in Kun&shy;duz</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>"
    )
    doc = build_document(RawInput("kunduz.html", "html", html.encode()), date(2026, 1, 1))
    assert doc.title == "Mosque attack in Kunduz"
    assert SHY not in doc.text and "mosque in Kunduz" in doc.text
    assert all(SHY not in span.text for span in doc.removed)


def test_titles_compare_without_invisible_characters() -> None:
    # trafilatura_eval's gold keeps the page's soft hyphens; a reader sees the same title without them.
    assert title_matches("Deutschland steht fest", f"Deutsch{SHY}land steht fest")


def test_non_breaking_spaces_inside_a_name_do_not_hide_it(nlp: Language) -> None:
    text = "Fighters of the Islamic\u00a0State Khorasan\u00a0Province killed\u00a012\u202fpeople in Kabul."
    assert "iskp" not in {e.ent_id_ for e in nlp(text).ents}  # spaCy makes each &nbsp; a token of its own
    parsed = for_parser(text)
    assert len(parsed) == len(text) and "\u00a0" not in parsed
    doc = nlp(parsed)
    assert ("Islamic State Khorasan Province", "iskp") in {(e.text, e.ent_id_) for e in doc.ents}
