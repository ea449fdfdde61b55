"""The Python API: everything the CLI does, usable from code (``Workspace("x.db").actors()``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from watchfloor.errors import NotFound, UserError
from watchfloor.reliability import parse_grade
from watchfloor.store.sqlite import SQLiteRepository, open_store
from watchfloor.store.sqlite_browse import entity_mentions, entity_overview
from watchfloor.store.sqlite_reliability import graded_events

if TYPE_CHECKING:  # the runner imports spaCy and the extractors: loaded only when ingesting
    from watchfloor.review import ReviewQueue
    from watchfloor.runner import IngestOptions, IngestReport

DEFAULT_DB = "watchfloor.db"


def demo_corpus_path() -> Path:
    """Folder of the bundled demo corpus."""
    return Path(str(resources.files("watchfloor") / "data" / "demo"))


class Workspace:
    """One store and the operations on it."""

    def __init__(self, db: str | Path = DEFAULT_DB) -> None:
        self.repo: SQLiteRepository = open_store(db)

    def close(self) -> None:
        self.repo.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ingest(
        self,
        targets: list[str],
        options: IngestOptions | None = None,
        on_progress: Callable[[str], None] | None = None,
        on_problem: Callable[[str], None] | None = None,
        on_note: Callable[[str], None] | None = None,
    ) -> IngestReport:
        from watchfloor.runner import ingest
        from watchfloor.watch import run_alerts

        report = ingest(
            targets,
            self.repo,
            options,
            on_progress or (lambda _s: None),
            on_problem or (lambda _s: None),
            on_note or (lambda _s: None),
        )
        if report.analysed:
            report.alerts = run_alerts(self)  # watched items with new facts: their JSONL file or command
        return report

    def status(self) -> dict[str, Any]:
        return self.repo.status()

    def documents(self, limit: int = 50, offset: int = 0, status: str | None = None) -> list[dict[str, Any]]:
        return self.repo.list_documents(limit, offset, status)

    def document(self, doc_id: str) -> dict[str, Any]:
        found = self.repo.get_document(doc_id)
        if found is None:
            raise NotFound(f"no document with id {doc_id!r} (or the prefix is ambiguous); see `watchfloor docs`")
        return found

    def set_published(self, doc_id: str, published: str, author: str = "analyst", note: str | None = None) -> int:
        """Set a document's publication date and re-resolve every date that depended on it."""
        from watchfloor.reprocess import reprocess

        try:
            day = date.fromisoformat(published)
        except ValueError as exc:
            raise UserError(f"{published!r} is not a date; write it as YYYY-MM-DD") from exc
        if day > date.today():
            raise UserError(f"{published} is in the future; a document cannot be published after today")
        found = self.document(doc_id)
        self.repo.set_published(found["id"], day.isoformat(), author, note)
        return reprocess(self.repo, stage="extract", doc_ids=[found["id"]], force=True).processed

    @property
    def review(self) -> ReviewQueue:
        """The review queue: items that need a human, with accept / fix / reject (:mod:`watchfloor.review`)."""
        from watchfloor.review import ReviewQueue

        return ReviewQueue(self)

    def reprocess(self, stage: str = "clean", since: str | None = None, force: bool = False, **kwargs: Any) -> Any:
        """Re-run cleaning (or only extraction) over stored documents; see :mod:`watchfloor.reprocess`."""
        from watchfloor.reprocess import reprocess

        return reprocess(self.repo, stage=stage, since=since, force=force, **kwargs)

    def actors(self, kind: str | None = None, limit: int = 100, min_mentions: int = 1) -> list[dict[str, Any]]:
        return self.repo.list_actors(kind, limit, min_mentions)

    def actor(self, name: str, limit: int = 20) -> dict[str, Any]:
        found = self.repo.find_entity(name)
        if found is None:
            raise NotFound(
                f"no actor named {name!r}"
                + (self._did_you_mean(name) or f"; try `watchfloor actors` or `watchfloor search {name!r}`")
            )
        return self.repo.actor_detail(int(found["id"]), limit)

    def suggest_names(self, name: str, limit: int = 3) -> list[str]:
        """The names of the entities whose key, name or an alias is nearest ``name`` (a typo, part of a longer
        name), best first and the more mentioned first among equals; only those nearly as near as the best, none
        when nothing is close."""
        from rapidfuzz import fuzz, process

        from watchfloor.link.normalize import norm_name

        rows = self.repo.conn.execute(
            """SELECT a.norm, e.name, coalesce(s.mentions, 0) FROM aliases a JOIN entities e ON e.id = a.entity_id
               LEFT JOIN entity_stats s ON s.entity_id = e.id WHERE e.merged_into IS NULL
               UNION ALL SELECT e.key, e.name, coalesce(s.mentions, 0) FROM entities e
               LEFT JOIN entity_stats s ON s.entity_id = e.id WHERE e.merged_into IS NULL"""
        ).fetchall()

        def nearness(query: str, choice: str, **_: Any) -> float:  # a typo of the whole, or part of a longer name
            part = 0.9 * fuzz.partial_ratio(query, choice) if len(choice) > len(query) else 0.0
            return max(fuzz.ratio(query, choice), part)

        query = norm_name(name) or name.lower()
        hits = process.extract(query, [r[0] for r in rows], scorer=nearness, limit=None, score_cutoff=80)
        best: dict[str, tuple[int, int]] = {}
        for _, score, i in hits:
            _, entity, mentions = rows[i]
            best[entity] = max(best.get(entity, (0, 0)), (round(score), int(mentions)))
        top = max((score for score, _ in best.values()), default=0)
        near = [e for e in best if best[e][0] >= top - 8]
        return sorted(near, key=lambda e: (-best[e][0], -best[e][1], e))[:limit]

    def _did_you_mean(self, name: str) -> str:
        near = self.suggest_names(name)
        return f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""

    def lookup(self, ref: str) -> dict[str, Any] | None:
        """An entity by numeric id, stable key or any alias; a merged-away entity resolves to the one kept."""
        found = self.repo.entity_or_none(int(ref)) if ref.isdigit() else None
        if found is None:
            found = self.repo.find_entity(ref)
        if found is not None and found.get("merged_into"):
            found = self.repo.entity(int(found["merged_into"]))
        return found

    def _entity_id(self, name: str | None, what: str) -> int | None:
        if not name:
            return None
        found = self.lookup(name)
        if found is None:
            raise NotFound(f"no {what} named {name!r}{self._did_you_mean(name)}; see `watchfloor actors`")
        return int(found["id"])

    def entity_detail(
        self,
        entity_id: int,
        *,
        limit: int = 20,
        relations: int | None = None,
        events: int | None = None,
        mentions: int | None = None,
        sources: int = 5,
        stance_ids: int | None = 100,
    ) -> dict[str, Any]:
        """Everything an actor page shows: counts, spellings, co-mentioned actors, relations (with at most
        ``sources`` evidence sentences each), events (at most ``sources`` sources each; ``n_sources`` counts
        all), claims by and about, mentions in context."""
        conn = self.repo.conn
        return {
            **entity_overview(conn, entity_id, limit),
            "relations": self.repo.list_relations(actor_id=entity_id, limit=relations or limit, max_sources=sources),
            "events": self.repo.list_events(actor_id=entity_id, limit=events or limit, max_sources=sources),
            "claims_by": self.repo.list_claims(speaker_id=entity_id, limit=limit, stance_ids=stance_ids),
            "claims_about": self.repo.list_claims(about_id=entity_id, limit=limit, stance_ids=stance_ids),
            "mentions": entity_mentions(conn, entity_id, mentions or limit),
        }

    def snapshot(self, since: str | None = None, until: str | None = None, actor: str | None = None) -> dict[str, Any]:
        """Documents in the window (mentioning ``actor`` if given) and the entities they mention."""
        return self.repo.snapshot(since, until, self._entity_id(actor, "actor"))

    def entity_key(self, entity_id: int) -> str | None:
        """The stable key of a stored entity."""
        row = self.repo.entity(entity_id)
        return str(row["key"]) if row else None

    def relations(
        self,
        actor: str | None = None,
        predicate: str | None = None,
        since: str | None = None,
        until: str | None = None,
        min_sources: int = 1,
        limit: int = 100,
        offset: int = 0,
        order: str = "n_sources DESC",
        max_sources: int | None = None,
        all_modalities: bool = False,
    ) -> list[dict[str, Any]]:
        """Relations aggregated per actor pair and predicate, most sources first, with evidence; only
        asserted or reported statements count unless ``all_modalities`` (forecasts, claims, questions)."""
        return self.repo.list_relations(
            actor_id=self._entity_id(actor, "actor"),
            predicate=predicate,
            since=since,
            until=until,
            min_sources=min_sources,
            limit=limit,
            offset=offset,
            order=order,
            max_sources=max_sources,
            **({"modalities": None} if all_modalities else {}),
        )

    def claims(
        self,
        speaker: str | None = None,
        about: str | None = None,
        kind: str | None = None,
        since: str | None = None,
        limit: int = 100,
        offset: int = 0,
        as_of: date | None = None,
        order: str = "published DESC",
        stance_ids: int | None = None,
    ) -> list[dict[str, Any]]:
        """Attributed claims with stance links, forecast status and sources, newest first."""
        return self.repo.list_claims(
            speaker_id=self._entity_id(speaker, "speaker"),
            about_id=self._entity_id(about, "actor or place"),
            kind=kind,
            since=since,
            limit=limit,
            offset=offset,
            as_of=as_of,
            order=order,
            stance_ids=stance_ids,
        )

    def claim(self, claim_id: int, as_of: date | None = None, stance_ids: int | None = None) -> dict[str, Any] | None:
        """One claim by id."""
        rows = self.repo.list_claims(claim_id=claim_id, as_of=as_of, stance_ids=stance_ids)
        return rows[0] if rows else None

    def speaker(self, name: str, as_of: date | None = None) -> dict[str, Any]:
        """A speaker's track record: claims by kind, forecasts that came true, roles."""
        found = self.repo.find_entity(name)
        if found is None:
            raise NotFound(f"no speaker named {name!r}{self._did_you_mean(name)}; see `watchfloor claims`")
        record = self.repo.speaker_record(int(found["id"]), as_of)
        return {"id": int(found["id"]), "name": found["name"], "kind": found["kind"], **record}

    def events(
        self,
        actor: str | None = None,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        event_type: str | None = None,
        include_background: bool = False,
        limit: int = 100,
        offset: int = 0,
        order: str = "date DESC",
        max_sources: int | None = None,
        min_grade: str | None = None,
        by_grade: bool = False,
    ) -> list[dict[str, Any]]:
        """Merged events with sources, newest first (``order="date ASC"`` for a timeline); at most
        ``max_sources`` sources per event (all when None), ``n_sources`` counts them all. Each has its
        Admiralty ``grade``; ``min_grade`` ("B3") keeps those at least that good, ``by_grade`` sorts best first."""
        filters: dict[str, Any] = dict(
            actor_id=self._entity_id(actor, "actor"),
            country=country,
            since=since,
            until=until,
            event_type=event_type,
            include_background=include_background,
            limit=limit,
            offset=offset,
            order=order,
            max_sources=max_sources,
        )
        if min_grade or by_grade:
            try:
                parse_grade(min_grade or "F6")
            except ValueError as exc:
                raise UserError(str(exc)) from None
            return graded_events(self.repo.conn, min_grade=min_grade, by_grade=by_grade, **filters)
        return self.repo.list_events(**filters)

    def search(
        self,
        query: str,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
    ) -> list[dict[str, Any]]:
        return self.repo.search(query, self._entity_id(actor, "actor"), since, until, limit)
