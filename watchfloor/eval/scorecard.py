"""One accuracy scorecard over every real-world dev set, each figure beside a bare baseline.

Each section runs one public gold set from ``../shared/eval`` (text nobody here wrote) and yields
rows: what is measured, watchfloor's figure, the bare baseline's figure measured in the same run,
and how many items it rests on. ``fast`` runs the sections cheap enough for CI (a regression guard
compares them with the committed ``docs/accuracy.json``). Figures are percentages.

Parts: trafilatura_eval and scrapinghub pages are split by a hash of the page id into a *train*
part (used while developing the cleaners and metadata readers) and an *eval* part that was not
looked at while tuning; the scorecard reports the eval part wherever a part exists.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FAST_SECTIONS = ("pasted_furniture", "pasted_metadata", "html")
ALL_SECTIONS = (
    *FAST_SECTIONS,
    "wikievents",
    "merging",
    "casualties",
    "re3d",
    "polnear",
    "muc4",
    "author_claims",
    "stance",
)


@dataclass(frozen=True)
class Row:
    section: str
    metric: str
    watchfloor: float | None
    baseline: float | None
    baseline_name: str
    n: int | None = None

    @property
    def key(self) -> str:
        return f"{self.section} / {self.metric}"


def _pct(value: Any) -> float | None:
    return None if value is None else round(100 * float(value), 1)


def _pasted_furniture(data: Path) -> list[Row]:
    from watchfloor.eval.pasted import SCRAPINGHUB, TRAFILATURA, evaluate_pasted

    result = evaluate_pasted(data / "article_extraction", part="eval")
    rows = []
    for corpus in (SCRAPINGHUB, TRAFILATURA):
        scores, n = result["scores"][corpus], result["pages"][corpus]
        for base in ("keep_all", "lexicon"):
            if corpus == SCRAPINGHUB:
                rows.append(
                    Row(f"pasted text, {corpus} (eval part)", f"4-shingle F1 (baseline: {base.replace('_', ' ')})",
                        _pct(scores["model"]["shingle4"]["f1"]), _pct(scores[base]["shingle4"]["f1"]), base, n)
                )  # fmt: skip
            else:
                rows.append(
                    Row(f"pasted text, {corpus} (eval part)", f"snippet F1 (baseline: {base.replace('_', ' ')})",
                        _pct(scores["model"]["snippets"]["f1"]), _pct(scores[base]["snippets"]["f1"]), base, n)
                )  # fmt: skip
        rows.append(
            Row(f"pasted text, {corpus} (eval part)", "furniture-line recall",
                _pct(scores["model"]["furniture_recall"]), _pct(scores["lexicon"]["furniture_recall"]), "lexicon",
                scores["model"]["furniture_lines"])
        )  # fmt: skip
        rows.append(
            Row(f"pasted text, {corpus} (eval part)", "article-line retention",
                _pct(scores["model"]["article_retention"]), _pct(scores["lexicon"]["article_retention"]), "lexicon",
                scores["model"]["article_lines"])
        )  # fmt: skip
    return rows


def _metadata_rows(section: str, meta: dict[str, Any], ours: str, base: str) -> list[Row]:
    rows = []
    for field in ("title", "author", "date"):
        mine, theirs = meta[ours][field], meta[base][field]
        rows.append(
            Row(section, f"{field} exact", _pct(mine["accuracy"]), _pct(theirs["accuracy"]), base, mine["total"])
        )
    mine, theirs = meta[ours]["date"], meta[base]["date"]
    rows.append(
        Row(section, "date after the true date (lower is better)", _pct(mine["future"] / max(mine["total"], 1)),
            _pct(theirs["future"] / max(theirs["total"], 1)), base, mine["total"])
    )  # fmt: skip
    rows.append(
        Row(section, "date missing", _pct(mine["missing"] / max(mine["total"], 1)),
            _pct(theirs["missing"] / max(theirs["total"], 1)), base, mine["total"])
    )  # fmt: skip

    def wrong(s: dict[str, Any]) -> float | None:
        return _pct((s["total"] - s["correct"] - s["missing"]) / max(s["total"], 1))

    rows.append(Row(section, "date wrong (lower is better)", wrong(mine), wrong(theirs), base, mine["total"]))
    mine, theirs = meta[ours]["author"], meta[base]["author"]
    rows.append(Row(section, "author wrong (lower is better)", wrong(mine), wrong(theirs), base, mine["total"]))
    return rows


def _pasted_metadata(data: Path) -> list[Row]:
    from watchfloor.eval.pages import evaluate_pasted_metadata

    result = evaluate_pasted_metadata(data / "article_extraction", part="eval")
    section = f"pasted text, trafilatura_eval metadata (eval part, {result['pages']} pages)"
    return _metadata_rows(section, result["metadata"], "watchfloor", "naive_first_line")


def _html(data: Path) -> list[Row]:
    from watchfloor.eval.pages import evaluate_html

    result = evaluate_html(data / "article_extraction", part="eval")
    base = "bare_trafilatura"
    sh, sn = result["scrapinghub_shingle4"], result["trafilatura_snippets"]
    rows = [
        Row("HTML, scrapinghub main text (eval part)", "4-shingle F1", _pct(sh["watchfloor"]["f1"]),
            _pct(sh[base]["f1"]), base, result["scrapinghub_pages"]),
        Row("HTML, trafilatura_eval main text (eval part)", "snippet F1", _pct(sn["watchfloor"]["f1"]),
            _pct(sn[base]["f1"]), base, result["trafilatura_pages"]),
    ]  # fmt: skip
    section = f"HTML, trafilatura_eval metadata (eval part, {result['trafilatura_pages']} pages)"
    return rows + _metadata_rows(section, result["metadata"], "watchfloor", base)


def _prf_rows(section: str, ours: dict[str, Any], base: dict[str, Any], name: str, keys: Iterable[str]) -> list[Row]:
    return [
        Row(section, f"{key} F1", _pct(ours[key]["f1"]), _pct(base[key]["f1"]), name, ours[key].get("gold"))
        for key in keys
    ]


def _wikievents(data: Path) -> list[Row]:
    from watchfloor.eval.wikievents import evaluate
    from watchfloor.link.gazetteer import load_gazetteer

    r = evaluate(data / "wikievents", load_gazetteer())
    section = f"WikiEvents dev ({r['documents']} docs)"
    rows = _prf_rows(section, r["watchfloor"], r["baseline"], "attack-word sentences / bare spaCy NER",
                     ("attack_sentences", "attack_documents"))  # fmt: skip
    args_ours, args_base = r["watchfloor"]["arguments_head"], r["baseline"]["arguments_head"]
    rows += _prf_rows(section, {f"argument head {k}": v for k, v in args_ours.items()},
                      {f"argument head {k}": v for k, v in args_base.items()}, "bare spaCy NER",
                      [f"argument head {k}" for k in args_ours])  # fmt: skip
    return rows


def _merging(data: Path) -> list[Row]:
    from watchfloor.eval.merging import evaluate

    rows = []
    for dataset, name in (("wikievents", "WikiEvents"), ("muc4", "MUC-4")):
        r = evaluate(data / dataset, dataset)
        section = (
            f"event merging, {name} dev ({r['documents']} docs; {r['units']} units naming {r['incidents']} incidents)"
        )
        for scope, label in (("all", "unit pairs"), ("across_documents", "unit pairs across documents")):
            ours, base = r["watchfloor"][scope], r["baseline"][scope]
            for key, n in (("precision", "merged_pairs"), ("recall", "same_incident_pairs")):
                rows.append(Row(section, f"merge {key}, {label}", ours[key], base[key], "one event per document",
                                ours[n]))  # fmt: skip
    return rows


def _casualties(data: Path) -> list[Row]:
    from watchfloor.eval.casualties import FIGURES, evaluate

    r = evaluate(data / "muc4")
    section = f"casualties, MUC-4 dev wires as ingested ({r['templates']} templates)"
    name = "number nearest a death/injury word"
    return (
        [
            Row(
                section,
                f"{figure} exact, {label}",
                r["watchfloor"][figure][key],
                r["baseline"][figure][key],
                name,
                r["watchfloor"][figure]["scored" if key == "end_to_end" else "found"],
            )
            for figure in FIGURES
            for key, label in (("end_to_end", "of templates with the figure"), ("right_when_given", "when given"))
        ]
        + [
            Row(
                section,
                f"{what} right, {label}",
                r["places"]["watchfloor"][what][key],
                r["places"]["baseline"][what][key],
                "the wire's dateline town and its country",
                r["places"]["watchfloor"][what]["scored" if key == "end_to_end" else "found"],
            )
            for key, label in (("end_to_end", "of templates"), ("right_when_given", "when given"))
            for what in ("country", "town")
        ]
        + [
            Row(
                "geocoding, MUC-4 dev template towns the wire names (as ingested)",
                "country right",
                r["geocoding"]["watchfloor"]["end_to_end"],
                r["geocoding"]["baseline"]["end_to_end"],
                "the largest place of that name",
                r["geocoding"]["watchfloor"]["scored"],
            )
        ]
    )


def _re3d(data: Path) -> list[Row]:
    from watchfloor.eval.re3d import evaluate
    from watchfloor.link.gazetteer import load_gazetteer

    r = evaluate(data / "re3d", load_gazetteer())
    section = f"re3d ({r['documents']} docs)"
    ours, base = r["watchfloor"]["mentions_overlap"], r["baseline"]["mentions_overlap"]
    rows = _prf_rows(section, {f"mentions overlap {k}": v for k, v in ours.items()},
                     {f"mentions overlap {k}": v for k, v in base.items()}, "bare spaCy NER",
                     [f"mentions overlap {k}" for k in ours])  # fmt: skip
    # relations: the held-out part only (the relation model is trained on the rest of re3d dev)
    held = r["relations_by_split"]["heldout"]
    rel_section = f"re3d held-out part ({r['split_documents']['heldout']} docs)"
    rel_ours, rel_base, rel_rules = held["watchfloor"], held["baseline"], held["rules"]
    rows += _prf_rows(rel_section, {f"relations {k}": v for k, v in rel_ours.items()},
                      {f"relations {k}": v for k, v in rel_base.items()}, "every same-sentence pair",
                      [f"relations {k}" for k in rel_ours])  # fmt: skip
    rows += _prf_rows(rel_section, {"relations all (vs hand rules alone)": rel_ours["all"]},
                      {"relations all (vs hand rules alone)": rel_rules["all"]}, "hand rules, model off",
                      ["relations all (vs hand rules alone)"])  # fmt: skip
    return rows


def _polnear(data: Path) -> list[Row]:
    from watchfloor.eval.polnear import evaluate
    from watchfloor.link.gazetteer import load_gazetteer

    r = evaluate(data / "polnear" / "dev", load_gazetteer()).as_dict()
    ours = r.get("watchfloor", r)
    base = r.get("baseline")
    section = f"PolNeAR dev ({ours['gold_attributions']} attributions)"
    rows = []
    for key in ("source_and_content_overlap", "content_overlap", "content_exact"):
        rows.append(
            Row(section, f"{key} F1", _pct(ours[key]["f1"]), _pct(base[key]["f1"]) if base else None,
                "reporting-verb sentences + nearest NER name" if base else "none yet", ours["gold_attributions"])
        )  # fmt: skip
    given = ours["source_given_content"]["overlap"]
    rows.append(
        Row(section, "source right when content matched (overlap)", _pct(given),
            _pct(base["source_given_content"]["overlap"]) if base else None,
            "reporting-verb sentences + nearest NER name" if base else "none yet", ours["content_overlap_matches"])
    )  # fmt: skip
    return rows


def _muc4(data: Path) -> list[Row]:
    from watchfloor.eval import muc4
    from watchfloor.link.gazetteer import load_gazetteer
    from watchfloor.nlp.pipeline import build_pipeline, load_base_model

    folder = data / "muc4"
    scores, _ = muc4.evaluate(folder / "grit_dev.jsonl", build_pipeline(load_gazetteer()), load_base_model())
    result = muc4.summary(scores)
    ours = result.get("watchfloor", result)
    base = result.get("baseline")
    official = ours.get("official", ours)
    rows = []
    for role, s in official.items():
        theirs = (base.get("official", base)[role]["f1"]) if base else None
        rows.append(Row("MUC-4 dev (200 docs, CEAF-REE)", f"{role} F1", round(float(s["f1"]), 2),
                        theirs, "bare spaCy NER" if base else "none yet", s.get("gold")))  # fmt: skip
    return rows


def _author_claims(data: Path) -> list[Row]:
    from watchfloor.eval.author_claims import evaluate

    r = evaluate(data / "article_extraction", part="heldout").as_dict()
    ours, base = r["watchfloor"], r["baseline"]
    section = f"author's own judgements, annotated real articles (held-out part, {r['documents']} docs)"
    name = "every sentence with a modal verb"
    return [
        Row(section, f"sentence overlap {key}", _pct(ours[key]), _pct(base[key]), name, r["judgements"])
        for key in ("precision", "recall", "f1")
    ]


def _stance(data: Path) -> list[Row]:
    from watchfloor.eval.stance import evaluate

    r = evaluate(data).as_dict()
    rows = []
    for part in ("dev", "heldout"):
        ours, base = r[part]["semantic"], r[part]["lexical"]
        section = f"claim stance, pairs of real claims ({part} part)"
        name = "shared content words + negation"
        for label in ("agree", "contradict"):
            rows.append(Row(section, f"{label} F1", _pct(ours[label]["f1"]), _pct(base[label]["f1"]), name,
                            ours[label]["gold"]))  # fmt: skip
        rows.append(Row(section, "accuracy (3 labels)", _pct(ours["accuracy"]), _pct(base["accuracy"]), name,
                        r[part]["pairs"]))  # fmt: skip
    return rows


SECTIONS: dict[str, Callable[[Path], list[Row]]] = {
    "pasted_furniture": _pasted_furniture,
    "pasted_metadata": _pasted_metadata,
    "html": _html,
    "wikievents": _wikievents,
    "merging": _merging,
    "casualties": _casualties,
    "re3d": _re3d,
    "polnear": _polnear,
    "muc4": _muc4,
    "author_claims": _author_claims,
    "stance": _stance,
}


def run_scorecard(
    data: Path, sections: Iterable[str] = ALL_SECTIONS, on_section: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Run the named sections; {"rows": [...], "seconds": {section: s}}."""
    rows: list[Row] = []
    seconds: dict[str, float] = {}
    for name in sections:
        if on_section is not None:
            on_section(name)
        started = time.perf_counter()
        rows.extend(SECTIONS[name](data))
        seconds[name] = round(time.perf_counter() - started, 1)
    return {"rows": [asdict(r) for r in rows], "seconds": seconds}


def markdown(result: dict[str, Any], command: str, when: str) -> str:
    """The scorecard as the Markdown table committed in docs/accuracy.md."""
    lines = [
        "# Accuracy on real-world text",
        "",
        f"Produced by `{command}` on {when} (figures in %, the baseline measured in the same run).",
        "Every data set is public gold made by other researchers (`../shared/eval`, see its README);",
        "nothing here was written for watchfloor. `eval part` = the pages never used for tuning.",
        "",
        "| data set | metric | watchfloor | baseline | baseline is | n |",
        "|---|---|---:|---:|---|---:|",
    ]
    for r in result["rows"]:
        w = "–" if r["watchfloor"] is None else f"{r['watchfloor']:.1f}"
        b = "–" if r["baseline"] is None else f"{r['baseline']:.1f}"
        lines.append(f"| {r['section']} | {r['metric']} | {w} | {b} | {r['baseline_name']} | {r['n'] or ''} |")
    lines += ["", "Seconds per section: " + ", ".join(f"{k} {v}" for k, v in result["seconds"].items()), ""]
    return "\n".join(lines)
