"""The command line in an 80×24 terminal: every listing fits, ids and dates are never split across lines, long
text ends with "…" (whole with --wide), long listings are one line per item, the pager runs only on a terminal,
an unknown name gets a "did you mean", and ingest says it is loading the language model."""

from __future__ import annotations

import functools
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from tests.conftest import invoke_cli
from watchfloor import render

WIDTH = 80
LONG_TITLE = (
    "Suicide bomber kills 14 at a crowded market in Kabul as the Islamic State Khorasan Province claims the attack "
    "and warns of more to come"
)
ARTICLES = [
    {
        "title": LONG_TITLE,
        "published": "2025-03-12",
        "url": "https://example.org/kabul-market",
        "text": (
            f"{LONG_TITLE}\n\n"
            "KABUL, March 11 — A suicide bomber killed 14 people and wounded 32 at a crowded market in Kabul on "
            "Tuesday, police said. The Islamic State Khorasan Province claimed responsibility for the bombing through "
            "the Amaq News Agency.\n\n"
            "Leila Haidari, a senior researcher at the Caspian Security Institute who tracks militant violence in "
            "Afghanistan, said it was very likely that the group would attempt another mass-casualty attack on a "
            "foreign or Shia target in Kabul within the next twelve months, because its recruiters had found fresh "
            "support among disillusioned fighters.\n\n"
            "The Taliban gave safe haven to al-Qaeda leaders in Kabul, according to a United Nations monitoring report."
        ),
    },
    {
        "title": "Car bomb kills 12 in Mogadishu",
        "published": "2025-04-02",
        "url": "https://example.org/mogadishu",
        "text": (
            "Car bomb kills 12 in Mogadishu\n\n"
            "A car bomb exploded at a busy checkpoint in Mogadishu on Monday, killing 12 people, police said. "
            "Al-Shabaab claimed responsibility for the bombing.\n\n"
            "Omar Haidari, a security analyst at the Horn Policy Institute, said the likelihood that al-Shabaab "
            "carries out another bombing in Mogadishu within the next six months was a real possibility, given the "
            "group's networks."
        ),
    },
    {
        "title": "Gunmen attack a police station in Peshawar; Tehrik-i-Taliban Pakistan blamed for the assault",
        "published": "2025-05-20",
        "url": "https://example.org/peshawar",
        "text": (
            "Gunmen attack a police station in Peshawar; Tehrik-i-Taliban Pakistan blamed for the assault\n\n"
            "PESHAWAR, May 19 — Gunmen stormed a police station in Peshawar on Monday, killing five police "
            "officers, officials said. Officials blamed Tehrik-i-Taliban Pakistan for the assault. The Taliban have "
            "long hosted the Tehrik-i-Taliban Pakistan in Afghanistan, Pakistani officials said.\n\n"
            "Asad Mahmood, a retired brigadier and analyst at the Islamabad Institute for Conflict Studies, said the "
            "TTP would probably step up attacks on police in Khyber Pakhtunkhwa by the end of 2025."
        ),
    },
]
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_PARTIAL_DATE_AT_END = re.compile(r"\b(?:19|20)\d\d(?:-\d?|-\d\d-\d?)$")


def run80(*args: str, tty: bool = False, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line in an 80×24 terminal: plain text, or drawn as on a terminal when ``tty``."""
    drop = ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "PAGER", "MANPAGER")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(COLUMNS=str(WIDTH), LINES="24", TTY_COMPATIBLE="1" if tty else "0")
    env.setdefault("WATCHFLOOR_LOG", str(Path(cwd or ".") / "watchfloor-test.log"))
    return subprocess.run(
        [sys.executable, "-m", "watchfloor", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A three-article store, ingested by the real command line drawing its progress as on a terminal; the store
    and what ingest wrote to stderr."""
    folder = tmp_path_factory.mktemp("cli80")
    source = folder / "articles.jsonl"
    source.write_text("\n".join(json.dumps(a) for a in ARTICLES), "utf-8")
    db = folder / "cli80.db"
    result = run80("ingest", str(source), "--db", str(db), tty=True, cwd=folder)
    assert result.returncode == 0, result.stderr
    return db, result.stderr


@functools.cache
def _json(db: Path, *args: str) -> Any:
    """What a listing shows, as JSON (the store does not change: asked once; in this process, as JSON does not
    depend on the terminal: the listings themselves run in a real one)."""
    result = invoke_cli(*args, "--db", str(db), "--json", columns=WIDTH)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _lines(db: Path, *args: str) -> list[str]:
    result = run80(*args, "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout.splitlines()


def _flat(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def _docs_shown(db: Path) -> list[str]:
    return [x for d in _json(db, "docs") for x in (d["id"], d["published"]) if x]


def _events_shown(db: Path) -> list[str]:
    return [e["date"] for e in _json(db, "events") if e["date"]]


def _timeline_shown(db: Path) -> list[str]:
    return [x for e in _json(db, "timeline") for x in (e["date"], e["sources"][0]["doc_id"]) if x]


def _search_shown(db: Path) -> list[str]:
    return [x for r in _json(db, "search", "Kabul") for x in (r["id"], r["published"]) if x]


def _claims_shown(db: Path) -> list[str]:
    return [c["published"][:10] for c in _json(db, "claims") if c["published"]]


def _relations_shown(db: Path) -> list[str]:
    return [r["last_seen"][:10] for r in _json(db, "relations") if r["last_seen"]]


def _actor_shown(db: Path) -> list[str]:
    actor = _json(db, "actor", "Taliban")
    return [x for d in actor["documents"] for x in (d["id"], d["published"]) if x] + [
        e["doc_id"] for e in actor["evidence"]
    ]


def _doc_shown(db: Path) -> list[str]:
    return [_json(db, "docs")[0]["id"]]


def _status_shown(db: Path) -> list[str]:
    return [x for x in _json(db, "status")["published_range"] if x]


LISTINGS: list[tuple[tuple[str, ...], Callable[[Path], list[str]]]] = [
    (("docs",), _docs_shown),
    (("docs", "--wide"), _docs_shown),
    (("actors",), lambda _db: []),
    (("actors", "--wide"), lambda _db: []),
    (("actor", "Taliban"), _actor_shown),
    (("actor", "Taliban", "--wide"), _actor_shown),
    (("search", "Kabul"), _search_shown),
    (("search", "Kabul", "--wide"), _search_shown),
    (("events",), _events_shown),
    (("events", "--wide"), _events_shown),
    (("timeline",), _timeline_shown),
    (("timeline", "--wide"), _timeline_shown),
    (("claims",), _claims_shown),
    (("claims", "--wide", "--no-pager"), _claims_shown),
    (("claims", "--kind", "forecast"), lambda db: [c["published"] for c in _json(db, "claims", "--kind", "forecast")]),
    (("relations",), _relations_shown),
    (("relations", "--wide"), _relations_shown),
    (("speaker", "Leila Haidari"), lambda _db: []),
    (("status",), _status_shown),
    (("doc", "{doc}"), _doc_shown),
    (("doc", "{doc}", "--wide"), _doc_shown),
]


@pytest.mark.parametrize(("args", "shown"), LISTINGS, ids=[" ".join(a) for a, _ in LISTINGS])
def test_every_listing_fits_80_columns_with_dates_and_ids_whole(
    store: tuple[Path, str], args: tuple[str, ...], shown: Callable[[Path], list[str]]
) -> None:
    db, _ = store
    doc_id = _json(db, "docs")[0]["id"]
    lines = _lines(db, *(doc_id if a == "{doc}" else a for a in args))
    assert lines
    too_wide = [line for line in lines if cell_len(line) > WIDTH]
    assert not too_wide, "\n".join(too_wide)
    for token in shown(db):  # the dates and document ids this listing prints, each whole on one line
        assert any(token in line for line in lines), (token, "\n".join(lines))
    split = [line for line in lines if _PARTIAL_DATE_AT_END.search(line.rstrip())]
    assert not split, "\n".join(split)


def test_long_listings_are_one_line_per_item(store: tuple[Path, str]) -> None:
    db, _ = store
    claims = _json(db, "claims")
    lines = _lines(db, "claims")
    assert len(claims) >= 6 and len(lines) == len(claims) + 3  # title, header, rule
    for claim, line in zip(claims, lines[3:], strict=True):
        assert re.match(rf"\s*{claim['id']}\s+{claim['published'][:10]}\s+{claim['kind']}\s", line), line
        assert line.rstrip().endswith("…") or claim["text"] in line
    events = _json(db, "events")
    lines = _lines(db, "events")
    assert len(events) >= 3 and len(lines) == len(events) + 3
    for event, line in zip(events, lines[3:], strict=True):
        assert re.match(rf"\s*{event['id']}\s+{event['date']}\s", line), line
    hits = _json(db, "search", "police")
    lines = _lines(db, "search", "police")
    assert len(hits) >= 2 and len(lines) == len(hits) + 3
    assert all(hit["id"] in line for hit, line in zip(hits, lines[3:], strict=True))


def test_wide_shows_the_text_the_default_cuts_with_an_ellipsis(store: tuple[Path, str]) -> None:
    db, _ = store
    longest = max((c["text"] for c in _json(db, "claims")), key=len)
    assert len(longest) > WIDTH
    default, wide = _flat(_lines(db, "claims")), _flat(_lines(db, "claims", "--wide"))
    assert " ".join(longest.split()) not in default and "…" in default
    assert " ".join(longest.split()) in wide
    docs, docs_wide = _flat(_lines(db, "docs")), _flat(_lines(db, "docs", "--wide"))
    assert LONG_TITLE not in docs and LONG_TITLE[:12] in docs
    assert LONG_TITLE in docs_wide
    timeline = _lines(db, "timeline", "--wide")
    sentence = _json(db, "timeline")[0]["sources"][0]["text"]
    assert " ".join(sentence.split()) in _flat(timeline) and " ".join(sentence.split()) not in _flat(
        _lines(db, "timeline")
    )


def test_an_unknown_name_gets_the_nearest_names_in_a_one_line_error(store: tuple[Path, str]) -> None:
    db, _ = store
    typo = run80("actor", "Talibn", "--db", str(db))
    assert typo.returncode == 1 and typo.stdout == ""
    message = " ".join(typo.stderr.split())
    assert message.startswith("error: no actor named 'Talibn'; did you mean 'Taliban'") and message.count("error") == 1
    assert "Traceback" not in typo.stderr
    about = run80("claims", "--about", "Tehrik Taliban", "--db", str(db))
    assert about.returncode == 1 and "did you mean 'Tehrik-i-Taliban Pakistan'" in " ".join(about.stderr.split())
    nothing = run80("actor", "Xqzvw", "--db", str(db))
    assert nothing.returncode == 1 and "did you mean" not in nothing.stderr and "watchfloor actors" in nothing.stderr


def test_ingest_says_it_is_loading_the_language_model_before_counting_documents(store: tuple[Path, str]) -> None:
    _, stderr = store
    frames = [_ANSI.sub("", f).strip() for f in re.split(r"[\r\n]", stderr)]
    frames = [f for f in frames if f]
    loading = [i for i, f in enumerate(frames) if "loading language model…" in f]
    counting = [i for i, f in enumerate(frames) if re.search(r"ingest\b.*\b[0-3]/3\b", f)]
    assert loading and counting and loading[0] < counting[0], frames[:5]
    assert max(cell_len(f) for f in frames) <= WIDTH, max(frames, key=cell_len)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _console(file: io.StringIO, width: int = WIDTH, height: int = 24) -> render.SafeConsole:
    terminal = isinstance(file, _Terminal)
    return render.SafeConsole(file=file, force_terminal=terminal, width=width, height=height, highlight=False)


def test_the_pager_runs_only_on_a_terminal_and_only_for_output_longer_than_the_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(render, "_page", shown.append)
    for file, enabled, lines, paged in [
        (_Terminal(), True, 30, True),
        (_Terminal(), True, 5, False),  # fits the screen
        (_Terminal(), False, 30, False),  # --no-pager
        (io.StringIO(), True, 30, False),  # not a terminal
    ]:
        shown.clear()
        monkeypatch.setattr(render, "console", _console(file))
        with render.paged(enabled):
            for n in range(lines):
                render.console.print(f"line {n}")
        assert bool(shown) == paged, (enabled, lines, type(file))
        out = shown[0] if shown else file.getvalue()
        assert f"line {lines - 1}" in out and (file.getvalue() == "") == paged


@pytest.mark.parametrize("width", [80, 60, 30])
def test_a_table_never_cuts_ids_dates_or_words_at_any_width(monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    file = io.StringIO()
    monkeypatch.setattr(render, "console", _console(file, width=width))
    rows = [
        ("1351fd261d301145", "2025-09-09", "forecast", "Twenty-four years after his father's death " * 3, 846),
        ("3b64a7da9c9e4690", "2025-08-26", "assessment", "Abbey Gate, four years on", 12),
    ]
    cols = [
        render.Col("id", token=True),
        render.Col("published", token=True),
        "kind",
        render.Col("title", lines=1),
        render.Col("words", optional=True),
    ]
    render.table("Documents", cols, rows)
    lines = file.getvalue().splitlines()
    assert max(cell_len(line) for line in lines) <= width, file.getvalue()
    for token in ("1351fd261d301145", "3b64a7da9c9e4690", "2025-09-09", "2025-08-26", "forecast", "assessment"):
        assert any(token in line for line in lines), (token, file.getvalue())
    words = {w for row in rows for w in str(row[3]).split()}
    for line in lines:  # what is left of a cut title is whole words, then "…"
        for word in re.findall(r"[A-Za-z',-]+(?=…)", line):
            assert word in words, (word, line)
