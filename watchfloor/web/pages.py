"""The analyst web UI: server-rendered pages (Jinja2, autoescaped) plus small scripts for the charts."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from watchfloor import watch
from watchfloor.api.context import AppContext
from watchfloor.api.guard import BATCH_FACTOR
from watchfloor.api.read import MARK_CLOSE, MARK_OPEN, as_order
from watchfloor.errors import NotFound
from watchfloor.extract.relations import load_relation_lexicon
from watchfloor.ingest.sources import EXTENSIONS
from watchfloor.store import sqlite_browse as browse
from watchfloor.store.base import Row
from watchfloor.store.sqlite_review import KINDS as REVIEW_KINDS
from watchfloor.store.sqlite_watch import watchlists
from watchfloor.web.downloads import export_links
from watchfloor.web.highlight import Span, highlight, mark_snippet
from watchfloor.web.visuals import actor_colour, actor_swatch, axis_ticks, continuous_months

PAGE = 50
EVENT_SOURCES = 5  # sources shown per event in lists; the event page pages through all of them
TABLE_ROWS = 200  # the timeline page lists the latest events; the chart shows them all


def templates_dir() -> Path:
    return Path(str(resources.files("watchfloor") / "web" / "templates"))


def evidence_url(doc_id: str, start: int, end: int) -> str:
    """Where a fact's evidence is: the document, scrolled to the span, highlighted."""
    return f"/documents/{doc_id}?hl={start}-{end}#hl"


def predicates() -> list[str]:
    lex = load_relation_lexicon()
    return sorted({*lex.verbs.values(), *lex.nouns.values(), *lex.phrases.values()})


_QUOTES = "\"“”„«»'‘’ \t\n\r\u00a0"


def quoted(text: str) -> str:
    """Text between curly quotes, without doubling the quote marks it already carries."""
    return f"“{text.strip(_QUOTES)}”"


def _figure(low: int | None, high: int | None, exact: int | None) -> str:
    if exact is not None:
        return str(exact)
    if low is not None and high is not None:
        return f"{low}–{high}"
    if low is not None:
        return f"{low}+"
    return "–"


def _bars(rows: list[Row], key: str, value: str, width: int = 720, height: int = 160) -> dict[str, Any]:
    """Geometry of a bar chart drawn as inline SVG by the template (no script needed)."""
    top = max((int(r[value] or 0) for r in rows), default=0) or 1
    step = width / max(len(rows), 1)
    bars = [
        {
            "x": round(i * step, 1),
            "w": max(round(step - 1, 1), 1),
            "h": round((int(r[value] or 0) / top) * (height - 20), 1),
            "label": r[key],
            "value": r[value],
        }
        for i, r in enumerate(rows)
    ]
    for b in bars:
        b["y"] = round(height - 20 - b["h"], 1)
    ticks = [{**bars[i], "label": text} for i, text in axis_ticks([str(b["label"]) for b in bars], most=8)]
    return {"bars": bars, "width": width, "height": height, "top": top, "ticks": ticks}


def document_spans(doc: Row, spans: Row) -> list[Span]:
    """Every extracted fact in a document as highlight spans, linked to where it leads."""
    out: list[Span] = []
    for m in doc["mentions"]:
        linked = m["entity_id"] is not None
        out.append(
            Span(
                m["start"],
                m["end"],
                "mention",
                f"{m['label']} → {m['entity']} ({m['link_method']})" if linked else f"{m['label']} (not linked)",
                f"/actors/{m['entity_id']}" if linked else None,
                f"m-{m['label'].lower()}",
            )
        )
    for c in spans["claims"]:
        what = f"{c['kind']} by {c['speaker'] or 'unknown speaker'}"
        out.append(Span(c["evidence_start"], c["evidence_end"], "claim", f"claim: {what}"))
    for r in spans["relations"]:
        verb = ("NOT " if r["negated"] else "") + r["predicate"]
        out.append(Span(r["evidence_start"], r["evidence_end"], "relation", f"{r['subject']} {verb} {r['object']}"))
    for e in spans["events"]:
        title = f"event: {e['attack_type'] or e['event_type']} {e['date'] or ''} {e['place'] or ''}".strip()
        out.extend(Span(v["start"], v["end"], "event", title) for v in e["evidence"])
        out.append(Span(e["trigger_start"], e["trigger_end"], "trigger", title))
    return out


def build_router(ctx: AppContext) -> APIRouter:
    r = APIRouter(include_in_schema=False)
    templates = Jinja2Templates(directory=templates_dir())
    templates.env.globals.update(evidence_url=evidence_url, figure=_figure, export_links=export_links)
    templates.env.globals.update(actor_colour=actor_colour, actor_swatch=actor_swatch)
    templates.env.filters["quoted"] = quoted

    def render(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"nav": name.split(".")[0], **context})

    def qs(request: Request, **changes: Any) -> str:
        params = dict(request.query_params)
        params.update({k: str(v) for k, v in changes.items()})
        return "?" + urlencode(params)

    def filled(request: Request) -> str:
        """The page's query string without the empty fields a submitted filter form leaves (``country=``)."""
        return urlencode([(k, v) for k, v in request.query_params.multi_items() if v.strip()])

    templates.env.globals.update(qs=qs, filled=filled)

    @r.get("/", response_class=HTMLResponse)
    def dashboard(request: Request) -> HTMLResponse:
        ws = ctx.ws
        conn = ws.repo.conn
        status = ws.status()
        board = browse.dashboard(conn)
        return render(
            request,
            "dashboard.html",
            status=status,
            board=board,
            chart=_bars(continuous_months(board["events_by_month"]), "month", "events"),
            events=ws.repo.list_events(limit=8, max_sources=EVENT_SOURCES),
            review=ws.review.counts(),
            claims=ws.repo.list_claims(limit=8),
        )

    @r.get("/search", response_class=HTMLResponse)
    def search(
        request: Request, q: str = "", offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0
    ) -> HTMLResponse:
        ws = ctx.ws
        hits: list[Row] = []
        entities: list[Row] = []
        error = None
        if q.strip():
            entities, _ = browse.list_entities(ws.repo.conn, q=q.strip(), limit=12)
            try:
                hits = ws.repo.search(q, limit=21, offset=offset, markers=(MARK_OPEN, MARK_CLOSE))
            except Exception as exc:  # a malformed FTS query is the user's to fix, shown on the page
                error = str(exc)
        for hit in hits:
            hit["snippet_html"] = mark_snippet(hit["snippet"] or "", MARK_OPEN, MARK_CLOSE)
        return render(
            request, "search.html", q=q, hits=hits[:20], more=len(hits) > 20, offset=offset, entities=entities,
            error=error,
        )  # fmt: skip

    @r.get("/actors", response_class=HTMLResponse)
    def actors(
        request: Request,
        q: str = "",
        kind: str = "",
        sort: str = "-mentions",
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> HTMLResponse:
        conn = ctx.ws.repo.conn
        rows, total = browse.list_entities(conn, q=q or None, kind=kind or None, sort=sort, limit=PAGE, offset=offset)
        kinds = [k for (k,) in conn.execute("SELECT DISTINCT kind FROM entities ORDER BY kind")]
        return render(
            request, "actors.html", rows=rows, total=total, q=q, kind=kind, sort=sort, offset=offset, page=PAGE,
            kinds=kinds,
        )  # fmt: skip

    @r.get("/actors/{ref}", response_class=HTMLResponse)
    def actor(request: Request, ref: str) -> HTMLResponse:
        entity = ctx.entity(ref)
        detail = ctx.ws.entity_detail(int(entity["id"]), relations=50, events=30, mentions=30, sources=3)
        return render(request, "actor.html", e=entity, overview=detail, **detail)

    @r.get("/graph", response_class=HTMLResponse)
    def graph(request: Request) -> HTMLResponse:
        conn = ctx.ws.repo.conn
        kinds = [
            k
            for (k,) in conn.execute(
                "SELECT DISTINCT s.kind FROM relations r JOIN entities s "
                "ON s.id IN (r.subject_entity_id, r.object_entity_id) ORDER BY 1"
            )
        ]
        return render(request, "graph.html", predicates=predicates(), kinds=kinds, params=request.query_params)

    @r.get("/timeline", response_class=HTMLResponse)
    def timeline(
        request: Request, actor: str = "", type: str = "", country: str = "", since: str = "", until: str = ""
    ) -> HTMLResponse:
        ws = ctx.ws
        points = browse.event_points(
            ws.repo.conn,
            actor_id=ws._entity_id(actor or None, "actor"),
            event_type=type or None,
            country=country or None,
            since=since or None,
            until=until or None,
        )
        types = [t for (t,) in ws.repo.conn.execute(
            "SELECT DISTINCT coalesce(attack_type, event_type) FROM events ORDER BY 1")]  # fmt: skip
        return render(
            request, "timeline.html", points=points, latest=points[::-1][:TABLE_ROWS], actor=actor, type=type,
            country=country, types=types, since=since, until=until,
        )  # fmt: skip

    @r.get("/map", response_class=HTMLResponse)
    def map_page(request: Request, actor: str = "", type: str = "", since: str = "", until: str = "") -> HTMLResponse:
        ws = ctx.ws
        points = browse.event_points(
            ws.repo.conn,
            actor_id=ws._entity_id(actor or None, "actor"),
            event_type=type or None,
            since=since or None,
            until=until or None,
        )
        located = [p for p in points if p["latitude"] is not None]
        return render(
            request, "map.html", located=located, unlocated=len(points) - len(located), actor=actor, type=type,
            since=since, until=until,
        )  # fmt: skip

    @r.get("/events/{event_id}", response_class=HTMLResponse)
    def event(
        request: Request,
        event_id: Annotated[int, PathParam(ge=0, le=2**63 - 1)],
        offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    ) -> HTMLResponse:
        found = ctx.ws.repo.event(event_id, max_sources=PAGE, sources_offset=offset)
        if found is None:
            raise NotFound(f"no event with id {event_id}")
        return render(request, "event.html", ev=found, offset=offset, page=PAGE)

    @r.get("/claims", response_class=HTMLResponse)
    def claims(
        request: Request,
        kind: str = "",
        speaker: str = "",
        about: str = "",
        view: str = "",
        sort: str = "-published",
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> HTMLResponse:
        ws = ctx.ws
        rows = ws.claims(
            speaker or None,
            about or None,
            kind or None,
            limit=2000 if view == "disputes" else PAGE + 1,
            offset=0 if view == "disputes" else offset,
            as_of=date.today(),
            order=as_order(sort),
        )
        if view == "disputes":
            rows = [c for c in rows if c["contradicts"]]
        by_id = {int(c["id"]): c for c in rows}
        return render(
            request, "claims.html", rows=rows[:PAGE] if view != "disputes" else rows, more=len(rows) > PAGE and
            view != "disputes", kind=kind, speaker=speaker, about=about, view=view, sort=sort, offset=offset,
            by_id=by_id, page=PAGE,
        )  # fmt: skip

    @r.get("/review", response_class=HTMLResponse)
    def review(
        request: Request, kind: str = "", offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0
    ) -> HTMLResponse:
        queue = ctx.ws.review
        items, total, counts = queue.page(kind or None, PAGE, offset)
        return render(
            request, "review.html", items=items, total=total, counts=counts, kind=kind, kinds=REVIEW_KINDS,
            offset=offset, page=PAGE, today=queue.opts.today,
        )  # fmt: skip

    @r.get("/documents", response_class=HTMLResponse)
    def documents(
        request: Request, q: str = "", status: str = "", actor: str = "", offset: Annotated[int, Query(ge=0)] = 0
    ) -> HTMLResponse:
        ws = ctx.ws
        rows, total = browse.list_documents(
            ws.repo.conn,
            q=q or None,
            status=status or None,
            entity_id=ws._entity_id(actor or None, "actor"),
            limit=PAGE,
            offset=offset,
        )
        return render(request, "documents.html", rows=rows, total=total, q=q, status=status, offset=offset, page=PAGE)

    @r.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document(request: Request, doc_id: str, hl: str = "") -> HTMLResponse:
        ws = ctx.ws
        doc = ws.document(doc_id)
        spans = browse.document_spans(ws.repo.conn, doc["id"])
        focus = None
        if hl:
            start, _, end = hl.partition("-")
            if start.isdigit() and end.isdigit() and int(start) < int(end):
                focus = (int(start), int(end))
        body = highlight(doc["text"], document_spans(doc, spans), focus)
        return render(request, "document.html", doc=doc, spans=spans, body=body, focus=focus)

    @r.get("/watch", response_class=HTMLResponse)
    def watch_page(
        request: Request, watchlist: Annotated[str, Query(min_length=1, max_length=100)] = watch.DEFAULT_LIST
    ) -> HTMLResponse:
        ws = ctx.ws
        board = watch.overview(ws, watchlist, limit=10)
        return render(request, "watch.html", board=board, lists=watchlists(ws.repo.conn))

    @r.get("/ingest", response_class=HTMLResponse)
    def ingest_page(request: Request) -> HTMLResponse:
        """Add articles: upload files or paste URLs into an ingest job (needs the analyst token)."""
        s = ctx.settings
        return render(
            request, "ingest.html", max_mb=s.max_upload_mb, batch_mb=BATCH_FACTOR * s.max_upload_mb,
            types=sorted(EXTENSIONS), writable=bool(s.token), allow_private=s.allow_private_urls,
        )  # fmt: skip

    return r
