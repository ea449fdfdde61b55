"""Property-based tests (hypothesis): the decoders, date resolution, casualty numbers and the full-text query
builder never raise on any input and always answer the promised types. Bounded: a few hundred examples in all,
derandomised so CI runs the same cases every time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watchfloor.errors import UserError
from watchfloor.extract.casualties import extract_casualties
from watchfloor.extract.numbers import Amount, parse_amount, parse_cardinal
from watchfloor.ingest.decode import decode_text, looks_binary, mostly_utf8
from watchfloor.link.temporal import Resolved, resolve
from watchfloor.store.sqlite import SQLiteRepository, _fts_query, open_store

FAST = settings(max_examples=150, deadline=None, derandomize=True)
SLOW = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip

# -- decoders --------------------------------------------------------------------------------------------------
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1252", "latin-1", "koi8-r", "utf-8-sig"])


@FAST
@given(st.binary(max_size=4000))
def test_decoding_any_bytes_gives_text_or_a_value_error(data: bytes) -> None:
    assert isinstance(looks_binary(data), bool) and isinstance(mostly_utf8(data), bool)
    try:
        text, encoding = decode_text(data)
    except ValueError:
        return
    assert isinstance(text, str) and isinstance(encoding, str) and encoding


@FAST
@given(st.text(max_size=600), ENCODINGS)
def test_text_that_was_encoded_decodes_without_raising(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        decoded, _ = decode_text(data)
    except ValueError:
        return  # control characters make it look binary: refused, not a crash
    assert isinstance(decoded, str)
    if encoding == "utf-8" and not looks_binary(data):
        assert decoded == text  # valid UTF-8 is never second-guessed


@FAST
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2FFF), min_size=40, max_size=400),
       st.integers(min_value=0, max_value=10_000))  # fmt: skip
def test_utf8_with_one_bad_byte_keeps_its_other_characters(text: str, where: int) -> None:
    multibyte = sum(1 for c in text if c > "\x7f")
    data = text.encode("utf-8")
    # insert at a character boundary so only the inserted byte is invalid
    cut = len(text[: where % (len(text) + 1)].encode("utf-8"))
    damaged = data[:cut] + b"\xff" + data[cut:]
    decoded, encoding = decode_text(damaged)
    if multibyte >= 4:
        assert encoding == "utf-8" and decoded.replace("\ufffd", "", 1) == text


# -- dates -----------------------------------------------------------------------------------------------------
DATE_WORDS = st.sampled_from(
    ["on Friday", "last month", "Oct. 12", "in March 2024", "this year", "two days ago", "last week", "5 September",
     "the 1990s", "early 2021", "mid-June", "yesterday", "the past decade", "2019", "12/11/2023", "Sept. 31",
     "Feb 29", "on the 31st", "next Tuesday", "0", "9999", "32 May 2020"]
)  # fmt: skip
BASES = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))


@FAST
@given(st.one_of(DATE_WORDS, st.text(max_size=40)), BASES, st.booleans())
def test_date_resolution_never_raises_and_answers_a_resolved_or_none(text: str, base: dt.date | None,
                                                                     bound: bool) -> None:  # fmt: skip
    found = resolve(text, base, bound=bound)
    if found is None:
        return
    assert isinstance(found, Resolved) and found.precision in ("day", "month", "year")
    assert isinstance(found.first_day, dt.date) and found.date[:4].isdigit()
    assert found.date == found.first_day.isoformat()[: len(found.date)]
    if base is not None and not bound and found.precision == "day" and "ago" in text.lower():
        assert found.first_day <= base  # "N days ago" is never after the document


# -- numbers and casualties ------------------------------------------------------------------------------------
NUMBER_TEXT = st.one_of(
    st.integers(min_value=0, max_value=10**7).map(str),
    st.integers(min_value=0, max_value=10**7).map(lambda n: f"{n:,}"),
    st.sampled_from(["forty-seven", "two dozen", "a hundred", "dozens", "three hundred and six", "one million"]),
    st.text(alphabet="0123456789,- ", max_size=30),
    st.text(max_size=30),
    st.text(alphabet="9", min_size=4000, max_size=6000),  # past Python's int-from-string digit limit
)
QUALIFIER = st.sampled_from(["", "at least ", "more than ", "nearly ", "about ", "between 3 and ", "up to ", "some "])


@FAST
@given(QUALIFIER, NUMBER_TEXT)
def test_amounts_are_ints_with_ordered_bounds_or_none(qualifier: str, number: str) -> None:
    n = parse_cardinal(number)
    assert n is None or (isinstance(n, int) and n >= 0)
    amount = parse_amount(qualifier + number)
    if amount is None:
        return
    assert isinstance(amount, Amount)
    for part in (amount.value, amount.low, amount.high):
        assert part is None or (isinstance(part, int) and part >= 0)


SENTENCES = st.builds(
    lambda q, n, m, year: f"In {year}, a bomb killed {q}{n} people and wounded {m} others, police said.",
    QUALIFIER, st.integers(min_value=1, max_value=5000).map(str), st.integers(min_value=1, max_value=5000),
    st.integers(min_value=1990, max_value=2030),
)  # fmt: skip


@pytest.fixture(scope="module")
def sentence_nlp(nlp: Any) -> Any:
    return nlp


@SLOW
@given(st.one_of(SENTENCES, st.text(max_size=200)))
def test_casualties_are_counts_never_years(sentence_nlp: Any, text: str) -> None:
    doc = sentence_nlp(text)
    for sent in doc.sents:
        found = extract_casualties(sent)
        for amount in (found.killed, found.wounded):
            if amount is None:
                continue
            parts = [p for p in (amount.value, amount.low, amount.high) if p is not None]
            assert all(isinstance(p, int) and p >= 0 for p in parts)
            if text.startswith("In ") and "a bomb killed" in text:
                year = int(text[3:7])
                assert year not in parts or str(year) in text[8:], (text, amount)


# -- the full-text query builder -------------------------------------------------------------------------------
QUERY = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(['Talib*', '"suicide bomber"', "OR", "AND", "NOT", "*", '"', "NEAR(", ")", "^x", "a:b",
                              "ISIS-K", "-", "''", "\\", "\x00", "col:", "{title}", "Kabul"]),
             max_size=6).map(" ".join),
)  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteRepository:
    repo = open_store(Path(tmp_path_factory.mktemp("fts")) / "fts.db")
    return repo


@FAST
@given(QUERY)
def test_the_fts_query_is_a_string_or_a_user_error(query: str) -> None:
    try:
        built = _fts_query(query)
    except UserError:
        return
    assert isinstance(built, str) and built


@SLOW
@given(QUERY)
def test_search_never_raises_anything_but_a_user_error(store: SQLiteRepository, query: str) -> None:
    try:
        hits = store.search(query)
    except UserError as exc:
        assert "\n" not in str(exc)  # one line for the user
        return
    assert isinstance(hits, list)
