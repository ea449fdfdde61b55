"""Learn the truecasing table (``watchfloor/data/truecase/table.json.gz``) from real cased English.

    python -m training.truecase.train --data ../shared/eval/polnear --out watchfloor/data/truecase

Source text: the PolNeAR train articles (840 US political news articles of 2016, cased as published;
the dev split is never read here, it is where ``training.truecase.evaluate`` measures the table).
Every word away from a sentence start and outside headline-like lines (mostly capitalised, or all
capitals) counts one written form of its lower-cased self; its most frequent form wins (a tie goes to
lower case). Words the text never shows are judged by the word vectors of watchfloor's spaCy model
(md): each lower-case key of its vector table shares a row with other words, and when the seen words
of that row (at least ``MIN_ROW_TYPES`` of them) are mostly written one way (capital initial or all
capitals, a share of at least ``MIN_ROW_SHARE``), the unseen word is written that way too; otherwise
it is a known lower-case word. The table records the forms, the known lower-case words, and the
source data's sha256. Deterministic: same files, same model, same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from watchfloor.nlp.truecase import _SUFFIXES, WORD, sentence_start

COMMAND = "python -m training.truecase.train --data ../shared/eval/polnear --out watchfloor/data/truecase"
NEIGHBOURS = 10
MIN_SEEN = 1  # a word seen fewer times (alone) is judged by its vector row instead (2: PolNeAR dev 96.9 % not 97.0)
MIN_PAIR = 2  # a two-word name is stored when seen at least this often
MIN_ROW_SHARE = 0.6
HEADLINE_SHARE = 0.6  # a line whose longer words are mostly capitalised is a headline, not running text


def source_files(data: Path, split: str = "train") -> list[Path]:
    return sorted((data / split / "text").glob("*.txt"))


def data_digest(files: list[Path]) -> str:
    """sha256 over the files' names and bytes, in name order."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def headline_like(line: str) -> bool:
    """Mostly capitalised longer words (a title) or no lower-case letter at all."""
    words = [w for w in WORD.findall(line) if len(w) >= 4]
    if not words:
        return False
    if not any(ch.islower() for ch in line):
        return True
    return sum(w[0].isupper() for w in words) >= HEADLINE_SHARE * len(words)


def running_pairs(text: str) -> list[tuple[str, str]]:
    """Pairs of neighbouring words (a blank or a hyphen between them) of running text, the first not at
    a sentence start: the evidence for names of two words ("White House", "Marine Corps")."""
    found: list[tuple[str, str]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if not headline_like(line):
            words = list(WORD.finditer(line))
            for k in range(len(words) - 1):
                if _adjacent(line, words, k, k + 1) and not sentence_start(text, offset + words[k].start()):
                    found.append((words[k].group(0), words[k + 1].group(0)))
        offset += len(line)
    return found


def running_words(text: str) -> list[tuple[str, bool]]:
    """The written forms of the words of ``text`` that carry evidence of their case (not at a sentence
    start, not in a headline-like line, not the "s" of a possessive), each with whether it stands
    alone: no capitalised word right before or after it ("White" of "White House" does not)."""
    found: list[tuple[str, bool]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if not headline_like(line):
            words = list(WORD.finditer(line))
            for k, m in enumerate(words):
                start = offset + m.start()
                word = m.group(0)
                if sentence_start(text, start):
                    continue
                if start > 1 and text[start - 1] in "'’" and text[start - 2].isalpha() and word.lower() in _SUFFIXES:
                    continue
                alone = not any(
                    0 <= j < len(words) and words[j].group(0)[0].isupper() and _adjacent(line, words, k, j)
                    for j in (k - 1, k + 1)
                )
                found.append((word, alone))
        offset += len(line)
    return found


def _adjacent(line: str, words: list[re.Match[str]], k: int, j: int) -> bool:
    """Whether words k and j of a line are separated by blanks or a hyphen only."""
    a, b = sorted((k, j))
    return not line[words[a].end() : words[b].start()].strip(" -")


def shape(form: str) -> str:
    """lower, upper (all capitals, more than one letter) or title (any other capital)."""
    if form == form.lower():
        return "lower"
    letters = [ch for ch in form if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return "upper"
    return "title"


def written_as(lower: str, kind: str) -> str:
    return lower.upper() if kind == "upper" else lower[:1].upper() + lower[1:] if kind == "title" else lower


def vector_rows() -> tuple[dict[str, int], np.ndarray]:
    """Lower-case words of the md model's vector table and their rows; the table."""
    import spacy

    from watchfloor.nlp.pipeline import model_path

    nlp = spacy.load(model_path("md"), exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"])
    strings = nlp.vocab.strings
    rows: dict[str, int] = {}
    for key, row in nlp.vocab.vectors.key2row.items():
        word = strings[key]
        if word == word.lower() and WORD.fullmatch(word) and len(word.lower()) == len(word):
            rows[word] = int(row)
    return rows, np.asarray(nlp.vocab.vectors.data)


def neighbour_rows(vectors: np.ndarray, evidence: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """For each row of the vector table, the ``k`` most similar rows (cosine) that hold evidence."""
    unit = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)
    with_evidence = np.flatnonzero(evidence)
    target = unit[with_evidence].T
    out = np.zeros((len(unit), k), dtype=np.int64)
    for start in range(0, len(unit), 1000):
        sims = unit[start : start + 1000] @ target
        top = np.argpartition(-sims, k, axis=1)[:, :k]
        out[start : start + 1000] = with_evidence[top]
    return out


def learn(
    files: list[Path], rows: dict[str, int], vectors: np.ndarray
) -> tuple[dict[str, list[object]], list[str], dict[str, int]]:
    alone: dict[str, Counter[str]] = defaultdict(Counter)
    anywhere: dict[str, Counter[str]] = defaultdict(Counter)
    for path in files:
        for word, by_itself in running_words(path.read_text("utf-8")):
            lower = word.lower()
            if len(lower) == len(word):
                anywhere[lower][word] += 1
                if by_itself:
                    alone[lower][word] += 1
    pairs: dict[str, Counter[str]] = defaultdict(Counter)
    for path in files:
        for first, second in running_pairs(path.read_text("utf-8")):
            if len(first.lower()) == len(first) and len(second.lower()) == len(second):
                pairs[f"{first.lower()} {second.lower()}"][f"{first} {second}"] += 1
    forms: dict[str, list[object]] = {}
    known: set[str] = set()
    kinds: dict[str, str] = {}
    seen_forms: dict[str, tuple[str, int, int]] = {}
    for lower in anywhere:
        seen = alone[lower] if lower in alone else anywhere[lower]  # forms inside names only when never alone
        form, n = min(seen.items(), key=lambda kv: (-kv[1], kv[0] != lower, kv[0]))
        seen_forms[lower] = (form, n, sum(seen.values()))
        kinds[lower] = shape(form)
    kind_ids = {"lower": 0, "title": 1, "upper": 2}
    evidence = np.zeros((len(vectors), 3))
    for lower, kind in kinds.items():
        if lower in rows:
            evidence[rows[lower], kind_ids[kind]] += 1
    near = neighbour_rows(vectors, evidence.sum(axis=1) > 0)
    votes = evidence[near].sum(axis=1)  # rows x kinds
    from_rows = Counter[str]()
    for word in sorted(set(rows) | set(seen_forms)):
        if word in seen_forms and (seen_forms[word][2] >= MIN_SEEN or word not in rows):
            form, n, total = seen_forms[word]
            if form == word:
                known.add(word)
            else:
                forms[word] = [form, n, total]
            continue
        tally = votes[rows[word]]
        best = int(tally.argmax())
        kind = ("lower", "title", "upper")[best]
        if best and tally[best] >= MIN_ROW_SHARE * tally.sum():
            forms[word] = [written_as(word, kind), 0, 0]
        else:
            known.add(word)
            kind = "lower"
        from_rows[kind] += 1
    for lower, seen in sorted(pairs.items()):
        total = sum(seen.values())
        form, n = min(seen.items(), key=lambda kv: (-kv[1], kv[0] != lower, kv[0]))
        composed = " ".join(str(forms[w][0]) if w in forms else w for w in lower.split())
        # a name of two words: both capitalised, and not a shouted pair ("AGAIN ALSO")
        named = all(w[0].isupper() for w in form.split()) and shape(form.replace(" ", "")) != "upper"
        if total >= MIN_PAIR and form != composed and named:
            forms[lower] = [form, n, total]
    stats = {
        "words_seen": len(anywhere),
        "pairs_stored": sum(1 for w in forms if " " in w),
        "tokens_seen": sum(sum(c.values()) for c in anywhere.values()),
        "seen_written_not_lower": sum(1 for w in anywhere if w in forms),
        **{f"vector_words_{kind}": n for kind, n in sorted(from_rows.items())},
    }
    return forms, sorted(known), stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/polnear"))
    parser.add_argument("--out", type=Path, default=Path("watchfloor/data/truecase"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    files = source_files(args.data)
    if not files:
        print(f"no texts under {args.data / 'train' / 'text'}", file=sys.stderr)
        return 1
    forms, known, stats = learn(files, *vector_rows())
    spec = {
        "training": {
            "command": COMMAND,
            "data": "PolNeAR train texts (840 articles, cased as published); dev never read",
            "files": len(files),
            "data_sha256": data_digest(files),
            "vectors": "md model (en_core_web_md 3.8.0) vector keys, lower-case alphabetic ones",
            "neighbour_rows": NEIGHBOURS,
            "min_pair": MIN_PAIR,
            "min_seen": MIN_SEEN,
            "min_row_share": MIN_ROW_SHARE,
            **stats,
        },
        "forms": dict(sorted(forms.items())),
        "known": known,
    }
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"), indent=0) + "\n"
    raw = gzip.compress(text.encode(), compresslevel=9, mtime=0)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "table.json.gz"
    path.write_bytes(raw)
    sha = hashlib.sha256(raw).hexdigest()
    print(json.dumps(spec["training"], indent=1))
    print(f"wrote {path} ({len(raw) / 1e6:.2f} MB, sha256 {sha}) in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
