"""What a forecast predicts, and whether later events bear it out. Pure functions, no store.

:func:`direction` reads whether a statement expects something to happen (+1) or expects it not to
happen / gives it a low likelihood (-1): a denial, an ICD-203 band at or below "unlikely", "the
likelihood … is small", "little chance of", or a negated clause ("will not", "never") — but not "no
doubt", "not only", "cannot rule out", "not unlikely", which expect it.

:func:`forecast_target` reads the predicted event from the forecast's content span and the linked
entity mentions inside it: the event type from the events lexicon's triggers, the actors expected to
carry it out (mentions before the trigger or after "by", not those after "against"/"on"/"targeting"
or right after the trigger, which are targets), the places (linked places and countries, and regions
such as "Europe" or "the West" from ``data/lexicons/regions.yaml``).

:func:`resolve_forecast` compares the target with events: an event supports a forecast that expected
it when its type matches, its perpetrator is one of the predicted actors (if any were named), its place
is the predicted place or inside the predicted province/country/region (if any was named), and its date
falls after the claim was made and by the horizon's end. The same event *contradicts* a forecast that
predicted its absence or gave it a low likelihood. A forecast without a horizon stays "open (no
horizon)": it can be neither borne out nor expire.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

import yaml

from watchfloor.extract.lexicon import load_event_lexicon

SUPPORTED, CONTRADICTED, EXPIRED, OPEN = "supported", "contradicted", "expired", "open"
OPEN_NO_HORIZON = "open (no horizon)"
STATUSES = (SUPPORTED, CONTRADICTED, EXPIRED, OPEN, OPEN_NO_HORIZON)
PLACE_KINDS = frozenset({"place", "state"})

_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|cannot|neither|none|nobody|nothing|without)\b|n't\b|\bdeni(?:ed|es)\b", re.I
)
# Negations that do not deny the statement ("no doubt it will happen", "cannot rule it out").
_NOT_A_DENIAL = re.compile(
    r"\b(?:no|little)\s+doubt\b|\bnot\s+(?:only|just|least|merely|simply)\b|\bno\s+(?:question|wonder)\b"
    r"|\b(?:cannot|can't|could\s+not|couldn't|not)\s+(?:be\s+)?rule[ds]?\s+out\b|\bnot\s+(?:be\s+)?ruled\s+out\b"
    r"|\bnot\s+(?:un(?:likely|thinkable|imaginable|common)|impossible|improbable|inconceivable)\b"
    r"|\bwhether\s+or\s+not\b|\bif\s+not\b|\bno\s+(?:sooner|matter)\b|\bnot\s+a\s+question\s+of\s+if\b",
    re.I,
)
_LOW_LIKELIHOOD = re.compile(
    r"\b(?:likelihood|chances?|probability|prospects?|possibility|odds|risk|danger|threat)\b[^.;:!?]{0,160}?"
    r"\b(?:is|are|was|were|remains?|seems?|looks?|appears?|stays?)\s+(?:still\s+)?(?:very\s+|quite\s+|rather\s+|"
    r"extremely\s+|relatively\s+|fairly\s+)?(?:small|slim|low|remote|minimal|negligible|limited|unlikely|nil|zero|"
    r"receding|diminishing|declining)\b"
    r"|\b(?:little|no|small|slim|low|remote|minimal|negligible|scant)\s+(?:chance|likelihood|probability|prospect|"
    r"possibility|risk|danger)s?\b"
    r"|\b(?:highly\s+|very\s+|most\s+)?(?:unlikely|improbable|doubtful)\b",
    re.I,
)
_TARGET_BEFORE = re.compile(r"\b(?:against|on|at|targeting|target|targets|upon|towards?|into)\s+(?:the\s+)?$", re.I)
_AGENT_BEFORE = re.compile(r"\b(?:by|from)\s+(?:the\s+)?$", re.I)
_OBJECT_GAP = re.compile(r"^\s*(?:the\s+)?$", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
# Weak triggers that too often mean something else in a statement about the future ("hit hard").
_NOT_IN_FORECASTS = frozenset({"hit"})


def direction(text: str, kind: str | None = None, band_high: float | None = None) -> int:
    """+1 when the statement expects what it describes, -1 when it denies it or rates it unlikely."""
    if kind == "denial":
        return -1
    if band_high is not None and band_high <= 0.45:
        return -1
    cleaned = _NOT_A_DENIAL.sub(" ", text)
    flips = len(_NEGATION.findall(cleaned))  # "cannot be left without consequences": two cancel out
    if band_high is None and _LOW_LIKELIHOOD.search(cleaned):
        flips += 1
    return -1 if flips % 2 else 1


@dataclass(frozen=True)
class SpanEntity:
    """A linked entity mention inside a claim's content span (offsets relative to the span's text)."""

    start: int
    end: int
    entity: str  # entity key or store id, compared with events' perpetrator/place ids as strings
    kind: str  # the entity's kind (group, person, place, state, …)
    scope: str = "place"  # for places: country, admin1, place
    country: str | None = None
    admin1: str | None = None


@dataclass(frozen=True)
class ForecastTarget:
    event_type: str | None  # attack, kidnapping, …; None when the forecast names no event
    attack_type: str | None
    actors: tuple[str, ...]  # expected perpetrators
    places: tuple[str, ...]  # places expected to be hit (entity ids/keys)
    admin1: tuple[str, ...]  # provinces (ISO 3166-2) the event must fall in
    countries: tuple[str, ...]  # countries (ISO alpha-2), incl. those of named regions
    expects: bool  # False: the forecast predicts absence or low likelihood

    @property
    def checkable(self) -> bool:
        """An event type and an actor or place: otherwise no event can bear it out."""
        return self.event_type is not None and bool(self.actors or self.places or self.admin1 or self.countries)


@lru_cache(maxsize=1)
def _regions() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    spec = yaml.safe_load((resources.files("watchfloor") / "data/lexicons/regions.yaml").read_text("utf-8"))
    out = []
    for item in spec["regions"].values():
        alternation = "|".join(re.escape(p) for p in sorted(item["patterns"], key=len, reverse=True))
        out.append((re.compile(rf"\b(?:{alternation})\b", re.I), tuple(str(c) for c in item["countries"])))
    return tuple(out)


def _lemma_candidates(word: str) -> list[str]:
    w = word.lower()
    out = [w]
    if w.endswith("ies"):
        out.append(w[:-3] + "y")
    if w.endswith("es"):
        out.append(w[:-2])
    if w.endswith("s"):
        out.append(w[:-1])
    if w.endswith("ed"):
        out += [w[:-2], w[:-1], w[:-3] if len(w) > 4 and w[-3] == w[-4] else w[:-2]]
    if w.endswith("ing"):
        out += [w[:-3], w[:-3] + "e", w[:-4] if len(w) > 5 and w[-4] == w[-5] else w[:-3]]
    return out


def event_trigger(text: str) -> tuple[str, str | None, int, int] | None:
    """(event type, attack type, start, end) of the first event word of the text, phrases first."""
    lex = load_event_lexicon()
    found: list[tuple[int, int, str, str | None]] = []
    for m in lex.phrase_pattern.finditer(text.lower()):
        phrase = lex.phrase_triggers[m.group(0)]
        found.append((m.start(), m.end(), phrase.event_type, phrase.attack_type))
    for m in _WORD.finditer(text):
        for lemma in _lemma_candidates(m.group(0)):
            trig = lex.lemma_triggers.get(lemma)
            if trig is not None and lemma not in _NOT_IN_FORECASTS and not trig.requires:
                found.append((m.start(), m.end(), trig.event_type, trig.attack_type))
                break
    if not found:
        return None
    start, end, event_type, attack_type = min(found, key=lambda f: (f[0], -f[1]))
    # A later, more specific word of the same type ("an attack … a car bomb") names the attack type.
    specific = [f for f in found if f[2] == event_type and f[3] not in (None, "unknown")]
    if attack_type in (None, "unknown") and specific:
        attack_type = specific[0][3]
    return event_type, attack_type, start, end


def forecast_target(
    text: str, mentions: Sequence[SpanEntity], kind: str | None = None, band_high: float | None = None
) -> ForecastTarget:
    """What the forecast in ``text`` predicts; ``mentions`` are the linked mentions inside it."""
    trigger = event_trigger(text)
    actors: list[str] = []
    places: list[str] = []
    admin1: list[str] = []
    countries: list[str] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.kind in PLACE_KINDS:
            if m.scope == "country" and m.country:
                countries.append(m.country)
            elif m.scope == "admin1" and m.admin1:
                admin1.append(m.admin1)
            else:
                places.append(m.entity)
            continue
        before = text[max(0, m.start - 30) : m.start]
        if _AGENT_BEFORE.search(before):
            actors.append(m.entity)
        elif _TARGET_BEFORE.search(before):
            continue
        elif trigger is not None and m.start >= trigger[3] and _OBJECT_GAP.match(text[trigger[3] : m.start]):
            continue  # "attack the Taliban": the object of the event word
        elif trigger is None or m.start < trigger[2] or not actors:
            actors.append(m.entity)
    for pattern, codes in _regions():
        if pattern.search(text):
            countries.extend(codes)
    return ForecastTarget(
        event_type=trigger[0] if trigger else None,
        attack_type=trigger[1] if trigger else None,
        actors=tuple(dict.fromkeys(actors)),
        places=tuple(dict.fromkeys(places)),
        admin1=tuple(dict.fromkeys(admin1)),
        countries=tuple(dict.fromkeys(countries)),
        expects=direction(text, kind, band_high) > 0,
    )


@dataclass(frozen=True)
class EventFacts:
    id: int
    date: str | None  # ISO date
    event_type: str
    attack_type: str | None
    perpetrator: str | None  # entity key or id (as a string)
    place: str | None
    admin1: str | None
    country: str | None
    background: bool = False


def event_matches(target: ForecastTarget, event: EventFacts) -> bool:
    """The event is the kind of thing the forecast predicted: type, actor, place (each when named)."""
    if target.event_type is None or event.event_type != target.event_type or event.background:
        return False
    specific = {target.attack_type, event.attack_type} - {None, "unknown"}
    if len(specific) > 1:
        return False
    if target.actors and event.perpetrator not in target.actors:
        return False
    if target.places or target.admin1 or target.countries:
        return (
            (event.place is not None and event.place in target.places)
            or (event.admin1 is not None and event.admin1 in target.admin1)
            or (event.country is not None and event.country in target.countries)
        )
    return True


@dataclass(frozen=True)
class Resolution:
    status: str
    events: tuple[int, ...] = ()


def resolve_forecast(
    target: ForecastTarget,
    published: str | None,
    horizon_start: str | None,
    horizon_end: str | None,
    as_of: date,
    events: Iterable[EventFacts],
) -> Resolution:
    """supported / contradicted / expired / open, or "open (no horizon)" when no horizon is stated."""
    if not horizon_end:
        return Resolution(OPEN_NO_HORIZON)
    end = horizon_end[:10]
    made = (published or horizon_start or "")[:10]
    found = tuple(
        e.id
        for e in sorted(events, key=lambda e: (e.date or "", e.id))
        if target.checkable
        and e.date
        and (e.date[:10] > made if published else e.date[:10] >= made)
        and e.date[:10] <= end
        and e.date[:10] <= as_of.isoformat()
        and event_matches(target, e)
    )
    if found:
        return Resolution(SUPPORTED if target.expects else CONTRADICTED, found)
    return Resolution(EXPIRED if end < as_of.isoformat() else OPEN)


def place_scope(key: str, kind: str) -> str:
    """country / admin1 / place for a linked place entity, from its key (country:AF, adm1:AF-NAN)."""
    if kind == "state" or key.startswith("country:"):
        return "country"
    if key.startswith("adm1:"):
        return "admin1"
    return "place"
