"""Storage: a repository interface and its SQLite implementation."""

from watchfloor.store.base import DocumentWrite, Repository
from watchfloor.store.sqlite import SQLiteRepository, open_store

__all__ = ["DocumentWrite", "Repository", "SQLiteRepository", "open_store"]
