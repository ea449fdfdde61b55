"""Reading text in the encodings real articles arrive in, and refusing binary junk."""

from __future__ import annotations

import codecs

import pytest

from watchfloor.ingest.decode import decode_text, looks_binary

TEXT = "The Taliban’s spokesman said the café in Kabul was closed — “for now”."


def test_utf8_is_read_as_is() -> None:
    assert decode_text(TEXT.encode("utf-8")) == (TEXT, "utf-8")


def test_utf8_with_bom_drops_the_bom() -> None:
    text, enc = decode_text(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert text == TEXT and enc == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(codec: str) -> None:
    text, _ = decode_text(TEXT.encode(codec) * 3)
    assert text.count("Taliban’s spokesman") == 3


def test_windows_1252_is_recovered_from_invalid_utf8() -> None:
    data = "A “quoted” café statement – from Kabul’s police chief, in full.".encode("cp1252") * 4
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, enc = decode_text(data)
    assert "“quoted” café" in text and enc != "utf-8"


def test_binary_junk_is_refused() -> None:
    junk = bytes(range(256)) * 40
    assert looks_binary(junk)
    with pytest.raises(ValueError, match="binary"):
        decode_text(junk)


def test_plain_ascii_is_not_binary() -> None:
    assert not looks_binary(b"Plain words\nand lines\n" * 50)


def test_utf8_with_one_bad_byte_stays_utf8() -> None:
    text = "Kabul — The Taliban’s spokesman, Zabihullah Mujahid, said “the attack” in Jalālābād killed 12. " * 20
    data = text.encode()
    cut = len(text[:200].encode())  # between two characters
    damaged = data[:cut] + b"\xff" + data[cut:]
    decoded, enc = decode_text(damaged)
    assert enc == "utf-8"
    assert decoded.count("Jalālābād") == 20 and decoded.count("\ufffd") == 1
    assert "‚Äî" not in decoded and "ƒÅ" not in decoded  # no mac_iceland mojibake
