"""PostgreSQL for the tests: the server named by WATCHFLOOR_TEST_PG, one fresh database per use.

Tests that need PostgreSQL never skip: without the variable they fail with how to start a server.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

ENV = "WATCHFLOOR_TEST_PG"
HOW = (
    f"{ENV} is not set: start PostgreSQL with `sudo tools/pg_test_server.sh` and export the URL it prints "
    f"(`make unit` does both), e.g. {ENV}=postgresql://watchfloor:watchfloor@127.0.0.1:5432/postgres"
)


def server_url() -> str:
    """The test server's URL (a role with CREATEDB), or fail the test saying how to start one."""
    url = os.environ.get(ENV, "").strip()
    if not url:
        pytest.fail(HOW, pytrace=False)
    return url


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def create_database() -> str:
    """A new empty database on the test server (C collation: the byte order SQLite sorts text in)."""
    import psycopg

    name = f"wf_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(server_url(), autocommit=True, connect_timeout=5) as admin:
            admin.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
            )
    except psycopg.OperationalError as exc:
        pytest.fail(f"cannot reach the PostgreSQL test server ({exc}); {HOW}", pytrace=False)
    return _with_database(server_url(), name)


def drop_database(url: str) -> None:
    import psycopg

    from watchfloor.store.postgres import close_pools

    close_pools()
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(server_url(), autocommit=True, connect_timeout=5) as admin:
        for attempt in range(40):  # an autovacuum worker on the database cannot be ended by us: wait for it
            try:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                return
            except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
                if attempt == 39:
                    raise
                time.sleep(0.25)


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new database for the duration of the block, dropped after."""
    url = create_database()
    try:
        yield url
    finally:
        drop_database(url)
