"""Language identification: English is analysed, anything else is stored and flagged."""

from __future__ import annotations

from watchfloor.ingest.language import detect_language
from watchfloor.workspace import demo_corpus_path


def test_english_news_is_english() -> None:
    text = (
        "Gunmen attacked a police checkpoint near Peshawar on Sunday, killing four officers, a "
        "spokesman said. The Pakistani Taliban claimed the attack in a statement to reporters."
    )
    assert detect_language(text)[0] == "en"


def test_french_article_is_not_english() -> None:
    text = (demo_corpus_path() / "bamako-attaque-jnim-fr.txt").read_text("utf-8")
    assert detect_language(text)[0] == "fr"


def test_german_with_english_names_is_not_english() -> None:
    text = (
        "Die Polizei in Solingen hat am Samstag einen Verdächtigen festgenommen. Der Islamische Staat "
        "(IS) reklamierte den Anschlag für sich, wie die Bundesanwaltschaft mitteilte."
    )
    assert detect_language(text)[0] == "de"


def test_too_short_to_tell() -> None:
    assert detect_language("Kabul") == (None, 0.0)
