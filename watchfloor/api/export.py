"""Export downloads: the brief, STIX, MISP, GraphML/GEXF and tables of the CLI's `export` and `brief`, as files.

Each endpoint takes the exports' own filters (``since``/``until`` on publication dates, ``actor``) and answers
with ``Content-Disposition: attachment`` and a file name that says what the file holds.
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from watchfloor.api.context import AppContext

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
Since = Annotated[str | None, Query(pattern=DATE, description="sources published on or after (YYYY, YYYY-MM or "
                                    "YYYY-MM-DD)")]  # fmt: skip
Until = Annotated[str | None, Query(pattern=DATE, description="sources published on or before")]
Actor = Annotated[str | None, Query(max_length=200, description="only what concerns this entity (id, key or alias)")]
TABLE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
BRIEF_TYPES = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}
CHARTS = threading.Lock()  # the brief draws its charts with pyplot, which is not thread-safe


def file_name(kind: str, ext: str, *parts: str | None) -> str:
    """``watchfloor-<kind>[-<part>…].<ext>``, with only letters, digits, dots and hyphens."""
    words = [re.sub(r"[^A-Za-z0-9.]+", "-", p).strip("-.") for p in (kind, *parts) if p]
    return "-".join(["watchfloor", *(w for w in words if w)])[:150] + "." + ext


def attachment(body: bytes | str, media_type: str, name: str) -> Response:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _via_file(write: Callable[[Path], None], suffix: str) -> bytes:
    """What a writer that wants a path (networkx, pyarrow) writes, as bytes."""
    with tempfile.TemporaryDirectory(prefix="watchfloor-export-") as folder:
        path = Path(folder) / f"export.{suffix}"
        write(path)
        return path.read_bytes()


def build_router(ctx: AppContext) -> APIRouter:
    r = APIRouter(prefix="/api/export", tags=["exports"])

    def named(actor: str | None) -> str | None:
        """The actor's name for the file name (the export itself reports an unknown actor)."""
        found = ctx.ws.lookup(actor) if actor else None
        return str(found["name"]) if found else actor

    @r.get("/stix", summary="STIX 2.1 bundle (JSON file)", response_class=Response)
    def stix(since: Since = None, until: Until = None, actor: Actor = None) -> Response:
        from watchfloor.export.stix import build_bundle

        bundle = build_bundle(ctx.ws, since, until, actor)
        return attachment(bundle.serialize(), "application/json", file_name("stix", "json", named(actor), since, until))

    @r.get("/misp", summary="MISP event that keeps the attacks (JSON file)", response_class=Response)
    def misp(
        since: Since = None,
        until: Until = None,
        actor: Actor = None,
        tlp: Annotated[Literal["clear", "green", "amber", "amber+strict", "red"], Query()] = "clear",
    ) -> Response:
        from watchfloor.export.misp import build_misp

        event = build_misp(ctx.ws, since, until, actor, tlp)
        body = json.dumps(event, indent=2, ensure_ascii=False)
        return attachment(body, "application/json", file_name("misp", "json", named(actor), since, until))

    @r.get("/graph", summary="Actor network as GraphML or GEXF", response_class=Response)
    def graph(
        since: Since = None,
        until: Until = None,
        actor: Actor = None,
        format: Annotated[Literal["graphml", "gexf"], Query()] = "graphml",
    ) -> Response:
        from watchfloor.export.graph import actor_graph, write_graph

        made = actor_graph(ctx.ws, since, until, actor)
        body = _via_file(lambda path: write_graph(made, path, format), format)
        return attachment(body, "application/xml", file_name("network", format, named(actor), since, until))

    @r.get("/table/{table}", summary="One table: entities, events, relations or claims", response_class=Response)
    def table(
        table: Literal["entities", "events", "relations", "claims"],
        since: Since = None,
        until: Until = None,
        actor: Actor = None,
        format: Annotated[Literal["csv", "jsonl", "parquet"], Query()] = "csv",
    ) -> Response:
        from watchfloor.export.tables import TABLES, write_rows

        rows = TABLES[table](ctx.ws, since, until, actor)
        body = _via_file(lambda path: write_rows(rows, path, format), format)
        return attachment(body, TABLE_TYPES[format], file_name(table, format, named(actor), since, until))

    @r.get("/brief", summary="Analyst brief about one actor (Markdown, HTML or PDF)", response_class=Response)
    def brief(
        about: Annotated[str, Query(min_length=1, max_length=200, description="the actor (id, key or alias)")],
        since: Since = None,
        until: Until = None,
        format: Annotated[Literal["md", "html", "pdf"], Query()] = "html",
    ) -> Response:
        from watchfloor.export.brief import build_brief, to_html, to_markdown, to_pdf

        entity = ctx.entity(about)
        with CHARTS:
            made = build_brief(ctx.ws, str(entity["key"]), since, until)
        body: bytes | str = to_markdown(made) if format == "md" else to_html(made) if format == "html" else to_pdf(made)
        return attachment(body, BRIEF_TYPES[format], file_name("brief", format, str(entity["name"]), since, until))

    return r
