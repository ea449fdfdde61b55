"""Read endpoints: open to anyone who can reach the server (it listens on 127.0.0.1 by default)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from watchfloor.api.context import AppContext
from watchfloor.api.models import Page
from watchfloor.errors import NotFound
from watchfloor.store import sqlite_browse as browse
from watchfloor.store.sqlite_corrections import count_corrections, list_corrections
from watchfloor.web.visuals import actor_colour

Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
MAX_OFFSET = 1_000_000_000  # SQLite integers are 64-bit; no store holds a billion rows of one kind
MAX_ID = 2**63 - 1
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]
MinSources = Annotated[int, Query(ge=1, le=MAX_OFFSET, description="keep relations with at least this many sources")]
Since = Annotated[str | None, Query(description="ISO date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive")]
Until = Annotated[str | None, Query(description="ISO date, inclusive")]
Actor = Annotated[str | None, Query(description="entity id, key or any alias")]

MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # snippet markers no article contains; the UI turns them into <mark>


def as_json(body: Any) -> Response:
    """Serialise with the standard library: store rows are plain JSON types, and FastAPI's generic encoder
    costs more than the queries on big pages (the response_model still documents the shape)."""
    return Response(json.dumps(body, ensure_ascii=False, default=str), media_type="application/json")


def page(request: Request, items: list[Any], limit: int, offset: int, total: int | None = None) -> Response:
    """The envelope of every list: items plus where the next page is.

    Lists without a cheap total are fetched with ``limit + 1`` rows to know whether a next page exists.
    """
    more = len(items) > limit if total is None else offset + limit < total
    items = items[:limit]
    next_url = str(request.url.include_query_params(offset=offset + limit)) if more else None
    return as_json({"items": items, "limit": limit, "offset": offset, "total": total, "next": next_url})


STANCE_IDS = 100  # claim ids listed per agree/contradict list; n_agree / n_contradict give the full counts
EVENT_SOURCES = 5  # sources per event in lists; n_sources gives the full count, the event endpoint pages them
Sources = Annotated[
    int, Query(ge=1, le=1000, description="sources per event, oldest first; n_sources is always the full count")
]


def as_order(sort: str) -> str:
    """``-field`` → ``"field DESC"``, ``field`` → ``"field ASC"`` (the store functions' ``order``)."""
    return f"{sort.lstrip('-')} {'DESC' if sort.startswith('-') else 'ASC'}"


def build_router(ctx: AppContext) -> APIRouter:
    r = APIRouter(prefix="/api")

    @r.get("/stats", summary="Store counts and dashboard figures", tags=["overview"], response_model=dict[str, Any])
    def stats() -> Response:
        ws = ctx.ws
        return as_json(
            {**ws.status(), **browse.dashboard(ws.repo.conn), "corrections": count_corrections(ws.repo.conn)}
        )

    @r.get("/documents", summary="Documents, newest first", tags=["documents"], response_model=Page)
    def documents(
        request: Request,
        q: Annotated[str | None, Query(description="substring of title, publisher or source")] = None,
        status: Annotated[str | None, Query(pattern="^(analysed|duplicate|not_english|no_text)$")] = None,
        actor: Actor = None,
        sort: Annotated[str, Query(pattern="^-?(published|title|words|ingested)$")] = "-published",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        ws = ctx.ws
        entity_id = ws._entity_id(actor, "actor")
        rows, total = browse.list_documents(
            ws.repo.conn, q=q, status=status, entity_id=entity_id, sort=sort, limit=limit, offset=offset
        )
        return page(request, rows, limit, offset, total)

    @r.get(
        "/documents/{doc_id}",
        summary="One document with every extracted span",
        tags=["documents"],
        response_model=dict[str, Any],
    )
    def document(doc_id: str) -> Response:
        ws = ctx.ws
        doc = ws.document(doc_id)
        doc.pop("raw_text", None)
        doc.update(browse.document_spans(ws.repo.conn, doc["id"]))
        return as_json(doc)

    @r.get(
        "/entities", summary="Actors and places that are mentioned, with counts", tags=["entities"], response_model=Page
    )
    def entities(
        request: Request,
        q: Annotated[str | None, Query(description="substring of any alias")] = None,
        kind: Annotated[str | None, Query(description="armed_group, person, state, place, …")] = None,
        sort: Annotated[str, Query(pattern="^-?(mentions|documents|name|last_seen)$")] = "-mentions",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        rows, total = browse.list_entities(ctx.ws.repo.conn, q=q, kind=kind, sort=sort, limit=limit, offset=offset)
        return page(request, rows, limit, offset, total)

    @r.get(
        "/entities/{ref}",
        summary="One entity: aliases, counts, relations, events, claims, mentions",
        tags=["entities"],
        response_model=dict[str, Any],
    )
    def entity(ref: str, limit: Annotated[int, Query(ge=1, le=200)] = 20) -> Response:
        found = ctx.entity(ref)
        return as_json({**found, **ctx.ws.entity_detail(int(found["id"]), limit=limit, stance_ids=STANCE_IDS)})

    @r.get(
        "/entities/{ref}/mentions",
        summary="Every mention of an entity, with context",
        tags=["entities"],
        response_model=Page,
    )
    def mentions(request: Request, ref: str, limit: Limit = 50, offset: Offset = 0) -> Response:
        entity_id = int(ctx.entity(ref)["id"])
        return page(request, browse.entity_mentions(ctx.ws.repo.conn, entity_id, limit + 1, offset), limit, offset)

    @r.get("/events", summary="Merged events with their sources", tags=["events"], response_model=Page)
    def events(
        request: Request,
        actor: Actor = None,
        country: Annotated[str | None, Query(min_length=2, max_length=2, description="ISO 3166 alpha-2")] = None,
        type: Annotated[str | None, Query(description="event or attack type, e.g. bombing")] = None,
        since: Since = None,
        until: Until = None,
        include_background: bool = False,
        sort: Annotated[
            str, Query(pattern="^-?(date|killed|wounded)$|^grade$", description="grade: best Admiralty grade first")
        ] = "-date",
        min_grade: Annotated[
            str | None,
            Query(pattern="^[A-Fa-f][1-6]$", description="Admiralty grade at least this good on both scales, e.g. B3"),
        ] = None,
        sources: Sources = EVENT_SOURCES,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        by_grade = sort == "grade"
        order = "date DESC" if by_grade else as_order(sort)
        rows = ctx.ws.events(
            actor, country, since, until, type, include_background, limit + 1, offset, order, max_sources=sources,
            min_grade=min_grade, by_grade=by_grade,
        )  # fmt: skip
        return page(request, rows, limit, offset)

    @r.get(
        "/events/{event_id}",
        summary="One event with a page of its sources (sources_next: the next page)",
        tags=["events"],
        response_model=dict[str, Any],
    )
    def event(
        request: Request,
        event_id: Annotated[int, Path(ge=0, le=MAX_ID)],
        sources: Annotated[int, Query(ge=1, le=500, description="sources on this page, oldest first")] = 50,
        sources_offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="sources to skip")] = 0,
    ) -> Response:
        found = ctx.ws.repo.event(event_id, max_sources=sources, sources_offset=sources_offset)
        if found is None:
            raise NotFound(f"no event with id {event_id}")
        more = sources_offset + sources < found["n_sources"]
        found["sources_offset"] = sources_offset
        found["sources_next"] = (
            str(request.url.include_query_params(sources_offset=sources_offset + sources)) if more else None
        )
        return as_json(found)

    @r.get(
        "/timeline",
        summary="Light event points for the timeline and the map, oldest first",
        tags=["events"],
        response_model=dict[str, Any],
    )
    def timeline(
        actor: Actor = None,
        type: str | None = None,
        country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
        since: Since = None,
        until: Until = None,
        include_background: bool = False,
        limit: Annotated[int, Query(ge=1, le=20000)] = 5000,
    ) -> Response:
        ws = ctx.ws
        points = browse.event_points(
            ws.repo.conn,
            actor_id=ws._entity_id(actor, "actor"),
            event_type=type,
            country=country,
            since=since,
            until=until,
            include_background=include_background,
            limit=limit,
        )
        for point in points:
            point["perpetrator_colour"] = actor_colour(point["perpetrator_key"])
        return as_json({"items": points, "count": len(points)})

    @r.get(
        "/relations",
        summary="Relations per actor pair and predicate, with evidence",
        tags=["relations"],
        response_model=Page,
    )
    def relations(
        request: Request,
        actor: Actor = None,
        predicate: str | None = None,
        since: Since = None,
        until: Until = None,
        min_sources: MinSources = 1,
        sources: Annotated[
            int,
            Query(
                ge=1,
                le=1000,
                description="evidence sentences per relation, strongest first; n_sources is always the full count",
            ),
        ] = 5,
        sort: Annotated[str, Query(pattern="^-?(n_sources|last_seen|first_seen|subject|predicate)$")] = "-n_sources",
        all_modalities: Annotated[
            bool,
            Query(
                description="also count forecasts, claims, questions and conditionals (default: asserted or "
                "reported only); each source has its modality and a label such as 'forecast by X'"
            ),
        ] = False,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        rows = ctx.ws.relations(
            actor,
            predicate,
            since,
            until,
            min_sources,
            limit + 1,
            offset,
            order=as_order(sort),
            max_sources=sources,
            all_modalities=all_modalities,
        )
        return page(request, rows, limit, offset)

    @r.get("/claims", summary="Attributed claims and forecasts", tags=["claims"], response_model=Page)
    def claims(
        request: Request,
        speaker: Actor = None,
        about: Actor = None,
        kind: Annotated[str | None, Query(pattern="^(forecast|assessment|factual|denial|responsibility)$")] = None,
        since: Since = None,
        as_of: Annotated[date | None, Query(description="judge forecasts as of this date (default today)")] = None,
        sort: Annotated[str, Query(pattern="^-?(published|confidence|horizon|extraction)$")] = "-published",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        rows = ctx.ws.claims(
            speaker, about, kind, since, limit + 1, offset, as_of, order=as_order(sort), stance_ids=STANCE_IDS
        )
        return page(request, rows, limit, offset)

    @r.get("/claims/{claim_id}", summary="One claim", tags=["claims"], response_model=dict[str, Any])
    def claim(claim_id: Annotated[int, Path(ge=0, le=MAX_ID)], as_of: date | None = None) -> Response:
        found = ctx.ws.claim(claim_id, as_of, stance_ids=STANCE_IDS)
        if found is None:
            raise NotFound(f"no claim with id {claim_id}")
        return as_json(found)

    @r.get("/speakers/{ref}", summary="A speaker's track record", tags=["claims"], response_model=dict[str, Any])
    def speaker(ref: str, as_of: date | None = None) -> Response:
        found = ctx.entity(ref)
        record = ctx.ws.repo.speaker_record(int(found["id"]), as_of)
        return as_json({"id": found["id"], "name": found["name"], "kind": found["kind"], **record})

    @r.get(
        "/search", summary="Full-text search (FTS5 syntax: phrases, OR, prefix*)", tags=["search"], response_model=Page
    )
    def search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=500)],
        actor: Actor = None,
        since: Since = None,
        until: Until = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> Response:
        ws = ctx.ws
        actor_id = ws._entity_id(actor, "actor")
        rows = ws.repo.search(q, actor_id, since, until, limit + 1, offset, markers=(MARK_OPEN, MARK_CLOSE))
        return page(request, rows, limit, offset)

    @r.get(
        "/graph",
        summary="The actor network for a filter: nodes and edges",
        tags=["relations"],
        response_model=dict[str, Any],
    )
    def graph(
        predicate: str | None = None,
        kind: Annotated[
            list[str] | None, Query(description="keep edges whose both ends have one of these kinds")
        ] = None,
        actor: Actor = None,
        since: Since = None,
        until: Until = None,
        min_sources: MinSources = 1,
        include_negated: bool = False,
        all_modalities: Annotated[
            bool, Query(description="edges from forecasts, claims and questions too (default: asserted or reported)")
        ] = False,
        limit: Annotated[int, Query(ge=1, le=5000)] = 300,
    ) -> Response:
        ws = ctx.ws
        graph = browse.graph(
            ws.repo.conn,
            predicate=predicate,
            since=since,
            until=until,
            kinds=kind,
            actor_id=ws._entity_id(actor, "actor"),
            min_sources=min_sources,
            include_negated=include_negated,
            limit=limit,
            **({"modalities": None} if all_modalities else {}),
        )
        for node in graph["nodes"]:
            node["colour"] = actor_colour(node["key"])
        return as_json(graph)

    @r.get("/corrections", summary="Analyst corrections, newest first", tags=["corrections"], response_model=Page)
    def corrections(request: Request, limit: Limit = 50, offset: Offset = 0) -> Response:
        conn = ctx.ws.repo.conn
        return page(request, list_corrections(conn, limit, offset), limit, offset, count_corrections(conn))

    return r
