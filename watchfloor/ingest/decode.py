"""Bytes to text: BOMs, UTF-8, UTF-16, legacy 8-bit encodings; binary junk is refused."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

_CONTROL = {b for b in range(32) if b not in (9, 10, 12, 13)}


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read (NUL bytes outside UTF-16, control chars)."""
    sample = data[:8192]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if _utf16_without_bom(sample) is not None:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls > max(4, len(sample) // 100)


def _utf16_without_bom(sample: bytes) -> str | None:
    """Detect BOM-less UTF-16 from the pattern of zero bytes in ASCII-heavy text."""
    if len(sample) < 8:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def mostly_utf8(data: bytes) -> bool:
    """UTF-8 but for a few bytes: valid multi-byte sequences outnumber invalid bytes four to one.

    A legacy 8-bit text (Windows-1252, Latin-1) almost never forms valid UTF-8 sequences by accident, so
    its accented letters are all invalid; a UTF-8 article with a damaged byte keeps its many valid ones.
    Such a file is read as UTF-8 with U+FFFD for the bad bytes, not as a guessed code page (mojibake).
    """
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(1 for ch in text if ch > "\x7f") - text.count("\ufffd")
    return multibyte > 0 and multibyte >= 4 * invalid


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes to text; returns (text, encoding). Raises ValueError if it is not text."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    bomless = _utf16_without_bom(data[:8192])
    if bomless:
        return data.decode(bomless, errors="replace"), bomless
    if looks_binary(data):
        raise ValueError("binary content, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), "utf-8"
    best = from_bytes(data[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    if encoding in ("ascii", "utf_8"):
        encoding = "cp1252"  # invalid UTF-8 that is mostly ASCII is almost always Windows-1252
    return data.decode(encoding, errors="replace"), encoding


# Invisible format characters that sit inside words on real pages: soft hyphens (&shy;, "Kun­duz"),
# zero-width spaces, word joiners and stray byte-order marks. spaCy reads "Af­ghanistan" as another
# word than "Afghanistan", so names, places and gazetteer aliases are missed. Zero-width (non-)joiners
# are kept: they shape Persian, Pashto and Urdu words. Typographic ligatures from PDF fonts ("ﬁghters",
# "opened ﬁre", "ofﬁcials") are spelt out, or no lexicon and no model knows the word.
_PLAIN = {
    **dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff\u180e")),
    **{ord(lig): text for lig, text in zip("ﬀﬁﬂﬃﬄﬅﬆ", ("ff", "fi", "fl", "ffi", "ffl", "st", "st"), strict=True)},
}


def plain_characters(text: str) -> str:
    """``text`` without invisible in-word characters (soft hyphens, zero-width spaces, …) and with
    typographic ligatures spelt out."""
    return text.translate(_PLAIN)
