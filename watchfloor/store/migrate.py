"""Copy a whole store between backends (SQLite to PostgreSQL and back), then check nothing was lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from watchfloor.errors import UserError
from watchfloor.store.location import is_postgres
from watchfloor.store.sqlite import SQLiteRepository, open_store

#: Every table, parents before children; each with the columns that order its rows (a stable key).
TABLES: tuple[tuple[str, str], ...] = (
    ("meta", "key"),
    ("documents", "rowid"),
    ("sources", "rowid"),
    ("removed_spans", "id"),
    ("entities", "id"),
    ("aliases", "entity_id, norm"),
    ("mentions", "id"),
    ("problems", "id"),
    ("events", "id"),
    ("event_reports", "id"),
    ("event_evidence", "report_id, doc_id, start, end"),
    ("claims", "id"),
    ("claim_about", "claim_id, entity_id"),
    ("relations", "id"),
    ("corrections", "id"),
    ("entity_stats", "entity_id"),
    ("document_dates", "doc_id"),
    ("review_marks", "id"),
    ("watchlists", "id"),
    ("watch_items", "id"),
)
#: Tables whose implicit SQLite rowid is an explicit column in PostgreSQL: copied so their order survives.
ROWID_TABLES = frozenset({"documents", "sources"})
#: PostgreSQL identity columns to move past the copied values.
IDENTITY = (("documents", "rowid"), ("sources", "rowid"), *((t, "id") for t, key in TABLES if key == "id"))
BATCH = 1000
SAMPLE = 200


@dataclass
class MigrateReport:
    """What was copied, and what the check found (``mismatches`` empty: nothing lost)."""

    source: str
    destination: str
    counts: dict[str, int] = field(default_factory=dict)
    sampled: int = 0
    mismatches: list[str] = field(default_factory=list)


def _columns(repo: SQLiteRepository, table: str) -> list[str]:
    cur = repo.conn.execute(f"SELECT * FROM {table} LIMIT 0")
    names = getattr(cur, "description", None)
    if names is not None:  # sqlite3
        columns = [d[0] for d in names]
    else:  # PostgreSQL adapter: ask the catalogue
        rows = repo.conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name=? AND table_schema=current_schema() "
            "ORDER BY ordinal_position",
            (table,),
        ).fetchall()
        columns = [str(r[0]) for r in rows]
    if table in ROWID_TABLES and "rowid" not in columns:
        columns.insert(0, "rowid")
    return columns


def _count(repo: SQLiteRepository, table: str) -> int:
    return int(repo.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _rows(
    repo: SQLiteRepository, table: str, columns: list[str], order: str, limit: int | None = None
) -> Iterator[Any]:
    """The rows of ``table`` in key order, a batch of :data:`BATCH` at a time: from SQLite one statement read
    as it goes, from PostgreSQL LIMIT/OFFSET over the key. (From SQLite, OFFSET made the copy quadratic:
    SQLite steps over every skipped row, and the 31.8M mentions of a million-document store went at 9k rows
    a second and slowing.)"""
    cols = ", ".join(_quote(c) for c in columns)
    if isinstance(repo.conn, sqlite3.Connection):
        tail = "" if limit is None else f" LIMIT {int(limit)}"
        cursor = repo.conn.execute(f"SELECT {cols} FROM {table} ORDER BY {order}{tail}")
        while batch := cursor.fetchmany(BATCH):
            yield from batch
        return
    sql = f"SELECT {cols} FROM {table} ORDER BY {order} LIMIT ? OFFSET ?"
    offset = 0
    while True:
        want = BATCH if limit is None else min(BATCH, limit - offset)
        if want <= 0:
            return
        batch = repo.conn.execute(sql, (want, offset)).fetchall()
        yield from batch
        if len(batch) < want:
            return
        offset += len(batch)


def _quote(column: str) -> str:
    return column  # `end` is quoted by the PostgreSQL adapter; SQLite accepts it bare


def check_stores(src: str | Path, dst: str | Path) -> None:
    """Refuse, in one line, a copy that cannot start: the same store twice, or no source store."""
    if str(src) == str(dst):
        raise UserError("migrate-store needs two different stores")
    if "://" not in str(src) and ":/" not in str(src) and not Path(src).exists():
        raise UserError(f"no store at {src}; give an existing SQLite file or a postgresql:// URL")


def migrate_store(
    src: str | Path,
    dst: str | Path,
    force: bool = False,
    on_table: Callable[[str, int], None] | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> MigrateReport:
    """Copy every table of store ``src`` into store ``dst`` (created if needed), in foreign-key order and
    batches, in one transaction; move PostgreSQL's id sequences past the copied ids; then compare the row
    counts of every table and a sample of rows. ``dst`` must be empty unless ``force`` (its rows are
    replaced). ``on_table(name, rows)`` and ``on_rows(n)`` report progress."""
    check_stores(src, dst)
    source = open_store(src)
    dest = open_store(dst)
    report = MigrateReport(source.location, dest.location)
    try:
        filled = [t for t, _ in TABLES if dest.conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() is not None]
        if filled and not force:
            raise UserError(
                f"{dest.location} already holds data (tables {', '.join(filled[:4])}…); "
                "use --force to replace it, or choose an empty destination"
            )
        with dest.transaction():
            dest.conn.execute("PRAGMA defer_foreign_keys=ON")
            for table, _ in reversed(TABLES):
                dest.conn.execute(f"DELETE FROM {table}")
            for table, order in TABLES:
                report.counts[table] = _copy(source, dest, table, order, on_table, on_rows)
            if is_postgres(dest.conn):
                for table, column in IDENTITY:
                    dest.conn.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                        f"coalesce(max({column}), 1), max({column}) IS NOT NULL) FROM {table}"
                    )
        if is_postgres(dest.conn):
            # Fresh tables have no planner statistics until autovacuum gets to them: without them the first
            # queries on a copied 50,000-document store chose plans that took seconds. VACUUM also marks the
            # pages all-visible, so the covering indexes answer from the index alone (no heap fetches).
            # (The store's tables only: a whole-database VACUUM warns about every system catalog it may not touch.)
            dest.conn.execute("VACUUM ANALYZE " + ", ".join(table for table, _ in TABLES))
        _check(source, dest, report)
    finally:
        source.close()
        dest.close()
    return report


def _copy(
    source: SQLiteRepository,
    dest: SQLiteRepository,
    table: str,
    order: str,
    on_table: Callable[[str, int], None] | None,
    on_rows: Callable[[int], None] | None,
) -> int:
    total = _count(source, table)
    if on_table:
        on_table(table, total)
    wanted = set(_columns(dest, table))
    columns = [c for c in _columns(source, table) if c in wanted]
    if is_postgres(dest.conn):
        return _copy_into_postgres(source, dest, table, columns, order, on_rows)
    insert = f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    batch: list[tuple[Any, ...]] = []
    copied = 0
    for row in _rows(source, table, columns, order):
        batch.append(_plain(row))
        if len(batch) >= BATCH:
            dest.conn.executemany(insert, batch)
            copied += len(batch)
            if on_rows:
                on_rows(len(batch))
            batch = []
    if batch:
        dest.conn.executemany(insert, batch)
        copied += len(batch)
        if on_rows:
            on_rows(len(batch))
    return copied


def _plain(row: Any) -> tuple[Any, ...]:
    """A source row as plain values (SQLite hands BLOBs over as memoryviews)."""
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)


def _copy_into_postgres(
    source: SQLiteRepository,
    dest: SQLiteRepository,
    table: str,
    columns: list[str],
    order: str,
    on_rows: Callable[[int], None] | None,
) -> int:
    """Rows into PostgreSQL by ``COPY … FROM STDIN``: with batched INSERTs the driver, not the server, was the
    busy core while a million-document store was copied."""
    names = ", ".join(f'"{c}"' for c in columns)  # "end" is a keyword in PostgreSQL
    raw = cast(Any, dest.conn).raw  # the psycopg connection under the store's adapter
    copied = 0
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in _rows(source, table, columns, order):
            copy.write_row(_plain(row))
            copied += 1
            if on_rows and copied % BATCH == 0:
                on_rows(BATCH)
    if on_rows and copied % BATCH:
        on_rows(copied % BATCH)
    return copied


def _check(source: SQLiteRepository, dest: SQLiteRepository, report: MigrateReport) -> None:
    """Row counts of every table, and the first and last rows of each (all their columns) compared."""
    for table, order in TABLES:
        a, b = _count(source, table), _count(dest, table)
        if a != b:
            report.mismatches.append(f"{table}: {a} rows in the source, {b} in the destination")
            continue
        wanted = set(_columns(dest, table))
        columns = [c for c in _columns(source, table) if c in wanted]
        descending = ", ".join(f"{c.strip()} DESC" for c in order.split(","))
        for direction in (order, descending):
            left = [tuple(r) for r in _rows(source, table, columns, direction, SAMPLE // 2)]
            right = [tuple(r) for r in _rows(dest, table, columns, direction, SAMPLE // 2)]
            report.sampled += len(left)
            if left != right:
                report.mismatches.append(f"{table}: sampled rows differ")
                break
