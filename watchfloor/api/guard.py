"""The checks every request passes before any handler runs (a plain ASGI middleware).

- **Host allow-list**: a server on 127.0.0.1 answers only requests whose ``Host`` names a loopback address
  (or a name given with ``--allowed-host``), so a web page cannot read the store through DNS rebinding.
- **Authenticate before the body**: write requests (POST, PUT, PATCH, DELETE under ``/api``) are refused
  with 401/403 before one byte of their body is read.
- **Body cap while streaming**: a body larger than the cap is refused with 413 as soon as the declared
  ``Content-Length`` or the bytes received so far pass it; nothing is spooled to disk first.
- **HEAD** is answered like GET, without the body.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from watchfloor.api.context import ServerSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
UPLOAD_PATH = "/api/ingest/upload"
BATCH_PATH = "/api/ingest/batch"  # several files in one request (api/upload.py)
BATCH_FACTOR = 5  # a batch may hold this many times the per-file limit in all
JSON_BODY_CAP = 1_000_000  # corrections and URL jobs are small JSON objects
MULTIPART_OVERHEAD = 1_000_000  # boundaries and part headers around the uploaded file


class BodyTooLarge(Exception):
    """Raised from ``receive`` when the body passes its cap; the middleware answers 413."""


def auth_problem(settings: ServerSettings, authorization: str | None) -> tuple[int, str, dict[str, str]] | None:
    """Why a write request may not proceed (status, message, headers), or None when its token is right."""
    expected = settings.token
    if not expected:
        return 403, "write endpoints are disabled: start the server with --token-file or WATCHFLOOR_TOKEN set", {}
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), expected.encode()):
        return 401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"}
    return None


def host_name(header: str) -> str:
    """The host part of a Host header, lower-case, without port or IPv6 brackets."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def body_cap(settings: ServerSettings, path: str) -> int:
    if path == UPLOAD_PATH:
        return settings.max_upload_mb * 1_000_000 + MULTIPART_OVERHEAD
    if path == BATCH_PATH:
        return BATCH_FACTOR * settings.max_upload_mb * 1_000_000 + MULTIPART_OVERHEAD
    return JSON_BODY_CAP


class RequestGuard:
    """Host allow-list, token before body, streaming body cap and HEAD support (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        settings: ServerSettings,
        respond: Callable[[int, str, dict[str, str], str], tuple[bytes, list[tuple[bytes, bytes]]]],
    ) -> None:
        self.app = app
        self.settings = settings
        self.respond = respond  # (status, message, headers, path) -> (body, raw headers), the JSON error shape

    async def _refuse(self, send: Send, status: int, message: str, path: str, head: bool = False,
                      headers: dict[str, str] | None = None) -> None:  # fmt: skip
        body, raw = self.respond(status, message, headers or {}, path)
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": b"" if head else body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        allowed = self.settings.allowed_hosts
        if allowed is not None and host_name(headers.get("host", "")) not in {h.lower() for h in allowed}:
            await self._refuse(send, 400, "this server answers only for " + ", ".join(allowed)
                               + " (Host header not allowed; start it with --allowed-host NAME)", path)  # fmt: skip
            return
        head = method == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
            send = _without_body(send)
        if method in WRITE_METHODS and path.startswith("/api/"):
            problem = auth_problem(self.settings, headers.get("authorization"))
            if problem is not None:
                status, message, extra = problem
                await self._refuse(send, status, message, path, headers=extra)
                return
            cap = body_cap(self.settings, path)
            try:
                declared = int(headers.get("content-length", "0") or 0)
            except ValueError:
                await self._refuse(send, 400, "invalid Content-Length header", path)
                return
            if declared > cap:
                await self._refuse(send, 413, _too_large(self.settings, path), path)
                return
            await self._capped(scope, receive, send, cap, path)
            return
        await self.app(scope, receive, send)

    async def _capped(self, scope: Scope, receive: Receive, send: Send, cap: int, path: str) -> None:
        state = {"received": 0, "over": False, "started": False}

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > cap:
                    state["over"] = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            if state["over"]:
                return  # whatever the app makes of the aborted body, the answer is 413
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            pass
        except Exception:
            if not state["over"]:
                raise
        if state["over"] and not state["started"]:
            await self._refuse(send, 413, _too_large(self.settings, path), path)


def _too_large(settings: ServerSettings, path: str) -> str:
    if path == UPLOAD_PATH:
        return f"file is larger than {settings.max_upload_mb} MB"
    if path == BATCH_PATH:
        return (f"upload is larger than {BATCH_FACTOR * settings.max_upload_mb} MB in all; send fewer files at once "
                f"(each at most {settings.max_upload_mb} MB)")  # fmt: skip
    return f"request body is larger than {JSON_BODY_CAP // 1000} kB"


def _without_body(send: Send) -> Send:
    async def head_send(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return head_send
