"""Join the lines of hard-wrapped plain text back into paragraphs.

Wire archives, e-mails and plain-text exports break every paragraph into lines of about the same width
("POLICE HAVE REPORTED THAT\\nTERRORISTS TONIGHT BOMBED ..."). Kept as separate lines, every line would be
a sentence to the parser. A text counts as hard-wrapped when most lines that run on to the next line
without a blank line between (so inside one paragraph) are nearly as wide as its widest lines; then a
line that fills the width joins the next with a space, and a short line (a heading, a paragraph's last
line) still ends its paragraph. Text that is not wrapped (web pages pasted as text, where a line is a
paragraph) keeps one paragraph per line.
"""

from __future__ import annotations

MIN_WIDTH = 45  # narrower "wrapping" is a list or a menu, not prose
MAX_WIDTH = 100  # paragraphs longer than this on one line are not wrapped
FULL = 0.7  # a line at least this share of the width fills it
MIN_RUNS = 4  # wrapped line breaks needed before the text is judged


def _width(lengths: list[int]) -> int:
    ordered = sorted(lengths)
    return ordered[int(0.9 * (len(ordered) - 1))]


def wrap_width(lines: list[str], runs_on: list[bool]) -> int | None:
    """The width the text is wrapped at, or None when it is not hard-wrapped.

    ``runs_on[i]``: line ``i`` is followed by line ``i + 1`` with no blank line between.
    """
    lengths = [len(line.rstrip()) for line in lines if len(line.strip()) >= 20]
    if len(lengths) < MIN_RUNS:
        return None
    width = _width(lengths)
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        return None
    inner = [len(lines[i].rstrip()) for i in range(len(lines) - 1) if runs_on[i]]
    if len(inner) < MIN_RUNS:
        return None
    full = sum(n >= FULL * width for n in inner)
    return width if full >= 0.6 * len(inner) else None


def join_lines(lines: list[str], runs_on: list[bool]) -> str:
    """The text as paragraphs separated by blank lines, wrapped lines joined when the text is hard-wrapped."""
    width = wrap_width(lines, runs_on)
    out: list[str] = []
    for i, line in enumerate(lines):
        piece = line.strip()
        if not out:
            out.append(piece)
            continue
        previous = lines[i - 1].rstrip()
        joined = width is not None and runs_on[i - 1] and len(previous) >= FULL * width
        out.append((" " if joined else "\n\n") + piece)
    return "".join(out)
