"""Extractor versions, in a module without heavy imports so the store can record them without spaCy.

Bump a version when its extractor's output changes; the extractors re-export theirs as
``EXTRACTOR_VERSION``.
"""

from __future__ import annotations

EVENTS_VERSION = "0.4.1"  # a town named after an unresolved place is another incident
CLAIMS_VERSION = "0.3.0"  # transcript labels and signed quotes, clause-final reported speech split off, softmax rankers
RELATIONS_VERSION = "0.2.0"  # learned relation model, modality and speaker stored
