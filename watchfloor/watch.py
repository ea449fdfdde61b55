"""Watchlists: follow actors and saved searches, see what is new since the last look, alert after ingest.

The CLI (`watchfloor watch`, `watchfloor news`), the API (``/api/watch``) and the Watch page call these
functions; the SQL is in :mod:`watchfloor.store.sqlite_watch`. "New" is by ingest time (when a fact's
document entered the store), never by the date of the event.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from watchfloor.errors import NotFound, UserError
from watchfloor.relative_dates import moment
from watchfloor.store import sqlite_watch as store
from watchfloor.store.location import is_postgres
from watchfloor.store.sqlite import _fts_query
from watchfloor.store.sqlite_watch import Mark, Scope

if TYPE_CHECKING:
    from watchfloor.workspace import Workspace

Row = dict[str, Any]
DEFAULT_LIST = "default"
ALERT_TIMEOUT_S = 60
ALERT_LIMIT = 100  # items of each kind per alert; the counts are complete
MAX_LABEL = 200


def _conn(ws: Workspace) -> sqlite3.Connection:
    return ws.repo.conn


def plural(n: int, kinds: str) -> str:
    """"1 event", "2 events" (``kinds`` is the plural)."""
    return f"{n} {kinds if n != 1 else kinds[:-1]}"


def _check_search(conn: sqlite3.Connection, query: str) -> str:
    """The FTS5 form of a saved search, refused now rather than at every `news` if SQLite cannot run it."""
    fts = _fts_query(query)
    if is_postgres(conn):
        from watchfloor.store.postgres import ts_query

        ts_query(fts)  # refuses a query without words
        return fts
    try:
        conn.execute("SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT 1", (fts,)).fetchall()
    except sqlite3.OperationalError as exc:
        raise UserError(f"cannot search for {query!r}: {exc}") from exc
    return fts


def _alert_path(path: str | None) -> str | None:
    if path is None:
        return None
    target = Path(path).expanduser().resolve()
    if target.is_dir():
        raise UserError(f"--alert-jsonl {path} is a folder; give a file to append to")
    if not target.parent.is_dir():
        raise UserError(f"--alert-jsonl: folder {target.parent} does not exist")
    return str(target)


def _alert_command(command: str | None) -> str | None:
    if command is None:
        return None
    try:
        args = shlex.split(command)
    except ValueError as exc:
        raise UserError(f"--alert-command {command!r} cannot be split into words: {exc}") from exc
    if not args:
        raise UserError("--alert-command is empty")
    if shutil.which(args[0]) is None:
        raise UserError(f"--alert-command: {args[0]!r} is not an executable program (give its path)")
    return command


def add(
    ws: Workspace,
    name: str | None = None,
    *,
    search: str | None = None,
    list_name: str = DEFAULT_LIST,
    alert_jsonl: str | None = None,
    alert_command: str | None = None,
) -> Row:
    """Watch an actor (any alias, key or id, resolved like `watchfloor actor`) or a saved full-text search.
    Adding an item already watched only sets the alert hooks given."""
    if (name is None) == (search is None):
        raise UserError("give an actor name or --search QUERY (one of them)")
    label = (name or search or "").strip()
    if not label or len(label) > MAX_LABEL:
        raise UserError(f"an actor name or search of 1 to {MAX_LABEL} characters, please")
    if not list_name.strip():
        raise UserError("--list needs a name")
    conn = _conn(ws)
    entity_key = None
    if name is not None:
        found = ws.lookup(label)
        if found is None:
            raise NotFound(
                f"no actor named {label!r}; see `watchfloor actors`, or watch the words with --search {label!r}"
            )
        entity_key = str(found["key"])
    else:
        _check_search(conn, label)
    jsonl, command = _alert_path(alert_jsonl), _alert_command(alert_command)
    with ws.repo.transaction():
        item_id, added = store.add_item(conn, list_name.strip(), label, entity_key=entity_key,
                                        query=label if search is not None else None, alert_jsonl=jsonl,
                                        alert_command=command)  # fmt: skip
    return {**store.list_items(conn, item_id=item_id)[0], "added": added}


def items(ws: Workspace, list_name: str | None = None) -> list[Row]:
    """Watched items, with the entity each resolves to now (merges followed)."""
    return store.list_items(_conn(ws), list_name)


def find_item(ws: Workspace, ref: str, list_name: str | None = None) -> Row:
    """A watched item by id, label, saved query or (for actors) any name of the entity."""
    rows = items(ws, list_name)
    if ref.isdigit():
        by_id = [r for r in rows if r["id"] == int(ref)]
        if by_id:
            return by_id[0]
    wanted = ref.strip().casefold()
    found = [r for r in rows if wanted in (r["label"].casefold(), (r["query"] or "").casefold())]
    if not found:
        entity = ws.lookup(ref.strip()) if ref.strip() else None
        if entity is not None:
            keys = {entity["key"]}
            found = [r for r in rows if r["entity_key"] in keys or (r["entity"] or {}).get("key") in keys]
    if not found:
        raise NotFound(f"{ref!r} is not watched; see `watchfloor watch list`")
    if len(found) > 1:
        lists = ", ".join(sorted({r["watchlist"] for r in found}))
        raise UserError(f"{ref!r} is watched in several lists ({lists}); give --list or the item id")
    return found[0]


def remove(ws: Workspace, ref: str, list_name: str | None = None) -> Row:
    """Stop watching an item (by id, label or entity name)."""
    item = find_item(ws, ref, list_name)
    with ws.repo.transaction():
        store.remove_item(_conn(ws), int(item["id"]))
    return item


def remove_id(ws: Workspace, item_id: int) -> Row:
    """Stop watching the item with this id."""
    found = store.list_items(_conn(ws), item_id=item_id)
    if not found:
        raise NotFound(f"no watched item {item_id}; see `watchfloor watch list`")
    with ws.repo.transaction():
        store.remove_item(_conn(ws), item_id)
    return found[0]


def _scope(conn: sqlite3.Connection, item: Row) -> Scope | None:
    if item["kind"] == "search":
        return Scope(fts=_fts_query(item["query"]), postgres=is_postgres(conn))
    entity = item["entity"]
    return Scope(entity_id=int(entity["id"])) if entity else None


def _item_facts(conn: sqlite3.Connection, item: Row, after: Mark | None, seen: Mark | None, limit: int) -> Row:
    public = {k: item[k] for k in ("id", "watchlist", "kind", "label", "entity_key", "query", "entity")}
    scope = _scope(conn, item)
    if scope is None:  # the entity was deleted (a split moved every alias away, say)
        empty: Row = {kind: [] for kind in store.KINDS}
        return {**public, **empty, "counts": dict.fromkeys(store.KINDS, 0), "missing": True}
    return {**public, **store.new_facts(conn, scope, after, seen, limit), "missing": False}


def _list_id(conn: sqlite3.Connection, list_name: str) -> int:
    list_id = store.watchlist_id(conn, list_name)
    if list_id is None and list_name == DEFAULT_LIST:
        raise NotFound("nothing is watched yet: `watchfloor watch add ISKP` or `watchfloor watch add --search WORDS`")
    if list_id is None:
        raise NotFound(f"no watchlist {list_name!r}; add to it with `watchfloor watch add NAME --list {list_name}`")
    return list_id


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: every query of a run sees the same store, whatever an ingest commits meanwhile."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def news(
    ws: Workspace,
    list_name: str = DEFAULT_LIST,
    since: str = "last",
    *,
    peek: bool = False,
    limit: int = 20,
    now: datetime | None = None,
) -> Row:
    """What is new for each watched item of a list: documents, events, claims and relations stored after
    the list's "last seen" mark (``since="last"``; everything when `news` never ran) or after a time
    (``7d``, ``yesterday``, ``2024-05-01``, ``12h``...). Unless ``peek``, the mark then moves to what
    was stored when the run started."""
    conn = _conn(ws)
    list_id = _list_id(conn, list_name)
    with _snapshot(conn):
        upto = store.high_water(conn)
        seen = store.seen_mark(conn, list_id)
        if since.strip().lower() == "last":
            after, label = seen, "last" if seen is not None else "the beginning (first run)"
        else:
            point = moment(since, now or datetime.now().astimezone())
            after, label = Mark(point.isoformat(timespec="seconds"), inclusive=True), since
        results = [_item_facts(conn, item, after, after, limit) for item in store.list_items(conn, list_name)]
    if not peek:
        with ws.repo.transaction():
            store.set_seen(conn, list_id, upto)
    return {
        "watchlist": list_name,
        "since": after.upto if after else None,
        "since_label": label,
        "upto": upto.upto,
        "marked_seen": not peek,
        "items": results,
    }


def overview(ws: Workspace, list_name: str = DEFAULT_LIST, limit: int = 10) -> Row:
    """For the Watch page: each item's latest facts (by ingest time), ``new`` when stored after the list's
    "last seen" mark, and ``upto``: the mark to send back once the analyst has seen them."""
    conn = _conn(ws)
    list_id = store.watchlist_id(conn, list_name)
    if list_id is None:
        return {"watchlist": list_name, "seen": None, "seen_at": None, "upto": Mark().to_row(), "items": []}
    with _snapshot(conn):
        upto = store.high_water(conn)
        seen = store.seen_mark(conn, list_id)
        seen_at = conn.execute("SELECT seen_at FROM watchlists WHERE id=?", (list_id,)).fetchone()[0]
        results = [_item_facts(conn, item, None, seen, limit) for item in store.list_items(conn, list_name)]
    for item in results:
        item["n_new"] = sum(1 for kind in store.KINDS for row in item[kind] if row["new"] or row.get("new_source"))
    return {"watchlist": list_name, "seen": seen.upto if seen else None, "seen_at": seen_at,
            "upto": upto.to_row(), "items": results}  # fmt: skip


def mark_seen(ws: Workspace, list_name: str, upto: Mark | None = None) -> Row:
    """Move a list's "last seen" mark to ``upto`` (what a page showed) or to everything stored now; a mark
    never moves back."""
    conn = _conn(ws)
    list_id = _list_id(conn, list_name)
    with ws.repo.transaction():
        current = store.seen_mark(conn, list_id)
        target = upto if upto is not None and upto.upto is not None else store.high_water(conn)
        if current is None or current.upto is None or (target.upto or "") > current.upto:
            store.set_seen(conn, list_id, target)
        elif target.upto == current.upto:
            store.set_seen(conn, list_id, Mark(current.upto, tuple(sorted({*current.ids, *target.ids}))))
    return {"watchlist": list_name, "seen": (store.seen_mark(conn, list_id) or Mark()).upto}


# -- alert hooks ---------------------------------------------------------------------------------------------
def _deliver(item: Row, payload: str) -> None:
    """Append the payload to the item's JSONL file and/or feed it to its command; raises on failure."""
    if item["alert_jsonl"]:
        with open(item["alert_jsonl"], "a", encoding="utf-8") as out:
            out.write(payload + "\n")
    if item["alert_command"]:
        done = subprocess.run(shlex.split(item["alert_command"]), input=payload, text=True, capture_output=True,
                              timeout=ALERT_TIMEOUT_S, check=False)  # fmt: skip
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or [""])[-1][:200]
            raise OSError(f"command exited with {done.returncode}" + (f": {last}" if last else ""))


def run_alerts(ws: Workspace, now: datetime | None = None) -> list[str]:
    """After an ingest run: for every item with an alert hook and new facts since its hook's mark, write the
    new items (one JSON object) to its JSONL file and/or its command's stdin. One line per alert sent or
    failed; a failed hook keeps its mark, so the next run retries it."""
    conn = _conn(ws)
    hooked = [i for i in store.list_items(conn) if i["alert_jsonl"] or i["alert_command"]]
    if not hooked:
        return []
    upto = store.high_water(conn)
    out: list[str] = []
    for item in hooked:
        after = store.alert_mark(item)
        facts = _item_facts(conn, item, after, after, ALERT_LIMIT)
        counts = facts["counts"]
        if not any(counts[k] for k in ("events", "claims", "relations", "documents")):
            continue
        payload = json.dumps(
            {"alert": "watchfloor", "at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
             "since": after.upto, "upto": upto.upto, **facts},
            ensure_ascii=False, default=str,
        )  # fmt: skip
        summary = ", ".join(plural(n, k) for k, n in counts.items() if n)
        try:
            _deliver(item, payload)
        except (OSError, subprocess.SubprocessError) as exc:
            out.append(f"alert for {item['label']} failed ({exc}); it will be retried after the next ingest")
            continue
        with ws.repo.transaction():
            store.set_alert_mark(conn, int(item["id"]), upto)
        targets = " and ".join(x for x in (item["alert_jsonl"], item["alert_command"] and "its command") if x)
        out.append(f"alert for {item['label']}: {summary} → {targets}")
    return out
