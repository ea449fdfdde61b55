"""Headline and author of an HTML page, refined from what trafilatura reads in its metadata.

**Headline**: the page's own `<h1>` when it agrees with the metadata title.

trafilatura takes the title from `og:title` or `<title>` first. Those often carry the site's name
("… | ZDNet.de", "… - RECYCLING magazin"), a section label, or straight quotes where the page prints
typographic ones. The headline a reader sees is the `<h1>`, so:

1. the site's name is cut from the metadata title when one end of it names the site (its
   `og:site_name` or its domain);
2. an `<h1>` that says the same thing (equal, or the title with a subtitle, or the title inside
   it) wins, in the page's own spelling; an `<h1>` that only adds a kicker in front ("Politics |
   …") does not;
3. with no metadata title, the first `<h1>`.

An `<h1>` unrelated to the metadata title (a logo, a section name) is never taken.

**Author**: trafilatura joins every name it finds with "; ". A byline prefix ("Par", "By", "Von")
is cut; a name that is the site itself or a domain ("CNN", "Facebook Com") is dropped when a
person is named beside it (a blog's author often *is* the site, so alone it stays); furniture
words ("Log Out") are dropped.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement
from rapidfuzz import fuzz

from watchfloor.ingest.clean import classify_line
from watchfloor.ingest.metadata import byline_lexicon

_DOMAIN_LIKE = re.compile(r"\b(?:com|org|net|de|fr|co uk|www)$", re.IGNORECASE)  # "Facebook Com", "MesOpinions com"
_SEPARATOR = re.compile(r"\s+[|\-–—:·•»]+\s+|\s*::\s*")
_EDGE = " |-–—:·•»"
_SAME_TEXT = 90  # rapidfuzz ratio above which two normalised titles are the same headline
_SAME_SITE = 80
_MIN_KICKER_TITLE = 10  # a title this short could be a kicker itself


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def _heading_text(element: HtmlElement) -> str:
    """Text of a heading; pieces from different elements get a space only between two word characters."""
    out = ""
    for piece in element.itertext():
        if out and piece and out[-1].isalnum() and piece[0].isalnum():
            out += " "
        out += piece
    return re.sub(r"\s+", " ", out).strip()


def _site_keys(sitename: str | None, url: str | None) -> list[str]:
    host = (urlsplit(url or "").hostname or "").removeprefix("www.")
    domain = host.rsplit(".", 1)[0] if "." in host else host
    return [k for k in (_norm(sitename or "").replace(" ", ""), _norm(domain).replace(" ", "")) if k]


def _names_site(segment: str, keys: list[str]) -> bool:
    seg = _norm(segment).replace(" ", "")
    if not seg:
        return False
    return any(
        seg == k
        or fuzz.ratio(seg, k) > _SAME_SITE
        or (len(seg) > 3 and seg in k)
        or (len(k) > 3 and k in seg and len(seg) < 2 * len(k) + 6)
        for k in keys
    )


def strip_site_name(title: str, sitename: str | None, url: str | None) -> str:
    """The title without a leading or trailing segment that names the site."""
    parts = _SEPARATOR.split(title)
    keys = _site_keys(sitename, url)
    if len(parts) < 2 or not keys:
        return title
    if _names_site(parts[-1], keys):
        return title[: title.rfind(parts[-1])].rstrip(_EDGE) or title
    if _names_site(parts[0], keys):
        return title[len(parts[0]) :].lstrip(_EDGE) or title
    return title


def page_headline(root: HtmlElement, found: str | None, sitename: str | None, url: str | None) -> str | None:
    """The page's headline from its `<h1>` elements and the metadata title ``found`` (see module doc)."""
    headings = [h for h in (_heading_text(e) for e in root.iter("h1")) if len(_norm(h)) >= 3]
    if not found or not found.strip():
        return headings[0] if headings else None
    title = strip_site_name(re.sub(r"\s+", " ", found).strip(), sitename, url)
    wanted = _norm(title)
    best: str | None = None
    for heading in headings:
        seen = _norm(heading)
        if seen == wanted:
            return heading
        if len(wanted) > _MIN_KICKER_TITLE and seen.endswith(wanted):
            return title  # the heading only adds a kicker or section label in front
        related = seen.startswith(wanted) or wanted.startswith(seen) or seen in wanted
        if (related or fuzz.ratio(seen, wanted) > _SAME_TEXT) and (best is None or len(heading) > len(best)):
            best = heading
    return best or title


def page_author(found: str | None, sitename: str | None, url: str | None) -> str | None:
    """The page's author(s) from trafilatura's "; "-joined names (see module doc)."""
    if not found or not found.strip():
        return None
    keys = _site_keys(sitename, url)
    lexicon = byline_lexicon()
    people: list[str] = []
    outlets: list[str] = []
    for part in found.split(";"):
        name = part.strip()
        if m := lexicon.labels.match(name) or lexicon.prefixes.match(name):
            name = m["rest"].strip()
        if not name:
            continue
        if (keys and _names_site(name, keys)) or _DOMAIN_LIKE.search(name):
            outlets.append(name)
        elif classify_line(name) is None:
            people.append(name)
    return "; ".join(people or outlets) or None


__all__ = ["page_author", "page_headline", "strip_site_name"]
