"""The author's own judgements become claims: who the author is, which sentences are judgements, and the
evaluation on annotated real articles (skipped, with a message, when ../shared/eval is absent)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from watchfloor.eval.author_claims import GoldSpan, doc_part, load_gold, match
from watchfloor.extract.author_claims import (
    CUE,
    attributed_spans,
    author_speaker,
    byline_people,
    extract_author_claims,
)
from watchfloor.extract.claims import extract_claims
from watchfloor.link.actors import Linker
from watchfloor.models import ClaimRecord

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "article_extraction"
PUBLISHED = date(2025, 3, 10)

OPED_TITLE = "A major militant attack on a European capital is very likely within the next year"
OPED_BODY = (
    "The network has rebuilt its external operations wing faster than most governments admit. "
    "Its recruiters are clearly more capable than they were five years ago, and Western agencies are "
    "dangerously short of analysts who read the languages involved. "
    "On Tuesday police in the port city arrested four men and seized two rifles. "
    "The interior minister said that the arrests had disrupted a plot against a concert hall."
)


def _doc(nlp: Any, title: str, body: str) -> Any:
    return nlp(title + "\n\n" + body)


def _claims(nlp: Any, linker: Linker, title: str, body: str, author: str | None, outlet: str | None) -> Any:
    doc = _doc(nlp, title, body)
    linked = linker.link(doc)
    attributed = extract_claims(doc, linked.mentions, PUBLISHED, lambda _key: None)
    found, speaker = extract_author_claims(
        doc, title, author, outlet, attributed_spans(attributed), PUBLISHED, linked.mentions
    )
    return doc, attributed, found, speaker


def test_headline_forecast_is_a_claim_by_the_byline_author(nlp: Any, linker: Linker) -> None:
    doc, _attributed, found, speaker = _claims(
        nlp, linker, OPED_TITLE, OPED_BODY, "By Marta Kowalczyk", "Harbour Review"
    )
    headline = [c for c in found if c.start < len(OPED_TITLE)]
    assert len(headline) == 1
    claim = headline[0]
    assert claim.speaker_text == "Marta Kowalczyk" and speaker.kind == "person"
    assert claim.speaker_key == "person:marta-kowalczyk"
    assert claim.kind == "forecast"
    assert (claim.band_low, claim.band_high) == (0.8, 0.95)  # "very likely" on the ICD 203 scale
    assert claim.horizon_end == "2026-03-10"  # "within the next year" from the publication date
    assert claim.evidence == [(claim.start, claim.end)]
    assert doc.text[claim.start : claim.end] == OPED_TITLE  # provenance: the exact sentence
    assert claim.cue == CUE and claim.confidence is not None


def test_plain_reporting_is_not_a_judgement(nlp: Any, linker: Linker) -> None:
    _unused, _attributed, found, _speaker = _claims(
        nlp, linker, OPED_TITLE, OPED_BODY, "By Marta Kowalczyk", "Harbour Review"
    )
    texts = [c.text for c in found]
    assert not any(t.startswith("On Tuesday police") for t in texts)
    assert any("clearly more capable" in t for t in texts)  # an evaluative judgement in the body
    assert all(c.kind in ("forecast", "assessment") for c in found)


def test_a_quoted_statement_is_not_counted_twice(nlp: Any, linker: Linker) -> None:
    _unused, attributed, found, _speaker = _claims(
        nlp, linker, OPED_TITLE, OPED_BODY, "By Marta Kowalczyk", "Harbour Review"
    )
    minister = [c for c in attributed if "arrests had disrupted" in c.text]
    assert minister, "the attributed claims extractor should find the minister's statement"
    for claim in found:
        assert "interior minister" not in claim.text
        assert not any(a.start < claim.end and claim.start < a.end for a in minister)


def test_unsigned_editorial_speaks_for_the_outlet_and_untitled_bylines_fall_back() -> None:
    outlet = author_speaker("The view on the border: hold the line", "Editorial", "Northern Courier")
    assert (outlet.name, outlet.kind, outlet.key) == ("Northern Courier", "media_outlet", "outlet:northern-courier")
    anonymous = author_speaker("A letter on open debate", None, None)
    assert anonymous.name == "author of A letter on open debate" and anonymous.kind == "document"
    assert anonymous.entity is not None and anonymous.entity.key == anonymous.key


def test_bylines_are_cleaned_into_people() -> None:
    assert byline_people("STEVE ADAMSON; AP National Political Writer", "Associated Press") == ["Steve Adamson"]
    assert byline_people("Priya Natarajan Harbour Review Online", "HarbourReview") == ["Priya Natarajan"]
    assert byline_people("Jo Brandt and Ilse Maas") == ["Jo Brandt", "Ilse Maas"]
    assert byline_people("PTI") == [] and byline_people("Staff Report") == [] and byline_people(None) == []


def test_claims_by_others_are_kept_out_only_when_attributed_by_a_word_of_saying() -> None:
    def claim(cue: str, quote: bool) -> ClaimRecord:
        return ClaimRecord(10, 20, "x" * 10, quote, cue, None, "Someone", "Someone", None, "assessment", [(0, 30)])

    assert attributed_spans([claim("said", False)]) == [(10, 20), (0, 30)]
    assert attributed_spans([claim("according to", False)]) == [(10, 20), (0, 30)]
    assert attributed_spans([claim("decided", False)]) == []  # a verb of doing is not a word of saying
    assert attributed_spans([claim("", True)]) == [(10, 20), (0, 30)]
    assert attributed_spans([claim(":", False)]) == [(10, 20), (0, 30)]  # "SOLBERG: It means …"


def test_a_transcript_line_is_the_speaker_s_not_the_author_s(nlp: Any, linker: Linker) -> None:
    body = (
        "MARTIN SOLBERG: We see the same names coming back in different investigations.\n\n"
        "SOLBERG: It means the network is resilient, and it learns from every arrest.\n\n"
        "Martin Solberg is a former counter-terrorism official in Oslo."
    )
    _unused, attributed, found, _speaker = _claims(nlp, linker, OPED_TITLE, body, "By Marta Kowalczyk", None)
    labelled = [c for c in attributed if c.cue == ":"]
    assert [c.text[:20] for c in labelled] == ["We see the same name", "It means the network"]
    assert {c.speaker_text for c in labelled} == {"Martin Solberg"}  # the name, not the capitals
    assert not any("same names" in c.text or "network is resilient" in c.text for c in found)


def test_matching_is_one_to_one_by_overlap() -> None:
    gold = [GoldSpan(0, 10, "forecast"), GoldSpan(20, 30, "assessment")]
    assert match(gold, [(5, 25, "forecast")]) == [(0, 0)]  # a tie goes to the first gold span, once
    assert match(gold, [(0, 10, "forecast"), (2, 8, "forecast"), (40, 50, "assessment")]) == [(0, 0)]


def test_gold_holds_offsets_and_hashes_not_texts() -> None:
    spec = load_gold()
    docs = spec["documents"]
    assert len(docs) >= 20 and sum(len(d["judgements"]) for d in docs) >= 150
    for d in docs:
        assert d["part"] == doc_part(d["doc"])
        for j in d["judgements"]:
            assert set(j) == {"field", "start", "end", "sha1", "kind"}
            assert j["kind"] in ("forecast", "assessment") and j["start"] < j["end"]
    assert {d["part"] for d in docs} == {"dev", "heldout"}


def test_eval_on_real_articles_beats_the_modal_verb_baseline() -> None:
    if not (SHARED / "gt").is_dir():
        pytest.skip(f"article_extraction gold not found at {SHARED} (public data lives next to the repository)")
    from watchfloor.eval.author_claims import evaluate

    result = evaluate(SHARED, "heldout").as_dict()
    assert result["drifted"] == [], "annotated texts changed: re-check the offsets"
    assert result["documents"] >= 5 and result["judgements"] >= 50
    ours, base = result["watchfloor"], result["baseline"]
    assert ours["f1"] > base["f1"]
    assert ours["precision"] >= 0.5 and ours["recall"] >= 0.5


def test_cli_says_where_the_data_should_be_when_it_is_absent(tmp_path: Path) -> None:
    done = run_cli("eval", "author-claims", "--data", str(tmp_path / "nowhere"))
    assert done.returncode != 0
    assert "pass --data pointing at article_extraction" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_one_search_for_any_estimative_phrase_agrees_with_each_phrase() -> None:
    """The combined pattern (one search per sentence) finds a phrase exactly where one of the phrases'
    own patterns does, including at word boundaries ("likely" not inside "unlikelyhood")."""
    from watchfloor.extract.claims_lexicon import load_claims_lexicon
    from watchfloor.workspace import demo_corpus_path

    lex = load_claims_lexicon()
    sentences = [s for p in sorted(demo_corpus_path().glob("*.txt")) for s in p.read_text("utf-8").split(". ")]
    sentences += [phrase for _p, phrase, _lo, _hi in lex.estimative]
    sentences += [f"x{phrase}x" for _p, phrase, _lo, _hi in lex.estimative] + ["unlikelyhood", "probablys"]
    hits = 0
    for text in sentences:
        each = any(p.search(text) for p, *_ in lex.estimative)
        assert bool(lex.any_estimative.search(text)) == each, text
        hits += each
    assert hits > len(lex.estimative)  # every phrase alone, and some demo sentences, were found
