"""The per-document index answers exactly what spaCy's (whole-document) properties answer, and the
event extractor gives the same records with the index as with the naive lookups it replaced."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest
from spacy.tokens import Doc, Span

from watchfloor.extract.docindex import DocIndex, span_text
from watchfloor.extract.events import extract_events
from watchfloor.extract.info import entity_info
from watchfloor.models import MentionRecord
from watchfloor.workspace import demo_corpus_path

PUBLISHED = date(2025, 6, 1)


class NaiveIndex(DocIndex):
    """The lookups as the extractors made them before the index: spaCy's properties, full scans."""

    @property
    def text(self) -> str:  # type: ignore[override]
        return self.doc.text

    def ent_at(self, token_i: int) -> Span | None:
        return next((e for e in self.doc.ents if e.start <= token_i < e.end), None)

    def ents_in(self, span: Span) -> list[Span]:
        return list(span.ents)

    def noun_chunks_in(self, sent: Span) -> list[Span]:
        return list(sent.noun_chunks)

    def mentions_in(self, sent: Span) -> list[MentionRecord]:
        return [m for m in self.mentions if sent.start_char <= m.start < sent.end_char]


def _texts() -> list[str]:
    """A few demo articles one by one, and four of them as one long document."""
    articles = [p.read_text("utf-8") for p in sorted(demo_corpus_path().glob("*.txt")) if "-fr" not in p.stem]
    return [*articles[:3], "\n\n".join(articles[3:7])]


@pytest.fixture(scope="module")
def analysed(nlp, linker, gazetteer):  # type: ignore[no-untyped-def]
    out = []
    for text in _texts():
        doc = nlp(text)
        linked = linker.link(doc)
        out.append((doc, linked.mentions, entity_info(gazetteer, linked.entities)))
    return out


def _spans(spans: list[Span]) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label_) for s in spans]


def _bounds(span: Span | None) -> tuple[int, int] | None:
    return (span.start, span.end) if span is not None else None


def test_index_matches_spacy_per_sentence(analysed) -> None:  # type: ignore[no-untyped-def]
    for doc, mentions, _info in analysed:
        index, naive = DocIndex(doc, mentions), NaiveIndex(doc, mentions)
        assert index.text == doc.text
        assert [(s.start, s.end) for s in index.sents] == [(s.start, s.end) for s in doc.sents]
        assert sum(len(index.mentions_in(s)) for s in index.sents) > 0
        for sent in index.sents:
            assert _spans(index.ents_in(sent)) == _spans(naive.ents_in(sent))
            assert _spans(index.noun_chunks_in(sent)) == _spans(naive.noun_chunks_in(sent))
            assert index.mentions_in(sent) == naive.mentions_in(sent)
            assert span_text(sent) == sent.text
        for tok in doc:
            assert _bounds(index.ent_at(tok.i)) == _bounds(naive.ent_at(tok.i))
        lemmas, lowers, offsets = index.lowers
        assert lemmas == [t.lemma_.lower() for t in doc]
        assert lowers == [t.lower_ for t in doc]
        assert offsets == [t.idx for t in doc]


def test_index_on_spans_that_are_not_sentences(analysed) -> None:  # type: ignore[no-untyped-def]
    doc, mentions, _info = analysed[-1]
    index, naive = DocIndex(doc, mentions), NaiveIndex(doc, mentions)
    for start in range(0, len(doc) - 40, 37):  # windows that cut sentences and entities anywhere
        span = doc[start : start + 40]
        assert _spans(index.ents_in(span)) == _spans(naive.ents_in(span))
        assert _spans(index.noun_chunks_in(span)) == _spans(naive.noun_chunks_in(span))
        assert index.mentions_in(span) == naive.mentions_in(span)


def _events(doc: Doc, mentions: list[MentionRecord], info, index: DocIndex) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return [asdict(e) for e in extract_events(doc, mentions, PUBLISHED, info, index=index)]


def test_events_identical_with_index_and_naive_lookups(analysed) -> None:  # type: ignore[no-untyped-def]
    total = 0
    for doc, mentions, info in analysed:
        indexed = _events(doc, mentions, info, DocIndex(doc, mentions))
        assert indexed == _events(doc, mentions, info, NaiveIndex(doc, mentions))
        assert [asdict(e) for e in extract_events(doc, mentions, PUBLISHED, info)] == indexed
        total += len(indexed)
    assert total >= 3  # the comparison covered real events


def test_shared_tables_do_not_keep_parsed_documents_alive(nlp, linker) -> None:  # type: ignore[no-untyped-def]
    """The tables hold spans of their Doc; they must go with it, or every document of a run stays in memory."""
    import gc
    import weakref

    from watchfloor.extract.docindex import tables_of

    refs = []
    for text in _texts()[:2]:
        doc = nlp(text)
        tables = tables_of(doc)
        assert tables.sents and tables.ents and tables.text == doc.text
        assert tables_of(doc) is tables, "one set of tables per document"
        linker.link(doc)
        refs.append(weakref.ref(doc))
        del doc, tables
    gc.collect()
    assert all(r() is None for r in refs)
