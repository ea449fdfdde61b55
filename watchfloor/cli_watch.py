"""`watchfloor watch add|list|remove` and `watchfloor news`: watchlists and what is new since the last look."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from watchfloor import watch
from watchfloor.render import clean, console, print_json, table
from watchfloor.workspace import DEFAULT_DB, Workspace

DbOption = Annotated[
    Path, typer.Option("--db", help="Store: a SQLite file, or a postgresql:// URL.", envvar="WATCHFLOOR_DB")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
ListOption = Annotated[str, typer.Option("--list", help="Watchlist name.")]

watch_app = typer.Typer(
    help="Watch actors and saved searches; `watchfloor news` lists what is new for them.", no_args_is_help=True
)


def _what(item: dict[str, Any]) -> str:
    if item["kind"] == "search":
        return f"search {item['query']}"
    entity = item.get("entity")
    if entity is None:
        return f"{item['label']} (entity {item['entity_key']} no longer exists)"
    return str(item["label"]) + ("" if entity["name"] == item["label"] else f" = {entity['name']}")


def _alerts(item: dict[str, Any]) -> str:
    return ", ".join(x for x in (item["alert_jsonl"], item["alert_command"] and f"run {item['alert_command']}") if x)


@watch_app.command("add")
def add(
    name: Annotated[str | None, typer.Argument(help="Actor to watch: any alias, the key or the id.")] = None,
    search: Annotated[
        str | None, typer.Option("--search", help='Watch a full-text search instead, e.g. "suicide bomb*".')
    ] = None,
    list_name: ListOption = watch.DEFAULT_LIST,
    alert_jsonl: Annotated[
        str | None, typer.Option("--alert-jsonl", help="After each ingest, append new items to this JSONL file.")
    ] = None,
    alert_command: Annotated[
        str | None,
        typer.Option(
            "--alert-command", help="After each ingest, run this local command with new items as JSON on stdin."
        ),
    ] = None,
    db: DbOption = Path(DEFAULT_DB),
    as_json: JsonOption = False,
) -> None:
    """Watch an actor or a saved search (alert hooks optional)."""
    with Workspace(db) as ws:
        item = watch.add(ws, name, search=search, list_name=list_name, alert_jsonl=alert_jsonl,
                         alert_command=alert_command)  # fmt: skip
    if as_json:
        print_json(item)
        return
    verb = "watching" if item["added"] else "already watching"
    console.print(Text(f"{verb} {_what(item)} (item {item['id']}, list {item['watchlist']})"))
    if item["alert_jsonl"] or item["alert_command"]:
        console.print(Text(f"alerts after each ingest: {_alerts(item)}"))


@watch_app.command("list")
def list_cmd(
    list_name: Annotated[str | None, typer.Option("--list", help="Only this watchlist.")] = None,
    db: DbOption = Path(DEFAULT_DB),
    as_json: JsonOption = False,
) -> None:
    """Watched actors and saved searches, with their alert hooks and when news was last read."""
    with Workspace(db) as ws:
        rows = watch.items(ws, list_name)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("nothing watched yet: `watchfloor watch add ISKP` or `watchfloor watch add --search WORDS`")
        return
    table(
        "Watched",
        ["id", "list", "watching", "alerts", "news read up to"],
        [(r["id"], r["watchlist"], _what(r), _alerts(r), _stamp(r["seen_upto"]) or "never") for r in rows],
    )


@watch_app.command("remove")
def remove(
    ref: Annotated[str, typer.Argument(help="Item id (see `watch list`), actor name or saved search.")],
    list_name: Annotated[str | None, typer.Option("--list", help="Watchlist holding it.")] = None,
    db: DbOption = Path(DEFAULT_DB),
    as_json: JsonOption = False,
) -> None:
    """Stop watching an actor or a saved search."""
    with Workspace(db) as ws:
        item = watch.remove(ws, ref, list_name)
    if as_json:
        print_json(item)
        return
    console.print(Text(f"no longer watching {_what(item)} (list {item['watchlist']})"))


def _stamp(value: str | None) -> str:
    """An ingest time for people: 2024-05-01 12:00:00 UTC."""
    return value.replace("T", " ").replace("+00:00", " UTC") if value else ""


def _line(kind: str, marker: str, text: str) -> None:
    line = Text("  ")
    line.append(f"{kind:<9}", style="bold")
    if marker:
        line.append(f"{marker} ", style="green")
    line.append(clean(" ".join(text.split()), one_line=True))
    console.print(line, no_wrap=True, overflow="ellipsis")


def _killed(e: dict[str, Any]) -> str:
    value = e["killed"] if e["killed"] is not None else e["killed_low"]
    return f", {value}{'' if e['killed'] is not None else '+'} killed" if value is not None else ""


def _print_item(item: dict[str, Any], marks: bool) -> None:
    """One watched item's news, one line per fact; ``marks``: tell new events from new sources of older
    ones, and relations never stated before (there is nothing older on a first run)."""
    counts = item["counts"]
    summary = ", ".join(watch.plural(n, k) for k, n in counts.items() if n) or "nothing new"
    title = f"search {item['query']}" if item["kind"] == "search" else item["label"]  # `watch list` has the names
    console.print(Text.assemble((title, "bold"), f": {summary}"), no_wrap=True, overflow="ellipsis")
    for e in item["events"]:
        marker = "+src" if marks and e["new_source"] else ""
        place = ", ".join(x for x in (e["place"], e["country"]) if x)
        who = f" — {e['perpetrator']} ({e['perpetrator_status']})" if e["perpetrator"] else ""
        what = e["attack_type"] or e["event_type"]
        _line("event", marker, f"{e['date'] or 'undated'} {what} {place}{who}{_killed(e)} #{e['id']}")
    for c in item["claims"]:
        speaker = c["speaker"] or "unknown speaker"
        _line("claim", "", f"{(c['published'] or '')[:10]} {speaker} ({c['kind']}): “{c['text']}” #{c['id']}")
    for r in item["relations"]:
        verb = ("NOT " if r["negated"] else "") + r["predicate"]
        how = f" [{r['label']}]" if r["label"] else ""
        marker = "first" if marks and r["first_statement"] else ""
        where = f"{r['doc_id'][:8]} {r['start']}-{r['end']}"
        _line("relation", marker, f"{r['subject']} {verb} {r['object']}{how} — {where}")
    for d in item["documents"]:
        _line("document", "", f"{d['id'][:8]} {d['published'] or 'undated'} {d['title'] or '(no title)'}")
    more = {k: counts[k] - len(item[k]) for k in counts if counts[k] > len(item[k])}
    if more:
        console.print(Text("  … and " + ", ".join(f"{n} more {k}" for k, n in more.items()) + " (--limit)", "dim"))


def news(
    since: Annotated[
        str, typer.Option(help="last (since `news` last ran), or 12h, 7d, 2w, yesterday, last-week, 2024-05-01…")
    ] = "last",
    list_name: ListOption = watch.DEFAULT_LIST,
    peek: Annotated[bool, typer.Option("--peek", help="Show without moving the list's 'last seen' mark.")] = False,
    limit: Annotated[int, typer.Option(help="Rows of each kind per watched item.", min=1)] = 20,
    db: DbOption = Path(DEFAULT_DB),
    as_json: JsonOption = False,
) -> None:
    """New events, claims, relations and documents for watched items, by when they entered the store."""
    with Workspace(db) as ws:
        report = watch.news(ws, list_name, since, peek=peek, limit=limit)
    if as_json:
        print_json(report)
        return
    start = _stamp(report["since"]) or "the beginning"
    how = " (first run)" if report["since"] is None else f" ({report['since_label']})"
    console.print(Text(f"News on watchlist {report['watchlist']}: stored after {start}{how}", "bold"))
    for item in report["items"]:
        _print_item(item, report["since"] is not None)
    if report["marked_seen"]:
        console.print(
            f"marked as read up to {_stamp(report['upto']) or 'now'}; `--peek` looks without marking", style="dim"
        )
    if report["since"] is not None and any(i["events"] or i["relations"] for i in report["items"]):
        console.print("+src: an older event with a new source; first: a relation never stated before", style="dim")


def register(app: typer.Typer) -> None:
    """Add `watch` and `news` to the main CLI."""
    app.add_typer(watch_app, name="watch")
    app.command("news")(news)
