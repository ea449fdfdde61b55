"""What extractors need to know about a linked entity: its kind and country."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from watchfloor.extract.events import EntityInfo, InfoLookup
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.models import EntityRecord


def entity_info(gazetteer: Gazetteer, discovered: Iterable[EntityRecord]) -> InfoLookup:
    """Lookup over the gazetteer and the entities the linker found in this document."""
    by_key = gazetteer.by_key
    extra = {e.key: e for e in discovered}

    def info(key: str) -> EntityInfo | None:
        entry = by_key.get(key)
        if entry is not None:
            rec = entry.record
            return EntityInfo(rec.kind, rec.country_code or (rec.countries[0] if rec.countries else None), entry.parent)
        found = extra.get(key)
        if found is not None:
            return EntityInfo(found.kind, found.country_code)
        if key.startswith("country:"):
            return EntityInfo("state", key.split(":", 1)[1])
        return None

    return info


def kind_lookup(info: InfoLookup) -> Callable[[str], str | None]:
    """Entity kind by key (what the claims extractor needs of an entity)."""

    def kind_of(key: str) -> str | None:
        found = info(key)
        return found.kind if found else None

    return kind_of
