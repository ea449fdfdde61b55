"""STIX 2.1 bundle of the store, built with the ``stix2`` library.

Groups become threat-actors, people and organisations identities, places locations, each source
document a report, events incidents (attributed-to / located-at relationships), actor relations
relationships (start_time/stop_time from their stated valid time) and claims notes (the speaker as
author, the ICD 203 band as confidence). Ids are UUIDv5 of watchfloor's own keys, and timestamps
come from the store (first and last ingest of the evidence), so exporting the same store twice
gives the same objects and a later export updates them (same id, newer ``modified``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stix2

from watchfloor import __version__
from watchfloor.workspace import Workspace

NAMESPACE = uuid.UUID("6f1b3c2e-9a57-4c1e-8d2b-5b0f7e7f2a11")  # watchfloor's own, fixed forever
GROUP_KINDS = {"armed_group"}
PLACE_KINDS = {"place", "state"}
ORGANISATION_KINDS = {
    "military",
    "security_service",
    "government_body",
    "international_org",
    "political_party",
    "organisation",
    "media_outlet",
}
# watchfloor predicates -> STIX relationship types (STIX's own where one fits, else a hyphenated custom type)
RELATIONSHIP_TYPES = {
    "attacks": "targets",
    "operates_in": "located-at",
    "allied_with": "cooperates-with",
    "hostile_to": "hostile-to",
    "hosts": "hosts",
    "supports": "supports",
    "negotiates_with": "negotiates-with",
    "member_of": "member-of",
    "leads": "leads",
    "deputy_of": "deputy-of",
    "founded": "founded",
    "sanctions": "sanctions",
}


def stix_id(kind: str, key: str) -> str:
    """Deterministic STIX id for one of watchfloor's objects."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


def _ts(value: str | None, fallback: datetime) -> datetime:
    if not value:
        return fallback
    parsed = datetime.fromisoformat(value[:10] if len(value) in (4, 7, 10) and "T" not in value else value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _day(value: str | None) -> datetime | None:
    """A (possibly month- or year-precision) date as the first instant it covers."""
    if not value:
        return None
    parts = (value + "-01-01")[:10] if len(value) < 10 else value[:10]
    return datetime.fromisoformat(parts).replace(tzinfo=UTC)


def _entity_object(e: dict[str, Any], creator: str, created: datetime) -> Any:
    refs = []
    if e.get("qid"):
        refs.append(
            {"source_name": "wikidata", "external_id": e["qid"], "url": f"https://www.wikidata.org/wiki/{e['qid']}"}
        )
    if e.get("geonames_id"):
        refs.append(
            {
                "source_name": "geonames",
                "external_id": str(e["geonames_id"]),
                "url": f"https://www.geonames.org/{e['geonames_id']}",
            }
        )
    common: dict[str, Any] = {"created": created, "modified": created, "created_by_ref": creator, "name": e["name"]}
    if refs:
        common["external_references"] = refs
    if e.get("description"):
        common["description"] = e["description"]
    kind = e["kind"]
    if kind in GROUP_KINDS:
        aliases = [a for a in e.get("aliases", []) if a != e["name"]]
        return stix2.ThreatActor(
            id=stix_id("threat-actor", e["key"]),
            threat_actor_types=["terrorist"],
            **({"aliases": aliases} if aliases else {}),
            **common,
        )
    if kind in PLACE_KINDS or e["label"] in ("GPE", "LOC"):
        place: dict[str, Any] = {}
        if e.get("latitude") is not None and e.get("longitude") is not None:
            place.update(latitude=e["latitude"], longitude=e["longitude"])
        country = e.get("country_code") or (e["countries"][0] if len(e.get("countries", [])) == 1 else None)
        if country:
            place["country"] = country
        if e.get("admin1"):
            place["administrative_area"] = e["admin1"]
        if not place:
            return None  # STIX needs a country, a region or coordinates for a location
        return stix2.Location(id=stix_id("location", e["key"]), **place, **common)
    identity_class = "individual" if kind == "person" else "organization" if kind in ORGANISATION_KINDS else "group"
    return stix2.Identity(id=stix_id("identity", e["key"]), identity_class=identity_class, **common)


def build_bundle(
    ws: Workspace, since: str | None = None, until: str | None = None, actor: str | None = None
) -> stix2.Bundle:
    """Everything in the window as one bundle (the same store gives the same bundle)."""
    snap = ws.snapshot(since, until, actor)
    documents = {d["id"]: d for d in snap["documents"]}
    first = min((_ts(d["ingested_at"], datetime.now(UTC)) for d in documents.values()), default=datetime.now(UTC))
    creator = stix2.Identity(
        id=stix_id("identity", "watchfloor"),
        name="watchfloor",
        identity_class="system",
        created=first,
        modified=first,
        description=f"Extracted by watchfloor {__version__} from the cited news reports.",
    )
    objects: list[Any] = [creator]
    by_key: dict[str, str] = {}
    by_doc: dict[str, list[str]] = {d: [] for d in documents}
    for e in snap["entities"]:
        obj = _entity_object(e, creator.id, _ts(e["first_ingested"], first))
        if obj is None:
            continue
        objects.append(obj)
        by_key[e["key"]] = obj.id
        for doc_id in e["doc_ids"]:
            by_doc[doc_id].append(obj.id)
    ctx = _Context(ws, since, until, actor, by_key, by_doc, creator.id, first)
    objects += _events(ctx)
    objects += _relations(ctx)
    objects += _claims(ctx, documents)
    for doc_id, d in documents.items():
        refs = sorted(set(by_doc[doc_id])) or [creator.id]
        ext = [{"source_name": d["publisher"] or "source", "url": d["url"]}] if d["url"] else None
        objects.append(
            stix2.Report(
                id=stix_id("report", "doc:" + doc_id),
                name=d["title"] or d["source"],
                report_types=["threat-report"],
                published=_ts(d["published"] or d["ingested_at"], first),
                created=_ts(d["ingested_at"], first),
                modified=_ts(d["ingested_at"], first),
                created_by_ref=creator.id,
                object_refs=refs,
                **({"external_references": ext} if ext else {}),
            )
        )
    return stix2.Bundle(objects=objects, id=stix_id("bundle", f"{since}|{until}|{actor}"))


@dataclass
class _Context:
    """What every part of one export shares: the window, the objects made so far, the author."""

    ws: Workspace
    since: str | None
    until: str | None
    actor: str | None
    by_key: dict[str, str]  # entity key -> STIX id
    by_doc: dict[str, list[str]]  # document id -> STIX ids its report refers to
    creator: str
    first: datetime


def _sources_refs(sources: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "source_name": "watchfloor",
            "external_id": f"{s['doc_id']}:{s['start']}-{s['end']}",
            "description": " ".join(str(s.get("text", "")).split())[:500],
        }
        for s in sources
    ]


def _event_notes(ev: dict[str, Any], figures: str) -> list[str]:
    weapon = f"weapon: {ev['weapon']}" if ev["weapon"] else ""
    return [f"target: {ev['target_type']}", weapon, figures, "historical background" if ev["is_background"] else ""]


def _events(ctx: _Context) -> list[Any]:
    ws, since, until, actor = ctx.ws, ctx.since, ctx.until, ctx.actor
    by_key, by_doc, creator, first = ctx.by_key, ctx.by_doc, ctx.creator, ctx.first
    out: list[Any] = []
    for ev in ws.events(actor, None, since, until, None, True, 100000, 0, "date ASC"):
        kind = ev["attack_type"] if ev["event_type"] == "attack" else ev["event_type"]
        figures = ", ".join(
            f"{n}: {ev[n] if ev[n] is not None else ev[n + '_low']}"
            for n in ("killed", "wounded")
            if ev[n] is not None or ev[n + "_low"] is not None
        )
        name = f"{kind} — {ev['place'] or ev['country'] or 'unknown place'}, {ev['date'] or 'undated'}"
        incident = stix2.Incident(
            id=stix_id("incident", f"event:{ev['id']}:{ev['event_type']}:{ev['date']}"),
            name=name,
            description="; ".join(x for x in _event_notes(ev, figures) if x),
            created=first,
            modified=first,
            created_by_ref=creator,
            external_references=_sources_refs(ev["sources"]),
        )
        made: list[Any] = [incident]
        links = []
        if ev["perpetrator_key"] in by_key:
            links.append(("attributed-to", by_key[ev["perpetrator_key"]], ev["perpetrator_status"]))
        if ev["place_key"] in by_key:
            links.append(("located-at", by_key[ev["place_key"]], None))
        for rel_type, target, status in links:
            made.append(
                stix2.Relationship(
                    id=stix_id("relationship", f"{incident.id}|{rel_type}|{target}"),
                    relationship_type=rel_type,
                    source_ref=incident.id,
                    target_ref=target,
                    created=first,
                    modified=first,
                    created_by_ref=creator,
                    **({"description": f"perpetrator status: {status}"} if status else {}),
                    **({"start_time": _day(ev["date"])} if ev["date"] else {}),
                )
            )
        out += made
        for s in ev["sources"]:
            by_doc.setdefault(s["doc_id"], []).extend(o.id for o in made)
    return out


def _relations(ctx: _Context) -> list[Any]:
    ws, since, until, actor = ctx.ws, ctx.since, ctx.until, ctx.actor
    by_key, by_doc, creator, first = ctx.by_key, ctx.by_doc, ctx.creator, ctx.first
    out: list[Any] = []
    for r in ws.relations(actor, None, since, until, 1, 100000, 0):
        source, target = _ref(ws, by_key, r["subject_entity_id"]), _ref(ws, by_key, r["object_entity_id"])
        if source is None or target is None:
            continue
        start, stop = _day(r["valid_from"]), _day(r["valid_to"])
        flags = (("negated", r["negated"]), ("hedged", r["hedged"]), ("sources disagree", r["contradicted"]))
        notes = [f"{r['n_sources']} source(s)", *(n for n, on in flags if on)]
        rel = stix2.Relationship(
            id=stix_id("relationship", f"{source}|{r['predicate']}|{target}"),
            relationship_type=RELATIONSHIP_TYPES[r["predicate"]],
            source_ref=source,
            target_ref=target,
            description=f"watchfloor predicate {r['predicate']}; " + ", ".join(notes),
            created=_ts(r["first_seen"], first),
            modified=_ts(r["last_seen"], first),
            created_by_ref=creator,
            external_references=_sources_refs(r["sources"]),
            **({"start_time": start} if start else {}),
            **({"stop_time": stop} if stop and (not start or stop > start) else {}),
        )
        out.append(rel)
        for s in r["sources"]:
            by_doc.setdefault(s["doc_id"], []).append(rel.id)
    return out


def _ref(ws: Workspace, by_key: dict[str, str], entity_id: int) -> str | None:
    key = ws.entity_key(entity_id)
    return by_key.get(key) if key else None


def _claims(ctx: _Context, documents: dict[str, Any]) -> list[Any]:
    ws, since, actor = ctx.ws, ctx.since, ctx.actor
    by_key, by_doc, creator, first = ctx.by_key, ctx.by_doc, ctx.creator, ctx.first
    out: list[Any] = []
    for c in ws.claims(None, actor, None, since, 100000, 0):
        if c["doc_id"] not in documents:
            continue
        refs = sorted({by_key[a["key"]] for a in c["about"] if a["key"] in by_key})
        refs = refs or [stix_id("report", "doc:" + c["doc_id"])]
        band = c["probability_band"]
        stamp = _ts(documents[c["doc_id"]]["ingested_at"], first)
        note = stix2.Note(
            id=stix_id("note", f"claim:{c['doc_id']}:{c['start']}:{c['end']}"),
            abstract=f"{c['kind']} by {c['speaker']}" + (f" ({c['speaker_role']})" if c["speaker_role"] else ""),
            content=c["text"],
            authors=[c["speaker"] or "unknown"],
            object_refs=refs,
            created=stamp,
            modified=stamp,
            created_by_ref=creator,
            external_references=_sources_refs(c["sources"]),
            **({"confidence": round(100 * (band[0] + band[1]) / 2)} if band else {}),
        )
        out.append(note)
        by_doc.setdefault(c["doc_id"], []).append(note.id)
    return out


def validate(bundle: stix2.Bundle) -> tuple[list[str], list[str]]:
    """stix2-validator's errors and warnings for the bundle (both empty when it is clean)."""
    from stix2validator import ValidationOptions, validate_instance

    result = validate_instance(json.loads(bundle.serialize()), ValidationOptions(strict=False))
    return [str(e) for e in result.errors], [str(w) for w in result.warnings]
