"""API latency: p50/p95/max per endpoint of ``watchfloor serve``, on the demo store and a synthetic store.

Run: ``python benchmarks/api_latency.py`` (demo store plus a 50,000-document synthetic store), or
``python benchmarks/api_latency.py --synthetic-docs 0`` for the demo store only. For each store the real
server is started in a subprocess and one ``httpx.Client`` sends sequential requests, as one analyst
clicking: 3 warm-up requests per endpoint, then ``--requests`` timed ones with parameters drawn from the
store (entity ids half from the 20 most-mentioned, half random; search terms; document ids). The
synthetic store is built once (deterministically from ``--seed``) by inserting rows directly: gazetteer
actors with Zipf-like popularity, extracted people and organisations, templated English articles whose
mentions, events, claims and relations carry correct character spans. A slow endpoint gets at most
``--budget`` seconds of timed requests (but at least 5). Results go to ``benchmarks/results/api_latency.json``
and a table; rows with p95 >= 100 ms are marked.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import hashlib
import importlib
import json
import math
import os
import platform
import random
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "api_latency.json"
SLOW_MS = 100.0
SYNTHETIC_VERSION = "1"  # bump when the generator changes, so a stored synthetic db is rebuilt
CHUNK_DOCS = 2500
console = Console(width=None if sys.stdout.isatty() else 150)

# -- synthetic store: vocabulary ------------------------------------------------------------------

# code: (name, extra aliases, share of documents, capital latitude, capital longitude)
COUNTRIES: dict[str, tuple[str, list[str], float, float, float]] = {
    "AF": ("Afghanistan", ["Islamic Republic of Afghanistan"], 0.24, 34.53, 69.17),
    "PK": ("Pakistan", ["Islamic Republic of Pakistan"], 0.12, 33.69, 73.06),
    "SY": ("Syria", ["Syrian Arab Republic"], 0.13, 33.51, 36.29),
    "IQ": ("Iraq", ["Republic of Iraq"], 0.11, 33.31, 44.36),
    "NG": ("Nigeria", ["Federal Republic of Nigeria"], 0.11, 9.06, 7.49),
    "ML": ("Mali", ["Republic of Mali"], 0.09, 12.64, -8.00),
    "SO": ("Somalia", ["Federal Republic of Somalia"], 0.10, 2.05, 45.32),
    "BF": ("Burkina Faso", ["Burkina"], 0.04, 12.37, -1.52),
    "NE": ("Niger", ["Republic of the Niger"], 0.03, 13.51, 2.11),
    "YE": ("Yemen", ["Republic of Yemen"], 0.03, 15.37, 44.19),
}
OTHER_STATES = [
    ("United States", ["US", "U.S.", "United States of America"], "US"),
    ("Russia", ["Russian Federation"], "RU"),
    ("Turkey", ["Türkiye", "Republic of Turkey"], "TR"),
    ("Iran", ["Islamic Republic of Iran"], "IR"),
    ("France", ["French Republic"], "FR"),
    ("United Kingdom", ["UK", "Britain"], "GB"),
    ("India", ["Republic of India"], "IN"),
    ("China", ["People's Republic of China", "PRC"], "CN"),
    ("Qatar", ["State of Qatar"], "QA"),
    ("Saudi Arabia", ["Kingdom of Saudi Arabia", "KSA"], "SA"),
    ("Israel", ["State of Israel"], "IL"),
    ("Lebanon", ["Lebanese Republic"], "LB"),
    ("Egypt", ["Arab Republic of Egypt"], "EG"),
    ("Algeria", ["People's Democratic Republic of Algeria"], "DZ"),
    ("Libya", ["State of Libya"], "LY"),
    ("Chad", ["Republic of Chad"], "TD"),
    ("Cameroon", ["Republic of Cameroon"], "CM"),
    ("Kenya", ["Republic of Kenya"], "KE"),
    ("Ethiopia", ["Federal Democratic Republic of Ethiopia"], "ET"),
    ("Mozambique", ["Republic of Mozambique"], "MZ"),
    ("Germany", ["Federal Republic of Germany"], "DE"),
    ("Uzbekistan", ["Republic of Uzbekistan"], "UZ"),
    ("Tajikistan", ["Republic of Tajikistan"], "TJ"),
    ("Jordan", ["Hashemite Kingdom of Jordan"], "JO"),
    ("United Arab Emirates", ["UAE", "Emirates"], "AE"),
]
PLACES: dict[str, list[tuple[str, float, float]]] = {
    "AF": [("Kabul", 34.53, 69.17), ("Kandahar", 31.61, 65.71), ("Jalalabad", 34.43, 70.45), ("Herat", 34.35, 62.20),
           ("Kunduz", 36.73, 68.86), ("Mazar-i-Sharif", 36.71, 67.11), ("Ghazni", 33.55, 68.42),
           ("Lashkar Gah", 31.59, 64.37), ("Khost", 33.34, 69.92), ("Asadabad", 34.87, 71.15)],
    "PK": [("Peshawar", 34.01, 71.58), ("Quetta", 30.18, 67.01), ("Karachi", 24.86, 67.01), ("Islamabad", 33.69, 73.06),
           ("Lahore", 31.55, 74.34), ("Bajaur", 34.68, 71.50), ("Dera Ismail Khan", 31.83, 70.90),
           ("Bannu", 32.99, 70.60), ("Miranshah", 33.00, 70.07), ("Gwadar", 25.12, 62.32)],
    "SY": [("Damascus", 33.51, 36.29), ("Aleppo", 36.20, 37.13), ("Idlib", 35.93, 36.63), ("Raqqa", 35.95, 39.01),
           ("Deir ez-Zor", 35.34, 40.14), ("Homs", 34.73, 36.71), ("Hasakah", 36.50, 40.75),
           ("Palmyra", 34.55, 38.27), ("Daraa", 32.62, 36.10)],
    "IQ": [("Baghdad", 33.31, 44.36), ("Mosul", 36.34, 43.13), ("Kirkuk", 35.47, 44.39), ("Fallujah", 33.35, 43.78),
           ("Ramadi", 33.42, 43.30), ("Tikrit", 34.61, 43.68), ("Erbil", 36.19, 44.01), ("Samarra", 34.20, 43.87),
           ("Baqubah", 33.75, 44.64)],
    "NG": [("Maiduguri", 11.85, 13.16), ("Abuja", 9.06, 7.49), ("Kano", 12.00, 8.52), ("Damboa", 11.15, 12.76),
           ("Bama", 11.52, 13.69), ("Gwoza", 11.08, 13.69), ("Monguno", 12.67, 13.61), ("Gusau", 12.16, 6.66),
           ("Kaduna", 10.52, 7.44)],
    "ML": [("Bamako", 12.64, -8.00), ("Gao", 16.27, -0.04), ("Timbuktu", 16.77, -3.01), ("Mopti", 14.49, -4.20),
           ("Kidal", 18.44, 1.41), ("Menaka", 15.92, 2.40), ("Segou", 13.43, -6.26)],
    "SO": [("Mogadishu", 2.05, 45.32), ("Kismayo", -0.36, 42.55), ("Baidoa", 3.11, 43.65), ("Beledweyne", 4.74, 45.20),
           ("Bosaso", 11.28, 49.18), ("Afgooye", 2.14, 45.12), ("Jowhar", 2.78, 45.50), ("Marka", 1.71, 44.77)],
    "BF": [("Ouagadougou", 12.37, -1.52), ("Djibo", 14.10, -1.63), ("Dori", 14.03, -0.03), ("Kaya", 13.09, -1.08),
           ("Fada N'Gourma", 12.06, 0.36)],
    "NE": [("Niamey", 13.51, 2.11), ("Tillaberi", 14.21, 1.45), ("Diffa", 13.32, 12.61)],
    "YE": [("Sanaa", 15.37, 44.19), ("Aden", 12.79, 45.02), ("Marib", 15.46, 45.33), ("Hodeidah", 14.80, 42.95)],
}  # fmt: skip
# The most reported actors, most popular first: (name, aliases, kind, countries).
TOP_ACTORS: list[tuple[str, list[str], str, list[str]]] = [
    ("Taliban", ["the Taliban", "Islamic Emirate of Afghanistan", "Taleban"], "armed_group", ["AF"]),
    ("Islamic State Khorasan Province", ["ISKP", "ISIS-K", "IS-K"], "armed_group", ["AF", "PK"]),
    ("Islamic State", ["ISIS", "ISIL", "Daesh", "IS"], "armed_group", ["IQ", "SY"]),
    ("Al-Shabaab", ["al-Shabab", "Harakat al-Shabaab al-Mujahideen", "Shabaab"], "armed_group", ["SO"]),
    ("Jama'at Nusrat al-Islam wal-Muslimin", ["JNIM", "Nusrat al-Islam"], "armed_group", ["ML", "BF"]),
    ("Boko Haram", ["Jama'atu Ahlis Sunna Lidda'awati wal-Jihad", "JAS"], "armed_group", ["NG"]),
    ("Islamic State West Africa Province", ["ISWAP", "IS West Africa"], "armed_group", ["NG"]),
    ("Tehrik-i-Taliban Pakistan", ["TTP", "Pakistani Taliban"], "armed_group", ["PK"]),
    ("Hayat Tahrir al-Sham", ["HTS", "Tahrir al-Sham"], "armed_group", ["SY"]),
    ("Al-Qaeda", ["al-Qaida", "AQ", "al-Qa'ida"], "armed_group", ["AF", "YE"]),
    ("United Nations", ["UN", "U.N."], "international_org", []),
    ("Haqqani Network", ["Haqqanis", "the Haqqani network"], "armed_group", ["AF", "PK"]),
    ("Islamic State Sahel Province", ["ISSP", "IS Sahel", "ISGS"], "armed_group", ["ML", "NE"]),
    ("Syrian Democratic Forces", ["SDF"], "armed_group", ["SY"]),
    ("Wagner Group", ["Wagner", "Africa Corps"], "military", ["ML"]),
    ("African Union", ["AU"], "international_org", []),
    ("Pakistan Army", ["Pakistani army", "Pakistani military"], "military", ["PK"]),
    ("Baloch Liberation Army", ["BLA"], "armed_group", ["PK"]),
    ("Al-Qaeda in the Arabian Peninsula", ["AQAP"], "armed_group", ["YE"]),
    ("Houthis", ["Ansar Allah", "Houthi movement"], "armed_group", ["YE"]),
    ("Iraqi Security Forces", ["ISF", "Iraqi forces"], "military", ["IQ"]),
    ("Nigerian Army", ["Nigerian military"], "military", ["NG"]),
    ("Malian Armed Forces", ["FAMa", "Malian army"], "military", ["ML"]),
    ("Somali National Army", ["SNA", "Somali army"], "military", ["SO"]),
    ("NATO", ["North Atlantic Treaty Organization"], "international_org", []),
    ("European Union", ["EU"], "international_org", []),
    ("ECOWAS", ["Economic Community of West African States"], "international_org", []),
    ("International Committee of the Red Cross", ["ICRC", "Red Cross"], "organisation", []),
    ("Human Rights Watch", ["HRW"], "organisation", []),
    ("Hezbollah", ["Hizballah", "Hizbullah"], "armed_group", ["LB", "SY"]),
    ("Lashkar-e-Taiba", ["LeT", "Lashkar-e-Tayyiba"], "armed_group", ["PK"]),
    ("Jaish-e-Mohammed", ["JeM"], "armed_group", ["PK"]),
    ("Ansarul Islam", ["Ansaroul Islam"], "armed_group", ["BF"]),
    ("Popular Mobilization Forces", ["PMF", "Hashd al-Shaabi"], "armed_group", ["IQ"]),
    ("US Central Command", ["CENTCOM"], "military", []),
    ("US Africa Command", ["AFRICOM"], "military", []),
    ("AU Support and Stabilization Mission in Somalia", ["AUSSOM", "AU mission"], "international_org", ["SO"]),
    ("UN Assistance Mission in Afghanistan", ["UNAMA"], "international_org", ["AF"]),
    ("Amnesty International", ["Amnesty"], "organisation", []),
    ("Armed Conflict Location and Event Data Project", ["ACLED"], "organisation", []),
]  # fmt: skip
FIRST = ("Abdul", "Ahmad", "Mohammed", "Hamid", "Karim", "Rahim", "Nasir", "Yusuf", "Ibrahim", "Ismail", "Omar",
         "Ali", "Hassan", "Hussein", "Khalid", "Tariq", "Faisal", "Bilal", "Hamza", "Idris", "Musa", "Bashir",
         "Aminu", "Abubakar", "Usman", "Sani", "Musa", "Ibrahima", "Moussa", "Amadou", "Oumar", "Boubacar",
         "Souleymane", "Abdi", "Farah", "Mahad", "Liban", "Hodan", "Amina", "Fatima", "Aisha", "Zainab", "Maryam",
         "Leila", "Nadia", "Samira", "Huda", "Sara", "Laila", "Farida", "Gul", "Wali", "Zabihullah", "Sher", "Noor",
         "Habib", "Jamal", "Kamal", "Rashid", "Salim", "Mansour", "Anwar", "Qasim", "Nabil", "Walid", "Adel", "Ziad",
         "John", "David", "Michael", "James", "Robert", "Peter", "Thomas", "Daniel", "Mark", "Paul", "Claire",
         "Anna", "Marie", "Elena", "Sofia", "Laura", "Julia", "Hannah", "Emma", "Lucas", "Pierre", "Jean", "Luc",
         "Marco", "Stefan", "Tomasz", "Piotr", "Ivan", "Dmitri", "Olga", "Natalia", "Kemal", "Emre", "Mehmet",
         "Ayse", "Reza", "Ali-Reza", "Dariush", "Parisa", "Sanjay", "Rahul", "Priya", "Arjun", "Kofi", "Kwame",
         "Chinedu", "Emeka", "Ngozi", "Adaeze", "Tunde", "Bola")  # fmt: skip
LAST = ("Khan", "Ahmadi", "Rahimi", "Karimi", "Hakimi", "Noori", "Safi", "Stanekzai", "Wardak", "Popal", "Mehsud",
        "Afridi", "Yousafzai", "Durrani", "Baloch", "Qureshi", "Siddiqui", "Malik", "Chaudhry", "Hussain",
        "al-Masri", "al-Iraqi", "al-Shami", "al-Tikriti", "al-Jubouri", "al-Obeidi", "al-Dulaimi", "al-Hashimi",
        "al-Khatib", "al-Sayed", "al-Najjar", "Haddad", "Mansour", "Saleh", "Nasser", "Abdullah", "Mohamud",
        "Warsame", "Farah", "Abdi", "Hassan", "Aden", "Jama", "Osman", "Diallo", "Traore", "Coulibaly", "Keita",
        "Cisse", "Toure", "Maiga", "Sidibe", "Kone", "Ouedraogo", "Sawadogo", "Bello", "Abubakar", "Musa", "Yusuf",
        "Okafor", "Okonkwo", "Adeyemi", "Ibrahim", "Garba", "Lawal", "Danjuma", "Smith", "Johnson", "Brown",
        "Miller", "Wilson", "Taylor", "Anderson", "Clarke", "Walker", "Wright", "Martin", "Bernard", "Dubois",
        "Moreau", "Laurent", "Rossi", "Ferrari", "Schmidt", "Weber", "Kowalski", "Nowak", "Wierzbicki", "Ivanov",
        "Petrov", "Sokolov", "Yilmaz", "Demir", "Kaya", "Celik", "Sahin", "Tehrani", "Rostami", "Sharma", "Verma",
        "Gupta", "Mensah", "Owusu", "Boateng", "Kimani", "Otieno", "Mwangi", "Haile", "Tesfaye", "Bekele")  # fmt: skip
SYLLABLES = ("ka", "ra", "shi", "man", "dar", "gul", "zai", "ab", "bad", "kot", "tan", "pur", "nar", "sar", "kal", "wa",
             "ma", "da", "la", "ni", "ko", "bu", "ta", "hi", "ja", "fa", "ro")  # fmt: skip
ORG_PATTERNS = ("{x} Foundation", "{x} Media", "Committee for {x}", "{x} Institute", "{x} Relief", "{x} Radio",
                "{x} Security Consulting", "{x} Centre for Conflict Studies", "{x} Observer", "{x} Daily",
                "{x} Human Rights Network", "{x} Youth Council", "{x} Traders Association",
                "{x} Elders Council")  # fmt: skip
GROUP_PATTERNS = ("{x} Liberation Front", "Katibat {x}", "Ansar al-{x}", "Jund al-{x}", "{x} Brigade",
                  "Army of {x}", "{x} Martyrs Brigade", "{x} Resistance Movement", "Jamaat {x}",
                  "{x} Mujahideen")  # fmt: skip
MILITARY_PATTERNS = ("{n} Infantry Division", "{n} Corps", "{n} Special Operations Brigade", "{n} Mechanised Brigade",
                     "{n} Border Battalion")  # fmt: skip
PUBLISHERS = [("The Frontier Post Review", "frontierpost.test"), ("Sahel Monitor", "sahelmonitor.test"),
              ("The Horn Ledger", "hornledger.test"), ("Levant Dispatch", "levantdispatch.test"),
              ("Kabul Evening Star", "kabulstar.test"), ("Northwest Chronicle", "northwest-chronicle.test"),
              ("Gulf Security Wire", "gulfwire.test"), ("Lake Chad Herald", "lakechadherald.test"),
              ("Mesopotamia Today", "mesotoday.test"), ("Channel Observer", "channelobserver.test"),
              ("Global Risk Briefing", "globalrisk.test"), ("The Conflict Desk", "conflictdesk.test")]  # fmt: skip
BOILERPLATE_HEAD = ("{p} uses cookies to give you the best experience.", "Accept cookies", "Subscribe")
BOILERPLATE_FOOT = ("Share this article", "© {p}. All rights reserved.")
SEARCH_TERMS = ["bombing", "ceasefire", "Kabul", "suicide attack", "drone strike", "kidnapping", "checkpoint",
                "negotiations", "sanctions", "convoy", '"roadside bomb"', "militants", "explosion", "hostages",
                "airstrike", "insurgents", "peace talks", "recruitment", "Mogadishu", "Taliban"]  # fmt: skip

# Filler sentences. Slots: A/B actors, P person, O organisation (extracted), L place, C country, V/W/Q unresolved
# village/person/organisation, n/k/w/y numbers, d weekday.
FILLERS = [
    "Fighters were seen near {V} on {d}, according to a local elder.",
    "Security forces said they had increased patrols around {L} after a series of threats.",
    "The attack is the latest in a string of incidents blamed on {A} this year.",
    "Residents of {V} said militants had set up a checkpoint on the main road out of the district.",
    "Analysts at {Q} said the group had expanded its recruitment in the surrounding districts.",
    "{W}, a spokesman for the group, did not respond to requests for comment.",
    "Humanitarian agencies said more than {n},000 people had been displaced from {V} and nearby villages.",
    "The ceasefire between {A} and {B} has largely collapsed since the talks broke down.",
    "Local officials in {V} said the convoy was hit by a roadside bomb before it reached the town.",
    "{O} reported that at least {k} civilians were among the dead.",
    "The government of {C} has repeatedly accused its neighbours of supporting the insurgents.",
    "Diplomats told {Q} that peace talks could resume next month.",
    "According to {Q}, the number of suicide attacks in the country rose sharply in {y}.",
    "{W}, a researcher who studies militant groups, said the bombing bore the hallmarks of {A}.",
    "Police said they had arrested {n} suspects in {V} in connection with the attack.",
    "Hospitals in {L} appealed for blood donations as the wounded were brought in from {V}.",
    "The drone strike killed a senior commander near {V}, officials said.",
    "{B} condemned the violence and called for restraint from all sides.",
    "Aid workers said access to {V} had been cut off for weeks.",
    "Negotiations over the release of the hostages have stalled, {W} said.",
    "The kidnapping of {n} aid workers near {V} drew condemnation from rights groups.",
    "Militants have also targeted schools and health clinics in the province, {W} said.",
    "Sanctions imposed on the group's leaders have done little to curb its financing.",
    "Insurgents attacked a military outpost in {V} overnight, officials said.",
    "Witnesses described a large explosion followed by gunfire near the market.",
    "{P} told reporters that the security situation remained fragile.",
    "The airstrike hit a compound in {V} that officials said was used by {A} commanders.",
    "The group has not commented on the reports, which could not be independently verified.",
    "Many families in {V} fled towards {L} after the fighting intensified.",
    "{Q}, a monitoring group, recorded {n}0 attacks in the region in the first half of {y}.",
    "The election has been overshadowed by threats from {A} and its allies.",
    "Officials from {O} met tribal leaders in {V} to discuss security arrangements.",
    "Checkpoints were reinforced across the city after intelligence warnings of a possible suicide attack.",
    "A former official said the group was exploiting local grievances in {V}.",
    "The blast shattered windows in buildings several hundred metres away, {W} said.",
    "Shops stayed closed on {d} as mourners gathered for the funerals.",
    "The road to {V} remains one of the most dangerous in {C}.",
]
# Event types: (event_type, attack_type, share, triggers, sentences); {T} is the trigger, {A} the perpetrator.
EVENT_TYPES: list[tuple[str, str | None, float, tuple[str, ...], tuple[str, ...]]] = [
    ("attack", "bombing_explosion", 0.34, ("bombing", "suicide bombing", "explosion", "blast"),
     ("{A} claimed responsibility for the {T} in {L} on {d}, which killed {k} people and wounded {w}.",
      "Officials blamed {A} for the {T} in {L}, which killed at least {k} people and wounded {w}.",
      "No group has claimed the {T} in {L} on {d}, which killed {k} people and injured {w} others.")),
    ("attack", "armed_assault", 0.24, ("attack", "assault", "raid"),
     ("Gunmen from {A} carried out a deadly {T} on a checkpoint in {L} on {d}, killing {k} soldiers.",
      "{A} fighters launched a deadly {T} on the outskirts of {L}, killing {k} people, officials said.",
      "A deadly {T} by unidentified gunmen in {L} on {d} killed {k} people and wounded {w}.")),
    ("attack", "assassination", 0.04, ("assassination", "shot dead"),
     ("The {T} of a district governor in {L} on {d} was claimed by {A}.",)),
    ("air_strike", None, 0.12, ("drone strike", "airstrike"),
     ("The {T} near {L} on {d} killed {k} suspected {A} fighters, the military said.",)),
    ("arrest", None, 0.10, ("arrested", "detained"),
     ("Security forces {T} {n} suspected members of {A} in {L} on {d}.",)),
    ("kidnapping", "hostage_taking_kidnapping", 0.08, ("kidnapped", "abducted"),
     ("Gunmen from {A} {T} {n} people travelling on the road to {L} on {d}.",)),
    ("military_offensive", None, 0.05, ("offensive", "operation"),
     ("The army launched a major {T} against {A} positions around {L} on {d}, killing {k} militants.",)),
    ("leader_killed", None, 0.03, ("killed",),
     ("A senior {A} commander was {T} in a raid near {L} on {d}, officials said.",)),
]  # fmt: skip
EVENT_FOLLOW_UP = (
    "Rescue workers said the toll could rise as more bodies were recovered.",
    "It was one of the deadliest incidents in {C} this year.",
    "Security forces sealed off the area and began a search operation.",
)
BACKGROUND_EVENT = "The group was also behind the {T} in {L} in {y}, which killed {k} people."
TARGET_TYPES = ("military", "police", "private_citizens", "government", "religious", "educational", "business",
                "transportation", "unknown")  # fmt: skip
SPEAKER_ROLES = ("a security analyst", "the provincial governor", "a military spokesman", "a senior official",
                 "the interior minister", "a UN envoy", "a senior researcher", "a police chief",
                 "a local commander")  # fmt: skip
ANON_SPEAKERS = ("Officials", "A spokesman for the interior ministry", "Western diplomats", "Security sources",
                 "Local elders", "Intelligence officials")  # fmt: skip
# probability words -> (band_low, band_high); None: a forecast without a stated band
FORECAST_WORDS: list[tuple[str, tuple[float, float] | None]] = [
    ("is likely to", (0.55, 0.8)), ("is very likely to", (0.8, 0.95)), ("will almost certainly", (0.95, 1.0)),
    ("is unlikely to", (0.2, 0.45)), ("is expected to", None), ("could", None),
]  # fmt: skip
HORIZONS: list[tuple[str, int | None]] = [
    ("within the next six months", 182), ("before the end of the year", 120), ("over the coming weeks", 42),
    ("in the next twelve months", 365), ("", None),
]  # fmt: skip
FORECAST_VERBS = ("step up", "intensify", "resume", "expand", "launch new", "carry out more")
FORECAST_TARGETS = ("security forces", "civilians", "foreign nationals", "government buildings",
                    "religious minorities", "aid convoys", "election rallies", "border posts")  # fmt: skip
ASSESSMENTS = ("has been weakened by", "has grown stronger since its split from", "has lost ground to",
               "has gained ground against", "is competing for recruits with", "has deepened its ties to")  # fmt: skip
# predicate: (share, sentence templates with S subject, X object, {T} marks the trigger, subject kind, object kind)
RELATIONS: dict[str, tuple[float, str, str, str]] = {
    "allied_with": (0.14, "{S} has {T} {X} in recent fighting near {L}.", "actor", "actor"),
    "hostile_to": (0.16, "{S} has {T} repeatedly with {X} near {L}.", "actor", "actor"),
    "attacks": (0.14, "{S} {T} positions held by {X} outside {L}.", "actor", "actor"),
    "hosts": (0.04, "{S} is believed to {T} senior {X} figures near {L}.", "actor", "actor"),
    "supports": (0.07, "{S} has {T} weapons and funding to {X}, according to {Q}.", "actor", "actor"),
    "negotiates_with": (0.07, "{S} held {T} with {X} in {L} last week.", "actor", "actor"),
    "member_of": (0.11, "{S}, a senior {T} of {X}, was seen in {L}.", "person", "group"),
    "leads": (0.06, "{S}, who {T} {X}, has not appeared in public since {y}.", "person", "group"),
    "deputy_of": (0.03, "{S} is the {T} of {X}, {W} said.", "person", "person"),
    "founded": (0.02, "{S} {T} {X} in {y}.", "person", "group"),
    "operates_in": (0.12, "{S} {T} in large parts of {X}.", "group", "place"),
    "sanctions": (0.04, "{S} {T} sanctions on {X} leaders in {y}.", "sanctioner", "group"),
}
RELATION_TRIGGERS = {
    "allied_with": "fought alongside", "hostile_to": "clashed", "attacks": "attacked", "hosts": "host",
    "supports": "provided", "negotiates_with": "talks", "member_of": "member", "leads": "leads",
    "deputy_of": "deputy", "founded": "founded", "operates_in": "operates", "sanctions": "imposed",
}  # fmt: skip
NEGATED_RELATION = "{S} {T} any links with {X}."  # allied_with, negated
HEDGED_RELATION = "{S} is reportedly {T} with {X}."  # allied_with, hedged
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SLOT = re.compile(r"\{(\w+|<|>)\}")


def parse_template(template: str) -> list[tuple[str, str | None]]:
    """A template as (literal, None) and ("", slot) tokens."""
    tokens: list[tuple[str, str | None]] = []
    pos = 0
    for m in SLOT.finditer(template):
        if m.start() > pos:
            tokens.append((template[pos : m.start()], None))
        tokens.append(("", m.group(1)))
        pos = m.end()
    if pos < len(template):
        tokens.append((template[pos:], None))
    return tokens


@dataclass
class Ent:
    id: int | None  # None: an unresolved name (mention without entity)
    key: str
    name: str
    kind: str
    label: str
    source: str
    aliases: list[str]
    country: str | None = None
    countries: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    group: Ent | None = None  # a gazetteer person's armed group

    def surface(self, rng: random.Random) -> str:
        return self.name if len(self.aliases) < 2 or rng.random() < 0.6 else rng.choice(self.aliases[1:])

    @property
    def method(self) -> tuple[str, float]:
        return {"gazetteer": ("gazetteer", 1.0), "geonames": ("geonames", 1.0), "extracted": ("new", 0.5)}.get(
            self.source, ("unresolved", 0.0)
        )


class Zipf:
    """Weighted picks with weight 1 / (rank + offset)^s: a few items are very popular, most are rare."""

    def __init__(self, items: list[Ent], rng: random.Random, offset: float, s: float = 1.0) -> None:
        self.items, self.rng = items, rng
        total, cum = 0.0, []
        for rank in range(len(items)):
            total += 1.0 / (rank + 1 + offset) ** s
            cum.append(total)
        self.cum, self.total = cum, total

    def pick(self) -> Ent:
        return self.items[min(bisect.bisect_left(self.cum, self.rng.random() * self.total), len(self.items) - 1)]

    def distinct(self, k: int) -> list[Ent]:
        out: list[Ent] = []
        for _ in range(k * 10):
            e = self.pick()
            if e not in out:
                out.append(e)
                if len(out) == k:
                    break
        return out


@dataclass
class Sentence:
    start: int
    end: int
    slots: dict[str, tuple[int, int]]  # last span of each slot, and "<", ">" marks
    entities: list[tuple[int, int, Ent]]  # linked entities mentioned, with spans


class TextBuilder:
    """Concatenates sentences and records each name's character span as a mention."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.chunks: list[str] = []
        self.pos = 0
        self.words = 0
        self.mentions: list[tuple[int, int, str, str, int | None, str, float]] = []

    def lit(self, s: str) -> None:
        self.chunks.append(s)
        self.pos += len(s)

    def sentence(self, tokens: list[tuple[str, str | None]], fill: Callable[[str], Ent | str]) -> Sentence:
        start, first_chunk = self.pos, len(self.chunks)
        slots: dict[str, tuple[int, int]] = {}
        entities: list[tuple[int, int, Ent]] = []
        for literal, slot in tokens:
            if slot is None:
                self.lit(literal)
                continue
            if slot in "<>":
                slots[slot] = (self.pos, self.pos)
                continue
            value = fill(slot)
            begin = self.pos
            if isinstance(value, Ent):
                surface = value.surface(self.rng)
                self.lit(surface)
                method, score = value.method
                self.mentions.append((begin, self.pos, surface, value.label, value.id, method, score))
                if value.id is not None:
                    entities.append((begin, self.pos, value))
            else:
                self.lit(value)
            slots[slot] = (begin, self.pos)
        self.words += len("".join(self.chunks[first_chunk:]).split())
        return Sentence(start, self.pos, slots, entities)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


@dataclass
class World:
    """Every entity of the synthetic store and the popularity samplers over them."""

    rng: random.Random
    entities: list[Ent]
    states: dict[str, Ent]
    places: dict[str, list[Ent]]
    place_zipf: dict[str, Zipf]
    actors: Zipf
    groups: Zipf
    sanctioners: Zipf
    gperson: Zipf
    xperson: Zipf
    xorg: Zipf
    unresolved: dict[str, list[Ent]]


def _unique_names(rng: random.Random, n: int, make: Callable[[], str], taken: set[str]) -> list[str]:
    out = []
    while len(out) < n:
        name = make()
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _person_name(rng: random.Random) -> str:
    """First and last name, sometimes with a second given name (120 x 114 pairs are too few for 20k people)."""
    middle = f" {rng.choice(FIRST)}" if rng.random() < 0.5 else ""
    return f"{rng.choice(FIRST)}{middle} {rng.choice(LAST)}"


def _acronym(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w[0].isalpha()).upper()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def build_world(rng: random.Random, n_gazetteer: int, n_extracted: int) -> World:
    """~600 gazetteer entities (actors, states, people, places with coordinates) and the extracted ones."""
    entities: list[Ent] = []
    taken: set[str] = set()
    keys: set[str] = set()

    def add(name: str, kind: str, label: str, source: str, aliases: list[str], **kw: Any) -> Ent:
        prefix = {"extracted": "person:" if kind == "person" else "org:"}.get(source, "")
        key = base = prefix + (_slug(name).replace("-", "_") if not prefix else _slug(name))
        while key in keys:
            key = f"{base}-{len(keys)}"
        keys.add(key)
        e = Ent(len(entities) + 1, key, name, kind, label, source, [name, *aliases], **kw)
        entities.append(e)
        taken.add(name)
        return e

    states: dict[str, Ent] = {}
    for code, (name, aliases, _share, lat, lon) in COUNTRIES.items():
        states[code] = add(name, "state", "GPE", "gazetteer", aliases, country=code, countries=[code], lat=lat, lon=lon)
    for name, aliases, code in OTHER_STATES:
        states[code] = add(name, "state", "GPE", "gazetteer", aliases, country=code, countries=[code])
    places: dict[str, list[Ent]] = {}
    for code, rows in PLACES.items():
        places[code] = [
            add(name, "place", "GPE", "gazetteer", [], country=code, countries=[code], lat=lat, lon=lon)
            for name, lat, lon in rows
        ]
    codes = list(COUNTRIES)
    while sum(len(v) for v in places.values()) < 100:  # districts near each capital
        code = rng.choice(codes)
        name = _unique_names(rng, 1, lambda: _word(rng) + rng.choice(("", " district", "abad", " Kalay")), taken)[0]
        lat = COUNTRIES[code][3] + rng.uniform(-1.5, 1.5)
        lon = COUNTRIES[code][4] + rng.uniform(-1.5, 1.5)
        rounded = {"lat": round(lat, 4), "lon": round(lon, 4)}
        places[code].append(add(name, "place", "GPE", "geonames", [], country=code, countries=[code], **rounded))
    top = [add(n, k, "ORG", "gazetteer", a, countries=c) for n, a, k, c in TOP_ACTORS]
    more: list[Ent] = []
    i = 0
    while len(entities) < n_gazetteer - 200:
        i += 1
        kind = ("armed_group", "armed_group", "armed_group", "military", "international_org", "organisation")[i % 6]
        if kind == "military":
            n = rng.randint(2, 120)
            suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
            name = rng.choice(MILITARY_PATTERNS).format(n=f"{n}{suffix}")
            if name in taken:
                continue
        else:
            pattern = GROUP_PATTERNS if kind == "armed_group" else ORG_PATTERNS
            name = _unique_names(rng, 1, lambda p=pattern: rng.choice(p).format(x=_word(rng)), taken)[0]
        aliases = [_acronym(name), "the " + name]
        aliases += [name.replace("al-", "al ")] if "al-" in name else []
        more.append(add(name, kind, "ORG", "gazetteer", aliases[: rng.randint(1, 3)], countries=[rng.choice(codes)]))
    groups = [e for e in top + more if e.kind == "armed_group"]  # popularity order: the real top groups first
    gpersons = []
    for _ in range(200):
        name = _unique_names(rng, 1, lambda: _person_name(rng), taken)[0]
        alias = [f"Abu {rng.choice(FIRST)} al-{rng.choice(LAST).replace('al-', '')}", name.split()[-1]]
        group = groups[min(int(rng.expovariate(1 / 12)), len(groups) - 1)]
        gpersons.append(add(name, "person", "PERSON", "gazetteer", alias[: rng.randint(1, 2)], group=group))
    rng.shuffle(more)
    foreign = [states[code] for _name, _aliases, code in OTHER_STATES]
    actor_order = [*top, *more, *foreign]
    xpersons = [
        add(n, "person", "PERSON", "extracted", [])
        for n in _unique_names(rng, n_extracted * 7 // 10, lambda: _person_name(rng), taken)
    ]
    xorgs = [
        add(n, "organisation", "ORG", "extracted", [])
        for n in _unique_names(
            rng,
            n_extracted - len(xpersons),
            lambda: rng.choice(ORG_PATTERNS).format(x=f"{_word(rng)}{rng.choice(('', ' ' + _word(rng)))}"),
            taken,
        )
    ]
    unresolved: dict[str, list[Ent]] = {
        "V": [Ent(None, "", n, "place", "GPE", "unresolved", [n]) for n in _unique_names(rng, 3000, lambda: _word(rng)
              + rng.choice(("", " village", "khel", " Kalay", "wa")), taken)],
        "W": [Ent(None, "", n, "person", "PERSON", "unresolved", [n]) for n in _unique_names(
              rng, 3000, lambda: f"{rng.choice(FIRST)} {_word(rng)}", taken)],
        "Q": [Ent(None, "", n, "organisation", "ORG", "unresolved", [n]) for n in _unique_names(
              rng, 2000, lambda: rng.choice(ORG_PATTERNS).format(x=_word(rng) + " " + _word(rng)), taken)],
    }  # fmt: skip
    sanctioners = [states["US"], states["GB"], states["FR"], top[10], top[25]]  # US, UK, France, UN, EU
    return World(
        rng=rng,
        entities=entities,
        states=states,
        places=places,
        place_zipf={c: Zipf(v, rng, 0.5) for c, v in places.items()},
        actors=Zipf(actor_order, rng, 3.0),
        groups=Zipf(groups, rng, 2.0),
        sanctioners=Zipf(sanctioners, rng, 0.5),
        gperson=Zipf(gpersons, rng, 5.0),
        xperson=Zipf(xpersons, rng, 10.0),
        xorg=Zipf(xorgs, rng, 10.0),
        unresolved=unresolved,
    )


@dataclass
class Cast:
    """The entities one article is about."""

    country: str
    state: Ent
    actors: list[Ent]
    groups: list[Ent]  # the armed groups among the actors (never empty)
    persons: list[Ent]
    orgs: list[Ent]
    places: list[Ent]


@dataclass
class SynthEvent:
    id: int
    event_type: str
    attack_type: str | None
    date: str
    precision: str
    method: str
    place: Ent
    country: str
    perp: Ent | None
    status: str
    target_type: str
    weapon: str | None
    group: Ent  # the armed group the report names (perpetrator, or target of a strike or arrest)
    figures: tuple[int | None, int | None]  # killed, wounded of the latest report
    suicide: int
    background: int
    published: str


class Generator:
    """Builds the synthetic store's rows, one article at a time, in publication order."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.w, self.rng = world, rng
        self.codes = list(COUNTRIES)
        self.country_cum: list[float] = []
        total = 0.0
        for _name, _aliases, share, _lat, _lon in COUNTRIES.values():
            total += share
            self.country_cum.append(total)
        self.fillers = [parse_template(t) for t in FILLERS]
        self.events: list[SynthEvent] = []
        self.recent: dict[str, list[SynthEvent]] = {c: [] for c in self.codes}
        self.report_id = 0
        self.claim_id = 0
        self.templates: dict[str, list[tuple[str, str | None]]] = {}

    def tpl(self, template: str) -> list[tuple[str, str | None]]:
        tokens = self.templates.get(template)
        if tokens is None:
            tokens = self.templates[template] = parse_template(template)
        return tokens

    def cast(self) -> Cast:
        r = self.rng
        country = self.codes[bisect.bisect_left(self.country_cum, r.random() * self.country_cum[-1])]
        actors = [a for a in self.w.actors.distinct(r.randint(3, 6)) if a is not self.w.states[country]]
        groups = [a for a in actors if a.kind == "armed_group"]
        if not groups:
            groups = [self.w.groups.pick()]
            actors.insert(0, groups[0])
        persons = self.w.gperson.distinct(r.randint(0, 2)) + self.w.xperson.distinct(r.randint(2, 4))
        return Cast(
            country,
            self.w.states[country],
            actors,
            groups,
            persons,
            self.w.xorg.distinct(r.randint(1, 2)),
            self.w.place_zipf[country].distinct(r.randint(1, 3)),
        )

    def filler(self, cast: Cast, fixed: dict[str, Ent | str]) -> Callable[[str], Ent | str]:
        r = self.rng
        chosen: dict[str, Ent] = {}

        def fill(slot: str) -> Ent | str:
            if slot in fixed:
                return fixed[slot]
            if slot == "A":
                chosen["A"] = cast.groups[0] if r.random() < 0.6 else r.choice(cast.groups)
                return chosen["A"]
            if slot == "B":
                others = [a for a in cast.actors if a is not chosen.get("A", fixed.get("A"))]
                return r.choice(others) if others else self.w.states["US"]
            if slot == "P":
                return r.choice(cast.persons)
            if slot == "O":
                return r.choice(cast.orgs)
            if slot == "L":
                return cast.places[0] if r.random() < 0.5 else r.choice(cast.places)
            if slot == "C":
                return cast.state
            if slot in "VWQ":
                return r.choice(self.w.unresolved[slot])
            if slot == "n":
                return str(r.randint(2, 40))
            if slot in ("k", "w"):
                return str(r.randint(1, 60))
            if slot == "y":
                return str(r.randint(2009, 2024))
            if slot == "d":
                return r.choice(WEEKDAYS)
            raise KeyError(slot)

        return fill

    def article(self, published: date) -> dict[str, Any]:
        """One analysed article: its text and every extraction pointing into it."""
        r = self.rng
        cast = self.cast()
        tb = TextBuilder(r)
        reports: list[tuple[Any, ...]] = []
        evidence: list[tuple[int, int, int]] = []
        claims: list[tuple[Any, ...]] = []
        about: list[tuple[int, int]] = []
        relations: list[tuple[Any, ...]] = []

        n_events = r.choices((0, 1, 2), (0.75, 0.2, 0.05))[0]
        plan: list[str] = ["claim"] * r.randint(1, 5) + ["relation"] * r.choices((0, 1, 2), (0.6, 0.3, 0.1))[0]
        r.shuffle(plan)
        plan = ["event"] * n_events + plan
        target_words = r.randint(250, 450)
        in_paragraph = 0
        paragraph_len = r.randint(3, 4)
        while plan or tb.words < target_words:
            if in_paragraph == paragraph_len:
                tb.lit("\n\n")
                in_paragraph, paragraph_len = 0, r.randint(3, 4)
            elif in_paragraph:
                tb.lit(" ")
            in_paragraph += 1
            if plan and (plan[0] == "event" or tb.words >= target_words or r.random() < 0.4):
                item = plan.pop(0)
                if item == "event":
                    self._event(tb, cast, published, reports, evidence)
                    continue
                if item == "claim":
                    self._claim(tb, cast, published, claims, about)
                    continue
                self._relation(tb, cast, relations)
                continue
            tb.sentence(r.choice(self.fillers), self.filler(cast, {}))
        return {
            "text": tb.text,
            "mentions": tb.mentions,
            "reports": reports,
            "evidence": evidence,
            "claims": claims,
            "about": about,
            "relations": relations,
            "country": cast.country,
            "title_actor": cast.groups[0].name,
            "title_place": cast.places[0].name,
        }

    def _event(
        self,
        tb: TextBuilder,
        cast: Cast,
        published: date,
        reports: list[tuple[Any, ...]],
        evidence: list[tuple[int, int, int]],
    ) -> None:
        r = self.rng
        background = r.random() < 0.08
        joined: SynthEvent | None = None
        if not background and r.random() < 0.3:  # a second report of a recent event in the same country
            pool = [e for e in self.recent[cast.country] if (published - date.fromisoformat(e.date)).days <= 3]
            joined = r.choice(pool) if pool else None
        if joined is not None:
            kind = next(t for t in EVENT_TYPES if t[0] == joined.event_type and t[1] == joined.attack_type)
            place, group = joined.place, joined.group
        else:
            kind = r.choices(EVENT_TYPES, [t[2] for t in EVENT_TYPES])[0]
            place = r.choice(cast.places)
            group = cast.groups[0]
        event_type, attack_type, _share, triggers, sentences = kind
        trigger = r.choice(triggers)
        unknown_templates = [t for t in sentences if "{A}" not in t]
        if background:
            template = BACKGROUND_EVENT
        elif joined is not None:  # keep the merged event's attribution
            pool = unknown_templates if joined.perp is None else [t for t in sentences if "{A}" in t]
            template = r.choice(pool or sentences)
        else:
            template = r.choice(sentences)
        perpetrated = event_type in ("attack", "kidnapping") and "{A}" in template
        perp = group if perpetrated else None
        fixed: dict[str, Ent | str] = {"T": trigger, "L": place, "A": group}
        killed = r.randint(0, 60) if event_type in ("attack", "air_strike", "military_offensive") else None
        wounded = r.randint(0, 90) if killed is not None else None
        fixed["k"], fixed["w"] = str(killed or r.randint(1, 20)), str(wounded or r.randint(1, 20))
        old_year = str(r.randint(2009, published.year - 1))
        fixed["y"] = old_year
        s = tb.sentence(self.tpl(template), self.filler(cast, fixed))
        spans = [(s.start, s.end)]
        if not background and r.random() < 0.5:
            tb.lit(" ")
            follow = tb.sentence(self.tpl(r.choice(EVENT_FOLLOW_UP)), self.filler(cast, {}))
            spans.append((follow.start, follow.end))
        t_start, t_end = s.slots["T"]
        if background:
            day, precision, method = old_year, "year", "text"
        elif joined is not None:
            day, precision, method = joined.date, joined.precision, "text"
        else:
            day = (published - timedelta(days=r.choice((0, 0, 1, 1, 2)))).isoformat()
            precision, method = "day", r.choice(("text", "text", "publication"))
        status = "unknown" if perp is None else ("claimed" if "claim" in template else "attributed")
        if joined is None:
            event = SynthEvent(
                len(self.events) + 1, event_type, attack_type, day, precision, method, place, cast.country, perp,
                status, r.choice(TARGET_TYPES) if event_type == "attack" else "unknown",
                "ied" if attack_type == "bombing_explosion" else None, group, (killed, wounded),
                int(trigger == "suicide bombing"), int(background), published.isoformat(),
            )  # fmt: skip
            self.events.append(event)
            if not background:
                self.recent[cast.country].append(event)
                self.recent[cast.country] = self.recent[cast.country][-30:]
        else:
            event = joined
            if killed is not None:
                event.figures = (killed, wounded)
        self.report_id += 1
        reports.append(
            (self.report_id, event.id, t_start, t_end, trigger, day, precision, place.name,
             perp.id if perp else None, status, killed, None, None, wounded, None, None, int(background))
        )  # fmt: skip
        evidence.extend((self.report_id, a, b) for a, b in spans)

    def _claim(
        self, tb: TextBuilder, cast: Cast, published: date, claims: list[tuple[Any, ...]], about: list[tuple[int, int]]
    ) -> None:
        r = self.rng
        kind = r.choices(("forecast", "assessment", "factual", "denial", "responsibility"), (25, 42, 23, 3, 7))[0]
        band: tuple[float, float] | None = None
        words = horizon_text = horizon_start = horizon_end = None
        fixed: dict[str, Ent | str] = {}
        if kind == "responsibility":
            fixed["A"] = cast.groups[0]
            cue = "claimed"
            template = "{A} {cue} responsibility for {<}the attack on {tgt} in {L}{>} in a statement on {d}."
            fixed["tgt"] = r.choice(FORECAST_TARGETS)
        else:
            if kind == "forecast":
                words, band = r.choice(FORECAST_WORDS)
                horizon_text, days = r.choice(HORIZONS)
                if days is not None:
                    horizon_start = published.isoformat()
                    horizon_end = (published + timedelta(days=days)).isoformat()
                content = f"{{A}} {words} {{verb}} attacks on {{tgt}} in {{L}}"
                content += f" {horizon_text}" if horizon_text else ""
                fixed["verb"], fixed["tgt"] = r.choice(FORECAST_VERBS), r.choice(FORECAST_TARGETS)
                cue = r.choice(("warned", "predicted", "said"))
            elif kind == "assessment":
                content = "{A} " + r.choice(ASSESSMENTS) + " {B} around {L}"
                cue = r.choice(("said", "assessed", "told reporters"))
            elif kind == "factual":
                content = "{k} members of {A} were killed in the operation near {L}"
                cue = r.choice(("said", "confirmed"))
            else:
                content = "{A} had been involved in the attack on {tgt} in {L}"
                fixed["tgt"] = r.choice(FORECAST_TARGETS)
                cue = "denied"
            quoted = r.random() < 0.3 and kind != "denial"
            speaker = "{P}, {role}," if r.random() < 0.6 else ("{W}, {role}," if r.random() < 0.3 else "{anon}")
            fixed["role"] = r.choice(SPEAKER_ROLES)
            fixed["anon"] = r.choice(ANON_SPEAKERS)
            if quoted:
                template = speaker + ' {cue}: "{<}' + content + '{>}."'
            else:
                template = speaker + " {cue} that {<}" + content + "{>}."
        fixed["cue"] = cue
        s = tb.sentence(self.tpl(template), self.filler(cast, fixed))
        start, end = s.slots["<"][0], s.slots[">"][0]
        self.claim_id += 1
        speaker_slot = next((k for k in ("P", "W", "anon", "A") if k in s.slots), None)
        sp_start, sp_end = s.slots[speaker_slot] if speaker_slot else (None, None)
        speaker_ent = next((e for a, _b, e in s.entities if a == sp_start), None)
        speaker_ent = speaker_ent if speaker_slot in ("P", "A") else None
        role = fixed["role"] if speaker_slot in ("P", "W") else None
        inside = []
        for a, b, e in s.entities:
            if a >= start and b <= end and e.id not in inside:
                inside.append(e.id)
        claims.append(
            [self.claim_id, start, end, None, int(kind != "responsibility" and '"' in template), cue,
             speaker_ent.id if speaker_ent else None, sp_start, sp_end, role, kind, words,
             band[0] if band else None, band[1] if band else None, horizon_text or None, horizon_start, horizon_end,
             s.start, s.end]
        )  # fmt: skip
        about.extend((self.claim_id, eid) for eid in inside[: r.randint(1, 2)] if eid is not None)

    def _relation(self, tb: TextBuilder, cast: Cast, relations: list[tuple[Any, ...]]) -> None:
        r = self.rng
        negated = hedged = 0
        predicate = r.choices(list(RELATIONS), [v[0] for v in RELATIONS.values()])[0]
        _share, template, s_kind, o_kind = RELATIONS[predicate]
        groups = cast.groups
        valid_from = None
        if s_kind == "person":
            subject = self.w.gperson.pick()
            if o_kind == "person":
                obj = next(p for p in iter(self.w.gperson.pick, None) if p is not subject)
            else:
                obj = subject.group or groups[0]
        elif s_kind == "group":
            subject, obj = groups[0], r.choice([*cast.places, cast.state])
        elif s_kind == "sanctioner":
            subject, obj = self.w.sanctioners.pick(), r.choice(groups)
        else:
            subject = r.choice(groups[:2])
            others = [a for a in cast.actors[:5] if a is not subject]
            obj = r.choice(others) if others else next(g for g in iter(self.w.groups.pick, None) if g is not subject)
            roll = r.random()
            if predicate == "allied_with" and roll < 0.25:
                template, negated = NEGATED_RELATION, 1
            elif predicate == "allied_with" and roll < 0.45:
                template, hedged = HEDGED_RELATION, 1
        if predicate == "hosts":
            hedged = 1
        trigger = {NEGATED_RELATION: "denied", HEDGED_RELATION: "allied"}.get(template, RELATION_TRIGGERS[predicate])
        fixed: dict[str, Ent | str] = {"S": subject, "X": obj, "T": trigger}
        if predicate == "founded":
            fixed["y"] = valid_from = str(r.randint(1990, 2015))
        s = tb.sentence(self.tpl(template), self.filler(cast, fixed))
        t_start, t_end = s.slots["T"]
        relations.append(
            (subject.id, predicate, obj.id, negated, hedged, valid_from, None, t_start, t_end, s.start, s.end)
        )


def _published_dates(rng: random.Random, n: int) -> list[date]:
    """Publication dates over 2019-2025, a little denser in later years (more sources come online)."""
    first = date(2019, 1, 1)
    days = (date(2025, 12, 31) - first).days
    return sorted(first + timedelta(days=int(rng.random() ** 0.85 * days)) for _ in range(n))


def build_synthetic(path: Path, n_docs: int, seed: int) -> dict[str, Any]:
    """Create the synthetic store at ``path`` (replacing any file there); returns build seconds and counts."""
    from watchfloor.link.normalize import norm_name
    from watchfloor.store.sqlite import open_store

    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    rng = random.Random(seed)
    repo = open_store(path)
    conn = repo.conn
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")  # rows are consistent by construction; checks would slow the build
    conn.execute("PRAGMA cache_size=-400000")
    world = build_world(rng, n_gazetteer=600, n_extracted=20000)
    conn.execute("BEGIN")
    conn.executemany(
        """INSERT INTO entities(id, key, name, kind, label, qid, description, countries, source, geonames_id,
               latitude, longitude, country_code, admin1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        [
            (
                e.id, e.key, e.name, e.kind, e.label,
                f"Q{rng.randint(1000, 9_999_999)}" if e.source == "gazetteer" and rng.random() < 0.5 else None,
                f"Synthetic {e.kind.replace('_', ' ')} active in {', '.join(e.countries) or 'several countries'}."
                if e.source != "extracted" else None,
                json.dumps(e.countries), e.source,
                rng.randint(100_000, 9_999_999) if e.kind == "place" else None,
                e.lat if e.kind == "place" else None, e.lon if e.kind == "place" else None,
                e.country if e.kind in ("place", "state") else None, None,
            )
            for e in world.entities
        ],
    )  # fmt: skip
    alias_rows = {}
    for e in world.entities:
        for alias in e.aliases:
            alias_rows.setdefault((e.id, norm_name(alias)), (e.id, alias, norm_name(alias), e.source))
    conn.executemany("INSERT INTO aliases(entity_id, alias, norm, source) VALUES (?,?,?,?)", list(alias_rows.values()))
    conn.execute("COMMIT")

    gen = Generator(world, rng)
    dates = _published_dates(rng, n_docs)
    recent_docs: list[tuple[str, str, str]] = []  # (id, text, title) of recent analysed articles, for duplicates
    ids: set[str] = set()
    buffers: dict[str, list[tuple[Any, ...]]] = {}
    last_report = 0

    def flush() -> None:
        conn.execute("BEGIN")
        for sql, rows in buffers.items():
            conn.executemany(sql, rows)
        conn.execute("COMMIT")
        buffers.clear()

    def put(sql: str, rows: list[tuple[Any, ...]]) -> None:
        buffers.setdefault(sql, []).extend(rows)

    for i, published in enumerate(dates):
        publisher, domain = PUBLISHERS[rng.randrange(len(PUBLISHERS))]
        duplicate_of = None
        if recent_docs and rng.random() < 0.03:
            duplicate_of, original, title = rng.choice(recent_docs[-200:])
            text = original + f"\n\nThis article was updated on {published.isoformat()}."
            art: dict[str, Any] | None = None
        else:
            art = gen.article(published)
            text = art["text"]
            title = rng.choice(
                ("{a} blamed for deadly attack in {p}", "Fighting near {p} as {a} expands reach",
                 "{a} claims {p} blast", "Analysis: what next for {a}?", "Security tightened in {p} after threats",
                 "Talks stall as {a} steps up attacks around {p}")
            ).format(a=art["title_actor"], p=art["title_place"])  # fmt: skip
        head = [b.format(p=publisher) for b in BOILERPLATE_HEAD]
        foot = [b.format(p=publisher) for b in BOILERPLATE_FOOT]
        raw_text = "\n".join(head) + "\n" + title + "\n" + text + "\n" + "\n".join(foot)
        raw_sha = hashlib.sha256(raw_text.encode()).hexdigest()
        doc_id = raw_sha[:16]
        if doc_id in ids:
            continue
        ids.add(doc_id)
        removed, pos = [], 0
        for line in head:
            removed.append((doc_id, pos, pos + len(line), line, "outside the main text"))
            pos += len(line) + 1
        pos = len(raw_text) - len("\n".join(foot))
        for line in foot:
            removed.append((doc_id, pos, pos + len(line), line, "outside the main text"))
            pos += len(line) + 1
        slug = _slug(title)[:60]
        url = f"https://{domain}/{published.year}/{published.month:02d}/{slug}-{i}"
        ingested = datetime(published.year, published.month, published.day, 6, tzinfo=UTC) + timedelta(
            days=rng.randint(0, 3), seconds=rng.randint(0, 86_000)
        )
        notes = f'["near duplicate of {duplicate_of} (similarity 0.93)"]' if duplicate_of else "[]"
        put(
            """INSERT INTO documents(id, text_hash, source, kind, raw_sha256, url, title, publisher, author, published,
                   published_method, published_evidence, language, status, duplicate_of, duplicate_kind, similarity,
                   raw_text, text, word_count, notes, minhash, ingested_at, extractor, extractor_version)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [(doc_id, hashlib.sha256(text.encode()).hexdigest(), url, "html", raw_sha, url, title, publisher,
              f"{rng.choice(FIRST)} {rng.choice(LAST)}" if rng.random() < 0.6 else None, published.isoformat(),
              "metadata", "page metadata or URL", "en", "duplicate" if duplicate_of else "analysed", duplicate_of,
              "near" if duplicate_of else None, 0.93 if duplicate_of else None, raw_text, text, len(text.split()),
              notes, None if duplicate_of else rng.randbytes(1024), ingested.isoformat(), "watchfloor.ingest",
              "0.1.0")],
        )  # fmt: skip
        put("INSERT INTO sources(source, raw_sha256, doc_id) VALUES (?,?,?)", [(url, raw_sha, doc_id)])
        put("INSERT INTO removed_spans(doc_id, start, end, text, reason) VALUES (?,?,?,?,?)", removed)
        if art is not None:
            recent_docs.append((doc_id, text, title))
            recent_docs = recent_docs[-400:]
            put(
                """INSERT INTO mentions(doc_id, start, end, text, label, entity_id, link_method, link_score,
                       extractor, extractor_version) VALUES (?,?,?,?,?,?,?,?,?,?)""",
                [(doc_id, *m, "watchfloor.ingest", "0.1.0") for m in art["mentions"]],
            )
            put(
                """INSERT INTO event_reports(id, event_id, doc_id, trigger_start, trigger_end, trigger_text, date,
                       date_precision, place_text, perpetrator_entity_id, perpetrator_status, killed, killed_low,
                       killed_high, wounded, wounded_low, wounded_high, is_background, extractor, extractor_version)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [(r[0], r[1], doc_id, *r[2:], "watchfloor.extract.events", "0.1.0") for r in art["reports"]],
            )
            last_report = max([last_report, *(r[0] for r in art["reports"])])
            put(
                "INSERT INTO event_evidence(report_id, doc_id, start, end) VALUES (?,?,?,?)",
                [(rid, doc_id, a, b) for rid, a, b in art["evidence"]],
            )
            claim_rows = []
            for c in art["claims"]:
                c[3] = text[c[1] : c[2]]
                cid, start, end, ctext, quote, cue, speaker_id, sp_start, sp_end, role, *rest = c
                sp_text = text[sp_start:sp_end] if sp_start is not None else None
                claim_rows.append(
                    (cid, doc_id, start, end, ctext, quote, cue, speaker_id, sp_text, sp_text, sp_start, sp_end, role,
                     *rest, "watchfloor.extract.claims", "0.1.0")
                )  # fmt: skip
            put(
                """INSERT INTO claims(id, doc_id, start, end, text, quote, cue, speaker_entity_id, speaker_text,
                       speaker_mention, speaker_start, speaker_end, speaker_role, kind, probability_words, band_low,
                       band_high, horizon_text, horizon_start, horizon_end, evidence_start, evidence_end, extractor,
                       extractor_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                claim_rows,
            )
            put("INSERT OR IGNORE INTO claim_about(claim_id, entity_id) VALUES (?,?)", art["about"])
            put(
                """INSERT INTO relations(doc_id, subject_entity_id, predicate, object_entity_id, negated, hedged,
                       valid_from, valid_to, trigger_start, trigger_end, evidence_start, evidence_end, extractor,
                       extractor_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [(doc_id, *rel, "watchfloor.extract.relations", "0.1.0") for rel in art["relations"]],
            )
        if (i + 1) % CHUNK_DOCS == 0:
            flush()
            console.print(f"  synthetic store: {i + 1:,}/{n_docs:,} documents ({time.perf_counter() - started:.0f} s)")
    flush()
    conn.execute("BEGIN")
    conn.executemany(
        """INSERT INTO events(id, event_type, attack_type, date, date_precision, date_method, place_entity_id,
               place_text, country, perpetrator_entity_id, perpetrator_text, perpetrator_status, target, target_type,
               weapon, killed, killed_low, killed_high, wounded, wounded_low, wounded_high, suicide, is_background,
               extractor, extractor_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        [
            (e.id, e.event_type, e.attack_type, e.date, e.precision, e.method, e.place.id, e.place.name, e.country,
             e.perp.id if e.perp else None, e.perp.name if e.perp else None, e.status, None, e.target_type, e.weapon,
             e.figures[0], None, None, e.figures[1], None, None, e.suicide, e.background, "watchfloor.extract.events",
             "0.1.0")
            for e in gen.events
        ],
    )  # fmt: skip
    meta = {"synthetic_docs": str(n_docs), "synthetic_seed": str(seed), "synthetic_version": SYNTHETIC_VERSION}
    conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?,?)", list(meta.items()))
    conn.execute("COMMIT")
    check_spans(conn, rng)
    # Stores written by newer versions keep derived per-entity counts, refreshed after every ingest run: do the same.
    refresh = getattr(importlib.import_module("watchfloor.store.sqlite_browse"), "refresh_entity_stats", None)
    if refresh is not None:
        conn.execute("BEGIN")
        refresh(conn)
        conn.execute("COMMIT")
    conn.execute("ANALYZE")
    seconds = time.perf_counter() - started
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('synthetic_build_seconds', ?)", (f"{seconds:.1f}",))
    conn.execute("PRAGMA journal_mode=WAL")
    repo.close()
    return {"build_seconds": round(seconds, 1)}


def check_spans(conn: sqlite3.Connection, rng: random.Random, sample: int = 300) -> None:
    """Spot-check that stored spans point at the text they claim (on a sample of documents)."""
    ids = [r[0] for r in conn.execute("SELECT id FROM documents WHERE status='analysed'")]
    for doc_id in rng.sample(ids, min(sample, len(ids))):
        text = conn.execute("SELECT text FROM documents WHERE id=?", (doc_id,)).fetchone()[0]
        for start, end, mtext in conn.execute("SELECT start, end, text FROM mentions WHERE doc_id=?", (doc_id,)):
            assert text[start:end] == mtext, (doc_id, start, end, mtext)
        for start, end, ttext in conn.execute(
            "SELECT trigger_start, trigger_end, trigger_text FROM event_reports WHERE doc_id=?", (doc_id,)
        ):
            assert text[start:end] == ttext, (doc_id, start, end, ttext)
        for start, end, ctext, ev_start, ev_end in conn.execute(
            "SELECT start, end, text, evidence_start, evidence_end FROM claims WHERE doc_id=?", (doc_id,)
        ):
            assert text[start:end] == ctext and ev_start <= start < end <= ev_end, (doc_id, start, end)
        for t_start, t_end, ev_start, ev_end in conn.execute(
            "SELECT trigger_start, trigger_end, evidence_start, evidence_end FROM relations WHERE doc_id=?", (doc_id,)
        ):
            assert ev_start <= t_start < t_end <= ev_end and text[ev_end - 1] == ".", (doc_id, t_start)


TABLES = ("documents", "sources", "removed_spans", "entities", "aliases", "mentions", "events", "event_reports",
          "event_evidence", "claims", "claim_about", "relations")  # fmt: skip


def store_counts(path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        counts: dict[str, Any] = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        counts["documents_analysed"] = conn.execute(
            "SELECT count(*) FROM documents WHERE status='analysed'"
        ).fetchone()[0]
        linked = conn.execute("SELECT count(*) FROM mentions WHERE entity_id IS NOT NULL").fetchone()[0]
        counts["linked_mentions"] = linked
        counts["words"] = conn.execute("SELECT coalesce(sum(word_count), 0) FROM documents").fetchone()[0]
        top = conn.execute(
            """SELECT e.name, count(DISTINCT m.doc_id) FROM mentions m JOIN entities e ON e.id=m.entity_id
               WHERE m.entity_id=(SELECT entity_id FROM mentions WHERE entity_id IS NOT NULL
                                  GROUP BY entity_id ORDER BY count(*) DESC LIMIT 1)"""
        ).fetchone()
        counts["top_entity"] = {"name": top[0], "documents": top[1]} if top and top[0] else None
    finally:
        conn.close()
    counts["file_mb"] = round(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20, 1)
    return counts


def synthetic_store(path: Path, n_docs: int, seed: int) -> tuple[float | None, bool]:
    """Reuse the store at ``path`` when it holds ``n_docs`` synthetic documents of this generator, else build it.
    Returns (build seconds, whether it was built now)."""
    if path.exists():
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            conn.close()
        except sqlite3.DatabaseError:
            meta = {}
        wanted = {"synthetic_docs": str(n_docs), "synthetic_seed": str(seed), "synthetic_version": SYNTHETIC_VERSION}
        if all(meta.get(k) == v for k, v in wanted.items()) and "synthetic_build_seconds" in meta:
            console.print(f"reusing synthetic store {path} ({n_docs:,} documents)")
            return float(meta["synthetic_build_seconds"]), False
    console.print(f"building synthetic store {path} ({n_docs:,} documents, seed {seed}) …")
    built = build_synthetic(path, n_docs, seed)
    return built["build_seconds"], True


def demo_store(path: Path) -> float | None:
    """Ingest the bundled demo corpus into ``path`` unless it exists; returns the ingest seconds (None: reused)."""
    if path.exists():
        return None
    from watchfloor.workspace import Workspace, demo_corpus_path

    console.print(f"ingesting the demo corpus into {path} (a minute or two) …")
    started = time.perf_counter()
    with Workspace(path) as ws:
        ws.ingest([str(demo_corpus_path())])
    return round(time.perf_counter() - started, 1)


# -- measurement -----------------------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    template: str  # for the report
    paths: list[str]  # warm-up paths first, then the timed ones
    html: bool = False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    base: str
    proc: subprocess.Popen[bytes]
    log: Path

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise RuntimeError(f"server exited with {self.proc.returncode}: {self.log.read_text()[-3000:]}")


@contextlib.contextmanager
def running_server(db: Path | str, log: Path, workers: int = 1) -> Iterator[Server]:
    """``watchfloor serve`` (``workers`` processes) on a free port, yielded once warm; stopped on exit (and
    on Ctrl-C). With several workers each answers /api/health for itself, so warm means ten warm answers
    in a row (a request lands on any worker)."""
    port = free_port()
    command = [sys.executable, "-m", "watchfloor", "serve", "--db", str(db), "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    with log.open("w") as err:
        proc = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=ROOT,
        )
        server = Server(f"http://127.0.0.1:{port}", proc, log)
        try:
            deadline = time.monotonic() + 300
            warm_in_a_row = 0
            while True:
                server.check_alive()
                with contextlib.suppress(httpx.TransportError):
                    # /api/health says warm once the entity counts and the claims' stance index are built
                    # (the server does that in the background at start): measure the steady state.
                    health = httpx.get(server.base + "/api/health", timeout=120)
                    warm = health.status_code == 200 and bool(health.json().get("warm"))
                    warm_in_a_row = warm_in_a_row + 1 if warm else 0
                    if warm_in_a_row >= (1 if workers == 1 else 10):
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server was not warm within 300 s: {log.read_text()[-2000:]}")
                time.sleep(0.2)
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def sample_parameters(db: Path, rng: random.Random, n: int) -> dict[str, list[Any]]:
    """Entity ids (half from the 20 most-mentioned, half random mentioned ones), name prefixes, search terms
    and document ids, n of each, drawn from the store."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        labels = "'PERSON','ORG','NORP','GPE','LOC','FAC'"
        mentioned = f"""SELECT m.entity_id, count(*) AS n FROM mentions m JOIN entities e ON e.id=m.entity_id
                        WHERE e.merged_into IS NULL AND e.label IN ({labels}) GROUP BY m.entity_id"""
        rows = conn.execute(mentioned + " ORDER BY n DESC").fetchall()
        names = dict(conn.execute("SELECT id, name FROM entities").fetchall())
        doc_ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
    finally:
        conn.close()
    top = [r[0] for r in rows[:20]]
    everyone = [r[0] for r in rows]
    entity_ids = [top[i % len(top)] if i % 2 == 0 else rng.choice(everyone) for i in range(n)]
    rng.shuffle(entity_ids)
    prefixes = [names[rng.choice(top if i % 2 == 0 else everyone)][:3] for i in range(n)]
    terms = [SEARCH_TERMS[(i * 7) % len(SEARCH_TERMS)] for i in range(n)]
    rng.shuffle(terms)
    return {
        "entity": entity_ids,
        "actor": [top[i % len(top)] if i % 2 == 1 else rng.choice(everyone) for i in range(n)],
        "prefix": prefixes,
        "term": terms,
        "doc": [rng.choice(doc_ids) for _ in range(n)],
        "top": top,
    }


def endpoints(params: dict[str, list[Any]], n: int) -> list[Endpoint]:
    from urllib.parse import quote

    def each(fmt: Callable[[int], str]) -> list[str]:
        return [fmt(i) for i in range(n)]

    e, a, p, t, d = (params[k] for k in ("entity", "actor", "prefix", "term", "doc"))
    q = [quote(x) for x in t]

    def fixed(path: str) -> list[str]:
        return [path] * n

    api = [
        Endpoint("stats", "/api/stats", fixed("/api/stats")),
        Endpoint("entities list", "/api/entities?limit=50", fixed("/api/entities?limit=50")),
        Endpoint("entities q=prefix", "/api/entities?q=<3 letters>", each(lambda i: f"/api/entities?q={quote(p[i])}")),
        Endpoint("entity page", "/api/entities/{id}", each(lambda i: f"/api/entities/{e[i]}")),
        Endpoint("entity mentions", "/api/entities/{id}/mentions?limit=50",
                 each(lambda i: f"/api/entities/{e[i]}/mentions?limit=50")),
        Endpoint("search page", "/api/search?q=<term>", each(lambda i: f"/api/search?q={q[i]}")),
        Endpoint("search + actor", "/api/search?q=<term>&actor={id}",
                 each(lambda i: f"/api/search?q={q[i]}&actor={a[i]}")),
        Endpoint("events list", "/api/events?limit=50", fixed("/api/events?limit=50")),
        Endpoint("events by actor", "/api/events?actor={id}", each(lambda i: f"/api/events?actor={a[i]}")),
        Endpoint("relations list", "/api/relations?limit=50", fixed("/api/relations?limit=50")),
        Endpoint("relations by actor", "/api/relations?actor={id}", each(lambda i: f"/api/relations?actor={a[i]}")),
        Endpoint("claims list", "/api/claims?limit=50", fixed("/api/claims?limit=50")),
        Endpoint("claims about actor", "/api/claims?about={id}", each(lambda i: f"/api/claims?about={a[i]}")),
        Endpoint("graph", "/api/graph", fixed("/api/graph")),
        Endpoint("timeline", "/api/timeline", fixed("/api/timeline")),
        Endpoint("documents list", "/api/documents?limit=50", fixed("/api/documents?limit=50")),
        Endpoint("document page", "/api/documents/{doc_id}", each(lambda i: f"/api/documents/{d[i]}")),
    ]  # fmt: skip
    html = [
        Endpoint("html /", "/", fixed("/"), html=True),
        Endpoint("html actor page", "/actors/{id}", each(lambda i: f"/actors/{e[i]}"), html=True),
        Endpoint("html search", "/search?q=<term>", each(lambda i: f"/search?q={q[i]}"), html=True),
        Endpoint("html document", "/documents/{doc_id}", each(lambda i: f"/documents/{d[i]}"), html=True),
        Endpoint("html claims", "/claims", fixed("/claims"), html=True),
        Endpoint("html timeline", "/timeline", fixed("/timeline"), html=True),
        Endpoint("html graph", "/graph", fixed("/graph"), html=True),
        Endpoint("html map", "/map", fixed("/map"), html=True),
    ]
    return api + html


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return sorted_values[max(0, math.ceil(pct / 100 * len(sorted_values)) - 1)]


def timed_get(client: httpx.Client, server: Server, path: str) -> tuple[float, int, bytes, str | None]:
    """(milliseconds, status, body, transport error) of one GET; a dead server raises."""
    started = time.perf_counter()
    try:
        response = client.get(server.base + path)
    except httpx.TransportError as exc:
        server.check_alive()
        return (time.perf_counter() - started) * 1000, 0, b"", f"{type(exc).__name__}: {exc}"
    return (time.perf_counter() - started) * 1000, response.status_code, response.content, None


def measure(client: httpx.Client, server: Server, ep: Endpoint, warmup: int, budget_s: float) -> dict[str, Any]:
    """Warm up, then time requests until the paths or the time budget run out (at least 5 timed).
    An endpoint whose first request takes over a tenth of the budget gets that one warm-up only."""
    row: dict[str, Any] = {"endpoint": ep.name, "path": ep.template, "html": ep.html}
    if ep.html:
        _ms, status, _body, _error = timed_get(client, server, ep.paths[0])
        if status == 404:
            return row | {"skipped": "404: page not implemented yet"}
    times: list[float] = []
    sizes: list[int] = []
    failures: list[dict[str, Any]] = []
    first_ms = None
    budget_start = math.inf
    for i, path in enumerate(ep.paths):
        timed = i >= warmup
        if i == warmup:
            budget_start = time.perf_counter()
        done = len(times) + sum(1 for f in failures if not f["warmup"])
        if timed and done >= 5 and time.perf_counter() - budget_start > budget_s:
            row["stopped_early"] = f"time budget of {budget_s:.0f} s reached"
            break
        if not timed and first_ms is not None and first_ms > budget_s * 1000 / 10:
            continue  # a request this slow is not a cold cache: one warm-up is enough
        ms, status, body, error = timed_get(client, server, path)
        first_ms = ms if first_ms is None else first_ms
        if status != 200:
            text = error or body[:300].decode("utf-8", "replace")
            failures.append({"path": path, "status": status, "body": text, "warmup": not timed})
        elif timed:
            times.append(ms)
            sizes.append(len(body))
    times_sorted = sorted(times)
    row |= {
        "n": len(times),
        "failures": len(failures),
        "failure_examples": failures[:3],
        "first_ms": round(first_ms, 1) if first_ms is not None else None,
    }
    if times:
        row |= {
            "p50_ms": round(percentile(times_sorted, 50), 1),
            "p95_ms": round(percentile(times_sorted, 95), 1),
            "max_ms": round(times_sorted[-1], 1),
            "mean_ms": round(sum(times) / len(times), 1),
            "mean_kb": round(sum(sizes) / len(sizes) / 1024, 1),
            "slow": percentile(times_sorted, 95) >= SLOW_MS,
        }
    return row


def bench_store(name: str, db: Path, args: argparse.Namespace, build_s: float | None) -> dict[str, Any]:
    counts = store_counts(db)
    summary = ", ".join(f"{k} {v:,}" for k, v in counts.items() if isinstance(v, int))
    console.print(f"[bold]{name}[/]: {db} — {summary}")
    params = sample_parameters(db, random.Random(args.seed), args.warmup + args.requests)
    eps = endpoints(params, args.warmup + args.requests)
    if args.only:
        eps = [ep for ep in eps if re.search(args.only, ep.name)]
    rows = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_server(db, Path(tmp) / "server.log") as server,
        httpx.Client(timeout=httpx.Timeout(600.0)) as client,
    ):
        for ep in eps:
            row = measure(client, server, ep, args.warmup, args.budget)
            rows.append(row)
            if "skipped" in row:
                console.print(f"  {ep.name:<22} skipped: {row['skipped']}")
            elif row["n"]:
                console.print(
                    f"  {ep.name:<22} n={row['n']:<3} p50 {row['p50_ms']:>8.1f} ms  p95 {row['p95_ms']:>8.1f} ms"
                    f"  max {row['max_ms']:>8.1f} ms  {row['mean_kb']:>8.1f} KB"
                    + (f"  failures {row['failures']}" if row["failures"] else "")
                )
            else:
                console.print(f"  {ep.name:<22} all {row['failures']} requests failed: {row['failure_examples']}")
    return {
        "store": name,
        "db": str(db),
        "build_seconds": build_s,
        "counts": counts,
        "top_entities": params["top"],
        "endpoints": rows,
    }


def print_table(result: dict[str, Any]) -> None:
    c = result["counts"]
    table = Table(
        title=f"{result['store']}: {c['documents']:,} documents, {c['mentions']:,} mentions, {c['events']:,} events, "
        f"{c['claims']:,} claims, {c['relations']:,} relations",
        title_justify="left",
    )
    for col in ("endpoint", "n", "fail", "first ms", "p50 ms", "p95 ms", "max ms", "mean KB", ""):
        table.add_column(col, justify="left" if col == "endpoint" else "right")
    for row in result["endpoints"]:
        if "skipped" in row:
            table.add_row(row["endpoint"], "", "", "", "", "", "", "", row["skipped"], style="dim")
            continue
        if not row["n"]:
            table.add_row(row["endpoint"], "0", str(row["failures"]), "", "", "", "", "", "ALL FAILED", style="red")
            continue
        mark = ("p95 >= 100 ms" if row["slow"] else "") + (" (budget)" if row.get("stopped_early") else "")
        table.add_row(
            row["endpoint"], str(row["n"]), str(row["failures"] or ""), f"{row['first_ms']:.1f}",
            f"{row['p50_ms']:.1f}", f"{row['p95_ms']:.1f}", f"{row['max_ms']:.1f}", f"{row['mean_kb']:.1f}", mark,
            style="bold red" if row["slow"] else None,
        )  # fmt: skip
    console.print(table)


def machine_info(load_before: tuple[float, float, float]) -> dict[str, Any]:
    """What the figures were measured on, with the load average before and now (after the run)."""
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "loadavg_1_5_15_before": [round(x, 2) for x in load_before],
        "loadavg_1_5_15_after": [round(x, 2) for x in os.getloadavg()],
    }


def write_results(out: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    console.print(f"results written to {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo-db", type=Path, default=Path("/tmp/wf-demo.db"), help="demo store (built if missing)")
    parser.add_argument("--skip-demo", action="store_true", help="measure the synthetic store only")
    parser.add_argument("--synthetic-docs", type=int, default=50000, help="synthetic store size; 0 skips it")
    parser.add_argument("--synthetic-db", type=Path, help="synthetic store (default /tmp/wf-synth-<N>.db)")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per endpoint")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per endpoint first")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds of timed requests per endpoint at most")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", help="regex: measure only endpoints whose name matches")
    parser.add_argument("--build-only", action="store_true", help="build the synthetic store and stop")
    parser.add_argument("--out", type=Path, default=RESULTS, help="write the results as JSON here")
    args = parser.parse_args()

    stores: list[tuple[str, Path, float | None]] = []
    if not args.skip_demo:
        stores.append(("demo", args.demo_db, demo_store(args.demo_db)))
    if args.synthetic_docs > 0:
        size = f"{args.synthetic_docs // 1000}k" if args.synthetic_docs % 1000 == 0 else str(args.synthetic_docs)
        path = args.synthetic_db or Path(f"/tmp/wf-synth-{size}.db")
        build_s, built = synthetic_store(path, args.synthetic_docs, args.seed)
        if built:
            counts = store_counts(path)
            console.print(f"built in {build_s:.1f} s: " + json.dumps(counts))
        stores.append((f"synthetic {args.synthetic_docs:,}", path, build_s))
    if args.build_only:
        return
    started = time.perf_counter()
    load_before = os.getloadavg()
    results = [bench_store(name, path, args, build_s) for name, path, build_s in stores]
    for result in results:
        print_table(result)
    out = {
        "benchmark": "api_latency",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(load_before),
        "settings": {
            "requests": args.requests,
            "warmup": args.warmup,
            "budget_s": args.budget,
            "seed": args.seed,
            "slow_p95_ms": SLOW_MS,
            "client": "one httpx.Client, sequential requests",
        },
        "measure_seconds": round(time.perf_counter() - started, 1),
        "stores": results,
    }
    write_results(out, args.out)


if __name__ == "__main__":
    main()
