"""How well the author's own judgements are found, on real opinion, analysis and news pages.

The gold (``watchfloor/data/eval/author_claims.json``) marks, sentence by sentence and exhaustively,
every forecast or assessment in the author's own voice in real articles of
``../shared/eval/article_extraction`` (the scrapinghub pages and trafilatura_eval dev pages). It
holds document ids, character offsets into the page title or the gold body text, a short hash of
each span (so a changed text is detected, never silently mis-scored) and the kind; never the texts,
which are read in place:

* scrapinghub: body = ``gt/<id>.json`` articleBody; title, author, outlet from the page's HTML
  metadata (``trafilatura.extract_metadata``);
* trafilatura_eval: body = ``trafilatura.extract`` of the page with default settings; title, author,
  outlet from the gold ``gt/<id>.json``.

Documents are split by a hash of their id into a dev part (for tuning and training) and a held-out
part (never tuned on). Scoring is per sentence with span overlap: a predicted claim and a gold span
match when their character spans overlap (one to one). The baseline is bare: every sentence with a
modal verb (spaCy tag MD) is a judgement.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

GOLD = "data/eval/author_claims.json"
PARTS = ("dev", "heldout", "all")


@dataclass
class GoldSpan:
    start: int  # in the analysed text: title + "\n\n" + body
    end: int
    kind: str


@dataclass
class AnnotatedDoc:
    doc_id: str
    corpus: str
    part: str
    title: str | None
    author: str | None
    sitename: str | None
    text: str
    gold: list[GoldSpan]


@dataclass
class PartScore:
    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_predicted: int = 0
    kind_right: int = 0

    def as_dict(self) -> dict[str, Any]:
        p, r, f = prf(self.matched_predicted, self.predicted, self.matched_gold, self.gold)
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched_gold,
            "precision": p,
            "recall": r,
            "f1": f,
            "kind_accuracy": round(self.kind_right / self.matched_gold, 4) if self.matched_gold else None,
        }


@dataclass
class Result:
    part: str
    documents: int = 0
    judgements: int = 0
    watchfloor: PartScore = field(default_factory=PartScore)
    baseline: PartScore = field(default_factory=PartScore)
    drifted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "documents": self.documents,
            "judgements": self.judgements,
            "watchfloor": self.watchfloor.as_dict(),
            "baseline": self.baseline.as_dict(),
            "baseline_is": "every sentence with a modal verb",
            "drifted": self.drifted,
            "seconds": self.seconds,
        }


def prf(matched_p: int, predicted: int, matched_g: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1, rounded to four places."""
    p = matched_p / predicted if predicted else 0.0
    r = matched_g / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


def span_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def doc_part(doc_id: str) -> str:
    """dev or heldout, by a hash of the document id (about a third of the documents held out)."""
    return "heldout" if int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:8], 16) % 3 == 1 else "dev"


@lru_cache(maxsize=1)
def load_gold() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads((resources.files("watchfloor") / GOLD).read_text("utf-8"))
    return spec


def gold_hash() -> str:
    """sha256 of the gold file (recorded by the training script)."""
    return hashlib.sha256((resources.files("watchfloor") / GOLD).read_bytes()).hexdigest()


def _page_texts(data: Path, corpus: str, doc_id: str) -> tuple[str, str | None, str | None, str | None]:
    """(body, title, author, outlet) of one page, read from the shared corpus."""
    import trafilatura

    if corpus == "scrapinghub":
        gt = json.loads((data / "gt" / f"{doc_id}.json").read_text("utf-8"))
        html = gzip.decompress((data / "html" / f"{doc_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        meta = trafilatura.extract_metadata(html)
        return (
            str(gt["articleBody"]),
            meta.title if meta else None,
            meta.author if meta else None,
            meta.sitename if meta else None,
        )
    folder = data / "trafilatura_eval" / "dev"
    gt = json.loads((folder / "gt" / f"{doc_id}.json").read_text("utf-8"))
    raw = gzip.decompress((folder / "html" / f"{doc_id}.html.gz").read_bytes())
    body = trafilatura.extract(raw) or ""
    author = gt.get("author")
    if isinstance(author, list):
        author = "; ".join(str(a) for a in author)
    return body, gt.get("title") or None, author or None, gt.get("sitename") or None


def annotated_documents(data: Path, part: str = "dev", drifted: list[str] | None = None) -> Iterator[AnnotatedDoc]:
    """The annotated documents of one part, texts read from ``data`` (article_extraction folder).

    A document whose text no longer hashes as annotated is skipped and named in ``drifted``.
    """
    for entry in load_gold()["documents"]:
        if part != "all" and entry["part"] != part:
            continue
        body, title, author, sitename = _page_texts(data, entry["corpus"], entry["doc"])
        title = title or ""
        ok = span_hash(body) == entry["body_sha1"] and span_hash(title) == entry["title_sha1"]
        offset = len(title) + 2 if title else 0
        text = (title + "\n\n" if title else "") + body
        gold: list[GoldSpan] = []
        for j in entry["judgements"]:
            source = title if j["field"] == "title" else body
            if span_hash(source[j["start"] : j["end"]]) != j["sha1"]:
                ok = False
                break
            shift = 0 if j["field"] == "title" else offset
            gold.append(GoldSpan(j["start"] + shift, j["end"] + shift, j["kind"]))
        if not ok:
            if drifted is not None:
                drifted.append(entry["doc"])
            continue
        yield AnnotatedDoc(entry["doc"], entry["corpus"], entry["part"], title or None, author, sitename, text, gold)


def match(gold: list[GoldSpan], predicted: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index) of overlapping spans, largest overlap first."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, (s, e, _kind) in enumerate(predicted):
            overlap = min(g.end, e) - max(g.start, s)
            if overlap > 0:
                pairs.append((-overlap, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _neg, gi, pi in sorted(pairs):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def score(target: PartScore, gold: list[GoldSpan], predicted: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    pairs = match(gold, predicted)
    target.gold += len(gold)
    target.predicted += len(predicted)
    target.matched_gold += len(pairs)
    target.matched_predicted += len(pairs)
    target.kind_right += sum(1 for gi, pi in pairs if gold[gi].kind == predicted[pi][2])
    return pairs


def baseline_predictions(spacy_doc: Any) -> list[tuple[int, int, str]]:
    """Every sentence with a modal verb is a judgement (a forecast when the modal is will/would/'ll)."""
    out = []
    for sent in spacy_doc.sents:
        modals = [t for t in sent if t.tag_ == "MD"]
        if modals:
            kind = "forecast" if any(t.lower_ in ("will", "'ll", "wo", "shall") for t in modals) else "assessment"
            out.append((sent.start_char, sent.end_char, kind))
    return out


class Analyser:
    """The ingest pipeline's parse, linking and attributed claims, built once."""

    def __init__(self) -> None:
        from watchfloor.link.actors import Linker
        from watchfloor.link.gazetteer import load_gazetteer
        from watchfloor.link.places import load_place_index
        from watchfloor.nlp.pipeline import build_pipeline

        self.gazetteer = load_gazetteer()
        self.linker = Linker(self.gazetteer, load_place_index())
        self.nlp = build_pipeline(self.gazetteer)

    def analyse(self, doc: AnnotatedDoc) -> tuple[Any, list[tuple[int, int]], Any]:
        """(spaCy doc, spans of attributed claims, mentions)."""
        from watchfloor.extract.author_claims import attributed_spans
        from watchfloor.extract.claims import extract_claims
        from watchfloor.extract.info import entity_info, kind_lookup

        spacy_doc = self.nlp(doc.text)
        linked = self.linker.link(spacy_doc)
        kind_of = kind_lookup(entity_info(self.gazetteer, linked.entities))
        claims = extract_claims(spacy_doc, linked.mentions, None, kind_of)
        return spacy_doc, attributed_spans(claims), linked.mentions


def evaluate(data: Path, part: str = "dev", analyser: Analyser | None = None) -> Result:
    """Score watchfloor and the modal-verb baseline on one part of the annotated documents."""
    from watchfloor.extract.author_claims import extract_author_claims

    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}")
    started = time.perf_counter()
    analyser = analyser or Analyser()
    result = Result(part)
    for doc in annotated_documents(data, part, result.drifted):
        spacy_doc, attributed, mentions = analyser.analyse(doc)
        claims, _speaker = extract_author_claims(
            spacy_doc, doc.title, doc.author, doc.sitename, attributed, None, mentions
        )
        predicted = [(c.start, c.end, c.kind) for c in claims]
        pairs = score(result.watchfloor, doc.gold, predicted)
        score(result.baseline, doc.gold, baseline_predictions(spacy_doc))
        result.documents += 1
        result.judgements += len(doc.gold)
        hit_g = {g for g, _ in pairs}
        hit_p = {p for _, p in pairs}
        for gi, g in enumerate(doc.gold):
            if gi not in hit_g:
                result.errors.append(f"{doc.doc_id[:16]} missed {g.kind} at {g.start}-{g.end}")
        for pi, (s, e, kind) in enumerate(predicted):
            if pi not in hit_p:
                result.errors.append(f"{doc.doc_id[:16]} spurious {kind} at {s}-{e}")
    result.seconds = round(time.perf_counter() - started, 1)
    return result
