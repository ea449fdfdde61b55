"""`watchfloor review`: the review queue in the terminal, and accept / fix / reject on its items.

Output fits the terminal (80 columns when it is not one): one line per item id and title, its reason
below, text cut at a space with "…"; `review show ITEM` prints an item whole.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from watchfloor.render import clean, console, err_console, print_json
from watchfloor.store.sqlite_review import KINDS
from watchfloor.workspace import DEFAULT_DB, Workspace

review_app = typer.Typer(
    help="The review queue: undated documents, incomplete or future-dated events, doubtful extractions, "
    "suspected duplicate entities and conflicting tolls; accept, fix or reject each item.",
    no_args_is_help=False,
)

DbOption = Annotated[
    Path, typer.Option("--db", help="Store: a SQLite file, or a postgresql:// URL.", envvar="WATCHFLOOR_DB")
]
SubDbOption = Annotated[
    Path | None, typer.Option("--db", help="Store (default: as for `review`).", envvar="WATCHFLOOR_DB")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
ItemArg = Annotated[str, typer.Argument(help="Item id as listed, e.g. undated:doc-e5c43f9f or tolls:event-12.")]
NoteOption = Annotated[str | None, typer.Option(help="Why (kept with the correction).")]
AuthorOption = Annotated[str, typer.Option(help="Who reviewed it.")]


def _width() -> int:
    return max(console.width, 40)


def _fit(text: str, width: int, lines: int = 1, indent: str = "") -> list[str]:
    """``text`` on at most ``lines`` lines of ``width`` characters (the first and the rest after ``indent``),
    broken at spaces; the last line ends with "…" when text was left out."""
    text = clean(" ".join(text.split()), one_line=True)
    wrapped = textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)
    if len(wrapped) <= lines:
        return wrapped
    last = wrapped[lines - 1]
    cut = last[: width - 1].rstrip()
    if len(cut) < len(last) and " " in cut.strip():
        cut = cut[: cut.rstrip().rfind(" ")].rstrip()
    return [*wrapped[: lines - 1], cut + "…"]


def _db(ctx: typer.Context, db: Path | None) -> Path:
    """The store: the subcommand's --db, else the one given to `review`, else the default."""
    parent = ctx.parent.params.get("db") if ctx.parent is not None else None
    return Path(db or parent or DEFAULT_DB)


def _summary(counts: dict[str, int]) -> str:
    parts = ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k])
    return f"Review queue: {counts['total']} open" + (f" ({parts})" if parts else "")


@review_app.callback(invoke_without_command=True)
def review(
    ctx: typer.Context,
    db: DbOption = Path(DEFAULT_DB),
    kind: Annotated[str | None, typer.Option(help=f"Only one kind: {', '.join(KINDS)}.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Items to show.")] = 30,
    offset: Annotated[int, typer.Option(min=0, help="Items to skip.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List the items that need a human, with why each is flagged."""
    if ctx.invoked_subcommand is not None:
        return
    with Workspace(db) as ws:
        items, total, counts = ws.review.page(kind, limit, offset)
    if as_json:
        print_json({"items": items, "total": total, "limit": limit, "offset": offset, "counts": counts})
        return
    width = _width()
    for line in _fit(_summary(counts), width, 3):
        console.print(Text(line, style="bold"))
    for item in items:
        console.print(Text(_fit(item["id"], width)[0], style="bold"), end="")
        room = width - len(item["id"]) - 2
        if room >= 20:
            console.print(Text("  " + _fit(item["title"], room)[0]))
        else:
            console.print()
            console.print(Text(_fit(item["title"], width, 1, "  ")[0]))
        for line in _fit(item["why"], width, 2, "  "):
            console.print(Text(line, style="dim"))
    if not total:
        console.print(f"Nothing to review{' of kind ' + kind if kind else ''}.")
        return
    shown = f"{offset + 1}–{offset + len(items)}" if items else "none"
    more = f"; --offset {offset + len(items)} for more" if offset + len(items) < total else ""
    hints = [
        f"Showing {shown} of {total}{more}.",
        "Next: watchfloor review show ITEM (evidence), accept ITEM (it is right), reject ITEM (it is wrong), "
        "fix ITEM --date YYYY-MM-DD (documents, events; also --place, --perpetrator, --killed, --wounded), "
        "fix ITEM [--keep ID] (merge duplicates).",
    ]
    for hint in hints:
        for line in _fit(hint, width, 4):
            console.print(Text(line, style="dim"))


@review_app.command("show")
def show(ctx: typer.Context, item: ItemArg, db: SubDbOption = None, as_json: JsonOption = False) -> None:
    """One item whole: why it is flagged, its evidence, its links and the actions it takes."""
    with Workspace(_db(ctx, db)) as ws:
        found = ws.review.item(item)
    if as_json:
        print_json(found)
        return
    width = _width()
    console.print(Text(found["id"], style="bold"), Text(f"({found['kind']}, {found['target']})", style="dim"))
    for line in textwrap.wrap(clean(found["title"], one_line=True), width):
        console.print(Text(line))
    for line in textwrap.wrap(clean("why: " + found["why"], one_line=True), width, subsequent_indent="  "):
        console.print(Text(line))
    for ev in found["evidence"]:
        console.print(Text(f"evidence: document {ev['doc_id']}, characters {ev['start']}–{ev['end']}", style="dim"))
        quote = (
            f"{ev.get('before', '')}[{ev.get('text', '')}]{ev.get('after', '')}"
            if ev.get("before") or ev.get("after")
            else f"“{ev.get('text', '')}”"
        )
        for line in textwrap.wrap(
            clean(" ".join(quote.split()), one_line=True), width, initial_indent="  ", subsequent_indent="  "
        ):
            console.print(Text(line))
    for link in found["links"]:
        console.print(Text(_fit(f"page: {link['href']}  ({link['label']})", width)[0], style="dim"))
    actions = [
        a + (f" ({', '.join('--' + f for f in found['fix'])})" if a == "fix" and found["fix"] else "")
        for a in found["actions"]
    ]
    for line in textwrap.wrap("actions: " + ", ".join(actions), width, subsequent_indent="  "):
        console.print(Text(line))


def _report(result: dict[str, Any], as_json: bool, ws: Workspace) -> None:
    left = ws.review.counts()["total"]
    if as_json:
        print_json({**result, "open": left})
        return
    what = {"accepted": "accepted: off the queue", "fixed": "fixed", "rejected": "rejected: hidden from now on"}
    line = f"{result['item']} {what[result['decision']]}"
    if "published" in result:
        line += f"; published {result['published']}, its events, claims and relations re-resolved"
    if "merged" in result:
        line += f"; entity {result['merged']} merged into {result['kept']}"
    if result["corrections"]:
        line += f" (correction {', '.join(str(c) for c in result['corrections'])})"
    for text in _fit(line + f". {left} item{'s' if left != 1 else ''} open.", _width(), 4):
        console.print(Text(text))


@review_app.command("accept")
def accept(
    ctx: typer.Context,
    item: ItemArg,
    db: SubDbOption = None,
    note: NoteOption = None,
    author: AuthorOption = "analyst",
    as_json: JsonOption = False,
) -> None:
    """The item is right as it stands: mark it reviewed (it stays off the queue after re-runs)."""
    with Workspace(_db(ctx, db)) as ws:
        _report(ws.review.accept(item, author, note), as_json, ws)


@review_app.command("reject")
def reject(
    ctx: typer.Context,
    item: ItemArg,
    db: SubDbOption = None,
    note: NoteOption = None,
    author: AuthorOption = "analyst",
    as_json: JsonOption = False,
) -> None:
    """The extraction is wrong: reject the event, claim or relation (an analyst correction)."""
    with Workspace(_db(ctx, db)) as ws:
        _report(ws.review.reject(item, author, note), as_json, ws)


@review_app.command("fix")
def fix(
    ctx: typer.Context,
    item: ItemArg,
    db: SubDbOption = None,
    date: Annotated[
        str | None, typer.Option(help="A document's publication date (YYYY-MM-DD) or an event's date.")
    ] = None,
    keep: Annotated[str | None, typer.Option(help="Duplicates: the entity kept (id, key or alias).")] = None,
    place: Annotated[str | None, typer.Option(help="An event's place (a known place, or a name).")] = None,
    perpetrator: Annotated[str | None, typer.Option(help="An event's perpetrator (any alias).")] = None,
    killed: Annotated[int | None, typer.Option(min=0, help="An event's death toll.")] = None,
    wounded: Annotated[int | None, typer.Option(min=0, help="An event's injured.")] = None,
    note: NoteOption = None,
    author: AuthorOption = "analyst",
    as_json: JsonOption = False,
) -> None:
    """Correct what the item flags: set a date, fill in an event, or merge two duplicate entities."""
    with Workspace(_db(ctx, db)) as ws:
        queue = ws.review
        if date is not None and queue.item(item)["target"] == "document":
            with err_console.status("re-analysing the document with its new date…"):
                result = queue.fix(item, date=date, author=author, note=note)
        else:
            result = queue.fix(
                item,
                date=date,
                keep=keep,
                place=place,
                perpetrator=perpetrator,
                killed=killed,
                wounded=wounded,
                author=author,
                note=note,
            )
        _report(result, as_json, ws)


@review_app.command("log")
def log(
    ctx: typer.Context,
    db: SubDbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Items to show.")] = 30,
    as_json: JsonOption = False,
) -> None:
    """Reviewed items, latest first: decision, who, when."""
    with Workspace(_db(ctx, db)) as ws:
        rows = ws.review.history(limit)
    if as_json:
        print_json(rows)
        return
    width = _width()
    for r in rows:
        head = f"{r['created_at'][:10]} {r['decision']:<8} {r['item']}"
        console.print(Text(_fit(head, width)[0]))
        tail = f"by {r['author']}" + (f": {r['note']}" if r["note"] else "")
        console.print(Text(_fit(tail, width, 1, "  ")[0], style="dim"))
    if not rows:
        console.print("Nothing reviewed yet.")


def register(app: typer.Typer) -> None:
    """Add `watchfloor review` to the main CLI."""
    app.add_typer(review_app, name="review")
