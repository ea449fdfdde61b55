"""A psycopg 3 connection that looks like the part of ``sqlite3.Connection`` the store modules use.

The per-area SQL modules (``watchfloor/store/sqlite_*.py``) are written in SQLite's dialect against a small
subset of the sqlite3 API. On PostgreSQL they run through :class:`PgConnection`, which

- translates each statement once (cached): ``?`` placeholders, a literal ``%``, ``INSERT OR IGNORE``,
  SQLite's case-insensitive ``LIKE``, ``GLOB``, the ``end`` column (a reserved word in PostgreSQL),
  ``BEGIN IMMEDIATE`` (a transaction holding the store's write lock, an advisory lock, so writers queue as
  they do on SQLite) and the few PRAGMAs the modules issue;
- appends ``RETURNING id`` to single-row INSERTs into tables with an id, for ``lastrowid``;
- returns rows indexable by position and by column name, like ``sqlite3.Row``;
- raises sqlite3's exception classes (``IntegrityError``, ``OperationalError``), so callers catch one kind.

SQLite's scalar and aggregate functions the SQL uses (``instr``, ``group_concat``, scalar ``max(a, b)``,
``sum(condition)``, ``date(day, '-N days')``, ``wf_norm``) are defined in the PostgreSQL schema
(``migrations_pg/002_sqlite_functions.sql``) rather than rewritten here. What cannot be translated safely
(FTS5 full-text search) has a backend branch at its call site; see
:func:`watchfloor.store.location.is_postgres`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.adapt import Dumper
from psycopg.rows import RowMaker
from psycopg.types.numeric import FloatLoader

#: The advisory-lock key every write transaction takes (``BEGIN IMMEDIATE``): one writer at a time per
#: database, as on SQLite, so two ingest processes cannot both create an entity or both miss a duplicate.
WRITE_LOCK = 0x77666C6F6F72  # "wfloor"

#: Tables whose INTEGER id the caller may read back as ``cursor.lastrowid``.
ID_TABLES = frozenset(
    {
        "removed_spans", "entities", "mentions", "problems", "events", "event_reports", "claims", "relations",
        "corrections", "review_marks", "watchlists", "watch_items",
    }
)  # fmt: skip

_LITERAL = re.compile(r"('(?:[^']|'')*'|\"[^\"]*\")")
_NULLS = {"ASC": "ASC NULLS FIRST", "DESC": "DESC NULLS LAST"}
_INSERT = re.compile(r"^\s*INSERT\s+(OR\s+IGNORE\s+)?INTO\s+(\w+)", re.IGNORECASE)


class PgRow(tuple[Any, ...]):
    """A result row: ``row[0]``, ``row["name"]``, ``row.keys()`` and ``dict(row)``, like ``sqlite3.Row``."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> PgRow:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> RowMaker[PgRow]:
    description = cursor.description or []
    index: dict[str, int] = {}
    for i, column in enumerate(description):
        index.setdefault(column.name, i)  # the first of two equal names wins, as in sqlite3.Row

    def make(values: Sequence[Any]) -> PgRow:
        return PgRow(values, index)

    return make


class _BoolAsInt(Dumper):
    """SQLite stores booleans as 0/1 in INTEGER columns: so does the PostgreSQL schema."""

    oid = psycopg.adapters.types["int4"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


def _translate_code(code: str) -> str:
    code = code.replace("%", "%%").replace("?", "%s")
    code = re.sub(r"\bend\b", '"end"', code)  # the column; SQL keywords (CASE ... END) are upper case here
    code = re.sub(r"\bLIKE\b", "ILIKE", code)  # SQLite's LIKE ignores ASCII case
    code = re.sub(r"\bIS\s+NOT\s+%s", "IS DISTINCT FROM %s", code)  # SQLite's IS / IS NOT compare NULLs too
    code = re.sub(r"\bIS\s+%s", "IS NOT DISTINCT FROM %s", code)
    code = re.sub(r"\bNOT\s+IN\s*\(\s*\)", "<> ALL('{}')", code)  # an empty list: SQLite accepts IN ()
    code = re.sub(r"\bIN\s*\(\s*\)", "= ANY('{}')", code)
    code = re.sub(r"\b(WHERE|AND|OR|ON|BY)(\s+)\+(?=[A-Za-z_])", r"\1\2", code)  # SQLite's unary + hint
    code = re.sub(r"\bCROSS\s+JOIN(\s+\w+(?:\s+(?!ON\b)\w+)?\s+ON)\b", r"JOIN\1", code)  # SQLite's join-order hint
    code = re.sub(r"\bINDEXED\s+BY\s+\w+", "", code)  # SQLite's planner hint
    code = re.sub(r"\bGLOB\s+%s", "LIKE wf_glob(%s)", code)
    code = re.sub(r"\bLIMIT\s+%s", "LIMIT wf_limit(%s)", code)  # LIMIT -1: no limit, as in SQLite
    # SQLite sorts NULL below every value; PostgreSQL above: say where NULLs go unless the SQL does.
    return re.sub(r"\b(ASC|DESC)\b(?!\s+NULLS)", lambda m: _NULLS[m.group(1)], code)


@lru_cache(maxsize=2048)
def translate(sql: str, returning: bool = True) -> tuple[str, bool]:
    """``sql`` in PostgreSQL's dialect, and whether ``RETURNING id`` was appended for ``lastrowid``."""
    parts = _LITERAL.split(sql)
    # Statements always run with a parameter list (maybe empty), so a literal % is %% in string literals too.
    out = (
        "".join(part.replace("%", "%%") if i % 2 else _translate_code(part) for i, part in enumerate(parts))
        .strip()
        .rstrip(";")
    )
    insert = _INSERT.match(out)
    if insert is None:
        return out, False
    if insert.group(1):
        out = _INSERT.sub(lambda m: f"INSERT INTO {m.group(2)}", out, count=1) + " ON CONFLICT DO NOTHING"
    if returning and insert.group(2) in ID_TABLES and "RETURNING" not in out.upper():
        return out + " RETURNING id", True
    return out, False


class PgCursor:
    """The result of one statement: ``fetchone``, ``fetchall``, iteration, ``lastrowid`` and ``rowcount``."""

    def __init__(self, rows: list[Any], rowcount: int = -1, lastrowid: int | None = None) -> None:
        self._rows = rows
        self._pos = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    def fetchone(self) -> Any:
        if self._pos >= len(self._rows):
            return None
        self._pos += 1
        return self._rows[self._pos - 1]

    def fetchall(self) -> list[Any]:
        rows = self._rows[self._pos :]
        self._pos = len(self._rows)
        return rows

    def __iter__(self) -> Iterator[Any]:
        while (row := self.fetchone()) is not None:
            yield row


def _as_sqlite_error(exc: psycopg.Error) -> sqlite3.Error:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, psycopg.errors.IntegrityError):
        return sqlite3.IntegrityError(message)
    if isinstance(exc, psycopg.errors.QueryCanceled | psycopg.errors.LockNotAvailable):
        return sqlite3.OperationalError(f"database is locked: {message}")
    return sqlite3.OperationalError(message)


class PgConnection:
    """A psycopg connection in autocommit mode, with explicit ``BEGIN``/``COMMIT`` like the SQLite store's."""

    postgres = True  # see watchfloor.store.location.is_postgres

    def __init__(self, conn: psycopg.Connection[Any], label: str) -> None:
        conn.autocommit = True
        conn.row_factory = _row_factory
        conn.adapters.register_dumper(bool, _BoolAsInt)
        conn.adapters.register_loader("numeric", FloatLoader)  # avg(), sums of bigints: float, as in SQLite
        self.raw = conn
        self.label = label  # the server and database, for caches keyed by store (never the password)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> PgCursor:
        special = self._special(sql)
        if special is not None:
            return special
        statement, returning = translate(sql)
        try:
            cur = self.raw.execute(statement, params or ())
        except psycopg.Error as exc:
            raise _as_sqlite_error(exc) from exc
        if cur.description is None:
            return PgCursor([], cur.rowcount)
        rows = cur.fetchall()
        if returning:
            return PgCursor([], cur.rowcount, int(rows[0][0]) if rows else None)
        return PgCursor(rows, cur.rowcount)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        statement, _ = translate(sql, returning=False)
        params = [tuple(p) for p in seq]
        if not params:
            return PgCursor([], 0)
        try:
            with self.raw.cursor() as cur:
                cur.executemany(statement, params)
                return PgCursor([], cur.rowcount)
        except psycopg.Error as exc:
            raise _as_sqlite_error(exc) from exc

    def _special(self, sql: str) -> PgCursor | None:
        """Statements with no one-to-one translation: transactions and PRAGMAs."""
        head = sql.strip().rstrip(";").upper()
        if head in ("BEGIN", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE"):
            self._run("BEGIN")
            if head != "BEGIN":
                self._run(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            return PgCursor([])
        if not head.startswith("PRAGMA"):
            return None
        pragma = head.split(None, 1)[1].replace(" ", "")
        if pragma == "DATABASE_LIST":
            return PgCursor([PgRow((0, "main", self.label), {"seq": 0, "name": 1, "file": 2})])
        if pragma == "DEFER_FOREIGN_KEYS=ON":
            self._run("SET CONSTRAINTS ALL DEFERRED")
        # foreign_keys, synchronous, journal_mode, optimize...: PostgreSQL always enforces or does not need them.
        return PgCursor([])

    def _run(self, statement: str) -> None:
        try:
            self.raw.execute(statement)
        except psycopg.Error as exc:
            raise _as_sqlite_error(exc) from exc

    def commit(self) -> None:
        if self.in_transaction:
            self._run("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self._run("ROLLBACK")

    def close(self) -> None:
        self.raw.close()
