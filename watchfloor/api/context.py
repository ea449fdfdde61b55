"""What every request handler needs: the server settings and a store connection for its thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from watchfloor.errors import NotFound
from watchfloor.store.base import Row
from watchfloor.store.location import pg_url
from watchfloor.workspace import Workspace

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


@dataclass
class ServerSettings:
    """How ``watchfloor serve`` was started."""

    db: Path
    token: str | None = None  # write endpoints are refused while this is unset
    upload_dir: Path | None = None
    max_upload_mb: int = 20
    allow_private_urls: bool = False
    # Host header names the server answers to; None answers any (only behind a proxy that checks Host).
    allowed_hosts: tuple[str, ...] | None = LOOPBACK_NAMES

    def uploads(self) -> Path:
        if pg_url(self.db):  # a database has no folder beside it
            default = Path.home() / ".cache" / "watchfloor" / "uploads"
        else:
            default = self.db.with_name(self.db.name + ".uploads")
        folder = self.upload_dir or default
        folder.mkdir(parents=True, exist_ok=True)
        return folder


@dataclass
class AppContext:
    """Settings plus one SQLite connection per worker thread (sqlite3 connections are per thread)."""

    settings: ServerSettings
    _local: threading.local = field(default_factory=threading.local)

    @property
    def ws(self) -> Workspace:
        ws: Workspace | None = getattr(self._local, "ws", None)
        if ws is None:
            ws = self._local.ws = Workspace(self.settings.db)
        return ws

    def entity(self, ref: str) -> Row:
        """An entity by numeric id, key or any alias; merged-away entities resolve to the one kept."""
        found = self.ws.lookup(ref)
        if found is None:
            raise NotFound(f"no entity {ref!r}; search with /api/entities?q=")
        return found
