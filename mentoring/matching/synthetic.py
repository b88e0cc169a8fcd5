"""Seeded synthetic pools shaped like the ILN's, for tests, demos and the benchmark.

The country mix is skewed as the ILN's was (Australia about 17 %, the United States 13 %, the
United Kingdom 7 %, then a long tail to 130 countries); every criterion is filled in with
plausible, correlated values; about 30 % of people are returning and have earlier partners;
a few pairs are pinned and a few forbidden. The same ``(n, seed)`` always gives the same pool.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from mentoring.matching import codes
from mentoring.matching.records import Applicant, Rules

_HEAD = [
    "AU",
    "US",
    "GB",
    "CA",
    "NZ",
    "IN",
    "NG",
    "ZA",
    "PH",
    "KE",
    "IE",
    "MY",
    "SG",
    "DE",
    "NL",
    "ES",
    "IT",
    "FR",
    "MX",
    "BR",
    "AR",
    "CO",
    "CL",
    "PE",
    "JP",
    "CN",
    "KR",
    "ID",
    "PK",
    "BD",
    "LK",
    "NP",
    "GH",
    "UG",
    "TZ",
    "ZW",
    "EG",
    "SA",
    "AE",
    "TR",
    "GR",
    "PL",
    "SE",
    "NO",
    "FI",
    "DK",
    "PT",
    "RO",
    "UA",
    "RU",
    "VN",
    "TH",
    "FJ",
    "PG",
]
_TAIL_EXPONENT = 1.1

_OFFSETS: dict[str, tuple[tuple[float, float], ...]] = {
    "AU": ((10.0, 0.55), (9.5, 0.1), (8.0, 0.15), (10.5, 0.2)),
    "US": ((-5.0, 0.5), (-6.0, 0.28), (-7.0, 0.07), (-8.0, 0.15)),
    "CA": ((-5.0, 0.6), (-7.0, 0.15), (-8.0, 0.25)),
    "BR": ((-3.0, 1.0),),
    "RU": ((3.0, 0.8), (7.0, 0.2)),
    "MX": ((-6.0, 1.0),),
    "ID": ((7.0, 0.7), (8.0, 0.3)),
    "IN": ((5.5, 1.0),),
    "LK": ((5.5, 1.0),),
    "NP": ((5.75, 1.0),),
    "NZ": ((12.0, 1.0),),
    "GB": ((0.0, 1.0),),
    "IE": ((0.0, 1.0),),
    "PT": ((0.0, 1.0),),
    "CN": ((8.0, 1.0),),
    "JP": ((9.0, 1.0),),
    "KR": ((9.0, 1.0),),
}
_REGION_OFFSETS = {
    "africa": (0.0, 3.0),
    "northern_america": (-8.0, -4.0),
    "latin_america_caribbean": (-6.0, -3.0),
    "asia": (3.0, 9.0),
    "europe": (1.0, 2.0),
    "oceania": (9.0, 13.0),
}
_LANGUAGES = {
    "es": "ES MX AR CO CL PE VE EC GT CU BO DO HN PY SV NI CR PA UY",
    "pt": "BR PT AO MZ",
    "fr": "FR BE SN CI CM ML BF NE CD MG HT TN MA DZ",
    "de": "DE AT CH LI",
    "it": "IT SM",
    "nl": "NL SR",
    "zh": "CN TW HK MO SG",
    "ja": "JP",
    "ko": "KR",
    "hi": "IN",
    "ur": "PK",
    "bn": "BD",
    "ru": "RU BY KZ KG",
    "uk": "UA",
    "ar": "EG SA AE JO LB IQ SY OM QA KW BH YE LY SD",
    "sw": "KE TZ UG",
    "tr": "TR",
    "el": "GR CY",
    "pl": "PL",
    "sv": "SE",
    "no": "NO",
    "fi": "FI",
    "da": "DK",
    "ro": "RO MD",
    "vi": "VN",
    "th": "TH",
    "ms": "MY BN",
    "id": "ID",
    "tl": "PH",
}
_NATIVE = {
    country: language for language, countries in _LANGUAGES.items() for country in countries.split()
}
_EXTRA_LANGUAGES = ("fr", "es", "de", "zh", "ar", "pt")

_SECTOR_SHARES = (0.40, 0.20, 0.10, 0.10, 0.05, 0.05, 0.03, 0.03, 0.04)
_STAGE_SHARES = (0.10, 0.35, 0.35, 0.20)
_STAGE_YEARS = ((0, 2), (0, 6), (5, 16), (14, 40))
_INTEREST_POPULARITY = 1.0 / (np.arange(len(codes.INTERESTS)) + 3.0) ** 0.7
_SLOT_WEIGHTS = np.array(
    [
        (3.0 if part == "eve" else 2.0 if part == "pm" else 1.0) * (0.5 if day in "sat sun" else 1)
        for day in codes.DAYS
        for part in codes.DAY_PARTS
    ]
)


@dataclass(frozen=True)
class SyntheticPool:
    applicants: list[Applicant]
    rules: Rules


def _countries() -> tuple[list[str], np.ndarray]:
    tail = sorted(set(codes.COUNTRY_REGIONS) - set(_HEAD))
    chosen = (_HEAD + [c for c in tail if c not in {"AQ", "BV", "HM", "GS", "UM", "TF"}])[:130]
    weights = np.empty(len(chosen))
    weights[:3] = (0.17, 0.13, 0.07)
    rest = 1.0 / (np.arange(len(chosen) - 3) + 3.0) ** _TAIL_EXPONENT
    weights[3:] = 0.63 * rest / rest.sum()
    return chosen, weights


def _offset(country: str, rng: np.random.Generator, country_rng: np.random.Generator) -> float:
    choices = _OFFSETS.get(country)
    if choices is None:
        low, high = _REGION_OFFSETS[codes.region_of(country)]
        base = float(np.floor(country_rng.uniform(low, high + 1)))
        return min(base, 14.0)
    values, shares = zip(*choices, strict=True)
    return float(values[rng.choice(len(values), p=np.array(shares) / sum(shares))])


def synthetic_pool(n: int, seed: int = 0) -> SyntheticPool:
    """A pool of ``n`` applicants with ids ``0..n-1`` and its rules, the same for each seed."""
    rng = np.random.default_rng(seed)
    countries, weights = _countries()
    country_rng = np.random.default_rng(12345)
    country_offsets = {c: _offset(c, country_rng, country_rng) for c in countries}
    picked = rng.choice(len(countries), size=n, p=weights)
    sectors = rng.choice(len(codes.SECTORS), size=n, p=_SECTOR_SHARES)
    stages = rng.choice(len(codes.CAREER_STAGES), size=n, p=_STAGE_SHARES)
    interest_p = _INTEREST_POPULARITY / _INTEREST_POPULARITY.sum()
    slot_p = _SLOT_WEIGHTS / _SLOT_WEIGHTS.sum()

    applicants = []
    for k in range(n):
        country = countries[picked[k]]
        sector = codes.SECTORS[sectors[k]]
        stage = codes.CAREER_STAGES[stages[k]]
        low, high = _STAGE_YEARS[stages[k]]
        years = int(rng.integers(low, high + 1))
        offset = country_offsets[country]
        if country in _OFFSETS:
            offset = _offset(country, rng, country_rng)
        languages = set()
        native = _NATIVE.get(country)
        if native and rng.random() < 0.9:
            languages.add(native)
        if rng.random() < 0.15:
            languages.add(_EXTRA_LANGUAGES[rng.integers(len(_EXTRA_LANGUAGES))])
        interests = rng.choice(
            len(codes.INTERESTS), size=int(rng.integers(2, 7)), replace=False, p=interest_p
        )
        slots = rng.choice(len(codes.SLOTS), size=int(rng.integers(3, 11)), replace=False, p=slot_p)
        draw = rng.random()
        if draw < 0.30:
            wants_sector: str | frozenset[str] = "different"
        elif draw < 0.58:
            wants_sector = "same"
        elif draw < 0.85:
            wants_sector = "any"
        else:
            others = [s for s in codes.SECTORS[:4] if s != sector]
            size = int(rng.integers(1, 3))
            wants_sector = frozenset(rng.choice(others, size=size, replace=False).tolist())
        stage_draw = rng.random()
        wants_stage = "same" if stage_draw < 0.3 else "different" if stage_draw < 0.5 else "any"
        regions: frozenset[str] = frozenset()
        if rng.random() < 0.4:
            size = int(rng.integers(1, 3))
            regions = frozenset(rng.choice(codes.REGIONS, size=size, replace=False).tolist())
        applicants.append(
            Applicant(
                id=k,
                country=country,
                sector=sector,
                career_stage=stage,
                years_experience=years,
                utc_offset_hours=offset,
                availability=frozenset(codes.SLOTS[s] for s in slots),
                languages=frozenset(languages),
                interests=frozenset(codes.INTERESTS[i] for i in interests),
                wants_sector=wants_sector,
                wants_career_stage=wants_stage,
                preferred_regions=regions,
                role="librarian",
            )
        )
    return SyntheticPool(applicants, _rules(applicants, rng))


def _rules(applicants: list[Applicant], rng: np.random.Generator) -> Rules:
    n = len(applicants)
    country = [a.country for a in applicants]
    returning = rng.permutation(np.flatnonzero(rng.random(n) < 0.3))
    past: list[tuple[int, int]] = []
    for _ in range(2):
        order = rng.permutation(returning)
        for a, b in zip(order[0::2], order[1::2], strict=False):
            if country[a] != country[b]:
                past.append((int(a), int(b)))
    past.extend((int(a), n + int(k)) for k, a in enumerate(returning[: len(returning) // 4]))
    never = {frozenset(p) for p in past}

    forbidden: list[tuple[int, int]] = []
    while len(forbidden) < n // 200 + 1 and n > 1:
        a, b = (int(x) for x in rng.choice(n, size=2, replace=False))
        if frozenset((a, b)) not in never:
            forbidden.append((a, b))
            never.add(frozenset((a, b)))

    pinned: list[tuple[int, int]] = []
    used: set[int] = set()
    attempts = 0
    while len(pinned) < n // 400 + (1 if n >= 20 else 0) and attempts < 100 * n:
        attempts += 1
        a, b = (int(x) for x in rng.choice(n, size=2, replace=False))
        if a in used or b in used or country[a] == country[b] or frozenset((a, b)) in never:
            continue
        pinned.append((a, b))
        used.update((a, b))
    return Rules(
        pinned=tuple(pinned),
        forbidden=frozenset(map(frozenset, forbidden)),
        past_partners=frozenset(map(frozenset, past)),
    )


def dominant_pool(n: int, seed: int = 0, share: float = 0.6) -> SyntheticPool:
    """:func:`synthetic_pool` with a seeded ``share`` of people moved to one country (AU).

    The country rule then binds: the surplus of that country cannot all be paired. Pins
    the move puts inside one country are dropped.
    """
    pool = synthetic_pool(n, seed)
    moved = np.random.default_rng(seed + 7919).random(n) < share
    applicants = [
        dataclasses.replace(a, country="AU", region=None) if moved[k] else a
        for k, a in enumerate(pool.applicants)
    ]
    country = [a.country for a in applicants]
    rules = pool.rules
    pins = tuple((a, b) for a, b in rules.pinned if country[a] != country[b])
    return SyntheticPool(
        applicants,
        Rules(pinned=pins, forbidden=rules.forbidden, past_partners=rules.past_partners),
    )


def constrained_pool(n: int, seed: int = 0) -> SyntheticPool:
    """:func:`synthetic_pool` with heavy rules: 5 % of people pinned, 20 forbidden pairs each."""
    pool = synthetic_pool(n, seed)
    rng = np.random.default_rng(seed + 104729)
    country = [a.country for a in pool.applicants]
    never = set(pool.rules.never())
    forbidden = set(pool.rules.forbidden)
    base_pins = {frozenset(pin) for pin in pool.rules.pinned}
    for a, b in rng.integers(0, n, size=(10 * n, 2)).tolist():
        if a != b and frozenset((a, b)) not in base_pins:
            forbidden.add(frozenset((a, b)))
    never |= forbidden
    pinned = list(pool.rules.pinned)
    used = {p for pin in pinned for p in pin}
    for a, b in rng.integers(0, n, size=(n, 2)).tolist():
        if len(pinned) >= n // 40:
            break
        if a in used or b in used or a == b or country[a] == country[b]:
            continue
        if frozenset((a, b)) in never:
            continue
        pinned.append((a, b))
        used.update((a, b))
    return SyntheticPool(
        pool.applicants,
        Rules(
            pinned=tuple(pinned),
            forbidden=frozenset(forbidden),
            past_partners=pool.rules.past_partners,
        ),
    )


POOL_KINDS = {
    "realistic": synthetic_pool,
    "dominant": dominant_pool,
    "constrained": constrained_pool,
}
"""The benchmark's kinds of pool, by name."""
