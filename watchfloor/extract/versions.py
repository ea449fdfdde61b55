"""Extractor versions, in a module without heavy imports so the store can record them without spaCy.

Bump a version when its extractor's output changes; the extractors re-export theirs as
``EXTRACTOR_VERSION``.
"""

from __future__ import annotations

EVENTS_VERSION = "0.4.3"  # places with context ("the capital" too); an undated headline is its lede's incident
CLAIMS_VERSION = "0.3.1"  # complete dates the NER missed are DATE entities (horizons)
RELATIONS_VERSION = "0.2.1"  # complete dates the NER missed are DATE entities (valid time)
