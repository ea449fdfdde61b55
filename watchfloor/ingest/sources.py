"""Expand what the user named (files, folders, URLs, feeds, JSONL) into raw inputs or problems."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from watchfloor.errors import InputProblem
from watchfloor.models import RawInput

EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


@dataclass
class SourceOptions:
    max_bytes: int = 20_000_000
    timeout: float = 15.0
    allow_private: bool = False
    types: frozenset[str] = field(default_factory=lambda: frozenset(EXTENSIONS.values()))
    max_feed_items: int = 100
    allow_special: bool = False  # read FIFOs and devices named on the command line (with the size cap)


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def kind_of(path: Path, head: bytes) -> str:
    """Format from the extension, or sniffed from the first bytes for unknown extensions."""
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind:
        return kind
    if head.startswith(b"%PDF"):
        return "pdf"
    if b"<html" in head[:1024].lower() or b"<!doctype html" in head[:1024].lower():
        return "html"
    return "txt"


def list_files(target: Path, options: SourceOptions) -> list[Path]:
    """Files under a folder (recursive, sorted, hidden files skipped) matching the type filter."""
    return sorted(
        p
        for p in target.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(target).parts)
        and EXTENSIONS.get(p.suffix.lower()) in options.types
    )


def count_inputs(targets: list[str], options: SourceOptions) -> int:
    """How many inputs ``iter_inputs`` will yield, for the progress bar (URLs count as one)."""
    total = 0
    for target in targets:
        path = Path(target)
        if is_url(target) or not path.exists():
            total += 1
        elif path.is_dir():
            for file in list_files(path, options):
                total += _jsonl_lines(file) if EXTENSIONS.get(file.suffix.lower()) == "jsonl" else 1
        elif EXTENSIONS.get(path.suffix.lower()) == "jsonl" and path.is_file():
            total += _jsonl_lines(path)
        else:
            total += 1  # never open a FIFO or a device just to count it
    return total


def _jsonl_lines(path: Path) -> int:
    """Non-empty lines, never holding more than a megabyte of one line."""
    try:
        with path.open("rb") as fh:
            return sum(1 for line in _bounded_lines(fh, 1 << 20) if line is None or line.strip())
    except OSError:
        return 1


def special_file(path: Path) -> str | None:
    """What kind of non-regular file ``path`` is (FIFO, device, socket), or None for a regular file."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def iter_inputs(targets: list[str], options: SourceOptions) -> Iterator[RawInput | InputProblem]:
    """Yield each input in order; a problem with one input never stops the others."""
    for target in targets:
        if is_url(target):
            yield from _from_url(target, options)
            continue
        path = Path(target)
        if not path.exists():
            yield InputProblem(target, "no such file or folder; check the path")
        elif path.is_dir():
            files = list_files(path, options)
            if not files:
                wanted = ", ".join(sorted(options.types))
                yield InputProblem(target, f"folder holds no files of the selected types ({wanted})")
            for file in files:
                yield from _from_file(file, options)
        else:
            special = special_file(path)
            if special is not None and not options.allow_special:
                yield InputProblem(target, f"{special}, not a regular file; pass --allow-special-files to read it")
                continue
            yield from _from_file(path, options, special=special is not None)


def _too_big(size: int, options: SourceOptions) -> str:
    return (
        f"file is {'at least ' if size > options.max_bytes else ''}{size / 1e6:.1f} MB, above the "
        f"{options.max_bytes / 1e6:.0f} MB cap; split it or pass --max-mb"
    )


def _from_file(path: Path, options: SourceOptions, special: bool = False) -> Iterator[RawInput | InputProblem]:
    source = str(path)
    try:
        size = path.stat().st_size
        if size == 0 and not special:
            yield InputProblem(source, "empty file; nothing to ingest")
            return
        suffix_kind = EXTENSIONS.get(path.suffix.lower())
        if suffix_kind == "jsonl":
            yield from _from_jsonl(path, options)
            return
        if size > options.max_bytes:
            yield InputProblem(source, _too_big(size, options))
            return
        with path.open("rb") as fh:
            data = fh.read(options.max_bytes + 1)  # the file may grow (or never end) after stat()
        if len(data) > options.max_bytes:
            yield InputProblem(source, _too_big(len(data), options))
            return
        if not data:
            yield InputProblem(source, "empty file; nothing to ingest")
            return
    except OSError as exc:
        yield InputProblem(source, f"cannot read file ({exc.strerror}); check its permissions")
        return
    yield RawInput(source=source, kind=kind_of(path, data[:2048]), data=data)


def _bounded_lines(fh: BinaryIO, cap: int) -> Iterator[bytes | None]:
    """Lines of at most ``cap`` bytes; a longer line is skipped to its end and yields None."""
    while True:
        line = fh.readline(cap + 1)
        if not line:
            return
        if len(line) > cap and not line.endswith(b"\n"):
            drained = 0
            while drained < 10 * cap:  # drop the rest of the over-long line without holding it
                rest = fh.readline(1 << 20)
                drained += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            else:
                yield None
                return  # a line without end (a device like /dev/zero): stop reading
            yield None
            continue
        yield line


def _from_jsonl(path: Path, options: SourceOptions) -> Iterator[RawInput | InputProblem]:
    with path.open("rb") as fh:
        for n, line in enumerate(_bounded_lines(fh, options.max_bytes), start=1):
            source = f"{path}#L{n}"
            if line is None:
                yield InputProblem(source, f"line is above the {options.max_bytes / 1e6:.0f} MB cap")
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield InputProblem(source, f"line is not valid JSON ({exc}); fix or remove the line")
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                yield InputProblem(
                    source,
                    "line has no 'text' string field; expected "
                    '{"text": ..., "title": ..., "url": ..., "published": ...}',
                )
                continue
            meta = {k: str(obj[k]) for k in ("title", "published", "source") if obj.get(k)}
            url = str(obj["url"]) if obj.get("url") else None
            yield RawInput(source=source, kind="jsonl", data=obj["text"].encode("utf-8"), url=url, meta=meta)


def _from_url(url: str, options: SourceOptions) -> Iterator[RawInput | InputProblem]:
    from watchfloor.ingest.fetch import FetchError, fetch  # httpx: only when a URL is named

    try:
        got = fetch(
            url,
            timeout=options.timeout,
            max_bytes=options.max_bytes,
            allow_private=options.allow_private,
        )
    except FetchError as exc:
        yield InputProblem(url, str(exc))
        return
    head = got.data[:2048].lstrip().lower()
    ctype = got.content_type.lower()
    if (
        "rss" in ctype
        or "atom" in ctype
        or head.startswith((b"<rss", b"<feed"))
        or (head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head))
    ):
        yield from _from_feed(url, got.data, options)
        return
    if "pdf" in ctype or got.data.startswith(b"%PDF"):
        kind = "pdf"
    elif "html" in ctype or b"<html" in head or b"<!doctype html" in head:
        kind = "html"
    else:
        kind = "txt"
    yield RawInput(source=url, kind=kind, data=got.data, url=got.url)


def _from_feed(url: str, data: bytes, options: SourceOptions) -> Iterator[RawInput | InputProblem]:
    import feedparser  # slow to import: only when a feed arrives

    feed = feedparser.parse(data)
    entries = feed.entries[: options.max_feed_items]
    if not entries:
        yield InputProblem(url, "feed has no entries")
        return
    for entry in entries:
        link = entry.get("link")
        if not link:
            continue
        for item in _from_url(str(link), options):
            if isinstance(item, RawInput) and entry.get("published_parsed") and item.kind == "html":
                p = entry["published_parsed"]
                meta = {"feed_published": f"{p.tm_year:04d}-{p.tm_mon:02d}-{p.tm_mday:02d}"}
                item = RawInput(item.source, item.kind, item.data, item.url, meta)
            yield item
