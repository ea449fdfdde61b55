"""A word list as a trie-shaped regex finds exactly what the plain alternation finds."""

from __future__ import annotations

import random
import re
from importlib import resources

import pytest
import yaml

from watchfloor.nlp.phrases import alternation, word_pattern

TEXT = (
    "In the coming months the group will likely try again. It won't stop; it'll grow. Sooner or later, "
    "the willing WILL act. Officials expected to meet in the future, IN THE COMING weeks, said they "
    "expect nothing. Will's will is a will-o'-the-wisp; the will is ’will’ too.\n"
    "I think we must act. Frankly, this is an appalling, shameful failure -- a disaster, arguably."
)


def _plain(phrases: list[str], boundary: str = r"\w'’") -> re.Pattern[str]:
    body = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![{boundary}])(?:{body})(?![{boundary}])", re.I)


def _lexicon_lists() -> list[list[str]]:
    spec = yaml.safe_load((resources.files("watchfloor") / "data/lexicons/author_claims.yaml").read_text("utf-8"))
    return [[str(w) for w in v] for v in spec.values() if isinstance(v, list) and v and isinstance(v[0], str)]


def test_shipped_lexicons_match_the_same_spans_as_the_plain_alternation() -> None:
    lists = _lexicon_lists()
    assert len(lists) >= 5
    found = 0
    for phrases in lists:
        ours, plain = word_pattern(phrases), _plain(phrases)
        for line in TEXT.splitlines():
            assert [m.span() for m in ours.finditer(line)] == [m.span() for m in plain.finditer(line)]
            found += len(plain.findall(line))
    assert found > 10  # the text does exercise the lists


def test_longest_phrase_wins_where_several_fit_even_across_case_variants() -> None:
    phrases = ["in the", "In the coming", "will", "WILL act", "will-o"]
    pattern = word_pattern(phrases, boundary=r"\w")
    assert pattern.findall("in the coming week, they will act") == ["in the coming", "will act"]
    # a longer phrase that fails its end boundary gives way to a shorter one that holds
    assert pattern.findall("in the comings") == ["in the"]
    assert re.fullmatch(alternation(["ab", "abc", "a"]), "abc")
    assert re.match(alternation(["ab", "abc", "a"]), "abd").group(0) == "ab"  # type: ignore[union-attr]


def test_random_phrase_lists_agree_with_the_plain_alternation() -> None:
    rng = random.Random(7)
    letters = "abAB '.-"
    for _ in range(300):
        phrases = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 8))]
        text = "".join(rng.choice(letters + " x") for _ in range(60))
        plain = re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))
        ours = re.compile(alternation(phrases))
        assert [m.span() for m in ours.finditer(text)] == [m.span() for m in plain.finditer(text)], phrases
        folded = re.compile(alternation(phrases, fold_case=True), re.I)
        plain_i = re.compile(plain.pattern, re.I)
        # Case variants of one phrase may differ in which one is reported, never in where they match.
        assert [m.span() for m in folded.finditer(text)] == [m.span() for m in plain_i.finditer(text)], phrases


@pytest.mark.parametrize("phrases", [[], [""], ["a", ""]])
def test_degenerate_lists_behave_like_the_plain_alternation(phrases: list[str]) -> None:
    plain = re.compile("(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + ")")
    ours = re.compile("(?:" + alternation(phrases) + ")")
    assert [m.span() for m in ours.finditer("ab a")] == [m.span() for m in plain.finditer("ab a")]
