"""`watchfloor serve`: the JSON API and the analyst web UI on one local port."""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from watchfloor.api.context import LOOPBACK_NAMES
from watchfloor.errors import UserError
from watchfloor.render import err_console
from watchfloor.store.location import pg_url
from watchfloor.workspace import DEFAULT_DB

if TYPE_CHECKING:
    import uvicorn

DbOption = Annotated[
    Path, typer.Option("--db", help="Store: a SQLite file, or a postgresql:// URL.", envvar="WATCHFLOOR_DB")
]


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


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, token: str | None, extra: list[str]) -> tuple[str, ...] | None:
    """The Host names the server answers to, or None for any; refuses an exposed bind without a token.

    On loopback only loopback names (and ``--allowed-host``) are answered: a web page that rebinds its own
    name to 127.0.0.1 gets 400, not the store. Bound to another interface the server can be reached under
    names we cannot know, so the check is off unless ``--allowed-host`` names them, and a token is required.
    """
    names = tuple(dict.fromkeys([*LOOPBACK_NAMES, *(h.strip().lower() for h in extra if h.strip())]))
    if is_loopback(host):
        return names
    if not token:
        raise UserError(
            f"refusing to listen on {host} without a write token: anyone who reaches the port could read the "
            "store. Keep the default --host 127.0.0.1 behind a reverse proxy (docs/security.md), or pass "
            "--token-file"
        )
    err_console.print(
        f"[bold red]WARNING[/]: listening on {escape(host)}, not on loopback: everyone who can reach this port "
        "can READ the whole store (reads need no token) and traffic is not encrypted. Prefer 127.0.0.1 behind a "
        "reverse proxy with TLS; see docs/security.md."
    )
    return None if not extra else (*names, *([] if host in ("0.0.0.0", "::") else [host.lower()]))


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
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(help="Also answer requests for this Host name (repeatable), e.g. the name a reverse proxy uses."),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes answering requests (uvicorn workers).")
    ] = 1,
    ingest_worker: Annotated[
        bool,
        typer.Option(help="Run queued ingest jobs in this server; turn off when `watchfloor worker` runs them."),
    ] = True,
) -> None:
    """Serve the JSON API (docs at /api/docs) and the web UI at http://HOST:PORT/."""
    import uvicorn

    from watchfloor.api.app import SETTINGS_ENV, create_app
    from watchfloor.api.context import ServerSettings

    require_store(db)
    token = read_token(token_file)
    allowed = allowed_hosts(host, token, allowed_host or [])
    check_port(host, port)
    settings = ServerSettings(db=db, token=token, allow_private_urls=allow_private, allowed_hosts=allowed,
                              ingest_worker=ingest_worker and workers == 1)  # fmt: skip
    writes = "enabled (bearer token)" if settings.token else "disabled (no token set)"
    if workers == 1:
        app = create_app(settings)
        err_console.print(f"watchfloor on http://{host}:{port}/  ·  API docs /api/docs  ·  writes {writes}")
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    # N processes answer requests, each building its app from the environment; this process only supervises
    # them and (unless --no-ingest-worker) runs the ingest queue, so jobs are not run N times at once.
    open_store_once(db)
    os.environ[SETTINGS_ENV] = settings.to_json()
    stop = start_ingest_worker(db, allow_private) if ingest_worker else None
    err_console.print(f"watchfloor on http://{host}:{port}/ with {workers} workers  ·  API docs /api/docs  ·  "
                      f"writes {writes}")  # fmt: skip
    try:
        from uvicorn.supervisors import Multiprocess

        config = uvicorn.Config("watchfloor.api.app:app_from_env", factory=True, host=host, port=port,
                                workers=workers, log_level="warning")  # fmt: skip
        Multiprocess(config, sockets=[tcp_listener(config)]).run()
    finally:
        if stop is not None:
            stop.set()


def tcp_listener(config: uvicorn.Config) -> socket.socket:
    """The listening socket for N worker processes, as ``uvicorn.run`` binds it but marked as TCP.

    uvicorn binds it with ``proto`` 0 (uvicorn issue #3149); accepted sockets inherit that, and asyncio
    turns Nagle's algorithm off (``TCP_NODELAY``) only on sockets that say IPPROTO_TCP, so every keep-alive
    response waited about 40 ms for the client's delayed ACK: 44 ms per request at one client, against 2 ms
    with one worker."""
    bound = config.bind_socket()
    if bound.family not in (socket.AF_INET, socket.AF_INET6):
        return bound
    sock = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
    sock.set_inheritable(True)
    return sock


def require_store(db: Path) -> None:
    """A one-line error unless ``db`` is an existing SQLite file or a PostgreSQL URL."""
    if pg_url(db) is None and not db.exists():
        raise UserError(f"no store at {db}; run `watchfloor demo` or `watchfloor ingest` first, or pass --db")


def open_store_once(db: Path) -> None:
    """Create or migrate the store before the worker processes open it."""
    from watchfloor.workspace import Workspace

    with Workspace(db):
        pass


def start_ingest_worker(db: Path, allow_private: bool) -> threading.Event:
    """Run the ingest queue of ``db`` in a background thread; set the returned event to stop it."""
    from watchfloor.api.jobs import run_queue

    stop = threading.Event()
    threading.Thread(target=run_queue, args=(db, allow_private, stop), name="ingest", daemon=True).start()
    return stop


def worker(
    db: DbOption = Path(DEFAULT_DB),
    once: Annotated[bool, typer.Option(help="Run the jobs queued now, then exit.")] = False,
    allow_private: Annotated[bool, typer.Option(help="Let jobs fetch private or loopback URLs.")] = False,
) -> None:
    """Run the ingest jobs submitted through the API (`serve --no-ingest-worker`); Ctrl-C stops it."""
    from watchfloor.api.jobs import run_queue
    from watchfloor.api.models import Job

    require_store(db)
    open_store_once(db)

    def done(job: Job) -> None:
        outcome = job.error or f"{job.done} input(s) done"
        err_console.print(f"job {job.id}: {job.status} ({escape(outcome)})")

    if not once:
        err_console.print(f"watchfloor worker on {escape(str(db))}: waiting for ingest jobs (Ctrl-C to stop)")
    stop = threading.Event()
    try:
        ran = run_queue(db, allow_private, stop, once=once, on_done=done)
    except KeyboardInterrupt:
        stop.set()
        raise typer.Exit(130) from None
    if once:
        err_console.print(f"{ran} job(s) run; the queue is empty")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(worker)
