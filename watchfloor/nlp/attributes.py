"""spaCy's attribute ruler (fine tag → POS and morphology, lemma exceptions) as table look-ups.

The English models' ``attribute_ruler`` runs a ``Matcher`` of 179 token patterns over every token: 5.5 ms
of CPU per 300-token document, about a tenth of the whole model (``docs/performance.md``). Which rules
a token starts depends only on a few of its attributes, so that is worked out once per combination and
remembered (see :class:`TableAttributeRuler`): 0.45 ms. The rules, their order ("later rules have
precedence") and the attributes they set are the ruler's own; a ruler with a pattern this module does
not understand is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# Token attributes a pattern may test, and their column in ``Doc.to_array``.
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
_OPERATORS = {"IN", "NOT_IN", "REGEX"}

Row = tuple[int, int, int, int]  # one token's TAG, LOWER, DEP (string hashes) and IS_SPACE
Test = Callable[[Doc, Row], bool]


class UnsupportedPattern(ValueError):
    """A pattern uses a key or an operator the table ruler does not implement."""


@dataclass(frozen=True)
class _Rule:
    order: int  # the ruler's attribute id: rules apply in this order, later ones overriding
    tests: tuple[tuple[Test, ...], ...]  # per token of the pattern
    index: int  # which token of the match gets the attributes (negative: from the end)
    position: int  # place among all the ruler's patterns


def _lower_ids(first: dict[str, Any]) -> frozenset[int] | None:
    """The lower-case forms a pattern's first token must have, when it names them; else None."""
    value = first.get("LOWER")
    if isinstance(value, str):
        return frozenset({get_string_id(value)})
    if isinstance(value, dict) and set(value) == {"IN"}:
        return frozenset(get_string_id(v) for v in value["IN"])
    return None


def _test(key: str, value: Any) -> Test:
    column = _COLUMNS.get(key)
    if column is None:
        raise UnsupportedPattern(f"attribute {key!r}")
    if key == "IS_SPACE":
        if not isinstance(value, bool):
            raise UnsupportedPattern(f"IS_SPACE value {value!r}")
        return lambda _doc, row: bool(row[column]) == value
    if isinstance(value, str):
        wanted = get_string_id(value)
        return lambda _doc, row: row[column] == wanted
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in _OPERATORS:
        raise UnsupportedPattern(f"{key} condition {value!r}")
    operator, operand = next(iter(value.items()))
    if operator == "REGEX":
        pattern = re.compile(operand)
        return lambda doc, row: pattern.search(doc.vocab.strings[row[column]]) is not None
    ids = frozenset(get_string_id(v) for v in operand)
    if operator == "IN":
        return lambda _doc, row: row[column] in ids
    return lambda _doc, row: row[column] not in ids


class TableAttributeRuler:
    """Applies an :class:`AttributeRuler`'s rules with the same result (``tests/test_attribute_table.py``).

    Whether a rule's first token fits depends only on that token's tag, lower-case form, dependency label
    and whether it is white space, so it is worked out once per such combination and remembered: a
    one-token rule then applies outright, a longer one (a handful: "gon na", "ai n't") checks the next
    tokens."""

    MAX_REMEMBERED = 200_000  # combinations; a few hundred KB

    def __init__(self, ruler: AttributeRuler) -> None:
        self.attrs = list(ruler.attrs)
        self.rules: list[_Rule] = []
        # A new combination is worked out from few rules: those naming its lower-case form, plus the
        # rules that test no lower-case form (remembered per tag, dependency and white space), plus the
        # few whose lower-case test is a pattern. That keeps unseen words (most of a new text's
        # vocabulary) cheap.
        self.by_lower: dict[int, list[_Rule]] = {}
        self.without_lower: list[_Rule] = []
        self.lower_pattern: list[_Rule] = []
        entries: list[dict[str, Any]] = list(ruler.patterns)
        for order, entry in enumerate(entries):
            for pattern in entry["patterns"]:
                if not pattern or any(not isinstance(tok, dict) or "OP" in tok for tok in pattern):
                    raise UnsupportedPattern(f"pattern {pattern!r}")
                tests = tuple(tuple(_test(str(k), v) for k, v in tok.items()) for tok in pattern)
                rule = _Rule(order, tests, int(entry["index"]), len(self.rules))
                self.rules.append(rule)
                lowers = _lower_ids(pattern[0])
                if lowers is not None:
                    for lower in lowers:
                        self.by_lower.setdefault(lower, []).append(rule)
                elif "LOWER" in pattern[0]:
                    self.lower_pattern.append(rule)
                else:
                    self.without_lower.append(rule)
        self.remembered: dict[Row, tuple[_Rule, ...]] = {}
        self.remembered_without_lower: dict[tuple[int, int, int], list[_Rule]] = {}

    @staticmethod
    def _fits(doc: Doc, row: Row, rules: list[_Rule]) -> list[_Rule]:
        return [rule for rule in rules if all(test(doc, row) for test in rule.tests[0])]

    def _first_fits(self, doc: Doc, row: Row) -> tuple[_Rule, ...]:
        found = self.remembered.get(row)
        if found is None:
            key = (row[0], row[2], row[3])
            general = self.remembered_without_lower.get(key)
            if general is None:
                general = self.remembered_without_lower[key] = self._fits(doc, row, self.without_lower)
            named = self._fits(doc, row, self.by_lower.get(row[1], []) + self.lower_pattern)
            found = tuple(sorted(general + named, key=lambda rule: rule.position))
            if len(self.remembered) >= self.MAX_REMEMBERED:
                self.remembered.clear()
            self.remembered[row] = found
        return found

    @staticmethod
    def _rest_fits(doc: Doc, rows: list[Row], start: int, rule: _Rule) -> bool:
        """Whether the tokens after ``start`` fit the rule's second and later tokens."""
        return all(test(doc, rows[start + k]) for k in range(1, len(rule.tests)) for test in rule.tests[k])

    def __call__(self, doc: Doc) -> Doc:
        rows: list[Row] = [tuple(r) for r in doc.to_array(_ARRAY_ATTRS).tolist()]
        matches: set[tuple[int, int]] = set()  # (rule order, token that gets the attributes)
        for start, row in enumerate(rows):
            for rule in self._first_fits(doc, row):
                end = start + len(rule.tests)
                if end == start + 1 or (end <= len(rows) and self._rest_fits(doc, rows, start, rule)):
                    matches.add((rule.order, (start if rule.index >= 0 else end) + rule.index))
        for order, i in sorted(matches):
            set_token_attrs(doc[i], self.attrs[order])
        return doc


@Language.factory("table_attribute_ruler")
def _make_table_attribute_ruler(nlp: Language, name: str) -> TableAttributeRuler:
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    return TableAttributeRuler(ruler)


def use_table_attribute_ruler(nlp: Language) -> bool:
    """Replace ``nlp``'s attribute ruler with its table form (same name, same place); False when the model
    has none or one with patterns the table form does not implement."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    try:
        nlp.add_pipe("table_attribute_ruler", name="table_attribute_ruler", after="attribute_ruler")
    except UnsupportedPattern:
        return False
    nlp.remove_pipe("attribute_ruler")
    nlp.rename_pipe("table_attribute_ruler", "attribute_ruler")
    return True
