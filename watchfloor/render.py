"""Terminal rendering (Rich tables) and JSON output shared by CLI commands."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Annotated, Any

import typer
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

# Article text, titles and file names are untrusted: a terminal must never receive their control characters
# (ESC starts sequences that clear the screen, move the cursor or set the window title; C1 0x9B is CSI on
# some terminals; CR and BS overwrite what was printed). Each becomes a visible stand-in of the same length,
# so Rich's style spans stay in place.
_CONTROL = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
_VISIBLE = {c: (chr(0x2400 + c) if c < 0x20 else "\u2421" if c == 0x7F else "\ufffd") for c in _CONTROL}
_MULTILINE = str.maketrans({c: v for c, v in _VISIBLE.items() if c not in (0x09, 0x0A)})
_ONE_LINE = str.maketrans({c: v for c, v in _VISIBLE.items() if c != 0x09})
_JSON_UNSAFE = str.maketrans({c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0))})


def clean(text: str, one_line: bool = False) -> str:
    """``text`` with control characters replaced by visible stand-ins (newlines too when ``one_line``)."""
    return text.translate(_ONE_LINE if one_line else _MULTILINE)


def _clean_renderable(obj: Any) -> Any:
    if isinstance(obj, str):
        return clean(obj)
    if isinstance(obj, Text):
        safe = obj.copy()
        safe.plain = clean(obj.plain)
        return safe
    return obj


class SafeConsole(Console):
    """A Rich console that never writes a control character that came from data."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(_clean_renderable(o) for o in objects), **kwargs)


console: Console = SafeConsole()
err_console: Console = SafeConsole(stderr=True)


def print_json(data: Any) -> None:
    """Stable, machine-readable output: sorted keys, UTF-8, one document (C0 controls are escaped by JSON,
    DEL and C1 controls here)."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    sys.stdout.write(text.translate(_JSON_UNSAFE))
    sys.stdout.write("\n")


WideOption = Annotated[bool, typer.Option("--wide", help="Show full text: nothing cut with '…'.")]
NoPagerOption = Annotated[bool, typer.Option("--no-pager", help="Print long output straight to the terminal.")]

_GAP = 2  # cells between two table columns: collapsed padding and the (blank) rule column
_NUMBER = re.compile(r"(?:[<>≤≥]?[0-9][0-9.,]*(?:–[0-9][0-9.,]*)?[+%]?\*?)?")  # 12, 1,200, 25+, 10–12*, ≤5
_SGR = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Col:
    """A table column. A ``token`` column (ids, dates, counts, keys; guessed from its values when None) never
    wraps and is never cut; any other column wraps at spaces and, unless the table is wide, ends with "…" after
    ``lines`` lines. ``optional`` columns are left out when empty and, rightmost first, when the terminal is too
    narrow."""

    header: str
    token: bool | None = None
    lines: int = 2
    min_width: int = 12
    optional: bool = False


def _cell(value: Any) -> Text:
    if isinstance(value, Text):
        safe: Text = _clean_renderable(value)
        return safe
    text = "" if value is None else str(value)
    indent = text[: len(text) - len(text.lstrip(" "))]  # kept: it shows sub-items
    return Text(clean(indent + " ".join(text.split())))


def _width(text: Text) -> int:
    return max((cell_len(part) for part in text.plain.split("\n")), default=0)


def _longest_word(header: str) -> int:
    return max((cell_len(w) for w in header.split()), default=0)


def _layout(cols: Sequence[Col], cells: Sequence[Sequence[Text]], width: int, whole: bool) -> list[int] | None:
    """Each column's width within ``width`` cells (tokens at their full width, text columns at least their
    ``min_width`` and, when ``whole``, their values' first words), or None when they cannot fit."""
    natural = [max([_width(row[i]) for row in cells] + [_longest_word(c.header)]) for i, c in enumerate(cols)]
    natural = [max(n, cell_len(c.header)) if not c.token else n for n, c in zip(natural, cols, strict=True)]
    avail = width - _GAP * (len(cols) - 1) - sum(n for n, c in zip(natural, cols, strict=True) if c.token)
    texts = [i for i, c in enumerate(cols) if not c.token]
    widths = list(natural)
    for i in texts:  # at least: the header's words and every value's first word (up to 24 cells) whole
        first = max((cell_len(r[i].plain.split(maxsplit=1)[0]) for r in cells if r[i].plain.strip()), default=0)
        first = first if whole else 0
        widths[i] = min(natural[i], max(cols[i].min_width, _longest_word(cols[i].header), min(first, 24)))
    extra = avail - sum(widths[i] for i in texts)
    if extra < 0:
        return None
    for n, i in enumerate(sorted(texts, key=lambda i: natural[i] - widths[i])):  # water-filling, least needy first
        grant = min(natural[i] - widths[i], extra // (len(texts) - n))
        widths[i] += grant
        extra -= grant
    for i, col in enumerate(cols):  # room left: token headers on one line
        grant = min(max(cell_len(col.header) - widths[i], 0), extra) if col.token else 0
        widths[i] += grant
        extra -= grant
    return widths


def _ellipsize(line: Text, width: int) -> Text:
    """``line`` ending with "…" within ``width`` cells; a word that would be cut is dropped instead."""
    out = line.copy()
    out.rstrip()
    if cell_len(out.plain) + 1 > width:
        whole = out.plain
        out.truncate(width - 1)
        if len(out.plain) < len(whole) and whole[len(out.plain)] != " " and out.plain.rfind(" ") > 0:
            out.right_crop(len(out.plain) - out.plain.rfind(" "))
        out.rstrip()
    out.append("…")
    return out


def fit(text: Text, width: int, lines: int = 1) -> Text:
    """``text`` wrapped at spaces into at most ``lines`` lines of ``width`` cells, the last ending with "…" when
    some text was left out."""
    wrapped = list(text.wrap(console, max(width, 2), overflow="ellipsis"))
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], _ellipsize(wrapped[lines - 1], width)]
    return Text("\n").join(wrapped)


def table(title: str, columns: Sequence[str | Col], rows: Sequence[Sequence[Any]], *, wide: bool = False) -> None:
    """Print rows as a table that fits the terminal: ids, dates and counts whole on one line, text wrapped at
    spaces and cut with "…" unless ``wide``; one block per row when the columns cannot fit side by side."""
    cells = [[_cell(v) for v in row] for row in rows]
    cols = [c if isinstance(c, Col) else Col(c) for c in columns]
    cols = [
        replace(c, token=all(" " not in r[i].plain and _width(r[i]) <= 24 for r in cells)) if c.token is None else c
        for i, c in enumerate(cols)
    ]
    shown = [i for i, c in enumerate(cols) if not c.optional or any(r[i].plain.strip() for r in cells)]
    for whole in (True, False):  # first words whole, leaving out optional columns; else cut them with "…"
        keep = list(shown)
        widths = _layout([cols[i] for i in keep], [[r[i] for i in keep] for r in cells], console.width, whole)
        while widths is None and not wide and any(cols[i].optional for i in keep):
            keep.remove([i for i in keep if cols[i].optional][-1])
            widths = _layout([cols[i] for i in keep], [[r[i] for i in keep] for r in cells], console.width, whole)
        if widths is not None:
            break
    cols = [cols[i] for i in keep]
    cells = [[r[i] for i in keep] for r in cells]
    if widths is None:
        _records(title, cols, cells, wide)
        return
    t = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        header_style="bold",
        show_header=any(c.header for c in cols),
    )
    for i, (col, w) in enumerate(zip(cols, widths, strict=True)):
        numeric = col.token and all(_NUMBER.fullmatch(r[i].plain) for r in cells)
        t.add_column(
            Text(col.header, no_wrap=False, overflow="fold"),
            width=w,
            no_wrap=bool(col.token),
            overflow="fold" if wide else "ellipsis",
            justify="right" if numeric else "left",
        )
    for row in cells:
        t.add_row(
            *[c if col.token or wide else fit(c, w, col.lines) for c, col, w in zip(row, cols, widths, strict=True)]
        )
    console.print(t)


def _records(title: str, cols: Sequence[Col], cells: Sequence[Sequence[Text]], wide: bool) -> None:
    """One block per row: its tokens on one line, then each text field on its own lines, indented."""
    if title:
        console.print(Text(title, style="bold"))
    for row in cells:
        head = Text()
        for col, cell in zip(cols, row, strict=True):
            if col.token and cell.plain:
                if head:
                    head.append("  ")
                    head.append(f"{col.header} ", style="dim")
                    head.append_text(cell)
                else:
                    head.append(cell.plain, style="bold")
        if head:
            console.print(head)
        for col, cell in zip(cols, row, strict=True):
            if not col.token and cell.plain:
                body = Text.assemble((f"{col.header}: " if col.header else "", "dim"), cell)
                console.print(Padding(body if wide else fit(body, console.width - 2, col.lines), (0, 0, 0, 2)))


def trim_start(text: str, room: int) -> str:
    """The end of ``text`` in about ``room`` cells, from a word start, after "…" when something was left out
    (the words before a search hit or a mention)."""
    text = " ".join(text.split()) + (" " if text[-1:].isspace() else "")
    if cell_len(text) <= room:
        return text
    tail = text[-room:]
    space = tail.find(" ")
    return "…" + (tail[space + 1 :] if 0 <= space < len(tail) - 1 else tail)


def print_line(text: Text | str, *, wide: bool = False, indent: int = 0, lines: int = 1) -> None:
    """Print ``text`` (Rich markup when a str) indented, at most ``lines`` lines ending with "…" when cut at the
    terminal's width; whole, wrapped at spaces, when ``wide``."""
    body = Text.from_markup(text) if isinstance(text, str) else text
    body = body if wide else fit(body, console.width - indent, lines)
    console.print(Padding(body, (0, 0, 0, indent)) if indent else body)


@contextmanager
def paged(enabled: bool = True) -> Iterator[None]:
    """Send what the block prints to the pager when stdout is a terminal and the output is longer than the
    screen (``less -R`` unless $PAGER says otherwise)."""
    isatty = getattr(console.file, "isatty", None)
    if not enabled or not console.is_terminal or not (isatty and isatty()):
        yield
        return
    console.begin_capture()
    try:
        yield
    except BaseException:
        console.file.write(console.end_capture())
        raise
    text = console.end_capture()
    if text.count("\n") < console.height - 1:
        console.file.write(text)
        console.file.flush()
        return
    _page(text)


def _page(text: str) -> None:
    from rich.pager import SystemPager

    pager = (os.environ.get("MANPAGER") or os.environ.get("PAGER") or "less").split()
    os.environ.setdefault("LESS", "-R")
    flags = os.environ["LESS"]
    raw = "--raw-control-chars" in flags.lower() or any("r" in f.lower() for f in flags.split() if f[:2] != "--")
    styles = bool(pager) and pager[0].endswith("less") and raw
    SystemPager().show(text if styles else _SGR.sub("", text))


def highlight_snippet(snippet: str) -> Text:
    """FTS5 snippets mark hits with [ ]; show them bold yellow, everything else literal."""
    out = Text()
    inside = False
    for part in snippet.replace("]", "[").split("["):
        out.append(clean(part), style="bold yellow" if inside else None)
        inside = not inside
    return out
