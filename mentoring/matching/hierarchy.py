"""The directors' decision hierarchy: which criteria make a good pair, in order, with weights.

A :class:`Hierarchy` lists criteria from most to least important with a weight each. The
weights are normalised so that a pair meeting every criterion in full scores 100 points; the
points are kept in integer tenths (a perfect pair is 1000 tenths), apportioned by largest
remainder so that they always add up to exactly 1000. A criterion can also be made *hard*:
pairs that break it are then not allowed at all (see :mod:`mentoring.matching.scoring` for
what "break" means for each criterion).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

FULL_SCORE_TENTHS = 1000


class Criterion(StrEnum):
    """The criteria a match score can be built from."""

    SECTOR_WISH = "sector_wish"
    INTERESTS = "interests"
    EXPERIENCE = "experience"
    TIME_ZONE = "time_zone"
    CAREER_STAGE_WISH = "career_stage_wish"
    REGION_WISH = "region_wish"
    LANGUAGES = "languages"


DEFAULT_WEIGHTS: tuple[tuple[Criterion, float], ...] = (
    (Criterion.SECTOR_WISH, 40.0),
    (Criterion.INTERESTS, 25.0),
    (Criterion.EXPERIENCE, 17.0),
    (Criterion.TIME_ZONE, 11.0),
    (Criterion.CAREER_STAGE_WISH, 10.0),
    (Criterion.REGION_WISH, 7.0),
    (Criterion.LANGUAGES, 5.0),
)
"""The ILN's order and weights (sector wish 40 > interests 25 > experience 17 > time zone 11
> region wish 7), with the career-stage wish (10) and shared languages (5) added."""


@dataclass(frozen=True)
class Hierarchy:
    """Ordered criteria with weights, and the criteria that are hard.

    ``weights`` may be given as a mapping or as ``(criterion, weight)`` pairs; criteria are
    named by :class:`Criterion` or by their string value. Criteria left out score nothing.
    """

    weights: tuple[tuple[Criterion, float], ...] = DEFAULT_WEIGHTS
    hard: frozenset[Criterion] = frozenset()

    def __post_init__(self) -> None:
        items: Iterable = (
            self.weights.items() if isinstance(self.weights, Mapping) else self.weights
        )
        weights = tuple((Criterion(name), float(weight)) for name, weight in items)
        criteria = [criterion for criterion, _ in weights]
        if len(set(criteria)) != len(criteria):
            raise ValueError("a criterion is listed twice in the hierarchy")
        if any(not math.isfinite(weight) or weight < 0 for _, weight in weights):
            raise ValueError("weights must be finite numbers, 0 or more")
        if sum(weight for _, weight in weights) <= 0:
            raise ValueError("at least one criterion needs a positive weight")
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "hard", frozenset(Criterion(name) for name in self.hard))

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """The scored criteria, most important first."""
        return tuple(criterion for criterion, _ in self.weights)

    def points_tenths(self) -> dict[Criterion, int]:
        """Each criterion's full points in tenths; they add up to exactly 1000."""
        total = sum(weight for _, weight in self.weights)
        shares = [weight * FULL_SCORE_TENTHS / total for _, weight in self.weights]
        floors = [int(share) for share in shares]
        missing = FULL_SCORE_TENTHS - sum(floors)
        by_remainder = sorted(range(len(shares)), key=lambda k: (floors[k] - shares[k], k))
        for k in by_remainder[:missing]:
            floors[k] += 1
        return {criterion: floors[k] for k, (criterion, _) in enumerate(self.weights)}

    def points(self) -> dict[str, float]:
        """Each criterion's full points on the 0-100 scale, as shown to directors."""
        return {str(c): tenths / 10 for c, tenths in self.points_tenths().items()}
