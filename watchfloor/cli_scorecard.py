"""`watchfloor eval scorecard`: every real-world dev set in one table, beside bare baselines."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from watchfloor.errors import UserError
from watchfloor.render import console, print_json, table

DEFAULT_DATA = Path("../shared/eval")


def register(eval_app: typer.Typer) -> None:
    """Add the scorecard command to ``watchfloor eval``."""

    @eval_app.command("scorecard")
    def scorecard(
        data: Annotated[
            Path, typer.Option(help="The shared gold folder (article_extraction, muc4, …).")
        ] = DEFAULT_DATA,
        fast: Annotated[bool, typer.Option("--fast", help="Only the sections CI runs (a few minutes).")] = False,
        section: Annotated[
            list[str] | None, typer.Option("--section", help="Run only these sections (repeatable).")
        ] = None,
        write: Annotated[
            Path | None, typer.Option("--write", help="Write Markdown here and JSON beside it (.json).")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
    ) -> None:
        """Accuracy on every real-world dev set, each figure beside its bare baseline (same run)."""
        from watchfloor.eval.scorecard import ALL_SECTIONS, FAST_SECTIONS, markdown, run_scorecard

        if not data.is_dir():
            raise UserError(f"{data} not found; pass --data pointing at the shared eval folder")
        chosen = list(section or (FAST_SECTIONS if fast else ALL_SECTIONS))
        unknown = [s for s in chosen if s not in ALL_SECTIONS]
        if unknown:
            raise UserError(f"unknown section {unknown[0]!r}; choose from {', '.join(ALL_SECTIONS)}")
        with console.status("scoring…") as status:
            result = run_scorecard(data, chosen, lambda name: status.update(f"scoring {name}…"))
        if write is not None:
            command = "watchfloor eval scorecard" + (" --fast" if fast else "")
            write.write_text(markdown(result, command, date.today().isoformat()), "utf-8")
            write.with_suffix(".json").write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", "utf-8")
        if as_json:
            print_json(result)
            return
        rows = [
            [r["section"], r["metric"], r["watchfloor"], r["baseline"], r["baseline_name"], r["n"]]
            for r in result["rows"]
        ]
        table("accuracy on real-world dev sets (%)", ["data set", "metric", "watchfloor", "baseline", "is", "n"], rows)
