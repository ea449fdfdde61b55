"""The review queue's actions: list what needs a human, and accept, fix or reject an item.

Every action is recorded. *Accept* stores a review mark: the item leaves the queue and stays off it after
re-runs. *Fix* and *reject* go through the analyst corrections (a document's publication date, a merge, an
event's fields, a rejection), which are re-applied after every ingest run, and store a mark too. Kinds and
the item shape: :mod:`watchfloor.store.sqlite_review`.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING, Any

from watchfloor.errors import NotFound, UserError
from watchfloor.store import sqlite_corrections as corrections
from watchfloor.store import sqlite_review as queue
from watchfloor.store.sqlite_review import Item, Options

if TYPE_CHECKING:
    from watchfloor.workspace import Workspace

PLACE_LABELS = ("GPE", "LOC", "FAC")
EVENT_FIXES = ("date", "place", "perpetrator", "killed", "wounded")


class ReviewQueue:
    """The open items of one store, judged as of ``today``, and the actions on them."""

    def __init__(self, ws: Workspace, today: date | None = None, threshold: float = queue.LOW_CONFIDENCE) -> None:
        self.ws = ws
        self.opts = Options(today=(today or date.today()).isoformat(), threshold=threshold)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.ws.repo.conn

    # -- reading ----------------------------------------------------------------------------------------
    def page(
        self, kind: str | None = None, limit: int | None = None, offset: int = 0
    ) -> tuple[list[Item], int, dict[str, int]]:
        """A page of open items (of one kind, or all; every one when ``limit`` is None) with their evidence text,
        how many of them are open, and the open items per kind."""
        page, total, counts = self.ws.repo.review_page(
            kind=kind, opts=self.opts, limit=-1 if limit is None else limit, offset=offset
        )
        queue.attach_evidence(self.conn, page)
        return page, total, counts

    def counts(self) -> dict[str, int]:
        """Open items per kind, and ``total``."""
        return self.ws.repo.review_counts(opts=self.opts)

    def item(self, item_id: str) -> Item:
        """One open item by id (a document id in it may be a unique prefix), with its evidence text."""
        found = queue.find_item(self.conn, item_id.strip(), self.opts)
        queue.attach_evidence(self.conn, [found])
        return found

    def history(self, limit: int = 100, offset: int = 0) -> list[Item]:
        """Reviewed items, latest first."""
        return queue.list_marks(self.conn, limit, offset)

    # -- actions ----------------------------------------------------------------------------------------
    def accept(self, item_id: str, author: str = "analyst", note: str | None = None) -> dict[str, Any]:
        """The item is right as it stands: it leaves the queue (and stays off it after re-runs)."""
        item = self.item(item_id)
        with self.ws.repo.transaction():
            queue.mark(self.conn, item, "accepted", author, note)
        return self._done(item, "accepted", [])

    def reject(self, item_id: str, author: str = "analyst", note: str | None = None) -> dict[str, Any]:
        """The extraction is wrong: the event, claim or relation is rejected (a correction) and hidden."""
        item = self.item(item_id)
        kind = {"event": "event", "claim": "claim", "relation": "relation"}.get(item["target"])
        if kind is None:
            what = "a document" if item["target"] == "document" else "a suspected duplicate"
            raise UserError(f"{what} cannot be rejected: accept it to leave it as it is, or fix it")

        def record(conn: sqlite3.Connection) -> list[int]:
            ids = corrections.reject(conn, kind, int(item["ref"]), author, note)
            queue.mark(conn, item, "rejected", author, note, ids)
            return ids

        ids, applied = self.ws.repo.correct(record)
        return {**self._done(item, "rejected", ids), "applied": applied}

    def fix(
        self,
        item_id: str,
        *,
        date: str | None = None,
        keep: str | None = None,
        place: str | None = None,
        perpetrator: str | None = None,
        killed: int | None = None,
        wounded: int | None = None,
        author: str = "analyst",
        note: str | None = None,
    ) -> dict[str, Any]:
        """Correct what the item flags: a document's date, an event's date, place, perpetrator or tolls, or
        merge two duplicates (``keep``: the one kept, default the curated or more mentioned one)."""
        item = self.item(item_id)
        given = {
            k: v
            for k, v in (
                ("date", date),
                ("keep", keep),
                ("place", place),
                ("perpetrator", perpetrator),
                ("killed", killed),
                ("wounded", wounded),
            )
            if v is not None
        }
        target = item["target"]
        if target == "document":
            return self._fix_document(item, given, author, note)
        if target == "event":
            return self._fix_event(item, given, author, note)
        if target == "entities":
            return self._fix_duplicate(item, given, author, note)
        raise UserError(f"a {target} has no fix: accept it if it is right, reject it if it is wrong")

    def _fix_document(self, item: Item, given: dict[str, Any], author: str, note: str | None) -> dict[str, Any]:
        _only(given, ("date",), "a document's fix is its publication date: --date YYYY-MM-DD")
        processed = self.ws.set_published(str(item["ref"]), str(given["date"]), author, note)
        with self.ws.repo.transaction():
            queue.mark(self.conn, item, "fixed", author, note)
        return {**self._done(item, "fixed", []), "published": given["date"], "reprocessed": processed}

    def _fix_event(self, item: Item, given: dict[str, Any], author: str, note: str | None) -> dict[str, Any]:
        _only(given, EVENT_FIXES, "an event's fix sets --date, --place, --perpetrator, --killed or --wounded")
        fields: dict[str, Any] = {k: given[k] for k in ("date", "killed", "wounded") if k in given}
        if "place" in given:
            found = self.ws.lookup(str(given["place"]))
            if found is None:
                fields["place_text"] = str(given["place"])  # a town the store does not know: kept by name
            elif found["label"] in PLACE_LABELS:
                fields["place_id"] = int(found["id"])
            else:
                raise UserError(f"{given['place']!r} is {found['name']} ({found['kind']}), not a place")
        if "perpetrator" in given:
            found = self.ws.lookup(str(given["perpetrator"]))
            if found is None:
                raise NotFound(f"no actor named {given['perpetrator']!r}; see `watchfloor actors`")
            fields["perpetrator_id"] = int(found["id"])

        def record(conn: sqlite3.Connection) -> list[int]:
            ids = corrections.set_event(conn, int(item["ref"]), author, note, **fields)
            queue.mark(conn, item, "fixed", author, note, ids)
            return ids

        ids, applied = self.ws.repo.correct(record)
        return {**self._done(item, "fixed", ids), "applied": applied}

    def _fix_duplicate(self, item: Item, given: dict[str, Any], author: str, note: str | None) -> dict[str, Any]:
        _only(given, ("keep",), "a duplicate's fix merges the two: --keep ID names the one kept", required=False)
        pair = [int(i) for i in item["ref"]]
        keep_id = int(item["keep"])
        if "keep" in given:
            found = self.ws.lookup(str(given["keep"]))
            if found is None or int(found["id"]) not in pair:
                raise UserError(f"--keep {given['keep']!r} is neither of the two: give {pair[0]} or {pair[1]}")
            keep_id = int(found["id"])
        gone_id = pair[1] if keep_id == pair[0] else pair[0]

        def record(conn: sqlite3.Connection) -> list[int]:
            ids = [corrections.merge(conn, keep_id, gone_id, author, note)]
            queue.mark(conn, item, "fixed", author, note, ids)
            return ids

        ids, applied = self.ws.repo.correct(record)
        return {**self._done(item, "fixed", ids), "kept": keep_id, "merged": gone_id, "applied": applied}

    def _done(self, item: Item, decision: str, ids: list[int]) -> dict[str, Any]:
        return {"item": item["id"], "kind": item["kind"], "decision": decision, "corrections": ids}


def _only(given: dict[str, Any], allowed: tuple[str, ...], hint: str, required: bool = True) -> None:
    if (required and not given) or set(given) - set(allowed):
        raise UserError(f"cannot fix this item with {', '.join(sorted(given)) or 'nothing'}: {hint}")
