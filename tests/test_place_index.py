"""The place index on disk (SQLite) answers exactly like the index built in memory."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pytest

from watchfloor.link.placedb import open_place_db, read_meta, write_place_db
from watchfloor.link.places import Place, PlaceIndex, _build, load_place_index


def _place(key: str, kind: str, cc: str, pop: int, admin1: str | None = None) -> Place:
    lat = None if kind == "admin1" else 1.5
    return Place(key, key.split(":")[1], kind, cc, None if kind == "admin1" else 7, lat, lat, admin1, pop)


def small_index() -> PlaceIndex:
    """Namesakes in several countries, a city and province of one name, equal populations (ties)."""
    kabul = _place("geo:1", "city", "AF", 3_000_000, "AF-KAB")
    hyderabad_in = _place("geo:2", "city", "IN", 6_000_000)
    hyderabad_pk = _place("geo:3", "city", "PK", 1_500_000)
    kandahar = _place("geo:4", "city", "AF", 400_000, "AF-KAN")
    twin_a = _place("geo:5", "city", "FR", 60_000)
    twin_b = _place("geo:6", "city", "BE", 60_000)
    return PlaceIndex(
        countries={
            "afghanistan": _place("country:AF", "country", "AF", 1),
            "france": _place("country:FR", "country", "FR", 1),
        },
        admin1={"kandahar": [_place("adm1:AF-KAN", "admin1", "AF", 1_000_000, "AF-KAN")]},
        cities={
            "kabul": [kabul],
            "hyderabad": [hyderabad_in, hyderabad_pk],
            "kandahar": [kandahar],
            "twin": [twin_a, twin_b],
        },
    )


QUERIES = ["Kabul", "Hyderabad", "Kandahar", "Kandahar province", "twin", "Afghanistan", "France", "Atlantis", ""]
COUNTRY_SETS: list[set[str]] = [set(), {"PK"}, {"AF"}, {"BE"}, {"FR", "BE"}]


def same_answers(a: PlaceIndex, b: PlaceIndex, names: list[str]) -> None:
    for name in names:
        assert b.candidates(name) == a.candidates(name), name
        for countries in COUNTRY_SETS:
            assert b.resolve(name, countries) == a.resolve(name, countries), (name, countries)


def test_the_file_answers_like_the_dicts_it_was_written_from(tmp_path: Path) -> None:
    index = small_index()
    write_place_db(index, tmp_path / "p.sqlite")
    stored = open_place_db(tmp_path / "p.sqlite")
    same_answers(index, stored, QUERIES)
    for table in ("countries", "admin1", "cities"):
        mine, theirs = getattr(index, table), getattr(stored, table)
        assert dict(theirs.items()) == dict(mine.items())
        assert len(theirs) == len(mine) and "atlantis" not in theirs and theirs.get("atlantis") is None
    assert stored.resolve("twin", {"FR", "BE"}) == index.cities["twin"][0]  # ties go to the first, as in memory


def test_the_file_is_written_deterministically(tmp_path: Path) -> None:
    first = write_place_db(small_index(), tmp_path / "a.sqlite", {"index_version": "x"})
    second = write_place_db(small_index(), tmp_path / "b.sqlite", {"index_version": "x"})
    assert first == second == read_meta(tmp_path / "a.sqlite")["content_sha256"]
    changed = small_index()
    changed.cities["kabul"].append(_place("geo:9", "city", "AF", 10))
    assert write_place_db(changed, tmp_path / "c.sqlite") != first


def test_the_digest_does_not_depend_on_the_order_the_builder_filled_its_dicts(tmp_path: Path) -> None:
    index = small_index()
    reordered = PlaceIndex(
        dict(reversed(list(index.countries.items()))),
        dict(reversed(list(index.admin1.items()))),
        dict(reversed(list(index.cities.items()))),
    )
    assert write_place_db(index, tmp_path / "a.sqlite") == write_place_db(reordered, tmp_path / "b.sqlite")
    assert (tmp_path / "a.sqlite").read_bytes() == (tmp_path / "b.sqlite").read_bytes()


def test_an_opened_index_survives_pickling_for_worker_processes(tmp_path: Path) -> None:
    write_place_db(small_index(), tmp_path / "p.sqlite")
    stored = open_place_db(tmp_path / "p.sqlite")
    stored.resolve("Kabul", set())  # opens the connection, which is not pickled
    copy = pickle.loads(pickle.dumps(stored))
    same_answers(stored, copy, QUERIES)


def test_a_file_that_is_not_an_index_has_no_meta(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 100)
    assert read_meta(junk) == {}


@pytest.fixture(scope="module")
def built_in_memory() -> PlaceIndex:
    return _build()


def test_the_cached_index_answers_like_a_fresh_build(built_in_memory: PlaceIndex) -> None:
    cached = load_place_index()
    assert not isinstance(cached.cities, dict), "the cached index should be the SQLite one"
    rng = random.Random(18)
    sample = [*QUERIES, "Jalalabad", "Nangarhar province", "Peshawar", "Solingen", "Moscow", "Mogadishu"]
    for table in (built_in_memory.countries, built_in_memory.admin1, built_in_memory.cities):
        names = sorted(table)
        sample += rng.sample(names, min(300, len(names)))
    same_answers(built_in_memory, cached, sample)
    assert len(cached.cities) == len(built_in_memory.cities)
