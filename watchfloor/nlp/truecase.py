"""Restoring letter case to all-lower or ALL-CAPS text before parsing ("truecasing").

Wires that reach watchfloor lower-cased (GRIT's MUC-4 texts) or in capitals (the original MUC wires, some
agency feeds) leave spaCy's NER and parser little to go on. ``truecase`` gives each word its usual
written form from a table learned from real cased text (``training/truecase``, shipped as
``data/truecase/table.json.gz``):

0. two neighbouring words seen often enough as a name of two capitalised words take that form
   ("white house" -> "White House", while "white" alone stays lower case);
1. a word seen in the cased training text (away from sentence starts and headlines, and not next to
   another capitalised word) takes its most frequent written form there ("trump" -> "Trump",
   "fbi" -> "FBI", "us" stays "us");
2. a word not seen there but in the word-vector vocabulary of the spaCy model (md) takes the casing
   most of the seen words of the 10 vector rows nearest its own have ("cristiani" -> "Cristiani");
3. a word in neither is most likely a name or an acronym: capitals when it is short and has no vowel
   ("fmln" -> "FMLN") or stands alone in brackets ("(urng)" -> "(URNG)"), else a capital initial
   ("farabundo" -> "Farabundo");

and the first word of each sentence (after . ! ? and at a paragraph break) gets a capital initial.

Only letter case changes: the result has the same length, and every character offset into the input
is an offset into the output, so gold spans stay valid. Pure: text in, text out.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

TABLE_RESOURCE = ("data", "truecase", "table.json.gz")
MIN_LETTERS = 20  # shorter texts are not judged
LOWER_RATIO = 0.02  # at most this share of capital letters: lower-cased text
UPPER_RATIO = 0.95  # at least this share: ALL-CAPS text

# a word: letters, or an initialism written with full stops ("u.s.", "u.n.")
WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]+")
# what ends a sentence before a word: . ! ? (closing quotes or brackets may follow), or a paragraph
# break (a new line, or the runs of spaces that separate MUC paragraphs)
_SENTENCE_END = re.compile(r"(?:^[\s\"'“‘(\[]*|[.!?][\"'”’)\]]*\s+[\"'“‘(\[]*|\n\s*[\"'“‘(\[]*| {3,}[\"'“‘(\[]*)$")
_SUFFIXES = frozenset({"s", "t", "re", "ve", "ll", "d", "m"})  # after an apostrophe: it's, don't, we're...
_VOWELS = frozenset("aeiouy")


@dataclass(frozen=True)
class TruecaseTable:
    """Learned written forms: ``forms`` maps a lower-cased word to its usual form when that is not all
    lower case; ``known`` holds the lower-cased words known to be written lower case."""

    forms: dict[str, str]
    known: frozenset[str]
    fingerprint: str = ""

    def pair_form(self, first: str, second: str) -> str | None:
        """The usual form of two neighbouring lower-cased words when they are a known name of two words."""
        return self.forms.get(f"{first} {second}")

    def unknown(self, lower: str) -> bool:
        """Whether neither the cased text nor the word vectors know the word."""
        return lower not in self.forms and lower not in self.known and "." not in lower

    def form_of(self, lower: str) -> str:
        """The usual written form of a lower-cased word (rules 1-3 of the module docstring)."""
        form = self.forms.get(lower)
        if form is not None:
            return form
        if lower in self.known or "." in lower:
            return lower
        if len(lower) <= 6 and not _VOWELS & set(lower):
            return lower.upper()
        return lower[:1].upper() + lower[1:]


def table_from_spec(spec: dict[str, object], fingerprint: str = "") -> TruecaseTable:
    """The table a parsed ``table.json`` describes."""
    forms = {str(k): str(v[0]) for k, v in dict(spec["forms"]).items()}  # type: ignore[call-overload]
    known = frozenset(str(w) for w in spec["known"])  # type: ignore[attr-defined]
    return TruecaseTable(forms, known, fingerprint)


@cache
def load_truecase_table() -> TruecaseTable:
    """The shipped table; its fingerprint (sha256 of the file, 16 hex digits) keys parse caches."""
    path = resources.files("watchfloor").joinpath(*TABLE_RESOURCE)
    raw = path.read_bytes()
    return table_from_spec(json.loads(gzip.decompress(raw)), hashlib.sha256(raw).hexdigest()[:16])


def case_of(text: str) -> str:
    """Whether the text is "lower", "upper" or "mixed": written in one case only (and long enough to say)."""
    upper = lower = 0
    for ch in text:
        if ch.isupper():
            upper += 1
        elif ch.islower():
            lower += 1
    letters = upper + lower
    if letters < MIN_LETTERS:
        return "mixed"
    if upper <= LOWER_RATIO * letters:
        return "lower"
    if upper >= UPPER_RATIO * letters:
        return "upper"
    return "mixed"


def needs_truecasing(text: str) -> bool:
    """Whether the text is all lower case or ALL CAPS (and so worth truecasing)."""
    return case_of(text) != "mixed"


def same_length_lower(text: str) -> str:
    """Lower case letter by letter, keeping any letter whose lower case is not one character."""
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def _apply(word: str, form: str) -> str:
    """``word`` written as ``form`` when that only changes letter case, else unchanged."""
    return form if len(form) == len(word) and form.lower() == word.lower() else word


def sentence_start(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins a sentence (or the text)."""
    return _SENTENCE_END.search(text, max(0, start - 12), start) is not None


def capitalised(word: str) -> str:
    first = word[:1].upper()
    return first + word[1:] if len(first) == 1 else word


def truecase(text: str, table: TruecaseTable | None = None) -> str:
    """The text with its words' usual case restored when it is all-lower or ALL-CAPS; else unchanged.

    Same length, same characters up to letter case (see the module docstring)."""
    kind = case_of(text)
    if kind == "mixed":
        return text
    table = table or load_truecase_table()
    base = same_length_lower(text) if kind == "upper" else text
    words = list(WORD.finditer(base))
    lowers = [m.group(0).lower() for m in words]
    # two-word names: the pair's form wins over each word's own
    pair_of: dict[int, str] = {}
    for k in range(len(words) - 1):
        if k in pair_of or base[words[k].end() : words[k + 1].start()].strip(" -"):
            continue
        pair = table.pair_form(lowers[k], lowers[k + 1])
        if pair is not None:
            first, second = pair.split(" ", 1)
            pair_of[k], pair_of[k + 1] = first, second
    out: list[str] = []
    at = 0
    for k, m in enumerate(words):
        start, word, lower = m.start(), m.group(0), lowers[k]
        out.append(base[at:start])
        at = m.end()
        if start > 1 and base[start - 1] in "'’" and base[start - 2].isalpha() and lower in _SUFFIXES:
            out.append(word)  # the "s" of "cristiani's"
            continue
        if k in pair_of:
            form = pair_of[k]
        elif (
            table.unknown(lower)
            and len(lower) <= 6
            and base[start - 1 : start] == "("
            and base[m.end() : m.end() + 1] == ")"
        ):
            form = lower.upper()  # an unknown short word alone in brackets: an acronym, "(urng)"
        else:
            form = table.form_of(lower)
        form = _apply(word, form)
        if form == form.lower() and sentence_start(base, start):
            form = capitalised(form)
        out.append(form)
    out.append(base[at:])
    result = "".join(out)
    return result if len(result) == len(text) else text


# Non-breaking, thin and other fixed-width spaces (&nbsp; on web pages): spaCy makes each a token of its
# own, so "Islamic&nbsp;State Khorasan&nbsp;Province" matches no gazetteer name. One space each, same length.
_SPACES = dict.fromkeys(
    map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"), " "
)


def for_parser(text: str) -> str:
    """The text ingest gives spaCy: truecased when it is all-lower or ALL-CAPS (a wire in capitals, a
    lower-cased feed), with its footnote marks blanked (``nlp.citations``) and fixed-width spaces made
    plain. Same length, so every span found in it is a span of ``text``."""
    from watchfloor.nlp.citations import blank_marks

    return blank_marks(truecase(text) if needs_truecasing(text) else text).translate(_SPACES)
