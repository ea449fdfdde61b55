"""What a forecast predicts and which events bear it out: pure functions, sentences written for these tests."""

from __future__ import annotations

from datetime import date

from watchfloor.extract.forecast import (
    CONTRADICTED,
    EXPIRED,
    OPEN,
    OPEN_NO_HORIZON,
    SUPPORTED,
    EventFacts,
    SpanEntity,
    direction,
    forecast_target,
    resolve_forecast,
)


def _mentions(text: str, *entities: tuple[str, str, str, str, str | None, str | None]) -> list[SpanEntity]:
    """(surface, entity id, kind, scope, country, admin1) -> mentions at the surface's first occurrence."""
    out = []
    for surface, entity, kind, scope, country, admin1 in entities:
        start = text.index(surface)
        out.append(SpanEntity(start, start + len(surface), entity, kind, scope, country, admin1))
    return out


ISKP, TALIBAN, SHABAAB, AQ, US = "1", "2", "3", "4", "5"
KABUL, MOGADISHU, HERAT = "10", "11", "12"


def _event(
    eid: int,
    day: str,
    perpetrator: str | None,
    place: str | None,
    country: str | None,
    event_type: str = "attack",
    attack_type: str | None = "bombing_explosion",
    admin1: str | None = None,
) -> EventFacts:
    return EventFacts(eid, day, event_type, attack_type, perpetrator, place, admin1, country)


KABUL_FORECAST = "The cell led by ISKP will very likely bomb a crowded market in Kabul before the winter."
KABUL_TARGET = forecast_target(
    KABUL_FORECAST,
    _mentions(
        KABUL_FORECAST, ("ISKP", ISKP, "group", "place", None, None), ("Kabul", KABUL, "place", "place", "AF", "AF-KAB")
    ),
    "forecast",
    0.95,
)


def test_the_target_is_read_from_the_span_and_its_linked_mentions() -> None:
    t = KABUL_TARGET
    assert (t.event_type, t.actors, t.places, t.expects) == ("attack", (ISKP,), (KABUL,), True)
    assert t.checkable


def test_supported_only_by_the_predicted_actor_in_the_predicted_place_inside_the_horizon() -> None:
    made, horizon_end, as_of = "2025-03-01", "2025-11-30", date(2026, 1, 1)
    unrelated = [
        _event(1, "2025-05-02", SHABAAB, MOGADISHU, "SO"),  # another group, another country
        _event(2, "2025-05-03", TALIBAN, KABUL, "AF"),  # right place, wrong actor
        _event(3, "2025-05-04", ISKP, HERAT, "AF"),  # right actor, another city
        _event(4, "2025-12-15", ISKP, KABUL, "AF"),  # after the horizon
        _event(5, "2025-02-20", ISKP, KABUL, "AF"),  # before the forecast was made
        _event(6, "2025-06-01", ISKP, KABUL, "AF", event_type="kidnapping", attack_type=None),  # another type
    ]
    found = resolve_forecast(KABUL_TARGET, made, made, horizon_end, as_of, unrelated)
    assert found.status == EXPIRED and found.events == ()
    matching = _event(7, "2025-07-10", ISKP, KABUL, "AF")
    found = resolve_forecast(KABUL_TARGET, made, made, horizon_end, as_of, [*unrelated, matching])
    assert found.status == SUPPORTED and found.events == (7,)
    assert resolve_forecast(KABUL_TARGET, made, made, horizon_end, date(2025, 4, 1), unrelated).status == OPEN


def test_a_place_inside_the_predicted_province_or_country_counts() -> None:
    text = "Analysts expect ISKP to attack Shia mosques in Afghanistan within the next year."
    target = forecast_target(
        text,
        _mentions(
            text,
            ("ISKP", ISKP, "group", "place", None, None),
            ("Afghanistan", "country:AF", "state", "country", "AF", None),
        ),
    )
    assert target.countries == ("AF",) and target.actors == (ISKP,)
    herat = _event(1, "2025-04-01", ISKP, HERAT, "AF", attack_type="armed_assault")
    assert resolve_forecast(target, "2025-01-01", "2025-01-01", "2026-01-01", date(2026, 2, 1), [herat]).status == (
        SUPPORTED
    )
    elsewhere = _event(2, "2025-04-01", ISKP, "99", "PK")
    assert resolve_forecast(target, "2025-01-01", "2025-01-01", "2026-01-01", date(2026, 2, 1), [elsewhere]).status == (
        EXPIRED
    )


def test_a_low_likelihood_forecast_followed_by_the_event_is_contradicted() -> None:
    text = "The likelihood that al-Shabaab carries out a bombing in Mogadishu this year is small."
    target = forecast_target(
        text,
        _mentions(
            text,
            ("al-Shabaab", SHABAAB, "group", "place", None, None),
            ("Mogadishu", MOGADISHU, "place", "place", "SO", None),
        ),
    )
    assert target.expects is False and target.event_type == "attack" and target.actors == (SHABAAB,)
    blast = _event(1, "2025-08-01", SHABAAB, MOGADISHU, "SO")
    found = resolve_forecast(target, "2025-02-01", "2025-02-01", "2025-12-31", date(2026, 1, 5), [blast])
    assert found.status == CONTRADICTED and found.events == (1,)
    # ... and when nothing happened, it is not "supported" by the absence either: its horizon simply passed.
    assert resolve_forecast(target, "2025-02-01", "2025-02-01", "2025-12-31", date(2026, 1, 5), []).status == EXPIRED


def test_a_cooperation_forecast_is_not_borne_out_by_an_unrelated_attack() -> None:
    text = "The likelihood that the Taliban and al-Qaeda cooperate against the United States is small."
    target = forecast_target(
        text,
        _mentions(
            text,
            ("Taliban", TALIBAN, "group", "place", None, None),
            ("al-Qaeda", AQ, "group", "place", None, None),
            ("United States", US, "state", "country", "US", None),
        ),
    )
    assert target.expects is False and target.event_type is None and not target.checkable
    attack = _event(1, "2025-03-01", TALIBAN, KABUL, "AF")
    found = resolve_forecast(target, "2025-01-01", "2025-01-01", "2025-12-31", date(2025, 6, 1), [attack])
    assert found.status == OPEN and found.events == ()


def test_no_horizon_stays_open_whatever_happens() -> None:
    text = "ISKP will strike Kabul again."
    target = forecast_target(
        text,
        _mentions(text, ("ISKP", ISKP, "group", "place", None, None), ("Kabul", KABUL, "place", "place", "AF", None)),
    )
    hit = _event(1, "2025-05-01", ISKP, KABUL, "AF")
    for as_of in (date(2025, 6, 1), date(2030, 1, 1)):
        assert resolve_forecast(target, "2025-01-01", None, None, as_of, [hit]).status == OPEN_NO_HORIZON


def test_targets_are_not_mistaken_for_perpetrators() -> None:
    text = "ISKP is expected to attack the Taliban in Herat within months."
    target = forecast_target(
        text,
        _mentions(
            text, ("ISKP", ISKP, "group", "place", None, None), ("Taliban", TALIBAN, "group", "place", None, None)
        ),
    )
    assert target.actors == (ISKP,)
    text = "A new offensive against the Taliban by ISKP is likely this spring."
    target = forecast_target(
        text,
        _mentions(
            text, ("Taliban", TALIBAN, "group", "place", None, None), ("ISKP", ISKP, "group", "place", None, None)
        ),
    )
    assert target.actors == (ISKP,)


def test_direction_reads_negation_and_likelihood() -> None:
    assert direction("The militia will attack the port.") == 1
    assert direction("The militia will not attack the port.") == -1
    assert direction("The militia won't attack the port.") == -1
    assert direction("An attack on the port is unlikely.") == -1
    assert direction("There is little chance of an attack on the port.") == -1
    assert direction("The attack on the port is likely.", band_high=0.8) == 1
    assert direction("The attack on the port is unlikely.", band_high=0.45) == -1
    assert direction("There is no doubt the militia will attack the port.") == 1
    assert direction("An attack on the port cannot be ruled out.") == 1
    assert direction("The raid cannot be left without an answer.") == 1  # two negations cancel
    assert direction("The group denied the raid.", kind="denial") == -1
