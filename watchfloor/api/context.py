"""What every request handler needs: the server settings and a store connection for its thread."""

from __future__ import annotations

import json
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
    # Run queued ingest jobs in a background thread of this process; off in the worker processes of
    # `serve --workers N` (the main process runs them) and when `watchfloor worker` does.
    ingest_worker: bool = True

    def to_json(self) -> str:
        """For the worker processes of ``serve --workers N``, which build their app from the environment."""
        return json.dumps({
            "db": str(self.db), "token": self.token, "upload_dir": str(self.upload_dir) if self.upload_dir else None,
            "max_upload_mb": self.max_upload_mb, "allow_private_urls": self.allow_private_urls,
            "allowed_hosts": list(self.allowed_hosts) if self.allowed_hosts is not None else None,
            "ingest_worker": self.ingest_worker,
        })  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> ServerSettings:
        data = json.loads(text)
        hosts = data["allowed_hosts"]
        return cls(db=Path(data["db"]), token=data["token"],
                   upload_dir=Path(data["upload_dir"]) if data["upload_dir"] else None,
                   max_upload_mb=int(data["max_upload_mb"]), allow_private_urls=bool(data["allow_private_urls"]),
                   allowed_hosts=tuple(hosts) if hosts is not None else None,
                   ingest_worker=bool(data["ingest_worker"]))  # fmt: skip

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
