"""Command-line interface: a thin layer over :class:`watchfloor.workspace.Workspace`."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import traceback
from dataclasses import asdict
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
from watchfloor.cli_review import register as register_review
from watchfloor.cli_scorecard import register as register_scorecard
from watchfloor.cli_serve import register as register_serve
from watchfloor.cli_watch import register as register_watch
from watchfloor.errors import UserError
from watchfloor.ingest.sources import EXTENSIONS, SourceOptions, count_inputs
from watchfloor.relative_dates import since_option, until_option
from watchfloor.render import (
    Col,
    NoPagerOption,
    WideOption,
    clean,
    console,
    err_console,
    highlight_snippet,
    paged,
    print_json,
    print_line,
    table,
    trim_start,
)
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
register_review(app)
register_serve(app)
register_watch(app)

DbOption = Annotated[
    Path, typer.Option("--db", help="Store: a SQLite file, or a postgresql:// URL.", envvar="WATCHFLOOR_DB")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
EXIT_INPUT_PROBLEMS = 3
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70
LOADING_MODEL = "loading language model…"


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
    """The progress bar of long commands: what it is doing (its task's description, ``label`` by default),
    count, documents per second, elapsed time and ETA."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
        disable=quiet,
        transient=False,
        expand=True,
    )


def _load_language_model(options: IngestOptions) -> None:
    """Load the spaCy pipeline, gazetteer and place index the run will use (the runner reuses them): the
    slow start of a run, shown as such instead of a progress bar stuck at 0."""
    from watchfloor.link.gazetteer import load_gazetteer
    from watchfloor.link.places import load_place_index
    from watchfloor.nlp.pipeline import acquire_pipeline, release_pipeline

    gazetteer = load_gazetteer(options.gazetteer)
    load_place_index()
    release_pipeline(acquire_pipeline(gazetteer, options.model), gazetteer, options.model)


def _run_ingest(ws: Workspace, targets: list[str], options: IngestOptions, quiet: bool) -> IngestReport:
    total = count_inputs(targets, options.sources)
    with _progress("ingest", quiet) as progress:
        task = progress.add_task(LOADING_MODEL, total=None)
        serial = options.in_process  # worker processes load their own: "loading" until the first document
        if serial:
            _load_language_model(options)
        progress.reset(task, total=total, description="ingest" if serial else LOADING_MODEL)
        return ws.ingest(
            targets,
            options,
            on_progress=lambda _s: progress.update(task, advance=1, description="ingest"),
            on_problem=lambda line: err_console.print(f"[yellow]skipped[/] {escape(clean(line, one_line=True))}"),
            on_note=lambda line: err_console.print(escape(clean(line, one_line=True))),
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
                "alerts": report.alerts,
            }
        )
    else:
        err_console.print(_report_summary(report))
        for line in report.alerts:
            err_console.print(escape(clean(line, one_line=True)))
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
    cluster: Annotated[
        str | None, typer.Option(help="Run on a local Dask cluster of N worker processes: local:N.")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Run on a Dask cluster: its scheduler's address, tcp://host:8786.")
    ] = None,
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
        cluster=cluster,
        scheduler=scheduler,
    )
    if cluster or scheduler:
        from watchfloor.dask_ingest import check_options  # imports Dask: only for a cluster run

        check_options(options)
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
    table("Watchfloor store", [Col("", token=True), Col("", lines=3)], rows)
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
        print_line(f"[yellow]problem[/] {escape(clean(p['source'] + ': ' + p['message'], one_line=True))}", lines=2)


@app.command()
def docs(
    db: DbOption = Path(DEFAULT_DB),
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 50,
    offset: Annotated[int, typer.Option(help="Rows to skip.")] = 0,
    doc_status: Annotated[
        str | None, typer.Option("--status", help="analysed, duplicate, not_english or undated")
    ] = None,
    wide: WideOption = False,
    no_pager: NoPagerOption = False,
    as_json: JsonOption = False,
) -> None:
    """List stored documents, newest first."""
    with Workspace(db) as ws:
        rows = ws.documents(limit, offset, doc_status)
    if as_json:
        print_json(rows)
        return
    columns = [
        Col("id", token=True),
        Col("published", token=True),
        Col("title", lines=1, min_width=24),
        Col("publisher", lines=1, optional=True),
        Col("status", token=not wide),
        Col("words", token=True, optional=True),
        Col("mentions", token=True, optional=True),
    ]
    with paged(not no_pager):
        table(
            "Documents",
            columns,
            [
                (
                    r["id"],
                    r["published"],
                    r["title"] or Text(Path((r["source"] or "").split("#")[0]).name, style="dim"),
                    r["publisher"],
                    r["status"] + (f" of {r['duplicate_of']}" if r["duplicate_of"] and wide else ""),
                    r["word_count"],
                    r["mentions"],
                )
                for r in rows
            ],
            wide=wide,
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
    wide: WideOption = False,
    no_pager: NoPagerOption = False,
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
    with paged(not no_pager):
        _print_document(d, wide)


def _print_document(d: dict[str, Any], wide: bool) -> None:
    """A document for reading: metadata, clean text, removed furniture, mentions."""
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
    found_by = f" (found by {d['published_method']}: {escape(d['published_evidence'] or '')})" if d["published"] else ""
    console.print(f"[bold]published:[/] {d['published'] or 'unknown'}{found_by}")
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
        reason = Text(f"[{r['reason']}] ", style="dim")  # first: a long line must not hide it
        print_line(Text.assemble(reason, (" ".join(r["text"].split()), "strike")), wide=wide)
    table(
        f"Mentions ({len(d['mentions'])})",
        [Col("span", token=True), Col("text", lines=1), Col("label", token=True), Col("entity", lines=1), "how"],
        [
            (f"{m['start']}-{m['end']}", m["text"], m["label"], m["entity"] or "", m["link_method"])
            for m in d["mentions"]
            if m["label"] in ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC")
        ],
        wide=wide,
    )


@app.command("reprocess")
def reprocess_cmd(
    db: DbOption = Path(DEFAULT_DB),
    stage: Annotated[
        str, typer.Option(help="clean: re-clean from the stored input; extract: NLP and extraction only.")
    ] = "clean",
    since: Annotated[
        str | None, typer.Option(help="Only documents published on or after (YYYY-MM-DD, 7d…).", callback=since_option)
    ] = None,
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
        options = IngestOptions(embed_claims=embed_claims)

        def on_total(n: int) -> None:
            if n:
                progress.update(task, description=LOADING_MODEL)
                _load_language_model(options)
            progress.reset(task, total=n, description="reprocess")

        report = ws.reprocess(
            stage,
            since,
            force,
            options=options,
            on_progress=lambda _d: progress.advance(task),
            on_total=on_total,
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
    wide: WideOption = False,
    no_pager: NoPagerOption = False,
    as_json: JsonOption = False,
) -> None:
    """Canonical actors with aliases, types, mention counts and documents."""
    with Workspace(db) as ws:
        rows = ws.actors(kind, limit, min_mentions)
    if as_json:
        print_json(rows)
        return
    columns = [
        Col("key", token=True),
        Col("name", lines=1, min_width=16),
        Col("kind", token=True, optional=True),
        Col("mentions", token=True),
        Col("docs", token=True),
        Col("aliases", lines=1, optional=True),
    ]
    with paged(not no_pager):
        table(
            "Actors",
            columns,
            [(r["key"], r["name"], r["kind"], r["mentions"], r["documents"], ", ".join(r["aliases"])) for r in rows],
            wide=wide,
        )


@app.command()
def actor(
    name: Annotated[str, typer.Argument(help="Any alias, the canonical name or the key.")],
    db: DbOption = Path(DEFAULT_DB),
    limit: Annotated[int, typer.Option(help="Documents and evidence rows to show.")] = 20,
    wide: WideOption = False,
    no_pager: NoPagerOption = False,
    as_json: JsonOption = False,
) -> None:
    """One actor: aliases, ids, surface forms, documents, co-mentioned actors, evidence."""
    with Workspace(db) as ws:
        a = ws.actor(name, limit)
    if as_json:
        print_json(a)
        return
    with paged(not no_pager):
        _print_actor(a, wide)


def _print_actor(a: dict[str, Any], wide: bool) -> None:
    """An actor for reading: names, counts, documents, co-mentioned actors, evidence."""
    console.print(f"[bold]{escape(a['name'])}[/] ({a['kind']}, key {a['key']}, Wikidata {a['qid'] or 'not recorded'})")
    if a.get("description"):
        console.print(escape(a["description"]))
    if a.get("latitude") is not None:
        console.print(
            f"location: {a['latitude']:.4f}, {a['longitude']:.4f} {a['country_code'] or ''} {a['admin1'] or ''}"
        )
    print_line(f"aliases: {escape(', '.join(a['aliases']))}", wide=wide, lines=3)
    print_line(
        f"mentions: {a['mention_count']} in {len(a['documents'])} document(s); as "
        + escape(", ".join(f"{s['text']} ×{s['count']}" for s in a["surface_forms"])),
        wide=wide,
        lines=3,
    )
    table(
        "Documents",
        [Col("id", token=True), Col("published", token=True), Col("title", lines=1), Col("mentions", token=True)],
        [(d["id"], d["published"], d["title"], d["mentions"]) for d in a["documents"]],
        wide=wide,
    )
    table(
        "Co-mentioned",
        [Col("actor", lines=1), Col("kind", token=True), Col("shared docs", token=True)],
        [(c["name"], c["kind"], c["documents"]) for c in a["co_mentioned"]],
        wide=wide,
    )
    table(
        "Evidence",
        [Col("doc", token=True), Col("span", token=True), Col("context", lines=2)],
        [(e["doc_id"], f"{e['start']}-{e['end']}", _in_context(e)) for e in a["evidence"]],
        wide=wide,
    )


def _in_context(mention: dict[str, Any]) -> Text:
    """A mention in bold within its context: a few words before it (from a word start), then what follows."""
    context, text = mention["context"], mention["text"]
    at = context.find(text, max(0, min(mention["start"], 80) - 2))
    if at < 0:
        return Text(" ".join(context.split()))
    after = context[at + len(text) :]
    if len(after) >= 75 and " " in after:  # the context window ends mid-word
        after = after[: after.rfind(" ")] + " …"
    after = (" " if after[:1].isspace() else "") + " ".join(after.split())
    return Text.assemble(trim_start(context[:at], 40), (text, "bold"), after)


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help='Words or "quoted phrases"; AND/OR/NOT allowed; Talib* searches by prefix.')
    ],
    db: DbOption = Path(DEFAULT_DB),
    actor_name: Annotated[str | None, typer.Option("--actor", help="Only documents mentioning this actor.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Published on or after (YYYY-MM-DD, 7d, last-week…).", callback=since_option)
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Published on or before (YYYY-MM-DD, yesterday…).", callback=until_option)
    ] = None,
    limit: Annotated[int, typer.Option(help="Results to show.")] = 20,
    wide: WideOption = False,
    no_pager: NoPagerOption = False,
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
    with paged(not no_pager):
        if wide:  # each hit: its title, then the whole snippet
            for r in rows:
                console.print(f"[bold]{escape(r['title'] or r['id'])}[/]  [dim]{r['id']} {r['published'] or ''}[/]")
                console.print(highlight_snippet(" ".join(r["snippet"].split())))
            return
        table(  # one line per hit: the snippet from a few words before the first hit
            f"{len(rows)} match{'es' if len(rows) > 1 else ''}",
            [
                Col("id", token=True),
                Col("published", token=True),
                Col("title", lines=1, min_width=16, optional=True),
                Col("match", lines=1, min_width=30),
            ],
            [(r["id"], r["published"], r["title"], _snippet_line(r["snippet"])) for r in rows],
        )


def _snippet_line(snippet: str) -> Text:
    """A search snippet from a few words before its first hit, hits highlighted."""
    first = snippet.find("[")
    return highlight_snippet(trim_start(snippet[:first], 16) + snippet[first:] if first > 0 else snippet)


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
SinceFilter = Annotated[
    str | None, typer.Option(help="On or after (YYYY-MM-DD, 7d, 2w, yesterday, last-week…).", callback=since_option)
]
UntilFilter = Annotated[
    str | None, typer.Option(help="On or before (YYYY-MM-DD, today, last-month…).", callback=until_option)
]
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
    min_grade: Annotated[
        str | None, typer.Option(help="Keep events graded at least this well on both scales, e.g. B3.")
    ] = None,
    by_grade: Annotated[bool, typer.Option("--by-grade", help="Best Admiralty grade first.")] = False,
    wide: WideOption = False,
    no_pager: NoPagerOption = False,
    as_json: JsonOption = False,
) -> None:
    """Attacks and security events merged across sources, newest first, with evidence and Admiralty grade
    (source reliability A-F, credibility 1-6 from independent sources; docs/reliability.md)."""
    _event_options(actor_name, country, since, until, event_type)
    with Workspace(db) as ws:
        rows = ws.events(
            actor_name, country, since, until, event_type, include_background, limit, offset,
            min_grade=min_grade, by_grade=by_grade,
        )  # fmt: skip
    if as_json:
        print_json(rows)
        return
    columns = [  # one line per event; --wide for every field in full
        Col("id", token=True),
        Col("date", token=True),
        Col("type", lines=1, min_width=10),
        Col("place", lines=1),
        Col("perpetrator", lines=1),
        Col("target", lines=1, optional=True),
        Col("killed", token=True),
        Col("wounded", token=True, optional=True),
        Col("src", token=True),  # reports; the grade's (n) counts independent sources
        Col("grade", token=True),
    ]
    with paged(not no_pager):
        table(
            "Events · grade: Admiralty code (independent sources)",
            columns,
            [
                (
                    r["id"],
                    (r["date"] or "") + (" (bg)" if r["is_background"] else ""),
                    _event_kind(r),
                    ", ".join(x for x in (r["place"], r["country"]) if x),
                    f"{r['perpetrator'] or ''} ({r['perpetrator_status']})" if r["perpetrator"] else "",
                    r["target_type"],
                    _figure(r["killed"], r["killed_low"], r["killed_high"]) + ("*" if r["figures_disagree"] else ""),
                    _figure(r["wounded"], r["wounded_low"], r["wounded_high"]),
                    len(r["sources"]),
                    f"{r['grade']} ({r['n_independent']})",
                )
                for r in rows
            ],
            wide=wide,
        )
        if any(r["figures_disagree"] for r in rows):
            print_line("* sources give different figures: see --json for each source's figures", lines=2)


def _place(row: dict[str, Any]) -> str:
    return ", ".join(x for x in (row["place"], row["country"]) if x)


def _event_kind(row: dict[str, Any]) -> str:
    """The attack type of an attack, else the event type, in words ("bombing explosion")."""
    return str((row["attack_type"] if row["event_type"] == "attack" else row["event_type"]) or "").replace("_", " ")


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
    wide: WideOption = False,
    no_pager: NoPagerOption = False,
    as_json: JsonOption = False,
) -> None:
    """Events in date order, oldest first, each with its first source sentence."""
    _event_options(actor_name, country, since, until, event_type)
    with Workspace(db) as ws:
        rows = ws.events(actor_name, country, since, until, event_type, include_background, limit, 0, "date ASC")
    if as_json:
        print_json(rows)
        return
    with paged(not no_pager):
        for r in rows:  # two lines per event (whole with --wide): what, where, who; its first source sentence
            killed = _figure(r["killed"], r["killed_low"], r["killed_high"])
            print_line(
                f"[bold]{r['date'] or '????'}[/] "
                + escape(" ".join(x for x in (_event_kind(r), _place(r)) if x))
                + (f" — {killed} killed" if killed else "")
                + (" [dim](background)[/]" if r["is_background"] else "")
                + (f" — {escape(r['perpetrator'])} ({r['perpetrator_status']})" if r["perpetrator"] else ""),
                wide=wide,
            )
            src = r["sources"][0]
            print_line(
                f"[dim]{src['doc_id']} {src['start']}-{src['end']}:[/] {escape(' '.join(src['text'].split()))}",
                wide=wide,
                indent=4,
            )


def _is_iso_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@app.command("migrate-store")
def migrate_store_cmd(
    src: Annotated[str, typer.Argument(help="Store to copy: a SQLite file or a postgresql:// URL.")],
    dst: Annotated[
        str, typer.Argument(help="Store to fill (created if needed): a SQLite file or a postgresql:// URL.")
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace the destination's data if it has any.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Copy a whole store SQLite -> PostgreSQL or back, then compare row counts and a sample of rows."""
    from watchfloor.store.migrate import check_stores, migrate_store

    check_stores(src, dst)  # before the progress bar shows
    with _progress("copying", quiet or as_json) as progress:
        task = progress.add_task("copying", total=None)

        def on_table(table: str, rows: int) -> None:
            progress.update(task, description=table, total=rows, completed=0)

        report = migrate_store(src, dst, force, on_table, lambda n: progress.advance(task, n))
    if as_json:
        print(json.dumps(asdict(report), indent=2))
    else:
        total = sum(report.counts.values())
        console.print(
            f"copied {total} rows in {len(report.counts)} tables from {report.source} to {report.destination}; "
            f"checked counts and {report.sampled} sampled rows"
        )
    if report.mismatches:
        raise UserError("the copy differs from the source: " + "; ".join(report.mismatches))


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
