"""Builders, hypothesis strategies and a brute-force oracle for the matching tests."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from hypothesis import strategies as st

from mentoring.matching import codes
from mentoring.matching.features import encode
from mentoring.matching.hierarchy import Criterion, Hierarchy
from mentoring.matching.records import Applicant, Rules
from mentoring.matching.scoring import criterion_parts, score_pairs

COUNTRIES = ("AU", "US", "GB", "KE", "BR", "IN")


def person(id: int = 0, country: str = "AU", **fields) -> Applicant:
    """An applicant with plain defaults; override any field by keyword."""
    defaults = {
        "sector": "public",
        "career_stage": "mid",
        "years_experience": 10,
        "utc_offset_hours": 0.0,
        "availability": frozenset({"mon-pm", "wed-pm"}),
        "interests": frozenset({"reference", "digital", "data"}),
    }
    return Applicant(id=id, country=country, **{**defaults, **fields})


def _applicant(id: int, draw) -> Applicant:
    wish = draw(
        st.one_of(
            st.sampled_from(codes.WISHES),
            st.frozensets(st.sampled_from(codes.SECTORS[:4]), min_size=1, max_size=2),
        )
    )
    return Applicant(
        id=id,
        country=draw(st.sampled_from(COUNTRIES)),
        sector=draw(st.sampled_from(codes.SECTORS[:5])),
        career_stage=draw(st.sampled_from(codes.CAREER_STAGES)),
        years_experience=draw(st.integers(0, 35)),
        utc_offset_hours=draw(st.sampled_from((-8.0, -5.0, 0.0, 1.0, 5.5, 8.0, 10.0, 12.0))),
        availability=draw(st.frozensets(st.sampled_from(codes.SLOTS), max_size=6)),
        languages=draw(st.frozensets(st.sampled_from(("en", "es", "fr", "zh")), max_size=2)),
        interests=draw(st.frozensets(st.sampled_from(codes.INTERESTS[:8]), max_size=4)),
        wants_sector=wish,
        wants_career_stage=draw(st.sampled_from(codes.WISHES)),
        preferred_regions=draw(st.frozensets(st.sampled_from(codes.REGIONS), max_size=2)),
    )


@st.composite
def pools(draw, min_size: int = 0, max_size: int = 10) -> list[Applicant]:
    size = draw(st.integers(min_size, max_size))
    return [_applicant(k, draw) for k in range(size)]


@st.composite
def pools_with_rules(draw, min_size: int = 0, max_size: int = 10) -> tuple[list, Rules]:
    """A pool, and rules whose pins are valid (different countries, not forbidden)."""
    pool = draw(pools(min_size, max_size))
    ids = [a.id for a in pool]
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] != p[1])
    forbidden = draw(st.lists(pairs, max_size=4)) if len(ids) > 1 else []
    past = draw(st.lists(pairs, max_size=4)) if len(ids) > 1 else []
    past.append((ids[0] if ids else 0, 10_000))  # someone from an earlier round
    never = {frozenset(p) for p in forbidden + past}
    country = {a.id: a.country for a in pool}
    pinned, used = [], set()
    for a, b in draw(st.lists(pairs, max_size=2)) if len(ids) > 1 else []:
        if a in used or b in used or country[a] == country[b] or frozenset((a, b)) in never:
            continue
        pinned.append((a, b))
        used.update((a, b))
    return pool, Rules(pinned=tuple(pinned), forbidden=forbidden, past_partners=past)


def allowed_scores(
    pool: Sequence[Applicant], hierarchy: Hierarchy, rules: Rules
) -> dict[tuple[int, int], int]:
    """Every allowed pair ``(i, j)``, ``i < j`` (positions), with its score in tenths."""
    features = encode(pool)
    n = len(pool)
    i, j = np.triu_indices(n, 1)
    scores = np.rint(score_pairs(features, hierarchy, i, j) * 10).astype(int)
    broken = np.zeros(i.size, bool)
    for criterion in hierarchy.hard:
        broken |= criterion_parts(features, Criterion(criterion), 0, i, j)[1]
    never = rules.never()
    result = {}
    for k in range(i.size):
        a, b = pool[i[k]], pool[j[k]]
        if a.country == b.country or broken[k] or frozenset((a.id, b.id)) in never:
            continue
        result[(int(i[k]), int(j[k]))] = int(scores[k])
    return result


def optimum(
    pool: Sequence[Applicant], hierarchy: Hierarchy, rules: Rules, most_pairs_first: bool = True
) -> tuple[int, int]:
    """Brute force: the most pairs, then the highest total (tenths), pins kept.

    With ``most_pairs_first=False``: the highest total of any matching, and its pairs.
    """
    position = {a.id: k for k, a in enumerate(pool)}
    edges = allowed_scores(pool, hierarchy, rules)
    pinned = {position[p] for pin in rules.pinned for p in pin}
    features = encode(pool)
    pin_total = 0
    for a, b in rules.pinned:
        pin_total += round(score_pairs(features, hierarchy, [position[a]], [position[b]])[0] * 10)
    free = [k for k in range(len(pool)) if k not in pinned]

    @cache
    def best(mask: int) -> tuple[int, int]:
        if mask == 0:
            return 0, 0
        first = (mask & -mask).bit_length() - 1
        rest = mask & ~(1 << first)
        result = best(rest)
        for other in range(len(pool)):
            pair = (min(first, other), max(first, other))
            if rest >> other & 1 and pair in edges:
                count, total = best(rest & ~(1 << other))
                candidate = (count + 1, total + edges[pair])
                if most_pairs_first:
                    result = max(result, candidate)
                elif candidate[::-1] > result[::-1]:
                    result = candidate
        return result

    count, total = best(sum(1 << k for k in free))
    return count + len(rules.pinned), total + pin_total


PROFILES = (
    {},
    {"sector": "academic", "wants_sector": "different", "interests": frozenset({"data"})},
    {"career_stage": "early", "years_experience": 2, "wants_career_stage": "different"},
    {"sector": "school", "availability": frozenset({"sat-am"}), "utc_offset_hours": 10.0},
    {"interests": frozenset({"children_youth", "community"}), "languages": frozenset({"es"})},
)
DEGENERATE_HIERARCHIES = (
    Hierarchy(),
    Hierarchy({"sector_wish": 40}),
    Hierarchy({"sector_wish": 40, "region_wish": 7}),
    Hierarchy({"sector_wish": 40, "interests": 25}, hard={"sector_wish"}),
)


@st.composite
def degenerate_pools(draw, min_size: int = 2, max_size: int = 60) -> tuple[list, Rules]:
    """Pools full of ties: few profiles (often one), skewed countries, many forbidden pairs."""
    size = draw(st.integers(min_size, max_size))
    profiles = draw(st.lists(st.sampled_from(PROFILES), min_size=1, max_size=3, unique_by=id))
    dominant = draw(st.sampled_from((0.0, 0.3, 0.6, 0.9)))
    random = draw(st.randoms(use_true_random=False))
    pool = []
    for k in range(size):
        country = "AU" if random.random() < dominant else random.choice(COUNTRIES)
        pool.append(person(k, country, **random.choice(profiles)))
    forbid_share = draw(st.sampled_from((0.0, 0.0, 0.1, 0.5)))
    forbidden = [
        (a, b)
        for a in range(size)
        for b in range(a + 1, size)
        if forbid_share and random.random() < forbid_share
    ]
    return pool, Rules(forbidden=forbidden)
