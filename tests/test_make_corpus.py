"""benchmarks/make_corpus.py: a deterministic synthetic corpus whose planted facts the pipeline finds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from benchmarks.make_corpus import MAX_WORDS, MIN_WORDS, load_fragments, make_corpus, words
from watchfloor.workspace import Workspace

ROOT = Path(__file__).parent.parent


def test_the_corpus_is_deterministic_and_article_i_does_not_depend_on_n(tmp_path: Path) -> None:
    fragments = load_fragments()
    first = make_corpus(30, tmp_path / "a", seed=3, fragments=fragments)
    again = make_corpus(30, tmp_path / "b", seed=3, fragments=fragments)
    fewer = make_corpus(4, tmp_path / "c", seed=3, fragments=fragments)
    other = make_corpus(4, tmp_path / "d", seed=4, fragments=fragments)
    assert first == again
    for name in [t["file"] for t in first] + ["truth.jsonl"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert fewer == first[:4]
    assert [(tmp_path / "d" / t["file"]).read_text() for t in other] != [
        (tmp_path / "c" / t["file"]).read_text() for t in fewer
    ]


def test_articles_are_of_real_length_and_varied(tmp_path: Path) -> None:
    truths = make_corpus(40, tmp_path)
    texts = [(tmp_path / t["file"]).read_text(encoding="utf-8") for t in truths]
    lengths = [words(text) for text in texts]
    assert all(MIN_WORDS <= n <= MAX_WORDS for n in lengths), lengths
    assert max(lengths) - min(lengths) > 500  # lengths spread over the range
    assert [t["words"] for t in truths] == lengths
    assert len({t["attack"]["perpetrator"] for t in truths}) >= 6
    assert len({t["attack"]["place"] for t in truths}) >= 12
    assert len({text.split("\n")[0] for text in texts}) >= 30  # titles vary (some headlines recur, as in news)
    for t, text in zip(truths, texts, strict=True):
        assert re.search(rf"\b{t['attack']['killed']} people\b", text) and t["attack"]["place"] in text
        assert all(c["speaker"] in text for c in t["claims"]) and t["published"][:4] in text


def test_ingesting_generated_articles_finds_most_planted_attacks_and_perpetrators(tmp_path: Path) -> None:
    truths = make_corpus(6, tmp_path / "corpus")
    with Workspace(tmp_path / "store.db") as ws:
        report = ws.ingest([str(tmp_path / "corpus" / t["file"]) for t in truths])
        assert report.analysed == 6, report  # none is taken for a near-duplicate of another
        found = {"attack": 0, "perpetrator": 0, "killed": 0}
        for t in truths:
            attack = t["attack"]
            events = ws.repo.conn.execute(
                """SELECT e.date, p.key AS perpetrator, e.killed FROM events e
                   JOIN event_reports r ON r.event_id=e.id JOIN sources s ON s.doc_id=r.doc_id
                   LEFT JOIN entities p ON p.id=e.perpetrator_entity_id
                   WHERE s.source=? AND e.is_background=0""",
                (str(tmp_path / "corpus" / t["file"]),),
            ).fetchall()
            news = [e for e in events if e["date"] == attack["date"]]
            found["attack"] += bool(news)
            found["perpetrator"] += any(e["perpetrator"] == attack["perpetrator_key"] for e in news)
            found["killed"] += any(e["killed"] == attack["killed"] for e in news)
    assert found["attack"] >= 5 and found["perpetrator"] >= 4 and found["killed"] >= 4, found


def test_the_command_line_writes_the_corpus_and_refuses_bad_arguments(tmp_path: Path) -> None:
    script = str(ROOT / "benchmarks" / "make_corpus.py")
    made = subprocess.run([sys.executable, script, "3", str(tmp_path / "out"), "--seed", "5"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert made.returncode == 0 and '"articles": 3' in made.stdout, made.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "article-000001.txt", "article-000002.txt", "article-000003.txt", "truth.jsonl",
    ]  # fmt: skip
    bad = subprocess.run([sys.executable, script, "0", str(tmp_path / "x")], capture_output=True, text=True)
    assert bad.returncode == 2 and "N must be at least 1" in bad.stderr and "Traceback" not in bad.stderr
