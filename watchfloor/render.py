"""Terminal rendering (Rich tables) and JSON output shared by CLI commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

console = Console()
err_console = Console(stderr=True)


def print_json(data: Any) -> None:
    """Stable, machine-readable output: sorted keys, UTF-8, one document."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str))
    sys.stdout.write("\n")


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    t = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        t.add_column(col, overflow="fold")
    for row in rows:
        t.add_row(*[Text("" if v is None else str(v)) for v in row])
    console.print(t)


def highlight_snippet(snippet: str) -> Text:
    """FTS5 snippets mark hits with [ ]; show them bold yellow, everything else literal."""
    out = Text()
    inside = False
    for part in snippet.replace("]", "[").split("["):
        out.append(part, style="bold yellow" if inside else None)
        inside = not inside
    return out
