"""One MISP event (JSON, built with PyMISP) that keeps the attacks MISP's STIX import drops.

misp-stix, which MISP uses to import STIX 2.1, has no mapping for ``incident`` objects, so a MISP user
importing watchfloor's STIX bundle loses every attack. This export writes MISP's own format instead:
each event becomes an ``event`` object (MISP's template for an occurrence, from the STIX 2.1 incident
extension) with its date and precision, type, casualties, perpetrator and sources; places become
``geolocation`` objects and actors ``organization`` or ``person`` objects, linked by object references.
:func:`misp_event` is pure (store rows in, a dict out); :func:`build_misp` reads the rows from a store.
UUIDs are UUIDv5 of watchfloor's keys within the export's window, so re-exporting the same window gives
the same file and MISP sees the same event, objects and attributes again.
"""

from __future__ import annotations

import calendar
import copy
import functools
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pymisp import MISPEvent, MISPObject

from watchfloor.export.stix import GROUP_KINDS, NAMESPACE
from watchfloor.workspace import Workspace

TLP_LEVELS = ("clear", "green", "amber", "amber+strict", "red")
SOURCE_TYPE_TAG = 'osint:source-type="news-report"'
# What MISP's ``event`` template has no slot for, added to it with a MISP attribute type each (MISP checks
# an object against its template only for required and non-repeatable relations, so these import as they are).
ATTACK_EXTRAS: dict[str, dict[str, Any]] = {
    "killed": {"misp-attribute": "counter", "description": "People killed (the lower bound when a range).",
               "ui-priority": 1},
    "wounded": {"misp-attribute": "counter", "description": "People wounded (the lower bound when a range).",
                "ui-priority": 1},
    "perpetrator": {"misp-attribute": "text", "categories": ["Attribution", "Other"],
                    "description": "Who carried it out; the comment says claimed, attributed or suspected.",
                    "ui-priority": 1},
    "link": {"misp-attribute": "link", "multiple": True, "description": "A source article; the comment holds "
             "its evidence sentence and the watchfloor span.", "ui-priority": 1},
    "source": {"misp-attribute": "text", "multiple": True, "description": "A source without a URL; the comment "
               "holds its evidence sentence and the watchfloor span.", "ui-priority": 1},
}  # fmt: skip
FIDELITIES = ("day", "month", "year")  # watchfloor date precisions, all MISP fidelities too


@dataclass
class MispRows:
    """What one MISP export is made of, read from the store by :func:`gather`."""

    window: str  # "since|until|actor": the export's identity (its UUIDs derive from it)
    scope: str  # the window in words, for the event title
    events: list[dict[str, Any]]
    documents: dict[str, dict[str, Any]]  # doc id -> title, url, publisher, published, ingested_at
    actors: dict[str, dict[str, Any]] = field(default_factory=dict)  # entity key -> entity row


def gather(ws: Workspace, since: str | None = None, until: str | None = None, actor: str | None = None) -> MispRows:
    """The events, documents and actors of one window (armed groups mentioned, and every perpetrator)."""
    snap = ws.snapshot(since, until, actor)
    documents = {d["id"]: d for d in snap["documents"]}
    events = ws.events(actor, None, since, until, None, True, 1_000_000, 0, "date ASC")
    entities = {e["key"]: e for e in snap["entities"]}
    actors = {k: e for k, e in entities.items() if e["kind"] in GROUP_KINDS}
    for ev in events:
        key = ev["perpetrator_key"]
        if key and key not in actors:
            found = entities.get(key) or ws.lookup(key)
            if found:
                actors[key] = found
        for s in ev["sources"]:
            if s["doc_id"] not in documents:
                doc = ws.document(s["doc_id"])
                documents[s["doc_id"]] = {k: doc.get(k) for k in ("id", "title", "url", "publisher", "published",
                                                                  "source", "ingested_at")}  # fmt: skip
    named = ws.lookup(actor) if actor else None
    words = [f"about {named['name'] if named else actor}" if actor else "",
             f"since {since}" if since else "", f"until {until}" if until else ""]  # fmt: skip
    scope = " ".join(w for w in words if w) or "whole store"
    return MispRows(f"{since}|{until}|{actor}", scope, events, documents, actors)


def build_misp(
    ws: Workspace, since: str | None = None, until: str | None = None, actor: str | None = None, tlp: str = "clear"
) -> dict[str, Any]:
    """The store's window as one MISP event, ready for ``json.dumps``."""
    return misp_event(gather(ws, since, until, actor), tlp)


def misp_event(rows: MispRows, tlp: str = "clear") -> dict[str, Any]:
    """One MISP event (``{"Event": {...}}``) from the rows: attacks, places, actors, TLP and source tags."""
    if tlp not in TLP_LEVELS:
        raise ValueError(f"TLP {tlp!r}: use one of {', '.join(TLP_LEVELS)}")
    event = MISPEvent()
    event.uuid = str(uuid.uuid5(NAMESPACE, "misp-event|" + rows.window))
    event.info = f"watchfloor: {len(rows.events)} attacks and security events from news reports ({rows.scope})"
    event.date = date.fromisoformat(_latest_day(rows))
    event.distribution = 0  # this organisation only: sharing is the analyst's decision, in MISP
    event.threat_level_id = 4  # undefined
    event.analysis = 0  # initial: machine-extracted, for an analyst to review
    event.add_tag(f"tlp:{tlp}")
    event.add_tag(SOURCE_TYPE_TAG)
    build = _Builder(event, rows)
    for ev in rows.events:
        build.attack(ev)
    for key in sorted(rows.actors):
        build.actor(key)
    for name in sorted(build.perpetrator_tags):
        event.add_tag(name)
    return {"Event": json.loads(event.to_json())}


def _latest_day(rows: MispRows) -> str:
    published = [d["published"][:10] for d in rows.documents.values() if d.get("published")]
    ingested = [d["ingested_at"][:10] for d in rows.documents.values() if d.get("ingested_at")]
    return str(max(published or ingested or [datetime.now(UTC).date().isoformat()]))


def galaxy_tag(name: str) -> str:
    """The MISP threat-actor galaxy tag for a group (a plain tag where MISP's galaxy has no such cluster)."""
    return 'misp-galaxy:threat-actor="{}"'.format(name.replace('"', "'"))


@functools.cache
def _attack_template() -> dict[str, Any]:
    """MISP's ``event`` object template plus :data:`ATTACK_EXTRAS` (same template uuid and version)."""
    base = MISPObject("event").misp_objects_path / "event" / "definition.json"
    template = json.loads(base.read_text("utf-8"))
    template["attributes"].update(copy.deepcopy(ATTACK_EXTRAS))
    return template  # type: ignore[no-any-return]


def _span(value: str | None) -> tuple[datetime, datetime] | None:
    """The first and last instant a (day, month or year precision) ISO date covers."""
    if not value:
        return None
    year = int(value[:4])
    month = int(value[5:7]) if len(value) >= 7 else None
    day = int(value[8:10]) if len(value) >= 10 else None
    first = datetime(year, month or 1, day or 1, tzinfo=UTC)
    last_month = month or 12
    last_day = day or calendar.monthrange(year, last_month)[1]
    return first, datetime(year, last_month, last_day, 23, 59, 59, tzinfo=UTC)


def _figure(ev: dict[str, Any], what: str) -> tuple[int, str] | None:
    """The number MISP gets (the exact figure, else the lower bound) and the figure in words."""
    exact, low, high = ev[what], ev[f"{what}_low"], ev[f"{what}_high"]
    if exact is not None:
        return int(exact), str(exact)
    if low is not None:
        return int(low), f"between {low} and {high}" if high is not None else f"at least {low}"
    return None


class _Builder:
    """Adds objects to one MISP event, each place and actor once, with UUIDs derived from the window."""

    def __init__(self, event: MISPEvent, rows: MispRows) -> None:
        self.event = event
        self.rows = rows
        self.places: dict[str, MISPObject] = {}
        self.actors: dict[str, MISPObject] = {}
        self.perpetrator_tags: set[str] = set()

    def uid(self, *parts: object) -> str:
        return str(uuid.uuid5(NAMESPACE, "|".join(["misp", self.rows.window, *map(str, parts)])))

    def add(self, obj: MISPObject, key: str, comment: str) -> MISPObject:
        obj.uuid = self.uid(key)
        obj.comment = comment
        for i, attribute in enumerate(obj.attributes):
            attribute.uuid = self.uid(key, attribute.object_relation, i)
        self.event.add_object(obj)
        return obj

    def attack(self, ev: dict[str, Any]) -> None:
        obj = MISPObject("event", standalone=False, misp_objects_template_custom=_attack_template())
        kind = str(ev["attack_type"] if ev["event_type"] == "attack" and ev["attack_type"] else ev["event_type"])
        where = ev["place"] or ev["country"] or "unknown place"
        obj.add_attribute("name", f"{kind.replace('_', ' ')} — {where}, {ev['date'] or 'undated'}")
        for value in dict.fromkeys(v for v in (ev["event_type"], ev["attack_type"]) if v):
            obj.add_attribute("event_type", value)
        obj.add_attribute("status", "occurred")
        span = _span(ev["date"])
        if span:
            obj.add_attribute("start_time", span[0].isoformat())
            obj.add_attribute(
                "start_time_fidelity", ev["date_precision"] if ev["date_precision"] in FIDELITIES else "day"
            )
            obj.first_seen, obj.last_seen = span
        obj.add_attribute("description", _description(ev, kind, where))
        for what in ("killed", "wounded"):
            figure = _figure(ev, what)
            if figure:
                disagree = "; sources give different figures" if ev.get("figures_disagree") else ""
                obj.add_attribute(what, figure[0], comment=f"{what}: {figure[1]}{disagree}")
        perpetrator = self.rows.actors.get(ev["perpetrator_key"] or "")
        if ev["perpetrator"]:
            group = bool(perpetrator and perpetrator["kind"] in GROUP_KINDS)
            name = perpetrator["name"] if perpetrator else ev["perpetrator"]
            attribute = obj.add_attribute(
                "perpetrator", name, type="threat-actor" if group else "text",
                category="Attribution", comment=f"perpetrator status: {ev['perpetrator_status']}",
            )  # fmt: skip
            if group and attribute is not None:
                attribute.add_tag(galaxy_tag(name))
                self.perpetrator_tags.add(galaxy_tag(name))
        self.sources(obj, ev["sources"])
        self.add(obj, f"event:{ev['id']}:{ev['event_type']}:{ev['date']}", f"watchfloor event {ev['id']}")
        place = self.place(ev)
        if place is not None:
            obj.add_reference(place.uuid, "located-at", uuid=self.uid(obj.uuid, "located-at"))
        if perpetrator is not None:
            obj.add_reference(self.actor(ev["perpetrator_key"]).uuid, "attributed-to", uuid=self.uid(obj.uuid, "by"),
                              comment=f"perpetrator status: {ev['perpetrator_status']}")  # fmt: skip

    def sources(self, obj: MISPObject, sources: list[dict[str, Any]]) -> None:
        """One ``link`` (or ``source`` when the document has no URL) per document, its sentences as comment."""
        by_doc: dict[str, list[dict[str, Any]]] = {}
        for s in sources:
            by_doc.setdefault(s["doc_id"], []).append(s)
        for doc_id, cited in by_doc.items():
            doc = self.rows.documents.get(doc_id, {})
            quotes = " … ".join(f"“{' '.join(str(s['text']).split())[:500]}”" for s in cited)
            spans = ", ".join(f"{doc_id}:{s['start']}-{s['end']}" for s in cited)
            about = "; ".join(str(x) for x in (doc.get("title"), doc.get("publisher"), doc.get("published")) if x)
            comment = f"{quotes} ({about + '; ' if about else ''}watchfloor evidence {spans})"
            if doc.get("url"):
                obj.add_attribute("link", doc["url"], comment=comment)
            else:
                obj.add_attribute("source", doc.get("title") or f"watchfloor document {doc_id}", comment=comment)

    def place(self, ev: dict[str, Any]) -> MISPObject | None:
        key = ev["place_key"] or (f"named:{ev['place']}|{ev['country']}" if ev["place"] else None)
        if key is None or not (ev["country"] or ev["latitude"] is not None):
            return None  # a geolocation needs coordinates or a country; the name stays in the event's name
        if key not in self.places:
            obj = MISPObject("geolocation", standalone=False)
            if ev["place"]:
                obj.add_attribute("text", ev["place"])
            if ev["country"]:
                obj.add_attribute("countrycode", ev["country"])
            if ev["latitude"] is not None and ev["longitude"] is not None:
                obj.add_attribute("latitude", ev["latitude"])
                obj.add_attribute("longitude", ev["longitude"])
            self.places[key] = self.add(obj, "place:" + key, f"watchfloor place {key}")
        return self.places[key]

    def actor(self, key: str) -> MISPObject:
        if key in self.actors:
            return self.actors[key]
        e = self.rows.actors[key]
        aliases = sorted({a for a in e.get("aliases") or [] if a != e["name"]})
        notes = [e.get("description") or "", f"Wikidata {e['qid']}." if e.get("qid") else ""]
        if e["kind"] == "person":
            obj = MISPObject("person", standalone=False)
            obj.add_attribute("full-name", e["name"])
            obj.add_attributes("alias", *aliases)
            if any(notes):
                obj.add_attribute("text", " ".join(n for n in notes if n))
        else:
            obj = MISPObject("organization", standalone=False)
            name = obj.add_attribute("name", e["name"])
            if e["kind"] in GROUP_KINDS and name is not None:
                name.add_tag(galaxy_tag(e["name"]))
            obj.add_attributes("alias", *aliases)
            if any(notes):
                obj.add_attribute("description", " ".join(n for n in notes if n))
            obj.add_attribute("type-of-organization", str(e["kind"]).replace("_", " "))
        self.actors[key] = self.add(obj, "entity:" + key, f"watchfloor entity {key}")
        return self.actors[key]


def _description(ev: dict[str, Any], kind: str, where: str) -> str:
    country = f" ({ev['country']})" if ev["country"] and ev["country"] != where else ""
    parts = [f"{kind.replace('_', ' ').capitalize()} in {where}{country}, {ev['date'] or 'undated'}."]
    if ev["perpetrator"]:
        parts.append(f"Perpetrator: {ev['perpetrator']} ({ev['perpetrator_status']}).")
    if ev["target"] or ev["target_type"]:
        parts.append(f"Target: {ev['target'] or ev['target_type']}"
                     + (f" ({ev['target_type'].replace('_', ' ')})." if ev["target_type"] else "."))  # fmt: skip
    if ev["weapon"]:
        parts.append(f"Weapon: {ev['weapon'].replace('_', ' ')}" + (", suicide attack." if ev["suicide"] else "."))
    for what in ("killed", "wounded"):
        figure = _figure(ev, what)
        if figure:
            parts.append(f"{what.capitalize()}: {figure[1]}.")
    if ev.get("figures_disagree"):
        parts.append("Sources give different figures.")
    if ev["is_background"]:
        parts.append("A past event mentioned as background in later reporting.")
    parts.append(f"{ev.get('n_sources', len(ev['sources']))} source(s); extracted by watchfloor.")
    return " ".join(parts)
