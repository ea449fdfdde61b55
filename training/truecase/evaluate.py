"""How well the truecasing table restores case on held-apart cased text (PolNeAR dev, never trained on).

    python -m training.truecase.evaluate --data ../shared/eval/polnear

Each dev article is lower-cased, truecased, and compared word by word (``WORD`` matches of the
original) with the original: accuracy over all words, over the words written with a capital
(recall of capitals) and over the lower-case ones; also for a bare baseline that only capitalises
sentence starts, and for the same texts lower-cased with no restoration at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from training.truecase.train import source_files
from watchfloor.nlp.truecase import WORD, capitalised, load_truecase_table, same_length_lower, sentence_start, truecase


def sentence_starts_only(text: str) -> str:
    """The baseline: lower-cased text with a capital initial at each sentence start."""
    out = list(text)
    for m in WORD.finditer(text):
        if sentence_start(text, m.start()):
            out[m.start() : m.end()] = capitalised(m.group(0))
    return "".join(out)


def compare(original: str, restored: str, tally: Counter[str], system: str) -> None:
    for m in WORD.finditer(original):
        gold, got = m.group(0), restored[m.start() : m.end()]
        kind = "lower" if gold == gold.lower() else "capitalised"
        tally[f"{system}|all|n"] += 1
        tally[f"{system}|{kind}|n"] += 1
        if gold == got:
            tally[f"{system}|all|ok"] += 1
            tally[f"{system}|{kind}|ok"] += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/polnear"))
    parser.add_argument("--split", default="dev")
    args = parser.parse_args(argv)
    table = load_truecase_table()
    tally: Counter[str] = Counter()
    files = source_files(args.data, args.split)
    for path in files:
        original = path.read_text("utf-8")
        lowered = same_length_lower(original)
        compare(original, lowered, tally, "lower-cased, no restoration")
        compare(original, sentence_starts_only(lowered), tally, "baseline: sentence starts")
        compare(original, truecase(lowered, table), tally, "truecase table")
        compare(original, truecase(original.upper(), table), tally, "truecase table, from ALL CAPS")
    result: dict[str, dict[str, object]] = {}
    for system in dict.fromkeys(k.split("|")[0] for k in tally):
        result[system] = {}
        for kind in ("all", "capitalised", "lower"):
            ok, n = tally[f"{system}|{kind}|ok"], tally[f"{system}|{kind}|n"]
            result[system][kind] = f"{100 * ok / n:.1f}% of {n}"
    print(json.dumps({"articles": len(files), "split": args.split, "word accuracy": result}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
