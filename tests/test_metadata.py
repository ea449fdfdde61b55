"""Headline, byline and publication date read from pasted plain text (pages written for these tests)."""

from __future__ import annotations

from datetime import date

import pytest

from watchfloor.ingest.document import build_document
from watchfloor.ingest.metadata import byline, dates_in_line, name_line, person_name, read_plain_metadata
from watchfloor.models import RawInput

TODAY = date(2026, 12, 4)

PASTED = """Home
World
Asia
Opinion
Search
Frontier Ledger
Raids on the border: why the truce keeps failing
By Amina Qureshi
Published 14 March 2025
Security forces and militants have traded fire along the frontier for three weeks, and the
talks that were meant to calm the region have produced little beyond statements of intent.
Officials in the provincial capital said on Thursday that two more posts had been abandoned
after night attacks, and residents described long queues at the remaining crossings.
The truce signed in the autumn was supposed to open markets again, but traders say the roads
remain closed most days and that convoys move only under escort from the paramilitary force.
Most read
Floods cut the highway again
Why the election was delayed
Comments
Jamal 22 March 2025 at 10:14
Nobody here believes the truce will hold.
"""


def test_dates_in_line_reads_many_forms_and_languages() -> None:
    def days(line: str) -> list[str]:
        return [h.day.isoformat() for h in dates_in_line(line, TODAY)]

    assert days("Published 14 March 2025") == ["2025-03-14"]
    assert days("von Redaktion · 18. Oktober 2019") == ["2019-10-18"]
    assert days("Mar. 14, 2025 10:02 am") == ["2025-03-14"]
    assert days("Stand: 04.11.2025, 09:12 Uhr") == ["2025-11-04"]
    assert days("miércoles, 4 de mayo de 2022") == ["2022-05-04"]
    assert days("Ledger04-11-2025") == ["2025-11-04"]
    assert days("2024-02-29") == ["2024-02-29"]
    assert days("31.02.2024 and 1.2.3") == []  # impossible day, version number
    assert days("Planned for 12 May 2031") == []  # after today: never a publication date


def test_byline_takes_the_name_only() -> None:
    assert byline("By Amina Qureshi") == "Amina Qureshi"
    assert byline("von David · 18. Oktober 2019") == "David"
    assert byline("Author: Jean-Luc Martin") == "Jean-Luc Martin"
    assert byline("By the end of the year, the group had lost most of its ground.") is None
    assert byline("By 2027") is None
    assert byline("6. Mai 2022 von Fatima in Kultur") == "Fatima"
    assert byline("Posted 11. April 2018 by Walter von Aachen") == "Walter von Aachen"
    assert byline("Die Zerstörung von Häusern in der Stadt") is None


def test_bylines_drop_the_outlet_and_the_date_word_after_the_name() -> None:
    assert byline("by Samir Haddad , Phys.org") == "Samir Haddad"
    assert byline("By Rana Aziz, CNN") == "Rana Aziz"
    assert byline("Von Lena Vogt vom 3. Februar 2022") == "Lena Vogt"
    assert byline("By Tom Amon on March 3, 2020") == "Tom Amon"
    assert name_line("By Rana Aziz, CNN") == "Rana Aziz"  # a byline is never a name line with "By" in it
    assert name_line("Farid Sultani") == "Farid Sultani"
    assert name_line("Lina Morel | lundi 9 décembre 2019 à 09h08") == "Lina Morel"  # a name and when
    assert name_line("Jon Weber am 24. Januar 2022 um 15:47") == "Jon Weber"
    assert name_line("Nora Blum / Oktober 25 2023") == "Nora Blum"
    assert name_line("Nora Blum | Kultur und Gesellschaft") is None  # more than a date after the name
    assert name_line("Weekly Newsletter") is None and name_line("Andere Cookies") is None  # furniture


def test_a_byline_after_a_date_weekday_time_or_posting_verb() -> None:
    assert byline("Posted on September 21, 2020 by Adi Tzlil") == "Adi Tzlil"
    assert byline("Veröffentlicht am 17. Dezember 2019 von Simon Dückert") == "Simon Dückert"
    assert byline("jeudi 13 juin 2019, par Attac France") == "Attac France"
    assert byline("29. Juni 2017, 23:39 · von Tobi") == "Tobi"
    assert byline("von Alexander Karper  Foto: © GEPA") == "Alexander Karper"  # a photo credit after it
    long_line = "By Ela on 31. October, 2023 | 18 Comments. This post may contain affiliate links and other notes."
    assert byline(long_line) == "Ela"
    assert byline("Die Zerstörung von Häusern in der Stadt") is None  # a noun before "von": no byline
    assert byline("Viele Berichte vom 3. Mai 2020 von Reportern") is None
    assert byline("22. Dezember 201922. Dezember 2019 von Peter Addor") == "Peter Addor"  # two glued stamps


def test_two_date_stamps_glued_by_a_browser_copy_are_two_dates() -> None:
    found = [h.day for h in dates_in_line("28. Juni 201914. Januar 2020", date(2026, 1, 1))]
    assert found == [date(2019, 6, 28), date(2020, 1, 14)]
    found = [h.day for h in dates_in_line("December 22, 2019December 23, 2019", date(2026, 1, 1))]
    assert found == [date(2019, 12, 22), date(2019, 12, 23)]
    assert [h.day for h in dates_in_line("in 2019 12 Mai 2020", date(2026, 1, 1))] == [date(2020, 5, 12)]


def test_a_name_line_next_to_the_date_is_the_author() -> None:
    lines = [
        "Menu",
        "Search",
        "Night raid on the customs post",
        "Farid Sultani",
        "12.01.2025",
        "Gunmen attacked the customs post at the crossing overnight, killing two guards and wounding a clerk.",
        "The crossing was closed for the rest of the day while troops searched the surrounding villages.",
    ]
    meta = read_plain_metadata(lines, TODAY)
    assert meta.title == "Night raid on the customs post"
    assert meta.author == "Farid Sultani"
    assert meta.published is not None and meta.published.date == "2025-01-12"


@pytest.mark.parametrize(
    "menu_line", ["Wirtschaft & Handel", "Das Wichtigste", "Travel, Amerika", "Main Blog Politics"]
)
def test_a_menu_line_next_to_the_date_is_no_author(menu_line: str) -> None:
    lines = [
        "Menu",
        "Night raid on the customs post",
        menu_line,
        "12.01.2025",
        "Gunmen attacked the customs post at the crossing overnight, killing two guards and wounding a clerk.",
        "The crossing was closed for the rest of the day while troops searched the surrounding villages.",
    ]
    assert name_line(menu_line) is not None  # it looks like a name line...
    assert read_plain_metadata(lines, TODAY).author is None  # ...but reads as no person
    # a credit line ("By …") is taken as written, even for a desk
    assert read_plain_metadata([*lines[:2], f"By {menu_line}", *lines[3:]], TODAY).author == menu_line


def test_person_name_reads_people_and_not_headings() -> None:
    assert person_name("Farid Sultani") and person_name("Lina Morel and Jon Weber")
    assert not person_name("Products & Services") and not person_name("In Aktion")
    assert not person_name("Published")  # a lone word is no person's name


def test_pasted_page_metadata_comes_from_the_lines_around_the_headline() -> None:
    lines = [ln for ln in PASTED.splitlines() if ln.strip()]
    meta = read_plain_metadata(lines, TODAY)
    assert meta.title == "Raids on the border: why the truce keeps failing"
    assert meta.author == "Amina Qureshi"
    assert meta.published is not None and meta.published.date == "2025-03-14"  # not the comment's later date
    assert meta.published.method == "published-line"


def test_build_document_uses_the_pasted_metadata_and_drops_its_lines_from_the_text() -> None:
    doc = build_document(RawInput("page.txt", "txt", PASTED.encode()), TODAY)
    assert doc.title == "Raids on the border: why the truce keeps failing"
    assert doc.author == "Amina Qureshi"
    assert doc.published.date == "2025-03-14"
    assert "By Amina Qureshi" not in doc.text
    assert "Security forces and militants" in doc.text
    assert {r.reason for r in doc.removed if r.text.startswith("By Amina")} == {"byline"}


def test_a_date_inside_a_sentence_is_not_taken_as_the_publication_date() -> None:
    text = (
        "Border truce under strain\n\n"
        "Traders in the district still remember how the crossing closed on 3 January 2019 and did not "
        "reopen for almost a year, and many of them fear that the same will happen again this winter.\n"
    )
    doc = build_document(RawInput("page.txt", "txt", text.encode()), TODAY)
    assert doc.published.date is None
    assert doc.published.not_before == "2019-01-03"


def test_rankers_load_and_a_model_of_other_features_is_refused() -> None:
    from watchfloor.ingest import headline, pubdate
    from watchfloor.ingest.ranker import load_ranker

    assert headline.headline_model() is not None, "the shipped headline ranker matches the code's features"
    assert pubdate.pubdate_model() is not None, "the shipped publication-date ranker matches the code's features"
    assert load_ranker("headline", (*headline.FEATURES, "a feature the model never saw")) is None
    assert load_ranker("no-such-model", headline.FEATURES) is None


def test_without_the_rankers_the_hand_rules_still_read_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from watchfloor.ingest import headline, pubdate

    monkeypatch.setattr(headline, "headline_model", lambda: None)
    monkeypatch.setattr(pubdate, "pubdate_model", lambda: None)
    meta = read_plain_metadata([ln for ln in PASTED.splitlines() if ln.strip()], TODAY)
    assert meta.title == "Raids on the border: why the truce keeps failing"
    assert meta.published is not None and meta.published.date == "2025-03-14"


def test_a_masthead_glued_to_its_date_gives_publisher_and_date() -> None:
    text = "Kabul Ledger04-11-2025\n\nTwo rockets struck an empty school in the city overnight, police said.\n"
    doc = build_document(RawInput("page.txt", "txt", text.encode()), TODAY)
    assert doc.published.date == "2025-11-04" and doc.published.method == "header-line"
    assert doc.publisher == "Kabul Ledger"


def test_a_byline_closing_the_article_is_the_author() -> None:
    text = PASTED.replace("By Amina Qureshi\n", "").replace(
        "from the paramilitary force.\n", "from the paramilitary force.\nVon Amina Qureshi\n"
    )
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert read_plain_metadata(lines, TODAY).author == "Amina Qureshi"
    # The commenter below the article is never the author.
    without = [ln for ln in lines if ln != "Von Amina Qureshi"]
    assert read_plain_metadata(without, TODAY).author is None


def test_a_byline_loses_the_handle_after_the_name() -> None:
    assert byline("Por Williams Okafor @wokafor -") == "Williams Okafor"
    assert byline("Erstellt von Andrea Brunner") == "Andrea Brunner"


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("macbacchi28.09.1912:44", "2019-09-28"),  # a forum stamp: two-digit year, time glued on
        ("Arapahoe16.10.1907:34", "2019-10-16"),
        ("am 16.10.2019 um 12:30", "2019-10-16"),
        ("1.2.1907 begann der Bau der Brücke", "1907-02-01"),
    ],
)
def test_a_time_glued_to_a_two_digit_year_is_not_a_century_old_year(line: str, day: str) -> None:
    assert [hit.day.isoformat() for hit in dates_in_line(line, TODAY)] == [day]


FORUM_BODY = [
    "Seit dem Update bekomme ich im Mobilfunknetz keine Verbindung mehr zum Store, im WLAN klappt dagegen alles.",
    "Ich habe die Einstellungen nicht verändert und das Gerät schon zweimal neu gestartet, leider ohne Erfolg.",
    "Hat jemand eine Idee, woran das liegen könnte, oder kennt das Problem und weiß eine Lösung dafür?",
]


def test_a_members_registration_date_is_not_the_posts_date() -> None:
    lines = [
        "Forum › Technik › Kein Netz nach dem Update",
        "Kein Netz nach dem Update",
        "r23",
        "Beiträge: 1626",
        "Registriert: 18.09.2008, 05:56",
        "Beitrag von r23 » 21.01.2009, 05:42",
        *FORUM_BODY,
    ]
    found = read_plain_metadata(lines, TODAY).published
    assert found is not None and found.date == "2009-01-21"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Autor: Rechtsanwalt Sebastian Einbock", "Sebastian Einbock"),
        ("FOCUS-Online-Experte Robin Tschöpe", "Robin Tschöpe"),
        ("Interview: Julia Lauter", "Julia Lauter"),
        ("Von Redakteurin Anna Berg", "Anna Berg"),
        ("By Staff Writer", "Staff Writer"),  # a role alone is the credit there is
    ],
)
def test_a_role_before_the_name_is_not_part_of_it(line: str, name: str) -> None:
    assert name_line(line) == name
