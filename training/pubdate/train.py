"""Train the publication-date ranker on real pasted pages (trafilatura_eval dev, train part only).

    python -m training.pubdate.train --data ../shared/eval/article_extraction --out watchfloor/models/pubdate

Every complete date on a rendered page is a candidate, positive when it is the gold publication
date. The acceptance threshold is chosen by grouped cross-validation so that one wrong date costs
as much as two right ones (a wrong date misplaces every relative date of the article; none leaves
them honestly unresolved). Train the headline ranker first: the headline is the date's anchor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import date
from pathlib import Path

from training.ranker import Examples, train
from watchfloor.eval.pages import _gold_text
from watchfloor.eval.pasted import TRAFILATURA, corpus_dirs, page_part, rendered_pages
from watchfloor.ingest.metadata import page_cues, stamp_by_rule, title_index
from watchfloor.ingest.pubdate import FEATURES, candidate_features

TODAY = date(2026, 12, 4)
COMMAND = "python -m training.pubdate.train --data ../shared/eval/article_extraction --out watchfloor/models/pubdate"
WRONG_COSTS = 2.0


def examples(data: Path) -> tuple[Examples, str]:
    html_dir, gt_dir = corpus_dirs(data)[TRAFILATURA]
    ex = Examples([], [], [], 0)
    digest = hashlib.sha256()
    for page_id, text in rendered_pages(html_dir):
        if page_part(page_id) != "train":
            continue
        gold = _gold_text(json.loads((gt_dir / f"{page_id}.json").read_text("utf-8")).get("date"))[:10]
        if not gold:
            continue
        ex.pages_total += 1
        lines = [ln for ln in text.splitlines() if ln.strip()]
        cues = page_cues(lines, TODAY)
        if not cues.stamps:
            continue
        found = title_index(lines, cues)
        anchor = found if found is not None else cues.start
        rule = stamp_by_rule(lines, cues, anchor)
        for k, (i, hit) in enumerate(cues.stamps):
            y = int(hit.day.isoformat() == gold)
            ex.rows.append(candidate_features(lines, cues, anchor, k, rule))
            ex.labels.append(y)
            ex.groups.append(ex.pages_total)
            digest.update(f"{page_id}\t{y}\t{i}\t{hit.day}\n".encode())
    return ex, digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/article_extraction"))
    parser.add_argument("--out", type=Path, default=Path("watchfloor/models/pubdate"))
    args = parser.parse_args(argv)
    ex, sha = examples(args.data)
    spec = train(ex, "publication-date ranker (pasted text)", COMMAND, FEATURES, args.out, sha, WRONG_COSTS)
    print(json.dumps(spec["cv_train"]), spec["threshold"], spec["training_data"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
