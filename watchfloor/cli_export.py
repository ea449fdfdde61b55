"""`watchfloor export …`: STIX 2.1 and MISP for threat-intel platforms, GraphML/GEXF for Gephi, flat tables."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from watchfloor.errors import UserError
from watchfloor.relative_dates import since_option, until_option
from watchfloor.render import err_console
from watchfloor.workspace import DEFAULT_DB, Workspace

export_app = typer.Typer(
    help="Export the store: STIX 2.1, MISP, GraphML/GEXF, CSV/JSONL/Parquet tables.", no_args_is_help=True
)

DbOption = Annotated[
    Path, typer.Option("--db", help="Store: a SQLite file, or a postgresql:// URL.", envvar="WATCHFLOOR_DB")
]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="File to write.")]
SinceOption = Annotated[
    str | None, typer.Option(help="Sources published on or after (YYYY-MM-DD, 7d…).", callback=since_option)
]
UntilOption = Annotated[
    str | None, typer.Option(help="Sources published on or before (YYYY-MM-DD, today…).", callback=until_option)
]
ActorOption = Annotated[str | None, typer.Option(help="Only what concerns this actor (any alias).")]


def _writable(out: Path) -> None:
    if out.is_dir():
        raise UserError(f"{out} is a folder; give a file name with --out")
    if not out.parent.exists():
        raise UserError(f"folder {out.parent} does not exist; create it or choose another --out")


@export_app.command("stix")
def export_stix(
    out: OutOption,
    db: DbOption = Path(DEFAULT_DB),
    since: SinceOption = None,
    until: UntilOption = None,
    actor: ActorOption = None,
    no_validate: Annotated[bool, typer.Option("--no-validate", help="Skip stix2-validator.")] = False,
) -> None:
    """A STIX 2.1 bundle (validated with stix2-validator) that OpenCTI and MISP import."""
    from watchfloor.export.stix import build_bundle, validate

    _writable(out)
    with Workspace(db) as ws:
        bundle = build_bundle(ws, since, until, actor)
    # stix2's own pretty printer takes minutes on a thousand objects; indent its compact output instead
    out.write_text(json.dumps(json.loads(bundle.serialize()), indent=2, ensure_ascii=False) + "\n", "utf-8")
    summary = f"wrote {len(bundle.objects)} STIX objects to {out}"
    if not no_validate:
        errors, warnings = validate(bundle)
        summary += f"; stix2-validator: {len(errors)} errors, {len(warnings)} warnings (see docs/exports.md)"
        for line in errors[:20]:
            err_console.print(f"[red]invalid[/] {escape(line)}")
        if errors:
            raise UserError(summary)
    err_console.print(summary)


@export_app.command("misp")
def export_misp(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: standard output).")] = None,
    db: DbOption = Path(DEFAULT_DB),
    since: SinceOption = None,
    until: UntilOption = None,
    actor: ActorOption = None,
    tlp: Annotated[str, typer.Option(help="TLP tag: clear, green, amber, amber+strict or red.")] = "clear",
) -> None:
    """A MISP event (JSON, PyMISP) that keeps the attacks MISP's STIX import drops (docs/exports.md)."""
    from watchfloor.export.misp import TLP_LEVELS, build_misp

    if tlp not in TLP_LEVELS:
        raise UserError(f"--tlp {tlp!r}: use one of {', '.join(TLP_LEVELS)}")
    if out is not None:
        _writable(out)
    with Workspace(db) as ws:
        event = build_misp(ws, since, until, actor, tlp)
    text = json.dumps(event, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    out.write_text(text, "utf-8")
    attacks = sum(1 for o in event["Event"].get("Object", []) if o["name"] == "event")
    err_console.print(f"wrote a MISP event with {attacks} attacks and security events to {out}")


@export_app.command("graph")
def export_graph(
    out: OutOption,
    fmt: Annotated[str, typer.Option("--format", help="graphml or gexf.")] = "graphml",
    db: DbOption = Path(DEFAULT_DB),
    since: SinceOption = None,
    until: UntilOption = None,
    actor: ActorOption = None,
) -> None:
    """The actor network (relations with n_sources, first/last seen) for Gephi or networkx."""
    from watchfloor.export.graph import actor_graph, write_graph

    if fmt not in ("graphml", "gexf"):
        raise UserError(f"--format {fmt!r}: use graphml or gexf")
    _writable(out)
    with Workspace(db) as ws:
        graph = actor_graph(ws, since, until, actor)
    write_graph(graph, out, fmt)
    err_console.print(f"wrote {graph.number_of_nodes()} actors and {graph.number_of_edges()} relations to {out}")


@export_app.command("table")
def export_table(
    table_name: Annotated[str, typer.Argument(help="entities, events, relations or claims.")],
    out: OutOption,
    fmt: Annotated[str | None, typer.Option("--format", help="csv, jsonl or parquet (default: from --out).")] = None,
    db: DbOption = Path(DEFAULT_DB),
    since: SinceOption = None,
    until: UntilOption = None,
    actor: ActorOption = None,
) -> None:
    """One table as CSV, JSON Lines or Parquet, with the documented columns (docs/exports.md)."""
    from watchfloor.export.tables import FORMATS, TABLES, write_rows

    if table_name not in TABLES:
        raise UserError(f"no table {table_name!r}; choose one of: {', '.join(TABLES)}")
    chosen = fmt or out.suffix.lstrip(".").lower()
    if chosen not in FORMATS:
        raise UserError(f"cannot tell the format of {out.name!r}; pass --format {'/'.join(FORMATS)}")
    _writable(out)
    with Workspace(db) as ws:
        rows = TABLES[table_name](ws, since, until, actor)
    write_rows(rows, out, chosen)
    err_console.print(f"wrote {len(rows)} {table_name} rows to {out}")


def brief(
    about: Annotated[str, typer.Option("--about", help="The actor the brief is about (any alias).")],
    out: OutOption,
    fmt: Annotated[str | None, typer.Option("--format", help="md, html or pdf (default: from --out).")] = None,
    db: DbOption = Path(DEFAULT_DB),
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """An analyst brief with numbered citations: BLUF, judgements, events, relations, forecasts, sources."""
    from watchfloor.export.brief import build_brief, to_html, to_markdown, to_pdf

    chosen = fmt or out.suffix.lstrip(".").lower()
    if chosen not in ("md", "html", "pdf"):
        raise UserError(f"cannot tell the format of {out.name!r}; pass --format md, html or pdf")
    _writable(out)
    with Workspace(db) as ws:
        made = build_brief(ws, about, since, until)
    if chosen == "md":
        out.write_text(to_markdown(made, out.parent), "utf-8")
    elif chosen == "html":
        out.write_text(to_html(made), "utf-8")
    else:
        out.write_bytes(to_pdf(made))
    err_console.print(
        f"wrote the {made.title!r} brief to {out}: {len(made.events)} events, {len(made.sources)} sources cited"
    )
