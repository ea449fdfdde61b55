"""Complete dates the statistical NER misses or cuts become DATE entities, so an event is dated from
the date its sentence states."""

from __future__ import annotations

from datetime import date

from spacy.language import Language

from watchfloor.extract.events import extract_events
from watchfloor.extract.info import entity_info
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.link.places import load_place_index
from watchfloor.nlp.dates import complete_date_spans
from watchfloor.nlp.pipeline import load_base_model

HEADLINE_AND_ATTACK = (
    "Bus attack in Quetta\n\nGunmen opened fire on a bus in Quetta on 5 May 2023, killing nine passengers."
)


def test_only_unambiguous_complete_dates_are_found() -> None:
    text = "On May 5, 2023 and 2023-05-04, not 5/4/2023 nor May 2023; 23.05.2023 too."
    assert [text[s:e] for s, e in complete_date_spans(text)] == ["May 5, 2023", "2023-05-04", "23.05.2023"]


def test_the_bare_model_misses_the_date_and_the_pipeline_has_it(nlp: Language) -> None:
    bare = load_base_model()("Gunmen attacked a bus on 5 May 2023.")
    assert "5 May 2023" not in [e.text for e in bare.ents if e.label_ == "DATE"]
    doc = nlp("Gunmen attacked a bus on 5 May 2023. On May 5, 2023, police said so.")
    dates = [e.text for e in doc.ents if e.label_ == "DATE"]
    assert dates == ["5 May 2023", "May 5, 2023"]
    assert "2023" not in [e.text for e in doc.ents if e.label_ == "CARDINAL"]


def test_a_weekday_date_the_ner_already_holds_is_kept_whole(nlp: Language) -> None:
    doc = nlp("The blast on Friday, 3 March 2022 killed four.")
    assert any("3 March 2022" in e.text for e in doc.ents if e.label_ == "DATE")


def test_an_undated_article_dates_its_event_from_the_stated_date(nlp: Language, gazetteer: Gazetteer) -> None:
    doc = nlp(HEADLINE_AND_ATTACK)
    linked = Linker(gazetteer, load_place_index()).link(doc)
    events = extract_events(doc, linked.mentions, None, entity_info(gazetteer, linked.entities), date(2023, 5, 5))
    assert [(e.date, e.date_precision, e.date_method) for e in events] == [("2023-05-05", "day", "text")]


def test_an_entity_that_is_only_a_month_and_a_year_is_a_date(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("ISKP's September 2022 attack on the Russian embassy in Kabul killed two diplomats.")
    assert ("September 2022", "DATE") in [(e.text, e.label_) for e in doc.ents]
