"""Why two people were matched, as plain data the Django side can store as JSON and render.

For a pair ``(a, b)`` the reasons are::

    {
        "score": 81.3,
        "criteria": [  # in the hierarchy's order
            {"criterion": "sector_wish", "points": 34.8, "max_points": 34.8},
            {"criterion": "interests", "points": 14.5, "max_points": 21.7},
            ...
        ],
        "wishes": [  # only the wishes someone expressed
            {"who": "a", "criterion": "sector_wish", "wanted": ["academic"], "met": True},
            {"who": "b", "criterion": "career_stage_wish", "wanted": "same", "met": False},
        ],
        "shared": {"interests": ["data", "digital"], "languages": ["es"], "overlap_hours": 9},
    }

``points`` are the criterion's contribution (they add up to ``score`` exactly, in tenths);
``who`` names the pair's first or second person.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mentoring.matching.features import Features, encode
from mentoring.matching.hierarchy import Criterion, Hierarchy
from mentoring.matching.records import Applicant
from mentoring.matching.scoring import WISH_CRITERIA, Scorer

_WISH_FIELDS = {
    Criterion.SECTOR_WISH: "wants_sector",
    Criterion.CAREER_STAGE_WISH: "wants_career_stage",
    Criterion.REGION_WISH: "preferred_regions",
}


def _wanted(applicant: Applicant, criterion: Criterion) -> str | list[str] | None:
    value = getattr(applicant, _WISH_FIELDS[criterion])
    if isinstance(value, str):
        return None if value == "any" else value
    return sorted(value) or None


def _wish_met(features: Features, criterion: Criterion, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    if criterion is Criterion.SECTOR_WISH:
        attribute, wish = features.sector, features.sector_wish
    elif criterion is Criterion.CAREER_STAGE_WISH:
        attribute, wish = features.stage, features.stage_wish
    else:
        attribute, wish = features.region, features.region_wish
    return ((wish[i] >> attribute[j].astype(np.int32)) & 1).astype(bool)


def _hours(features: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    a = features.availability
    return sum(np.bitwise_count(a[i, w] & a[j, w]).astype(np.int64) for w in range(a.shape[1]))


def pair_reasons(
    scorer: Scorer, applicants: Sequence[Applicant], i: np.ndarray, j: np.ndarray
) -> list[dict]:
    """Reasons for the pairs ``(i[k], j[k])``, indices into ``applicants`` and the scorer."""
    features = scorer.features
    i = np.asarray(i, np.int64)
    j = np.asarray(j, np.int64)
    points = scorer.points
    contributions = scorer.contributions(i, j)
    order = [c for c in scorer.hierarchy.criteria if points.get(c)]
    met = {
        criterion: (_wish_met(features, criterion, i, j), _wish_met(features, criterion, j, i))
        for criterion in WISH_CRITERIA
        if criterion in points or criterion in scorer.hierarchy.hard
    }
    hours = _hours(features, i, j)
    interests = features.interests[i] & features.interests[j]
    languages = features.languages[i] & features.languages[j]
    result = []
    for k in range(i.size):
        a, b = applicants[i[k]], applicants[j[k]]
        tenths = {c: int(contributions[c][k]) for c in order}
        wishes = []
        for criterion, (a_met, b_met) in met.items():
            for who, person, flag in (("a", a, a_met[k]), ("b", b, b_met[k])):
                wanted = _wanted(person, criterion)
                if wanted is not None:
                    wishes.append(
                        {
                            "who": who,
                            "criterion": str(criterion),
                            "wanted": wanted,
                            "met": bool(flag),
                        }
                    )
        shared_interests = [
            code for bit, code in enumerate(features.interest_codes) if int(interests[k]) >> bit & 1
        ]
        shared_languages = [
            code
            for bit, code in enumerate(features.language_codes)
            if int(languages[k, bit // 64]) >> (bit % 64) & 1
        ]
        result.append(
            {
                "score": sum(tenths.values()) / 10,
                "criteria": [
                    {
                        "criterion": str(c),
                        "points": tenths[c] / 10,
                        "max_points": points[c] / 10,
                    }
                    for c in order
                ],
                "wishes": wishes,
                "shared": {
                    "interests": shared_interests,
                    "languages": shared_languages,
                    "overlap_hours": int(hours[k]),
                },
            }
        )
    return result


def explain_pairs(
    pool: Sequence[Applicant],
    hierarchy: Hierarchy,
    i: Sequence[int] | np.ndarray,
    j: Sequence[int] | np.ndarray,
) -> list[dict]:
    """Reasons (the format above, its ``score`` that of :func:`score_pairs`) for the pairs
    ``(pool[i[k]], pool[j[k]])``, whether or not the engine formed them: a pair made by hand
    is explained as the engine's own are. The hard rules are not checked here."""
    scorer = Scorer(encode(pool), hierarchy, rules=False)
    return pair_reasons(scorer, pool, np.asarray(i, np.int64), np.asarray(j, np.int64))
