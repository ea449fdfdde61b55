"""Synthetic corpus for scale tests: N plain-text news articles (800-2,000 words) with known facts.

Run: ``python benchmarks/make_corpus.py N OUT_DIR [--seed S]`` writes ``article-000001.txt`` … and
``truth.jsonl`` (one line per article: its attack with date, place, perpetrator, killed and wounded, the
experts' forecasts and the alliance/hostility statements it makes), so counts can be checked at any size.

Article ``i`` depends only on the seed and ``i``: the first 1,000 articles of a 50,000-article corpus are
the 1,000-article corpus. Text is assembled from fragments in ``benchmarks/data/corpus_fragments.yaml``
(real group names as the gazetteer spells them; fictional people and institutions); filler sentences are
combined from opener, core and tail so that articles do not look like near-duplicates of each other.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data" / "corpus_fragments.yaml"
MIN_WORDS, MAX_WORDS = 800, 2000
FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2025, 12, 31)  # publication dates


def load_fragments(path: Path = DATA) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def words(text: str) -> int:
    return len(text.split())


@dataclass
class Article:
    """One generated article and what it states."""

    text: str
    truth: dict[str, Any] = field(default_factory=dict)


def _day_phrase(rng: random.Random, day: date) -> str:
    return f"on {day.strftime('%A')}" if rng.random() < 0.6 else f"on {day.strftime('%B')} {day.day}"


def _fill(template: str, slots: dict[str, Any]) -> str:
    text = template.format(**slots)
    return text[0].upper() + text[1:]


class Generator:
    """Builds article ``i`` of the corpus for a seed."""

    def __init__(self, fragments: dict[str, Any], seed: int) -> None:
        self.f = fragments
        self.seed = seed

    def person(self, rng: random.Random) -> dict[str, str]:
        people = self.f["people"]
        return {"expert": f"{rng.choice(people['first'])} {rng.choice(people['last'])}",
                "role": rng.choice(people["roles"]), "institution": rng.choice(people["institutions"])}  # fmt: skip

    def filler_sentence(self, rng: random.Random, slots: dict[str, Any]) -> str:
        parts = self.f["filler"]
        template = " ".join(rng.choice(parts[k]) for k in ("openers", "subjects", "predicates")) + rng.choice(
            parts["tails"]
        )
        fresh = {"number": rng.randint(2, 40), "month": date(2000, rng.randint(1, 12), 1).strftime("%B"),
                 "year0": rng.randint(2015, 2020)}  # fmt: skip
        return _fill(template, {**slots, **fresh})

    def article(self, i: int) -> Article:
        rng = random.Random(f"{self.seed}:{i}")
        f = self.f
        group = rng.choice(f["groups"])
        region_name = rng.choice(group["regions"])
        region = f["regions"][region_name]
        where = rng.choice(region["places"])
        published = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
        attacked = published - timedelta(days=rng.randint(1, 6))
        kind = rng.choice(["bombing", "armed_assault"])
        killed = rng.randint(3, 45)
        wounded = rng.randint(1, killed * 3)
        lead_index = rng.randrange(len(f["attack_leads"][kind]))
        lead = f["attack_leads"][kind][lead_index]
        slots: dict[str, Any] = {
            "group": group["name"], "group_short": group["short"], "place": where["city"],
            "province": where["province"], "country": region["country"], "target": rng.choice(f["targets"][kind]),
            "killed": killed, "wounded": wounded, "day": _day_phrase(rng, attacked),
            "official": rng.choice(region["officials"]),
        }  # fmt: skip
        status = "claimed" if rng.random() < 0.7 else "attributed"
        paragraphs = [
            [_fill(lead, slots), _fill(rng.choice(f["responsibility"][status]), slots)],
            [_fill(s, slots) for s in rng.sample(f["aftermath"]["any"] + f["aftermath"][kind], 3)],
        ]
        claims = []
        for _ in range(rng.choice([1, 1, 2])):
            expert = self.person(rng)
            estimative = rng.choice(f["estimative"])
            horizon = rng.choice(f["horizons"])
            said = {**slots, **expert, "estimative": estimative["words"], "horizon": horizon}
            paragraphs.append([_fill(rng.choice(f["forecasts"]), said), _fill(rng.choice(f["assessments"]), said)])
            claims.append({"speaker": expert["expert"], "role": expert["role"], "institution": expert["institution"],
                           "subject": group["name"], "estimative": estimative["words"], "band": estimative["band"],
                           "horizon": horizon})  # fmt: skip
        relations = []
        for predicate, others in (("hostile_to", group["enemies"]), ("allied_with", group["allies"])):
            if others:
                other = rng.choice(others)
                line = rng.choice(f["relations"][predicate])
                paragraphs.append([_fill(line, {**slots, "enemy": other, "ally": other})])
                relations.append({"subject": group["name"], "predicate": predicate, "object": other})
        background = None
        if rng.random() < 0.3:
            other_place = rng.choice(region["places"])
            year, number = rng.randint(2012, published.year - 2), rng.randint(5, 80)
            line = rng.choice(f["background"])
            said = {**slots, "place2": other_place["city"], "year": year, "number": number}
            paragraphs.insert(2, [_fill(line, said)])
            background = {"year": year, "place": other_place["city"], "killed": number}
        noun = rng.choice(f["attack_nouns"][kind])
        title = _fill(rng.choice(f["titles"]), {**slots, "attack_noun": noun, "attack_noun_cap": noun.capitalize()})
        dateline = f"{where['city']}, {published.strftime('%B')} {published.day}, {published.year}"
        target = rng.randint(MIN_WORDS + 40, MAX_WORDS - 40)
        body = self._pad(rng, paragraphs, slots, target - words(title) - words(dateline))
        text = "\n\n".join([title, dateline, *(" ".join(p) for p in body)]) + "\n"
        truth = {
            "index": i, "title": title, "published": published.isoformat(), "words": words(text),
            "attack": {"date": attacked.isoformat(), "day_text": slots["day"], "place": where["city"],
                       "province": where["province"], "country": region["country"], "perpetrator": group["name"],
                       "perpetrator_key": group["key"], "perpetrator_status": status, "attack_type": kind,
                       "target": slots["target"], "killed": killed, "wounded": wounded,
                       "at_least": lead.startswith("At least")},
            "background_attack": background, "claims": claims, "relations": relations,
        }  # fmt: skip
        return Article(text, truth)

    def _pad(
        self, rng: random.Random, paragraphs: list[list[str]], slots: dict[str, Any], budget: int
    ) -> list[list[str]]:
        """Insert filler paragraphs (3 to 6 sentences) among the fact paragraphs until ``budget`` words."""
        used = sum(words(s) for p in paragraphs for s in p)
        fillers: list[list[str]] = []
        current: list[str] = []
        size = rng.randint(3, 6)
        while True:
            sentence = self.filler_sentence(rng, slots)
            if used + words(sentence) > budget:
                break
            current.append(sentence)
            used += words(sentence)
            if len(current) == size:
                fillers.append(current)
                current, size = [], rng.randint(3, 6)
        if current:
            fillers.append(current)
        out = paragraphs[:2]  # the news first, then context mixed with the analysis
        rest = paragraphs[2:]
        while rest or fillers:
            if fillers and (not rest or rng.random() < 0.6):
                out.append(fillers.pop(0))
            else:
                out.append(rest.pop(0))
        return out


def make_corpus(n: int, out_dir: Path, seed: int = 7, fragments: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Write ``n`` articles and ``truth.jsonl`` into ``out_dir``; returns the truth records."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = Generator(fragments or load_fragments(), seed)
    truths = []
    with (out_dir / "truth.jsonl").open("w", encoding="utf-8") as manifest:
        for i in range(1, n + 1):
            article = gen.article(i)
            name = f"article-{i:06d}.txt"
            (out_dir / name).write_text(article.text, encoding="utf-8")
            record = {"file": name, **article.truth}
            manifest.write(json.dumps(record, sort_keys=True) + "\n")
            truths.append(record)
    return truths


def summary(truths: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts to check a store against: attacks per perpetrator, killed, claims, relations."""
    per_group: dict[str, int] = {}
    for t in truths:
        per_group[t["attack"]["perpetrator"]] = per_group.get(t["attack"]["perpetrator"], 0) + 1
    return {
        "articles": len(truths),
        "words": sum(t["words"] for t in truths),
        "attacks_by_perpetrator": dict(sorted(per_group.items())),
        "killed": sum(t["attack"]["killed"] for t in truths),
        "claims": sum(len(t["claims"]) for t in truths),
        "relations": sum(len(t["relations"]) for t in truths),
        "background_attacks": sum(1 for t in truths if t["background_attack"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out_dir", type=Path, help="folder for the articles and truth.jsonl")
    parser.add_argument("--seed", type=int, default=7, help="same seed, same corpus (default 7)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    if args.out_dir.exists() and not args.out_dir.is_dir():
        parser.error(f"{args.out_dir} exists and is not a folder")
    truths = make_corpus(args.n, args.out_dir, args.seed)
    print(json.dumps(summary(truths), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
