"""The review queue as JSON: open items (anyone), and accept / fix / reject (with the bearer token)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from watchfloor.api.context import AppContext
from watchfloor.api.models import Page
from watchfloor.api.read import Offset, as_json
from watchfloor.api.write import require_token
from watchfloor.store.sqlite_review import KINDS

ItemId = Annotated[
    str, Path(min_length=3, max_length=200, description="item id as listed, e.g. undated:doc-e5c43f9f46b87545")
]
Kind = Annotated[str | None, Query(pattern="^(" + "|".join(KINDS) + ")$", description="one kind of item")]


class ReviewPage(Page):
    """A page of open items, and how many are open per kind."""

    counts: dict[str, int] = Field(description="open items per kind, and total")


class ReviewIn(BaseModel):
    author: str = Field(default="analyst", max_length=100, description="who reviewed it")
    note: str | None = Field(default=None, max_length=2000, description="why")


class FixIn(ReviewIn):
    """What to correct; which fields apply depends on the item (its ``fix`` list)."""

    date: str | None = Field(
        None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="a document's publication date, or an event's date"
    )
    keep: str | None = Field(None, max_length=200, description="duplicates: the entity kept (id, key or alias)")
    place: str | None = Field(None, max_length=200, description="an event's place (a known place, or a name)")
    perpetrator: str | None = Field(None, max_length=200, description="an event's perpetrator (any alias)")
    killed: int | None = Field(None, ge=0, le=10_000_000, description="an event's death toll")
    wounded: int | None = Field(None, ge=0, le=10_000_000, description="an event's injured")


def build_router(ctx: AppContext) -> APIRouter:
    """Read routes, open to anyone; write routes behind the token (the request guard checks it too)."""
    r = APIRouter(prefix="/api/review", tags=["review"])
    w = APIRouter(dependencies=[Depends(require_token(ctx))])  # under r's prefix

    @r.get("", summary="Open review items: undated documents, incomplete events, …", response_model=ReviewPage)
    def items(
        request: Request,
        kind: Kind = None,
        limit: Annotated[int, Query(ge=1, le=500, description="page size")] = 50,
        offset: Offset = 0,
    ) -> Response:
        rows, total, counts = ctx.ws.review.page(kind, limit, offset)
        more = offset + limit < total
        next_url = str(request.url.include_query_params(offset=offset + limit)) if more else None
        return as_json(
            {"items": rows, "limit": limit, "offset": offset, "total": total, "next": next_url, "counts": counts}
        )

    @r.get("/log", summary="Reviewed items, latest first", response_model=Page)
    def log(
        request: Request,
        limit: Annotated[int, Query(ge=1, le=500, description="page size")] = 50,
        offset: Offset = 0,
    ) -> Response:
        rows = ctx.ws.review.history(limit + 1, offset)
        next_url = str(request.url.include_query_params(offset=offset + limit)) if len(rows) > limit else None
        return as_json({"items": rows[:limit], "limit": limit, "offset": offset, "total": None, "next": next_url})

    @r.get("/{item_id}", summary="One open item with its evidence", response_model=dict[str, Any])
    def item(item_id: ItemId) -> Response:
        return as_json(ctx.ws.review.item(item_id))

    @w.post("/{item_id}/accept", summary="The item is right as it stands: it leaves the queue")
    def accept(item_id: ItemId, body: ReviewIn | None = None) -> dict[str, Any]:
        body = body or ReviewIn()
        queue = ctx.ws.review
        return {**queue.accept(item_id, body.author, body.note), "open": queue.counts()["total"]}

    @w.post("/{item_id}/reject", summary="The extraction is wrong: reject it (an analyst correction)")
    def reject(item_id: ItemId, body: ReviewIn | None = None) -> dict[str, Any]:
        body = body or ReviewIn()
        queue = ctx.ws.review
        return {**queue.reject(item_id, body.author, body.note), "open": queue.counts()["total"]}

    @w.post("/{item_id}/fix", summary="Set a date, fill in an event or merge duplicates (analyst corrections)")
    def fix(item_id: ItemId, body: FixIn) -> dict[str, Any]:
        queue = ctx.ws.review
        fields = body.model_dump(exclude={"author", "note"}, exclude_none=True)
        result = queue.fix(item_id, author=body.author, note=body.note, **fields)
        return {**result, "open": queue.counts()["total"]}

    r.include_router(w)
    return r
