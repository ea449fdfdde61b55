"""Score claim extraction against gold files (tests/data/claims/<split>/gold.jsonl + articles).

Detection: a predicted claim matches a gold claim when their content spans overlap by at least half
of the shorter one (one-to-one, best overlap first). On matched pairs: speaker, role, kind, direct
quote, probability band and horizon accuracy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from watchfloor.eval.linking import find_occurrence
from watchfloor.eval.metrics import DetectionScore, span_overlap
from watchfloor.extract.claims import extract_claims, negated
from watchfloor.extract.info import entity_info, kind_lookup
from watchfloor.extract.stance import StanceInput, stance_links
from watchfloor.ingest.document import build_document
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.link.normalize import norm_name
from watchfloor.link.places import load_place_index
from watchfloor.models import ClaimRecord, RawInput
from watchfloor.nlp.pipeline import DEFAULT_MODEL, build_pipeline

FIELDS = ("speaker", "speaker_role", "kind", "quote", "probability_band", "horizon")
STANCES = ("agrees_with", "contradicts")


@dataclass
class ClaimScore(DetectionScore):
    stance_gold: int = 0  # agree/contradict pairs among matched claims
    stance_predicted: int = 0
    stance_correct: int = 0

    def as_dict(self) -> dict[str, Any]:
        data = self.detection_dict("claims", FIELDS)
        p, g, c = self.stance_predicted, self.stance_gold, self.stance_correct
        data["stance_pairs"] = {
            "gold": g,
            "predicted": p,
            "correct": c,
            "precision": round(c / p, 4) if p else None,
            "recall": round(c / g, 4) if g else None,
        }
        return data


def speaker_matches(gold: str, claim: ClaimRecord, gazetteer: Gazetteer) -> bool:
    """Same speaker: same normalised name, an alias of the linked entity, or the same surname."""
    if not claim.speaker_text:
        return False
    names = {norm_name(claim.speaker_text)}
    entry = gazetteer.by_key.get(claim.speaker_key or "")
    if entry is not None:
        names |= {norm_name(a) for a in (entry.record.name, *entry.record.aliases)}
    wanted = norm_name(gold)
    if wanted in names:
        return True
    last = {n.split()[-1] for n in names if n}
    return bool(wanted) and wanted.split()[-1] in last and len(wanted.split()) > 1


def role_matches(gold: str, predicted: str | None) -> bool:
    """Roles are worded freely ("journalist covering AQAP" vs "journalist who has covered the group"):
    the same role when one contains the other or most of the shorter one's words recur."""
    if not predicted:
        return False
    a, b = norm_name(gold), norm_name(predicted)
    return a in b or b in a or fuzz.token_set_ratio(a, b) >= 60


def _band_ok(gold: Any, claim: ClaimRecord) -> bool:
    if gold == "unstated":
        return claim.kind == "forecast" and claim.band_low is None
    if gold is None:
        return claim.band_low is None
    return bool(claim.band_low == gold[0] and claim.band_high == gold[1])


def predict_file(
    path: Path, published: date, nlp: Any, linker: Linker, gazetteer: Gazetteer
) -> tuple[str, list[ClaimRecord]]:
    """Clean text and the claims watchfloor extracts from one article."""
    doc = build_document(RawInput(str(path), "txt", path.read_bytes()))
    spacy_doc = nlp(doc.text)
    linked = linker.link(spacy_doc)
    kind_of = kind_lookup(entity_info(gazetteer, linked.entities))
    return doc.text, extract_claims(spacy_doc, linked.mentions, published, kind_of)


def _score_stance(
    score: ClaimScore, gold: list[dict[str, Any]], predicted: list[ClaimRecord], pairs: dict[int, int]
) -> None:
    """Agree/contradict links among matched claims: gold pairs vs pairs watchfloor links."""
    inputs = [
        StanceInput(i, p.speaker_key or p.speaker_text or "", frozenset(p.about), p.text, negated(p), p.kind)
        for i, p in enumerate(predicted)
    ]
    links = stance_links(inputs)
    gold_index = {g["id"]: i for i, g in enumerate(gold)}
    wanted: set[tuple[int, int, str]] = set()
    for gi, g in enumerate(gold):
        for name in STANCES:
            for other in g.get(name) or []:
                oi = gold_index.get(other)
                if gi in pairs and oi in pairs and gi < oi:
                    wanted.add((pairs[gi], pairs[oi], name))
    got: set[tuple[int, int, str]] = set()
    matched_predictions = set(pairs.values())
    for pi, (agrees, contradicts) in links.items():
        for name, others in (("agrees_with", agrees), ("contradicts", contradicts)):
            for oi in others:
                if pi in matched_predictions and oi in matched_predictions:
                    got.add((min(pi, oi), max(pi, oi), name))
    wanted = {(min(a, b), max(a, b), n) for a, b, n in wanted}
    score.stance_gold += len(wanted)
    score.stance_predicted += len(got)
    score.stance_correct += len(wanted & got)


def evaluate(folder: Path, gazetteer: Gazetteer, model: str = DEFAULT_MODEL) -> ClaimScore:
    """Score every article of a gold folder."""
    nlp = build_pipeline(gazetteer, model)
    linker = Linker(gazetteer, load_place_index())
    score = ClaimScore()
    for line in (folder / "gold.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        text, predicted = predict_file(
            folder / item["file"], date.fromisoformat(item["published"]), nlp, linker, gazetteer
        )
        score.predicted += len(predicted)
        pairs = []
        for gi, g in enumerate(item["claims"]):
            try:
                start = find_occurrence(text, g["text"], int(g.get("occurrence", 1)))
            except ValueError:
                score.errors.append(f"{item['file']} [{g['id']}]: text not in the cleaned article")
                continue
            span = (start, start + len(g["text"]))
            for pi, p in enumerate(predicted):
                ov = span_overlap(span, (p.start, p.end))
                if ov >= 0.5:
                    pairs.append((ov, gi, pi))
        score.gold += len(item["claims"])
        used_g: set[int] = set()
        used_p: set[int] = set()
        used_order_g: list[int] = []
        used_order_p: list[int] = []
        for _ov, gi, pi in sorted(pairs, reverse=True):
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            used_order_g.append(gi)
            used_order_p.append(pi)
            score.matched += 1
            g, p = item["claims"][gi], predicted[pi]
            where = f"{item['file']} [{g['id']} {g['text'][:40]}]"
            score.check("speaker", speaker_matches(g["speaker"], p, gazetteer), where, g["speaker"], p.speaker_text)
            if g.get("speaker_role"):
                ok = role_matches(g["speaker_role"], p.speaker_role)
                score.check("speaker_role", ok, where, g["speaker_role"], p.speaker_role)
            score.check("kind", p.kind == g["kind"], where, g["kind"], p.kind)
            score.check("quote", p.quote == bool(g["quote"]), where, g["quote"], p.quote)
            score.check(
                "probability_band",
                _band_ok(g["probability_band"], p),
                where,
                g["probability_band"],
                [p.band_low, p.band_high],
            )
            if g.get("horizon_end") or p.horizon_end:
                ok = p.horizon_end == g.get("horizon_end") and (g.get("horizon_start") in (None, p.horizon_start))
                score.check(
                    "horizon",
                    ok,
                    where,
                    [g.get("horizon_start"), g.get("horizon_end")],
                    [p.horizon_start, p.horizon_end],
                )
        _score_stance(score, item["claims"], predicted, dict(zip(used_order_g, used_order_p, strict=True)))
        for gi, g in enumerate(item["claims"]):
            if gi not in used_g:
                score.errors.append(
                    f"{item['file']} [{g['id']}]: missed {g['text'][:60]!r} ({g['speaker']}, {g['cue']})"
                )
        for pi, p in enumerate(predicted):
            if pi not in used_p:
                score.errors.append(f"{item['file']}: spurious {p.text[:60]!r} ({p.speaker_text}, {p.cue})")
    return score
