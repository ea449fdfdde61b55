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
    as_json: JsonOption = False,
) -> None:
    """MUC-4 role fillers (PerpInd, PerpOrg, Target, Victim, Weapon), GRIT's CEAF-REE metric."""
    from watchfloor.eval.muc4 import evaluate, summary
    from watchfloor.nlp.pipeline import load_base_model

    path, train = data / f"grit_{split}.jsonl", data / "grit_train.jsonl"
    for needed in (path, train):
        if not needed.is_file():
            raise UserError(f"{needed} not found; pass --data pointing at the MUC-4 GRIT files")
    with console.status("fitting on the train split and filling templates (a few minutes)…"):
        scores, _ = evaluate(path, train, load_base_model())
    result = summary(scores)
    if as_json:
        print_json(result)
        return
    rows = [[role, s["precision"], s["recall"], s["f1"], s["gold"]] for role, s in result.items()]
    table(f"MUC-4 {split} (CEAF-REE, micro)", ["role", "P", "R", "F1", "gold entities"], rows)


@eval_app.command("polnear")
def eval_polnear(
    split: Annotated[str, typer.Option(help="Split to score: dev or train.")] = "dev",
    data: Annotated[Path, typer.Option(help="PolNeAR folder (holding dev/ and train/).")] = DEFAULT_SHARED_EVAL
    / "polnear",
    as_json: JsonOption = False,
) -> None:
    """Speaker (Source) and content attribution on PolNeAR, exact and overlapping spans."""
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
    rows = [
        [name, _pct(result[name]["precision"]), _pct(result[name]["recall"]), _pct(result[name]["f1"])]
        for name in ("content_overlap", "content_exact", "source_and_content_overlap")
    ]
    table(f"PolNeAR {split} ({result['gold_attributions']} sourced attributions)", ["spans", "P", "R", "F1"], rows)
    given = result["source_given_content"]
    console.print(
        f"source right when content matched: overlap {_pct(given['overlap'])}%, exact {_pct(given['exact'])}%"
    )
