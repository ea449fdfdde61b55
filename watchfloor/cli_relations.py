"""`watchfloor relations`: who is allied with, hosting, supplying or fighting whom, with evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from watchfloor.errors import UserError
from watchfloor.relative_dates import since_option, until_option
from watchfloor.render import Col, NoPagerOption, WideOption, paged, print_json, print_line, table
from watchfloor.workspace import DEFAULT_DB, Workspace

DbOption = Annotated[
    Path, typer.Option("--db", help="Store: a SQLite file, or a postgresql:// URL.", envvar="WATCHFLOOR_DB")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


def predicates() -> list[str]:
    """The fixed predicate vocabulary (from the relations lexicon)."""
    from watchfloor.extract.relations import load_relation_lexicon  # imports spaCy: only when asked

    lex = load_relation_lexicon()
    return sorted({*lex.verbs.values(), *lex.nouns.values(), *lex.phrases.values()})


def relations(
    db: DbOption = Path(DEFAULT_DB),
    actor: Annotated[str | None, typer.Option(help="Actor at either end (any alias).")] = None,
    predicate: Annotated[str | None, typer.Option(help="allied_with, hostile_to, hosts, supports, …")] = None,
    since: Annotated[
        str | None, typer.Option(help="Sources published on or after (YYYY-MM-DD, 7d…).", callback=since_option)
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Sources published on or before (YYYY-MM-DD, today…).", callback=until_option)
    ] = None,
    min_sources: Annotated[int, typer.Option(help="Only relations stated by at least this many documents.")] = 1,
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 100,
    offset: Annotated[int, typer.Option(help="Rows to skip.")] = 0,
    all_modalities: Annotated[
        bool, typer.Option(help="Also count forecasts, claims, questions, conditionals (default: asserted/reported).")
    ] = False,
    wide: WideOption = False,
    no_pager: NoPagerOption = False,
    as_json: JsonOption = False,
) -> None:
    """Relations between actors, aggregated across documents, each with its evidence sentences; only
    asserted or reported statements count unless --all-modalities."""
    if predicate is not None and predicate not in predicates():
        raise UserError(f"--predicate {predicate!r} is not one of: {', '.join(predicates())}")
    with Workspace(db) as ws:
        rows = ws.relations(actor, predicate, since, until, min_sources, limit, offset, all_modalities=all_modalities)
    if as_json:
        print_json(rows)
        return
    columns = [  # one line per relation; --wide for how it is stated and its validity
        Col("subject", lines=1, min_width=18),
        Col("predicate", token=True),
        Col("object", lines=1, min_width=18),
        Col("sources", token=True),
        Col("grade", token=True),  # Admiralty code (independent sources)
        Col("first seen", token=True, optional=True),
        Col("last seen", token=True),
        Col("valid", token=True, optional=True),
        Col("stated as", lines=1, optional=True),
        Col("notes", lines=1, optional=True),
    ]
    with paged(not no_pager):
        table(
            "Relations · grade: Admiralty code (independent sources)",
            columns,
            [
                (
                    r["subject"],
                    ("NOT " if r["negated"] else "") + r["predicate"],
                    r["object"],
                    r["n_sources"],
                    f"{r['grade']} ({r['n_independent']})",
                    (r["first_seen"] or "")[:10],
                    (r["last_seen"] or "")[:10],
                    "–".join(x or "" for x in (r["valid_from"], r["valid_to"]))
                    if r["valid_from"] or r["valid_to"]
                    else "",
                    _stated_as(r),
                    ", ".join(n for n, on in (("contradicted", r["contradicted"]), ("hedged", r["hedged"])) if on),
                )
                for r in rows
            ],
            wide=wide,
        )
        if rows:
            print_line("evidence: `watchfloor relations --json` (sources: doc_id, start, end, text)", lines=2)


def _stated_as(row: dict[str, Any]) -> str:
    """How the sources state the relation: "asserted", "reported by X", "forecast by Y" (distinct labels)."""
    labels = dict.fromkeys(s.get("label") or s.get("modality") or "asserted" for s in row.get("sources", []))
    return "; ".join(labels) or ", ".join(row.get("modalities", []))


def register(app: typer.Typer) -> None:
    """Add the relations command to the main CLI."""
    app.command("relations")(relations)
