"""`watchfloor claims` and `watchfloor speaker`: the claims and forecasts ledger in the terminal."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from watchfloor.errors import UserError
from watchfloor.relative_dates import since_option
from watchfloor.render import Col, NoPagerOption, WideOption, console, paged, print_json, print_line, table
from watchfloor.workspace import DEFAULT_DB, Workspace

KINDS = ("forecast", "assessment", "factual", "denial", "responsibility")
DbOption = Annotated[
    Path, typer.Option("--db", help="Store: a SQLite file, or a postgresql:// URL.", envvar="WATCHFLOOR_DB")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Judge forecast status as of this date (default: today).")
]


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UserError(f"--as-of {value!r} is not a date; use YYYY-MM-DD") from exc


def _band(row: dict[str, Any]) -> str:
    band = row["probability_band"]
    if band:
        return f"{row['probability_words']} ({int(band[0] * 100)}–{int(band[1] * 100)}%)"
    return row["confidence"] or ""


CLAIM_SORTS = ("published", "confidence", "horizon", "extraction")


def _horizon(row: dict[str, Any]) -> str:
    if not row["horizon_end"]:
        return ""
    return f"{row['horizon_start'] or ''}…{row['horizon_end']}"


def claims(
    db: DbOption = Path(DEFAULT_DB),
    speaker: Annotated[str | None, typer.Option(help="Speaker (any alias).")] = None,
    about: Annotated[str | None, typer.Option(help="Actor or place the claim is about.")] = None,
    kind: Annotated[str | None, typer.Option(help="forecast, assessment, factual, denial or responsibility.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Published on or after (YYYY-MM-DD, 7d, last-month…).", callback=since_option)
    ] = None,
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 100,
    offset: Annotated[int, typer.Option(help="Rows to skip.")] = 0,
    as_of: AsOfOption = None,
    sort: Annotated[
        str,
        typer.Option(
            help="published, confidence, horizon or extraction (the extractor's own score); "
            "'-' first for descending, e.g. -published (the default)."
        ),
    ] = "-published",
    wide: WideOption = False,
    no_pager: NoPagerOption = False,
    as_json: JsonOption = False,
) -> None:
    """Who said what, with what confidence and horizon; agreement, contradiction and outcome."""
    if kind is not None and kind not in KINDS:
        raise UserError(f"--kind {kind!r} is not one of: {', '.join(KINDS)}")
    if sort.lstrip("-") not in CLAIM_SORTS:
        raise UserError(f"--sort {sort!r} is not one of: {', '.join(CLAIM_SORTS)} (add '-' for descending)")
    order = f"{sort.lstrip('-')} {'DESC' if sort.startswith('-') else 'ASC'}"
    with Workspace(db) as ws:
        rows = ws.claims(speaker, about, kind, since, limit, offset, _as_of(as_of), order=order)
    if as_json:
        print_json(rows)
        return
    with paged(not no_pager):
        if wide:
            _claims_table(rows)
        else:
            _claim_lines(rows, show_kind=kind is None)


def _claim_text(row: dict[str, Any]) -> str:
    return f"“{row['text']}”" if row["quote"] else str(row["text"])


def _claims_table(rows: list[dict[str, Any]]) -> None:
    """Every field of every claim, in full (one block per claim when the terminal is too narrow for a table)."""
    table(
        "Claims",
        ["id", "published", "speaker (role)", "kind", "claim", "confidence", "horizon", "status", "±", "grade"],
        [
            (
                r["id"],
                (r["published"] or "")[:10],
                (r["speaker"] or "") + (f" ({r['speaker_role']})" if r["speaker_role"] else ""),
                r["kind"],
                _claim_text(r),
                _band(r),
                _horizon(r),
                r["status"] or "",
                " ".join([*(f"+{i}" for i in r["agrees_with"]), *(f"−{i}" for i in r["contradicts"])]),
                f"{r['grade']} ({r['n_independent']})",
            )
            for r in rows
        ],
        wide=True,
    )
    if any(r["contradicts"] or r["agrees_with"] for r in rows):
        print_line("± : +id agrees with that claim, −id contradicts it (`watchfloor claims --json`: details)", lines=2)


def _claim_lines(rows: list[dict[str, Any]], show_kind: bool) -> None:
    """One line per claim: id, date, kind, forecast status, then "speaker: claim" cut to the terminal's width;
    confidence and horizon too when the terminal is wide enough."""
    table(
        "Claims",
        [
            Col("id", token=True),
            Col("published", token=True),
            *([Col("kind", token=True)] if show_kind else []),
            Col("status", token=True, optional=show_kind),
            Col("grade", token=True),  # Admiralty code: source reliability, credibility
            Col("confidence", lines=1, optional=True),
            Col("horizon", token=True, optional=True),
            Col("claim (--wide: in full)", lines=1, min_width=40 if show_kind else 36),  # 80 columns: status
        ],
        [
            (
                r["id"],
                (r["published"] or "")[:10],
                *([r["kind"]] if show_kind else []),
                r["status"] or "",
                r["grade"],
                _band(r),
                _horizon(r),
                f"{r['speaker'] or '?'}: {_claim_text(r)}",
            )
            for r in rows
        ],
    )


def speaker(
    name: Annotated[str, typer.Argument(help="Speaker name or alias.")],
    db: DbOption = Path(DEFAULT_DB),
    as_of: AsOfOption = None,
    wide: WideOption = False,
    no_pager: NoPagerOption = False,
    as_json: JsonOption = False,
) -> None:
    """A speaker's track record: claims by kind, forecasts supported / contradicted / expired / open, roles."""
    with Workspace(db) as ws:
        record = ws.speaker(name, _as_of(as_of))
    if as_json:
        print_json(record)
        return
    with paged(not no_pager):
        _print_record(record, wide)


def _print_record(record: dict[str, Any], wide: bool) -> None:
    """A speaker's record for reading: roles, counts, then one line per recent claim (whole with ``wide``)."""
    f = record["forecasts"]
    console.print(f"[bold]{escape(record['name'])}[/] ({record['kind']})")
    if record["roles"]:
        console.print("roles stated: " + escape("; ".join(record["roles"])))
    console.print(
        f"{record['claims']} claims: "
        + ", ".join(f"{n} {k}" for k, n in sorted(record["by_kind"].items()))
        + f" | forecasts: {f['supported']} supported, {f.get('contradicted', 0)} contradicted, {f['expired']} expired, "
        + f"{f['open']} open, {f.get('open (no horizon)', 0)} open (no horizon)"
        + (f" | hit rate {record['hit_rate']:.0%}" if record["hit_rate"] is not None else "")
    )
    for r in record["recent"]:
        mark = {
            "supported": "[green]✔[/]",
            "contradicted": "[red]✘[/]",
            "expired": "[red]✘[/]",
            "open": "[yellow]…[/]",
            "open (no horizon)": "[dim]…[/]",
        }.get(r["status"] or "", " ")
        print_line(
            f" {mark} [dim]{(r['published'] or '')[:10]} {r['kind']}[/]"
            + (f" [dim]({escape(_band(r))})[/]" if r["probability_band"] else "")
            + f" {escape(r['text'])}",
            wide=wide,
        )


def register(app: typer.Typer) -> None:
    """Add the claims commands to the main CLI."""
    app.command("claims")(claims)
    app.command("speaker")(speaker)
