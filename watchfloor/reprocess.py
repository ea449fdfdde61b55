"""Re-run cleaning and extraction over stored documents (after an upgrade, or a corrected date).

Stages: ``clean`` rebuilds each document from its stored input (the original bytes for HTML and
PDF, the extracted text otherwise) and re-reads its metadata; ``extract`` keeps the stored clean
text and re-runs NLP, linking and extraction. Each document is replaced in its own transaction
(its facts deleted and written again, its sources kept), so a killed run loses nothing and the same
command resumes: documents already processed by this version are skipped unless ``force``. An
analyst's publication date always wins; corrections are re-applied at the end.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from watchfloor import __version__
from watchfloor.errors import UserError
from watchfloor.ingest import dedup
from watchfloor.ingest.document import build_document
from watchfloor.ingest.formats import FormatError
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import load_gazetteer
from watchfloor.link.places import load_place_index
from watchfloor.models import CleanDocument, PublishedDate, RawInput, RemovedSpan
from watchfloor.nlp.pipeline import acquire_pipeline, release_pipeline
from watchfloor.nlp.truecase import for_parser
from watchfloor.runner import EXTRACTOR, IngestOptions, analyse
from watchfloor.store.base import DocumentWrite
from watchfloor.store.sqlite import SQLiteRepository

STAGES = ("clean", "extract")


@dataclass
class ReprocessReport:
    processed: int = 0
    problems: list[str] = field(default_factory=list)
    interrupted: bool = False


def _raw_input(row: dict[str, Any]) -> RawInput:
    """The input a stored document came from, as far as the store can give it back."""
    meta: dict[str, str] = {}
    if row["published_method"] == "metadata" and row["published"]:
        meta["published"] = row["published"]
    if row["kind"] == "jsonl" and row["title"]:
        meta["title"] = row["title"]
    if row["raw_data"] is not None:
        return RawInput(row["source"], row["kind"], zlib.decompress(row["raw_data"]), row["url"], meta)
    # Stores written before version 0.2 kept no input bytes: the extracted page text is re-read as pasted text.
    return RawInput(row["source"], "txt", row["raw_text"].encode("utf-8"), row["url"], meta)


def _stored_document(row: dict[str, Any], removed: list[RemovedSpan]) -> CleanDocument:
    return CleanDocument(
        source=row["source"],
        kind=row["kind"],
        raw_sha256=row["raw_sha256"],
        raw_text=row["raw_text"],
        text=row["text"],
        removed=removed,
        title=row["title"],
        publisher=row["publisher"],
        author=row["author"],
        url=row["url"],
        published=PublishedDate(
            row["published"], row["published_method"], row["published_evidence"] or "", row["published_not_before"]
        ),
        notes=json.loads(row["notes"] or "[]"),
        raw_data=zlib.decompress(row["raw_data"]) if row["raw_data"] is not None else None,
    )


def rebuild(row: dict[str, Any], removed: list[RemovedSpan], stage: str, analyst_date: str | None) -> CleanDocument:
    """The document to analyse again: re-cleaned (stage clean) or as stored, with the analyst's date."""
    doc = build_document(_raw_input(row)) if stage == "clean" else _stored_document(row, removed)
    doc.raw_sha256 = row["raw_sha256"]  # the id stays the one of the original bytes
    if stage == "clean":
        doc.kind = row["kind"]
    if analyst_date is not None:
        doc.published = PublishedDate(analyst_date, "analyst", "set by an analyst")
        doc.notes = [n for n in doc.notes if not n.startswith("publication date unknown")]
    return doc


def reprocess(
    repo: SQLiteRepository,
    stage: str = "clean",
    since: str | None = None,
    doc_ids: Iterable[str] | None = None,
    force: bool = False,
    options: IngestOptions | None = None,
    on_progress: Callable[[str], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> ReprocessReport:
    """Re-run ``stage`` and everything after it over the analysed documents chosen."""
    if stage not in STAGES:
        raise UserError(f"unknown stage {stage!r}; choose one of {', '.join(STAGES)}")
    options = options or IngestOptions()
    chosen = repo.reprocess_candidates(
        since, list(doc_ids) if doc_ids is not None else None, None if force else __version__
    )
    report = ReprocessReport()
    if on_total is not None:
        on_total(len(chosen))
    if not chosen:
        return report
    gazetteer = load_gazetteer(options.gazetteer)
    linker = Linker(gazetteer, load_place_index())
    nlp = acquire_pipeline(gazetteer, options.model)
    try:
        for doc_id in chosen:
            row, removed, analyst_date = repo.stored_for_reprocess(doc_id)
            try:
                doc = rebuild(row, removed, stage, analyst_date)
            except (FormatError, ValueError) as exc:
                report.problems.append(f"{doc_id}: cannot re-clean ({exc}); kept as it was")
                continue
            write = DocumentWrite(doc, doc_id, dedup.text_hash(doc.text), "analysed", row["language"],
                                  minhash=row["minhash"])  # fmt: skip
            analyse(nlp(for_parser(doc.text)), write, linker, gazetteer, options)
            repo.replace_document(write, EXTRACTOR, __version__)
            report.processed += 1
            if on_progress is not None:
                on_progress(doc_id)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        release_pipeline(nlp, gazetteer, options.model)
    repo.apply_corrections()
    return report
