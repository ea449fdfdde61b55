"""Extractor versions, in a module without heavy imports so the store can record them without spaCy.

Bump a version when its extractor's output changes; the extractors re-export theirs as
``EXTRACTOR_VERSION``.
"""

from __future__ import annotations

EVENTS_VERSION = "0.4.4"  # "a day earlier" counts back; attackers' group, branches over parents, claims of statements
CLAIMS_VERSION = "0.3.1"  # complete dates the NER missed are DATE entities (horizons)
RELATIONS_VERSION = "0.2.2"  # cooperating "against" X makes the sides hostile to X; no learned relation makes a place fight
