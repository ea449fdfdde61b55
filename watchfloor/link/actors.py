"""Link entity mentions in one spaCy ``Doc`` to canonical entities.

Order of evidence: gazetteer ruler match > exact alias > acronym defined in the document >
in-document coreference (surname or title to the nearest earlier full name) > fuzzy alias >
a new entity. Two people who share a surname are never merged: a bare surname goes to the person
of that surname the document named most recently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache, partial
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml
from rapidfuzz import fuzz, process
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from watchfloor.extract.docindex import tables_of
from watchfloor.link.branches import branch_references
from watchfloor.link.demonyms import country_of_demonym
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.link.normalize import norm_name
from watchfloor.link.place_words import load_place_words, named_as_place
from watchfloor.link.places import Place, PlaceIndex, capitals
from watchfloor.models import EntityRecord, MentionRecord

if TYPE_CHECKING:
    from watchfloor.extract.relation_model import DocFacts as DocColumns

ACTOR_LABELS = {"PERSON", "ORG", "NORP"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&-]{1,9}$")
FUZZY_MIN_SCORE = 90.0
FUZZY_MIN_LENGTH = 6


@lru_cache(maxsize=1)
def load_titles() -> dict[str, Any]:
    text = (resources.files("watchfloor") / "data/lexicons/titles.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@dataclass(frozen=True)
class _PlaceContext:
    """What a document says about where it is: the countries it names, its focus and where small places
    and named sites may lie (see :meth:`Linker._doc_countries`)."""

    countries: frozenset[str]
    focus: frozenset[str]
    settled: frozenset[str]

    @classmethod
    def of(cls, doc_countries: Counter[str]) -> _PlaceContext:
        return cls(frozenset(doc_countries), _focus(doc_countries), _settled(doc_countries))

    @property
    def site_countries(self) -> frozenset[str]:
        """Where a named site ("Lido beach") may lie: the focus country, else any country named."""
        return self.focus or self.countries


def _focus(doc_countries: Counter[str]) -> frozenset[str]:
    """The country (or tied countries) a document names most, when named at least twice."""
    top = max(doc_countries.values(), default=0)
    return frozenset(c for c, n in doc_countries.items() if n == top and n >= 2)


_DIVISION_WORDS = frozenset({"province", "district", "governorate", "prefecture", "county", "region"})


def _whole_names(ents: tuple[Span, ...]) -> list[Span]:
    """The entities, with a name the NER cut before its last part joined again: "The Investigative
    Committee of" + "Russia" is one organisation, not a fragment and a country."""
    out: list[Span] = []
    skip = False
    for i, ent in enumerate(ents):
        if skip:
            skip = False
            continue
        after = ents[i + 1] if i + 1 < len(ents) else None
        if (
            ent.label_ == "ORG"
            and not ent.ent_id_
            and ent[-1].lower_ in ("of", "for")
            and after is not None
            and after.start == ent.end
            and after.label_ in ("GPE", "LOC", "ORG", "NORP")
        ):
            out.append(Span(ent.doc, ent.start, after.end, label="ORG"))
            skip = True
            continue
        out.append(ent)
    return out


def _names_a_site(ent: Span) -> bool:
    """The name ends in or is followed by a landmark noun: "Madina hospital", "Lido beach" name a site."""
    nouns = load_place_words().landmark_nouns
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return (len(ent) > 1 and ent[-1].lower_ in nouns) or (after is not None and after.lower_ in nouns)


def _settled(doc_countries: Counter[str]) -> frozenset[str]:
    """Countries whose small towns a document may mean: those it names at least twice. A country named
    once in passing ("US officials said") does not make "Lido beach" in Mogadishu the New York hamlet."""
    return frozenset(c for c, n in doc_countries.items() if n >= 2)


@dataclass
class _Person:
    key: str
    start: int
    tokens: tuple[str, ...]
    roles: set[str] = field(default_factory=set)
    died: int | None = None


def _surname_of(p: _Person, before: int, surname: str) -> bool:
    return p.start < before and len(p.tokens) > 1 and p.tokens[-1] == surname


YOUNGER = frozenset({"junior", "younger", "jr", "jr."})


def namesake(people: list[_Person], fits: Callable[[_Person], bool], year: int | None, younger: bool) -> _Person | None:
    """The person a bare surname means: the one named most recently who was alive at the document's date.

    "Mr. Massoud" in a 2024 article about the son is not the father who died in 2001, even when the father
    was named last; "the junior Massoud" is the living one even in an undated article.
    """
    found = [p for p in reversed(people) if fits(p)]
    if year is not None or younger:
        alive = [p for p in found if p.died is None or (year is not None and p.died >= year)]
        if alive:
            return alive[0]
    return found[0] if found else None


@dataclass
class LinkResult:
    mentions: list[MentionRecord]
    entities: list[EntityRecord]


def slug(text: str) -> str:
    return norm_name(text).replace(" ", "-")


def _tokens(
    doc: Doc, attr: str, values: Container[str], wanted: Callable[[DocColumns, int], bool] | None = None
) -> Iterator[Token]:
    """The document's tokens whose ``attr`` column ("pos", "lower", ...) holds one of ``values`` and that
    pass ``wanted``, read from the shared token columns: a whole-document scan creates no spaCy ``Token``
    for the tokens it skips (most of such a scan's cost)."""
    columns = tables_of(doc).columns
    for i in [i for i, v in enumerate(getattr(columns, attr)) if v in values]:
        if wanted is None or wanted(columns, i):
            yield doc[i]


class Linker:
    """Links mentions; built once per run from the gazetteer and the place index."""

    def __init__(self, gazetteer: Gazetteer, places: PlaceIndex) -> None:
        self.gazetteer = gazetteer
        self.by_key = gazetteer.by_key
        self.places = places
        self.alias_index = gazetteer.alias_index()
        self.state_for_country: dict[str, str] = {}
        for entry in gazetteer.entries:
            rec = entry.record
            if rec.kind == "state" and len(rec.countries) == 1:
                self.state_for_country.setdefault(rec.countries[0], rec.key)
        self._fuzzy_choices: dict[str, list[tuple[str, str]]] = {"PERSON": [], "ORG": []}
        for norm, key in self.alias_index.items():
            label = self.by_key[key].record.label
            group = "PERSON" if label == "PERSON" else "ORG" if label in ("ORG", "NORP") else None
            if group and len(norm) >= FUZZY_MIN_LENGTH:
                self._fuzzy_choices[group].append((norm, key))
        titles = load_titles()
        self.prefixes: dict[str, str | None] = titles["prefixes"]
        self.roles: set[str] = set(titles["roles"])
        self.modifiers: set[str] = set(titles["modifiers"])
        self._fuzzy_cache: dict[tuple[str, str], str | None] = {}
        self._matcher: Matcher | None = None
        self._matcher_vocab: object = None

    # -- helpers -------------------------------------------------------------------------------
    def _fuzzy(self, norm: str, group: str) -> str | None:
        cache_key = (norm, group)
        if cache_key not in self._fuzzy_cache:
            choices = self._fuzzy_choices[group]
            found = None
            if len(norm) >= FUZZY_MIN_LENGTH and choices:
                best = process.extractOne(
                    norm, [c[0] for c in choices], scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE
                )
                if best is not None:
                    found = choices[best[2]][1]
            self._fuzzy_cache[cache_key] = found
        return self._fuzzy_cache[cache_key]

    def _strip_title(self, span: Span) -> tuple[str, set[str]]:
        """The name as written, without leading titles or a trailing possessive, and implied roles."""
        tokens = list(span)
        roles: set[str] = set()
        while len(tokens) > 1 and (tokens[0].lower_ in self.prefixes or tokens[0].lower_ + "." in self.prefixes):
            role = self.prefixes.get(tokens[0].lower_) or self.prefixes.get(tokens[0].lower_ + ".")
            if role:
                roles.add(role)
            tokens = tokens[1:]
            if tokens and tokens[0].text == "." and len(tokens) > 1:
                tokens = tokens[1:]
        while tokens and (tokens[-1].text in ("'s", "’s", "'", "’") or tokens[-1].is_punct):
            tokens = tokens[:-1]
        if not tokens:
            return "", roles
        base = span.start_char  # slice the span's own text: Doc.text is rebuilt on every access
        return span.text[tokens[0].idx - base : tokens[-1].idx + len(tokens[-1].text) - base], roles

    def _context_roles(self, span: Span) -> set[str]:
        """Roles stated next to a name: 'Gen. X', 'army chief X', 'X, the group's spokesman,'."""
        doc = span.doc
        roles: set[str] = set()
        for tok in doc[max(span.sent.start, span.start - 3) : span.start]:
            low = tok.lower_
            if self.prefixes.get(low):
                roles.add(str(self.prefixes[low]))
            if low in self.roles:
                roles.add(low)
        if span.end < len(doc) and doc[span.end].text == ",":
            for tok in doc[span.end + 1 : min(span.sent.end, span.end + 8)]:
                if tok.text in (",", ".", ";") or tok.ent_type_ == "PERSON":
                    break
                if tok.lower_ in self.roles:
                    roles.add(tok.lower_)
        return roles

    def _place(self, name: str, ctx: _PlaceContext) -> tuple[str, Place] | None:
        compass = load_place_words().compass_words
        if norm_name(name).removeprefix("the ") in compass:
            return None  # "the West", "North": a direction, not Cameroon's North Region
        place = self.places.resolve(name, ctx.countries, ctx.focus, ctx.settled)
        first, _, rest = name.partition(" ")
        if place is None and rest and norm_name(first) in compass:
            # "western Bogota", "northern Kabul" (but "North Waziristan" and "South Sudan" resolve whole)
            place = self.places.resolve(rest, ctx.countries, ctx.focus, ctx.settled)
        if place is None:
            return None
        if place.kind == "country" and place.country_code in self.state_for_country:
            return self.state_for_country[place.country_code], place
        return self._gazetteer_place(place) or place.key, place

    def _located_in(self, ent: Span, ctx: _PlaceContext) -> bool:
        """A name the NER called a person or group, after "in"/"near"/"outside", that the place index knows
        as a province, a country or a town of 100,000 people: "a Shia mosque in Kunduz"."""
        root = ent.root
        if root.dep_ != "pobj" or root.head.lower_ not in ("in", "near", "outside"):
            return False
        found = self._place(ent.text, ctx)
        return found is not None and (found[1].kind != "city" or found[1].population >= 100_000)

    def _gazetteer_place(self, place: Place) -> str | None:
        """The gazetteer's entity for a resolved town ("western Kabul", "the capital" -> ``kabul``), so one
        city is one entity whichever way the text names it; None when the gazetteer has no such town."""
        key = self.alias_index.get(norm_name(place.name))
        if key is None:
            return None
        record = self.by_key[key].record
        return key if record.kind == "place" and place.country_code in record.countries else None

    def _title_matcher(self, doc: Doc) -> Matcher:
        if self._matcher is None or self._matcher_vocab is not doc.vocab:
            self._matcher_vocab = doc.vocab
            matcher = Matcher(doc.vocab)
            matcher.add(
                "TITLE_REF",
                [
                    [
                        {"LOWER": "the"},
                        {"LOWER": {"IN": sorted(self.modifiers)}, "OP": "*"},
                        {"LOWER": {"IN": sorted(self.roles)}},
                    ]
                ],
                greedy="LONGEST",
            )
            self._matcher = matcher
        return self._matcher

    # -- main ----------------------------------------------------------------------------------
    def link(self, doc: Doc, as_of: date | None = None) -> LinkResult:
        """Link every entity mention of the document (published ``as_of``, if known); pure apart from caches."""
        year = as_of.year if as_of is not None else None
        mentions: list[MentionRecord] = []
        new_entities: dict[str, EntityRecord] = {}
        people: list[_Person] = []
        acronyms: dict[str, str] = {}
        doc_countries = self._doc_countries(doc)
        ctx = _PlaceContext.of(doc_countries)

        for ent in _whole_names(tables_of(doc).ents):
            label = ent.label_
            if label in ACTOR_LABELS and not ent.ent_id_ and (named_as_place(ent[0]) or self._located_in(ent, ctx)):
                label = "GPE"  # "the city of Lyon", "a mosque in Kunduz": the words overrule the NER's "person"
            text = ent.text
            key: str | None = None
            method = "none"
            score = 1.0
            if ent.ent_id_ and ent.ent_id_ in self.by_key:
                key, method = ent.ent_id_, "gazetteer"
            elif label in ACTOR_LABELS:
                key, method, score = self._link_actor(ent, people, acronyms, new_entities, year)
            elif label in PLACE_LABELS:
                found = self._place(text, ctx)
                if found is not None and _names_a_site(ent) and found[1].country_code not in ctx.site_countries:
                    found = None  # "Madina hospital", "Lido beach" in a Mogadishu story: not in Arabia, New York
                if found is not None:
                    key, method = _keep_place(found, new_entities, label), "geonames"
                else:
                    method = "unresolved"
            if key is not None and label == "PERSON":
                self._remember_person(ent, key, people)
            if key is not None and label == "ORG":
                self._remember_acronym(ent, key, acronyms)
            mentions.append(MentionRecord(ent.start_char, ent.end_char, text, label, key, method, score))

        mentions += self._title_references(doc, people)
        mentions += self._capital_references(doc, ctx, new_entities)
        mentions += self._named_divisions(doc, ctx, new_entities)
        mentions += self._untagged_places(doc, ctx, new_entities)
        mentions += self._missed_surnames(doc, people, year)
        mentions = branch_references(doc, mentions, self.gazetteer)
        mentions.sort(key=lambda m: (m.start, m.end))
        return LinkResult(mentions, list(new_entities.values()))

    def _doc_countries(self, doc: Doc) -> Counter[str]:
        """Countries the document names, with how often: countries themselves, nationalities and the
        countries of its known actors; then the countries of its other places, each resolved in that first
        context ("San Salvador" is the Salvadoran capital, which makes El Salvador the focus of a wire that
        otherwise names only its towns)."""
        named: Counter[str] = Counter()
        places: list[str] = []
        for ent in tables_of(doc).ents:
            if ent.ent_id_ and ent.ent_id_ in self.by_key:
                named.update(self.by_key[ent.ent_id_].record.countries)
            elif ent.label_ in ("GPE", "LOC"):
                key = norm_name(ent.text)
                if key in self.places.countries:
                    named[self.places.countries[key].country_code] += 1
                elif not _names_a_site(ent):
                    places.append(ent.text)
            elif ent.label_ == "NORP" and (code := country_of_demonym(ent.text)) is not None:
                named[code] += 1  # "the Salvadoran army"
        found = Counter(named)
        first = _PlaceContext.of(named)
        for name in places:
            place = self.places.resolve(name, first.countries, first.focus, first.settled)
            if place is not None:
                found[place.country_code] += 1
        return found

    def _link_actor(
        self,
        ent: Span,
        people: list[_Person],
        acronyms: dict[str, str],
        new_entities: dict[str, EntityRecord],
        year: int | None = None,
    ) -> tuple[str | None, str, float]:
        label = ent.label_
        name = self._strip_title(ent)[0] if label == "PERSON" else _display_name(ent.text)
        norm = norm_name(name)
        if not norm:
            return None, "none", 0.0
        if norm in self.alias_index:
            return self.alias_index[norm], "alias", 1.0
        if ent.text in acronyms:
            return acronyms[ent.text], "acronym", 1.0
        if label == "NORP":
            return None, "none", 0.0
        if label == "PERSON":
            tokens = tuple(norm.split())
            if len(tokens) == 1:
                before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
                younger = before in YOUNGER or any(t.lower_ in YOUNGER for t in ent)
                found = namesake(people, lambda p: tokens[0] in p.tokens, year, younger)
                if found is not None:
                    return found.key, "coref", 0.9
            else:
                for person in reversed(people):  # "Ahmad Massoud" after "Ahmad Massoud's" etc.
                    if tokens == person.tokens[-len(tokens) :] and len(tokens) >= 2:
                        return person.key, "coref", 0.95
            fuzzy = self._fuzzy(norm, "PERSON") if len(tokens) > 1 else None
            if fuzzy:
                return fuzzy, "fuzzy", 0.8
            key = "person:" + slug(name)
            new_entities.setdefault(key, EntityRecord(key, name, "person", "PERSON", source="extracted"))
            return key, "new", 0.5
        tokens = tuple(norm.split())
        for person in reversed(people):  # "Penhallow said": a surname the NER mistook for an organisation
            if len(tokens) == 1 and len(person.tokens) > 1 and person.tokens[-1] == tokens[0]:
                return person.key, "coref", 0.8
        fuzzy = self._fuzzy(norm, "ORG")
        if fuzzy:
            return fuzzy, "fuzzy", 0.8
        key = "org:" + slug(name)
        new_entities.setdefault(key, EntityRecord(key, name, "organisation", "ORG", source="extracted"))
        return key, "new", 0.5

    def _remember_person(self, ent: Span, key: str, people: list[_Person]) -> None:
        name, roles = self._strip_title(ent)
        tokens = tuple(norm_name(name).split())
        if key in self.by_key:
            tokens = tuple(dict.fromkeys(tokens + tuple(norm_name(self.by_key[key].record.name).split())))
        roles |= self._context_roles(ent)
        previous = next((p for p in reversed(people) if p.key == key), None)
        if previous is not None:
            roles |= previous.roles
            tokens = tuple(dict.fromkeys(previous.tokens + tokens))
        entry = self.by_key.get(key)
        people.append(_Person(key, ent.start_char, tokens, roles, entry.died if entry is not None else None))

    def _remember_acronym(self, ent: Span, key: str, acronyms: dict[str, str]) -> None:
        doc = ent.doc
        if ent.end + 2 < len(doc) and doc[ent.end].text == "(" and doc[ent.end + 2].text == ")":
            candidate = doc[ent.end + 1].text
            if _ACRONYM.match(candidate) and candidate.isupper():
                acronyms[candidate] = key

    def _missed_surnames(self, doc: Doc, people: list[_Person], year: int | None = None) -> list[MentionRecord]:
        """Surnames of people named earlier that the statistical NER did not tag ("Rahimi said")."""
        out: list[MentionRecord] = []
        for tok in _tokens(doc, "pos", ("PROPN",), lambda c, i: not c.ent[i]):
            if not tok.is_title:
                continue
            low = tok.lower_
            younger = tok.i > 0 and doc[tok.i - 1].lower_ in YOUNGER
            antecedent = namesake(people, partial(_surname_of, before=tok.idx, surname=low), year, younger)
            if antecedent is not None:
                out.append(
                    MentionRecord(tok.idx, tok.idx + len(tok.text), tok.text, "PERSON", antecedent.key, "coref", 0.8)
                )
        return out

    def _named_divisions(
        self, doc: Doc, ctx: _PlaceContext, new_entities: dict[str, EntityRecord]
    ) -> list[MentionRecord]:
        """Provinces and districts the NER did not tag: a run of proper nouns before "province", "district",
        ... ("the Barmal district of Afghanistan's Paktika province"): linked when the place index knows
        them, else kept as an unresolved place name (still the most specific place a sentence names)."""
        found: list[MentionRecord] = []
        for tok in _tokens(doc, "lower", _DIVISION_WORDS, lambda c, i: not c.ent[i]):
            start = tok.i
            while start > 0 and tok.i - start < 3 and doc[start - 1].pos_ == "PROPN" and not doc[start - 1].ent_type_:
                start -= 1
            if start == tok.i or (start > 0 and doc[start - 1].pos_ == "PROPN"):
                continue  # no name, or part of a longer name the NER saw otherwise
            span = doc[start : tok.i + 1]
            place = self._place(span.text, ctx)
            key, method = (_keep_place(place, new_entities), "geonames") if place is not None else (None, "unresolved")
            found.append(MentionRecord(span.start_char, span.end_char, span.text, "GPE", key, method, 0.8))
        return found

    def _untagged_places(
        self, doc: Doc, ctx: _PlaceContext, new_entities: dict[str, EntityRecord]
    ) -> list[MentionRecord]:
        """A name after "in"/"near"/"outside" that the NER left untagged in one sentence though it knows it
        elsewhere ("a bomb at a Shia mosque in Mazar-i-Sharif killed 31"): a place when the place index
        knows it as a province, a country, a town of 100,000 people or a town of the document's focus."""
        found: list[MentionRecord] = []
        wanted = ("in", "near", "outside")
        for tok in _tokens(doc, "dep", ("pobj",), lambda c, i: c.pos[i] == "PROPN" and c.lower[c.head[i]] in wanted):
            span = doc[tok.left_edge.i : tok.i + 1]
            if any(t.ent_type_ or not (t.pos_ == "PROPN" or t.text in ("-", "i", "e")) for t in span):
                continue
            place = self._place(span.text, ctx)
            if place is None or not (
                place[1].kind != "city" or place[1].population >= 100_000 or place[1].country_code in ctx.focus
            ):
                continue
            key = _keep_place(place, new_entities)
            found.append(MentionRecord(span.start_char, span.end_char, span.text, "GPE", key, "geonames", 0.8))
        return found

    def _capital_references(
        self, doc: Doc, ctx: _PlaceContext, new_entities: dict[str, EntityRecord]
    ) -> list[MentionRecord]:
        """ "the capital", "the Afghan capital", "the country's capital" (the word "capital" is the
        mention) link to the capital of the country the words name, else of the document's one focus
        country; not "the capital of Helmand province" nor "the capital, Kabul" (the name is there)."""
        focus = ctx.focus
        found: list[MentionRecord] = []
        for tok in _tokens(doc, "lower", ("capital",), lambda c, i: c.pos[i] == "NOUN" and not c.ent[i]):
            after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if after is not None and after.text == "," and tok.i + 2 < len(doc):
                after = doc[tok.i + 2]
            if after is not None and (after.lower_ == "of" or after.ent_type_ in ("GPE", "LOC")):
                continue
            before = list(doc[max(0, tok.i - 3) : tok.i])
            words = [t.lower_ for t in before]
            country: str | None = None
            if (
                words[-1:] == ["the"]
                or words[-3:] == ["the", "country", "'s"]
                or words[-3:] == ["the", "country", "’s"]
            ):
                country = next(iter(focus)) if len(focus) == 1 else None
            elif words[-2:-1] == ["the"] and before[-1].ent_type_ == "NORP":
                country = country_of_demonym(before[-1].text)
            if country is None or country not in capitals():
                continue
            place = self.places.resolve(capitals()[country], {country}, frozenset({country}))
            if place is None or place.country_code != country:
                continue
            key = _keep_place((self._gazetteer_place(place) or place.key, place), new_entities)
            found.append(MentionRecord(tok.idx, tok.idx + len(tok.text), tok.text, "GPE", key, "capital", 0.9))
        return found

    def _title_references(self, doc: Doc, people: list[_Person]) -> list[MentionRecord]:
        """'the general', 'the former minister' -> the nearest earlier person holding that role."""
        out: list[MentionRecord] = []
        for _match_id, start, end in self._title_matcher(doc)(doc):
            span = doc[start:end]
            if end < len(doc) and doc[end].pos_ == "PROPN":
                continue  # "the minister Ahmad Khan": the name itself is tagged separately
            if span.start > 0 and doc[span.start - 1].ent_type_:
                continue
            role = span[-1].lower_
            antecedent = next((p for p in reversed(people) if p.start < span.start_char and role in p.roles), None)
            if antecedent is not None:
                out.append(
                    MentionRecord(
                        span.start_char,
                        span.end_char,
                        span.text,
                        "PERSON",
                        antecedent.key,
                        "title-coref",
                        0.7,
                    )
                )
        return out


def _display_name(text: str) -> str:
    """'The Islamic State's' -> 'Islamic State'."""
    text = re.sub(r"(?:'s|’s)$", "", text.strip())
    return re.sub(r"^(?:the|The)\s+", "", text)


def _keep_place(found: tuple[str, Place], new_entities: dict[str, EntityRecord], label: str = "GPE") -> str:
    """The key of a resolved place, its entity recorded when the place index (not the gazetteer) made it."""
    key, place = found
    if key.startswith(("geo:", "adm1:", "country:")):
        new_entities.setdefault(key, _place_entity(place, label))
    return key


def _place_entity(place: Place, label: str) -> EntityRecord:
    kind = {"country": "state", "admin1": "place", "city": "place"}[place.kind]
    return EntityRecord(
        key=place.key,
        name=place.name,
        kind=kind,
        label="GPE" if place.kind != "city" else label,
        source="geonames" if place.geonames_id else "iso3166",
        geonames_id=place.geonames_id,
        latitude=place.latitude,
        longitude=place.longitude,
        country_code=place.country_code,
        admin1=place.admin1,
        countries=(place.country_code,),
    )


def enrich_gazetteer_places(records: list[EntityRecord], places: PlaceIndex) -> list[EntityRecord]:
    """Attach country codes and coordinates to gazetteer states and places."""
    out = []
    for rec in records:
        if rec.kind in ("state", "place"):
            place = places.resolve(rec.name, set(rec.countries))
            if place is None:
                for alias in rec.aliases:
                    place = places.resolve(alias, set(rec.countries))
                    if place is not None:
                        break
            if place is not None:
                rec = replace(
                    rec,
                    geonames_id=place.geonames_id,
                    latitude=place.latitude,
                    longitude=place.longitude,
                    country_code=place.country_code,
                    admin1=place.admin1,
                )
        out.append(rec)
    return out
