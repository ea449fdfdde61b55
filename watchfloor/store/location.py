"""Which backend a ``--db`` value names (kept free of database drivers: imported on every start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

URL_SCHEMES = ("postgresql://", "postgres://")


def pg_url(db: str | Path) -> str | None:
    """The PostgreSQL URL ``db`` names, or None for a SQLite path.

    ``--db`` is parsed as a path, which folds ``postgresql://`` into ``postgresql:/``: that is undone here.
    """
    text = str(db)
    for scheme in URL_SCHEMES:
        folded = scheme[:-1]  # "postgresql:/"
        if text.startswith(scheme):
            return text
        if text.startswith(folded):
            return scheme + text[len(folded) :]
    return None


def display_url(url: str) -> str:
    """``url`` without its password, for messages and ``status``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def is_postgres(conn: object) -> bool:
    """Whether a store connection is PostgreSQL's (for the few call sites with a backend branch)."""
    return getattr(conn, "postgres", False) is True


def connection_path(conn: Any) -> str:
    """The store a connection is open on (its file, or PostgreSQL's database as the adapter names it): the
    key of what is held per store between requests."""
    return str(conn.execute("PRAGMA database_list").fetchone()[2])
