"""Terminal rendering (Rich tables) and JSON output shared by CLI commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
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


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    t = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        t.add_column(col, overflow="fold")
    for row in rows:
        t.add_row(*[Text(clean("" if v is None else str(v))) for v in row])
    console.print(t)


def highlight_snippet(snippet: str) -> Text:
    """FTS5 snippets mark hits with [ ]; show them bold yellow, everything else literal."""
    out = Text()
    inside = False
    for part in snippet.replace("]", "[").split("["):
        out.append(clean(part), style="bold yellow" if inside else None)
        inside = not inside
    return out
