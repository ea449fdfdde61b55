"""PostgreSQL repository: the SQLite repository's methods over a translating connection, plus its own
schema migrations, full-text search (tsvector + GIN) and a per-process connection pool.

Every method of :class:`~watchfloor.store.sqlite.SQLiteRepository` is inherited: its SQL runs through
:class:`~watchfloor.store.pg_conn.PgConnection`. Only what differs by backend is overridden here: opening,
migrations, the schema version and full-text search.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from importlib import resources
from pathlib import Path
from typing import Any, cast

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from watchfloor.errors import UserError
from watchfloor.store.base import Row
from watchfloor.store.location import display_url
from watchfloor.store.pg_conn import WRITE_LOCK, PgConnection
from watchfloor.store.sqlite import SQLiteRepository, _fts_query
from watchfloor.store.sqlite_browse import is_frequent

START_HINT = "start it with `sudo pg_ctlcluster 15 main start` (or tools/pg_test_server.sh) or check --db"

# Every session runs without JIT compilation: the store's reads are short, but the planner's estimate for a
# correlated EXISTS runs past jit_above_cost, and compiling then took 21 of 51 ms of an actor's events page.
SESSION: dict[str, Any] = {"connect_timeout": 5, "options": "-c jit=off"}

RANKED_AT_MOST = 2000  # search: matches ranked by ts_rank, the newest first (see PostgresRepository.search)

_POOLS: dict[str, ConnectionPool[Any]] = {}
_POOLS_LOCK = threading.Lock()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("watchfloor.store") / "migrations_pg"
    found = [
        (int(item.name.split("_", 1)[0]), item.read_text(encoding="utf-8"))
        for item in folder.iterdir()
        if item.name.endswith(".sql")
    ]
    return sorted(found)


def _pool(url: str) -> ConnectionPool[Any]:
    """This process's pool for ``url`` (API worker threads share it; an ingest process uses one connection)."""
    with _POOLS_LOCK:
        pool = _POOLS.get(url)
        if pool is None:
            try:  # a direct first connection, for a precise message when the server is down or refuses us
                psycopg.connect(url, connect_timeout=5).close()
            except psycopg.Error as exc:
                reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
                down = any(word in str(exc) for word in ("refused", "timeout", "server running", "No such file"))
                hint = START_HINT if down else "check the user, password and database name in --db"
                raise UserError(f"cannot reach PostgreSQL at {display_url(url)}: {reason}; {hint}") from exc
            size = int(os.environ.get("WATCHFLOOR_PG_POOL", "64"))  # the API holds one per worker thread
            pool = ConnectionPool(url, min_size=1, max_size=size, kwargs=dict(SESSION), open=True, name="watchfloor")
            _POOLS[url] = pool
        return pool


def close_pools() -> None:
    """Close every pool of this process (tests, before dropping a database)."""
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            pool.close()
        _POOLS.clear()


def plain_connection(url: str) -> sqlite3.Connection:
    """An autocommit connection of its own (not pooled) running the stores' SQLite-dialect SQL, for code
    that keeps a short-lived connection beside the repository (the ingest-job queue); ``close()`` ends it."""
    try:
        raw = psycopg.connect(url, **SESSION)
    except psycopg.Error as exc:
        raise UserError(f"cannot reach PostgreSQL at {display_url(url)}: {_first_line(exc)}; {START_HINT}") from exc
    return cast(sqlite3.Connection, PgConnection(raw, display_url(url)))


class PostgresRepository(SQLiteRepository):
    """A store in a PostgreSQL database: several ingest processes and API workers at once."""

    def __init__(self, url: str) -> None:
        self._added: list[str] = []  # as SQLiteRepository: documents stored in the open transaction
        self._stats_addable: bool | None = None
        self.url = url
        self.location = display_url(url)
        self.path = Path(self.location)
        self._pool = _pool(url)
        try:
            raw = self._pool.getconn(timeout=30)
        except PoolTimeout as exc:
            raise UserError(f"no free connection to PostgreSQL at {self.location} within 30 s; {START_HINT}") from exc
        self._raw = raw
        self.pg = PgConnection(raw, self.location)
        self.conn = cast(Any, self.pg)  # the store modules' SQL runs through the translating adapter
        try:
            self._migrate()
        except (sqlite3.Error, psycopg.Error) as exc:
            self.close()
            raise UserError(
                f"cannot create the watchfloor schema in {self.location}: {_first_line(exc)}; the role in --db "
                "must own the database (it creates tables, functions and the pg_trgm extension)"
            ) from exc
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        raw, self._raw = self._raw, None
        if raw is not None:
            raw.row_factory = psycopg.rows.tuple_row
            self._pool.putconn(raw)

    def _migrate(self) -> None:
        """Apply missing migrations under the write lock (several processes may open a new database at once)."""
        migrations = _migrations()
        if self._version() >= migrations[-1][0]:
            return
        with self.transaction():
            self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
            current = self._version()
            for version, sql in migrations:
                if version <= current:
                    continue
                self.pg.raw.execute(sql.encode())  # whole files: PostgreSQL accepts several statements at once
            self.conn.execute("DELETE FROM schema_version")
            self.conn.execute("INSERT INTO schema_version(version) VALUES (?)", (migrations[-1][0],))

    def _version(self) -> int:
        exists = self.conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]
        if not exists:
            return 0
        row = self.conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    @property
    def schema_version(self) -> int:
        return self._version()

    def lock_writes(self) -> None:
        """Inside a transaction: wait for the store's write lock (what ``BEGIN IMMEDIATE`` takes)."""
        self.conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))

    # -- full-text search -------------------------------------------------------------------------
    def search(
        self,
        query: str,
        actor_id: int | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
        markers: tuple[str, str] = ("[", "]"),
    ) -> list[Row]:
        """Full-text search with ``websearch_to_tsquery``-like syntax (see :func:`ts_query`), ranked by
        ``ts_rank`` (title above body), snippets by ``ts_headline`` for the page only."""
        tsq = ts_query(query)
        sql = f"""SELECT d.rowid, d.id, d.title, d.published, d.publisher, {FTS_VECTOR} AS vector
                  FROM documents d WHERE {FTS_VECTOR} @@ to_tsquery('english', ?) AND d.status='analysed'"""
        args: list[Any] = [tsq]
        if actor_id is not None:
            if is_frequent(self.conn, actor_id):
                sql += " AND EXISTS (SELECT 1 FROM mentions m WHERE m.doc_id=d.id AND m.entity_id=?)"
            else:
                sql += " AND d.id IN (SELECT doc_id FROM mentions WHERE entity_id=?)"
            args.append(actor_id)
        if since:
            sql += " AND d.published >= ?"
            args.append(since)
        if until:
            sql += " AND d.published <= ?"
            args.append(until)
        # ts_rank reads each matching document's whole vector: a word found in 48,000 of 50,000 documents
        # took 200 ms on two cores. So the newest RANKED_AT_MOST matches are ranked (all of them when fewer
        # match, which is the usual case for a name or a phrase); README "Search" says so.
        sql = f"""SELECT n.rowid, n.id, n.title, n.published, n.publisher,
                         ts_rank(n.vector, to_tsquery('english', ?)) AS score
                  FROM ({sql} ORDER BY d.published DESC NULLS LAST LIMIT ?) AS n
                  ORDER BY score DESC, n.rowid LIMIT ? OFFSET ?"""
        args = [tsq, *args, max(RANKED_AT_MOST, offset + limit)]
        try:
            ranked = self.conn.execute(sql, [*args, limit, offset]).fetchall()
            if not ranked:
                return []
            start, stop = (m.replace('"', "") for m in markers)
            options = f"StartSel={start}, StopSel={stop}, MaxWords=24, MinWords=8, MaxFragments=1"
            snippets = {
                r[0]: r[1]
                for r in self.conn.execute(
                    f"""SELECT d.rowid, ts_headline('english', d.text, to_tsquery('english', ?), ?)
                        FROM documents d WHERE d.rowid IN ({",".join("?" * len(ranked))})""",
                    (tsq, options, *[r[0] for r in ranked]),
                )
            }
        except Exception as exc:  # sqlite3.OperationalError from the adapter: a query PostgreSQL refuses
            raise UserError(f"cannot search for {query!r}: {exc}") from exc
        return [
            {
                "id": r["id"],
                "title": r["title"],
                "published": r["published"],
                "publisher": r["publisher"],
                "snippet": snippets.get(r["rowid"], ""),
                "score": -float(r["score"]),  # lower is better, as FTS5's rank
            }
            for r in ranked
        ]


#: The documents' text search vector: a stored column (title weighted above text), GIN-indexed (migration 007).
FTS_VECTOR = "d.search_vector"

_TS_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def ts_query(query: str) -> str:
    """The search syntax of the SQLite store (words, "phrases", AND/OR/NOT, ``prefix*``) as a ``to_tsquery``
    string: each FTS5 term of :func:`watchfloor.store.sqlite._fts_query` becomes lexemes joined by ``<->``
    (a phrase), ``:*`` for a prefix; terms are ANDed unless OR/NOT joins them."""
    fts = _fts_query(query)  # validates, and splits into quoted terms and operators
    out: list[str] = []
    pending = "&"
    for token in re.findall(r'"(?:[^"]|"")*"\*?|AND|OR|NOT', fts):
        if token in ("AND", "OR", "NOT"):
            pending = {"AND": "&", "OR": "|", "NOT": "& !"}[token]
            continue
        prefix = token.endswith("*")
        words = _TS_WORD.findall(token.rstrip("*").strip('"').replace('""', '"'))
        if not words:
            continue
        lexemes = [w.replace("'", "") for w in words]
        term = " <-> ".join(f"'{w}'" for w in lexemes) + (":*" if prefix else "")
        term = f"({term})" if len(lexemes) > 1 else term
        out.append(term if not out else f"{pending} {term}")
        pending = "&"
    if not out:
        raise UserError("empty search query; give at least one word or number")
    return " ".join(out)
