"""Train the headline ranker on real pasted pages (trafilatura_eval dev, train part only).

    python -m training.headline.train --data ../shared/eval/article_extraction --out watchfloor/models/headline

Each page is rendered to pasted text (headless Chromium, cached; see ``watchfloor.eval.pasted``);
every headline candidate line is an example, positive when it equals the gold title (case and space
folded, fuzzy ratio ≥ 90). See ``training.ranker`` for the model and what ``model.json`` records.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz

from training import ranker
from training.furniture.train import out_of_fold_by_page, page_probabilities
from watchfloor.eval.pages import _norm_field
from watchfloor.ingest.headline import FEATURES, features, page_context
from watchfloor.ingest.metadata import page_cues

TODAY = date(2026, 12, 4)


def examples(data: Path) -> tuple[ranker.Examples, str]:
    ex = ranker.Examples([], [], [], 0)
    digest = hashlib.sha256()
    # The cleaner's P(furniture) of each line as it would be on an unseen page: out of fold.
    furniture = out_of_fold_by_page(data)
    for page_id, lines, gold_title in ranker.gold_pages(data, "title"):
        gold = _norm_field(gold_title)
        ex.pages_total += 1
        probs = page_probabilities(furniture, page_id, len(lines))
        if probs is None:
            continue  # no out-of-fold probabilities for this page (it has no labelled line)
        cues = page_cues(lines, TODAY)
        ctx = page_context(lines, cues.start, cues.end, cues.meta_lines, probs)
        ys = [int(fuzz.ratio(_norm_field(lines[i]), gold) >= 90) for i in ctx.candidates]
        if not any(ys):
            continue  # the title is not a candidate line of this page: nothing to learn
        for i, y in zip(ctx.candidates, ys, strict=True):
            ex.rows.append(features(lines, i, ctx))
            ex.labels.append(y)
            ex.groups.append(ex.pages_total)
            digest.update(f"{page_id}\t{y}\t{lines[i]}\n".encode())
    return ex, digest.hexdigest()


if __name__ == "__main__":
    sys.exit(ranker.main(None, "headline ranker (pasted text)", "headline", examples, FEATURES))
