"""Plain records passed between pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawInput:
    """Bytes of one article as read from a source, before any decoding."""

    source: str  # path or URL the user gave (or path#line for JSONL)
    kind: str  # txt, md, html, pdf, jsonl
    data: bytes
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # metadata given by the source (JSONL)


@dataclass(frozen=True)
class RemovedSpan:
    """A piece of the extracted text that the cleaner removed, and why."""

    start: int  # offset in the document's pre-clean text
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class PublishedDate:
    """A publication date and how it was found, so a user can check and correct it."""

    date: str | None  # ISO YYYY-MM-DD; None when no cue gives it (never guessed from the clock)
    # metadata, html-metadata, feed, url, header-line, published-line, date-stamp-line, dateline, analyst, none
    method: str
    evidence: str = ""
    not_before: str | None = None  # undated: the latest full date the text mentions (published on or after it)


@dataclass
class CleanDocument:
    """A decoded, cleaned article ready for language detection, dedup and NLP."""

    source: str
    kind: str
    raw_sha256: str
    raw_text: str  # text extracted from the format, before furniture removal
    text: str  # clean main text; every fact's offsets point into this
    removed: list[RemovedSpan]
    title: str | None
    publisher: str | None
    author: str | None
    url: str | None
    published: PublishedDate
    notes: list[str] = field(default_factory=list)
    raw_data: bytes | None = None  # the input bytes where the text alone cannot be re-cleaned (HTML, PDF)

    @property
    def doc_id(self) -> str:
        """Stable id: the same bytes always give the same document."""
        return self.raw_sha256[:16]


@dataclass(frozen=True)
class MentionRecord:
    """An entity mention with its evidence span and link decision."""

    start: int
    end: int
    text: str
    label: str
    entity_key: str | None
    link_method: str
    link_score: float


@dataclass(frozen=True)
class EntityRecord:
    """A canonical entity, from the gazetteer, the place index or discovered in text."""

    key: str
    name: str
    kind: str
    label: str
    aliases: tuple[str, ...] = ()
    qid: str | None = None
    description: str | None = None
    countries: tuple[str, ...] = ()
    source: str = "gazetteer"
    geonames_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    country_code: str | None = None
    admin1: str | None = None


@dataclass
class EventRecord:
    """One violent or security event as one document reports it, with its evidence spans."""

    event_type: str  # attack, kidnapping, hostage_release, air_strike, leader_killed, arrest, ...
    attack_type: str | None  # GTD category for attacks
    trigger_start: int
    trigger_end: int
    trigger_text: str
    evidence: list[tuple[int, int]]  # sentence spans in the document's clean text
    date: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    date_precision: str | None = None  # day, month, year
    date_method: str = "unknown"  # text, publication, historical, unknown
    place_key: str | None = None
    place_text: str | None = None
    country: str | None = None
    perpetrator_key: str | None = None
    perpetrator_text: str | None = None
    perpetrator_status: str = "unknown"  # claimed, attributed, suspected, unknown
    target: str | None = None
    target_type: str = "unknown"
    weapon: str | None = None
    killed: int | None = None
    killed_low: int | None = None
    killed_high: int | None = None
    wounded: int | None = None
    wounded_low: int | None = None
    wounded_high: int | None = None
    suicide: bool = False
    is_background: bool = False
    # The report calls itself a further incident ("another bomb", "a week later"): never merged into an
    # event that the same document already reports (not stored; read when the report is written).
    separate: bool = False


@dataclass
class ClaimRecord:
    """An attributed statement (quote, indirect speech or written statement) in one document."""

    start: int  # the claim's content span in the clean text
    end: int
    text: str
    quote: bool
    cue: str
    speaker_key: str | None
    speaker_text: str | None  # the name the speaker is known by in this document
    speaker_mention: str | None  # the words tied to the cue ("he", "the general")
    speaker_role: str | None
    kind: str  # forecast, assessment, factual, denial, responsibility
    evidence: list[tuple[int, int]]  # the sentence(s) holding cue and content
    about: list[str] = field(default_factory=list)  # entity keys the content mentions
    speaker_start: int | None = None  # the words tied to the cue, as evidence of attribution
    speaker_end: int | None = None
    probability_words: str | None = None
    band_low: float | None = None
    band_high: float | None = None
    horizon_text: str | None = None
    horizon_start: str | None = None
    horizon_end: str | None = None
    confidence: float | None = None  # the extractor's own score (learned attribution), not the speaker's
    embedding: bytes | None = None  # sentence embedding of ``text`` (float16), set at ingest for stance


@dataclass
class RelationRecord:
    """A relation between two linked entities stated in one sentence of one document."""

    subject_key: str
    subject_text: str
    predicate: str
    object_key: str
    object_text: str
    negated: bool
    hedged: bool
    valid_from: str | None
    valid_to: str | None
    trigger_start: int
    trigger_end: int
    evidence: tuple[int, int]  # the sentence span in the document's clean text
    # the argument spans in the text (a key is "" when an argument is a description such as "government
    # forces" or a pronoun, not a linked entity: such relations are scored but never stored)
    subject_span: tuple[int, int] | None = None
    object_span: tuple[int, int] | None = None
    # "asserted", "reported" (a named speaker states it), or not an asserted fact: "claimed" (a party's own
    # claim or propaganda), "forecast", "hypothetical", "question", "unlikely" (denial of likelihood)
    modality: str = "asserted"
    speaker_key: str | None = None  # who states it when it is reported or claimed (linked entity)
    speaker_text: str | None = None
    score: float | None = None  # the relation model's probability (None: a hand rule)
    extractor: str = "rules"  # "rules" or "model"
