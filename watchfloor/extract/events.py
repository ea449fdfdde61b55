"""Attack and security events from one analysed document (pure: spaCy Doc + links in, records out).

Per sentence: lexicon triggers decide the event type (and GTD attack type, weapon, suicide); the
sentence's DATE mentions give the date (resolved against the publication date), its linked places
the place and country, its armed groups the perpetrator (claimed / attributed / suspected), and
the dependency parse the casualty figures. Sentences that continue the story of the previous event
("The group claimed the bombing", "The toll rose to 60") are merged into it. Events older than
BACKGROUND_DAYS before publication, and named historical attacks ("9/11"), are background.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from watchfloor.extract.casualties import extract_casualties
from watchfloor.extract.docindex import DocIndex, span_text, tables_of
from watchfloor.extract.lexicon import EventLexicon, Trigger, load_event_lexicon
from watchfloor.extract.merge import EventKey, same_event
from watchfloor.extract.numbers import Amount, parse_cardinal
from watchfloor.extract.versions import EVENTS_VERSION
from watchfloor.link.place_words import described_as_place, load_place_words, measured_from, not_event_place
from watchfloor.link.temporal import resolve
from watchfloor.models import EventRecord, MentionRecord

EXTRACTOR_VERSION = EVENTS_VERSION  # defined in extract/versions.py (light: the store imports it)
BACKGROUND_DAYS = 180
CLAIM_WORDS = re.compile(r"\bclaim(?:ed|s|ing)?\b(?! (?:the )?lives)|\bresponsibility\b", re.I)
# "No group has claimed the attack", "no claim of responsibility was made", "denying their responsibility":
# the claim words are there, the claim is not.
NO_CLAIM = re.compile(
    r"\bno (?:\w+ )?(?:group|one|organi[sz]ation|claim)s?\b|\b(?:not|yet to|never) (?:yet )?(?:been )?claim"
    r"|\bunclaimed\b|\bden(?:y|ies|ied|ying)\b[^.;]*\bresponsib",
    re.I,
)
ATTRIBUTE_WORDS = re.compile(r"\b(?:blam\w*|attribut\w*|accus\w*|behind|carried out by|responsible)\b", re.I)
SUSPECT_WORDS = re.compile(r"\b(?:suspect\w*|believed|likely|probably|alleged\w*|thought to)\b", re.I)
# A report that calls itself a further incident: "another bomb", "a second blast", "a separate attack".
ANOTHER = re.compile(r"\b(?:another|second|third|separate|earlier|previous|similar|other|new)\b", re.I)
# "a week later", "two days later", "months later", "a day earlier": a date counted from the incident told
# before (forwards or backwards).
LATER = re.compile(
    r"\b(?:(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}) )?(day|week|month|year)(s?)"
    r" (later|earlier)\b"
    r"|\bthe (?:(next|following)|(previous|preceding)) day\b|\bthe day (before)[,.]",
    re.I,
)
# ... and words that mark a further incident whatever else matches ("Meanwhile, two bombs were thrown at ...").
SEPARATE = re.compile(r"\b(?:another|a second|a third|separate(?:ly)?|meanwhile|elsewhere|likewise)\b", re.I)
# A toll told after one of these belongs to another incident than the one just reported (not "a third
# man was wounded": SEPARATE's "a third" counts incidents, here it counts victims).
TOLL_ELSEWHERE = re.compile(
    r"\b(?:meanwhile|elsewhere|separately|likewise|in (?:an)?other (?:incidents?|attacks?))\b", re.I
)
DEFINITE_REF = re.compile(
    r"\b(?:the|that|this|sunday's|monday's|tuesday's|wednesday's|thursday's|friday's|saturday's)"
    r" (?:[\w-]+ ){0,2}(?:attack|bombing|blast|explosion|assault|shooting|stabbing|raid|massacre|ambush|"
    r"strike|hijacking|kidnapping|siege|(?:attacker|gunman|gunmen|bomber|assailant|shooter|hijacker|"
    r"knifeman|stabber)s?)\b",
    re.I,
)
PLACE_PREFIX = ("geo:", "adm1:", "country:")
GROUP_KINDS = {"armed_group"}
# Security operations (strikes, arrests, offensives) are carried out by states' forces.
FORCE_KINDS = {"military", "security_service", "state", "government_body", "armed_group"}
OPERATION_TYPES = {"air_strike", "arrest", "military_offensive", "cross_border_fire", "leader_killed"}
REPORTING_LEMMAS = {"say", "announce", "state", "claim", "confirm", "report", "tell", "brief"}
# How far (in sentences) a later "X claimed the attack" may be from the event it is about.
RESPONSIBILITY_WINDOW = 8
SOURCE_NOUNS = {
    "official",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "authority",
    "government",
    "minister",
    "ministry",
    "police",
    "medium",
    "statement",
    "agency",
    "administration",
    "source",
    "commander",
    "leader",
    "governor",
    "health",
    "interior",
    "information",
    "channel",
    "outlet",
    "media",
}


@dataclass(frozen=True)
class EntityInfo:
    kind: str
    country: str | None
    parent: str | None = None  # the organisation this one is a branch of (gazetteer)


InfoLookup = Callable[[str], EntityInfo | None]


def _sentence_triggers(
    sent: Span, lex: EventLexicon, index: DocIndex | None = None, groups: frozenset[int] = frozenset()
) -> list[tuple[Trigger, int, int]]:
    """(trigger, start char, end char) for every lexicon match in the sentence, phrases first. ``groups``:
    indices of the tokens naming an armed group (an agent trigger such as "killed" needs an armed actor)."""
    found: list[tuple[Trigger, int, int]] = []
    lower = span_text(sent).lower()
    taken = [(sent.start_char + m.start(), sent.start_char + m.end()) for m in lex.not_event_pattern.finditer(lower)]
    blocked = list(taken)
    for m in lex.phrase_pattern.finditer(lower):  # one pass over the sentence for all phrases
        start, end = sent.start_char + m.start(), sent.start_char + m.end()
        if any(s <= start < e for s, e in blocked):
            continue
        taken.append((start, end))
        span = sent.doc.char_span(start, end, alignment_mode="expand")
        if span is not None and _not_happened(span.root, lex):
            continue  # "a large military operation ... is unlikely", "could open fire"
        found.append((lex.phrase_triggers[m.group(0)], start, end))
    lemmas, lowers, idx = (index or DocIndex(sent.doc)).lowers
    get, agent_get = lex.lemma_triggers.get, lex.agent_triggers.get
    for i in range(sent.start, sent.end):  # token columns: no spaCy Token made for the many non-triggers
        found_trig = get(lemmas[i]) or get(lowers[i])
        needs_actor = found_trig is None
        found_trig = found_trig or agent_get(lemmas[i]) or agent_get(lowers[i])
        if found_trig is None or any(s <= idx[i] < e for s, e in taken):
            continue
        tok = sent.doc[i]
        if needs_actor and not (_told_as_done(tok, lex, groups) and _one_incident(tok)):
            continue
        if found_trig.weak and _told_as_done(tok, lex, groups):
            found_trig = dataclasses.replace(found_trig, weak=False)  # "FMLN terrorists attacked the post"
        if _not_happened(tok, lex) or _epithet(tok):
            continue
        found.append((found_trig, tok.idx, tok.idx + len(tok.text)))
    return sorted(found, key=lambda x: x[1])


def _one_thing(noun: Token) -> bool:
    """A definite, counted or named object ("the mayor's office", "nine vehicles", "a peasant", "hundreds
    of civilians"), not a vague many ("has killed or detained many of its commanders")."""
    if noun.pos_ == "PROPN" or noun.like_num or noun.lower_ in ("dozens", "hundreds", "thousands", "scores"):
        return True
    return any(
        (c.dep_ == "det" and c.lower_ in ("a", "an", "the", "this", "that")) or c.dep_ in ("nummod", "poss")
        for c in noun.children
    )


def _one_incident(verb: Token) -> bool:
    """The verb tells one deed done to someone or something named, not a tally over a period ("has killed
    or detained many of its commanders since 2021")."""
    if any(c.dep_ == "prep" and c.lower_ in ("since", "over", "throughout") for c in verb.children):
        return False
    partners = [verb, *verb.conjuncts]
    return any(c.dep_ in ("dobj", "nsubjpass") and _one_thing(c) for v in partners for c in v.children)


def _told_as_done(verb: Token, lex: EventLexicon, groups: frozenset[int]) -> bool:
    """An armed actor did it, told in a finite verb ("militants killed", "rebels kill five"); not an
    infinitive or a bare form ("I would expect IS-K to strike another gathering")."""
    return verb.tag_ in ("VBD", "VBN", "VBZ", "VBP") and _armed_actor(verb, lex, groups)


def _armed_actor(verb: Token, lex: EventLexicon, groups: frozenset[int]) -> bool:
    """Whether the verb's doer is an armed actor: its subject, its "by" agent, the subject of the verb it
    is coordinated with ("guerrillas killed a peasant and burned a truck") or the noun a relative clause
    hangs from ("the rebels who burned the office")."""
    node = verb
    for _ in range(3):
        doers = [c for c in node.children if c.dep_ == "nsubj"]
        doers += [g for c in node.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if doers:
            break
        if node.dep_ != "conj" or node.head is node:
            return False
        node = node.head
    for doer in doers:
        if doer.lower_ in ("who", "that") and node.dep_ == "relcl":
            doer = node.head
        if doer.lemma_.lower() in ("number", "group", "band", "squad", "column", "unit", "dozen", "hundred"):
            # "an unknown number of FMLN terrorists attacked"
            doer = next((g for c in doer.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), doer)
        if doer.i in groups or doer.lower_ in lex.armed_actor_nouns or doer.lemma_.lower() in lex.armed_actor_nouns:
            return True
    return False


def _epithet(tok: Token) -> bool:
    """A trigger noun used as a name's title tells no incident: "murderer Colonel Canas"."""
    return tok.pos_ == "NOUN" and tok.dep_ == "compound" and tok.head.ent_type_ == "PERSON"


def _not_happened(tok: Token, lex: EventLexicon) -> bool:
    """Threats, plans, foiled plots, hypotheticals, purposes and accidents are not attacks."""
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in lex.modals for c in tok.children):
        return True
    if tok.dep_ in ("dobj", "attr") and any(c.dep_ == "aux" and c.lower_ in lex.modals for c in tok.head.children):
        return True  # the object of a modal verb: "we will likely see more bombings", "they could carry out attacks"
    if tok.dep_ in ("advcl", "acl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return True  # a purpose: "taken to the jail to be murdered", "men sent to attack the base"
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if any(c.lower_ in lex.accident_words for c in (*tok.children, *tok.head.children) if c.dep_ in ("amod", "advmod")):
        return True  # "two accidental explosions", "the device detonated accidentally"
    head = tok.head
    for _ in range(2):
        if head.lemma_.lower() in lex.not_happened_heads and head is not tok:
            return True
        head = head.head
    noun = tok.head if tok.dep_ == "compound" else tok
    # "a large military operation inside Afghanistan is unlikely": a forecast, not an event
    return noun.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ == "acomp" and c.lemma_.lower() in lex.likelihood_words for c in noun.head.children
    )


def _leader_is_killed(sent: Span, start: int, end: int, lex: EventLexicon) -> bool:
    """Whether the one killed is a leader: a leader word in the trigger ("killed the leader") or in the
    subject or object of its verb ("the group's commander was killed in"), not anywhere in the sentence
    ("fighters were killed in a raid, according to a Taliban spokesman")."""
    words = [t for t in sent if start <= t.idx < end]
    if any(t.lower_ in lex.leader_words for t in words):
        return True
    for verb in (t for t in words if t.pos_ in ("VERB", "AUX")):
        for arg in verb.children:
            if arg.dep_ in ("nsubj", "nsubjpass", "dobj") and any(t.lower_ in lex.leader_words for t in arg.subtree):
                return True
    return False


def _names_attackers(doc: Doc, start: int, end: int, lex: EventLexicon) -> bool:
    """Whether a trigger is a noun for the attackers ("gunmen"), not for what they did."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and span.root.lower_ in lex.armed_actor_nouns


def _told_before_under(doc: Doc, start: int, end: int, others: list[tuple[Trigger, int, int]]) -> bool:
    """Whether an attack trigger is a definite reference ("the bombing") inside the clause of another
    event's verb ("arrested three suspects linked to the bombing")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in span.root.children):
        return False
    ancestors = set(t.i for t in span.root.ancestors)
    for _, a, b in others:
        verb = doc.char_span(a, b, alignment_mode="expand")
        if verb is not None and verb.root.pos_ == "VERB" and verb.root.i in ancestors:
            return True
    return False


def _choose(triggers: list[tuple[Trigger, int, int]], sent: Span, lex: EventLexicon) -> tuple[Trigger, int, int] | None:
    words = set(tables_of(sent.doc).columns.lower[sent.start : sent.end])
    usable = []
    for trig, s, e in triggers:
        if trig.requires == "leader" and not _leader_is_killed(sent, s, e, lex):
            continue
        if trig.requires == "hostage" and not words & lex.hostage_words:
            continue
        if trig.requires == "fire" and not words & lex.fire_words:
            continue
        usable.append((trig, s, e))
    if not usable:
        return None
    strong = [u for u in usable if not u[0].weak]
    special = [u for u in strong if u[0].event_type in ("leader_killed", "hostage_release", "cross_border_fire")]
    if special:
        return special[0]
    attacks = [u for u in strong if u[0].event_type == "attack"]
    others = [u for u in strong if u[0].event_type != "attack"]
    kidnap = [u for u in others if u[0].event_type == "kidnapping"]
    if kidnap and all(_names_attackers(sent.doc, a, b, lex) for _, a, b in attacks):
        return kidnap[0]  # "Gunmen abducted 280 pupils": the attackers' noun says who, the verb what happened
    if others and attacks and all(_told_before_under(sent.doc, a, b, others) for _, a, b in attacks):
        return others[0]  # "arrested three suspects linked to the bombing": an arrest, the bombing told before
    if attacks:
        return max(attacks, key=lambda u: lex.attack_priority.get(u[0].attack_type or "unknown", 0))
    if others:
        return others[0]
    return usable[0]


def _place_rank(m: MentionRecord, ei: EntityInfo | None) -> int:
    """Countries are the least specific place, then provinces and facilities; towns and villages
    (including ones the place index does not know) are the most specific."""
    key = m.entity_key or ""
    if key.startswith("country:") or (ei is not None and ei.kind == "state"):
        return 1
    if key.startswith("adm1:") or m.label == "FAC":
        return 2
    if not key and m.text.split()[-1].casefold() in load_place_words().landmark_nouns:
        return 2  # an unknown "Lido beach": a site in the town the sentence names, not a town
    if ei is not None and ei.kind not in ("place",) and not key.startswith(PLACE_PREFIX):
        return 0  # a linked non-place (a group, a person) that NER called a GPE
    return 3


def _place_rank_of(key: str | None, info: InfoLookup) -> int:
    """A stored place key's rank (see ``_place_rank``); 0 when there is none."""
    if not key:
        return 0
    ei = info(key)
    if key.startswith("country:") or (ei is not None and ei.kind == "state"):
        return 1
    return 2 if key.startswith("adm1:") else 3


def _not_where_it_happened(doc: Doc, m: MentionRecord) -> bool:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if (before is not None and before.text == "-" and not before.whitespace_) or (
        after is not None and after.text == "-" and not span[-1].whitespace_
    ):
        return True  # a name inside a hyphenated modifier: "the Chilean-U.S. Institute", "a Kabul-based group"
    head = span.root.head
    # "U.S. Secretary of Defense Ash Carter": the place belongs to a person's title
    return not_event_place(span.root) or (head.i not in range(span.start, span.end) and head.ent_type_ == "PERSON")


def _country_as_actor(doc: Doc, m: MentionRecord) -> bool:
    """A country that modifies a noun names who did or owns something ("US airstrikes", "Pakistan's
    airstrikes on Paktika"), unless the noun is a part of it ("Afghanistan's Paktika province", "Syria's
    north"). (A town does name the place: "the Kabul bombing", "Kabul's airport".)"""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or span.root.dep_ not in ("compound", "poss") or span.root.head.i in range(span.start, span.end):
        return False
    words = load_place_words()
    noun = span.root.head.lemma_.lower()
    return noun not in words.place_nouns and noun not in words.landmark_nouns and noun not in words.region_nouns


def _place(
    sent: Span, mentions: list[MentionRecord], info: InfoLookup, anchor: int
) -> tuple[str | None, str | None, str | None]:
    """The most specific place in the sentence; among equals, the one nearest the trigger.

    A town the place index does not know still names the place (its key stays empty); its country
    comes from the best-resolved place in the same sentence.
    """
    best: tuple[tuple[int, int], MentionRecord, EntityInfo | None] | None = None
    country: tuple[int, str] | None = None
    for m in mentions:
        if not (sent.start_char <= m.start < sent.end_char) or m.label not in ("GPE", "LOC", "FAC"):
            continue
        ei = info(m.entity_key) if m.entity_key else None
        rank = _place_rank(m, ei)
        if rank == 0 or _not_where_it_happened(sent.doc, m) or (rank == 1 and _country_as_actor(sent.doc, m)):
            continue
        if ei is not None and ei.country and (country is None or rank > country[0]):
            country = (rank, ei.country)
        first = sent.doc.char_span(m.start, m.end, alignment_mode="expand")
        if first is not None and measured_from(first[0]):
            continue  # "a village 180 km from Lima": the country holds, Lima is not the place
        score = (rank, -abs(m.start - anchor))
        if best is None or score > best[0]:
            best = (score, m, ei)
    if best is None:
        return None, None, country[1] if country else None
    _score, m, ei = best
    return m.entity_key, m.text, (ei.country if ei and ei.country else country[1] if country else None)


def _elsewhere(sent: Span, mentions: list[MentionRecord], info: InfoLookup, event: EventRecord) -> bool:
    """Whether a sentence without a trigger is set in another town than ``event`` ("one person died
    when a train was derailed near Oroya" after an arson in Huaraz): its toll is not that event's."""
    key, text, _country = _place(sent, mentions, info, sent.start_char)
    if text is None:
        # a town NER missed, described as one: "one person died when a train was derailed near Oroya, a
        # key mining town" after an arson in Huaraz
        named = next((t for t in sent if described_as_place(t)), None)
        key, text = None, named.text if named is not None else None
    if text is None or (key is not None and _place_rank_of(key, info) < 3) or event.place_text is None:
        return False  # no town named (a town the place index does not know has no key)
    if re.search(rf"\b{re.escape(text.casefold())}\b", event.place_text.casefold()):
        return False  # a town on the event's route: "the bus to Usulutan" after "the San Salvador - Usulutan road"
    return (key or text.casefold()) != (event.place_key or event.place_text.casefold())


def _group_mentions(sent: Span, mentions: list[MentionRecord], info: InfoLookup) -> list[MentionRecord]:
    """The sentence's mentions linked to armed groups."""
    return [
        m
        for m in mentions
        if sent.start_char <= m.start < sent.end_char
        and m.entity_key
        and (ei := info(m.entity_key)) is not None
        and ei.kind in GROUP_KINDS
    ]


def _perpetrator(
    sent: Span, mentions: list[MentionRecord], info: InfoLookup, trigger_tok: Token | None
) -> tuple[str | None, str | None, str]:
    groups = _group_mentions(sent, mentions, info)
    if not groups:
        return None, None, "unknown"
    doc = sent.doc
    candidates = []
    for m in groups:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        # "an attack on the Taliban", "against ISKP": the group is the target, not the perpetrator
        path = [root, *list(root.ancestors)[:3]]
        if any(t.dep_ == "pobj" and t.head.lower_ in ("on", "against", "targeting") for t in path[:2]):
            continue
        if any(t.lower_ in ("against", "on") and t.dep_ == "prep" and t.i < root.i for t in path[1:3]):
            continue
        if root.dep_ in ("compound", "poss", "amod", "nmod") and root.head.lemma_.lower() in SOURCE_NOUNS:
            continue  # "a Taliban health official said": the group is the source, not the perpetrator
        if root.dep_ in ("compound", "amod", "nmod") and root.head.dep_ in ("dobj", "nsubjpass"):
            continue  # "jets struck suspected TTP hideouts", "ISKP fighters were killed": the side struck
        candidates.append((m, root))
    if not candidates:
        return None, None, "unknown"
    text = span_text(sent)
    related = next((m for m, root in candidates if _attacker_belongs_to(root)), None)
    if trigger_tok is not None and related is None:
        for m, root in candidates:
            subject = root.head if root.dep_ == "compound" else root  # "BLA fighters launched attacks"
            if _carried_out(trigger_tok) and subject.dep_ == "nsubj" and subject.head == trigger_tok.head:
                related = m  # "Hezbollah fired 40 rockets": the subject of the verb the trigger is the object of
                break
            heads = [root.head, root.head.head, root.head.head.head]
            if (root.dep_ in ("nsubj", "nsubjpass", "agent", "pobj") and trigger_tok in heads) or trigger_tok in heads[
                :2
            ]:
                related = m
                break
    if CLAIM_WORDS.search(text) and not NO_CLAIM.search(text) and not _claims_a_statement(sent):
        return candidates[0][0].entity_key, candidates[0][0].text, "claimed"
    if SUSPECT_WORDS.search(text):
        m = related or candidates[0][0]
        return m.entity_key, m.text, "suspected"
    if ATTRIBUTE_WORDS.search(text):
        m = related or candidates[0][0]
        return m.entity_key, m.text, "attributed"
    if related is not None:
        return related.entity_key, related.text, "attributed"
    return None, None, "unknown"


def _most_specific(events: list[EventRecord], key: str, text: str | None, info: InfoLookup) -> tuple[str, str | None]:
    """One perpetrator named as a branch and as its parent in one document is the branch: the events that
    gave the parent ("claimed by Islamic State") take the branch ("the Islamic State's Afghan branch, ISKP,
    claimed the bombing"), and a report naming the parent after the branch takes the branch."""
    own = info(key)
    for event in events:
        other = event.perpetrator_key
        if other is None or other == key:
            continue
        if own is not None and own.parent == other:
            event.perpetrator_key, event.perpetrator_text = key, text
        elif (found := info(other)) is not None and found.parent == key:
            return other, event.perpetrator_text
    return key, text


def _claims_a_statement(sent: Span) -> bool:
    """Whether "claim" here asserts something ("ISKP claimed that the Taliban are allied with the US") rather
    than taking responsibility: a subject, then the clause right after the verb, and no object."""
    return any(
        tok.lemma_.lower() == "claim"
        and tok.pos_ == "VERB"
        and any(c.dep_ == "nsubj" for c in tok.children)  # not "claimed by the Islamic State, in which ..."
        and any(c.dep_ == "ccomp" and c.left_edge.i == tok.i + 1 for c in tok.children)  # "claimed (that) X"
        and not any(c.dep_ == "dobj" for c in tok.children)  # not "claimed responsibility for ..., that freed"
        for tok in sent
    )


def _carried_out(trigger: Token) -> bool:
    """Whether the trigger is the object of a verb of doing it: "fired 40 rockets", "launched attacks"
    (not "condemned Sunday's bombing")."""
    return trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in load_event_lexicon().perpetration_verbs


def _attackers_group(sent: Span, mentions: list[MentionRecord], info: InfoLookup) -> MentionRecord | None:
    """The armed group of the sentence the text puts the attackers in ("the bomber was a member of ISKP")."""
    for m in _group_mentions(sent, mentions, info):
        span = sent.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and _attacker_belongs_to(span.root):
            return m
    return None


def _attacker_belongs_to(group: Token) -> bool:
    """Whether the text puts the attackers in this group: "the shooter was a member of Hamas", "the bomber,
    an ISKP operative", "one of the gunmen was a TTP commander"."""
    lex = load_event_lexicon()
    noun = group.head.head if group.dep_ == "pobj" and group.head.lower_ == "of" else group.head
    if group.dep_ not in ("pobj", "compound", "nmod", "amod") or noun.lower_ not in lex.membership_nouns:
        return False
    if noun.dep_ == "appos":
        return noun.head.lower_ in lex.armed_actor_nouns
    if noun.dep_ != "attr":
        return False
    for subject in (c for c in noun.head.children if c.dep_ == "nsubj"):
        # "one of the gunmen": the attackers are the object of the subject's "of"
        words = [subject, *(g for p in subject.children if p.lower_ == "of" for g in p.children)]
        if any(w.lower_ in lex.armed_actor_nouns for w in words):
            return True
    return False


def _acting_force(
    sent: Span, mentions: list[MentionRecord], info: InfoLookup, trigger_tok: Token | None
) -> tuple[str | None, str | None, str]:
    """Who carried out a strike, arrest or offensive: the trigger's subject or agent, when linked.

    A force reporting its own operation ("the army said it killed…") has *claimed* it; otherwise
    it is *attributed* to the force by whoever the article cites.
    """
    if trigger_tok is None:
        return None, None, "unknown"
    doc = sent.doc
    by_token: dict[int, MentionRecord] = {}
    for m in mentions:
        if sent.start_char <= m.start < sent.end_char and m.entity_key:
            ei = info(m.entity_key)
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if ei and ei.kind in FORCE_KINDS and span is not None:
                by_token[span.root.i] = m
    verbs = [trigger_tok]
    if trigger_tok.pos_ != "VERB":  # "killed six militants in a drone strike": the governing verb acts
        verbs += [t for t in trigger_tok.ancestors if t.pos_ in ("VERB", "AUX")][:1]
    for verb in list(verbs):
        # "the army said it killed…": the pronoun stands for the reporting verb's subject
        pronoun = any(c.dep_ == "nsubj" and c.lower_ in ("it", "they") for c in verb.children)
        if pronoun and verb.head.lemma_.lower() in REPORTING_LEMMAS:
            verbs.append(verb.head)
    for verb in verbs:
        for child in verb.children:
            heads = [child] if child.dep_ in ("nsubj", "nsubjpass") else []
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
                heads = [g for g in child.children if g.dep_ == "pobj"]
            if child.dep_ == "nsubjpass":
                continue  # "militants were arrested": the subject is on the receiving end
            for head in heads:
                candidates = [head, *(t for t in head.subtree if t.dep_ in ("compound", "pobj", "poss"))]
                for tok in candidates:
                    if tok.i in by_token:
                        m = by_token[tok.i]
                        own = any(
                            t.lemma_.lower() in REPORTING_LEMMAS
                            and any(
                                c.dep_ == "nsubj" and (c.i == tok.i or c.lower_ in ("it", "they")) for c in t.children
                            )
                            for t in sent
                        )
                        return m.entity_key, m.text, "claimed" if own or not _cited(sent) else "attributed"
    return None, None, "unknown"


def _reports_itself(verb: Token, actor: Token) -> bool:
    return any(c.dep_ == "nsubj" and (c.i == actor.i or c.lower_ in ("it", "they")) for c in verb.children)


def _cited(sent: Span) -> bool:
    return any(t.lemma_.lower() in REPORTING_LEMMAS for t in sent) or "according to" in span_text(sent).lower()


def _responsibility(
    events: list[EventRecord],
    first_sentence: dict[int, int],
    index: DocIndex,
    info: InfoLookup,
    used: set[int] | None = None,
) -> None:
    """Give attacks without a perpetrator the group that a nearby sentence says claimed or was blamed
    (not a sentence in ``used``, whose claim went to the incidents it names).

    Reports often name the group a few sentences after the attack ("ISKP claimed the bombing in a
    statement on Amaq") or in the headline. The nearest such sentence after the event, before the
    next event's first sentence, wins; the headline counts for the first event.
    """
    ordered = sorted((first_sentence[id(e)], e) for e in events if id(e) in first_sentence)
    cues: dict[int, tuple[str, str, str]] = {}
    sents = index.sents
    for i, sent in enumerate(sents):
        if used and i in used:
            continue
        key, text, status = _perpetrator(sent, index.mentions_in(sent), info, None)
        if key and text and status != "unknown":
            cues[i] = (key, text, status)
    for n, (start, event) in enumerate(ordered):
        if event.perpetrator_key or event.event_type not in ("attack", "kidnapping"):
            continue
        stop = min([start + RESPONSIBILITY_WINDOW + 1, *(s for s, _ in ordered[n + 1 :] if s > start)])
        if event.is_background:
            # an old incident the text tells as one ("on 26 March, a suicide attack ... No group claimed
            # it, but officials blamed the TTP"): only the very next sentence speaks of its perpetrator
            if event.date_method != "text" or start + 1 not in cues:
                continue
            stop = min(stop, start + 2)  # and not when that sentence tells an incident of its own
        window = [i for i in range(start + 1, stop) if i in cues]
        if not window and n == 0:
            window = [i for i in range(0, start) if i in cues][:1]
        if window:
            event.perpetrator_key, event.perpetrator_text, event.perpetrator_status = cues[window[0]]
            event.evidence.append((sents[window[0]].start_char, sents[window[0]].end_char))


def _target(sent: Span, lex: EventLexicon, index: DocIndex) -> tuple[str | None, str]:
    lower = " " + span_text(sent).lower() + " "
    for target_type, words in lex.target_types.items():
        for word in words:
            idx = lower.find(" " + word)
            if idx >= 0 and not lower[idx + 1 + len(word)].isalpha():
                start = sent.start_char + idx
                for chunk in index.noun_chunks_in(sent):
                    if chunk.start_char <= start < chunk.end_char:
                        return chunk.text, target_type
                return word, target_type
    return None, "unknown"


def _weapon(sent: Span, lex: EventLexicon, trigger: Trigger) -> str | None:
    if trigger.weapon:
        return trigger.weapon
    lower = span_text(sent).lower()
    for weapon, words in lex.weapons.items():
        if any(re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", lower) for w in words):
            return weapon
    return None


_LIST_MARK = re.compile(r"[ \t]*(?:[*•·▪◦‣–—-]|\d{1,3}[.)])")


# A timeline entry: a full day date and a toll on one line.
_TIMELINE_ENTRY = re.compile(
    r"(?=.*\b(?:\d{1,2} [A-Z][a-z]+,? \d{4}|[A-Z][a-z]+\.? \d{1,2},? \d{4}|\d{4}-\d\d-\d\d)\b)"
    r"(?=.*\b\d[\d,]* (?:\w+ )?(?:killed|dead|died|injured|wounded)\b)",
)


def _verbless_list_item(sent: Span, text: str) -> bool:
    """A sentence on a bulleted or numbered line without a finite verb ("* 2007 Bagram Airfield bombing",
    "*2015-12-21, Special Agent …, US Bomb"): an entry of a see-also list, a roll of the dead or a
    headline index, which names an attack told elsewhere rather than reporting one. The line, not the
    sentence, is read: the parser often splits "* 2007" from the rest of its line."""
    start = text.rfind("\n", 0, sent.start_char) + 1
    if not _LIST_MARK.match(text, start):
        return False
    end = text.find("\n", sent.start_char)
    line = sent.doc.char_span(start, len(text) if end < 0 else end, alignment_mode="expand")
    tokens = line if line is not None else sent
    if _TIMELINE_ENTRY.search(tokens.text):
        return False  # "- 3 January 2024: twin bombings in Kerman, Iran; 95 killed": a dated toll is a report
    return not any(t.tag_ in ("VBD", "VBZ", "VBP") or "Fin" in t.morph.get("VerbForm", []) for t in tokens)


def _dated_by_possessive(tok: Token | None) -> bool:
    """Whether a weak trigger noun is dated by a possessive day or a date before it ("Saturday's attack",
    "last week's attack", "the August 2021 attack"): an incident, not a figure of speech."""
    return tok is not None and any(
        c.dep_ in ("poss", "nmod", "compound", "npadvmod") and c.ent_type_ == "DATE" for c in tok.children
    )


def _acting_agents(tok: Token) -> bool:
    """Whether a plural trigger names attackers who acted ("gunmen and suicide bombers attacked the
    camp"): the subject, or a conjunct of it, of a past-tense verb; not a generic plural ("suicide
    bombers are a growing threat", "attacks on minorities")."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if any(c.dep_ == "nummod" for c in tok.children):
        return True  # "21 bombs had gone off", "two explosions": counted, so particular
    verb = tok.head
    perfect = verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)
    return tok.dep_ in ("nsubj", "nsubjpass") and (verb.tag_ == "VBD" or perfect)


def _date(
    sent: Span, index: DocIndex, published: date | None, trigger_tok: Token | None, not_before: date | None = None
) -> tuple[str | None, str | None, date | None, bool]:
    """The date attached to the trigger's verb if any, else the date nearest the trigger.

    The last item says whether the year was inferred from the not-before bound (no publication date).
    """
    verb = trigger_tok
    if verb is not None and verb.pos_ not in ("VERB", "AUX"):
        verb = verb.head
    candidates = []
    for ent in index.ents_in(sent):
        # "the morning of 1 March 2019" is tagged TIME: a time entity that names a day is a date too
        if ent.label_ not in ("DATE", "TIME"):
            continue
        found = resolve(ent.text, published) if published else resolve(ent.text, not_before, bound=True)
        if found is None:
            continue
        attached = verb is not None and (ent.root.head == verb or ent.root.head.head == verb)
        if not attached and _reported_on(ent):
            continue  # "prosecutors said on Sunday": when it was reported, not when it happened
        distance = abs(ent.start_char - verb.idx) if verb is not None else 0
        candidates.append((not attached, distance, found))
    if not candidates:
        year = _year_modifier(trigger_tok, published or not_before)
        if year is not None:  # "the 2016 Chelsea bombing", where no date entity says more
            return str(year), "year", date(year, 1, 1), False
        return None, None, None, False
    found = min(candidates, key=lambda c: (c[0], c[1]))[2]
    return found.date, found.precision, found.first_day, found.inferred


def _year_modifier(trigger: Token | None, limit: date | None) -> int | None:
    """A year written before a trigger noun ("the 2016 Chelsea bombing", "the 1998 embassy bombings"), not
    after the document's date; the NER often takes it for a cardinal number."""
    if trigger is None or trigger.pos_ not in ("NOUN", "PROPN"):
        return None
    latest = (limit or date.today()).year
    for child in trigger.children:
        if (
            child.i < trigger.i
            and child.dep_ in ("nummod", "compound", "amod", "nmod")
            and re.fullmatch(r"(?:19|20)\d\d", child.text)
        ):
            year = int(child.text)
            return year if year <= latest else None
    return None


def _reported_on(ent: Span) -> bool:
    """A day without a year that a reporting verb governs: "said on Sunday", "briefed reporters on Saturday"."""
    governor = ent.root.head.head if ent.root.head.dep_ == "prep" else ent.root.head
    if any(c.dep_ == "ccomp" and c.i < ent.start for c in governor.children) and ent.start < governor.i:
        return False  # "Gunmen abducted 280 pupils ..., on Thursday, residents said": the parse hangs the
        # day of the report's clause on "said"; said on a day reads "residents said on Thursday"
    return governor.lemma_.lower() in REPORTING_LEMMAS and not re.search(r"\d{4}", ent.text)


def _line_date(
    sent: Span, index: DocIndex, published: date | None, not_before: date | None
) -> tuple[str | None, str | None, date | None, bool]:
    """The latest date of the earlier sentences on the sentence's line, for a sentence with none of its own:
    the date that opens a timeline entry ("- **Jan. 30, 2023** — Bombing at the Peshawar Police Lines mosque
    kills about 100", the parser made the date a sentence of its own), or the day a paragraph's story is at.
    Not a day something was said on, and not for a report that refers back ("the bombing"): that incident
    has its own date, and an inherited one would split it."""
    line_start = index.text.rfind("\n", 0, sent.start_char) + 1
    number = index.sentence_no(sent)
    if number is None or line_start >= sent.start_char:
        return None, None, None, False
    sents = index.sents
    for i in range(number - 1, -1, -1):  # back to the line's start only: linear in the document
        before = sents[i]
        if before.start_char < line_start:
            break
        for ent in reversed(index.ents_in(before)):
            if ent.label_ == "DATE" and not _reported_on(ent):
                found = resolve(ent.text, published) if published else resolve(ent.text, not_before, bound=True)
                if found is not None:
                    return found.date, found.precision, found.first_day, found.inferred
    return None, None, None, False


# "the death toll rose to 15": a later, higher figure replaces the first report's
TOLL_UPDATE = re.compile(r"\b(?:rose|risen|rising|climbed|climbing|increased|jumped|reached)\b", re.I)


def _apply_amount(event: EventRecord, field: str, amount: Amount | None, update: bool = False) -> None:
    """Set a toll the event lacks; with ``update`` also raise one it has (an updated figure)."""
    if amount is None:
        return
    known = getattr(event, field) if getattr(event, field) is not None else getattr(event, field + "_low")
    if known is not None:
        new = amount.value if amount.value is not None else amount.low
        if not update or new is None or new <= known:
            return
    setattr(event, field, amount.value)
    setattr(event, field + "_low", amount.low)
    setattr(event, field + "_high", amount.high)


def _historical(sent: Span, lex: EventLexicon, published: date | None, text: str) -> EventRecord | None:
    lower = span_text(sent).lower()
    for item in lex.historical:
        for phrase in item["phrases"]:
            idx = lower.find(str(phrase).lower())
            if idx < 0:
                continue
            day = date.fromisoformat(item["date"])
            if published is not None and (published - day).days < BACKGROUND_DAYS:
                return None
            start = sent.start_char + idx
            return EventRecord(
                event_type="attack",
                attack_type=item.get("attack_type"),
                trigger_start=start,
                trigger_end=start + len(phrase),
                trigger_text=text[start : start + len(phrase)],
                evidence=[(sent.start_char, sent.end_char)],
                date=item["date"],
                date_precision="day",
                date_method="historical",
                country=item.get("country"),
                perpetrator_key=item.get("perpetrator"),
                perpetrator_text=None,
                perpetrator_status="attributed" if item.get("perpetrator") else "unknown",
                is_background=True,
            )
    return None


def key_of(e: EventRecord) -> EventKey:
    return EventKey(e.event_type, e.attack_type, e.date, e.country, e.place_key, e.perpetrator_key, e.target_type)


def _compatible(a: EventRecord, b: EventRecord, by_attackers: bool = False) -> bool:
    """Whether ``b`` may be ``a`` told again. A report that refers back to the attackers ("three of the
    gunmen", ``by_attackers``) may name another side of one complex attack (a suicide bombing, then gunmen
    storming in): its kind of attack does not set it apart."""
    kb = key_of(b)
    if by_attackers:
        kb = dataclasses.replace(kb, attack_type=None)
        if {a.event_type, b.event_type} <= {"attack", "kidnapping"}:
            kb = dataclasses.replace(kb, event_type=a.event_type)  # "the kidnappers shot dead a guard"
    return same_event(key_of(a), kb)


def _done_by_named_attackers(verb: Token | None) -> bool:
    """Whether the report's verb has the attackers told before as its subject: "The attackers arrived on
    motorcycles and shot dead a school worker" ("the attackers", "the gunmen", "the kidnappers")."""
    if verb is None or verb.pos_ != "VERB":
        return False
    nouns = load_event_lexicon().armed_actor_nouns
    while verb.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in verb.children) and verb.head is not verb:
        verb = verb.head
    return any(
        c.dep_ == "nsubj" and c.lower_ in nouns and any(d.dep_ == "det" and d.lower_ == "the" for d in c.children)
        for c in verb.children
    )


def _attackers_named(event: EventRecord) -> bool:
    """The report's trigger names the attackers ("the gunmen", "the bomber"), not a kind of attack."""
    words = event.trigger_text.lower().split()
    return bool(words) and words[-1] in load_event_lexicon().armed_actor_nouns


def _merge_into(target: EventRecord, new: EventRecord) -> None:
    target.evidence.append(new.evidence[0])
    if target.date is None and new.date is not None:
        target.date_method = new.date_method  # how the date it takes was found
    for field in (
        "date",
        "date_precision",
        "place_key",
        "place_text",
        "country",
        "perpetrator_key",
        "perpetrator_text",
        "target",
        "weapon",
    ):
        if getattr(target, field) is None and getattr(new, field) is not None:
            setattr(target, field, getattr(new, field))
    if target.date_method != "text" and new.date_method == "text":
        target.date, target.date_precision, target.date_method = new.date, new.date_precision, "text"
        target.is_background = new.is_background
    if target.attack_type in (None, "unknown") and new.attack_type not in (None, "unknown"):
        target.attack_type = new.attack_type
    if target.target_type == "unknown":
        target.target_type = new.target_type
    rank = {"unknown": 0, "suspected": 1, "attributed": 2, "claimed": 3}
    if rank[new.perpetrator_status] > rank[target.perpetrator_status] and (
        new.perpetrator_key is None or new.perpetrator_key == target.perpetrator_key
    ):
        target.perpetrator_status = new.perpetrator_status
    target.suicide = target.suicide or new.suicide
    for field in ("killed", "wounded"):
        if getattr(target, field) is None and getattr(target, field + "_low") is None:
            setattr(target, field, getattr(new, field))
            setattr(target, field + "_low", getattr(new, field + "_low"))
            setattr(target, field + "_high", getattr(new, field + "_high"))


def _by_air(
    trig: Trigger,
    tok: Token | None,
    lex: EventLexicon,
    events: list[EventRecord],
    s_index: int,
    last_seen: dict[int, int],
) -> Trigger:
    """An air strike told without the word: "Pakistani jets struck TTP hideouts" (aircraft do the striking),
    and "the strikes killed eight" right after an air strike (the same strikes told again)."""
    air = lex.phrase_triggers.get("air strike")
    if tok is None or air is None or trig.event_type != "attack" or not trig.weak:
        return trig
    if tok.pos_ == "VERB" and any(c.dep_ == "nsubj" and c.lemma_.lower() in lex.aircraft_nouns for c in tok.children):
        return air
    if tok.lemma_.lower() == "strike" and any(
        c.dep_ in ("amod", "compound") and c.ent_type_ == "NORP" for c in tok.children
    ):
        return air  # "Israeli strikes on a school"
    if tok.lemma_.lower() in ("strike", "raid") and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
        latest = next((e for e in reversed(events) if e.date_method != "historical"), None)
        if latest is not None and latest.event_type == "air_strike" and s_index - last_seen.get(id(latest), -99) <= 2:
            return air
    return trig


def _reference_words(trigger: Token | None) -> set[str]:
    """The words by which a definite report names the incident it refers to: "the Sufi mosque blast" ->
    {sufi, mosque}, "the school attack" -> {school} (modifiers that are nouns or names, not the trigger's
    own words, dates or numbers)."""
    if trigger is None:
        return set()
    noun = trigger.head if trigger.dep_ == "compound" else trigger
    if noun.pos_ not in ("NOUN", "PROPN") or not any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children):
        return set()
    words: set[str] = set()
    for child in noun.children:
        if child.dep_ not in ("compound", "amod", "nmod") or child.i == trigger.i:
            continue
        for tok in child.subtree:
            named = tok.pos_ in ("NOUN", "PROPN") or (tok.pos_ == "ADJ" and tok.is_title)
            if named and tok.is_alpha and len(tok.text) > 2 and tok.ent_type_ not in ("DATE", "TIME", "CARDINAL"):
                words.add(tok.lower_)
    return words


def _referent(events: list[EventRecord], words: set[str], event_type: str) -> EventRecord | None:
    """The report of that kind whose target and place hold most of the words a reference names it by."""
    if not words:
        return None
    best: tuple[int, EventRecord] | None = None
    for event in reversed(events):  # the latest of the best matches: words of the target count twice
        if event.event_type != event_type or event.date_method == "historical":
            continue
        target = set(re.findall(r"[a-z]+", (event.target or "").lower()))
        place = set(re.findall(r"[a-z]+", (event.place_text or "").lower()))
        score = 2 * len(words & target) + len(words & place)
        if score and (best is None or score > best[0]):
            best = (score, event)
    return best[1] if best is not None else None


def _counted(tok: Token) -> bool:
    """A plural that counts several incidents: "three bomb attacks", "two blasts", "several bombings"."""
    lex = load_event_lexicon()
    if tok.tag_ not in ("NNS", "NNPS"):
        return False
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in lex.series_nouns:
        return True  # "a string of bombings", "a wave of attacks"
    return any(
        (c.dep_ == "nummod" and c.lower_ not in ("one", "1")) or (c.dep_ == "amod" and c.lower_ in lex.several_words)
        for c in tok.children
    )


def _summary(trigger: Token | None) -> bool:
    """Whether the report sums up several incidents ("terrorists staged three bomb attacks", "bombed the
    embassies of China and the Soviet Union"): the incidents told after it one by one are not it."""
    if trigger is None:
        return False
    noun = trigger.head if trigger.dep_ == "compound" else trigger
    if noun.pos_ in ("NOUN", "PROPN"):
        return _counted(noun)
    objects = [c for c in trigger.children if c.dep_ == "dobj"]
    return any(o.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in o.children) for o in objects)


def _indefinite(trigger: Token | None) -> bool:
    """Whether the report introduces one incident as new: "a bomb exploded", "a car bomb destroyed"."""
    if trigger is None:
        return False
    noun = trigger.head if trigger.dep_ == "compound" else trigger
    if noun.pos_ == "VERB":
        subjects = [c for c in noun.children if c.dep_ in ("nsubj", "nsubjpass")]
        noun = subjects[0] if subjects else noun
    return noun.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)


def _bare_plural_actor(trigger: Token | None) -> bool:
    """ "Hijackers struck", "gunmen stormed": doers named without an article (a report of its own, not
    one referring back to an incident already told)."""
    if trigger is None:
        return False
    noun = trigger.head if trigger.dep_ == "compound" else trigger
    return (
        noun.tag_ == "NNS"
        and noun.dep_ in ("nsubj", "nsubjpass")
        and not any(c.dep_ in ("det", "poss") for c in noun.children)
    )


def _same_incident_before(
    events: list[EventRecord],
    event: EventRecord,
    s_index: int,
    last_seen: dict[int, int],
    definite: bool,
    town: bool,
    summaries: frozenset[int] = frozenset(),
    published: date | None = None,
    refers: bool = False,
    headline: int | None = None,
    by_attackers: bool = False,
) -> EventRecord | None:
    """The earlier report of this document that ``event`` continues, if any: the latest compatible event
    told within the last three sentences, or (for an undated definite reference, "the bombing") the latest
    compatible event at all, or the latest compatible event in the same town (``town``: the report names
    one and does not call itself another incident). Events in between do not hide it: "the blast also
    wounded 30" after the bombing it describes, with an arrest told between them. ``summaries``: ids of
    the earlier reports that sum up several incidents, given when this report introduces one ("a bomb
    exploded"): it is one of them, not all of them, and once a document has announced several incidents,
    each one it introduces is a new one, so nearness alone does not merge it. A report that does not refer
    back ("the attack", ``refers``) and is dated more than a day away from the earlier one (or, when that
    one has no date of its own, from ``published``, the date it will take) tells another incident:
    "guerrillas attacked Merino's home five days ago" after a bombing reported undated. ``headline``: the
    id of an undated report told in the document's first sentence, its headline ("Suicide bomber kills 14
    at Kabul wedding hall"), whose present tense gives no date: the lede that dates it ("on Saturday") is
    the same incident, not one three days before the publication date the headline would take."""
    for earlier in reversed(events):
        if (
            earlier.date_method == "historical"
            or not _compatible(earlier, event, refers and (by_attackers or _attackers_named(event)))
            or id(earlier) in summaries
        ):
            continue
        if not refers and id(earlier) != headline and _days_apart(event, earlier, published) > 1:
            continue
        if town and not refers and earlier.place_key is None and earlier.place_text not in (None, event.place_text):
            # a town named where the earlier report named a place not resolved ("on the Pacific side"):
            # "guerrillas killed a peasant in the city of Flores" is another incident
            continue
        recent = s_index - last_seen.get(id(earlier), -99) <= 3 and not summaries
        if event.date and earlier.date and event.date != earlier.date and not recent:
            continue
        if recent or definite or (town and event.place_key == earlier.place_key):
            return earlier
    return None


def _is_headline(sent: Span, text: str) -> bool:
    """Whether the first sentence is a line of its own without a full stop: a headline, not a lede."""
    line = span_text(sent).rstrip()
    return (
        bool(line)
        and line[-1] not in ".!?\"'”’"
        and text[sent.start_char + len(line) : sent.end_char + 1].strip(" ")[:1] == "\n"
    )


def _days_apart(event: EventRecord, earlier: EventRecord, published: date | None) -> int:
    """Days between two day-precision dates of one document's reports (0 when either is not a day)."""
    other = earlier.date
    if other is None and published is not None and not earlier.is_background:
        if event.is_background:
            return 0  # an undated lede ("Abbey Gate, four years on") told with its date later
        other = published.isoformat()
    if event.date is None or other is None or len(event.date) != 10 or len(other) != 10:
        return 0
    return abs((date.fromisoformat(event.date) - date.fromisoformat(other)).days)


def _later_than(sent: Span, events: list[EventRecord]) -> tuple[str, str] | None:
    """(date, precision) of a report dated only as "a week later" / "two days later" / "the next day" (or
    "a day earlier" / "the previous day", counted back), from the latest incident told before it with a day
    date. Days keep day precision; weeks and months keep the month, years the year: the count is seldom
    exact ("a week later" for nine days). "Days later" with no count gives nothing."""
    m = LATER.search(span_text(sent))
    earlier = next((e for e in reversed(events) if e.date and e.date_method == "text"), None)
    if m is None or earlier is None or earlier.date is None:
        return None
    count, unit, plural, direction, following, previous, before = m.groups()
    if following or previous or before:
        count, unit, plural = "1", "day", ""
    back = bool(previous or before or (direction and direction.lower() == "earlier"))
    if earlier.date_precision != "day":
        # "On that day in 2001 ... Two days later, hijackers struck New York": days after a date known to the
        # year (or month) fall in that year (month), as far as the text tells
        return (earlier.date, str(earlier.date_precision)) if unit.lower() in ("day", "week") else None
    if count is None and plural:
        return None
    n = 1 if count is None or count.lower() in ("a", "an") else parse_cardinal(count)
    if n is None:
        return None
    start, unit = date.fromisoformat(earlier.date), unit.lower()
    n = -n if back else n
    if unit == "day":
        return (start + timedelta(days=n)).isoformat(), "day"
    if unit == "week":
        return (start + timedelta(weeks=n)).isoformat()[:7], "month"
    if unit == "month":
        month = start.month - 1 + n
        return f"{start.year + month // 12:04d}-{month % 12 + 1:02d}", "month"
    return f"{start.year + n:04d}", "year"


def _after(value: str, limit: date | None) -> bool:
    """Whether a YYYY[-MM[-DD]] date starts after ``limit``."""
    if limit is None:
        return False
    return date.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value) > limit


def extract_events(
    doc: Doc,
    mentions: list[MentionRecord],
    published: date | None,
    info: InfoLookup,
    not_before: date | None = None,
    index: DocIndex | None = None,
) -> list[EventRecord]:
    """All events the document reports or mentions, in text order, with evidence spans.

    ``published`` is the document's publication date; when it is unknown, ``not_before`` (the latest
    full date the text mentions) gives year-less dates a year, flagged as inferred. No event is ever
    dated after its document. ``index`` (built here when not given) keeps the work linear in the length.
    """
    lex = load_event_lexicon()
    index = index if index is not None else DocIndex(doc, mentions)
    text = index.text
    events: list[EventRecord] = []
    last_index_of_sentence: dict[int, int] = {}
    first_sentence: dict[int, int] = {}
    summaries: set[int] = set()
    claimed_sentences: set[int] = set()  # claims already given to the incidents they name
    headline = _is_headline(index.sents[0], text) if index.sents else False
    for s_index, sent in enumerate(index.sents):
        sent_text = span_text(sent)
        sent_mentions = index.mentions_in(sent)
        historical = _historical(sent, lex, published, text)
        if historical is not None and not any(
            e.date_method == "historical" and e.date == historical.date for e in events
        ):
            events.append(historical)
            continue
        groups = frozenset(
            t.i
            for m in sent_mentions
            if m.entity_key and (ei := info(m.entity_key)) is not None and ei.kind in GROUP_KINDS
            for t in doc.char_span(m.start, m.end, alignment_mode="expand") or ()
        )
        triggers = [] if _verbless_list_item(sent, text) else _sentence_triggers(sent, lex, index, groups)
        chosen = _choose(triggers, sent, lex)
        claims = (
            (bool(CLAIM_WORDS.search(sent_text)) and "responsibility" in sent_text.lower())
            or bool(re.search(r"\bclaimed (?:the|this|that|both|its|responsibility)", sent_text, re.I))
        ) and not _claims_a_statement(sent)
        if chosen is None:
            toll = extract_casualties(sent, index) if events else None
            if (
                toll is not None
                and (toll.killed or toll.wounded)
                and s_index - last_index_of_sentence.get(id(events[-1]), -99) <= 3
                and not TOLL_ELSEWHERE.search(sent_text)  # "Meanwhile, four rebels were killed in a clash"
                and not _elsewhere(sent, sent_mentions, info, events[-1])
            ):
                before = (
                    events[-1].killed,
                    events[-1].killed_low,
                    events[-1].wounded,
                    events[-1].wounded_low,
                )
                update = bool(TOLL_UPDATE.search(sent_text))
                _apply_amount(events[-1], "killed", toll.killed, update)
                _apply_amount(events[-1], "wounded", toll.wounded, update)
                if before != (
                    events[-1].killed,
                    events[-1].killed_low,
                    events[-1].wounded,
                    events[-1].wounded_low,
                ):
                    events[-1].evidence.append((sent.start_char, sent.end_char))
                    last_index_of_sentence[id(events[-1])] = s_index
            if claims and events and s_index - last_index_of_sentence.get(id(events[-1]), -99) <= 4:
                key, name, _status = _perpetrator(sent, sent_mentions, info, None)
                prev = events[-1]
                if key and (prev.perpetrator_key in (None, key)):
                    prev.perpetrator_key, prev.perpetrator_text, prev.perpetrator_status = (
                        key,
                        name,
                        "claimed",
                    )
                    prev.evidence.append((sent.start_char, sent.end_char))
            elif events and s_index - last_index_of_sentence.get(id(events[-1]), -99) <= 3:
                # "The bomber was a member of ISKP, police said": who the attackers of the incident just told are
                member = _attackers_group(sent, sent_mentions, info)
                prev = events[-1]
                if member is not None and prev.perpetrator_key is None:
                    prev.perpetrator_key, prev.perpetrator_text, prev.perpetrator_status = (
                        member.entity_key,
                        member.text,
                        "attributed",
                    )
                    prev.evidence.append((sent.start_char, sent.end_char))
                    last_index_of_sentence[id(prev)] = s_index
            continue
        trig, t_start, t_end = chosen
        casualties = extract_casualties(sent, index)
        trigger_span = doc.char_span(t_start, t_end, alignment_mode="expand")
        trigger_tok = trigger_span.root if trigger_span is not None else None
        trig = _by_air(trig, trigger_tok, lex, events, s_index, last_index_of_sentence)
        d, precision, first_day, inferred = _date(sent, index, published, trigger_tok, not_before)
        # "A week later, a bus bomb blew up": a further incident, dated from the one before. (Not "the
        # bombing was claimed two days later": a definite report tells more of an incident already told.)
        introduces = _indefinite(trigger_tok)
        later = (introduces or _bare_plural_actor(trigger_tok)) and LATER.search(sent_text) is not None
        if later and d is None and (counted := _later_than(sent, events)) is not None:
            d, precision = counted
        place_key, place_text, country = _place(sent, sent_mentions, info, t_start)
        if trig.event_type in OPERATION_TYPES:
            perp_key, perp_text, status = _acting_force(sent, sent_mentions, info, trigger_tok)
        else:
            perp_key, perp_text, status = _perpetrator(sent, sent_mentions, info, trigger_tok)
        if perp_key is not None:
            perp_key, perp_text = _most_specific(events, perp_key, perp_text, info)
        refers = bool(DEFINITE_REF.search(sent_text))  # "the attack", "Friday's bombing": told before
        toll_update = refers and bool(TOLL_UPDATE.search(sent_text)) and bool(casualties.killed or casualties.wounded)
        if toll_update and not _dated_by_possessive(trigger_tok):  # "Friday's bombing" keeps its Friday
            d, precision, first_day, inferred = None, None, None, False  # "rose to 66 on Saturday": the update's day
        own_day = precision == "day" and not toll_update  # a day the sentence itself gives the incident
        if d is None and not refers:
            # a report with no date of its own, not one that tells more of an incident already dated
            d, precision, first_day, inferred = _line_date(sent, index, published, not_before)
        # an armed actor doing it to someone or something named is a report of its own: "the FMLN rebels
        # burned the mayor's office" (an agent trigger is only found with its armed actor)
        acted_on = (
            any(trig is t for t in lex.agent_triggers.values())
            and trigger_tok is not None
            and any(c.dep_ in ("dobj", "nsubjpass") and _one_thing(c) for c in trigger_tok.children)
        )
        has_detail = bool(casualties.killed or casualties.wounded or d or place_key or country or perp_key or acted_on)
        plural_generic = (
            trigger_tok is not None
            and trigger_tok.tag_ in ("NNS",)
            and not (casualties.killed or casualties.wounded or d)
            and not _acting_agents(trigger_tok)
        )
        referring = trigger_tok is not None and any(
            c.dep_ in ("det", "poss") and c.lower_ in ("the", "these", "those", "its") for c in trigger_tok.children
        )
        # "IS claimed the attack on Crocus City Hall in March 2024": a group claiming an attack of a given day
        # reports one, even with the bare word "attack"
        # (when no report of that kind just before is there for it to tell more of)
        told_just_before = any(
            e.event_type == trig.event_type and s_index - last_index_of_sentence.get(id(e), -99) <= 3
            for e in events
            if e.date_method != "historical"
        )
        claimed_one = claims and perp_key is not None and d is not None and not inferred and not told_just_before
        # "killed in a Taliban raid in Nangarhar on Sunday": an attack its group modifier says who carried out
        # ... and "Hezbollah fired 40 rockets at Kiryat Shmona on Tuesday": the group is the subject of the
        # verb whose object the trigger is
        by_group = trigger_tok is not None and (
            any(c.dep_ in ("compound", "poss", "amod", "nmod") and c.i in groups for c in trigger_tok.children)
            or (
                _carried_out(trigger_tok)
                and any(c.dep_ == "nsubj" and c.i in groups for c in trigger_tok.head.children)
            )
        )
        weak = trig.weak and not (
            casualties.killed
            or casualties.wounded
            or _dated_by_possessive(trigger_tok)
            or claimed_one
            # (its own day, not a place alone: "a claimed ISKP attack inside China" is an indicator to watch)
            or (by_group and d is not None and not inferred and not _after(d, published or not_before))
        )
        if (weak or plural_generic) and not referring:
            continue
        latest = next((e for e in reversed(events) if e.date_method != "historical"), None)
        one_of_several = bool(summaries) and introduces
        referent = _referent(events, _reference_words(trigger_tok), trig.event_type) if refers else None
        if claims and perp_key is not None and refers and trigger_tok is not None:
            # "The Islamic State claimed the school attack and the Mazar mosque bombing": each incident so named
            named = {
                id(e): e
                for t in (trigger_tok, *trigger_tok.conjuncts)
                if (e := _referent(events, _reference_words(t), trig.event_type)) is not None
            }
            for e in named.values():
                if e.perpetrator_key in (None, perp_key):
                    e.perpetrator_key, e.perpetrator_text, e.perpetrator_status = perp_key, perp_text, "claimed"
                    e.evidence.append((sent.start_char, sent.end_char))
            if named:
                claimed_sentences.add(s_index)
                continue
        if weak or plural_generic or (not has_detail and not refers and not one_of_several):
            # No detail of its own ("As each bomb exploded there were cries of terror", "after the attacks"):
            # the sentence tells more of the incident just reported, if there is one of the same kind, and is
            # its evidence. "The attacks", "the bombs" after a summary of several incidents tell more of the
            # summary, not of the last incident told one by one. (A report that introduces one incident
            # after such a summary, "a bomb went off", is an event of its own even without detail.)
            if trigger_tok is not None and trigger_tok.tag_ == "NNS":
                latest = next(
                    (
                        e
                        for e in reversed(events)
                        if id(e) in summaries
                        and e.event_type == trig.event_type
                        and s_index - last_index_of_sentence.get(id(e), -99) <= 3
                    ),
                    latest,
                )
            if referent is not None:
                latest = referent  # "the school attack": the incident told with that target, however far back
            if (
                latest is not None
                and latest.event_type == trig.event_type
                and (latest is referent or s_index - last_index_of_sentence.get(id(latest), -99) <= 3)
                and place_text in (None, latest.place_text)
                and not ANOTHER.search(sent_text)
            ):
                latest.evidence.append((sent.start_char, sent.end_char))
                last_index_of_sentence[id(latest)] = s_index
                if refers and d and not inferred and latest.date is None:  # "The attack happened on Friday"
                    latest.date, latest.date_precision, latest.date_method = d, precision, "text"
            continue
        target, target_type = _target(sent, lex, index)
        event = EventRecord(
            event_type=trig.event_type,
            attack_type=trig.attack_type if trig.event_type in ("attack", "kidnapping") else None,
            trigger_start=t_start,
            trigger_end=t_end,
            trigger_text=text[t_start:t_end],
            evidence=[(sent.start_char, sent.end_char)],
            date=d,
            date_precision=precision,
            date_method=("text-year-inferred" if inferred else "text") if d else "unknown",
            place_key=place_key,
            place_text=place_text,
            country=country,
            perpetrator_key=perp_key,
            perpetrator_text=perp_text,
            perpetrator_status=status,
            target=target,
            target_type=target_type,
            weapon=_weapon(sent, lex, trig),
            suicide=trig.suicide or "suicide" in sent_text.lower(),
        )
        if event.event_type == "attack" and event.attack_type in (None, "unknown") and event.weapon:
            event.attack_type = {
                "firearms": "armed_assault",
                "knife": "armed_assault",
                "suicide_vest": "bombing_explosion",
                "vbied": "bombing_explosion",
                "ied": "bombing_explosion",
                "grenade": "bombing_explosion",
                "arson": "facility_infrastructure_attack",
                "vehicle_ramming": "armed_assault",
                "rockets_mortars": "armed_assault",
            }.get(event.weapon, "unknown")
        _apply_amount(event, "killed", casualties.killed)
        _apply_amount(event, "wounded", casualties.wounded)
        if first_day is not None and published is not None and (published - first_day).days > BACKGROUND_DAYS:
            event.is_background = True
        event.separate = later or bool(SEPARATE.search(sent_text))
        # the incident a definite reference names by its target ("the Sufi mosque blast"), else the one it continues
        previous = (
            referent
            if referent is not None and not event.separate and _compatible(referent, event)
            else _same_incident_before(
                events,
                event,
                s_index,
                last_index_of_sentence,
                refers and not d,
                _place_rank_of(place_key, info) == 3 and not ANOTHER.search(sent_text),
                # an incident with a day of its own ("On 19 April, two explosions ...") is one of the incidents a
                # summary announced ("a string of bombings this month"), not the summary told again
                frozenset(summaries) if introduces or (own_day and not refers) else frozenset(),
                published,
                refers,
                next((id(e) for e in events if headline and first_sentence.get(id(e)) == 0 and e.date is None), None),
                _done_by_named_attackers(trigger_tok),
            )
            if not event.separate
            else None
        )
        if previous is not None:
            _merge_into(previous, event)
            if toll_update:  # "the death toll from the Sufi mosque blast rose to 66"
                _apply_amount(previous, "killed", casualties.killed, update=True)
                _apply_amount(previous, "wounded", casualties.wounded, update=True)
            last_index_of_sentence[id(previous)] = s_index
            continue
        events.append(event)
        last_index_of_sentence[id(event)] = s_index
        first_sentence[id(event)] = s_index
        if _summary(trigger_tok):
            summaries.add(id(event))
    for event in events:
        if event.date and event.date_method != "historical" and _after(event.date, published or not_before):
            # A date after the document is a forecast or a misreading, never the date of a reported event.
            event.date, event.date_precision, event.date_method = None, None, "unknown"
        if event.date is None and published is not None and not event.is_background:
            event.date, event.date_precision, event.date_method = published.isoformat(), "day", "publication"
        if event.date and published is not None and event.date_method == "text":
            first = (
                date.fromisoformat((event.date + "-01-01")[:10])
                if len(event.date) < 10
                else date.fromisoformat(event.date)
            )
            event.is_background = event.is_background or (published - first) > timedelta(days=BACKGROUND_DAYS)
    _responsibility(events, first_sentence, index, info, claimed_sentences)
    return events
