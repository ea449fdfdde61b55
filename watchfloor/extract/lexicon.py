"""The event lexicon (data/lexicons/events.yaml), loaded once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from watchfloor.nlp.phrases import alternation


@dataclass(frozen=True)
class Trigger:
    event_type: str
    attack_type: str | None
    weapon: str | None
    suicide: bool
    weak: bool
    requires: str | None  # leader, hostage, fire


@dataclass(frozen=True)
class EventLexicon:
    lemma_triggers: dict[str, Trigger]
    phrase_triggers: dict[str, Trigger]
    agent_triggers: dict[str, Trigger]  # lemmas that report an attack only when an armed actor does them
    armed_actor_nouns: frozenset[str]
    membership_nouns: frozenset[str]  # "a member of X": the attacker belongs to the group X
    attack_priority: dict[str, int]
    weapons: dict[str, tuple[str, ...]]
    target_types: dict[str, tuple[str, ...]]
    hostage_words: frozenset[str]
    leader_words: frozenset[str]
    fire_words: frozenset[str]
    modals: frozenset[str]
    not_happened_heads: frozenset[str]
    likelihood_words: frozenset[str]
    accident_words: frozenset[str]
    near_miss_words: frozenset[str]
    victim_verbs: dict[str, frozenset[str]]
    victim_nouns: frozenset[str]
    to_death_verbs: frozenset[str]
    several_words: frozenset[str]
    series_nouns: frozenset[str]  # "a string of bombings": several incidents
    aircraft_nouns: frozenset[str]  # "jets struck": an air strike
    perpetration_verbs: frozenset[str]  # "fired rockets", "launched attacks"
    person_nouns: frozenset[str]
    historical: tuple[dict[str, Any], ...]
    phrase_pattern: re.Pattern[str]  # every phrase trigger in one alternation, longest first
    not_event_pattern: re.Pattern[str]  # phrases whose trigger words name no incident ("state of siege")


def _trigger(item: dict[str, Any]) -> Trigger:
    return Trigger(
        item["event_type"],
        item.get("attack_type"),
        item.get("weapon"),
        bool(item.get("suicide")),
        bool(item.get("weak")),
        next((r for r in ("leader", "hostage", "fire") if item.get(f"requires_{r}")), None),
    )


@lru_cache(maxsize=1)
def load_event_lexicon() -> EventLexicon:
    spec = yaml.safe_load((resources.files("watchfloor") / "data/lexicons/events.yaml").read_text("utf-8"))
    lemmas: dict[str, Trigger] = {}
    phrases: dict[str, Trigger] = {}
    agent_lemmas: dict[str, Trigger] = {}
    for item in spec["triggers"]:
        trig = _trigger(item)
        for lemma in item.get("lemmas", []):
            lemmas.setdefault(str(lemma).lower(), trig)
        for phrase in item.get("phrases", []):
            phrases.setdefault(str(phrase).lower(), trig)
    for item in spec["agent_triggers"]:
        for lemma in item["lemmas"]:
            agent_lemmas.setdefault(str(lemma).lower(), _trigger(item))
    return EventLexicon(
        lemma_triggers=lemmas,
        phrase_triggers=phrases,
        agent_triggers=agent_lemmas,
        armed_actor_nouns=frozenset(spec["armed_actor_nouns"]),
        membership_nouns=frozenset(spec["membership_nouns"]),
        attack_priority=dict(spec["attack_types"]),
        weapons={k: tuple(v) for k, v in spec["weapons"].items()},
        target_types={k: tuple(v) for k, v in spec["target_types"].items()},
        hostage_words=frozenset(spec["hostage_words"]),
        leader_words=frozenset(spec["leader_words"]),
        fire_words=frozenset(spec["fire_words"]),
        modals=frozenset(spec["modals"]),
        not_happened_heads=frozenset(spec["not_happened_heads"]),
        likelihood_words=frozenset(spec["likelihood_words"]),
        accident_words=frozenset(spec["accident_words"]),
        near_miss_words=frozenset(spec["near_miss_words"]),
        victim_verbs={k: frozenset(v) for k, v in spec["victim_verbs"].items()},
        victim_nouns=frozenset(spec["victim_nouns"]),
        to_death_verbs=frozenset(spec["to_death_verbs"]),
        several_words=frozenset(spec["several_words"]),
        series_nouns=frozenset(spec["series_nouns"]),
        aircraft_nouns=frozenset(spec["aircraft_nouns"]),
        perpetration_verbs=frozenset(spec["perpetration_verbs"]),
        person_nouns=frozenset(spec["person_nouns"]),
        historical=tuple(spec["historical"]),
        phrase_pattern=re.compile(r"(?<![\w-])(?:" + alternation(phrases) + r")(?![\w-])"),
        not_event_pattern=re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(str(p).lower()) for p in spec["not_events"]) + r")(?![\w-])"
        ),
    )
