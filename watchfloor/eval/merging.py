"""Event merging on real news: do the reports watchfloor merges into one event describe one incident?

Two gold sets, both labelled by reading the texts (ids, offsets and labels only; the texts are read
from ``../shared/eval`` in place):

- ``data/eval/wikievents_incidents.jsonl``: every ``Conflict.Attack.*`` mention of the 20 WikiEvents dev
  documents with the real-world incident it refers to (the same slug across documents for the same
  incident; ``null`` for a mention that is no single incident, such as "terror attacks"; ``part_of``
  for one bombing singled out of a day of bombings). A unit's sentence is a gold sentence.
- ``data/eval/muc4_dev_incidents.jsonl``: every answer-key template of the 200 MUC-4 dev wires with its
  incident (templates of one wire are distinct incidents by MUC's rules; 13 incidents are reported
  by several wires, e.g. the murder of the Jesuits in San Salvador). An evidence sentence belongs to
  the template whose filler strings (perpetrators, targets, victims, instrument, town) it names more
  than any other template of its wire, counting only the strings that tell the templates apart;
  a sentence naming none, or two templates equally, is not scored.

System: the documents are ingested together, as plain text (MUC-4: the original all-caps wires, which
is what such a wire is), into a fresh SQLite store with the real ``ingest`` (cleaning, parse, linking,
extraction, and the store's cross-document merging), so within-document merging
(``extract_events``) and cross-document merging (``find_matching_event``) are both tested. No
publication date is given beyond what the text says.

Units: one per (stored event, labelled sentence among its evidence). Two units *should* be merged
when their sentences name the same incident, and must *not* be when they name different ones; a
unit whose incident is ``part_of`` the other's is neither (not counted). Pairwise over all units:
merge precision = pairs in one stored event that are one incident / pairs in one stored event;
recall = pairs of one incident that are in one stored event. Pairs across documents are also
reported apart.

Baseline, on the same units: one event per document (every report of a document merged, nothing
merged across documents), what a per-article tool gives.
"""

from __future__ import annotations

import itertools
import json
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from watchfloor.eval.wikievents import ATTACK_TYPES, WikiDoc, load_wikievents, sentences_in

GOLD_FILE = "data/eval/wikievents_incidents.jsonl"
MUC4_FILE = "data/eval/muc4_dev_incidents.jsonl"


@dataclass(frozen=True)
class Label:
    incident: str
    part_of: str | None


@dataclass(frozen=True)
class Unit:
    doc_id: str
    sentence: int
    cluster: str  # the stored event (or baseline cluster) the unit belongs to


@dataclass
class PairScore:
    merged: int = 0  # unit pairs put in one event
    merged_right: int = 0  # ... that are one incident
    same: int = 0  # unit pairs that are one incident
    wrong_examples: list[str] = field(default_factory=list)

    @property
    def same_merged(self) -> int:
        """One-incident pairs put in one event: the pairs ``merged_right`` counts, seen from the gold side."""
        return self.merged_right

    @property
    def precision(self) -> float:
        return self.merged_right / self.merged if self.merged else 0.0

    @property
    def recall(self) -> float:
        return self.same_merged / self.same if self.same else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {  # a rate with nothing to count is undefined (None), not 0
            "precision": round(100 * self.precision, 1) if self.merged else None,
            "recall": round(100 * self.recall, 1) if self.same else None,
            "f1": round(100 * self.f1, 1) if self.merged and self.same else None,
            "merged_pairs": self.merged,
            "merged_right": self.merged_right,
            "same_incident_pairs": self.same,
            "wrong": self.wrong_examples[:20],
        }


def load_labels(path: Path | None = None) -> dict[tuple[str, int], list[Label]]:
    """Incident labels of the gold sentences: (doc_id, sentence index) -> labels of its attack mentions."""
    text = (
        path.read_text("utf-8")
        if path is not None
        else resources.files("watchfloor").joinpath(GOLD_FILE).read_text("utf-8")
    )
    labels: dict[tuple[str, int], list[Label]] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("incident"):
            key = (str(row["doc_id"]), int(row["sent_idx"]))
            label = Label(str(row["incident"]), row.get("part_of") or None)
            if label not in labels.setdefault(key, []):
                labels[key].append(label)
    return labels


def relation(a: list[Label], b: list[Label]) -> str:
    """'same', 'part' (one incident holds the other: not counted) or 'different'."""
    if any(x.incident == y.incident for x in a for y in b):
        return "same"
    if any(x.part_of == y.incident or y.part_of == x.incident for x in a for y in b):
        return "part"
    return "different"


def score_units(units: Iterable[Unit], labels: dict[tuple[str, int], list[Label]]) -> dict[str, PairScore]:
    """Pairwise merge scores, over all unit pairs and over pairs from different documents."""
    scored = sorted({u for u in units if (u.doc_id, u.sentence) in labels}, key=lambda u: (u.doc_id, u.sentence))
    scores = {"all": PairScore(), "across_documents": PairScore()}
    for a, b in itertools.combinations(scored, 2):
        if (a.doc_id, a.sentence) == (b.doc_id, b.sentence):
            continue  # one sentence cited by two events: a split, counted through the other pairs
        rel = relation(labels[(a.doc_id, a.sentence)], labels[(b.doc_id, b.sentence)])
        if rel == "part":
            continue
        merged, same = a.cluster == b.cluster, rel == "same"
        for name in ("all", "across_documents") if a.doc_id != b.doc_id else ("all",):
            s = scores[name]
            s.merged += merged
            s.merged_right += merged and same
            s.same += same
            if merged and not same:
                s.wrong_examples.append(
                    f"{a.doc_id}#{a.sentence} {labels[(a.doc_id, a.sentence)][0].incident} + "
                    f"{b.doc_id}#{b.sentence} {labels[(b.doc_id, b.sentence)][0].incident}"
                )
    return scores


def _locate(doc: WikiDoc, clean: str, start: int, end: int) -> set[int]:
    """Gold sentences of an evidence span of the stored (cleaned) text."""
    if clean == doc.text:
        return sentences_in(doc, [(start, end)])
    piece = clean[start:end].strip()
    at = doc.text.find(piece) if piece else -1
    return sentences_in(doc, [(at, at + len(piece))]) if at >= 0 else set()


EvidenceRow = tuple[int, str, str, int, int]  # stored event id, document name, stored text, span


def ingest_texts(
    texts: dict[str, str], workdir: Path, event_types: Iterable[str] | None
) -> tuple[list[EvidenceRow], int]:
    """Ingest named plain texts into a fresh store; every evidence span of the stored events."""
    from watchfloor.runner import IngestOptions, ingest
    from watchfloor.store.sqlite import open_store

    folder = workdir / "docs"
    folder.mkdir()
    names: dict[str, str] = {}
    for name, text in texts.items():
        path = folder / f"{name}.txt"
        path.write_text(text, "utf-8")
        names[str(path)] = name
    repo = open_store(workdir / "store.db")
    try:
        report = ingest([str(folder)], repo, IngestOptions(claims=False, relations=False))
        sql = """SELECT ev.id, d.source, d.text, x.start, x.end FROM events ev
                 JOIN event_reports r ON r.event_id = ev.id JOIN documents d ON d.id = r.doc_id
                 JOIN event_evidence x ON x.report_id = r.id"""
        types = sorted(event_types) if event_types is not None else []
        if types:
            sql += f" WHERE ev.event_type IN ({','.join('?' * len(types))})"
        rows = [(int(i), names[src], text, int(a), int(b)) for i, src, text, a, b in repo.conn.execute(sql, types)]
    finally:
        repo.close()
    return rows, report.analysed


def wikievents_units(docs: list[WikiDoc], workdir: Path) -> tuple[list[Unit], dict[str, int]]:
    """Ingest the documents into a fresh store and read back which gold sentences each stored event cites."""
    by_name = {d.doc_id: d for d in docs}
    rows, analysed = ingest_texts({d.doc_id: d.text for d in docs}, workdir, ATTACK_TYPES)
    units: list[Unit] = []
    unlocated = 0
    for event_id, name, clean, start, end in rows:
        found = _locate(by_name[name], clean, start, end)
        unlocated += not found
        units.extend(Unit(name, s, f"event:{event_id}") for s in found)
    return units, {"analysed": analysed, "evidence_spans": len(rows), "evidence_not_located": unlocated}


# -- MUC-4 -------------------------------------------------------------------------------------
_QUOTED = re.compile(r'"([^"]+)"')
_WORDS = re.compile(r"[A-Z0-9]+")
FILLER_FIELDS = ("perp_individual", "perp_organization", "phys_target", "hum_target_name", "hum_target_description",
                 "instrument_id")  # fmt: skip


def template_cues(template: dict[str, Any]) -> set[str]:
    """The filler strings of one MUC-4 template (upper case, single-spaced) and the towns of its location."""
    cues: set[str] = set()
    for name in FILLER_FIELDS:
        for value in template.get(name) or []:
            strings = value["strings"] if isinstance(value, dict) else _QUOTED.findall(str(value))
            cues.update(" ".join(_WORDS.findall(str(x).upper())) for x in strings)
    for location in template.get("location") or []:
        for part in str(location).split(":")[1:]:
            cues.add(" ".join(_WORDS.findall(re.sub(r"\(.*?\)", "", part).upper())))
    return {c for c in cues if len(c) >= 3}


def load_muc4(
    folder: Path, incidents_path: Path | None = None
) -> tuple[dict[str, str], dict[str, list[tuple[str, set[str]]]]]:
    """MUC-4 dev wires (original text) and, per wire, (incident, distinguishing cues) for each template."""
    text = (
        incidents_path.read_text("utf-8")
        if incidents_path is not None
        else resources.files("watchfloor").joinpath(MUC4_FILE).read_text("utf-8")
    )
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    incident = {(r["docid"], str(r["template_id"])): str(r["incident"]) for r in rows}
    texts: dict[str, str] = {}
    templates: dict[str, list[tuple[str, set[str]]]] = {}
    for line in (folder / "templates_dev.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        texts[row["docid"]] = row["text"]
        found = [
            (incident[(row["docid"], str(t["template_id"]))], template_cues(t))
            for t in row.get("events") or []
            if (row["docid"], str(t["template_id"])) in incident
        ]
        everywhere = set.intersection(*(c for _, c in found)) if len(found) > 1 else set()
        templates[row["docid"]] = [(slug, cues - everywhere) for slug, cues in found]
    return texts, templates


def label_sentence(sentence: str, templates: list[tuple[str, set[str]]]) -> list[Label]:
    """The incident of the template whose cues the sentence names most; none on a tie or no cue."""
    words = f" {' '.join(_WORDS.findall(sentence.upper()))} "
    counts = [(sum(f" {c} " in words for c in cues), slug) for slug, cues in templates]
    best = max((n for n, _ in counts), default=0)
    slugs = {slug for n, slug in counts if n == best}
    return [Label(slugs.pop(), None)] if best > 0 and len(slugs) == 1 else []


def muc4_units(
    folder: Path, workdir: Path, incidents_path: Path | None = None
) -> tuple[list[Unit], dict[tuple[str, int], list[Label]], dict[str, int]]:
    """Ingest the MUC-4 dev wires; units and labels are the evidence sentences naming one template."""
    texts, templates = load_muc4(folder, incidents_path)
    rows, analysed = ingest_texts(texts, workdir, None)
    units: list[Unit] = []
    labels: dict[tuple[str, int], list[Label]] = {}
    for event_id, name, clean, start, end in rows:
        found = label_sentence(clean[start:end], templates.get(name, []))
        if found:
            labels[(name, start)] = found
            units.append(Unit(name, start, f"event:{event_id}"))
    return units, labels, {"analysed": analysed, "evidence_spans": len(rows), "evidence_labelled": len(units)}


def per_document_baseline(units: Iterable[Unit]) -> list[Unit]:
    """The same units with every report of a document in one event, none across documents."""
    return [Unit(u.doc_id, u.sentence, f"doc:{u.doc_id}") for u in units]


def _incident_counts(labels: dict[tuple[str, int], list[Label]]) -> tuple[int, int]:
    docs_of: dict[str, set[str]] = {}
    for (doc, _), ls in labels.items():
        for x in ls:
            docs_of.setdefault(x.incident, set()).add(doc)
    return len(docs_of), sum(len(d) > 1 for d in docs_of.values())


def evaluate(folder: Path, dataset: str = "wikievents", labels_path: Path | None = None) -> dict[str, Any]:
    """Merge precision and recall of watchfloor and of the per-document baseline (module docstring).

    ``folder`` holds the dataset (``wikievents/`` or ``muc4/`` of the shared eval folder).
    """
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="watchfloor-merge-") as tmp:
        if dataset == "wikievents":
            labels = load_labels(labels_path)
            docs = load_wikievents(folder, "dev")
            units, run = wikievents_units(docs, Path(tmp))
            n_docs = len(docs)
        elif dataset == "muc4":
            units, labels, run = muc4_units(folder, Path(tmp), labels_path)
            n_docs = run["analysed"]
        else:
            raise ValueError(f"unknown dataset {dataset!r}")
    ours = score_units(units, labels)
    bare = score_units(per_document_baseline(units), labels)
    scored = {u for u in units if (u.doc_id, u.sentence) in labels}
    keys = {(u.doc_id, u.sentence) for u in scored}
    incidents, several = _incident_counts({k: v for k, v in labels.items() if k in keys})
    return {
        "dataset": dataset,
        "documents": n_docs,
        "labelled_sentences": len(keys),
        "incidents": incidents,
        "incidents_in_several_documents": several,
        "units": len(scored),
        "run": run,
        "watchfloor": {k: v.as_dict() for k, v in ours.items()},
        "baseline": {k: v.as_dict() for k, v in bare.items()},
        "seconds": round(time.perf_counter() - began, 1),
    }
