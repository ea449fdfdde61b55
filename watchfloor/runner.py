"""Ingest run: sources -> clean -> dedup -> language -> NLP -> link -> store, resumable.

Documents stream through one ``nlp.pipe`` call (so several worker processes can be used) and are
written in transactions of ``batch_size`` documents. A killed run loses at most the open batch;
re-running the same command skips every input already stored.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import re
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from watchfloor import __version__
from watchfloor.errors import InputProblem, WorkersLost
from watchfloor.extract.author_claims import attributed_spans, extract_author_claims
from watchfloor.extract.claims import extract_claims
from watchfloor.extract.docindex import doc_text
from watchfloor.extract.events import extract_events
from watchfloor.extract.info import entity_info, kind_lookup
from watchfloor.extract.relations import extract_relations
from watchfloor.ingest import dedup
from watchfloor.ingest.dates import dateline_place
from watchfloor.ingest.document import build_document
from watchfloor.ingest.formats import FormatError
from watchfloor.ingest.language import detect_language
from watchfloor.ingest.sources import SourceOptions, iter_inputs
from watchfloor.link.actors import Linker, enrich_gazetteer_places
from watchfloor.link.gazetteer import Gazetteer, load_gazetteer
from watchfloor.link.places import PlaceIndex, load_place_index
from watchfloor.models import (
    ClaimRecord,
    CleanDocument,
    EntityRecord,
    EventRecord,
    MentionRecord,
    RawInput,
    RelationRecord,
)
from watchfloor.nlp.pipeline import DEFAULT_MODEL, acquire_pipeline, release_pipeline
from watchfloor.nlp.truecase import for_parser
from watchfloor.store.base import DocumentWrite, Repository

if TYPE_CHECKING:
    from spacy.tokens import Doc

EXTRACTOR = "watchfloor.ingest"
MIN_WORDS = 12


@dataclass
class IngestOptions:
    sources: SourceOptions = field(default_factory=SourceOptions)
    model: str = DEFAULT_MODEL
    batch_size: int = 16
    workers: int = 1
    gazetteer: Path | None = None
    near_duplicate_threshold: float = 0.8
    today: date | None = None
    events: bool = True
    claims: bool = True
    relations: bool = True
    # Sentence embeddings of claims for stance by meaning: about half a spaCy pass more per document
    # (benchmarks/claim_embeddings.py), so bulk ingest leaves them off and stance stays lexical.
    embed_claims: bool = False
    cluster: str | None = None  # "local:N": a Dask LocalCluster of N worker processes for this run
    scheduler: str | None = None  # "tcp://host:8786": the scheduler of a running Dask cluster

    @property
    def in_process(self) -> bool:
        """The main process parses the documents itself (no worker processes, no cluster)."""
        return self.workers <= 1 and not self.cluster and not self.scheduler


@dataclass
class IngestReport:
    analysed: int = 0
    duplicates: int = 0
    not_english: int = 0
    already_stored: int = 0
    words: int = 0
    problems: list[str] = field(default_factory=list)
    interrupted: bool = False
    alerts: list[str] = field(default_factory=list)  # watchlist alert hooks run after the ingest (watch.py)

    @property
    def stored(self) -> int:
        return self.analysed + self.duplicates + self.not_english


@dataclass
class _Prepared:
    write: DocumentWrite | None
    source: str


Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


def ingest(
    targets: list[str],
    repo: Repository,
    options: IngestOptions | None = None,
    on_progress: Progress = _noop,
    on_problem: Progress = _noop,
    on_note: Progress = _noop,
) -> IngestReport:
    """Ingest files, folders, URLs and feeds into ``repo``; never stops for one bad input.

    ``on_note`` gets one-off information about the run (a Dask cluster's dashboard link).
    """
    options = options or IngestOptions()
    report = IngestReport()
    gazetteer = load_gazetteer(options.gazetteer)
    places = load_place_index()
    refreshed = repo.sync_gazetteer(
        enrich_gazetteer_places([e.record for e in gazetteer.entries], places),
        gazetteer.fingerprint,
    )
    near = dedup.NearDuplicateIndex(options.near_duplicate_threshold, repo.minhashes)
    near.load(repo.iter_minhashes())
    seen_text: dict[str, str] = {}
    pending: list[DocumentWrite] = []

    def flush() -> None:
        if not pending:
            return
        write_batch(repo, pending, report)
        for write in pending:
            _count(write, report)
        pending.clear()

    items = iter_inputs(targets, options.sources)
    if options.cluster or options.scheduler:
        from watchfloor.dask_ingest import dask_outcomes

        outcomes = dask_outcomes(
            items,
            gazetteer,
            options,
            lambda item: already_stored(item, repo, report),
            lambda cleaned: decide(cleaned, repo, near, seen_text, report),
            on_note,
        )
    elif options.workers > 1:
        from watchfloor.parallel import parallel_outcomes

        outcomes = parallel_outcomes(
            items,
            gazetteer,
            options,
            lambda item: already_stored(item, repo, report),
            lambda cleaned: decide(cleaned, repo, near, seen_text, report),
        )
    else:
        outcomes = _serial_outcomes(items, repo, near, seen_text, gazetteer, places, options, report)
    try:
        for source, outcome in outcomes:
            if isinstance(outcome, str):
                line = f"{source}: {outcome}"
                report.problems.append(line)
                repo.record_problem(source, outcome)
                on_problem(line)
            elif outcome is not None:
                pending.append(outcome)
                if len(pending) >= options.batch_size:
                    flush()
            on_progress(source)
        flush()
    except KeyboardInterrupt:
        report.interrupted = True
        flush()  # documents already analysed are complete: keep them
    except (BrokenProcessPool, WorkersLost) as exc:
        report.interrupted = True
        flush()
        line = (
            str(exc)
            if isinstance(exc, WorkersLost)
            else (
                "ingest: a worker process died (out of memory?); what was analysed is stored: "
                "run the same command again to resume"
            )
        )
        report.problems.append(line)
        on_problem(line)
    finally:
        outcomes.close()
    if report.stored or refreshed:
        repo.apply_corrections()  # a re-run must not undo the analyst's corrections
    return report


Outcome = tuple[str, "DocumentWrite | str | None"]  # (source, what to store | a problem | None: nothing to do)


def _serial_outcomes(
    items: Iterable[RawInput | InputProblem],
    repo: Repository,
    near: dedup.NearDuplicateIndex,
    seen_text: dict[str, str],
    gazetteer: Gazetteer,
    places: PlaceIndex,
    options: IngestOptions,
    report: IngestReport,
) -> Generator[Outcome, None, None]:
    """One process: inputs are cleaned here and parsed by one ``nlp.pipe`` stream.

    While documents stream through, the objects alive before (the pipeline, gazetteer, linker, place
    data: a few hundred thousand) are frozen out of the garbage collector's passes, which otherwise
    re-walk them all every few hundred documents (see :func:`_frozen_during_run`)."""
    linker = Linker(gazetteer, places)
    skipped: deque[Outcome] = deque()  # problems and skips, passed on between parsed documents

    def prepared() -> Iterator[tuple[str, _Prepared]]:
        for item in items:
            if isinstance(item, InputProblem):
                skipped.append((item.source, item.reason))
                continue
            result = _prepare(item, repo, near, seen_text, options, report)
            if isinstance(result, str):
                skipped.append((item.source, result))
            elif result.write is None:
                skipped.append((item.source, None))
            else:
                # Duplicates pass through the pipe too (as empty texts): they must be written after their original.
                yield (for_parser(result.write.doc.text) if result.write.status == "analysed" else ""), result

    nlp = acquire_pipeline(gazetteer, options.model)  # reused by later runs in this process
    unfreeze = _frozen_during_run()
    try:
        for spacy_doc, ctx in nlp.pipe(prepared(), as_tuples=True, batch_size=options.batch_size):
            yield from _drain(skipped)
            write = ctx.write
            assert write is not None
            if write.status == "analysed":
                analyse(spacy_doc, write, linker, gazetteer, options)
            yield ctx.source, write
        yield from _drain(skipped)
    finally:
        if unfreeze:
            gc.unfreeze()
        release_pipeline(nlp, gazetteer, options.model)


def _frozen_during_run() -> bool:
    """Freeze the objects alive now out of the cyclic garbage collector's passes (``gc.freeze``); True when
    they are to be unfrozen after the run. Not when the process already keeps objects frozen for good (the
    server freezes its stance index so, ``store/sqlite_claims.py``): ``gc.unfreeze`` cannot tell whose
    objects it unfreezes, so the run's are then left frozen too, as that process's policy is."""
    keep = gc.get_freeze_count() > 0
    gc.freeze()
    return not keep


def _drain(queue: deque[Outcome]) -> Iterator[Outcome]:
    while queue:
        yield queue.popleft()


def write_batch(repo: Repository, writes: list[DocumentWrite], report: IngestReport) -> None:
    """Store a batch in one transaction, checking duplicates again *inside* the write lock.

    ``_prepare`` looked for duplicates before the (long) analysis; another process ingesting the same
    text meanwhile may have stored it since. Under the lock that check is atomic across processes: the
    later copy becomes an exact duplicate (no facts of its own), the same bytes only add a source.
    """
    with repo.transaction():
        for write in writes:
            if write.status == "analysed" and not write.source_only:
                if repo.document_exists(write.doc_id):
                    write.source_only = True
                    report.already_stored += 1
                else:
                    original = repo.document_by_text_hash(write.text_hash)
                    if original is not None and original != write.doc_id:
                        _make_exact_duplicate(write, original)
            repo.write_document(write, EXTRACTOR, __version__)


def _make_exact_duplicate(write: DocumentWrite, original: str) -> None:
    write.status, write.duplicate_of, write.duplicate_kind, write.similarity = "duplicate", original, "exact", 1.0
    write.minhash = None
    write.mentions, write.new_entities, write.events, write.claims, write.relations = [], [], [], [], []
    write.doc.notes.append(f"exact duplicate of {original} (stored by another run meanwhile)")


@dataclass
class Facts:
    """What extraction finds in one parsed document."""

    mentions: list[MentionRecord]
    new_entities: list[EntityRecord]
    events: list[EventRecord] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)

    def apply(self, write: DocumentWrite) -> None:
        write.mentions, write.new_entities = self.mentions, self.new_entities
        write.events, write.claims, write.relations = self.events, self.claims, self.relations


def extract_facts(
    spacy_doc: Doc, doc: CleanDocument, linker: Linker, gazetteer: Gazetteer, options: IngestOptions
) -> Facts:
    """Pure: link mentions and extract events, claims and relations of one parsed document."""
    published = _published(doc)
    result = linker.link(spacy_doc, as_of=published)
    facts = Facts(result.mentions, result.entities)
    info = entity_info(gazetteer, result.entities)
    if options.events:
        facts.events = extract_events(spacy_doc, result.mentions, published, info, _not_before(doc))
        _country_from_dateline(facts.events, doc, linker)
    kind_of = kind_lookup(info)
    if options.claims:
        facts.claims = extract_claims(spacy_doc, result.mentions, published, kind_of)
        _add_author_claims(spacy_doc, doc, facts, published)
        if options.embed_claims:
            _embed_claims(facts.claims)
    if options.relations:
        facts.relations = extract_relations(spacy_doc, result.mentions, published, kind_of, linked_only=True)
    return as_written(facts, doc.text) if doc_text(spacy_doc) != doc.text else facts


_BRACKETED = re.compile(r"\((.*?)\)")


def _country_from_dateline(events: list[EventRecord], doc: CleanDocument, linker: Linker) -> None:
    """A wire's dateline ("SAN SALVADOR, 12 NOV 89 (EFE) --", "SAN JOSE (COSTA RICA), ...") gives the country
    of a current event whose text names no place the place index knows: none at all, or a town it does
    not know ("near the port of Acajutla") (MUC-4 dev: the dateline's country is the incident's for 87 %
    of templates, where such events had no country)."""
    head = dateline_place(doc.published.evidence) if doc.published.method.startswith("dateline") else None
    if not head:
        return
    bracketed = _BRACKETED.search(head)
    name = bracketed.group(1) if bracketed else _BRACKETED.sub("", head).strip()
    found = linker.places.resolve(name, set())
    if found is None:
        return
    for event in events:
        if event.country is None and event.place_key is None and not event.is_background:
            event.country = found.country_code


def analyse(spacy_doc: Doc, write: DocumentWrite, linker: Linker, gazetteer: Gazetteer, options: IngestOptions) -> None:
    """Link mentions and extract events, claims and relations of one parsed document into ``write``."""
    extract_facts(spacy_doc, write.doc, linker, gazetteer, options).apply(write)


def as_written(facts: Facts, text: str) -> Facts:
    """Span texts taken from the stored text when the parser read it truecased (an ALL-CAPS wire): a
    mention's, trigger's, claim's words are what the document says; entity names keep the readable case."""
    facts.mentions = [dataclasses.replace(m, text=text[m.start : m.end]) for m in facts.mentions]
    for e in facts.events:
        e.trigger_text = text[e.trigger_start : e.trigger_end]
    facts.claims = [
        dataclasses.replace(
            c,
            text=text[c.start : c.end],
            speaker_mention=(
                text[c.speaker_start : c.speaker_end]
                if c.speaker_start is not None and c.speaker_end is not None
                else c.speaker_mention
            ),
        )
        for c in facts.claims
    ]
    return facts


def _embed_claims(claims: list[ClaimRecord]) -> None:
    """Sentence embeddings for stance by meaning (none without the model installed). Stance compares claims
    about a common linked subject only, so a claim with no linked subject (or a responsibility claim) gets
    an empty one: never compared, and half the cost saved."""
    from watchfloor.nlp.embed import embed_texts  # onnxruntime loads on first use only

    wanted = [c for c in claims if c.about and c.kind != "responsibility"]
    blobs = embed_texts([c.text for c in wanted])
    if any(b is not None for b in blobs):
        for claim in claims:
            claim.embedding = b""
    for claim, blob in zip(wanted, blobs, strict=True):
        claim.embedding = blob


def _add_author_claims(spacy_doc: Doc, d: CleanDocument, facts: Facts, published: date | None) -> None:
    """The author's own judgements join the attributed claims (speaker: byline, else outlet, else title)."""
    found, speaker = extract_author_claims(
        spacy_doc, d.title, d.author, d.publisher, attributed_spans(facts.claims), published, facts.mentions
    )
    if found:
        facts.claims = sorted(facts.claims + found, key=lambda c: c.start)
        if speaker.entity is not None and all(e.key != speaker.key for e in facts.new_entities):
            facts.new_entities.append(speaker.entity)


def _published(doc: CleanDocument) -> date | None:
    value = doc.published.date
    return date.fromisoformat(value) if value else None


def _not_before(doc: CleanDocument) -> date | None:
    value = doc.published.not_before
    return date.fromisoformat(value) if value and not doc.published.date else None


def _count(write: DocumentWrite, report: IngestReport) -> None:
    if write.source_only:
        return
    if write.status == "analysed":
        report.analysed += 1
        report.words += len(write.doc.text.split())
    elif write.status == "duplicate":
        report.duplicates += 1
    elif write.status == "not_english":
        report.not_english += 1


@dataclass
class Cleaned:
    """One input after the work that needs no store: cleaning, language and fingerprints."""

    doc: CleanDocument
    text_hash: str
    language: str | None
    signature: bytes | None = None  # MinHash; worker processes compute it, in-process it waits until needed


def clean_input(item: RawInput, today: date | None, signature: bool = False) -> Cleaned | str:
    """Pure: clean one input and detect its language; a problem message for bad input."""
    try:
        doc = build_document(item, today)
    except FormatError as exc:
        return str(exc)
    except ValueError as exc:
        return f"cannot read as {item.kind} ({exc}); check the file type"
    if len(doc.text.split()) < MIN_WORDS:
        return "no article text found after cleaning; is this an article?"
    language, _prob = detect_language(doc.text)
    blob = dedup.to_bytes(dedup.minhash(doc.text)) if signature and language == "en" else None
    return Cleaned(doc, dedup.text_hash(doc.text), language, blob)


def already_stored(item: RawInput, repo: Repository, report: IngestReport) -> bool:
    """The same source with the same bytes is stored: nothing to do."""
    if repo.has_source(item.source, hashlib.sha256(item.data).hexdigest()):
        report.already_stored += 1
        return True
    return False


def decide(
    cleaned: Cleaned,
    repo: Repository,
    near: dedup.NearDuplicateIndex,
    seen_text: dict[str, str],
    report: IngestReport,
) -> DocumentWrite:
    """What to store for a cleaned input: a new document to analyse, or a duplicate (needs the store)."""
    doc, text_hash, language = cleaned.doc, cleaned.text_hash, cleaned.language
    doc_id = doc.doc_id
    if repo.document_exists(doc_id):
        # Same bytes under another name: record the source, store nothing twice.
        report.already_stored += 1
        return DocumentWrite(doc, doc_id, text_hash, "duplicate", None, source_only=True)
    if language != "en":
        doc.notes.append(f"language {language or 'unknown'}: stored, not analysed (English only)")
        return DocumentWrite(doc, doc_id, text_hash, "not_english", language)
    original = seen_text.get(text_hash) or repo.document_by_text_hash(text_hash)
    if original is not None:
        doc.notes.append(f"exact duplicate of {original}")
        return DocumentWrite(doc, doc_id, text_hash, "duplicate", language, original, "exact", 1.0)
    signature = dedup.from_bytes(cleaned.signature) if cleaned.signature else dedup.minhash(doc.text)
    match = near.best_match(signature)
    if match is not None:
        doc.notes.append(f"near duplicate of {match[0]} (similarity {match[1]:.2f})")
        return DocumentWrite(doc, doc_id, text_hash, "duplicate", language, match[0], "near", match[1])
    near.add(doc_id, signature)
    seen_text[text_hash] = doc_id
    return DocumentWrite(
        doc, doc_id, text_hash, "analysed", language, minhash=cleaned.signature or dedup.to_bytes(signature)
    )


def _prepare(
    item: RawInput,
    repo: Repository,
    near: dedup.NearDuplicateIndex,
    seen_text: dict[str, str],
    options: IngestOptions,
    report: IngestReport,
) -> _Prepared | str:
    """Clean, identify language and duplicates; returns a problem message for bad input."""
    if already_stored(item, repo, report):
        return _Prepared(None, item.source)
    cleaned = clean_input(item, options.today)
    if isinstance(cleaned, str):
        return cleaned
    return _Prepared(decide(cleaned, repo, near, seen_text, report), item.source)
