"""An entity's co-mentioned actors kept between requests while the documents they come from stay the same.

Co-mentions are counted over the entity's most recent documents (``sqlite_browse.co_mentioned``); finding
those documents is most of an actor page's time on a large store, and every analyst who opens the page
asks for the same answer. It changes only when a document mentioning the entity is added or removed, or
when a correction (a merge, an alias, a date) rewrites links or dates. So an answer is kept with the
store's largest document rowid, the entity's document count and the largest correction id at the time;
a later read that finds more documents first checks whether any of the new ones mentions the entity (a
range of rowids, one index probe each): if none does, the answer stands, even while an ingest is running.
A reprocessed document comes back with a new rowid, so it is seen as new; one that no longer mentions the
entity lowers its document count.
"""

from __future__ import annotations

import copy
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from watchfloor.store.location import connection_path

MAX_ENTRIES = 20_000  # answers held per process (an answer is at most a page of rows)

Rows = list[dict[str, Any]]


@dataclass
class _Held:
    rows: Rows
    doc_rowid: int
    documents: int
    corrections: int


_HELD: OrderedDict[tuple[str, int, int], _Held] = OrderedDict()
_LOCK = threading.Lock()


def _mentioned_since(conn: sqlite3.Connection, entity_id: int, rowid: int) -> bool:
    """Whether a document stored after ``rowid`` mentions the entity."""
    row = conn.execute(
        """SELECT 1 FROM documents d WHERE d.rowid > ?
           AND EXISTS (SELECT 1 FROM mentions m WHERE m.doc_id=d.id AND m.entity_id=?) LIMIT 1""",
        (rowid, entity_id),
    ).fetchone()
    return row is not None


def co_mentioned_held(
    conn: sqlite3.Connection, entity_id: int, limit: int, documents: int, compute: Callable[[], Rows]
) -> Rows:
    """``compute()`` (the entity's co-mentions), or the answer held from an earlier call that still holds.

    ``documents`` is the entity's current document count (``entity_stats``)."""
    path = connection_path(conn)
    top, corrections = conn.execute(
        "SELECT coalesce((SELECT max(rowid) FROM documents), 0), coalesce((SELECT max(id) FROM corrections), 0)"
    ).fetchone()
    key = (path, entity_id, limit)
    with _LOCK:
        held = _HELD.get(key)
    if (
        held is not None
        and (held.documents, held.corrections) == (documents, corrections)
        and (held.doc_rowid == top or not _mentioned_since(conn, entity_id, held.doc_rowid))
    ):
        with _LOCK:
            held.doc_rowid = max(held.doc_rowid, int(top))
            _HELD.move_to_end(key)
        return copy.deepcopy(held.rows)
    rows = compute()
    with _LOCK:
        _HELD[key] = _Held(copy.deepcopy(rows), int(top), documents, int(corrections))
        _HELD.move_to_end(key)
        while len(_HELD) > MAX_ENTRIES:
            _HELD.popitem(last=False)
    return rows


def forget() -> None:
    """Drop every held answer (tests; a process that rewrote a store behind the others' backs)."""
    with _LOCK:
        _HELD.clear()
