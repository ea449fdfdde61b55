"""The place index on disk: a read-only SQLite file that opens in milliseconds and is queried per name.

The in-memory index (:class:`watchfloor.link.places.PlaceIndex` with plain dicts) is what the builder
makes; :func:`write_place_db` stores it and :func:`open_place_db` gives back a ``PlaceIndex`` whose
three tables are :class:`PlaceTable` mappings answering the same look-ups from the file. Rows are
written in a canonical order that keeps each name's list order (which decides ties between candidates),
and ``meta.content_sha256`` digests every row, so two builds from the same inputs can be compared.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from watchfloor.link.places import Place, PlaceIndex

TABLES = ("countries", "admin1", "cities")
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE place (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    country_code TEXT NOT NULL, geonames_id INTEGER, latitude REAL, longitude REAL, admin1 TEXT,
    population INTEGER NOT NULL
);
CREATE TABLE name (
    tab TEXT NOT NULL, norm TEXT NOT NULL, seq INTEGER NOT NULL, place_id INTEGER NOT NULL,
    PRIMARY KEY (tab, norm, seq)
) WITHOUT ROWID;
"""
_PLACE_COLUMNS = "p.key, p.name, p.kind, p.country_code, p.geonames_id, p.latitude, p.longitude, p.admin1, p.population"
_CACHE_LIMIT = 50_000  # names remembered per table before the memo is cleared


def _rows(index: PlaceIndex) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, int, int]]]:
    """Places (distinct by value, numbered in sorted order) and the name rows pointing at them.

    Nothing depends on the order the builder happened to fill its dicts in (some of it follows set
    iteration, which changes with the hash seed): only each name's list order, kept as ``seq``.
    """
    entries: list[tuple[str, str, int, Place]] = [("countries", n, 0, p) for n, p in index.countries.items()]
    for tab, table in (("admin1", index.admin1), ("cities", index.cities)):
        entries.extend((tab, norm, seq, p) for norm, found in table.items() for seq, p in enumerate(found))
    distinct = sorted({e[3] for e in entries}, key=repr)
    ids = {p: i for i, p in enumerate(distinct, start=1)}
    places = [
        (i, p.key, p.name, p.kind, p.country_code, p.geonames_id, p.latitude, p.longitude, p.admin1, p.population)
        for p, i in ids.items()
    ]
    return places, sorted((tab, norm, seq, ids[p]) for tab, norm, seq, p in entries)


def content_digest(places: list[tuple[Any, ...]], names: list[tuple[str, str, int, int]]) -> str:
    """sha256 over every row (both lists are sorted): equal for two builds that answer the same."""
    h = hashlib.sha256()
    for row in (*places, *names):
        h.update(repr(row).encode("utf-8"))
    return h.hexdigest()


def write_place_db(index: PlaceIndex, path: Path, meta: Mapping[str, str] | None = None) -> str:
    """Write ``index`` to ``path`` (atomically, via a temporary file); returns the content digest."""
    places, names = _rows(index)
    digest = content_digest(places, names)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        conn.executescript(_SCHEMA)
        with conn:
            conn.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", places)
            conn.executemany("INSERT INTO name VALUES (?,?,?,?)", names)
            rows = {**(meta or {}), "content_sha256": digest}
            conn.executemany("INSERT INTO meta VALUES (?,?)", sorted(rows.items()))
        conn.execute("VACUUM")
    finally:
        conn.close()
    tmp.replace(path)
    return digest


class _PlaceFile:
    """One read-only connection to the file, reopened after a fork and when unpickled in a worker."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._reset()

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = -1

    def connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._conn

    def query(self, sql: str, args: tuple[Any, ...]) -> list[Any]:
        with self._lock:
            return self.connection().execute(sql, args).fetchall()

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path = state["path"]
        self._reset()


class PlaceTable(Mapping[str, Any]):
    """Normalised name -> places (``countries``: one place) of one table, read from the file on demand."""

    def __init__(self, file: _PlaceFile, tab: str) -> None:
        self.file = file
        self.tab = tab
        self._memo: dict[str, tuple[Place, ...]] = {}

    def _places(self, norm: str) -> tuple[Place, ...]:
        found = self._memo.get(norm)
        if found is None:
            from watchfloor.link.places import Place

            rows = self.file.query(
                f"""SELECT {_PLACE_COLUMNS} FROM name n JOIN place p ON p.id = n.place_id
                    WHERE n.tab = ? AND n.norm = ? ORDER BY n.seq""",
                (self.tab, norm),
            )
            found = tuple(Place(*row) for row in rows)
            if len(self._memo) >= _CACHE_LIMIT:
                self._memo.clear()
            self._memo[norm] = found
        return found

    def __getitem__(self, norm: str) -> Any:
        found = self._places(norm)
        if not found:
            raise KeyError(norm)
        return found[0] if self.tab == "countries" else list(found)

    def __contains__(self, norm: object) -> bool:
        return isinstance(norm, str) and bool(self._places(norm))

    def __iter__(self) -> Iterator[str]:
        rows = self.file.query("SELECT DISTINCT norm FROM name WHERE tab = ? ORDER BY norm", (self.tab,))
        return iter([str(r[0]) for r in rows])

    def __len__(self) -> int:
        return int(self.file.query("SELECT count(DISTINCT norm) FROM name WHERE tab = ?", (self.tab,))[0][0])


def read_meta(path: Path) -> dict[str, str]:
    """The file's meta rows (versions, content digest); empty when it is not a place index."""
    file = _PlaceFile(path)
    try:
        rows = file.query("SELECT key, value FROM meta", ())
    except sqlite3.DatabaseError:
        return {}
    finally:
        file.close()
    return {str(k): str(v) for k, v in rows}


def open_place_db(path: Path) -> PlaceIndex:
    """A place index answering from the file at ``path``."""
    from watchfloor.link.places import PlaceIndex

    file = _PlaceFile(path)
    return PlaceIndex(*(PlaceTable(file, tab) for tab in TABLES))
