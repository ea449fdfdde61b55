"""Watchlist endpoints: read what is watched and what is new (open, like every read); add, remove and mark
as seen (``Authorization: Bearer <token>``, like every write).

Alert hooks (a JSONL file, a local command) are set from the command line only: over HTTP they would let
anyone holding the token run programs on the server.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from watchfloor import watch
from watchfloor.api.context import AppContext
from watchfloor.api.read import as_json
from watchfloor.api.write import require_token
from watchfloor.store.sqlite_watch import Mark, watchlists

ListName = Annotated[str, Query(min_length=1, max_length=100, description="watchlist name")]
Limit = Annotated[int, Query(ge=1, le=200, description="rows of each kind per watched item")]
STAMP = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$"


class WatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")  # alert hooks are refused (422), not silently dropped

    name: str | None = Field(None, min_length=1, max_length=200, description="an actor: id, key or any alias")
    search: str | None = Field(None, min_length=1, max_length=200, description="or a saved full-text search")
    watchlist: str = Field(watch.DEFAULT_LIST, min_length=1, max_length=100)


class SeenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    watchlist: str = Field(watch.DEFAULT_LIST, min_length=1, max_length=100)
    upto: str | None = Field(None, pattern=STAMP, description="the `upto.upto` a page showed; default: now")
    ids: list[Annotated[str, Field(pattern="^[0-9a-f]{1,64}$")]] = Field(
        default_factory=list, max_length=1000, description="the `upto.ids` of the same answer"
    )


def build_router(ctx: AppContext) -> APIRouter:
    r = APIRouter(prefix="/api/watch", tags=["watch"])
    token = [Depends(require_token(ctx))]

    @r.get("", summary="Watchlists and watched items (actors and saved searches)", response_model=dict[str, Any])
    def items(watchlist: Annotated[str | None, Query(max_length=100)] = None) -> Response:
        ws = ctx.ws
        return as_json({"watchlists": watchlists(ws.repo.conn), "items": watch.items(ws, watchlist)})

    @r.get(
        "/news",
        summary="What is new for each watched item since the list's last-seen mark or a time (never moves the mark)",
        response_model=dict[str, Any],
    )
    def news(
        watchlist: ListName = watch.DEFAULT_LIST,
        since: Annotated[
            str, Query(max_length=40, description="last, 12h, 7d, 2w, yesterday, last-week, 2024-05-01, …")
        ] = "last",
        limit: Limit = 20,
    ) -> Response:
        return as_json(watch.news(ctx.ws, watchlist, since, peek=True, limit=limit))

    @r.get(
        "/overview",
        summary="Each watched item's latest facts by ingest time, flagged `new` after the last-seen mark",
        response_model=dict[str, Any],
    )
    def overview(watchlist: ListName = watch.DEFAULT_LIST, limit: Limit = 10) -> Response:
        return as_json(watch.overview(ctx.ws, watchlist, limit))

    @r.post("", status_code=201, dependencies=token, summary="Watch an actor or a saved search")
    def add(body: WatchIn) -> Response:
        item = watch.add(ctx.ws, body.name, search=body.search, list_name=body.watchlist)
        response = as_json(item)
        response.status_code = 201 if item["added"] else 200  # already watched: nothing was created
        return response

    @r.delete("/{item_id}", dependencies=token, summary="Stop watching an item")
    def remove(item_id: Annotated[int, PathParam(ge=0, le=2**63 - 1)]) -> Response:
        return as_json(watch.remove_id(ctx.ws, item_id))

    @r.post("/seen", dependencies=token, summary="Move a list's last-seen mark (to what a page showed, or to now)")
    def seen(body: SeenIn) -> Response:
        mark = Mark(body.upto, tuple(body.ids)) if body.upto else None
        return as_json(watch.mark_seen(ctx.ws, body.watchlist, mark))

    return r
