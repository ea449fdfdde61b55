"""What every chart shares: one colour per actor on every page, and continuous month axes.

An actor's colour comes from its entity key (stable across stores, re-runs and pages): a short list of
prominent groups that often share a chart have fixed, mutually distinct colours; every other key is hashed
into the same palette. Grey is kept for "unknown". The palette is colour-blind-friendly (Okabe-Ito, then
Paul Tol's muted scheme) and every colour is dark enough to read as a swatch on white.
"""

from __future__ import annotations

import hashlib
from typing import Any

from markupsafe import Markup, escape

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#882255",  # wine
    "#332288",  # indigo
    "#999933",  # olive
    "#44AA99",  # teal
    "#AA4499",  # purple
    "#8C564B",  # brown
)
UNKNOWN = "#9e9e9e"  # no perpetrator / no entity: never one of the palette's colours

# Groups that share the same theatres get distinct colours instead of whatever their hashes give.
PINNED: dict[str, str] = {
    "islamic_state": "#0072B2",
    "iskp": "#D55E00",
    "taliban": "#009E73",
    "ttp": "#CC79A7",
    "al_qaeda": "#E69F00",
    "iswap": "#56B4E9",
    "bla": "#882255",
    "hamas": "#332288",
    "boko_haram": "#999933",
    "al_shabaab": "#44AA99",
    "hts": "#AA4499",
    "hezbollah": "#8C564B",
}


def actor_colour(key: str | None) -> str:
    """The colour of an actor, from its entity key; grey when there is no actor."""
    if not key:
        return UNKNOWN
    if key in PINNED:
        return PINNED[key]
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=4).digest()
    return PALETTE[int.from_bytes(digest, "big") % len(PALETTE)]


def actor_swatch(key: str | None, name: str = "") -> Markup:
    """A small dot in the actor's colour as inline SVG (a ``fill`` attribute: the CSP forbids inline styles)."""
    colour = actor_colour(key)
    label = f' aria-label="{escape(name)}"' if name else ' aria-hidden="true"'
    return Markup(
        f'<svg class="swatch" viewBox="0 0 10 10" width="10" height="10" data-colour="{colour}"{label}>'
        f'<circle cx="5" cy="5" r="5" fill="{colour}"/></svg>'
    )


def _month_after(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


MAX_MONTHS = 240  # beyond twenty years the bars are counted per year: a month would be under 3 px wide


def continuous_months(rows: list[dict[str, Any]], key: str = "month") -> list[dict[str, Any]]:
    """Rows keyed ``YYYY-MM`` with every missing month between the first and the last added as zeros
    (every numeric field 0), oldest first; per year (``YYYY``) when they span more than ``MAX_MONTHS``."""
    known = {str(r[key])[:7]: r for r in rows if r.get(key) and len(str(r[key])) >= 7}
    if not known:
        return []
    first, last = min(known), max(known)
    fields = [f for f in next(iter(known.values())) if f != key]
    zero = {f: 0 for f in fields}
    span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
    if span > MAX_MONTHS:
        years: dict[str, dict[str, Any]] = {}
        for month, row in known.items():
            year = years.setdefault(month[:4], {key: month[:4], **zero})
            for f in fields:
                year[f] += int(row[f] or 0)
        return [years.get(str(y), {key: str(y), **zero}) for y in range(int(first[:4]), int(last[:4]) + 1)]
    out: list[dict[str, Any]] = []
    month = first
    while month <= last:
        out.append(known.get(month, {key: month, **zero}))
        month = _month_after(month)
    return out


def axis_ticks(labels: list[str], most: int = 10) -> list[tuple[int, str]]:
    """Which bars to label, and how: January of every n-th year, as the year, when the bars are months over
    two years or more; every n-th bar otherwise; never more than ``most`` labels."""
    if not labels:
        return []
    if len(labels) >= 24 and all(len(x) == 7 for x in labels):
        januaries = [i for i, x in enumerate(labels) if x.endswith("-01")]
        step = -(-len(januaries) // most)
        return [(i, labels[i][:4]) for n, i in enumerate(januaries) if n % step == 0]
    step = -(-len(labels) // most)
    return [(i, labels[i]) for i in range(0, len(labels), step)]
