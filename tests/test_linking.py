"""Actor and place linking on text written for these tests, plus the linking gold corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from watchfloor.eval.linking import evaluate
from watchfloor.link.actors import Linker
from watchfloor.link.gazetteer import Gazetteer

LINKING = Path(__file__).parent / "data" / "linking"


def _links(nlp, linker: Linker, text: str) -> dict[str, set[str | None]]:  # type: ignore[no-untyped-def]
    out: dict[str, set[str | None]] = {}
    for m in linker.link(nlp(text)).mentions:
        out.setdefault(m.text, set()).add(m.entity_key)
    return out


def _at(nlp, linker: Linker, text: str, needle: str, nth: int = 1) -> str | None:  # type: ignore[no-untyped-def]
    pos = -1
    for _ in range(nth):
        pos = text.index(needle, pos + 1)
    pos += len(needle) - 1  # the last character: titles such as "Mr." are not part of the name
    for m in linker.link(nlp(text)).mentions:
        if m.start <= pos < m.end:
            return m.entity_key
    return None


def test_all_spellings_of_iskp_are_one_entity(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Islamic State Khorasan Province said it carried out the raid. Officials blamed ISKP for a "
        "second blast, and analysts said IS-K had grown. A commander of ISIS-K was arrested, while "
        "Daesh Khorasan denied losing ground."
    )
    links = _links(nlp, linker, text)
    for alias in ["Islamic State Khorasan Province", "ISKP", "IS-K", "ISIS-K", "Daesh Khorasan"]:
        assert links.get(alias) == {"iskp"}, (alias, links)


def test_father_and_son_are_never_merged(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Ahmad Shah Massoud was killed by two men posing as journalists in September 2001. "
        "Massoud had fought the Soviets for a decade. Twenty years later his son, Ahmad Massoud, "
        "leads the National Resistance Front from exile. Mr. Massoud told supporters in Dushanbe "
        "that the resistance would go on."
    )
    assert _at(nlp, linker, text, "Ahmad Shah Massoud") == "ahmad_shah_massoud"
    assert _at(nlp, linker, text, "Massoud", 2) == "ahmad_shah_massoud"  # "Massoud had fought"
    assert _at(nlp, linker, text, "Ahmad Massoud") == "ahmad_massoud"
    assert _at(nlp, linker, text, "Mr. Massoud") == "ahmad_massoud"


def test_unknown_people_become_entities_and_surnames_corefer(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Gen. Rustam Yuldashev, the commander of the border brigade, said his troops had repelled "
        "the attack. Yuldashev added that reinforcements had arrived. A second officer, Col. Dilshod "
        "Karimov, disputed the account. The general said the dispute would be settled by an inquiry."
    )
    result = linker.link(nlp(text))
    keys = {m.text: m.entity_key for m in result.mentions}
    assert keys["Yuldashev"] == "person:rustam-yuldashev"
    assert any(e.key == "person:rustam-yuldashev" and e.kind == "person" for e in result.entities)
    karimov = [m.entity_key for m in result.mentions if "Karimov" in m.text]
    assert karimov and karimov[0] != "person:rustam-yuldashev"
    general = [m for m in result.mentions if m.text.lower() == "the general"]
    assert general and general[0].entity_key == "person:rustam-yuldashev"
    assert general[0].link_method == "title-coref"


def test_two_people_sharing_a_surname_follow_the_nearest_naming(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Farida Rahimi, a prosecutor in Herat, charged three men on Monday. Her brother, Nasir "
        "Rahimi, is a police officer in Kandahar. Rahimi said the police had no role in the case."
    )
    assert _at(nlp, linker, text, "Rahimi", 3) == _at(nlp, linker, text, "Nasir Rahimi")  # "Rahimi said"
    assert _at(nlp, linker, text, "Farida Rahimi") != _at(nlp, linker, text, "Nasir")


def test_acronym_defined_in_parentheses(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The Northern Highlands Liberation Council (NHLC) claimed the ambush. A spokesman for the "
        "NHLC said more attacks would follow."
    )
    assert _at(nlp, linker, text, "NHLC", 2) == _at(nlp, linker, text, "Northern Highlands")


def test_places_resolve_with_country_and_coordinates(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    text = "A bomb exploded in Jalalabad, the capital of Nangarhar province in eastern Afghanistan."
    result = linker.link(nlp(text))
    by_text = {m.text: m.entity_key for m in result.mentions}
    assert by_text["Jalalabad"] == "geo:1139715"
    place = next(e for e in result.entities if e.key == "geo:1139715")
    assert place.country_code == "AF" and place.latitude is not None and 34 < place.latitude < 35
    province = next(m for m in result.mentions if m.text.startswith("Nangarhar"))
    assert province.entity_key is not None and province.entity_key != "geo:1139715"


def test_ambiguous_place_prefers_the_documents_country(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    # Hyderabad is a large city in India and in Pakistan (Sindh).
    pk = "Police in Karachi and Hyderabad arrested four suspects, Pakistan's interior ministry said."
    india = "Police in Hyderabad and Bengaluru arrested four suspects, India's home ministry said."
    result_pk = {m.text: m.entity_key for m in linker.link(nlp(pk)).mentions}
    result_in = {m.text: m.entity_key for m in linker.link(nlp(india)).mentions}
    assert result_pk["Hyderabad"] != result_in["Hyderabad"]
    places = linker.places.cities["hyderabad"]
    country = {p.key: p.country_code for p in places}
    assert country[result_pk["Hyderabad"]] == "PK"
    assert country[result_in["Hyderabad"]] == "IN"


def _countries(nlp, linker: Linker, text: str) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    """Each mention's text -> the country of the place it was linked to."""
    result = linker.link(nlp(text))
    country = {e.key: e.country_code for e in result.entities}
    return {m.text: country.get(m.entity_key or "") for m in result.mentions}


def test_a_capital_beats_a_small_namesake_in_a_country_named_in_passing(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    # Bogota, New Jersey (8,000 people) and Paris, Texas: the text names the United States once.
    text = "A car bomb exploded in Bogota on Friday, and police in Paris arrested a suspect, U.S. officials said."
    countries = _countries(nlp, linker, text)
    assert countries["Bogota"] == "CO"
    assert countries["Paris"] == "FR"


def test_a_town_resolves_in_the_country_the_documents_other_places_lie_in(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    # No country is named; San Salvador makes El Salvador the document's country, so San Miguel is the
    # Salvadoran city, not San Diego (whose old name it is) nor the Argentine town.
    text = (
        "Rebels attacked an army post in San Salvador overnight. Fighting also spread to San Miguel, where two "
        "soldiers died, and to Usulutan and Santa Ana, the army said."
    )
    assert _countries(nlp, linker, text)["San Miguel"] == "SV"


def test_a_nationality_makes_its_country_the_documents(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    # Neither the country nor its capital is named: "Salvadoran" twice says where La Libertad is (Peru
    # has a region of that name too, and the country named most decides between them).
    text = (
        "Salvadoran troops clashed with rebels in La Libertad on Tuesday. Two Salvadoran soldiers were "
        "wounded, a Peruvian journalist travelling with the unit said."
    )
    assert _countries(nlp, linker, text)["La Libertad"] == "SV"


def test_a_country_named_once_does_not_claim_a_small_namesake(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    # Lido Beach is a hamlet of 3,000 people in New York; here it is Mogadishu's beach.
    text = (
        "Gunmen stormed a restaurant on Lido beach in Mogadishu, Somalia, on Friday. Somali police said al-"
        "Shabaab carried out the attack; US officials condemned it."
    )
    assert _countries(nlp, linker, text).get("Lido beach") is None


def test_a_part_of_a_town_is_the_town(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    # A wire in capitals: the NER takes "Western Medellin" as one name, which the place index does not know.
    from watchfloor.nlp.truecase import for_parser

    text = "MEDELLIN, 3 APR 90 -- THE KIDNAPPING TOOK PLACE IN WESTERN MEDELLIN YESTERDAY, POLICE SAID."
    result = linker.link(nlp(for_parser(text)))
    country = {e.key: e.country_code for e in result.entities}
    western = [m for m in result.mentions if m.text.lower() == "western medellin"]
    assert western and country.get(western[0].entity_key or "") == "CO"


@pytest.mark.parametrize("split,floor", [("dev", 0.85), ("heldout", 0.80)])
def test_linking_gold_accuracy(split: str, floor: float, gazetteer: Gazetteer) -> None:
    folder = LINKING / split
    if not (folder / "gold.jsonl").exists():
        pytest.skip(f"linking gold {split} missing")
    score = evaluate(folder, gazetteer)
    assert score.total >= 50
    assert score.accuracy >= floor, score.errors[:30]


def _key_at(nlp, linker: Linker, text: str, needle: str, as_of: date | None) -> str | None:  # type: ignore[no-untyped-def]
    pos = text.rindex(needle)  # the needle starts with the name
    for m in linker.link(nlp(text), as_of=as_of).mentions:
        if m.start <= pos < m.end:
            return m.entity_key
    return None


SON_AND_FATHER = (
    "Ahmad Massoud leads the resistance from abroad. His father, Ahmad Shah Massoud, fought the Taliban "
    "in the 1990s. Mr. Massoud said the movement would return to Panjshir."
)


def test_a_surname_goes_to_the_namesake_alive_at_the_documents_date(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    # The father was named last, but he died in 2001: a 2024 article's "Mr. Massoud" is the son.
    assert _key_at(nlp, linker, SON_AND_FATHER, "Massoud said", date(2024, 5, 1)) == "ahmad_massoud"
    # In a 1998 article both were alive: the person named most recently, as before.
    assert _key_at(nlp, linker, SON_AND_FATHER, "Massoud said", date(1998, 5, 1)) == "ahmad_shah_massoud"


def test_the_junior_namesake_is_the_living_one_even_without_a_date(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    text = SON_AND_FATHER.replace("Mr. Massoud said", "The junior Massoud said")
    assert _key_at(nlp, linker, text, "Massoud said", None) == "ahmad_massoud"


def test_a_name_after_in_that_the_place_index_knows_is_a_place(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    # spaCy's model reads this "Kunduz" as a person.
    text = "Last Friday a suicide bomber struck a Shia mosque in Kunduz during prayers, killing dozens of people."
    assert _countries(nlp, linker, text)["Kunduz"] == "AF"


def test_a_site_named_after_a_far_away_city_is_not_that_city(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Two car bombs exploded in Mogadishu, Somalia, on Saturday. At Madina hospital, doctors treated dozens "
        "of Somali students."
    )
    assert _countries(nlp, linker, text).get("Madina") != "SA"


def test_a_beach_in_a_somali_story_is_not_a_new_york_hamlet_even_when_the_us_is_named_twice(
    nlp, linker: Linker
) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Gunmen stormed a restaurant on Lido beach in Mogadishu on Friday. Somali police said al-Shabaab carried "
        "out the attack in the Somali capital. US officials condemned it, and the US embassy in Nairobi issued a "
        "travel warning for Somalia and Mogadishu."
    )
    assert _countries(nlp, linker, text).get("Lido beach") is None


@pytest.mark.parametrize(
    "text,phrase,key",
    [
        ("The Islamic State's Khorasan branch claimed the bombing.", "Islamic State's Khorasan branch", "iskp"),
        ("The Sahel province of the Islamic State killed 20.", "Sahel province of the Islamic State", "is_sahel"),
        ("Al-Qaeda's Yemeni affiliate claimed a drone attack.", "Al-Qaeda's Yemeni affiliate", "aqap"),
    ],
)  # fmt: skip
def test_a_branch_named_through_its_parent_is_the_branch(nlp, linker: Linker, text: str, phrase: str, key: str) -> None:  # type: ignore[no-untyped-def]
    mentions = linker.link(nlp(text)).mentions
    found = [(m.text, m.entity_key) for m in mentions if m.label == "ORG"]
    assert found == [(phrase, key)], mentions


def test_a_parent_with_a_branch_noun_but_no_region_stays_the_parent(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    mentions = linker.link(nlp("The Islamic State's newest branch has not claimed anything.")).mentions
    assert [m.entity_key for m in mentions if m.label == "ORG"] == ["islamic_state"], mentions


def test_a_name_the_ner_cut_before_its_last_part_is_one_organisation(nlp, linker: Linker) -> None:  # type: ignore[no-untyped-def]
    mentions = linker.link(nlp("The Investigative Committee of Russia said the gunmen used rifles.")).mentions
    assert [(m.text, m.label) for m in mentions] == [("The Investigative Committee of Russia", "ORG")], mentions
