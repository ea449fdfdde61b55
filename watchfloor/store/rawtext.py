"""The raw (pre-cleaning) text of a document, stored as a small delta against its clean text.

The raw text is the clean text plus the furniture lines the cleaner removed, so storing both doubles
the biggest column of the store. Instead the store keeps a zlib-compressed JSON list of pieces: ``[a, b]``
copies ``text[a:b]``, a string is inserted as is. The delta is kept only when it rebuilds the raw text
exactly and is smaller than the text it replaces; otherwise the raw text is stored whole.
"""

from __future__ import annotations

import difflib
import json
import zlib
from typing import Any

Piece = list[int] | str


def _pieces(raw: str, text: str) -> list[Piece]:
    text_lines = text.splitlines(keepends=True)
    raw_lines = raw.splitlines(keepends=True)
    starts = [0]
    for line in text_lines:
        starts.append(starts[-1] + len(line))
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, text_lines, raw_lines)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            if pieces and isinstance(pieces[-1], list) and pieces[-1][1] == starts[i1]:
                pieces[-1][1] = starts[i2]
            else:
                pieces.append([starts[i1], starts[i2]])
        elif op in ("replace", "insert"):
            pieces.append("".join(raw_lines[j1:j2]))
    return pieces


def unpack(delta: bytes, text: str) -> str:
    """The raw text from its stored delta and the clean text."""
    pieces: list[Any] = json.loads(zlib.decompress(delta))
    return "".join(text[p[0] : p[1]] if isinstance(p, list) else p for p in pieces)


def pack(raw: str, text: str) -> bytes | None:
    """The delta that rebuilds ``raw`` from ``text``, or None when storing ``raw`` whole is as good."""
    if not raw:
        return None
    delta = zlib.compress(json.dumps(_pieces(raw, text), ensure_ascii=False, separators=(",", ":")).encode(), 9)
    if len(delta) >= len(raw.encode("utf-8")) or unpack(delta, text) != raw:
        return None
    return delta


def for_storage(raw: str, text: str) -> tuple[str, bytes | None]:
    """Values of the ``raw_text`` and ``raw_delta`` columns: ``('', delta)`` or ``(raw, None)``."""
    delta = pack(raw, text)
    return ("", delta) if delta is not None else (raw, None)


def restore(row: dict[str, Any]) -> dict[str, Any]:
    """A documents row with ``raw_text`` rebuilt from ``raw_delta`` (and that column dropped)."""
    delta = row.pop("raw_delta", None)
    if delta is not None:
        row["raw_text"] = unpack(delta, row["text"])
    return row
