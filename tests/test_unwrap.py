"""Hard-wrapped plain text (wire archives, e-mails) is joined back into paragraphs; other text is not."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.conftest import invoke_cli
from watchfloor.ingest.document import build_document
from watchfloor.ingest.unwrap import join_lines, wrap_width
from watchfloor.models import RawInput

# Written for this test, in the style of a 1990s agency wire: capitals, a day-first dateline, lines cut at
# about 68 characters, paragraphs separated by a blank line.
WIRE = """QUETTA, 14 MAR 96 (PNA) -- [TEXT] A BOMB HIDDEN IN A FRUIT CART
EXPLODED TODAY NEAR THE MAIN BUS TERMINAL OF QUETTA, KILLING NINE
PEOPLE AND WOUNDING 23 OTHERS, A SENIOR POLICE OFFICIAL SAID.

   THE OFFICIAL SAID THE DEVICE WAS SET OFF BY A TIMER SHORTLY AFTER
THE MORNING BUSES FROM KARACHI HAD ARRIVED.  NO GROUP HAS SO FAR
CLAIMED RESPONSIBILITY FOR THE ATTACK.

   THE PROVINCIAL GOVERNMENT ANNOUNCED THREE DAYS OF MOURNING.
"""


def test_a_hard_wrapped_wire_is_joined_into_paragraphs() -> None:
    doc = build_document(RawInput("wire.txt", "txt", WIRE.encode()), date(2024, 1, 1))
    paragraphs = doc.text.split("\n\n")
    assert len(paragraphs) == 3, paragraphs
    assert "FRUIT CART EXPLODED TODAY NEAR THE MAIN BUS TERMINAL OF QUETTA, KILLING NINE PEOPLE" in paragraphs[0]
    assert paragraphs[2] == "THE PROVINCIAL GOVERNMENT ANNOUNCED THREE DAYS OF MOURNING."
    assert doc.published.date == "1996-03-14"


def test_lines_of_a_pasted_page_stay_paragraphs() -> None:
    lines = [
        "Home",
        "World",
        "A bomb hidden in a fruit cart exploded near the main bus terminal of Quetta on Thursday, killing "
        "nine people and wounding 23, a senior police official said.",
        "The official said the device was set off by a timer shortly after the morning buses arrived.",
        "Share this article",
    ]
    runs_on = [True] * (len(lines) - 1) + [False]
    assert wrap_width(lines, runs_on) is None
    assert join_lines(lines, runs_on).split("\n\n") == lines


def test_a_short_line_inside_a_wrapped_text_still_ends_its_paragraph() -> None:
    body = [
        "THE OFFICIAL SAID THE DEVICE WAS SET OFF BY A TIMER SHORTLY AFTER",
        "THE MORNING BUSES FROM KARACHI HAD ARRIVED AT THE TERMINAL TODAY.",
        "CASUALTIES",
        "NINE PEOPLE WERE KILLED AND 23 WOUNDED IN THE BLAST AT THE TERMINAL,",
        "THE POLICE SAID, ADDING THAT SEVERAL SHOPS NEARBY WERE DESTROYED.",
    ]
    assert join_lines(body, [True, True, True, True, False]).split("\n\n") == [
        body[0] + " " + body[1] + " " + body[2],
        body[3] + " " + body[4],
    ]


def test_an_all_caps_wire_is_parsed_truecased_and_stored_as_written(tmp_path: Path) -> None:
    import sqlite3

    (tmp_path / "wire.txt").write_text(WIRE, "utf-8")
    db = tmp_path / "store.db"
    assert invoke_cli("ingest", str(tmp_path / "wire.txt"), "--db", str(db), "-q").returncode == 0
    with sqlite3.connect(db) as conn:
        text = conn.execute("SELECT text FROM documents").fetchone()[0]
        events = conn.execute("SELECT killed, wounded, date FROM events WHERE event_type = 'attack'").fetchall()
        places = {r[0] for r in conn.execute("SELECT text FROM mentions WHERE label = 'GPE'")}
    assert text.isupper()  # the stored text is the wire as written; only the parser saw it truecased
    assert events == [(9, 23, "1996-03-14")]
    assert "QUETTA" in places


def test_the_dateline_gives_its_country_to_an_event_that_names_no_place(tmp_path: Path) -> None:
    import sqlite3

    wire = (
        "LIMA, 25 OCT 89 (EFE) -- [TEXT] POLICE HAVE REPORTED THAT TERRORISTS TONIGHT BOMBED TWO FOREIGN\n"
        "EMBASSIES.  THE BOMBS CAUSED DAMAGE BUT NO INJURIES, A POLICE SPOKESMAN TOLD REPORTERS LATE TONIGHT.\n"
    )
    (tmp_path / "lima.txt").write_text(wire, "utf-8")
    plain = "Terrorists bombed two foreign embassies, killing two guards, police said on the radio."
    (tmp_path / "plain.txt").write_text(plain, "utf-8")
    db = tmp_path / "store.db"
    assert invoke_cli("ingest", str(tmp_path), "--db", str(db), "-q").returncode == 0
    with sqlite3.connect(db) as conn:
        rows = dict(
            conn.execute(
                "SELECT substr(d.source, -8), ev.country FROM events ev JOIN event_reports r ON r.event_id = ev.id "
                "JOIN documents d ON d.id = r.doc_id WHERE ev.event_type = 'attack'"
            ).fetchall()
        )
    assert rows == {"lima.txt": "PE", "lain.txt": None}
