"""The download links a page offers for its current filter (served by :mod:`watchfloor.api.export`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
TABLES = (("events", "events"), ("entities", "actors"), ("relations", "relations"), ("claims", "claims"))


@dataclass
class Link:
    label: str
    href: str
    testid: str


def export_links(request: Request, actor: str | int | None = None, about: str | int | None = None) -> list[list[Link]]:
    """Groups of links: the brief (when the page is about one actor), STIX/MISP/GraphML, CSV tables.

    Each carries the page's actor and, when the page's address has them, its ``since``/``until``.
    """
    base = {k: v for k in ("since", "until") if DATE.match(v := request.query_params.get(k, ""))}
    if actor not in (None, ""):
        base["actor"] = str(actor)

    def href(path: str, **extra: str) -> str:
        query = urlencode({**base, **extra})
        return f"/api/export/{path}" + (f"?{query}" if query else "")

    groups: list[list[Link]] = []
    if about not in (None, ""):
        brief = {k: v for k, v in base.items() if k != "actor"}
        groups.append([
            Link(f"brief ({label})", "/api/export/brief?" + urlencode({"about": str(about), **brief, "format": fmt}),
                 f"download-brief-{fmt}")
            for fmt, label in (("html", "HTML"), ("md", "Markdown"), ("pdf", "PDF"))
        ])  # fmt: skip
    groups.append([
        Link("STIX 2.1", href("stix"), "download-stix"),
        Link("MISP event", href("misp"), "download-misp"),
        Link("network (GraphML)", href("graph", format="graphml"), "download-graphml"),
    ])  # fmt: skip
    groups.append([Link(f"{label} (CSV)", href(f"table/{table}", format="csv"), f"download-{table}-csv")
                   for table, label in TABLES])  # fmt: skip
    return groups
