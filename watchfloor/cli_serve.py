"""`watchfloor serve`: the JSON API and the analyst web UI on one local port."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Annotated

import typer

from watchfloor.errors import UserError
from watchfloor.render import err_console
from watchfloor.workspace import DEFAULT_DB

DbOption = Annotated[Path, typer.Option("--db", help="SQLite store to use.", envvar="WATCHFLOOR_DB")]


def read_token(token_file: Path | None) -> str | None:
    """The write token: from --token-file, else $WATCHFLOOR_TOKEN; None leaves write endpoints disabled."""
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UserError(f"cannot read --token-file {token_file}: {exc.strerror}") from exc
    else:
        token = os.environ.get("WATCHFLOOR_TOKEN", "").strip()
    if token and len(token) < 16:
        raise UserError("the write token must be at least 16 characters; try `python -c 'import secrets; "
                        "print(secrets.token_urlsafe(24))'`")  # fmt: skip
    return token or None


def check_port(host: str, port: int) -> None:
    """Fail with one clear line when the port is taken, before loading anything."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UserError(f"cannot listen on {host}:{port} ({exc.strerror}); pass another --port") from exc


def serve(
    db: DbOption = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option(help="Interface to listen on; 0.0.0.0 exposes the store to your network.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token_file: Annotated[
        Path | None, typer.Option(help="File holding the bearer token that write endpoints require.")
    ] = None,
    allow_private: Annotated[bool, typer.Option(help="Let /api/ingest fetch private or loopback URLs.")] = False,
) -> None:
    """Serve the JSON API (docs at /api/docs) and the web UI at http://HOST:PORT/."""
    import uvicorn

    from watchfloor.api.app import create_app
    from watchfloor.api.context import ServerSettings

    if not db.exists():
        raise UserError(f"no store at {db}; run `watchfloor demo` or `watchfloor ingest` first, or pass --db")
    check_port(host, port)
    settings = ServerSettings(db=db, token=read_token(token_file), allow_private_urls=allow_private)
    app = create_app(settings)
    writes = "enabled (bearer token)" if settings.token else "disabled (no token set)"
    err_console.print(f"watchfloor on http://{host}:{port}/  ·  API docs /api/docs  ·  writes {writes}")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command()(serve)
