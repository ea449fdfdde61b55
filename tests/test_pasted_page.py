"""The common case end to end: an article page copied from a browser as plain text, menus, related
stories, captions and comments included (a page written for this test, tests/data/pasted/)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from watchfloor.workspace import Workspace

PAGE = Path(__file__).parent / "data" / "pasted" / "kunar-wedding-attack.txt"


def test_a_pasted_page_gives_its_own_facts_and_none_from_the_furniture(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    with Workspace(db) as ws:
        report = ws.ingest([str(PAGE)])
        assert report.analysed == 1
        doc = ws.documents(5)[0]
    with sqlite3.connect(db) as conn:
        title, author, published, method, text = conn.execute(
            "SELECT title, author, published, published_method, text FROM documents"
        ).fetchone()
        events = conn.execute("SELECT date, place_text, killed, wounded FROM events WHERE is_background=0").fetchall()
        claims = [r[0] for r in conn.execute("SELECT text FROM claims")]
        names = {r[0] for r in conn.execute("SELECT e.name FROM mentions m JOIN entities e ON e.id=m.entity_id")}
    assert (title, author, published) == (
        "Gunmen kill seven at a wedding hall in Kunar",
        "Samira Ahmadzai",
        "2025-04-11",
    )
    assert method == "published-line" and doc["published"] == "2025-04-11"
    # "on Friday" in an article published on Friday 11 April 2025: the same day.
    assert events == [("2025-04-11", "Kunar", 7, 12)]
    for furniture in ("Jalalabad", "Torkham", "Wali Noori", "nobody is held to account", "All rights reserved"):
        assert furniture not in text, furniture
        assert not any(furniture in c for c in claims), furniture
    assert not any("Noori" in n for n in names)
    assert "the hall had been guarded by only two policemen" in " ".join(claims)
