"""The FastAPI application: JSON API under /api, the analyst web UI at /, both from one store."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from watchfloor import __version__
from watchfloor.api import export, read, upload, watch, write
from watchfloor.api.context import AppContext, ServerSettings
from watchfloor.api.guard import RequestGuard
from watchfloor.api.jobs import IngestJobs
from watchfloor.api.models import ErrorBody
from watchfloor.api.review import build_router as review_router
from watchfloor.errors import NotFound, UserError
from watchfloor.store.sqlite_browse import ensure_entity_stats
from watchfloor.store.sqlite_claims import claims_with_words
from watchfloor.web.pages import build_router as web_router
from watchfloor.web.pages import templates_dir
from watchfloor.workspace import Workspace

# Article text is untrusted: nothing but our own scripts may run, and nothing may be loaded from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI sets inline styles; its page holds no article text.
log = logging.getLogger("watchfloor.api")
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         413: "too_large", 415: "unsupported_media_type", 422: "invalid_parameters", 500: "internal_error"}  # fmt: skip


def static_dir() -> Path:
    return Path(str(resources.files("watchfloor") / "web" / "static"))


def security_headers(path: str) -> dict[str, str]:
    """Headers on every response, errors included."""
    return {
        "Content-Security-Policy": DOCS_CSP if path == "/api/docs" else CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }


def error_body(status: int, message: str, fields: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": CODES.get(status, "error"), "message": message, "fields": fields}}


def error_response(status: int, message: str, fields: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:  # fmt: skip
    return JSONResponse(error_body(status, message, fields), status_code=status, headers=headers)


def raw_error(status: int, message: str, headers: dict[str, str], path: str) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """An error in the JSON error shape as raw ASGI parts, for the request guard."""
    body = json.dumps(error_body(status, message)).encode()
    every = {**security_headers(path), **headers, "Content-Type": "application/json",
             "Content-Length": str(len(body))}  # fmt: skip
    return body, [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in every.items()]


def warm_up(db: Path, done: threading.Event) -> None:
    """Build the entity counts, the claims' stance index and the claims by speaker and words (which grades
    count as carriers) before the first analyst asks for them."""
    try:
        with Workspace(db) as ws:
            ensure_entity_stats(ws.repo.conn)
            claims_with_words(ws.repo.conn, set())
    except (sqlite3.Error, UserError):  # only an optimisation: the first request does the work instead
        pass
    done.set()


def create_app(settings: ServerSettings) -> FastAPI:
    """Build the app for one store; ``watchfloor serve`` runs it with uvicorn."""
    ctx = AppContext(settings)
    ctx.ws  # noqa: B018 - open (and migrate) the store now, so a bad --db fails at start, not on a request
    jobs = IngestJobs(settings.db, settings.allow_private_urls, run_worker=settings.ingest_worker)
    warm = threading.Event()
    threading.Thread(target=warm_up, args=(settings.db, warm), name="warm-up", daemon=True).start()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()

    app = FastAPI(
        title="watchfloor",
        version=__version__,
        description="The threat picture as JSON: documents, entities, events, relations, claims, each fact "
        "with the document id and character span of its evidence. Lists take `limit`, `offset` and `sort` "
        "(`-field` for descending) and answer `{items, limit, offset, total, next}`. Errors answer "
        "`{error: {status, code, message}}`. Write endpoints need `Authorization: Bearer <token>`.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
        responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    )
    app.state.ctx = ctx
    app.state.jobs = jobs

    templates = Jinja2Templates(directory=templates_dir())

    def failed(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        """JSON for the API, a page for the UI."""
        if request.url.path.startswith(("/api", "/static")):
            return error_response(status, message, headers=headers)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message, "nav": ""}, status_code=status
        )

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return failed(request, 404, str(exc))

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> Response:
        return failed(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return failed(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [{"where": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()]
        summary = "; ".join(f"{f['where']}: {f['problem']}" for f in fields)
        return error_response(422, f"invalid request: {summary}", fields)

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, exc: OverflowError) -> Response:
        return failed(request, 400, "a number in the request is out of range")

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        # Runs in the outermost middleware, past the security headers: add them here.
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(500, "internal error; see the server log", headers=security_headers(request.url.path))

    # Inner to the security headers below, so its refusals carry them too.
    app.add_middleware(RequestGuard, settings=settings, respond=raw_error)

    @app.middleware("http")
    async def add_security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in security_headers(request.url.path).items():
            response.headers[name] = value
        return response

    @app.get("/api/health", tags=["overview"], summary="Liveness, warm-up done, and the server process that answered")
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "warm": warm.is_set(), "pid": os.getpid()}

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(
            """<!doctype html><html><head><meta charset="utf-8"><title>watchfloor API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui.css"><link rel="icon" href="data:,"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui-bundle.js"></script><script src="/static/js/apidocs.js"></script>
</body></html>"""
        )

    app.include_router(read.build_router(ctx))
    app.include_router(export.build_router(ctx))
    app.include_router(write.build_router(ctx, jobs))
    app.include_router(upload.build_router(ctx, jobs))
    app.include_router(review_router(ctx))
    app.include_router(watch.build_router(ctx))
    app.include_router(web_router(ctx))
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    return app


SETTINGS_ENV = "WATCHFLOOR_SERVE_SETTINGS"


def app_from_env() -> FastAPI:
    """The app factory of ``serve --workers N``: each worker process builds its app from the settings the
    main process put in ``$WATCHFLOOR_SERVE_SETTINGS`` (uvicorn ``--factory``)."""
    text = os.environ.get(SETTINGS_ENV)
    if not text:
        raise UserError(f"${SETTINGS_ENV} is not set; start the server with `watchfloor serve`")
    return create_app(ServerSettings.from_json(text))
