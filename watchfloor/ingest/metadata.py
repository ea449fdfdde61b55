"""Title, byline and publication date of a page pasted as plain text, read before any cleaning.

Pasted pages carry their metadata as ordinary lines around the headline: a menu, the headline
(sometimes twice), "By Jane Doe", "18. Oktober 2019 · 4 min", the standfirst, then the body. The
cleaner may drop exactly those lines, so they are read here first, from the raw lines:

1. the article block is the densest run of prose lines; the headline is the best headline-like
   line in the dozen lines above it (repeated lines, a byline or date right after it count for it);
2. the publication date is the date nearest the headline (labelled "Published"/"Veröffentlicht"
   preferred, "Updated"/comment dates avoided), in numeric or month-name form in the languages
   dateparser knows; never a date after ``today``;
3. an undated page gets no date: only a *not-before* bound, the latest full date its text mentions.
Every cue is a pure function of the lines, so each can be tested alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from watchfloor.models import PublishedDate

# Languages whose month names are read (dateparser's locale data): most pages analysts paste.
MONTH_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "pl", "cs", "fi", "tr", "ro", "hu")
TITLE_WINDOW = 14  # lines above the article block searched for the headline
DATE_WINDOW = 8  # a date this many lines from the headline still counts as the page's stamp
PROSE_WORDS = 12
TAIL_WINDOW = 3  # lines after the article block still searched for a closing byline
TAIL_WORDS = 12  # a closing byline line is short; a longer line is a sentence about someone
BLOCK_GAP = 6  # prose lines this close belong to one article block (subheadings, captions between)


@dataclass(frozen=True)
class DateHit:
    """A complete date found in a line."""

    day: date
    start: int
    end: int


@dataclass
class PlainMetadata:
    """What the raw lines say about the page; ``meta_lines`` are lines that are metadata, not text."""

    title: str | None = None
    title_index: int | None = None
    author: str | None = None
    publisher: str | None = None  # a masthead line standing where a byline would
    published: PublishedDate | None = None
    not_before: str | None = None
    meta_lines: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BylineLexicon:
    prefixes: re.Pattern[str]
    labels: re.Pattern[str]
    published: re.Pattern[str]
    other: re.Pattern[str]
    inner: re.Pattern[str]  # a byline after a date or a label inside the line ("… · von Tobi")
    glued: re.Pattern[str]  # a one-word prefix run into the name by a browser copy ("ByJ.R. Stone")
    outlet: re.Pattern[str]  # a word that makes a name line a masthead ("Channel Observer")
    before_inner: frozenset[str]  # the only words a mid-line byline word may follow ("Posted on … by X")
    role: re.Pattern[str]  # a role before the name ("Rechtsanwalt …", "FOCUS-Online-Experte …")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def byline_lexicon() -> BylineLexicon:
    """Byline prefixes and date labels from ``data/lexicons/bylines.yaml``."""
    spec = yaml.safe_load((resources.files("watchfloor") / "data/lexicons/bylines.yaml").read_text("utf-8"))
    return BylineLexicon(
        prefixes=re.compile(rf"^(?:{_alternation(spec['byline_prefixes'])})\s*:?\s+(?P<rest>.+)$", re.I),
        labels=re.compile(rf"^(?:{_alternation(spec['author_labels'])})\s*:\s*(?P<rest>.+)$", re.I),
        published=re.compile(rf"(?<!\w)(?:{_alternation(spec['published_labels'])})(?!\w)", re.I),
        other=re.compile(rf"(?<!\w)(?:{_alternation(spec['other_date_labels'])})(?!\w)", re.I),
        inner=re.compile(rf"(?:^|[\s·|,])(?:{_alternation(spec['inner_byline_words'])})\s+(?P<rest>[A-ZÀ-Þ].+)$"),
        outlet=re.compile(rf"(?<!\w)(?:{_alternation(spec['outlet_words'])})(?!\w)", re.I),
        before_inner=frozenset(w.casefold() for w in spec["before_inner_byline"]),
        role=re.compile(rf"^(?:[\w.]+-)*(?:{_alternation(spec['role_words'])})\s+(?=\S+\s+\S)", re.I),
        # Case-sensitive: a capital prefix glued to a capital ("PorRodolfo"), never a word ("Bypass").
        glued=re.compile(
            rf"^(?:{_alternation([w.capitalize() for w in spec['byline_prefixes'] if ' ' not in w])})"
            r"(?P<rest>[A-ZÀ-Þ][\w.'’-]*(?:\s.*)?)$"
        ),
    )


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Lower-case month names and abbreviations in MONTH_LANGUAGES, from dateparser's locale data."""
    from dateparser.languages import default_loader

    names: dict[str, int] = {}
    months = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")  # fmt: skip
    for lang in MONTH_LANGUAGES:
        info = default_loader.get_locale(lang).info
        for number, key in enumerate(months, start=1):
            for name in info.get(key, []):
                name = str(name).lower().rstrip(".")
                if len(name) >= 3 and not name.isdigit():
                    names.setdefault(name, number)
    names["sept"] = 9
    return names


@lru_cache(maxsize=1)
def weekday_names() -> frozenset[str]:
    """Lower-case weekday names (three letters or more) in MONTH_LANGUAGES, from dateparser's locale data."""
    from dateparser.languages import default_loader

    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    names = {
        str(name).lower().rstrip(".")
        for lang in MONTH_LANGUAGES
        for key in days
        for name in default_loader.get_locale(lang).info.get(key, [])
    }
    return frozenset(n for n in names if len(n) >= 3)


# A year ends at a non-digit, or where a glued time or second stamp starts ("202207:59", "201922. Dez").
_YEAR_END = r"(?:(?!\d)|(?=\d{1,2}[.:]))"
# A date glued to the year of the one before ("22. Dezember 201922. Dezember 2019": published, then
# modified, as a browser copies two stamps) starts right after that year; otherwise at a word boundary.
_AFTER_YEAR_OR = r"(?:(?<=(?:19|20)\d\d)|"


@lru_cache(maxsize=1)
def _date_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    month = "|".join(re.escape(m) for m in sorted(month_names(), key=len, reverse=True))
    day_month_year = re.compile(
        rf"{_AFTER_YEAR_OR}(?<![\w.]))(?P<d>\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s*(?:de\s+)?(?P<m>{month})\.?,?\s*(?:de\s+)?(?P<y>(?:19|20)\d{{2}}){_YEAR_END}",
        re.I,
    )
    month_day_year = re.compile(
        rf"{_AFTER_YEAR_OR}(?<!\w))(?P<m>{month})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
        rf"(?P<y>(?:19|20)\d{{2}}){_YEAR_END}",
        re.I,
    )
    numeric = re.compile(
        r"(?<![\d.])(?:(?P<Y>(?:19|20)\d{2})[-/.](?P<M>\d{1,2})[-/.](?P<D>\d{1,2})(?![\d])"
        r"|(?P<a>\d{1,2})(?P<sep>[./-])\s?(?P<b>\d{1,2})(?P=sep)\s?(?P<c>(?:19|20)\d{2}(?!:\d)"
        + _YEAR_END.replace("(?!\\d)", "(?!\\d|\\.\\d)")
        # "28.09.1912:44": a two-digit year with the time glued on, not the year 1912
        + r"|\d{2}(?!\d|\.\d)|\d{2}(?=\d{1,2}:\d{2}(?!\d))))"
    )
    return day_month_year, month_day_year, numeric


_DIGIT = re.compile(r"\d")


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def dates_in_line(line: str, today: date, month_first: bool = False) -> list[DateHit]:
    """Complete dates in one line: '18. Oktober 2019', 'Oct. 18, 2019', '18.10.2019', '2019-10-18'.

    Numeric day/month order is day first, except ``month_first`` pages (US English) for slashes.
    Dates after ``today`` are dropped: nothing is published in the future.
    """
    if not _DIGIT.search(line):
        return []  # every complete date has a day and a year in digits; most lines have none
    return list(_dates_in_line(line, today, month_first))


@lru_cache(maxsize=4096)  # metadata, not-before bound and features each read the same lines
def _dates_in_line(line: str, today: date, month_first: bool) -> tuple[DateHit, ...]:
    dmy, mdy, numeric = _date_patterns()
    names = month_names()
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []

    def add(found: date | None, m: re.Match[str]) -> None:
        if found is None or found > today or any(s < m.end() and m.start() < e for s, e in taken):
            return
        taken.append((m.start(), m.end()))
        hits.append(DateHit(found, m.start(), m.end()))

    for pattern in (dmy, mdy):
        for m in pattern.finditer(line):
            month = names.get(m["m"].lower().rstrip("."))
            if month is not None:
                add(_safe(int(m["y"]), month, int(m["d"])), m)
    for m in numeric.finditer(line):
        if m["Y"]:
            add(_safe(int(m["Y"]), int(m["M"]), int(m["D"])), m)
            continue
        a, b, year = int(m["a"]), int(m["b"]), m["c"]
        if len(year) == 2:
            if m["sep"] != ".":
                continue  # "10/18/19" is too often a score or a fraction
            year = f"20{year}"
        day, month = (b, a) if (m["sep"] == "/" and month_first and b <= 31) or a > 31 else (a, b)
        if month > 12 and day <= 12:
            day, month = month, day
        add(_safe(int(year), month, day), m)
    return tuple(sorted(hits, key=lambda h: h.start))


def _is_prose(line: str) -> bool:
    words = line.split()
    if len(words) >= PROSE_WORDS and (line.rstrip()[-1:] in ".!?\"”»'…)" or len(words) >= 25):
        return True
    return len(words) <= 3 and len(line) >= 80  # scripts written without spaces


def article_block(lines: list[str]) -> tuple[int, int]:
    """(first, last) line index of the densest run of prose lines; (0, -1) when there is none."""
    prose = [
        _is_prose(line)
        # a hard-wrapped paragraph (e-mail, PDF, plain-text archive): the next line carries on the sentence
        or (
            len(line) >= 60
            and i + 1 < len(lines)
            and len(lines[i + 1]) >= 40
            and lines[i + 1].lstrip()[:1].islower()
            and line.rstrip()[-1:].isalpha()
        )
        for i, line in enumerate(lines)
    ]
    if not any(prose):
        return 0, -1
    best, best_score = 0, -1
    for i, is_prose in enumerate(prose):
        if not is_prose:
            continue
        score = sum(len(lines[j]) for j in range(i, min(len(lines), i + 12)) if prose[j])
        if score > best_score:
            best, best_score = i, score
    first = best
    while True:
        back = next((j for j in range(first - 1, max(-1, first - 1 - BLOCK_GAP), -1) if prose[j]), None)
        if back is None:
            break
        first = back
    last = best
    while True:
        ahead = next((j for j in range(last + 1, min(len(lines), last + 4)) if prose[j]), None)
        if ahead is None:
            break
        last = ahead
    return first, last


_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'’-]*$")
_NAME_PARTICLES = {"von", "van", "der", "de", "den", "da", "del", "di", "al", "el", "bin", "ibn", "la", "le", "du"}
_NAME_JOIN = re.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*")


# "Rob Picheta, CNN", "Bob Yirka , Phys.org": the outlet, not a second author
_OUTLET_AFTER_NAME = re.compile(r"(?<=\w)\s*,\s*(?:[A-Z]{2,6}|[\w-]+\.(?:com|org|net|info|news|co\.uk|de|at|ch|fr))$")
_HANDLE_AFTER_NAME = re.compile(r"(?<=\w)\s+@\w+.*$")  # "Williams Perdomo @wperdomod -": the name, not the handle
_DATE_WORD_AFTER_NAME = re.compile(r"\s+(?:[Vv]om|[Aa]m|[Oo]n)$")  # "Von Jule Radeck vom 3. Februar 2022"


def _clean_name(text: str) -> str | None:
    """The name part of a byline ('David · 18. Oktober 2019' -> 'David'), or None if it is not a name."""
    text = re.split(
        r"\s+[|·•–—-]\s+|\s*[|·•]\s*|\s{2,}|\s+\d|,\s*(?:\d|[a-z])|\s+(?:is|ist|est|es|in|im|on|at|for|für|bei|am|um|gespeichert)\s",
        text,
        maxsplit=1,
    )[0]
    text = _HANDLE_AFTER_NAME.sub("", text).strip(" ,;:-–—|").removeprefix("@")
    text = byline_lexicon().role.sub("", text)  # "Rechtsanwalt Sebastian Einbock": the name, not the role
    text = _DATE_WORD_AFTER_NAME.sub("", _OUTLET_AFTER_NAME.sub("", text))
    names = [n for n in _NAME_JOIN.split(text) if n]
    if not names or len(names) > 4:
        return None
    for name in names:
        tokens = name.split()
        if not 1 <= len(tokens) <= 5 or not _NAME_TOKEN.match(tokens[0]) or not _NAME_TOKEN.match(tokens[-1]):
            return None
        if any(not (_NAME_TOKEN.match(t) or t.lower() in _NAME_PARTICLES) for t in tokens):
            return None
    return text if len(text) <= 80 else None


_TIME_OF_DAY = re.compile(r"\b\d{1,2}[:.h]\d{2}\b")


def _only_date_words(text: str) -> bool:
    """Whether the words of a line's part (its dates already gone) are only times, weekdays, date
    prepositions and posting verbs (``before_inner_byline``): what may stand beside a byline."""
    words = re.findall(r"[^\W\d_]+", _TIME_OF_DAY.sub(" ", text).casefold())
    return all(w in byline_lexicon().before_inner for w in words)


def _without_dates(line: str) -> str:
    hits = dates_in_line(line, date.max)
    for hit in reversed(hits):
        line = line[: hit.start] + " · " + line[hit.end :]
    return line.strip(" ·,|")


def byline(line: str) -> str | None:
    """The author named by a byline line ('By Jane Doe', '6. Mai 2022 von David in Kultur', 'Author: X')."""
    if len(line.split()) > 16:
        # "By Ela on 31. October, 2023 | 18 Comments. This post may …": the byline is the first part
        line = re.split(r"\s[|·]\s|\.\s", line, maxsplit=1)[0]
        if len(line.split()) > 16:
            return None
    text = _without_dates(line.strip())
    lex = byline_lexicon()
    m = lex.labels.match(text) or lex.prefixes.match(text) or lex.glued.match(text)
    if m is None and (inner := lex.inner.search(text)):
        # Mid-line only after a date, a weekday or a posting verb: "Zerstörung von Häusern" is no byline.
        m = inner if _only_date_words(text[: inner.start()]) else None
    return _clean_name(m["rest"]) if m else None


def name_line(line: str) -> str | None:
    """A line that is only a person's name, or a name and when it wrote ('Bettina Kugler', 'Janic Cathomen,
    01.12.2021', 'Marie Merlet | lundi 9 décembre 2019 à 09h08', 'Jon Nitz am 24. Januar 2022 um 15:47')."""
    from watchfloor.ingest.clean import classify_line

    if (named := byline(line)) is not None:  # "By Rob Picheta": the name, without "By"
        return named
    if classify_line(line) is not None:  # "Andere Cookies", "LN Newsletter": furniture, not a name
        return None
    lex = byline_lexicon()
    text = _TIME_OF_DAY.sub(" ", _without_dates(line.strip()))
    name, *rest = re.split(r"\s*[|·/•]\s*|\s{2,}", text.strip(" ·|,"))
    if not _only_date_words(" ".join(rest)):
        return None  # more than the date's words after the name
    tokens = name.split()
    while tokens and tokens[-1].casefold() in lex.before_inner:  # "Jon Nitz am <date>"
        tokens.pop()
    if not 2 <= len(tokens) <= 4 or any(t.lower() in _NAME_PARTICLES for t in (tokens[0], tokens[-1])):
        return None
    return _clean_name(" ".join(tokens))


# Languages whose function words (spaCy's stop-word lists) never open a person's name: "Das Wichtigste",
# "In Aktion", "Zum Kreditvergleich", "Über DealDoktor" are headings and buttons.
_STOP_WORD_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl")


@lru_cache(maxsize=1)
def _opening_stop_words() -> frozenset[str]:
    words: set[str] = set()
    for lang in _STOP_WORD_LANGUAGES:
        words |= _spacy_stop_words(lang)
    return frozenset(words - _NAME_PARTICLES)


def _spacy_stop_words(lang: str) -> set[str]:
    """spaCy's stop-word list of one language, read from its module file alone: importing
    ``spacy.lang.fr.stop_words`` runs the package's ``__init__`` first (tokenizer exceptions, hundreds of
    regular expressions), which cost 2.4 s per process for eight languages against 5 ms for the lists."""
    import importlib.util

    spacy_spec = importlib.util.find_spec("spacy")
    assert spacy_spec is not None and spacy_spec.submodule_search_locations
    path = Path(next(iter(spacy_spec.submodule_search_locations))) / "lang" / lang / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_watchfloor_stop_words_{lang}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.STOP_WORDS)


def person_name(name: str) -> bool:
    """Whether the name an unlabelled line gives reads as a person's (each of its names: "Jane Doe and
    John Roe"). It must not open with a function word, and probablepeople's CRF (trained on real
    records of personal and company names) must read it as a person with a given name and a surname:
    "Wirtschaft & Handel", "Main Blog Politics", "Products & Services" read as organisations, "Thema"
    and "Published" as a lone word. A line labelled as a byline ("By …") needs no such check."""
    import probablepeople

    for part in (n for n in _NAME_JOIN.split(name) if n):
        tokens = part.split()
        if not tokens or tokens[0].casefold() in _opening_stop_words():
            return False
        try:
            tags, kind = probablepeople.tag(part)
        except probablepeople.RepeatedLabelError:
            return False
        if kind != "Person" or "Surname" not in tags or not ({"GivenName", "FirstInitial"} & set(tags)):
            return False
    return True


def _headline_score(lines: list[str], i: int, start: int, counts: Counter[str], after: set[int]) -> float | None:
    from watchfloor.ingest.clean import classify_line

    line = lines[i].strip()
    words = line.split()
    no_spaces = len(words) <= 2 and len(line) >= 12
    if not (3 <= len(words) <= 30 or no_spaces) or len(line) > 250:
        return None
    if line[-1] in ".,;:" or line.lower().startswith(("http", "www.")) or classify_line(line) is not None:
        return None
    if byline(line) or dates_in_line(line, date.max):
        return None
    score = -0.4 * (start - i)
    score += 2.0 if 4 <= len(words) <= 20 else 0.0
    score += 2.5 if counts.get(line.casefold(), 0) > 1 else 0.0
    score += 2.0 if any(j in after for j in range(i + 1, i + 4)) else 0.0
    score -= 1.5 if line.isupper() else 0.0
    score -= 1.0 if "|" in line else 0.0
    score -= 3.0 if re.search(r"\s[/›»>]\s|\w\s?/\s?\w+\s?/", line) else 0.0  # breadcrumbs, credits
    return score


def find_title(lines: list[str], start: int, meta_after: set[int]) -> int | None:
    """Index of the headline among the lines just above the article block."""
    counts = Counter(line.strip().casefold() for line in lines)
    best: tuple[float, int] | None = None
    for i in range(max(0, start - TITLE_WINDOW), start):
        score = _headline_score(lines, i, start, counts, meta_after)
        if score is not None and (best is None or score > best[0]):
            best = (score, i)
    return best[1] if best else None


def _date_candidates(lines: list[str], today: date, month_first: bool) -> list[tuple[int, DateHit]]:
    return [(i, hit) for i, line in enumerate(lines) for hit in dates_in_line(line, today, month_first)]


@dataclass(frozen=True)
class PageCues:
    """Where the article block is, and which lines hold bylines and dates."""

    start: int
    end: int
    dates: list[tuple[int, DateHit]]  # every complete date of the page
    authors: dict[int, str]
    stamps: list[tuple[int, DateHit]]  # the dates that could be the page's own stamp

    @property
    def meta_lines(self) -> set[int]:
        return set(self.authors) | {i for i, _ in self.dates}


def page_cues(lines: list[str], today: date, month_first: bool = False) -> PageCues:
    """The article block, the dates and the bylines of a page's lines."""
    start, end = article_block(lines)
    head = range(max(0, start - TITLE_WINDOW), min(len(lines), start + 3))
    authors = {i: name for i in head if (name := byline(lines[i]))}
    dates = _date_candidates(lines, today, month_first)
    return PageCues(start, end, dates, authors, [(i, hit) for i, hit in dates if could_be_stamp(lines[i], hit)])


_EVENT_PREPOSITION = re.compile(
    r"\b(?:on|since|until|till|from|in|by|before|after|between|and|am|vom|seit|bis|le|du|el|del|il|dal|op|sinds)\s*$",
    re.I,
)


def _in_unlabelled_sentence(line: str, hit: DateHit) -> bool:
    """Whether the date stands in a sentence (eight words or more, closed) with no "Published" label."""
    text = line.strip()
    sentence = len(text.split()) >= 8 and text[-1:] in '.!?"”'
    return sentence and not byline_lexicon().published.search(line[: hit.start + 1])


def could_be_stamp(line: str, hit: DateHit) -> bool:
    """False for a date a sentence is about ("struck again on 3 March 2022."), unless labelled."""
    return not (_in_unlabelled_sentence(line, hit) and _EVENT_PREPOSITION.search(line[: hit.start]))


def weekday_event_date(line: str, hit: DateHit) -> bool:
    """A date a sentence is about with its weekday before it ("… those on Friday, 21 July 1972, a day
    that …"): the event a retrospective recalls, never the day the page ran (unless labelled)."""
    if not _in_unlabelled_sentence(line, hit):
        return False
    weekday = re.search(r"(?:^|\s)([^\W\d_]+)\.?,?\s*$", line[: hit.start])
    if weekday is None or weekday[1].casefold() not in weekday_names():
        return False
    return bool(_EVENT_PREPOSITION.search(line[: weekday.start(1)]))


def title_index(lines: list[str], cues: PageCues, furniture: Sequence[float] | None = None) -> int | None:
    """The headline's line: the learned ranker when shipped, else the hand-set score. ``furniture``:
    the cleaner's P(furniture) per line, when already computed."""
    from watchfloor.ingest.headline import headline_model, page_context, rank_headline

    model = headline_model()
    if model is None:
        return find_title(lines, cues.start, cues.meta_lines)
    return rank_headline(lines, page_context(lines, cues.start, cues.end, cues.meta_lines, furniture), model)


def read_plain_metadata(
    lines: list[str], today: date, month_first: bool = False, furniture: Sequence[float] | None = None
) -> PlainMetadata:
    """Headline, author and publication date of pasted text (``lines``: its raw lines, blank ones dropped;
    ``furniture``: the cleaner's P(furniture) of each, when already computed)."""
    meta = PlainMetadata()
    if not lines:
        return meta
    lex = byline_lexicon()
    cues = page_cues(lines, today, month_first)
    start, candidates, author_lines = cues.start, cues.dates, cues.authors
    if candidates:
        meta.not_before = max(hit.day for _, hit in candidates).isoformat()
    title_index_ = title_index(lines, cues, furniture)
    if title_index_ is not None:
        meta.title, meta.title_index = lines[title_index_].strip(), title_index_
    anchor = title_index_ if title_index_ is not None else start
    labelled = bool(author_lines)  # "By …"/"Author: …": a credit, even "Staff Writer" or "Redaktion"
    if not author_lines:
        # No "By …": a line that is only a person's name, right next to the headline or a date line.
        near = {j for j in (anchor, *(i for i, _ in candidates if abs(i - anchor) <= 4)) for j in range(j - 2, j + 3)}
        author_lines = {
            i: name
            for i in sorted(near)
            if 0 <= i < len(lines)
            and i != title_index_
            and i < max(start, anchor) + 3
            and (name := name_line(lines[i]))
            and (byline(lines[i]) is not None or person_name(name))
        }
    if author_lines:
        i = min(author_lines, key=lambda j: abs(j - anchor))
        if not labelled and lex.outlet.search(author_lines[i]):
            meta.publisher = author_lines[i]
            meta.meta_lines[i] = "masthead (publisher)"
        else:
            meta.author = author_lines[i]
            meta.meta_lines[i] = "byline"
    if meta.author is None:
        # A labelled byline inside the article or just after it ("von Klaus Stanjek" closing the piece).
        tail = range(max(start, anchor) + 3, min(len(lines), cues.end + TAIL_WINDOW))
        closing = [(i, name) for i in tail if len(lines[i].split()) <= TAIL_WORDS and (name := byline(lines[i]))]
        if closing:
            meta.author = closing[0][1]
            meta.meta_lines[closing[0][0]] = "byline"
    chosen = publication_stamp(lines, cues, anchor)
    if chosen is not None:
        i, hit = chosen
        line = lines[i].strip()
        method = "published-line" if lex.published.search(line) else "date-stamp-line"
        meta.published = PublishedDate(hit.day.isoformat(), method, line[:120])
        if len(line.split()) <= 14:
            meta.meta_lines.setdefault(i, "publication date line")
    return meta


def stamp_by_rule(lines: list[str], cues: PageCues, anchor: int) -> tuple[int, DateHit] | None:
    """The hand-set choice of the publication stamp (used when no trained ranker is shipped)."""
    lex = byline_lexicon()
    start, end = cues.start, cues.end
    best: tuple[float, int, DateHit] | None = None
    for i, hit in cues.stamps:
        line = lines[i]
        labelled = bool(lex.published.search(line[: hit.start + 1]))
        if i > end + 2 and not labelled:
            continue  # after the article: comments, sidebars, archives
        if len(line.split()) > 20 and hit.start > 40 and not labelled:
            continue  # a date inside a sentence is about something else; a dateline opens its line
        distance = abs(i - anchor)
        if i > anchor and i >= start:
            distance *= 3  # dates inside the body are mostly about events, not the page's stamp
        score = (
            min(distance, DATE_WINDOW * 3) - (3 if labelled else 0) + (6 if lex.other.search(line[: hit.start]) else 0)
        )
        words = len(line.split())
        score += -1 if words <= 12 else (4 if words > 20 else 0)  # a stamp line, or a date inside prose
        if best is None or score < best[0]:
            best = (score, i, hit)
    return (best[1], best[2]) if best is not None else None


def publication_stamp(lines: list[str], cues: PageCues, anchor: int) -> tuple[int, DateHit] | None:
    """The (line, date) that gives the page's publication date: the learned ranker, else the rule."""
    from watchfloor.ingest.pubdate import pubdate_model, rank_pubdate

    if not cues.stamps:
        return None
    model = pubdate_model()
    found = rank_pubdate(lines, cues, anchor, model) if model is not None else stamp_by_rule(lines, cues, anchor)
    if found is not None and weekday_event_date(lines[found[0]], found[1]):
        return None  # the stamp read is an event the text recalls: undated, with its not-before bound
    return found
