"""Admiralty grades kept between requests while the store does not change.

A claim's or a relation's grade is computed at read time from every document that carries it (see
``sqlite_reliability``); on a large store that is most of an actor page's time, and the same grades are
asked for again by every analyst who opens the page. They change only when documents, their copies,
claims, relations or corrections change, and each of those only grows by higher ids (ingest appends,
reprocessing re-inserts, corrections are logged). So the grades computed for one state of the store
(its largest ids) are kept in this process until the next read sees larger ids; the first request after
an ingest batch computes afresh. The reliability lexicon in use is part of the state too.
"""

from __future__ import annotations

import copy
import sqlite3
import threading
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from watchfloor.store.location import connection_path

MAX_ENTRIES = 100_000  # grades held per store; past this the held set is emptied (a page needs tens)

GradeFields = tuple[str, int, dict[str, Any]]  # grade, n_independent, admiralty


@dataclass
class _Held:
    state: tuple[Any, ...]
    grades: dict[Hashable, GradeFields] = field(default_factory=dict)


_HELD: dict[str, _Held] = {}
_LOCK = threading.Lock()


def store_state(conn: sqlite3.Connection) -> tuple[Any, ...]:
    """What every grade depends on: the store's file, the largest id of each table a grade reads, and the
    reliability lexicon in use."""
    path = connection_path(conn)
    ids = conn.execute(
        """SELECT (SELECT max(rowid) FROM documents), (SELECT max(rowid) FROM sources),
                  (SELECT max(id) FROM claims), (SELECT max(id) FROM relations), (SELECT max(id) FROM corrections)"""
    ).fetchone()
    from watchfloor.reliability import load_lexicon

    # The lexicon is parsed once per file, but $WATCHFLOOR_SOURCE_RELIABILITY may point elsewhere later.
    return (path, *ids, id(load_lexicon()))


def held_grades(conn: sqlite3.Connection) -> dict[Hashable, GradeFields]:
    """The grades held for the store's current state (an empty set when the store changed since)."""
    state = store_state(conn)
    path = str(state[0])
    with _LOCK:
        held = _HELD.get(path)
        if held is None or held.state != state or len(held.grades) > MAX_ENTRIES:
            held = _HELD[path] = _Held(state)
        return held.grades


def apply(row: dict[str, Any], fields: GradeFields) -> None:
    """Set ``grade``, ``n_independent`` and ``admiralty`` on a row from held fields (a copy: rows are
    handed to callers that may change them)."""
    row["grade"], row["n_independent"] = fields[0], fields[1]
    row["admiralty"] = copy.deepcopy(fields[2])


def fields_of(row: dict[str, Any]) -> GradeFields:
    """The grade fields a row was given, to hold."""
    return str(row["grade"]), int(row["n_independent"]), copy.deepcopy(row["admiralty"])
