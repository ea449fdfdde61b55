"""Killed and wounded counts in one sentence, from the dependency parse, never from years or ages.

A number counts as casualties only when the parse (or, failing that, an adjacent word) ties it to a
word of killing or wounding: "killing at least 40", "40 people were killed", "left 40 dead", "the
death toll rose to 100". Ages ("a 19-year-old"), dates, money, percentages, group sizes ("a cell of
five men") and subsets ("including three attackers") are skipped. Conjoined figures add up:
"13 US service members and about 170 Afghans" -> 183.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from watchfloor.extract.docindex import DocIndex, tables_of
from watchfloor.extract.lexicon import EventLexicon, load_event_lexicon
from watchfloor.extract.numbers import VAGUE, Amount, parse_amount

KILLED = {
    "kill",
    "killing",
    "dead",
    "death",
    "die",
    "slay",
    "slain",
    "fatality",
    "massacre",
    "murder",
    "execute",
    "behead",
    "toll",
    "life",
    "body",
    "corpse",
    "perish",
}
WOUNDED = {"wound", "injure", "injury", "hurt", "maim", "wounded", "injured", "casualty"}
QUALIFIERS = {
    "at",
    "least",
    "more",
    "than",
    "over",
    "about",
    "around",
    "some",
    "nearly",
    "almost",
    "roughly",
    "approximately",
    "up",
    "to",
    "between",
    "and",
    "estimated",
    "an",
    "as",
    "many",
    "close",
    "upwards",
    "of",
    "no",
    "fewer",
    "just",
    "under",
}
SKIP_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}
NUMBER_WORDS = set(VAGUE) | {"dozen", "a dozen", "two dozen", "three dozen"}


@dataclass(frozen=True)
class Casualties:
    killed: Amount | None
    wounded: Amount | None


def _number_spans(sent: Span, index: DocIndex) -> list[Span]:
    """Number expressions in the sentence, with their qualifiers ('at least 40', 'between 30 and 40')."""
    spans: list[Span] = []
    doc = sent.doc
    like_num, lowers = index.tables.like_num, index.tables.columns.lower  # no Token for the many non-numbers
    i = sent.start
    while i < sent.end:
        if (like_num[i] or lowers[i] in NUMBER_WORDS) and not _in_skipped_entity(doc[i], index):
            start = i
            end = i + 1
            while end < sent.end and (
                doc[end].like_num
                or doc[end].lower_ in ("dozen", "hundred", "thousand", "-")
                or (doc[end].lower_ in ("and", "to") and end + 1 < sent.end and doc[end + 1].like_num)
            ):
                end += 1
            while start > sent.start and doc[start - 1].lower_ in QUALIFIERS and start - i > -4:
                start -= 1
            while start < i and doc[start].lower_ in ("and", "to", "of"):
                start += 1  # "and about 170" -> "about 170"; "up to 15" keeps its "up"
            spans.append(doc[start:end])
            i = end
        else:
            i += 1
    return spans


_DATE_WORDS = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|day|week|month|year|ago|century|decade|\b1[89]\d\d\b|\b20\d\d\b)",
    re.IGNORECASE,
)


def _in_skipped_entity(tok: Token, index: DocIndex) -> bool:
    """Numbers inside dates, money, percentages...; NER also tags "between 30 and 40" as a DATE."""
    if tok.ent_type_ not in SKIP_ENTS:
        return False
    if tok.ent_type_ != "DATE":
        return True
    ent = index.ent_at(tok.i)
    return ent is None or bool(_DATE_WORDS.search(ent.text))


def _is_excluded(span: Span) -> bool:
    doc = span.doc
    last = span[-1]
    text = span.text.lower()
    if last.i + 1 < len(doc) and doc[last.i + 1].lower_ in (
        "-year",
        "year",
        "years",
        "-year-old",
        "year-old",
    ):
        return True
    if last.i + 2 < len(doc) and doc[last.i + 1].text == "-" and doc[last.i + 2].lower_.startswith("year"):
        return True
    if "year-old" in last.lower_ or last.lower_.endswith("th"):
        return True
    if last.like_num and last.text.isdigit() and len(last.text) == 4 and 1900 <= int(last.text) <= 2100:
        return True
    if span[0].i > 0 and doc[span[0].i - 1].lower_ in ("aged", "age", "$", "£", "€", "no.", "number"):
        return True
    first = span[0].i
    if (
        first >= 2
        and last.i + 1 < len(doc)
        and doc[first - 1].text == ","
        and doc[last.i + 1].text == ","
        and (doc[first - 2].ent_type_ == "PERSON" or doc[first - 2].tag_ == "NNP")
        and text.isdigit()
    ):
        return True  # an age between commas after a name: "Garcia Alvarado, 56, was killed"
    return text.endswith("%")


def _role_from_word(tok: Token) -> str | None:
    if any(c.dep_ == "advmod" and c.lower_ in load_event_lexicon().near_miss_words for c in tok.children):
        return None  # "two guards were almost killed": no one died
    lemma = tok.lemma_.lower()
    low = tok.lower_
    if lemma in KILLED or low in KILLED:
        if (
            low in ("life", "lives")
            and not any(c.lemma_ in ("claim", "lose", "take") for c in tok.head.children)
            and tok.head.lemma_ not in ("claim", "lose", "take")
        ):
            return None
        return "killed"
    if lemma in WOUNDED or low in WOUNDED:
        return "wounded"
    if tok.pos_ == "VERB" and lemma in load_event_lexicon().to_death_verbs and _to_death(tok):
        return "killed"  # "two police officers were shot to death", "beaten to death"
    return None


def _adjacent_role(span: Span) -> str | None:
    """ "48 killed and 67 injured", "12 people dead": a participle or adjective right after the number
    (or after its noun) names its own role, whatever the parse hangs the number from."""
    doc, i = span.doc, span.end
    if i < span.sent.end and doc[i].pos_ == "NOUN" and _role_from_word(doc[i]) is None:
        i += 1  # "12 people dead"
    if i < span.sent.end and doc[i].tag_ in ("VBN", "JJ"):
        return _role_from_word(doc[i])
    return None


def _role(span: Span) -> str | None:
    """Which casualty word governs this number: the word right after it, the parse, then close neighbours."""
    adjacent = _adjacent_role(span)
    if adjacent is not None:
        return adjacent
    anchor = span[-1]
    for tok in span:
        if tok.dep_ == "nummod" or tok.head.i >= span.end or tok.head.i < span.start:
            anchor = tok
    if anchor.dep_ in ("nummod", "quantmod", "amod") and anchor.head.i >= span.end:
        anchor = anchor.head  # "40 people" -> people
    node = anchor
    for _ in range(5):
        if node.lower_ == "including" or (node.dep_ == "prep" and node.lower_ in ("including", "among", "of")):
            return None  # a subset of a toll already counted ("including three attackers")
        for child in node.children:
            if child.dep_ in ("amod", "acl", "oprd", "relcl", "appos") and child.i != span[-1].i:
                role = _role_from_word(child)
                if role:
                    return role
        if node.dep_ == "nsubj" and any(c.dep_ == "dobj" for c in node.head.children):
            return None  # the subject of "killed six people" did the killing: "two explosions killed six"
        if node is not anchor or node.i >= span.end or node.i < span.start:
            role = _role_from_word(node)
            if role:
                return role
        if node.head is node:
            break
        # "the death toll rose to 100": look at the subject of the verb the number hangs from
        if node.head.pos_ in ("VERB", "AUX"):
            for child in node.head.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.i != node.i:
                    role = _role_from_word(child) or next(
                        (r for c in child.children if (r := _role_from_word(c))), None
                    )
                    if role:
                        return role
        node = node.head
    doc = span.doc
    window = [t for t in doc[max(span.start - 3, span.sent.start) : span.start]] + [
        t for t in doc[span.end : min(span.end + 3, span.sent.end)]
    ]
    for tok in window:
        if tok.lower_ in ("including", "among"):
            return None
        role = _role_from_word(tok)
        if role:
            return role
    return None


def _conj_linked(a: Span, b: Span) -> bool:
    def head_noun(s: Span) -> Token:
        t = s[-1]
        return t.head if t.dep_ == "nummod" else t

    x, y = head_noun(a), head_noun(b)
    return (
        (y.head == x and y.dep_ == "conj")
        or (x.head == y and x.dep_ == "conj")
        or (x.head == y.head and x.dep_ == y.dep_ == "conj")
    )


def extract_casualties(sent: Span, index: DocIndex | None = None) -> Casualties:
    """Killed and wounded amounts stated in one sentence (``index``: the document's, built once)."""
    found: dict[str, list[tuple[Span, Amount]]] = {"killed": [], "wounded": []}
    for span in _number_spans(sent, index if index is not None else DocIndex(sent.doc)):
        if _is_excluded(span):
            continue
        amount = parse_amount(span.text)
        if amount is None:
            continue
        role = _role(span)
        if role:
            found[role].append((span, amount))
    killed, wounded = _combine(found["killed"]), _combine(found["wounded"])
    if killed is None or wounded is None:
        named = _named_victims(sent)
        killed = killed if killed is not None else named.get("killed")
        wounded = wounded if wounded is not None else named.get("wounded")
    return Casualties(killed, wounded)


_PRONOUNS = {"he", "she", "him", "her"}


def _one_person(tok: Token, nouns: frozenset[str]) -> bool:
    if tok.lower_ in _PRONOUNS:
        return True
    if tok.ent_type_ == "PERSON" or (tok.tag_ == "NNP" and tok.ent_type_ not in ("ORG", "NORP")):
        return True  # the object of "killed" named by a proper noun is a person ("Orlando" read as a city)
    return tok.tag_ == "NN" and tok.lemma_.lower() in nouns


def _to_death(verb: Token) -> bool:
    """The verb kills: "shot to death", "beaten to death", "shot dead"."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children):
            return True
        if c.lower_ == "dead" and c.dep_ in ("oprd", "acomp", "advmod", "xcomp", "dobj", "amod", "ccomp"):
            return True
    return False


def _named_victims(sent: Span) -> dict[str, Amount]:
    """People named one by one as the objects of a killing or wounding verb: "gunmen killed a peasant" (1),
    "the mayor was assassinated" (1), "killed Orlando Letelier and Ronnie Moffit" (2). Not under a
    negation or a modal ("threatened to kill the judge" is no death)."""
    lex = load_event_lexicon()
    out: dict[str, Amount] = {}
    cols = tables_of(sent.doc).columns
    for i in range(sent.start, sent.end):
        pos, lemma = cols.pos[i], cols.lemma[i]
        if not (pos == "NOUN" and lemma in lex.victim_nouns) and not (pos == "VERB" and _victim_verb(lemma, lex)):
            continue  # most words: no Token made
        tok = sent.doc[i]
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in lex.victim_nouns and "killed" not in out:
            role: str | None = "killed"
            victims = [
                g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"
            ]
        elif tok.pos_ == "VERB":
            role = next((r for r, verbs in lex.victim_verbs.items() if tok.lemma_.lower() in verbs), None)
            if role is None and tok.lemma_.lower() in lex.to_death_verbs and _to_death(tok):
                role = "killed"
            if role is None or role in out or tok.dep_ == "xcomp":
                continue
            if any(
                c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in lex.modals) or c.lower_ in lex.near_miss_words
                for c in tok.children
            ):
                continue
            victims = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        else:
            continue
        if role is None:
            continue
        count = 0
        for victim in victims:
            people = [victim, *(c for c in victim.conjuncts if c.i > victim.i)]
            heads = [p for p in people if _one_person(p, lex.person_nouns)]
            if len(heads) != len(people):
                count = 0  # "killed a peasant and two soldiers": the numbers say it, or nothing does
                break
            # a multi-word name counts once: "Antonio Roldan Betancur" is one PERSON entity, one head
            count += len({_ent_start(p) if p.ent_iob_ == "I" else p.i for p in heads})
        if count:
            out[role] = Amount(count, None, None)
    return out


def _victim_verb(lemma: str, lex: EventLexicon) -> bool:
    """Whether a verb of this (lower-cased) lemma can name victims (see :func:`_named_victims`)."""
    return lemma in lex.to_death_verbs or any(lemma in verbs for verbs in lex.victim_verbs.values())


def _ent_start(tok: Token) -> int:
    i = tok.i
    while i > 0 and tok.doc[i].ent_iob_ == "I":
        i -= 1
    return i


def _combine(items: list[tuple[Span, Amount]]) -> Amount | None:
    if not items:
        return None
    total = items[0][1]
    for (prev, _), (span, amount) in itertools.pairwise(items):
        if _conj_linked(prev, span):
            total = total + amount
    return total
