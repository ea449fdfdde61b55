"""Train the publication-date ranker on real pasted pages (trafilatura_eval dev, train part only).

    python -m training.pubdate.train --data ../shared/eval/article_extraction --out watchfloor/models/pubdate

Every date on a rendered page that could be its stamp is a candidate, positive when it is the gold
publication date. The acceptance threshold is chosen by grouped cross-validation so that one wrong
date costs as much as two right ones (a wrong date misplaces every relative date of the article;
none leaves them honestly unresolved). Train the headline ranker first: the headline anchors dates.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import date
from pathlib import Path

from training import ranker
from training.furniture.train import out_of_fold_by_page, page_probabilities
from watchfloor.ingest.metadata import page_cues, stamp_by_rule, title_index
from watchfloor.ingest.pubdate import FEATURES, candidate_features

TODAY = date(2026, 12, 4)
WRONG_COSTS = 2.0


def examples(data: Path) -> tuple[ranker.Examples, str]:
    ex = ranker.Examples([], [], [], 0)
    digest = hashlib.sha256()
    # The headline anchors the dates; it reads the cleaner's P(furniture), out of fold as on unseen pages.
    furniture = out_of_fold_by_page(data)
    for page_id, lines, gold_date in ranker.gold_pages(data, "date"):
        gold = gold_date[:10]
        ex.pages_total += 1
        cues = page_cues(lines, TODAY)
        if not cues.stamps:
            continue
        found = title_index(lines, cues, page_probabilities(furniture, page_id, len(lines)))
        anchor = found if found is not None else cues.start
        rule = stamp_by_rule(lines, cues, anchor)
        for k, (i, hit) in enumerate(cues.stamps):
            y = int(hit.day.isoformat() == gold)
            ex.rows.append(candidate_features(lines, cues, anchor, k, rule))
            ex.labels.append(y)
            ex.groups.append(ex.pages_total)
            digest.update(f"{page_id}\t{y}\t{i}\t{hit.day}\n".encode())
    return ex, digest.hexdigest()


if __name__ == "__main__":
    sys.exit(ranker.main(None, "publication-date ranker (pasted text)", "pubdate", examples, FEATURES, WRONG_COSTS))
