#!/usr/bin/env python3
"""Sanity checks for the furniture-cleaner evaluation corpus.

For every document NAME.ext in dev/ and heldout/ with a NAME.gold.json:
  * every gold string (whitespace-normalised) occurs in the document's visible text
    (HTML: text extracted with html.parser, <head>/<script>/<style> skipped,
    entities decoded; .txt: raw text; .md: raw text AND a de-markdowned rendering);
  * no furniture string is a (case-insensitive) substring of the article content
    (content strings joined with spaces), and no content string occurs inside a
    furniture string;
  * no string appears twice, content and furniture lists are disjoint;
  * the article body (all content strings) is 250-600 words;
  * every URL/domain in the source uses a .test or .example TLD.
Run:  python3 tests/data/furniture/check_gold.py
"""

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent
BLOCK = set(
    ["p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "nav", "aside", "section", "article", "figure", "figcaption", "blockquote", "br", "tr", "td", "th", "table", "form", "main", "body", "label", "dl", "dt", "dd", "hr", "button", "select", "option"]
)
SKIP = {"head", "script", "style", "template", "noscript"}


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        if tag in BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip -= 1
        if tag in BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_text(raw):
    p = _Text()
    p.feed(raw)
    p.close()
    return norm("".join(p.out))


def md_render(raw):
    out = []
    for line in raw.split("\n"):
        line = re.sub(r"<[^>]+>", "", line.strip())
        if re.fullmatch(r"[-*_= ]{3,}", line) or re.match(r"^\[[^\]]+\]:\s*\S+", line):
            continue
        line = re.sub(r"^(#{1,6}\s+|>\s*|[-*+]\s+|\d+\.\s+)+", "", line)
        line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", line)
        line = re.sub(r"(\*\*|__|\*|`)", "", line)
        out.append(line)
    return norm("\n".join(out))


def visible_texts(path):
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        return [html_text(raw)], raw
    if path.suffix == ".md":
        return [norm(raw), md_render(raw)], raw
    return [norm(raw)], raw


def check(path):
    errs = []
    gold = json.loads(path.with_name(path.stem + ".gold.json").read_text(encoding="utf-8"))
    content = [norm(x) for x in gold["content"]]
    furniture = [norm(x) for x in gold["furniture"]]
    texts, raw = visible_texts(path)
    for kind, items in (("content", content), ("furniture", furniture)):
        if len(set(items)) != len(items):
            errs.append(f"duplicate {kind} strings")
        for s in items:
            for t in texts:
                if s not in t:
                    errs.append(f"{kind} string not in visible text: {s!r}")
    if set(content) & set(furniture):
        errs.append(f"strings in both lists: {set(content) & set(furniture)}")
    joined = " ".join(content).casefold()
    for f in furniture:
        if f.casefold() in joined:
            errs.append(f"furniture {f!r} occurs inside the article content")
        for c in content:
            if c.casefold() in f.casefold():
                errs.append(f"content {c[:60]!r} occurs inside furniture {f[:60]!r}")
    words = sum(len(c.split()) for c in content)
    if not 250 <= words <= 600:
        errs.append(f"content has {words} words (expected 250-600)")
    for dom in re.findall(r"(?:https?://|www\.)([A-Za-z0-9.-]+)", raw):
        if not re.search(r"\.(test|example)$", dom.lower()):
            errs.append(f"non-fictional domain: {dom}")
    return content, furniture, words, errs


def main():
    total_errs = 0
    for split in ("dev", "heldout"):
        docs = sorted(
            p
            for p in (ROOT / split).iterdir()
            if p.suffix in (".html", ".txt", ".md") and not p.name.endswith(".gold.json")
        )
        nc = nf = 0
        kinds = {}
        for p in docs:
            c, f, _w, errs = check(p)
            nc += len(c)
            nf += len(f)
            kinds[p.suffix] = kinds.get(p.suffix, 0) + 1
            for e in errs:
                print(f"{split}/{p.name}: {e}")
            total_errs += len(errs)
        print(f"{split}: {len(docs)} documents {kinds}, {nc} content lines, {nf} furniture lines")
    print("OK" if not total_errs else f"{total_errs} problem(s)")
    return 1 if total_errs else 0


if __name__ == "__main__":
    sys.exit(main())
