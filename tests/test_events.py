"""Event extraction on text written for these tests: casualties, dates, perpetrators, background."""

from __future__ import annotations

from datetime import date

import pytest

from watchfloor.extract.casualties import extract_casualties
from watchfloor.extract.events import extract_events
from watchfloor.extract.info import entity_info
from watchfloor.extract.merge import EventKey, same_event, shares_anchor
from watchfloor.extract.numbers import Amount, parse_amount
from watchfloor.link.temporal import resolve
from watchfloor.models import EventRecord

PUBLISHED = date(2024, 3, 24)  # a Sunday


def _events(nlp, linker, gazetteer, text: str, published: date = PUBLISHED) -> list[EventRecord]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    linked = linker.link(doc)
    return extract_events(doc, linked.mentions, published, entity_info(gazetteer, linked.entities))


@pytest.mark.parametrize(
    "text,value,low,high",
    [
        ("at least 40", 40, 40, None),
        ("about 60", 60, None, None),
        ("more than two dozen", None, 25, None),
        ("between 30 and 40", None, 30, 40),
        ("nearly 200", 200, None, 200),
        ("dozens", None, 24, None),
        ("forty-seven", 47, None, None),
    ],
)
def test_amounts(text: str, value: int | None, low: int | None, high: int | None) -> None:
    assert parse_amount(text) == Amount(value, low, high)


@pytest.mark.parametrize(
    "sentence,killed,wounded",
    [
        ("The blast killed 13 US service members and about 170 Afghans.", 183, None),
        ("At least 40 people were killed and more than two dozen wounded.", 40, 25),
        ("The death toll rose to 100 on Tuesday, officials said.", 100, None),
        ("Between 30 and 40 worshippers died in the explosion.", 30, None),
        ("Gunmen stormed the hotel, killing four guards and wounding nine guests.", 4, 9),
        ("The attack left 12 dead, including three attackers, and wounded 30 others.", 12, 30),
        # killed and wounded side by side are two tolls, never one sum
        ("The bombing left at least 48 killed and 67 injured, officials said.", 48, 67),
        ("Gunmen stormed a hotel, leaving 9 people dead and 20 wounded.", 9, 20),
        ("The car bomb killed 92 people and wounded more than 140.", 92, 141),
        # one person killed by a verb of manner with "to death" / "dead"
        ("Angela Guerrero was shot to death in Bogota on Tuesday.", 1, None),
        ("Two national police officers were shot to death in front of a home in western Bogota.", 2, None),
        ("Three men were beaten to death and four were wounded.", 3, 4),
        ("Gunmen shot dead a judge outside the court.", 1, None),
        ("The victim was beaten to death by soldiers.", 1, None),
    ],
)
def test_casualties(nlp, sentence: str, killed: int | None, wounded: int | None) -> None:  # type: ignore[no-untyped-def]
    result = extract_casualties(next(iter(nlp(sentence).sents)))
    got_killed = result.killed and (result.killed.value or result.killed.low)
    got_wounded = result.wounded and (result.wounded.value or result.wounded.low)
    assert (got_killed, got_wounded) == (killed, wounded)


@pytest.mark.parametrize(
    "sentence",
    [
        "A 19-year-old man was arrested in 2023 with $5 million in cash.",
        "The group, which has some 200 fighters, was founded in 2015.",
        "A cell of five men had planned to attack the embassy, police said.",
    ],
)
def test_numbers_that_are_not_casualties(nlp, sentence: str) -> None:  # type: ignore[no-untyped-def]
    result = extract_casualties(next(iter(nlp(sentence).sents)))
    assert result.killed is None and result.wounded is None


def test_dates_resolve_against_publication() -> None:
    assert resolve("on Friday", PUBLISHED).date == "2024-03-22"  # type: ignore[union-attr]
    assert resolve("Oct. 12", PUBLISHED).date == "2023-10-12"  # type: ignore[union-attr]
    assert resolve("last month", PUBLISHED).precision == "month"  # type: ignore[union-attr]
    assert resolve("in March 2024", PUBLISHED).date == "2024-03"  # type: ignore[union-attr]
    assert resolve("four years", PUBLISHED) is None
    assert resolve("that day in 2001", PUBLISHED).date == "2001"  # type: ignore[union-attr]
    assert resolve("that week in September 2001", PUBLISHED).date == "2001-09"  # type: ignore[union-attr]
    assert resolve("between 2019 and 2021", PUBLISHED) is None


def test_reported_attack_with_claim(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A suicide bomber struck a Shia mosque in Kandahar on Friday, killing at least 47 worshippers and "
        "wounding dozens, officials said. Islamic State Khorasan Province claimed responsibility for the "
        "bombing in a statement on its Amaq news agency."
    )
    events = _events(nlp, linker, gazetteer, text)
    assert len(events) == 1
    e = events[0]
    assert (e.event_type, e.attack_type, e.weapon, e.suicide) == ("attack", "bombing_explosion", "suicide_vest", True)
    assert (e.date, e.date_precision) == ("2024-03-22", "day")
    assert e.place_text == "Kandahar" and e.country == "AF"
    assert (e.perpetrator_key, e.perpetrator_status) == ("iskp", "claimed")
    assert (e.killed, e.killed_low) == (47, 47) and e.wounded_low == 24
    assert e.target_type == "religious"
    assert not e.is_background
    assert all(text[s:t] for s, t in e.evidence) and len(e.evidence) == 2


def test_history_is_background_and_threats_are_not_events(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The group has not carried out an attack on the scale of the 9/11 attacks. Officials warned that the "
        "militants could attack the capital within weeks. In 2014, gunmen stormed a school in Peshawar, "
        "killing more than 140 people."
    )
    events = _events(nlp, linker, gazetteer, text)
    assert all(e.is_background for e in events)
    dates = {e.date for e in events}
    assert "2001-09-11" in dates and "2014" in dates
    assert not any("could attack" in text[s:t] and e.date is None for e in events for s, t in e.evidence)
    assert len(events) == 2


def test_group_as_source_is_not_the_perpetrator(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "Gunmen killed four police officers at a checkpoint in Peshawar on Sunday, a Taliban official said."
    events = _events(nlp, linker, gazetteer, text)
    assert len(events) == 1 and events[0].perpetrator_key is None and events[0].target_type == "police"


def test_a_later_claim_names_the_perpetrator_of_the_lead_attack(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A car bomb tore through a vegetable market in the town of Kowtal on Saturday, killing 11 shoppers. "
        "Ambulances ferried the wounded to hospitals for hours. "
        "Shopkeepers said the market had reopened only a week earlier. "
        "Al-Shabaab claimed responsibility in a statement on its radio station."
    )
    events = _events(nlp, linker, gazetteer, text)
    assert len(events) == 1
    event = events[0]
    assert event.perpetrator_key == "al_shabaab" and event.perpetrator_status == "claimed"
    claim_start = text.index("Al-Shabaab claimed")
    assert any(s <= claim_start < e for s, e in event.evidence)  # the claim sentence is cited as evidence


def test_an_unknown_village_is_still_the_place_and_its_country_comes_from_the_sentence(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "Gunmen killed 12 villagers in Tassakoro, in Niger's Tillabéri region, on Friday."
    (event,) = _events(nlp, linker, gazetteer, text)
    assert event.place_text == "Tassakoro" and event.place_key is None
    assert event.country == "NE"


def test_the_force_that_carried_out_a_strike_and_says_so_has_claimed_it(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "The Pakistan Army said it killed six militants in a drone strike near Mir Ali on Thursday."
    (event,) = _events(nlp, linker, gazetteer, text)
    assert event.event_type == "air_strike"
    assert event.perpetrator_key == "pakistan_army" and event.perpetrator_status == "claimed"


def test_reports_from_different_articles_merge_only_when_something_concrete_matches() -> None:
    mogadishu = EventKey("attack", "armed_assault", "2024-08-03", "SO", "geo:53654", "al_shabaab", "business")
    vague = EventKey("attack", "armed_assault", "2024-08", None, None, None)  # "in August 2024, gunmen…"
    same_country = EventKey("attack", "armed_assault", "2024-08", "SO", None, None)
    assert same_event(mogadishu, vague, 1)  # nothing contradicts…
    assert not shares_anchor(mogadishu, vague)  # …but nothing ties them either: kept apart across documents
    # the country alone ties nothing either; the country and the same kind of target do
    assert same_event(mogadishu, same_country, 1) and not shares_anchor(mogadishu, same_country)
    hotel = EventKey("attack", "armed_assault", "2024-08", "SO", None, None, "business")
    assert shares_anchor(mogadishu, hotel)
    assert not shares_anchor(mogadishu, EventKey("attack", "armed_assault", "2024-08", "SO", None, None, "unknown"))
    elsewhere = EventKey("attack", "armed_assault", "2024-08", "BF", None, "jnim")
    assert not same_event(mogadishu, elsewhere, 1)


def test_a_later_higher_toll_replaces_the_first_report(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    updated = _events(nlp, linker, gazetteer, "A bomb hit a bus in Peshawar on Sunday, killing 12. "
                      "The death toll later rose to 15, police said.")  # fmt: skip
    assert [e.killed for e in updated] == [15]
    # A later mention of a smaller group is not an update
    subset = _events(nlp, linker, gazetteer, "A bomb hit a bus in Peshawar on Sunday, killing 12 people. "
                     "Two of the 12 were children, police said.")  # fmt: skip
    assert [e.killed for e in subset] == [12]


def test_plural_attackers_who_acted_make_an_event_and_generic_plurals_do_not(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    acted = _events(nlp, linker, gazetteer, "Gunmen and suicide bombers attacked an army camp in Helmand on Friday.")
    assert [e.event_type for e in acted] == ["attack"]
    undated = _events(nlp, linker, gazetteer, "Gunmen and suicide bombers attacked an army camp in Helmand.")
    assert len(undated) == 1 and undated[0].date_method != "text"  # no date in the text
    generic = _events(nlp, linker, gazetteer, "Suicide bombers are a growing threat to the army's camps.")
    assert generic == []


def test_a_day_inside_a_time_expression_dates_the_event(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "On the morning of 1 March 2019, gunmen attacked an army camp in Helmand Province."
    [event] = _events(nlp, linker, gazetteer, text, published=date(2019, 3, 3))
    assert (event.date, event.date_precision, event.date_method) == ("2019-03-01", "day", "text")
    # with no publication date the full date still holds
    [undated] = _events(nlp, linker, gazetteer, text, published=None)  # type: ignore[arg-type]
    assert undated.date == "2019-03-01"


def test_bulleted_entries_without_a_verb_are_not_new_attacks(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    listing = "See also:\n\n* 2007 Bagram Airfield bombing\n\n* 2019 Kabul wedding bombing\n"
    assert _events(nlp, linker, gazetteer, listing) == []
    # a bulleted line that reports an attack with a verb still counts
    told = "* A suicide bomber killed 12 people at a checkpoint in Kabul on Friday."
    assert [e.killed for e in _events(nlp, linker, gazetteer, told)] == [12]


def test_a_day_in_the_possessive_makes_the_bare_word_attack_an_incident(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "The parents of the ringleader of Saturday's attack in Kabul were questioned."
    dated = _events(nlp, linker, gazetteer, text)
    assert [e.event_type for e in dated] == ["attack"]
    # the bare word without a day stays a figure of speech
    assert _events(nlp, linker, gazetteer, "The senator's attack on his rival drew applause.") == []


def test_places_of_nationality_or_office_are_not_where_the_attack_happened(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    citizen = _events(nlp, linker, gazetteer, "A citizen of Kyrgyzstan pleaded not guilty on Wednesday to helping "
                      "the two men accused of the Boston Marathon bombing.")  # fmt: skip
    assert citizen and all(e.place_text != "Kyrgyzstan" for e in citizen)
    office = _events(nlp, linker, gazetteer, "Paris' counterterrorism prosecutor said Friday's explosion wounded "
                     "13 people.")  # fmt: skip
    assert [(e.place_text, e.wounded) for e in office] == [(None, 13)]
    title = _events(nlp, linker, gazetteer, "U.S. Secretary of Defense Ash Carter condemned the suicide bombing "
                    "that killed six soldiers on Monday.")  # fmt: skip
    assert [(e.place_text, e.killed) for e in title] == [(None, 6)]
    hyphen = _events(nlp, linker, gazetteer, "A bomb damaged the Chilean-U.S. Cultural Institute on Friday, "
                     "wounding two guards.")  # fmt: skip
    assert [(e.place_text, e.country, e.wounded) for e in hyphen] == [(None, None, 2)]


def test_a_name_after_city_of_is_a_place_whatever_the_ner_says(nlp, linker) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Police in the city of Lyon were searching for a man after a blast on Friday.")
    [lyon] = [m for m in linker.link(doc).mentions if m.text == "Lyon"]
    assert lyon.label == "GPE" and (lyon.entity_key or "").startswith("geo:")


def test_an_event_told_in_between_does_not_hide_the_incident_a_later_sentence_continues(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A bomb exploded at a vegetable market in Quetta on Monday, killing 12 people.\n"
        "Police arrested two suspects in Karachi on Tuesday.\n"
        "The blast also wounded 30 others, hospital officials said."
    )
    events = _events(nlp, linker, gazetteer, text)
    attacks = [e for e in events if e.event_type == "attack"]
    assert [(e.killed, e.wounded, len(e.evidence)) for e in attacks] == [(12, 30, 2)]
    assert [e.event_type for e in events].count("arrest") == 1


def test_a_later_report_in_the_same_town_continues_the_incident_unless_it_says_another(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    filler = (
        "The hotel is popular with officials and business people.\n"
        "Security in the capital has been tightened in recent months.\n"
        "Shops nearby stayed closed for the rest of the day.\n"
        "Residents said they heard gunfire for about an hour afterwards.\n"
    )
    first = "A car bomb exploded outside a hotel in Mogadishu on Sunday, killing eight people.\n"
    same = _events(nlp, linker, gazetteer, first + filler + "A bomb also wounded 20 people at the gate in Mogadishu.")
    assert [(e.killed, e.wounded) for e in same if e.event_type == "attack"] == [(8, 20)]
    other = _events(nlp, linker, gazetteer, first + filler + "Another bomb wounded 20 people at a market in Mogadishu.")
    assert [(e.killed, e.wounded) for e in other if e.event_type == "attack"] == [(8, None), (None, 20)]


def test_counted_bombs_that_went_off_are_an_incident_not_a_generic_plural(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    told = _events(nlp, linker, gazetteer, "By evening some 21 bombs had gone off in Belfast.")
    assert [(e.event_type, e.place_text) for e in told] == [("attack", "Belfast")]
    assert _events(nlp, linker, gazetteer, "Bombs are a constant danger for shopkeepers in Belfast.") == []


def test_an_accidental_explosion_is_no_attack(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    accident = _events(nlp, linker, gazetteer, "Seven militants were killed in two accidental explosions in Kandahar "
                       "province on Friday night, police said.")  # fmt: skip
    assert [e for e in accident if e.event_type == "attack"] == []
    attack = _events(nlp, linker, gazetteer, "Seven soldiers were killed in two explosions in Kandahar province on "
                     "Friday night, police said.")  # fmt: skip
    assert [e.killed for e in attack if e.event_type == "attack"] == [7]


def test_a_sentence_without_detail_is_evidence_of_the_incident_just_reported(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A car bomb exploded at a bus station in Quetta on Monday, killing 12 people.\n"
        "As the bomb exploded, passengers ran for cover behind the buses."
    )
    [event] = _events(nlp, linker, gazetteer, text)
    assert len(event.evidence) == 2 and event.killed == 12
    # with no incident before it, such a sentence is nothing
    assert _events(nlp, linker, gazetteer, "As the bomb exploded, passengers ran for cover behind the buses.") == []


def test_the_attacks_after_an_incident_is_its_evidence_not_a_generic_plural(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Two bombs exploded at a market in Quetta on Monday, killing 12 people.\n"
        "Thousands left the city after the attacks, residents said."
    )
    [event] = _events(nlp, linker, gazetteer, text)
    assert len(event.evidence) == 2
    assert _events(nlp, linker, gazetteer, "Thousands left the city after the attacks, residents said.") == []
    # a generic plural stays nothing even after an incident
    generic = _events(nlp, linker, gazetteer, text.split("\n")[0] + "\nAttacks on markets are common in the province.")
    assert [len(e.evidence) for e in generic] == [1]


@pytest.mark.parametrize(
    "text,killed,wounded",
    [
        ("Gunmen killed a peasant near the town of Flores on Sunday.", 1, None),
        ("The mayor was assassinated outside his home on Monday.", 1, None),
        ("A commando killed Orlando Letelier and Ronnie Moffit with a car bomb.", 2, None),
        ("A bomb killed four soldiers and wounded a policeman.", 4, 1),
        ("Guerrillas threatened to kill the judge.", None, None),  # a threat is no death
        ("The court ordered an inquiry into the murder of Jecar Neghme, a student leader.", 1, None),
        ("The killing of civilians must stop, the bishop said.", None, None),
        ("Gunmen killed civilians in the market.", None, None),  # a plural without a number says no figure
    ],
)
def test_people_named_one_by_one_as_victims_are_counted(
    nlp, text: str, killed: int | None, wounded: int | None
) -> None:  # type: ignore[no-untyped-def]
    found = extract_casualties(next(iter(nlp(text).sents)))
    assert (found.killed.value if found.killed else None, found.wounded.value if found.wounded else None) == (
        killed,
        wounded,
    )


def test_incidents_introduced_one_by_one_after_a_summary_are_each_their_own(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Police said that during the night militants staged three bomb attacks in Peshawar.\n"
        "A bomb went off outside a girls' school on the ring road.\n"
        "A bomb exploded at a bank branch in the old city shortly after midnight.\n"
        "Police said the attacks were carried out almost at the same time."
    )
    attacks = [e for e in _events(nlp, linker, gazetteer, text) if e.event_type == "attack"]
    assert len(attacks) == 3
    # the plural "the attacks" after them tells more of the summary, not of the bank bombing
    summary = attacks[0]
    assert [text[a:b].split()[-1] for a, b in summary.evidence] == ["Peshawar.", "time."]
    # without the summary the same two sentences are one incident told twice
    told_twice = _events(nlp, linker, gazetteer, "A bomb went off outside a girls' school in Peshawar on Monday.\n"
                         "A bomb exploded at the school gate, police said.")  # fmt: skip
    assert len([e for e in told_twice if e.event_type == "attack"]) == 1


def test_a_report_a_week_later_is_another_incident(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A car bomb destroyed a police station in Kabul on 2 March, killing 11 people.\n"
        "A week later, a truck bomb destroyed the offices of the intelligence service in Kabul, killing 40."
    )
    attacks = [e for e in _events(nlp, linker, gazetteer, text) if e.event_type == "attack"]
    assert [e.killed for e in attacks] == [11, 40]
    assert attacks[1].separate and not attacks[0].separate
    # dated from the incident before it, no finer than the count allows (not the publication day)
    assert [(e.date, e.date_precision) for e in attacks] == [("2024-03-02", "day"), ("2024-03", "month")]
    two_days = _events(nlp, linker, gazetteer, text.replace("A week later", "Two days later"))
    assert [e.date for e in two_days if e.event_type == "attack"] == ["2024-03-02", "2024-03-04"]
    next_day = _events(nlp, linker, gazetteer, text.replace("A week later", "The next day"))
    assert [e.date for e in next_day if e.event_type == "attack"] == ["2024-03-02", "2024-03-03"]
    # "days later" gives no count: the report keeps no date of its own (the publication day stands in)
    vague = _events(nlp, linker, gazetteer, text.replace("A week later", "Days later"))
    assert [e.date_method for e in vague if e.event_type == "attack"] == ["text", "publication"]
    # a definite report "two days later" tells more of the incident before it
    claimed = _events(nlp, linker, gazetteer, text.split("\n")[0] + "\nThe bombing was claimed by the Taliban "
                      "two days later.")  # fmt: skip
    assert [(e.date, e.perpetrator_key) for e in claimed if e.event_type == "attack"] == [("2024-03-02", "taliban")]


def test_a_state_of_siege_an_epithet_and_a_purpose_are_not_attacks(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    assert _events(nlp, linker, gazetteer, "The government decreed a state of siege in San Salvador on Sunday.") == []
    assert _events(nlp, linker, gazetteer, "The hostages were held in Kabul during a siege on Sunday.") != []
    # "to be murdered" is what was planned, not what happened
    planned = _events(nlp, linker, gazetteer, "Jaime Estevez was taken to the Usulutan jail on Monday to be murdered.")
    assert [e for e in planned if e.event_type == "attack"] == []
    # "murderer" as part of a name's title tells no incident
    titled = _events(nlp, linker, gazetteer, "On 4 January three peasants were detained in Ahuachapan by troops "
                     "commanded by murderer Colonel Canas.")  # fmt: skip
    assert [e for e in titled if e.event_type == "attack"] == []


def test_a_place_a_distance_is_measured_from_is_not_the_place(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "Gunmen shot dead a judge on a road 300 km to the west of Bogota on Monday."
    [near] = _events(nlp, linker, gazetteer, text)
    assert near.place_text is None and near.country == "CO"
    [village] = _events(nlp, linker, gazetteer, "In Barranca, a village 180 km from Lima, rebels bombed a radio "
                       "station on Monday.")  # fmt: skip
    assert village.place_text == "Barranca"
    # a toll told in another town is not the last incident's toll
    text = ("Rebels set fire to the offices of the development corporation in Huaraz on Monday but injured no one.\n"
            "One person died when a train was derailed near the town of Jauja.")  # fmt: skip
    [arson] = [e for e in _events(nlp, linker, gazetteer, text) if e.event_type == "attack"]
    assert arson.killed is None


def test_a_site_the_place_index_does_not_know_stands_inside_the_town_named(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "Al-Shabaab gunmen stormed a restaurant on Lido beach in Mogadishu on Friday, killing 20 people."
    [event] = _events(nlp, linker, gazetteer, text)
    assert (event.place_text, event.country) == ("Mogadishu", "SO")


def test_day_words_with_a_clock_time_or_at_night_resolve_to_their_day() -> None:
    assert resolve("last night", PUBLISHED).date == "2024-03-23"  # type: ignore[union-attr]
    assert resolve("last night's", PUBLISHED).date == "2024-03-23"  # type: ignore[union-attr]
    assert resolve("this morning", PUBLISHED).date == "2024-03-24"  # type: ignore[union-attr]
    assert resolve("0115 this morning", PUBLISHED).date == "2024-03-24"  # type: ignore[union-attr]
    assert resolve("10:30 p.m. yesterday", PUBLISHED).date == "2024-03-23"  # type: ignore[union-attr]
    assert resolve("this", PUBLISHED) is None


@pytest.mark.parametrize(
    "text,killed",
    [
        ("The daughter of the ambassador, Nadine Aziz, was almost killed in the shooting.", None),
        ("Two guards were nearly killed when the bomb went off.", None),
        ("Ramon Garcia, 56, was killed when a bomb exploded under his car.", 1),
    ],
)
def test_a_near_miss_kills_no_one_and_an_age_is_no_toll(nlp, text: str, killed: int | None) -> None:  # type: ignore[no-untyped-def]
    found = extract_casualties(next(iter(nlp(text).sents))).killed
    assert (found.value if found is not None else None) == killed


@pytest.mark.parametrize(
    "text,attack_type",
    [
        ("Guerrillas killed a peasant in the town of Flores on Tuesday.", "unknown"),
        ("The rebels burned the mayor's office and two trucks.", "facility_infrastructure_attack"),
        ("Two soldiers were killed by militants near the border on Friday.", "unknown"),
        ("An unknown number of terrorists attacked the civil defense post on Monday.", "unknown"),
    ],
)
def test_a_killing_or_burning_by_an_armed_actor_is_an_attack(
    nlp, linker, gazetteer, text: str, attack_type: str
) -> None:  # type: ignore[no-untyped-def]
    [event] = _events(nlp, linker, gazetteer, text)
    assert (event.event_type, event.attack_type) == ("attack", attack_type)


@pytest.mark.parametrize(
    "text",
    [
        "The flood killed 12 people in Kabul on Tuesday.",
        "A fire destroyed the market in Herat on Monday.",
        "He said the rebels would kill anyone who voted in the election.",
        "The army destroyed a militant hideout in Kunar on Sunday.",
        "The Taliban remain its main enemy; the Taliban have killed or detained many of its commanders since 2021.",
    ],
)
def test_killing_and_destroying_without_an_armed_actor_are_no_attacks(nlp, linker, gazetteer, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [e for e in _events(nlp, linker, gazetteer, text) if e.event_type == "attack"] == []


def test_a_report_dated_days_from_the_one_before_is_another_incident(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A bomb exploded under a car in downtown Kabul, killing the city's attorney general.\n"
        "Guerrillas attacked the home of the vice president in Kabul five days ago with explosives."
    )
    events = _events(nlp, linker, gazetteer, text)
    assert [e.date for e in events] == ["2024-03-24", "2024-03-19"]
    # a report that refers back ("the attack") still continues the first
    text = text.split("\n")[0] + "\nThe attack on Friday also wounded two guards."
    [event] = _events(nlp, linker, gazetteer, text)
    assert len(event.evidence) == 2


def test_a_toll_told_meanwhile_or_in_a_town_described_as_one_is_not_the_last_incidents(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    first = "In Huaraz, terrorists set fire to the offices of the local development corporation on Monday.\n"
    for second in (
        "Meanwhile, four rebels were killed during an armed clash with army troops.",
        "One person died when an ore train was derailed near Oroya, a key mining town.",
    ):
        [event] = _events(nlp, linker, gazetteer, first + second)
        assert (event.killed, len(event.evidence)) == (None, 1), second
    for second in ("One guard died in the fire, police said.", "A third guard was killed by the fire."):
        [event] = _events(nlp, linker, gazetteer, first + second)
        assert event.killed == 1, second


def test_an_armed_actor_expected_to_strike_is_a_forecast_not_an_attack(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "I would expect IS-K to strike another such gathering within the next 12 months."
    assert _events(nlp, linker, gazetteer, text) == []
    [event] = _events(nlp, linker, gazetteer, "IS-K militants struck a rally in Bajaur on Sunday.")
    assert event.event_type == "attack"


def test_a_town_named_after_a_place_left_unresolved_is_another_incident(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    first = "Rebels attacked a coffee estate on the Pacific side of the country, killing a guard.\n"
    other = _events(nlp, linker, gazetteer, first + "Rebels also killed a farmer in the city of Kandahar.")
    assert [e.place_text for e in other if e.event_type == "attack"] == ["Pacific", "Kandahar"]
    # the same town told again refers back to its own incident, and "the attack" still refers back
    same = _events(nlp, linker, gazetteer, first + "The attack in Kandahar also wounded two workers.")
    assert len([e for e in same if e.event_type == "attack"]) == 1


def test_the_headline_and_the_lede_that_dates_it_are_one_incident(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    # The headline's present tense gives no date (it would take the publication date, Sunday 24 March);
    # the lede dates the same bombing to Thursday. Two days apart, yet one incident.
    text = (
        "Suicide bomber kills 14 at Kabul wedding hall\n\n"
        "A suicide bomber blew himself up at a crowded wedding hall in Kabul on Thursday night, killing 14 "
        "people and wounding 30, officials said."
    )
    events = _events(nlp, linker, gazetteer, text)
    assert len(events) == 1
    assert (events[0].date, events[0].killed, events[0].wounded) == ("2024-03-21", 14, 30)


def test_a_first_sentence_with_a_full_stop_is_a_lede_not_a_headline(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    # Without a headline, an undated bombing "today" and one on Monday (six days before) stay two incidents.
    text = (
        "A bomb exploded at a market in Kabul today, killing 3 people.\n\n"
        "On Monday a roadside bomb in Kabul killed 5 soldiers, officials said."
    )
    events = [e for e in _events(nlp, linker, gazetteer, text) if not e.is_background]
    assert len(events) == 2


def test_the_capital_is_the_capital_of_the_country_the_text_is_about(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Two car bombs exploded near the education ministry in the heart of the Somali capital on Sunday, "
        "killing nine people. Somali police said al-Shabaab carried out the attack."
    )
    events = _events(nlp, linker, gazetteer, text)
    assert len(events) == 1
    assert events[0].country == "SO" and events[0].place_text == "capital"
    assert events[0].place_key == "mogadishu"  # the gazetteer's Mogadishu, as when the city is named


@pytest.mark.parametrize(
    "sentence",
    [
        "No group has claimed the bombing, but officials blamed the Taliban.",
        "The Taliban said no group had claimed responsibility for the attack.",
        "The Taliban issued a statement denying any responsibility for the attack.",
    ],
)
def test_a_claim_that_was_not_made_is_not_a_claim(nlp, linker, gazetteer, sentence: str) -> None:  # type: ignore[no-untyped-def]
    text = "A suicide bomber killed 12 people at a mosque in Kandahar on Friday. " + sentence
    events = _events(nlp, linker, gazetteer, text)
    assert events and all(e.perpetrator_status != "claimed" for e in events)


def test_where_someone_comes_from_and_what_is_aimed_at_are_not_where_it_happened(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    arrest = "In July 2023, German and Dutch police arrested seven men from Central Asia accused of forming a cell."
    assert _events(nlp, linker, gazetteer, arrest)[0].place_text != "Central Asia"
    text = (
        "Last Friday a suicide bomber struck a Shia mosque in Kunduz during prayers, killing dozens of people. "
        "The Islamic State claimed that attack, which analysts read as a message aimed at the Taliban and at China."
    )
    events = _events(nlp, linker, gazetteer, text)
    assert [(e.place_text, e.country) for e in events] == [("Kunduz", "AF")]


def test_an_anniversary_story_dates_the_old_attack_and_what_followed_it_to_its_year(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    # Published in 2024: neither the 2001 bombing nor "two days later" is a 2024 event.
    text = (
        "Ahmad Shah Massoud led the resistance in the Panjshir valley. On that day in 2001, two al-Qaeda "
        "operatives posing as journalists detonated explosives hidden in their camera at his base in Khwaja "
        "Bahauddin. Two days later, al-Qaeda hijackers struck New York and Washington."
    )
    events = _events(nlp, linker, gazetteer, text)
    assert [(e.date, e.date_precision, e.is_background) for e in events] == [("2001", "year", True)] * 2


def test_a_country_that_carried_out_strikes_is_not_where_they_fell(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    # The NER tags neither "Barmal" nor "Paktika"; the district words make them places.
    text = "Pakistan's airstrikes on the Barmal district of Afghanistan's Paktika province killed 46 people on Tuesday."
    events = _events(nlp, linker, gazetteer, text)
    assert [(e.place_text, e.country) for e in events] == [("Barmal district", "AF")]
    us = _events(nlp, linker, gazetteer, "US airstrikes killed 12 al-Shabaab fighters near Jilib, Somalia, on Monday.")
    assert us and us[0].country == "SO"


def test_a_timeline_entry_takes_the_date_that_opens_its_line(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Timeline\n\n"
        "- Dec. 16, 2014 — TTP gunmen kill more than 140 people at the Army Public School in Peshawar.\n"
        "- Aug. 15, 2021 — Taliban take Kabul.\n"
        "- Jan. 30, 2023 — Bombing at the Peshawar Police Lines mosque kills about 100 people, mostly police.\n"
        "- Dec. 21, 2024 — 16 soldiers killed in Makeen, South Waziristan.\n"
    )
    events = _events(nlp, linker, gazetteer, text, published=date(2025, 1, 6))
    assert ("2023-01-30", 100) in [(e.date, e.killed) for e in events]
    assert all(e.date_method != "publication" for e in events)


def test_a_month_this_year_is_that_month_of_the_publication_year() -> None:
    assert resolve("May this year", PUBLISHED).date == "2024-05"  # type: ignore[union-attr]
    assert resolve("March last year", PUBLISHED).date == "2023-03"  # type: ignore[union-attr]


def test_the_day_something_was_said_is_not_the_day_it_happened(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    # Published Sunday 24 March 2024; the stabbing was on Friday the 22nd, reported on Sunday.
    text = (
        "A man is in custody on suspicion of killing three people and wounding eight in a knife attack at a street "
        "festival in Solingen, and federal prosecutors said on Sunday they were investigating a terrorist motive. "
        "The attack happened on Friday evening on a square in the city centre. The mayor spoke of a day of "
        "mourning. Police closed the old town for the night. Witnesses said the attacker stabbed people in the "
        "neck from behind as a band was playing."
    )
    events = _events(nlp, linker, gazetteer, text)
    assert [(e.date, e.killed, e.wounded) for e in events] == [("2024-03-22", 3, 8)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The likelihood of another mass school abduction in northern Nigeria within the next 12 months is high.",
        "A large military operation inside Afghanistan is unlikely in the near term, he said.",
        "Analysts said the group could open fire on pilgrims in Kabul next month.",
    ],
)
def test_a_forecast_is_not_an_event(nlp, linker, gazetteer, sentence: str) -> None:  # type: ignore[no-untyped-def]
    assert _events(nlp, linker, gazetteer, sentence) == []


def test_last_weekend_is_the_saturday_before() -> None:
    # PUBLISHED is Sunday 24 March 2024: "last weekend" is the one before, "over the weekend" this one.
    assert resolve("last weekend", PUBLISHED).date == "2024-03-16"  # type: ignore[union-attr]
    assert resolve("over the weekend", PUBLISHED).date == "2024-03-23"  # type: ignore[union-attr]


def test_a_complex_attack_told_in_parts_is_one_event(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    # A suicide bombing, then gunmen storming in: "the assault", "the gunmen" refer back, and the day a
    # spokesman briefed reporters is not the day of the attack.
    text = (
        "Families on the beach in Mogadishu on Friday, March 22, were trapped when a suicide bomber blew himself "
        "up at the entrance to a restaurant and gunmen stormed in behind him. By the time security forces ended "
        "the assault later that night, at least 32 civilians were dead, according to a police spokesman who "
        "briefed reporters on Saturday, March 23. Security forces killed three of the gunmen."
    )
    events = _events(nlp, linker, gazetteer, text)
    assert [(e.date, e.killed) for e in events] == [("2024-03-22", 32)]


def test_a_day_earlier_counts_back_and_keeps_two_incidents_apart(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A roadside bomb struck a police vehicle in Kabul on Tuesday, killing three officers.\n\n"
        "A day earlier, a suicide bomber blew himself up inside a Shia mosque during evening prayers.\n\n"
        "The shooter in last month's attack on a checkpoint in Kandahar was a member of the Pakistani Taliban, "
        "police said."
    )
    events = _events(nlp, linker, gazetteer, text, date(2024, 3, 10))
    dates = sorted(e.date for e in events if e.date)
    assert dates == ["2024-02", "2024-03-04", "2024-03-05"], events
    mosque = next(e for e in events if e.date == "2024-03-04")
    assert mosque.place_text is None  # Kandahar is the checkpoint's town, not the mosque's
    checkpoint = next(e for e in events if e.date == "2024-02")
    assert (checkpoint.perpetrator_key, checkpoint.perpetrator_status) == ("ttp", "attributed")


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen opened fire at a market in Peshawar on Friday, killing six people.\n\n"
        "The attackers, members of the Pakistani Taliban, fled on motorcycles.",
        "A bomb exploded near a school in Quetta on Saturday, wounding four children.\n\n"
        "The bomber was a Pakistani Taliban operative, officials said.",
    ],
)
def test_the_group_the_attackers_belong_to_is_the_perpetrator(nlp, linker, gazetteer, text: str) -> None:  # type: ignore[no-untyped-def]
    (event,) = _events(nlp, linker, gazetteer, text, date(2024, 3, 10))
    assert (event.perpetrator_key, event.perpetrator_status) == ("ttp", "attributed")


def test_a_group_responsible_for_something_else_is_not_the_perpetrator(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A bomb exploded near a school in Quetta on Saturday, wounding four children.\n\n"
        "Officials said the Pakistani Taliban have members in the area."
    )
    (event,) = _events(nlp, linker, gazetteer, text, date(2024, 3, 10))
    assert event.perpetrator_key is None


def test_a_claim_that_something_is_true_is_not_a_claim_of_responsibility(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A suicide bombing in Kabul on Friday killed two embassy staff.\n\n"
        "In its weekly newsletter, ISKP claimed that the Taliban are allied with the United States."
    )
    (event,) = _events(nlp, linker, gazetteer, text, date(2024, 3, 10))
    assert event.perpetrator_key is None and len(event.evidence) == 1


def test_a_group_claiming_a_dated_attack_reports_it_even_with_the_bare_word_attack(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Analysis\n\n"
        "The Islamic State's Khorasan branch claimed the attack on a concert hall near Moscow in March 2024."
    )
    (event,) = _events(nlp, linker, gazetteer, text, date(2024, 6, 1))
    found = (event.perpetrator_key, event.perpetrator_status, event.date, event.country)
    assert found == ("iskp", "claimed", "2024-03", "RU")


def test_a_spokesman_is_not_the_leader_killed_and_a_raid_by_a_group_is_its_attack(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "ISKP fighters were killed in a Taliban raid on a hideout in Nangarhar province on Sunday, "
        "according to a Taliban spokesman."
    )
    (event,) = _events(nlp, linker, gazetteer, text, date(2024, 3, 12))
    assert (event.event_type, event.perpetrator_key, event.date) == ("attack", "taliban", "2024-03-10")
    ambush = "The group's commander was killed in an ambush on Sunday."
    leader = _events(nlp, linker, gazetteer, ambush, date(2024, 3, 12))
    assert [e.event_type for e in leader] == ["leader_killed"]


def test_rockets_a_group_fired_on_a_day_are_its_attack(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "Hezbollah fired 40 rockets at Kiryat Shmona on Tuesday, the Israeli army said."
    (event,) = _events(nlp, linker, gazetteer, text, date(2024, 3, 10))
    assert (event.event_type, event.weapon, event.perpetrator_key, event.date) == (
        "attack",
        "rockets_mortars",
        "hezbollah",
        "2024-03-05",
    )
    assert _events(nlp, linker, gazetteer, "That is rocket fuel on the fire.", date(2024, 3, 10)) == []


def test_a_year_written_before_the_attack_noun_dates_it(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "In a Texas courtroom, the man accused of the 2016 Chelsea bombing in New York was sentenced."
    (event,) = _events(nlp, linker, gazetteer, text, date(2024, 3, 10))
    assert (event.date, event.date_precision, event.is_background) == ("2016", "year", True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Analysts expect the TTP to step up attacks in Khyber Pakhtunkhwa this year.",
        '"We will likely see more high-casualty bombings," said a research fellow in Singapore.',
        "The group could carry out attacks in Peshawar next month, officials warned.",
    ],
)
def test_expected_and_possible_attacks_are_not_events(nlp, linker, gazetteer, sentence: str) -> None:  # type: ignore[no-untyped-def]
    assert _events(nlp, linker, gazetteer, sentence, date(2025, 1, 12)) == []


def test_an_old_incident_takes_the_group_the_next_sentence_blames(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Earlier, on 26 March, a suicide attack on a convoy near Besham killed five Chinese engineers.\n\n"
        "No group claimed the attack, but officials blamed the TTP.\n\n"
        "In August, BLA fighters launched coordinated attacks across Balochistan, killing more than 50 people."
    )
    convoy, coordinated = _events(nlp, linker, gazetteer, text, date(2025, 1, 12))
    assert convoy.is_background and (convoy.perpetrator_key, convoy.perpetrator_status) == ("ttp", "attributed")
    assert (coordinated.perpetrator_key, coordinated.date) == ("bla", "2024-08")


def test_a_month_summary_keeps_dated_incidents_apart_and_references_find_theirs(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Kabul has suffered a string of bombings this month. On 19 April, two explosions at a boys' school in "
        "the Dasht-e-Barchi neighbourhood killed at least six people. On 21 April, a bomb at a Shia mosque in "
        "Mazar-i-Sharif killed 31 worshippers. On 22 April, a blast at a Sufi mosque in Kabul during Friday "
        "prayers killed more than 50 people. On 28 April, two bombs exploded on minibuses in Mazar-i-Sharif, "
        "killing nine people.\n\n"
        "The Islamic State claimed the school attack and the Mazar mosque bombing. The death toll from the Sufi "
        "mosque blast rose to 66 on Saturday, a Taliban official said, with 78 injured."
    )
    events = {e.date: e for e in _events(nlp, linker, gazetteer, text, date(2022, 4, 30))}
    assert sorted(events) == ["2022-04", "2022-04-19", "2022-04-21", "2022-04-22", "2022-04-28"]
    assert events["2022-04-19"].killed == 6  # not the two explosions
    assert events["2022-04-21"].place_text == "Mazar-i-Sharif"
    claimed = sorted(d for d, e in events.items() if e.perpetrator_key == "islamic_state")
    assert claimed == ["2022-04-19", "2022-04-21"]
    assert (events["2022-04-22"].killed, events["2022-04-22"].wounded) == (66, 78)


def test_jets_striking_are_an_air_strike_and_the_strikes_told_again_are_the_same(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A car bomb exploded outside a hotel in Mogadishu on Sunday.\n\n"
        "Pakistani jets struck suspected TTP hideouts in Khost and Paktika provinces on Monday. The strikes killed "
        "eight people, most of them women and children, the Taliban said."
    )
    bombing, strike = _events(nlp, linker, gazetteer, text, date(2024, 3, 8))
    assert (strike.event_type, strike.date, strike.killed, len(strike.evidence)) == ("air_strike", "2024-03-04", 8, 2)
    assert bombing.perpetrator_key is None  # the TTP are the side struck, not a suspect


def test_what_the_attackers_did_next_and_the_day_before_the_source_belong_to_the_kidnap(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Gunmen abducted at least 280 pupils from a school in Kuriga, in Nigeria's Kaduna state, on Thursday, "
        "residents said. The attackers arrived on motorcycles and shot dead a school worker."
    )
    (event,) = _events(nlp, linker, gazetteer, text, date(2024, 3, 8))
    assert (event.event_type, event.date, event.killed, len(event.evidence)) == ("kidnapping", "2024-03-07", 1, 2)


def test_arresting_suspects_linked_to_the_bombing_is_an_arrest_not_another_bombing(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A suicide bomber blew himself up at a wedding hall in Kabul on Saturday, killing 14 people.\n\n"
        "The Taliban's intelligence service said it had arrested three suspects linked to the bombing on Monday."
    )
    events = _events(nlp, linker, gazetteer, text, date(2023, 5, 23))
    assert [(e.event_type, e.date) for e in events] == [("attack", "2023-05-20"), ("arrest", "2023-05-22")]
    assert events[0].perpetrator_key is None  # the suspects' captors are not the bombers


def test_a_timeline_entry_with_a_day_and_a_toll_reports_an_attack_without_a_verb(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Its major attacks since 2021:\n\n"
        "- 3 January 2024: twin bombings at a memorial for Qassem Soleimani in Kerman, Iran; 95 killed.\n"
        "- 22 March 2024: gunmen attack Crocus City Hall near Moscow; 145 killed, more than 550 injured.\n"
    )
    events = _events(nlp, linker, gazetteer, text, date(2024, 4, 2))
    assert [(e.date, e.country, e.killed) for e in events] == [("2024-01-03", "IR", 95), ("2024-03-22", "RU", 145)]


def test_strikes_a_nation_carries_out_are_air_strikes(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "Hamas said Israeli strikes on a school in Nuseirat killed 33 people on Thursday."
    (event,) = _events(nlp, linker, gazetteer, text, date(2024, 6, 10))
    assert (event.event_type, event.killed, event.date) == ("air_strike", 33, "2024-06-06")


def test_attacks_dated_by_a_month_before_the_noun_are_incidents_of_that_month(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "ISKP's September 2022 attack on the Russian embassy in Kabul killed two diplomats. The group was also "
        "behind the August 2021 attack at Kabul airport.\n\n"
        "Since then it has targeted Taliban officials, including the March 2023 assassination of a governor.\n\n"
        "In January 2024, ISKP claimed the twin bombings in Kerman that killed nearly 100 people."
    )
    events = _events(nlp, linker, gazetteer, text, date(2024, 3, 15))
    assert [e.date for e in events] == ["2022-09", "2021-08", "2023-03", "2024-01"]
    assert events[2].perpetrator_key is None  # the next sentence's claim is of its own incident


@pytest.mark.parametrize(
    "text,key",
    [
        ("A suicide bombing at Maelbeek metro station on 22 March 2016, claimed by the Islamic State, in which "
         "32 people were killed.", "islamic_state"),
        ("The Islamic State's West African branch has claimed responsibility for a night-time assault on a prison "
         "in Kuje, that freed hundreds of inmates.\n\nGunmen attacked the Kuje custodial centre late on Tuesday, "
         "using explosives to breach the walls.", "iswap"),
    ],
)  # fmt: skip
def test_claims_with_a_clause_after_them_are_still_claims(nlp, linker, gazetteer, text: str, key: str) -> None:  # type: ignore[no-untyped-def]
    (event,) = _events(nlp, linker, gazetteer, text, date(2022, 7, 8))
    assert (event.perpetrator_key, event.perpetrator_status) == (key, "claimed")


def test_a_condemnation_is_no_claim(nlp, linker, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A suicide bomber struck a rally in Bajaur on Sunday, killing 50 people.\n\n"
        "The TTP, which has carried out dozens of attacks this year, condemned Sunday's bombing."
    )
    (event,) = _events(nlp, linker, gazetteer, text, date(2023, 7, 31))
    assert event.perpetrator_key is None
