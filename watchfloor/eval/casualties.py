"""Killed and wounded figures on real wires: MUC-4 dev answer keys (template effects) against ingest.

Gold: for each MUC-4 dev template (``../shared/eval/muc4/templates_dev.jsonl``), killed = the sum of the
numbers of its human targets whose effect is ``DEATH`` and wounded = the same for ``INJURY`` (a target
counted as ``PLURAL`` or with a questioned effect makes the figure unknown: not scored). Only templates
with at least one death (or injury) are scored for that figure.

System: the 200 wires are ingested together, as written (all caps), into a fresh store with the real
``ingest``. A template's report is the stored event report of its wire whose evidence sentences name the
template most often (the sentence-to-template rule of ``eval.merging``: the filler strings that tell the
wire's templates apart). Its figure is the report's ``killed`` (else its lower bound ``killed_low``).

Scores per figure: *found* = templates with a report that gives a figure; *exact* = the figure equals the
gold number; precision-like *right when given* = exact / found; *end to end* = exact / scored templates.

Place (part of the same run): a template's country is the first part of its location ("COLOMBIA: BOGOTA
(CITY)"), its towns the parts after it without their kind; the report's event country (ISO code) must be
that country's code and the report's place text, or the name of the event's resolved place when the report
names a place ("the capital" is San Salvador), one of the towns (case and accents folded, a trailing
"district" or "province" dropped as the template's kind in brackets is). Scored over
templates with a report that names a country (country) or a place (town), and end to end over all
templates with a country. Baseline for place: the wire's dateline town (the words before its first
comma) and that town's country in the same place index, which is where a wire agency usually is.

Baseline, on the same wires and templates: in the sentences naming the template (same rule), the number
(digits or a number word up to twenty; "a" or "an" counts as 1) nearest a death word (killed, dead, died,
murdered, assassinated, ...) or an injury word (wounded, injured, hurt), within four words; what a
keyword reader gives.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from watchfloor.eval.merging import MUC4_FILE, ingest_texts, label_sentence, load_muc4

FIGURES = ("killed", "wounded")
EFFECT = {"killed": "DEATH", "wounded": "INJURY"}
_NUMBER = re.compile(r'^(\d+|PLURAL|SINGULAR)(?:\s*-\s*(\d+))?:\s*"(.+)"$')
_EFFECT = re.compile(r'^([A-Z? /]+):\s*"(.+)"$')
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")
_NUMBER_WORDS = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"),
]
_WORDS = {w: i for i, w in enumerate(_NUMBER_WORDS)}
_WORDS.update({"a": 1, "an": 1})
_CUES = {
    "killed": re.compile(r"\b(?:killed|killing|dead|died|death|deaths|murdered|assassinated|slain)\b", re.I),
    "wounded": re.compile(r"\b(?:wounded|wounding|injured|injuring|hurt)\b", re.I),
}
_TOKEN = re.compile(r"[A-Za-z]+|\d+")
_DIVISION = re.compile(r"\s+(?:district|province|department|region|county|municipality)$")


@dataclass
class FigureScore:
    scored: int = 0
    found: int = 0
    exact: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scored": self.scored,
            "found": self.found,
            "exact": self.exact,
            "right_when_given": round(100 * self.exact / self.found, 1) if self.found else None,
            "end_to_end": round(100 * self.exact / self.scored, 1) if self.scored else None,
        }


def gold_figures(template: dict[str, Any]) -> dict[str, int | None]:
    """Killed and wounded of one template; None when it has no such effect or an uncountable one."""
    numbers: dict[str, int | None] = {}
    for value in template.get("hum_target_number") or []:
        m = _NUMBER.match(str(value))
        if m:
            numbers[m.group(3)] = int(m.group(1)) if m.group(1).isdigit() and not m.group(2) else None
    out: dict[str, int | None] = {}
    for figure in FIGURES:
        total: int | None = 0
        hit = False
        for value in template.get("hum_target_effect") or []:
            m = _EFFECT.match(str(value))
            if not m or m.group(1).strip() != EFFECT[figure]:
                continue
            hit = True
            count = numbers.get(m.group(2))
            total = None if count is None or total is None else total + count
        out[figure] = total if hit and total else None
    return out


def baseline_figure(sentences: list[str], figure: str) -> int | None:
    """The number nearest a death (or injury) word, within four words, in the template's sentences."""
    for sentence in sentences:
        tokens = _TOKEN.findall(sentence)
        for i, tok in enumerate(tokens):
            if not _CUES[figure].fullmatch(tok):
                continue
            best: tuple[int, int] | None = None
            for j in range(max(0, i - 4), min(len(tokens), i + 5)):
                word = tokens[j].lower()
                value = int(word) if word.isdigit() and len(word) < 5 else _WORDS.get(word)
                if value is not None and (best is None or abs(j - i) < best[0]):
                    best = (abs(j - i), value)
            if best is not None:
                return best[1]
    return None


def evaluate(folder: Path) -> dict[str, Any]:
    """Killed and wounded per MUC-4 dev template, watchfloor (as ingested) vs the keyword baseline."""
    began = time.perf_counter()
    texts, templates = load_muc4(folder)
    labels = resources.files("watchfloor").joinpath(MUC4_FILE).read_text("utf-8").splitlines()
    slug = {(r["docid"], str(r["template_id"])): str(r["incident"]) for r in map(json.loads, filter(None, labels))}
    gold: dict[tuple[str, str], dict[str, int | None]] = {}
    for line in (folder / "templates_dev.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        for t in row.get("events") or []:
            if (row["docid"], str(t["template_id"])) in slug:
                gold[(row["docid"], slug[(row["docid"], str(t["template_id"]))])] = gold_figures(t)
    with tempfile.TemporaryDirectory(prefix="watchfloor-casualties-") as tmp:
        ingest_texts(texts, Path(tmp), None)
        with sqlite3.connect(Path(tmp) / "store.db") as conn:
            place_mentions = conn.execute(
                """SELECT d.source, m.text, e.country_code FROM mentions m JOIN documents d ON d.id = m.doc_id
                   LEFT JOIN entities e ON e.id = m.entity_id WHERE m.label IN ('GPE', 'LOC', 'FAC')"""
            ).fetchall()
            rows = conn.execute(
                """SELECT r.id, d.source, d.text, x.start, x.end, r.killed, r.killed_low, r.wounded, r.wounded_low,
                          r.place_text, ev.country, pe.name
                   FROM event_reports r JOIN documents d ON d.id = r.doc_id JOIN events ev ON ev.id = r.event_id
                   JOIN event_evidence x ON x.report_id = r.id
                   LEFT JOIN entities pe ON pe.id = ev.place_entity_id AND r.place_text IS NOT NULL"""
            ).fetchall()
    votes: dict[tuple[str, str], Counter[int]] = {}
    report_figures: dict[int, dict[str, int | None]] = {}
    report_places: dict[int, tuple[str | None, str | None, str | None]] = {}
    for report, source, text, start, end, killed, killed_low, wounded, wounded_low, place, country, place_name in rows:
        name = Path(source).stem
        report_figures[report] = {
            "killed": killed if killed is not None else killed_low,
            "wounded": wounded if wounded is not None else wounded_low,
        }
        report_places[report] = (place, country, place_name)
        for label in label_sentence(text[start:end], templates.get(name, [])):
            votes.setdefault((name, label.incident), Counter())[report] += 1
    ours = {f: FigureScore() for f in FIGURES}
    bare = {f: FigureScore() for f in FIGURES}
    sentences_of = _template_sentences(texts, templates)
    for key, figures in sorted(gold.items()):
        chosen = votes.get(key)
        report = chosen.most_common(1)[0][0] if chosen else None
        for figure in FIGURES:
            expected = figures[figure]
            if expected is None:
                continue
            for score, value in (
                (ours[figure], report_figures[report][figure] if report is not None else None),
                (bare[figure], baseline_figure(sentences_of.get(key, []), figure)),
            ):
                score.scored += 1
                score.found += value is not None
                score.exact += value == expected
                if value is not None and value != expected and score is ours[figure]:
                    score.errors.append(f"{key[0]} {key[1]} {figure}: gold {expected}, watchfloor {value}")
    places = _score_places(folder, texts, slug, votes, report_places)
    mentioned: dict[tuple[str, str], Counter[str | None]] = {}
    for source, mention, country in place_mentions:
        mentioned.setdefault((Path(source).stem, _fold(mention)), Counter())[country] += 1
    return {
        "templates": len(gold),
        "places": places,
        "geocoding": score_geocoding(folder, mentioned),
        "watchfloor": {f: s.as_dict() for f, s in ours.items()},
        "baseline": {f: s.as_dict() for f, s in bare.items()},
        "errors": [e for f in FIGURES for e in ours[f].errors],
        "seconds": round(time.perf_counter() - began, 1),
    }


def _template_sentences(
    texts: dict[str, str], templates: dict[str, list[tuple[str, set[str]]]]
) -> dict[tuple[str, str], list[str]]:
    """The sentences of each wire that name one of its templates (the baseline reads only these)."""
    out: dict[tuple[str, str], list[str]] = {}
    for name, text in texts.items():
        flat = " ".join(text.split())
        for m in _SENTENCE.finditer(flat):
            for label in label_sentence(m.group(0), templates.get(name, [])):
                out.setdefault((name, label.incident), []).append(m.group(0))
    return out


def _fold(name: str) -> str:
    from watchfloor.link.normalize import norm_name

    return norm_name(name)


def score_geocoding(folder: Path, mentioned: dict[tuple[str, str], Counter[str | None]]) -> dict[str, Any]:
    """Country of each template town a wire names, as linked in that wire, against the template's country.

    Every (wire, town) pair counts once, over the towns the NER tagged as a place in that wire; a town
    linked to several places counts by its most frequent country. Baseline: the largest place of that
    name in the same place index, which is what a gazetteer look-up without context gives.
    """
    from watchfloor.link.places import load_place_index

    index = load_place_index()
    ours, bare = FigureScore(), FigureScore()
    seen: set[tuple[str, str]] = set()
    for line in (folder / "templates_dev.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        for t in row.get("events") or []:
            country, towns = template_location(str((t.get("location") or [""])[0]))
            place = index.countries.get(_fold(country)) if country else None
            for town in towns:
                key = (row["docid"], _fold(town))
                if place is None or key in seen or key not in mentioned:
                    continue
                seen.add(key)
                got = mentioned[key].most_common(1)[0][0]
                namesakes = index.candidates(town)
                largest = max(namesakes, key=lambda c: c.population).country_code if namesakes else None
                for score, value in ((ours, got), (bare, largest)):
                    score.scored += 1
                    score.found += value is not None
                    score.exact += value == place.country_code
                    if value != place.country_code and score is ours:
                        score.errors.append(f"{row['docid']} {town}: gold {place.country_code}, watchfloor {value}")
    return {"watchfloor": ours.as_dict(), "baseline": bare.as_dict(), "errors": ours.errors}


def template_location(location: str) -> tuple[str, list[str]]:
    """('COLOMBIA', ['BOGOTA']) from 'COLOMBIA: BOGOTA (CITY)'; alternatives ('/') give every town."""
    country = ""
    towns: list[str] = []
    for alternative in location.split(" / "):
        parts = [re.sub(r"\(.*?\)", "", p).strip(" ()") for p in alternative.split(":")]
        country = country or parts[0]
        towns += [t.strip() for part in parts[1:] for t in part.split(" - ") if t.strip()]
    return country, towns


def _score_places(
    folder: Path,
    texts: dict[str, str],
    slug: dict[tuple[str, str], str],
    votes: dict[tuple[str, str], Counter[int]],
    report_places: dict[int, tuple[str | None, str | None, str | None]],
) -> dict[str, Any]:
    from watchfloor.link.normalize import norm_name
    from watchfloor.link.places import load_place_index

    index = load_place_index()

    def code(name: str) -> str | None:
        place = index.countries.get(norm_name(name))
        return place.country_code if place is not None else None

    def dateline_guess(text: str) -> tuple[str, str | None]:
        town = re.sub(r"\(.*?\)", "", text.split(",", 1)[0]).strip()
        found = index.resolve(town, set())
        return town, (found.country_code if found is not None else None)

    ours = {"country": FigureScore(), "town": FigureScore()}
    bare = {"country": FigureScore(), "town": FigureScore()}
    for line in (folder / "templates_dev.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        for t in row.get("events") or []:
            key = (row["docid"], slug.get((row["docid"], str(t["template_id"])), ""))
            country, towns = template_location(str((t.get("location") or [""])[0]))
            expected = code(country) if country else None
            if expected is None:
                continue
            chosen = votes.get(key)
            place, got, name = report_places[chosen.most_common(1)[0][0]] if chosen else (None, None, None)
            guess_town, guess_country = dateline_guess(texts[row["docid"]])
            wanted = {norm_name(x) for x in towns}
            for scores, (town, country_code, resolved) in (
                (ours, (place, got, name)),
                (bare, (guess_town, guess_country, None)),
            ):
                scores["country"].scored += 1
                scores["country"].found += country_code is not None
                scores["country"].exact += country_code == expected
                if wanted:
                    scores["town"].scored += 1
                    scores["town"].found += town is not None
                    scores["town"].exact += town is not None and (
                        _DIVISION.sub("", norm_name(town)) in wanted
                        or (resolved is not None and norm_name(resolved) in wanted)
                    )
    return {
        "watchfloor": {k: v.as_dict() for k, v in ours.items()},
        "baseline": {k: v.as_dict() for k, v in bare.items()},
    }
