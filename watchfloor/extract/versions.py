"""Extractor versions, in a module without heavy imports so the store can record them without spaCy.

Bump a version when its extractor's output changes; the extractors re-export theirs as
``EXTRACTOR_VERSION``.
"""

from __future__ import annotations

EVENTS_VERSION = "0.4.4"  # counts back, attackers' groups, branches, series of incidents, references by target
CLAIMS_VERSION = "0.3.2"  # an entity that is only a month and a year ("September 2022") is a DATE
RELATIONS_VERSION = "0.2.2"  # "cooperate against X" makes X their enemy; no learned relation makes a place fight
