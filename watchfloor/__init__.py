"""Watchfloor: an auditable threat picture from news and analysis articles."""

__version__ = "0.6.4"
