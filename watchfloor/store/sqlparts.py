"""Small pieces for building SQL from optional filters and sort options, shared by the store modules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
CHUNK = 500  # ids per IN (...) list: far below SQLite's bound-parameter limit


def chunks(ids: Sequence[T]) -> list[list[T]]:
    """``ids`` cut into lists of at most :data:`CHUNK`, one ``IN (...)`` list each."""
    return [list(ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]


def marks(ids: Sequence[Any]) -> str:
    """The ``?, ?, …`` placeholders of an ``IN (...)`` list of these ids."""
    return ",".join("?" * len(ids))


class Where:
    """A WHERE clause built from optional filters: each filter adds its SQL only when its value is given."""

    def __init__(self, first: str = "1=1", *args: Any) -> None:
        self.parts = [first]
        self.args: list[Any] = list(args)

    def add(self, value: Any, sql: str, *args: Any) -> None:
        if value is None or value == "" or value == []:
            return
        self.parts.append(sql)
        self.args.extend(args if args else (value,))

    def window(self, column: str, since: str | None, until: str | None) -> None:
        """Inclusive date window; '2024-03' <= '2024-03~' keeps month- and year-precision dates in range."""
        self.add(since, f"{column} >= ?")
        self.add(until, f"{column} <= ?", f"{until}~")

    @property
    def sql(self) -> str:
        return " AND ".join(self.parts)


def order_term(order: str, columns: Mapping[str, str]) -> str:
    """``"field ASC"`` / ``"field DESC"`` as SQL, the field mapped through ``columns``; an unknown field sorts
    by the first column, anything but ASC sorts descending."""
    field, _, direction = order.partition(" ")
    column = columns.get(field, next(iter(columns.values())))
    return f"{column} {'ASC' if direction.upper() == 'ASC' else 'DESC'}"
