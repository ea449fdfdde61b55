"""Source reliability and information credibility: the NATO/Admiralty code (A–F, 1–6) of an event.

Pure: report rows in, a :class:`Grade` out. Reliability (the letter) is that of the best outlet reporting
the event, from ``data/lexicons/source_reliability.yaml``. Credibility (the digit) comes from *independent*
corroboration: reports are first collapsed into independent sources (syndicated copies, the same publisher,
the same sentence, reports relaying the same outlet), then counted:

=====  ==========================================================================
1      confirmed: three or more independent sources
2      two independent sources
3      one independent source, usually or fairly reliable (A–C)
4      one independent source, not usually reliable (D)
5      only unreliable sources (E: e.g. a group's own propaganda outlet)
6      cannot be judged (one source whose reliability is unknown, or none)
=====  ==========================================================================

Sources graded E are listed but never count as corroboration.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LETTERS = "ABCDEF"
UNKNOWN = "F"
ENV_FILE = "WATCHFLOOR_SOURCE_RELIABILITY"
MIN_CONTAINED = 5  # names this long also match inside a longer publisher name
MIN_SHARED_WORDS = 8
_WORD = re.compile(r"\w+")
_GRADE = re.compile(r"^([A-Fa-f])([1-6])$")
_CUE_BEFORE = re.compile(
    r"(?:according to|told|citing|cited by|quoted by|reported by|quoting|via|\()\s*(?:the\s+)?$", re.I
)
_CUE_AFTER = re.compile(
    r"^(?:\)|'s?\s+report|’s?\s+report|\s+(?:news agency\s+)?(?:reported|reports|said|says|quoted|cited|wrote|"
    r"published|found|documented|report|statement))",
    re.I,
)


def norm(name: str) -> str:
    """Case, punctuation and a leading "the" ignored: "The Associated Press" → "associated press"."""
    words = _WORD.findall(name.lower())
    return " ".join(words[1:] if words[:1] == ["the"] and len(words) > 1 else words)


@dataclass(frozen=True)
class Outlet:
    """An outlet as judged by the lexicon: ``key`` groups its names; unknown outlets have grade F."""

    key: str
    name: str
    category: str
    label: str
    grade: str
    known: bool = True


NAME_CACHE = 100_000  # publisher names whose outlet is remembered per process


@dataclass
class Lexicon:
    """The outlets, their names and domains, and the domain patterns of source_reliability.yaml."""

    outlets: dict[str, Outlet]
    names: dict[str, str]  # normalised name → outlet key
    domains: dict[str, str]  # domain → outlet key
    patterns: list[tuple[str, Outlet]]  # domain pattern → a category outlet
    citation: re.Pattern[str] | None
    # A store names the same few thousand publishers again and again; the containment search below scans
    # every alias, so each name's answer is kept (the lexicon is read-only once loaded).
    _name_keys: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    def judge(self, publisher: str | None, url: str | None) -> Outlet:
        """The outlet of a report: by publisher name, else by URL domain, else unknown (F)."""
        name = (publisher or "").strip()
        if name and (key := self._by_name(name)):
            return self.outlets[key]
        hosts = [h for h in (_host(url), _host(name) if "." in name and " " not in name else None) if h]
        for host in hosts:
            if key := self._by_domain(host):
                return self.outlets[key]
            for pattern, outlet in self.patterns:
                if _domain_match(host, pattern):
                    return Outlet(f"domain:{host}", name or host, outlet.category, outlet.label, outlet.grade)
        label = name or (hosts[0] if hosts else "")
        key = f"pub:{norm(label)}" if label else ""
        return Outlet(key, label or "unknown outlet", "unknown", "unknown outlet", UNKNOWN, known=False)

    def _by_name(self, name: str) -> str | None:
        n = norm(name)
        if n in self.names:
            return self.names[n]
        if n in self._name_keys:
            return self._name_keys[n]
        padded = f" {n} "
        best = [
            (len(alias), key)
            for alias, key in self.names.items()
            if len(alias) >= MIN_CONTAINED and f" {alias} " in padded
        ]
        found = max(best)[1] if best else None
        if len(self._name_keys) < NAME_CACHE:
            self._name_keys[n] = found
        return found

    def _by_domain(self, host: str) -> str | None:
        parts = host.split(".")
        for i in range(len(parts) - 1):
            if (key := self.domains.get(".".join(parts[i:]))) is not None:
                return key
        return None

    def cited(self, text: str) -> set[str]:
        """Keys of outlets the text relays: "according to Reuters", "told AFP", "(AP)", "UNAMA said"."""
        if self.citation is None or not text:
            return set()
        found: set[str] = set()
        for m in self.citation.finditer(text):
            before, after = text[max(0, m.start() - 40) : m.start()], text[m.end() : m.end() + 30]
            if _CUE_BEFORE.search(before) or _CUE_AFTER.match(after):
                key = self.names.get(norm(m.group(0)))
                if key:
                    found.add(key)
        return found


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return host.removeprefix("www.") or None


def _domain_match(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        rest = pattern[2:]
        if rest.endswith(".*"):
            return f".{rest[:-2]}." in f".{host}"
        return host.endswith("." + rest) or host == rest
    return host == pattern or host.endswith("." + pattern)


def parse_lexicon(spec: dict[str, Any]) -> Lexicon:
    """Build a :class:`Lexicon` from the parsed YAML."""
    cats = {k: (str(v["label"]), str(v["grade"]).upper()) for k, v in spec.get("categories", {}).items()}
    outlets: dict[str, Outlet] = {}
    names: dict[str, str] = {}
    domains: dict[str, str] = {}
    surface: list[str] = []
    for item in spec.get("outlets", []):
        label, default = cats[item["category"]]
        key = "outlet:" + norm(item["name"])
        grade = str(item.get("grade", default)).upper()
        if grade not in LETTERS:
            raise ValueError(f"source_reliability: grade {grade!r} of {item['name']!r} is not one of A-F")
        outlets[key] = Outlet(key, item["name"], item["category"], label, grade)
        for n in (item["name"], *item.get("aliases", [])):
            names.setdefault(norm(n), key)
            surface.append(str(n))
        for d in item.get("domains", []):
            domains[d.lower().removeprefix("www.")] = key
    patterns = []
    for p in spec.get("domain_patterns", []):
        label, grade = cats[p["category"]]
        patterns.append((str(p["pattern"]).lower(), Outlet("", "", p["category"], label, grade)))
    alternatives = "|".join(re.escape(s) for s in sorted(set(surface), key=len, reverse=True))
    citation = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])") if surface else None
    return Lexicon(outlets, names, domains, patterns, citation)


@lru_cache(maxsize=4)
def _load(path: str | None) -> Lexicon:
    if path:
        text = Path(path).read_text("utf-8")
    else:
        text = (resources.files("watchfloor") / "data/lexicons/source_reliability.yaml").read_text("utf-8")
    import yaml  # only when grades are read: commands that show none start faster

    return parse_lexicon(yaml.safe_load(text))


def load_lexicon(path: str | None = None) -> Lexicon:
    """The lexicon at ``path``, else $WATCHFLOOR_SOURCE_RELIABILITY, else the bundled one (parsed once)."""
    return _load(path or os.environ.get(ENV_FILE) or None)


@dataclass(frozen=True)
class Copy:
    """A syndicated copy of a report's document: a duplicate document, or the same bytes under another input."""

    doc_id: str
    publisher: str | None = None
    url: str | None = None
    how: str = "syndicated copy"


@dataclass(frozen=True)
class Report:
    """One document's report of the event: its outlet, the sentences it gives, and its known copies."""

    doc_id: str
    publisher: str | None = None
    url: str | None = None
    title: str | None = None
    evidence: tuple[str, ...] = ()  # the report's evidence sentences
    head: str = ""  # the start of the document (a wire dateline: "KABUL (Reuters) —")
    copies: tuple[Copy, ...] = ()
    byline: str | None = None  # used as the outlet only when the lexicon knows it ("By Reuters staff")


@dataclass
class Source:
    """An independent source: reports (and copies) that collapse into one, and why."""

    outlet: Outlet
    doc_ids: list[str] = field(default_factory=list)
    copies: int = 0
    reasons: list[str] = field(default_factory=list)
    relays: list[str] = field(default_factory=list)  # outlets the reports cite

    def as_dict(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet.name,
            "category": self.outlet.label,
            "reliability": self.outlet.grade,
            "doc_ids": self.doc_ids,
            "copies": self.copies,
            "relays": self.relays,
            "collapsed": self.reasons,
        }


@dataclass
class Grade:
    """The Admiralty code of a piece of information, with the sources behind it and an explanation."""

    reliability: str
    credibility: int
    n_reports: int
    n_independent: int
    best_source: str | None
    explanation: str
    sources: list[Source]

    @property
    def code(self) -> str:
        return f"{self.reliability}{self.credibility}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "reliability": self.reliability,
            "credibility": self.credibility,
            "n_reports": self.n_reports,
            "n_independent": self.n_independent,
            "best_source": self.best_source,
            "explanation": self.explanation,
            "sources": [s.as_dict() for s in self.sources],
        }


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.parent[self.find(j)] = self.find(i)


def _best(outlets: list[Outlet]) -> Outlet:
    return min(outlets, key=lambda o: (LETTERS.index(o.grade), not o.known))


def _sentence_keys(sentences: tuple[str, ...]) -> set[str]:
    """Hashes of the sentences long enough (8+ words) that sharing one word for word means a shared text."""
    words = [_WORD.findall(s.lower()) for s in sentences]
    return {hashlib.sha1(" ".join(w).encode()).hexdigest() for w in words if len(w) >= MIN_SHARED_WORDS}


def _outlet(r: Report, lexicon: Lexicon) -> Outlet:
    """The report's outlet; a byline that names a known outlet stands in for a missing publisher."""
    outlet = lexicon.judge(r.publisher, r.url)
    if not outlet.known and r.byline and (by := lexicon.judge(r.byline, None)).known:
        return by
    return outlet


def independent_sources(reports: list[Report], lexicon: Lexicon) -> list[Source]:
    """Collapse the reports into independent sources: the same outlet (by name or domain, including a
    copy's), the same evidence sentence word for word (a syndicated text the near-duplicate check missed),
    or relaying the same outlet ("according to Reuters") join one source."""
    reports = list({r.doc_id: r for r in reports}.values())
    union = _Union(len(reports))
    owner: dict[str, tuple[int, str]] = {}  # join key → first report index, reason
    own: list[list[Outlet]] = []
    relayed: list[set[str]] = []
    for i, r in enumerate(reports):
        outlets = [_outlet(r, lexicon)] + [lexicon.judge(c.publisher, c.url) for c in r.copies]
        own.append(outlets)
        cites = set().union(*(lexicon.cited(t) for t in (*r.evidence, r.head)))
        relayed.append(cites)
        keys = [(o.key, "same publisher") for o in outlets if o.key]
        keys += [(k, "relays the same outlet") for k in cites]
        keys += [(f"text:{k}", "same sentence (syndicated)") for k in _sentence_keys(r.evidence)]
        for key, reason in keys:
            if key in owner:
                union.join(owner[key][0], i)
            else:
                owner[key] = (i, reason)
    groups: dict[int, Source] = {}
    for i, r in enumerate(reports):
        root = union.find(i)
        src = groups.get(root)
        if src is None:
            src = groups[root] = Source(outlet=own[i][0])
        else:
            src.reasons.append(_why(reports[root], r, own[root], own[i], relayed[root], relayed[i]))
        src.doc_ids.append(r.doc_id)
        src.copies += len(r.copies)
        src.outlet = _best([src.outlet, *own[i]])
        for key in sorted(relayed[i] - {o.key for o in own[i]}):
            name = lexicon.outlets[key].name
            if name not in src.relays:
                src.relays.append(name)
    return sorted(groups.values(), key=lambda s: (LETTERS.index(s.outlet.grade), s.doc_ids[0]))


def _why(first: Report, other: Report, a: list[Outlet], b: list[Outlet], cites_a: set[str], cites_b: set[str]) -> str:
    """Why ``other`` joined the source of ``first`` (the first reason that holds)."""
    shared = {o.key for o in a if o.key} & {o.key for o in b if o.key}
    if shared:
        return f"{other.doc_id}: same publisher"
    relayed = (cites_a | {o.key for o in a}) & (cites_b | {o.key for o in b})
    if relayed:
        return f"{other.doc_id}: relays the same outlet"
    if _sentence_keys(first.evidence) & _sentence_keys(other.evidence):
        return f"{other.doc_id}: same sentence (syndicated)"
    return f"{other.doc_id}: through another report of this source"


REASONS = {  # why reports collapsed, as the explanation says it
    "same publisher": "from the same publisher",
    "relays the same outlet": "relaying the same outlet",
    "same sentence (syndicated)": "with the same syndicated sentence",
}


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def credibility(sources: list[Source]) -> int:
    """1–6 from the independent sources that corroborate (E sources never do)."""
    corroborating = [s for s in sources if s.outlet.grade != "E"]
    if len(corroborating) >= 3:
        return 1
    if len(corroborating) == 2:
        return 2
    if corroborating:
        return {"A": 3, "B": 3, "C": 3, "D": 4}.get(corroborating[0].outlet.grade, 6)
    return 5 if sources else 6


def grade_reports(reports: list[Report], lexicon: Lexicon | None = None) -> Grade:
    """The Admiralty grade of information given by ``reports`` (one per document)."""
    sources = independent_sources(reports, lexicon or load_lexicon())
    if not sources:
        return Grade(UNKNOWN, 6, 0, 0, None, "F6: no source reports it", [])
    best = _best([s.outlet for s in sources])
    cred = credibility(sources)
    n_copies = sum(s.copies for s in sources)
    n_reports = sum(len(s.doc_ids) for s in sources) + n_copies
    best_txt = (
        f"best source {best.name} ({best.label}, {best.grade})" if best.known else "no outlet of known reliability"
    )
    collapsed = [_plural(n_copies, "syndicated copy", "syndicated copies")] if n_copies else []
    reasons = [r.split(": ", 1)[1] for s in sources for r in s.reasons]
    collapsed += [f"{k} {words}" for reason, words in REASONS.items() if (k := reasons.count(reason))]
    text = f"{best.grade}{cred}: {best_txt}; {_plural(len(sources), 'independent source')} — "
    text += _plural(n_reports, "report") + (f", {_join(collapsed)} collapsed" if collapsed else "")
    if unreliable := sum(s.outlet.grade == "E" for s in sources):
        text += f"; {_plural(unreliable, 'unreliable source')} (E) not counted as corroboration"
    return Grade(best.grade, cred, n_reports, len(sources), best.name if best.known else None, text, sources)


def parse_grade(code: str) -> tuple[str, int]:
    """ "b3" → ("B", 3); ValueError with an actionable message otherwise."""
    m = _GRADE.match(code.strip())
    if m is None:
        raise ValueError(f"grade {code!r} is not an Admiralty code: a letter A-F and a digit 1-6, e.g. B3")
    return m.group(1).upper(), int(m.group(2))


def meets(code: str, minimum: str) -> bool:
    """Whether ``code`` is at least ``minimum`` on both scales: B2 meets B3 and C3 does not."""
    letter, digit = parse_grade(code)
    low_letter, low_digit = parse_grade(minimum)
    return LETTERS.index(letter) <= LETTERS.index(low_letter) and digit <= low_digit


def sort_key(code: str) -> tuple[int, int]:
    """Best first: by reliability, then credibility (A1, A2, B1, …, F6)."""
    letter, digit = parse_grade(code)
    return LETTERS.index(letter), digit
