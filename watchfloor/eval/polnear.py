"""Speaker and content attribution on PolNeAR (Newell, Margolin & Ruths 2018), read from ../shared/eval.

Gold: brat standoff files (``attributions/*.ann``) with Source, Cue and Content spans joined by
Attribution events; texts in ``text/``. Only attributions with a Source are scored (watchfloor
never stores a claim it cannot attribute). Where two annotators annotated a document, the first
file in name order is used.

Content: a predicted claim matches a gold attribution when their content spans overlap by at least
half of the shorter one ("overlap"), and also counts as "exact" when the spans are equal after
dropping a leading "that", quotation marks and punctuation at the edges. Claims and gold
attributions are paired one to one, the most alike first: by the share of their union the two spans
share (Jaccard). Ranking by overlap of the shorter span instead (the rule until claims 0.3.0) scores
every gold span inside a long claim 1.0, so a claim covering an outer attribution and the inner one
it reports tied with both and was paired by annotation order, often with the inner attribution and
its other speaker. Source: on content-matched pairs, whether the speaker span watchfloor cites
overlaps (or equals) the gold Source span.

Watchfloor's claims come from the learned attribution model (``watchfloor/extract/attribution.py``,
trained on PolNeAR train only) plus the speaker-resolution rules, exactly as at ingest.

Baseline, measured in the same run with the same metric: bare spaCy (``load_base_model()``, no
gazetteer, no linker, no claim rules) on the same raw texts. Every sentence that holds a reporting
verb of the claims lexicon (``cue_verbs`` of ``data/lexicons/claims.yaml``, a token tagged VERB
whose lemma is listed) or a quotation mark is one attribution; its content is the whole sentence
(whitespace trimmed) and its source the PERSON or ORG entity of the sentence nearest (in tokens)
to the first reporting verb, or to the first quotation mark when there is no verb; no source when
the sentence has no such entity.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from watchfloor.eval.metrics import span_overlap
from watchfloor.extract.claims import extract_claims
from watchfloor.extract.claims_lexicon import load_claims_lexicon
from watchfloor.extract.info import entity_info, kind_lookup
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.link.places import load_place_index
from watchfloor.models import ClaimRecord
from watchfloor.nlp.pipeline import DEFAULT_MODEL, build_pipeline, load_base_model
from watchfloor.nlp.truecase import for_parser

Spans = list[tuple[int, int]]
_EDGE = re.compile(r"^[\s\"“”'‘’,.:;]*(?:that\s+)?|[\s\"“”'‘’,.:;]*$", re.I)


@dataclass
class Attribution:
    source: Spans
    content: Spans
    cue: Spans = field(default_factory=list)


@dataclass
class PolnearDoc:
    name: str
    text: str
    attributions: list[Attribution]


def _spans(field_text: str) -> Spans:
    out = []
    for part in field_text.split(";"):
        start, end = part.split()[-2:]
        out.append((int(start), int(end)))
    return out


def parse_ann(ann: str) -> list[Attribution]:
    """Attribution events with their Source and Content spans (discontinuous spans kept as parts)."""
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label = parts[1].split()[0]
            spans[parts[0]] = (label, _spans(parts[1][len(label) :].strip()))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    out = []
    for event in events:
        if not any(k.startswith("Attribution") and not k.endswith("no-source") for k in event):
            continue
        source = spans.get(event.get("Source", ""), ("", []))[1]
        content = spans.get(event.get("Content", ""), ("", []))[1]
        cue = spans.get(event.get("Cue", ""), ("", []))[1]
        if source and content:
            out.append(Attribution(source, content, cue))
    return out


def load_split(folder: Path) -> list[PolnearDoc]:
    """Documents of one split (``dev`` or ``train``) with their sourced attributions."""
    docs = []
    seen: set[str] = set()
    for ann in sorted((folder / "attributions").glob("*.ann")):
        name = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        text_path = folder / "text" / f"{name}.txt"
        if name in seen or not text_path.is_file():
            continue
        seen.add(name)
        text = text_path.read_text("utf-8")
        docs.append(PolnearDoc(name, text, parse_ann(ann.read_text("utf-8"))))
    return docs


def _core(text: str, span: tuple[int, int]) -> str:
    return " ".join(_EDGE.sub("", text[span[0] : span[1]]).split()).lower()


def _hull(spans: Spans) -> tuple[int, int]:
    return min(s for s, _ in spans), max(e for _, e in spans)


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter / (max(a[1], b[1]) - min(a[0], b[0])) if inter > 0 else 0.0


@dataclass
class PolnearScore:
    gold: int = 0
    predicted: int = 0
    content_overlap: int = 0
    content_exact: int = 0
    source_overlap: int = 0
    source_exact: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def prf(correct: int) -> dict[str, float]:
            p = correct / self.predicted if self.predicted else 0.0
            r = correct / self.gold if self.gold else 0.0
            return {
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            }

        matched = self.content_overlap
        return {
            "gold_attributions": self.gold,
            "predicted_claims": self.predicted,
            "content_overlap": prf(self.content_overlap),
            "content_exact": prf(self.content_exact),
            "source_given_content": {
                "overlap": round(self.source_overlap / matched, 4) if matched else None,
                "exact": round(self.source_exact / matched, 4) if matched else None,
            },
            "source_and_content_overlap": prf(self.source_overlap),
            "content_overlap_matches": matched,
        }


def score_document(doc: PolnearDoc, claims: list[ClaimRecord], score: PolnearScore) -> None:
    """Align one document's claims with its gold attributions and count matches."""
    score.gold += len(doc.attributions)
    score.predicted += len(claims)
    pairs = []
    for gi, gold in enumerate(doc.attributions):
        hull = _hull(gold.content)
        for pi, claim in enumerate(claims):
            if span_overlap(hull, (claim.start, claim.end)) >= 0.5:
                pairs.append((_jaccard(hull, (claim.start, claim.end)), gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _ov, gi, pi in sorted(pairs, reverse=True):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        gold, claim = doc.attributions[gi], claims[pi]
        score.content_overlap += 1
        score.content_exact += _core(doc.text, _hull(gold.content)) == _core(doc.text, (claim.start, claim.end))
        if claim.speaker_start is None or claim.speaker_end is None:
            continue
        said_by = (claim.speaker_start, claim.speaker_end)
        source = _hull(gold.source)
        if span_overlap(source, said_by) > 0:
            score.source_overlap += 1
            score.source_exact += _core(doc.text, source) == _core(doc.text, said_by)
        else:
            score.errors.append(
                f"{doc.name}: source {doc.text[source[0] : source[1]]!r}@{source[0]}"
                f" vs {claim.speaker_mention!r}@{said_by[0]}"
                f" (cue {claim.cue!r}, content {claim.text[:60]!r})"
            )


_QUOTES = frozenset('"“”')
_SOURCE_LABELS = frozenset({"PERSON", "ORG"})


def _trimmed(sent: Span) -> tuple[int, int]:
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return start, max(start, sent.start_char + len(text.rstrip()))


def baseline_attributions(doc: Doc) -> list[ClaimRecord]:
    """The bare baseline's attributions for one document parsed by bare spaCy (rules in the module docstring)."""
    cue_verbs = load_claims_lexicon().cue_verbs
    out = []
    for sent in doc.sents:
        cues = [t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() in cue_verbs]
        quotes = [t for t in sent if any(ch in _QUOTES for ch in t.text)]
        anchor: Token | None = cues[0] if cues else quotes[0] if quotes else None
        if anchor is None:
            continue
        start, end = _trimmed(sent)
        if end <= start:
            continue
        names = [e for e in sent.ents if e.label_ in _SOURCE_LABELS]
        source = min(names, key=lambda e: min(abs(e.start - anchor.i), abs(e.end - 1 - anchor.i)), default=None)
        claim = ClaimRecord(
            start,
            end,
            doc.text[start:end],
            bool(quotes),
            anchor.text,
            None,
            source.text if source is not None else None,
            source.text if source is not None else None,
            None,
            "factual",
            [(start, end)],
        )
        if source is not None:
            claim.speaker_start, claim.speaker_end = source.start_char, source.end_char
        out.append(claim)
    return out


@dataclass
class PolnearResult:
    """Watchfloor's claims and the bare baseline, scored the same way on the same documents."""

    watchfloor: PolnearScore
    baseline: PolnearScore
    documents: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "watchfloor": self.watchfloor.as_dict(),
            "baseline": self.baseline.as_dict(),
            "documents": self.documents,
            "seconds": self.seconds,
        }


def evaluate(folder: Path, gazetteer: Gazetteer, model: str = DEFAULT_MODEL, limit: int | None = None) -> PolnearResult:
    """Run claim extraction and the baseline on the raw texts (offsets must stay aligned) and score both."""
    started = time.perf_counter()
    nlp = build_pipeline(gazetteer, model)
    base = load_base_model(model)
    linker = Linker(gazetteer, load_place_index())
    ours, theirs = PolnearScore(), PolnearScore()
    docs = load_split(folder)[:limit]
    for doc in docs:
        spacy_doc = nlp(for_parser(doc.text))
        linked = linker.link(spacy_doc)
        kind_of = kind_lookup(entity_info(gazetteer, linked.entities))
        score_document(doc, extract_claims(spacy_doc, linked.mentions, None, kind_of), ours)
        score_document(doc, baseline_attributions(base(doc.text)), theirs)
    return PolnearResult(ours, theirs, len(docs), round(time.perf_counter() - started, 1))
