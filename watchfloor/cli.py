"""Command-line interface: a thin layer over :class:`watchfloor.workspace.Workspace`."""

from __future__ import annotations

import logging
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from watchfloor import __version__
from watchfloor.cli_claims import register as register_claims
from watchfloor.cli_eval import eval_app
from watchfloor.cli_export import brief, export_app
from watchfloor.cli_relations import register as register_relations
from watchfloor.cli_scorecard import register as register_scorecard
from watchfloor.cli_serve import register as register_serve
from watchfloor.errors import UserError
from watchfloor.ingest.sources import EXTENSIONS, SourceOptions, count_inputs
from watchfloor.render import clean, console, err_console, highlight_snippet, print_json, table
from watchfloor.workspace import DEFAULT_DB, Workspace, demo_corpus_path

if TYPE_CHECKING:  # the runner imports spaCy: only the commands that ingest load it
    from watchfloor.runner import IngestOptions, IngestReport

app = typer.Typer(
    help="Watchfloor: an auditable threat picture from news and analysis articles.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

register_scorecard(eval_app)
app.add_typer(eval_app, name="eval")
app.add_typer(export_app, name="export")
app.command("brief")(brief)
register_claims(app)
register_relations(app)
register_serve(app)

DbOption = Annotated[Path, typer.Option("--db", help="SQLite store to use.", envvar="WATCHFLOOR_DB")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
EXIT_INPUT_PROBLEMS = 3
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70


class RateColumn(ProgressColumn):
    """Documents per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} docs/s" if speed else "– docs/s", style="cyan")


def _log_path() -> Path:
    base = os.environ.get("WATCHFLOOR_LOG")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "watchfloor" / "watchfloor.log"


def _progress(label: str, quiet: bool) -> Progress:
    """The progress bar of long commands: count, documents per second, elapsed time and ETA."""
    return Progress(
        SpinnerColumn(),
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
        disable=quiet,
        transient=False,
    )


def _run_ingest(ws: Workspace, targets: list[str], options: IngestOptions, quiet: bool) -> IngestReport:
    total = count_inputs(targets, options.sources)
    with _progress("ingest", quiet) as progress:
        task = progress.add_task("ingest", total=total)
        return ws.ingest(
            targets,
            options,
            on_progress=lambda _s: progress.advance(task),
            on_problem=lambda line: err_console.print(f"[yellow]skipped[/] {escape(clean(line, one_line=True))}"),
        )


def _report_summary(report: IngestReport) -> str:
    parts = [
        f"{report.analysed} analysed",
        f"{report.duplicates} duplicates",
        f"{report.not_english} not English (kept, not analysed)",
        f"{report.already_stored} already stored",
        f"{len(report.problems)} failed",
    ]
    return "ingest: " + ", ".join(parts) + f" ({report.words:,} words)"


def _finish_ingest(report: IngestReport, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "analysed": report.analysed,
                "duplicates": report.duplicates,
                "not_english": report.not_english,
                "already_stored": report.already_stored,
                "failed": len(report.problems),
                "problems": report.problems,
                "words": report.words,
                "interrupted": report.interrupted,
            }
        )
    else:
        err_console.print(_report_summary(report))
    if report.interrupted:
        err_console.print("[yellow]interrupted[/]: finished documents are stored; run the same command again to resume")
        raise typer.Exit(EXIT_INTERRUPTED)
    if report.problems:
        err_console.print(
            f"[yellow]{len(report.problems)} input(s) failed[/]; see the messages above or `watchfloor status`"
        )
        raise typer.Exit(EXIT_INPUT_PROBLEMS)


@app.command("ingest")
def ingest_cmd(
    targets: Annotated[list[str], typer.Argument(help="Files, folders, http(s) URLs or RSS/Atom feeds.")],
    db: DbOption = Path(DEFAULT_DB),
    types: Annotated[str, typer.Option(help="Comma-separated file types to take from folders.")] = ",".join(
        sorted(set(EXTENSIONS.values()))
    ),
    max_mb: Annotated[float, typer.Option(help="Size cap per input, in MB.")] = 20.0,
    timeout: Annotated[float, typer.Option(help="Network timeout per URL, in seconds.")] = 15.0,
    allow_private: Annotated[bool, typer.Option(help="Allow URLs on private or loopback addresses.")] = False,
    allow_special_files: Annotated[
        bool, typer.Option(help="Read FIFOs and devices named as inputs (e.g. <(cmd)), up to the size cap.")
    ] = False,
    model: Annotated[str, typer.Option(help="spaCy model: md (default) or sm.")] = "md",
    workers: Annotated[int, typer.Option(help="NLP worker processes.")] = 1,
    batch_size: Annotated[int, typer.Option(help="Documents per transaction.")] = 16,
    gazetteer: Annotated[Path | None, typer.Option(help="Extra gazetteer YAML (extends/overrides).")] = None,
    embed_claims: Annotated[
        bool,
        typer.Option(
            "--embed-claims",
            help="Embed claims (MiniLM) so agreement and contradiction are judged by meaning; "
            "about half a spaCy pass more per document.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Ingest articles: clean, deduplicate, find actors and places, store with evidence."""
    from watchfloor.runner import IngestOptions

    wanted = {t.strip().lower().lstrip(".") for t in types.split(",") if t.strip()}
    unknown = wanted - set(EXTENSIONS.values())
    if unknown:
        raise UserError(
            f"unknown file type(s) {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(sorted(set(EXTENSIONS.values())))}"
        )
    options = IngestOptions(
        sources=SourceOptions(
            max_bytes=int(max_mb * 1_000_000),
            timeout=timeout,
            allow_private=allow_private,
            allow_special=allow_special_files,
            types=frozenset(wanted),
        ),
        model=model,
        workers=workers,
        batch_size=batch_size,
        gazetteer=gazetteer,
        embed_claims=embed_claims,
    )
    with Workspace(db) as ws:
        report = _run_ingest(ws, targets, options, quiet)
    _finish_ingest(report, as_json)


@app.command()
def demo(
    db: DbOption = Path(DEFAULT_DB),
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    as_json: JsonOption = False,
) -> None:
    """Ingest the bundled demo corpus and print a summary of what was found."""
    from watchfloor.runner import IngestOptions

    corpus = demo_corpus_path()
    targets = sorted(str(p) for p in corpus.iterdir() if p.suffix.lower() in EXTENSIONS)
    with Workspace(db) as ws:
        report = _run_ingest(ws, targets, IngestOptions(embed_claims=True), quiet)  # the demo shows it all
        status = ws.status()
        actors = ws.actors(limit=15)
    if as_json:
        print_json({"report": report.__dict__, "status": status, "top_actors": actors})
        return
    err_console.print(_report_summary(report))
    by_status = status["documents_by_status"]
    console.print(
        f"[bold]{status['documents']}[/] documents in {escape(str(db))}: "
        + ", ".join(f"{v} {k}" for k, v in sorted(by_status.items()))
        + f"; {status['mentions']:,} mentions, {status['entities_mentioned']} entities mentioned; "
        + f"{status['events']} events (+{status['background_events']} background), "
        + f"{status['claims']} claims ({status['forecasts']} forecasts), {status['relations']} relations"
    )
    table(
        "Most mentioned actors",
        ["actor", "kind", "mentions", "docs", "aliases seen"],
        [(a["name"], a["kind"], a["mentions"], a["documents"], len(a["aliases"])) for a in actors],
    )
    console.print(
        "Next: [bold]watchfloor actor ISKP[/], [bold]watchfloor timeline[/], "
        '[bold]watchfloor claims --kind forecast[/], [bold]watchfloor search "suicide bomber"[/]'
    )
    if report.problems:
        raise typer.Exit(EXIT_INPUT_PROBLEMS)


@app.command()
def status(db: DbOption = Path(DEFAULT_DB), as_json: JsonOption = False) -> None:
    """Counts of documents, mentions and entities; recent input problems."""
    with Workspace(db) as ws:
        data = ws.status()
    if as_json:
        print_json(data)
        return
    rows: list[tuple[str, Any]] = [
        ("store", data["db"]),
        ("schema version", data["schema_version"]),
        ("documents", data["documents"]),
        *[(f"  {k}", v) for k, v in sorted(data["documents_by_status"].items())],
        ("words analysed", f"{data['words']:,}"),
        ("mentions", data["mentions"]),
        ("linked mentions", data["linked_mentions"]),
        ("entities mentioned", data["entities_mentioned"]),
        ("entities known", data["entities_total"]),
        ("furniture spans removed", data["removed_spans"]),
        ("published", " – ".join(str(x) for x in data["published_range"] if x)),
        ("input problems", data["problems"]),
    ]
    table("Watchfloor store", ["", ""], rows)
    if data["undated_documents"]:
        console.print(
            f"[yellow]{data['undated_documents']} document(s) have no publication date[/]: their relative dates "
            '("on Friday", "5 September") stay unresolved; `watchfloor docs --status undated` lists them, '
            "`watchfloor doc ID --set-published YYYY-MM-DD` sets one"
        )
    if data["stale_documents"]:
        console.print(
            f"[yellow]{data['stale_documents']} document(s) were analysed by an older watchfloor[/]: "
            "run `watchfloor reprocess` to re-clean and re-extract them with this version (corrections are kept)"
        )
    for p in data["last_problems"]:
        console.print(f"[yellow]problem[/] {escape(clean(p['source'] + ': ' + p['message'], one_line=True))}")


@app.command()
def docs(
    db: DbOption = Path(DEFAULT_DB),
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 50,
    offset: Annotated[int, typer.Option(help="Rows to skip.")] = 0,
    doc_status: Annotated[
        str | None, typer.Option("--status", help="analysed, duplicate, not_english or undated")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List stored documents, newest first."""
    with Workspace(db) as ws:
        rows = ws.documents(limit, offset, doc_status)
    if as_json:
        print_json(rows)
        return
    table(
        "Documents",
        ["id", "published", "title", "publisher", "status", "words", "mentions"],
        [
            (
                r["id"],
                r["published"],
                (r["title"] or "")[:70],
                r["publisher"],
                r["status"] + (f" of {r['duplicate_of']}" if r["duplicate_of"] else ""),
                r["word_count"],
                r["mentions"],
            )
            for r in rows
        ],
    )


@app.command()
def doc(
    doc_id: Annotated[str, typer.Argument(help="Document id or a unique prefix of it.")],
    db: DbOption = Path(DEFAULT_DB),
    as_json: JsonOption = False,
    set_published: Annotated[
        str | None,
        typer.Option("--set-published", help="Set the publication date (YYYY-MM-DD); dates in it are re-resolved."),
    ] = None,
) -> None:
    """One document: metadata, clean text, removed furniture with reasons, and mentions."""
    with Workspace(db) as ws:
        if set_published is not None:
            with err_console.status("re-analysing the document with its new date…"):
                ws.set_published(doc_id, set_published)
            err_console.print(f"publication date set to {set_published}; its events, claims and relations re-resolved")
        d = ws.document(doc_id)
    if as_json:
        d.pop("raw_text", None)
        print_json(d)
        return
    for label, key in [
        ("id", "id"),
        ("title", "title"),
        ("source", "source"),
        ("url", "url"),
        ("publisher", "publisher"),
        ("author", "author"),
        ("language", "language"),
        ("status", "status"),
        ("duplicate of", "duplicate_of"),
    ]:
        if d.get(key):
            console.print(f"[bold]{label}:[/] {escape(str(d[key]))}")
    console.print(
        f"[bold]published:[/] {d['published'] or 'unknown'} "
        f"(found by {d['published_method']}: {escape(d['published_evidence'] or '')})"
    )
    if not d["published"] and d["status"] == "analysed":
        bound = f" (it mentions dates up to {d['published_not_before']})" if d.get("published_not_before") else ""
        console.print(
            f"[yellow]undated{bound}[/]: its relative dates stay unresolved; "
            f"set the date with `watchfloor doc {d['id'][:8]} --set-published YYYY-MM-DD`"
        )
    for note in d["notes"]:
        console.print(f"[bold]note:[/] {escape(note)}")
    console.rule("clean text")
    console.print(Text(d["text"]))
    console.rule(f"removed furniture ({len(d['removed'])})")
    for r in d["removed"]:
        console.print(Text.assemble(("- ", "dim"), (r["text"][:100], "strike"), (f"  [{r['reason']}]", "dim")))
    table(
        f"Mentions ({len(d['mentions'])})",
        ["span", "text", "label", "entity", "how"],
        [
            (f"{m['start']}-{m['end']}", m["text"], m["label"], m["entity"] or "", m["link_method"])
            for m in d["mentions"]
            if m["label"] in ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC")
        ],
    )


@app.command("reprocess")
def reprocess_cmd(
    db: DbOption = Path(DEFAULT_DB),
    stage: Annotated[
        str, typer.Option(help="clean: re-clean from the stored input; extract: NLP and extraction only.")
    ] = "clean",
    since: Annotated[str | None, typer.Option(help="Only documents published on or after (YYYY-MM-DD).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Also documents already processed by this version.")] = False,
    embed_claims: Annotated[
        bool, typer.Option("--embed-claims", help="Embed claims for stance by meaning (as `ingest --embed-claims`).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Re-run cleaning and extraction over stored documents after an upgrade (keeps corrections; resumable)."""
    from watchfloor.runner import IngestOptions

    with Workspace(db) as ws, _progress("reprocess", quiet) as progress:
        task = progress.add_task("reprocess", total=None)
        report = ws.reprocess(
            stage,
            since,
            force,
            options=IngestOptions(embed_claims=embed_claims),
            on_progress=lambda _d: progress.advance(task),
            on_total=lambda n: progress.update(task, total=n),
        )
    for line in report.problems:
        err_console.print(f"[yellow]kept[/] {escape(clean(line, one_line=True))}")
    err_console.print(f"reprocess: {report.processed} document(s) re-analysed ({stage} stage)")
    if report.interrupted:
        err_console.print("[yellow]interrupted[/]: run the same command again to resume")
        raise typer.Exit(EXIT_INTERRUPTED)


@app.command()
def actors(
    db: DbOption = Path(DEFAULT_DB),
    kind: Annotated[str | None, typer.Option(help="armed_group, person, state, place, …")] = None,
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 100,
    min_mentions: Annotated[int, typer.Option(help="Hide actors mentioned fewer times.")] = 1,
    as_json: JsonOption = False,
) -> None:
    """Canonical actors with aliases, types, mention counts and documents."""
    with Workspace(db) as ws:
        rows = ws.actors(kind, limit, min_mentions)
    if as_json:
        print_json(rows)
        return
    table(
        "Actors",
        ["key", "name", "kind", "mentions", "docs", "aliases"],
        [
            (
                r["key"],
                r["name"],
                r["kind"],
                r["mentions"],
                r["documents"],
                ", ".join(r["aliases"][:6]) + (" …" if len(r["aliases"]) > 6 else ""),
            )
            for r in rows
        ],
    )


@app.command()
def actor(
    name: Annotated[str, typer.Argument(help="Any alias, the canonical name or the key.")],
    db: DbOption = Path(DEFAULT_DB),
    limit: Annotated[int, typer.Option(help="Documents and evidence rows to show.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """One actor: aliases, ids, surface forms, documents, co-mentioned actors, evidence."""
    with Workspace(db) as ws:
        a = ws.actor(name, limit)
    if as_json:
        print_json(a)
        return
    console.print(f"[bold]{escape(a['name'])}[/] ({a['kind']}, key {a['key']}, Wikidata {a['qid'] or 'not recorded'})")
    if a.get("description"):
        console.print(escape(a["description"]))
    if a.get("latitude") is not None:
        console.print(
            f"location: {a['latitude']:.4f}, {a['longitude']:.4f} {a['country_code'] or ''} {a['admin1'] or ''}"
        )
    console.print(f"aliases: {escape(', '.join(a['aliases']))}")
    console.print(
        f"mentions: {a['mention_count']} in {len(a['documents'])} document(s); as "
        + escape(", ".join(f"{s['text']} ×{s['count']}" for s in a["surface_forms"]))
    )
    table(
        "Documents",
        ["id", "published", "title", "mentions"],
        [(d["id"], d["published"], (d["title"] or "")[:70], d["mentions"]) for d in a["documents"]],
    )
    table(
        "Co-mentioned",
        ["actor", "kind", "shared docs"],
        [(c["name"], c["kind"], c["documents"]) for c in a["co_mentioned"]],
    )
    table(
        "Evidence",
        ["doc", "span", "context"],
        [(e["doc_id"], f"{e['start']}-{e['end']}", " ".join(e["context"].split())) for e in a["evidence"]],
    )


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help='Words or "quoted phrases"; AND/OR/NOT allowed; Talib* searches by prefix.')
    ],
    db: DbOption = Path(DEFAULT_DB),
    actor_name: Annotated[str | None, typer.Option("--actor", help="Only documents mentioning this actor.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(help="Results to show.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Full-text search with highlighted snippets, filtered by actor and date."""
    for value, label in ((since, "--since"), (until, "--until")):
        if value and not _is_iso_date(value):
            raise UserError(f"{label} must be a date like 2024-03-22, not {value!r}")
    with Workspace(db) as ws:
        rows = ws.search(query, actor_name, since, until, limit)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("no matches")
        return
    for r in rows:
        console.print(f"[bold]{escape(r['title'] or r['id'])}[/]  [dim]{r['id']} {r['published'] or ''}[/]")
        console.print(highlight_snippet(" ".join(r["snippet"].split())))


EVENT_TYPES = (
    "attack",
    "kidnapping",
    "hostage_release",
    "air_strike",
    "leader_killed",
    "arrest",
    "military_offensive",
    "cross_border_fire",
    "assassination",
    "armed_assault",
    "bombing_explosion",
    "hijacking",
    "hostage_taking_barricade",
    "hostage_taking_kidnapping",
    "facility_infrastructure_attack",
    "unarmed_assault",
)


def _check_dates(since: str | None, until: str | None) -> None:
    for value, label in ((since, "--since"), (until, "--until")):
        if value and not _is_iso_date(value):
            raise UserError(f"{label} must be a date like 2024-03-22, not {value!r}")


def _figure(value: int | None, low: int | None, high: int | None) -> str:
    if value is not None:
        return f"{value}" + ("+" if low == value else "")
    if low is not None and high is not None:
        return f"{low}–{high}"
    if low is not None:
        return f">{low - 1}" if low else ""
    return f"≤{high}" if high is not None else ""


def _event_options(
    actor_name: str | None, country: str | None, since: str | None, until: str | None, event_type: str | None
) -> None:
    _check_dates(since, until)
    if event_type and event_type not in EVENT_TYPES:
        raise UserError(f"unknown --type {event_type!r}; choose from {', '.join(EVENT_TYPES)}")
    if country and len(country) != 2:
        raise UserError(f"--country takes an ISO code such as AF or PK, not {country!r}")


ActorFilter = Annotated[str | None, typer.Option("--actor", help="Perpetrator or actor named in the evidence.")]
CountryFilter = Annotated[str | None, typer.Option(help="ISO country code, e.g. AF.")]
SinceFilter = Annotated[str | None, typer.Option(help="On or after (YYYY-MM-DD).")]
UntilFilter = Annotated[str | None, typer.Option(help="On or before (YYYY-MM-DD).")]
TypeFilter = Annotated[str | None, typer.Option("--type", help="Event type or GTD attack type.")]
BackgroundFlag = Annotated[bool, typer.Option(help="Include historical events mentioned as background.")]


@app.command()
def events(
    db: DbOption = Path(DEFAULT_DB),
    actor_name: ActorFilter = None,
    country: CountryFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    event_type: TypeFilter = None,
    include_background: BackgroundFlag = False,
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 100,
    offset: Annotated[int, typer.Option(help="Rows to skip.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Attacks and security events merged across sources, newest first, with evidence."""
    _event_options(actor_name, country, since, until, event_type)
    with Workspace(db) as ws:
        rows = ws.events(actor_name, country, since, until, event_type, include_background, limit, offset)
    if as_json:
        print_json(rows)
        return
    table(
        "Events",
        ["id", "date", "type", "place", "perpetrator", "target", "killed", "wounded", "sources"],
        [
            (
                r["id"],
                (r["date"] or "") + (" (bg)" if r["is_background"] else ""),
                r["attack_type"] if r["event_type"] == "attack" else r["event_type"],
                ", ".join(x for x in (r["place"], r["country"]) if x),
                f"{r['perpetrator'] or ''} ({r['perpetrator_status']})" if r["perpetrator"] else "",
                r["target_type"],
                _figure(r["killed"], r["killed_low"], r["killed_high"]) + (" *" if r["figures_disagree"] else ""),
                _figure(r["wounded"], r["wounded_low"], r["wounded_high"]),
                len(r["sources"]),
            )
            for r in rows
        ],
    )
    if any(r["figures_disagree"] for r in rows):
        console.print("* sources give different figures: see --json for each source's figures")


@app.command()
def timeline(
    db: DbOption = Path(DEFAULT_DB),
    actor_name: ActorFilter = None,
    country: CountryFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    event_type: TypeFilter = None,
    include_background: BackgroundFlag = False,
    limit: Annotated[int, typer.Option(help="Events to show.")] = 200,
    as_json: JsonOption = False,
) -> None:
    """Events in date order, oldest first, each with its first source sentence."""
    _event_options(actor_name, country, since, until, event_type)
    with Workspace(db) as ws:
        rows = ws.events(actor_name, country, since, until, event_type, include_background, limit, 0, "date ASC")
    if as_json:
        print_json(rows)
        return
    for r in rows:
        kind = r["attack_type"] if r["event_type"] == "attack" else r["event_type"]
        killed = _figure(r["killed"], r["killed_low"], r["killed_high"])
        console.print(
            f"[bold]{r['date'] or '????'}[/] {escape(kind or '')} "
            f"{escape(', '.join(x for x in (r['place'], r['country']) if x))}"
            + (f" — {escape(r['perpetrator'])} ({r['perpetrator_status']})" if r["perpetrator"] else "")
            + (f" — {killed} killed" if killed else "")
            + (" [dim](background)[/]" if r["is_background"] else "")
        )
        src = r["sources"][0]
        console.print(
            f"    [dim]{src['doc_id']} {src['start']}-{src['end']}:[/] {escape(' '.join(src['text'].split())[:200])}"
        )


def _is_iso_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@app.command()
def version() -> None:
    """Print the version."""
    console.print(f"watchfloor {__version__}")


def _on_sigterm(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Entry point: user errors are one line on stderr; internal errors go to the log file."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        app()
    except UserError as exc:
        err_console.print(f"[red]error:[/] {escape(clean(str(exc), one_line=True))}")
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]")
        sys.exit(EXIT_INTERRUPTED)
    except Exception:
        log = _log_path()
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            logging.basicConfig(filename=log, level=logging.ERROR)
            logging.getLogger("watchfloor").error("internal error\n%s", traceback.format_exc())
            where = f"details in {log}"
        except OSError:
            where = "could not write the log file"
        err_console.print(f"[red]internal error[/] ({sys.exc_info()[1]!r}); {where}. Please report it.")
        sys.exit(EXIT_INTERNAL)
