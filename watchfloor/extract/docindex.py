"""Per-document lookups built once, so that extractors stay linear in the length of the document.

spaCy recomputes several properties on every access, each over the *whole* document: ``Doc.text``
joins every token, ``Doc.ents`` rebuilds every entity span, ``Span.ents`` and ``Span.noun_chunks``
scan the whole document's entities or noun chunks. Asked once per sentence (or per number), they
make extraction grow with the square of the length. ``DocIndex`` answers the same questions from
tables built in one pass; each answer equals the spaCy property it replaces (see tests).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from watchfloor.models import MentionRecord

if TYPE_CHECKING:
    from watchfloor.extract.relation_model import DocFacts as DocColumns


class DocTables:
    """The whole-document tables of one parsed document, built at first use and then shared by every
    extractor that reads the same ``Doc`` (see ``tables_of``)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    @cached_property
    def sents(self) -> list[Span]:
        """``list(doc.sents)``, built once."""
        return list(self.doc.sents)

    @cached_property
    def sent_no(self) -> dict[int, int]:
        """Sentence position by its first token."""
        return {s.start: i for i, s in enumerate(self.sents)}

    @cached_property
    def sent_start_chars(self) -> list[int]:
        return [s.start_char for s in self.sents]

    @cached_property
    def lowers(self) -> tuple[list[str], list[str], list[int]]:
        """Every token's lower-cased lemma, lower-cased text and character offset (the first two are the
        token columns' own lists)."""
        from spacy.attrs import IDX

        if not len(self.doc):
            return [], [], []
        return self.columns.lemma, self.columns.lower, self.doc.to_array(IDX).tolist()

    @cached_property
    def like_num(self) -> list[bool]:
        """Every token's ``like_num``."""
        from spacy.attrs import LIKE_NUM

        return [bool(v) for v in self.doc.to_array(LIKE_NUM).tolist()] if len(self.doc) else []

    @cached_property
    def text(self) -> str:
        """``doc.text``, joined once."""
        return self.doc.text

    @cached_property
    def ents(self) -> tuple[Span, ...]:
        """``doc.ents``, built once."""
        return tuple(self.doc.ents)

    @cached_property
    def ent_starts(self) -> list[int]:
        return [e.start for e in self.ents]

    @cached_property
    def ent_of_token(self) -> list[Span | None]:
        found: list[Span | None] = [None] * len(self.doc)
        for ent in reversed(self.ents):  # the first entity wins, as a scan of doc.ents finds it
            for i in range(ent.start, ent.end):
                found[i] = ent
        return found

    @cached_property
    def chunks_by_sentence(self) -> list[list[Span]]:
        by_sent: list[list[Span]] = [[] for _ in self.sents]
        starts = [s.start for s in self.sents]
        np_label = self.doc.vocab.strings.add("NP")
        # The columns' base noun phrases are spaCy's English ones (doc.noun_chunks) without a Token per word.
        for start, end in self.columns.noun_chunks(0, len(self.doc)):
            i = bisect_right(starts, start) - 1
            if i >= 0:
                by_sent[i].append(Span(self.doc, start, end, label=np_label))
        return by_sent

    @cached_property
    def columns(self) -> DocColumns:
        """The tokens' attributes as plain lists (one ``Doc.to_array``), with their dependency tree."""
        from watchfloor.extract.relation_model import DocFacts

        return DocFacts(self.doc)


_KEY = "watchfloor.tables"


def tables_of(doc: Doc) -> DocTables:
    """The shared tables of ``doc`` (built on first use by whichever extractor asks first).

    They live in the Doc's ``user_data``, so they go with the document. Extraction treats a parsed Doc as
    read-only, so tables built by one extractor stay true for the next. (Not a WeakKeyDictionary: the
    tables hold spans, spans hold their Doc, and a value that refers to its key keeps it alive forever.)
    """
    found = doc.user_data.get(_KEY)
    if not isinstance(found, DocTables):
        found = doc.user_data[_KEY] = DocTables(doc)
    return found


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per document however many extractors read it."""
    return tables_of(doc).text


def span_text(span: Span) -> str:
    """``span.text``, cut from the document's text joined once (``Span.text`` joins its tokens each time)."""
    return tables_of(span.doc).text[span.start_char : span.end_char]


def doc_sents(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, listed once per document however many extractors read it."""
    return tables_of(doc).sents


class DocIndex:
    """Sentences, text, entities, noun chunks and mentions of one document, indexed by sentence."""

    def __init__(self, doc: Doc, mentions: Sequence[MentionRecord] = ()) -> None:
        self.doc = doc
        self.mentions = list(mentions)
        self.tables = tables_of(doc)

    @property
    def sents(self) -> list[Span]:
        """``list(doc.sents)``, built once."""
        return self.tables.sents

    @property
    def lowers(self) -> tuple[list[str], list[str], list[int]]:
        """Every token's lower-cased lemma, lower-cased text and character offset."""
        return self.tables.lowers

    @property
    def text(self) -> str:
        """``doc.text``, joined once."""
        return self.tables.text

    def sentence_no(self, sent: Span) -> int | None:
        """The position of ``sent`` among the document's sentences (None: not one of them)."""
        i = self.tables.sent_no.get(sent.start)
        return i if i is not None and self.sents[i].end == sent.end else None

    # -- entities --------------------------------------------------------------------------------
    def ent_at(self, token_i: int) -> Span | None:
        """The entity (of ``doc.ents``) that contains the token, if any."""
        return self.tables.ent_of_token[token_i]

    def ents_in(self, span: Span) -> list[Span]:
        """``span.ents``: the entities from the span's start on, while they end inside it."""
        out: list[Span] = []
        ents = self.tables.ents
        for k in range(bisect_left(self.tables.ent_starts, span.start), len(ents)):
            if ents[k].end > span.end:
                break
            out.append(ents[k])
        return out

    # -- noun chunks -----------------------------------------------------------------------------
    def noun_chunks_in(self, sent: Span) -> list[Span]:
        """``sent.noun_chunks``: the document's noun chunks that lie inside the sentence."""
        i = self.sentence_no(sent)
        if i is None:
            return list(sent.noun_chunks)
        return [c for c in self.tables.chunks_by_sentence[i] if c.end <= sent.end]

    # -- mentions --------------------------------------------------------------------------------
    @cached_property
    def _mentions_by_sentence(self) -> list[list[MentionRecord]]:
        by_sent: list[list[MentionRecord]] = [[] for _ in self.sents]
        for m in self.mentions:
            i = bisect_right(self.tables.sent_start_chars, m.start) - 1
            if i >= 0 and m.start < self.sents[i].end_char:
                by_sent[i].append(m)
        return by_sent

    def mentions_in(self, sent: Span) -> list[MentionRecord]:
        """The mentions that start inside the sentence, in the order they were given."""
        i = self.sentence_no(sent)
        if i is None:
            return [m for m in self.mentions if sent.start_char <= m.start < sent.end_char]
        return self._mentions_by_sentence[i]
