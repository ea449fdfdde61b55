"""Numbers as news writes them: '47', 'forty-seven', 'two dozen', 'dozens', 'about 60', 'at least 40'."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "a": 1,
    "an": 1,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "dozen": 12, "score": 20}
# Vague plurals: a lower bound only ("dozens" = at least 24).
VAGUE = {
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2000,
    "several": 3,
    "many": None,
    "a few": 2,
}
LOWER = ("at least", "more than", "over", "upwards of", "in excess of", "no fewer than", "a minimum of")
UPPER = ("up to", "as many as", "at most", "no more than", "nearly", "almost", "close to", "just under")
ABOUT = (
    "about",
    "around",
    "some",
    "roughly",
    "approximately",
    "an estimated",
    "estimated",
    "nearly",
    "almost",
)


@dataclass(frozen=True)
class Amount:
    """A count with optional bounds, as stated in text."""

    value: int | None
    low: int | None = None
    high: int | None = None

    def __add__(self, other: Amount) -> Amount:
        def add(a: int | None, b: int | None) -> int | None:
            return None if a is None or b is None else a + b

        value = add(self.value, other.value)
        low = add(
            self.low if self.low is not None else self.value,
            other.low if other.low is not None else other.value,
        )
        high = add(
            self.high if self.high is not None else self.value,
            other.high if other.high is not None else other.value,
        )
        return Amount(
            value,
            low if value is None or low != value else None,
            high if value is None or high != value else None,
        )


MAX_DIGITS = 12  # no count of people has more digits; longer runs are ids or junk (and int() refuses > 4300)


def parse_cardinal(text: str) -> int | None:
    """'47' -> 47, 'forty-seven' -> 47, 'two dozen' -> 24, '1,200' -> 1200, 'two hundred' -> 200."""
    t = text.lower().replace(",", "").strip()
    if re.fullmatch(r"\d+", t):
        return int(t) if len(t) <= MAX_DIGITS else None
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", t):
        if word in ("and", ""):
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total, current = total + current, 0
        elif re.fullmatch(r"\d+", word) and len(word) <= MAX_DIGITS:
            current += int(word)
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_amount(text: str) -> Amount | None:
    """A casualty expression with its qualifier: 'at least 40' -> Amount(40, low=40)."""
    t = " ".join(text.lower().replace("–", "-").split())
    m = re.fullmatch(r"(?:between )?(.+?) (?:and|to|-) (.+)", t)
    if m and parse_cardinal(m.group(1)) is not None and parse_cardinal(m.group(2)) is not None:
        return Amount(None, parse_cardinal(m.group(1)), parse_cardinal(m.group(2)))
    m = re.fullmatch(r"(\d{1,12})-(\d{1,12})", t)
    if m:
        return Amount(None, int(m.group(1)), int(m.group(2)))
    for prefix in LOWER:
        if t.startswith(prefix + " "):
            n = parse_cardinal(t[len(prefix) + 1 :])
            if n is None:
                inner = parse_amount(t[len(prefix) + 1 :])
                return Amount(None, inner.low if inner else None) if inner else None
            if prefix == "at least" or prefix == "no fewer than" or prefix == "a minimum of":
                return Amount(n, n)
            return Amount(None, n + 1)  # 'more than two dozen' -> at least 25
    for prefix in UPPER:
        if t.startswith(prefix + " "):
            n = parse_cardinal(t[len(prefix) + 1 :])
            if n is None:
                return None
            return (
                Amount(n, None, n)
                if prefix in ("nearly", "almost", "close to", "just under")
                else Amount(None, None, n)
            )
    for prefix in ABOUT:
        if t.startswith(prefix + " "):
            n = parse_cardinal(t[len(prefix) + 1 :])
            return Amount(n) if n is not None else None
    if t in VAGUE:
        return Amount(None, VAGUE[t]) if VAGUE[t] is not None else None
    if t.startswith("more than ") or t.startswith("over "):
        return None
    n = parse_cardinal(t)
    return Amount(n) if n is not None else None
