"""Nationality adjectives and nouns ("Salvadoran", "Afghans") -> the country they name.

From the countryinfo package's country records (field ``demonym``); a word two countries share (British
Indian Ocean Territory's "Indian") goes to the more populous one. Used as document context: a wire that
speaks of "the Salvadoran army" is about El Salvador even when it never names the country.
"""

from __future__ import annotations

from functools import lru_cache

from watchfloor.link.normalize import norm_name


@lru_cache(maxsize=1)
def demonym_countries() -> dict[str, str]:
    """Normalised demonym -> ISO 3166-1 alpha-2 code."""
    from countryinfo import all_countries

    best: dict[str, tuple[int, str]] = {}
    for country in all_countries():
        code = str(country.iso().get("alpha2") or "")
        words = str(country.demonym() or "")
        if not code or not words:
            continue
        population = int(country.population() or 0)
        for word in words.split(","):
            key = norm_name(word)
            if key and (key not in best or population > best[key][0]):
                best[key] = (population, code)
    return {key: code for key, (_, code) in best.items()}


def country_of_demonym(text: str) -> str | None:
    """'Salvadoran' -> 'SV', 'Afghans' -> 'AF'; None for other words."""
    table = demonym_countries()
    key = norm_name(text)
    if key in table:
        return table[key]
    if key.endswith("s") and key[:-1] in table:
        return table[key[:-1]]
    return None
