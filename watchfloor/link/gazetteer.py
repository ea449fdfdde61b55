"""The curated actor gazetteer (data/gazetteer/actors.yaml) and user extensions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import yaml

from watchfloor.errors import UserError
from watchfloor.link.normalize import norm_name
from watchfloor.models import EntityRecord

KINDS = {
    "armed_group",
    "person",
    "state",
    "government_body",
    "security_service",
    "military",
    "international_org",
    "political_party",
    "media_outlet",
    "place",
}
LABELS = {"ORG", "PERSON", "GPE", "LOC", "NORP", "FAC"}


@dataclass(frozen=True)
class GazetteerEntry:
    record: EntityRecord
    case_sensitive_aliases: tuple[str, ...]
    parent: str | None
    died: int | None = None  # a person's year of death: later speech is by a living namesake


@dataclass(frozen=True)
class Gazetteer:
    entries: tuple[GazetteerEntry, ...]
    fingerprint: str

    @cached_property  # read for every document; the entries never change
    def by_key(self) -> dict[str, GazetteerEntry]:
        return {e.record.key: e for e in self.entries}

    def alias_index(self) -> dict[str, str]:
        """Normalised alias -> entity key (aliases are unique across entries)."""
        index: dict[str, str] = {}
        for entry in self.entries:
            for alias in (entry.record.name, *entry.record.aliases):
                if alias not in entry.case_sensitive_aliases:
                    index.setdefault(norm_name(alias), entry.record.key)
        return index


def _parse(text: str, origin: str) -> list[GazetteerEntry]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UserError(f"{origin}: not valid YAML ({exc}); fix the file") from exc
    if not isinstance(data, list):
        raise UserError(f"{origin}: expected a list of actor entries")
    entries = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not item.get("id") or not item.get("name"):
            raise UserError(f"{origin}: entry {i} needs at least 'id' and 'name'")
        kind = item.get("kind", "armed_group")
        label = item.get("label", "PERSON" if kind == "person" else "ORG")
        if kind not in KINDS or label not in LABELS:
            raise UserError(f"{origin}: entry {item['id']!r} has unknown kind {kind!r} or label {label!r}")
        record = EntityRecord(
            key=str(item["id"]),
            name=str(item["name"]),
            kind=kind,
            label=label,
            aliases=tuple(str(a) for a in item.get("aliases") or ()),
            qid=item.get("qid") or None,
            description=item.get("description"),
            countries=tuple(item.get("countries") or ()),
            source="gazetteer",
        )
        entries.append(
            GazetteerEntry(
                record=record,
                case_sensitive_aliases=tuple(str(a) for a in item.get("ambiguous_aliases") or ()),
                parent=item.get("parent"),
                died=_year(item.get("died"), origin, str(item["id"])),
            )
        )
    return entries


def _year(value: object, origin: str, key: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and 1000 <= value <= 2100:
        return value
    raise UserError(f"{origin}: entry {key!r} has died {value!r}; give a four-digit year")


@lru_cache(maxsize=4)
def load_gazetteer(extra: Path | None = None) -> Gazetteer:
    """The shipped gazetteer, plus a user file whose entries override shipped ones by id."""
    text = (resources.files("watchfloor") / "data/gazetteer/actors.yaml").read_text("utf-8")
    entries = {e.record.key: e for e in _parse(text, "gazetteer")}
    digest = hashlib.sha256(text.encode())
    if extra is not None:
        try:
            extra_text = extra.read_text("utf-8")
        except OSError as exc:
            raise UserError(f"cannot read gazetteer {extra} ({exc.strerror})") from exc
        for entry in _parse(extra_text, str(extra)):
            entries[entry.record.key] = entry
        digest.update(extra_text.encode())
    return Gazetteer(tuple(entries.values()), digest.hexdigest()[:16])
