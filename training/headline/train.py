"""Train the headline ranker on real pasted pages (trafilatura_eval dev, train part only).

    python -m training.headline.train --data ../shared/eval/article_extraction --out watchfloor/models/headline

Each page is rendered to pasted text (headless Chromium, cached; see ``watchfloor.eval.pasted``);
every headline candidate line is an example, positive when it equals the gold title (case and space
folded, fuzzy ratio ≥ 90). See ``training.ranker`` for the model and what ``model.json`` records.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz

from training.ranker import Examples, train
from watchfloor.eval.pages import _gold_text, _norm_field
from watchfloor.eval.pasted import TRAFILATURA, corpus_dirs, page_part, rendered_pages
from watchfloor.ingest.headline import FEATURES, features, page_context
from watchfloor.ingest.metadata import page_cues

TODAY = date(2026, 12, 4)
COMMAND = "python -m training.headline.train --data ../shared/eval/article_extraction --out watchfloor/models/headline"


def examples(data: Path) -> tuple[Examples, str]:
    html_dir, gt_dir = corpus_dirs(data)[TRAFILATURA]
    ex = Examples([], [], [], 0)
    digest = hashlib.sha256()
    for page_id, text in rendered_pages(html_dir):
        if page_part(page_id) != "train":
            continue
        gold = _norm_field(_gold_text(json.loads((gt_dir / f"{page_id}.json").read_text("utf-8")).get("title")))
        if not gold:
            continue
        ex.pages_total += 1
        lines = [ln for ln in text.splitlines() if ln.strip()]
        cues = page_cues(lines, TODAY)
        ctx = page_context(lines, cues.start, cues.end, cues.meta_lines)
        ys = [int(fuzz.ratio(_norm_field(lines[i]), gold) >= 90) for i in ctx.candidates]
        if not any(ys):
            continue  # the title is not a candidate line of this page: nothing to learn
        for i, y in zip(ctx.candidates, ys, strict=True):
            ex.rows.append(features(lines, i, ctx))
            ex.labels.append(y)
            ex.groups.append(ex.pages_total)
            digest.update(f"{page_id}\t{y}\t{lines[i]}\n".encode())
    return ex, digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/article_extraction"))
    parser.add_argument("--out", type=Path, default=Path("watchfloor/models/headline"))
    args = parser.parse_args(argv)
    ex, sha = examples(args.data)
    spec = train(ex, "headline ranker (pasted text)", COMMAND, FEATURES, args.out, sha)
    print(json.dumps(spec["cv_train"]), spec["training_data"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
