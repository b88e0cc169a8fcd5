"""Match scores: each criterion's contribution in integer tenths, and whether a pair is allowed.

A pair's score is the sum of its criteria's contributions, each an integer number of tenths
between 0 and the criterion's full points (see :mod:`mentoring.matching.hierarchy`), so a
score is an integer from 0 to 1000 tenths (0 to 100 points) and the reasons add up to it
exactly. What each criterion measures, as a fraction of its points (rounded half up):

``sector_wish``
    Each person's wish counts half: met when the partner's sector is what they asked for
    ("same", "different", one of a set; "any" is always met). Broken unless both are met.
``career_stage_wish``, ``region_wish``
    The same rule for career stages and for the partner's world region (no preferred region
    means any region).
``interests``
    Shared interests over ``min(3, |own|, |partner's|)``: three shared interests, or all of
    the shorter list, give full points. Broken when nothing is shared.
``experience``
    ``1 - |difference in years| / 20`` (peers of similar experience), at least 0. Broken at a
    difference of 20 years or more.
``time_zone``
    Hours a week when both are available (in UTC), full points from 12 hours. Broken at 0.
``languages``
    Full points for a shared language other than English, else 0. Broken when none is shared.

A pair is *allowed* when the two live in different countries and no hard criterion is broken
(the round's pins, forbidden pairs and past partners are applied on top, by the engine).

Internally the per-person categorical criteria (the three wishes, experience, languages) are
merged into a few joint lookup tables, so scoring a block of pairs is a few table lookups plus
popcounts on the interest and availability bitmasks, in one compiled loop
(:mod:`mentoring.matching.block_kernel`); disallowed pairs get a negative score.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mentoring.matching.arrays import unique_rows
from mentoring.matching.features import MAX_INTERESTS, Features, encode
from mentoring.matching.hierarchy import Criterion, Hierarchy
from mentoring.matching.records import Applicant

DISALLOWED = -3000
"""Added to a pair's score for each broken hard rule; any negative score means disallowed."""

EXPERIENCE_SPAN_YEARS = 20
INTERESTS_FOR_FULL = 3
# Room in the mixed table for every count of shared interests, 0 to MAX_INTERESTS.
SHARED_SLOTS = MAX_INTERESTS + 1
OVERLAP_HOURS_FOR_FULL = 12
JOINT_TABLE_CODES = 2048
"""Largest number of joint codes merged into one lookup table (a 2048 x 2048 int16 table)."""
JOINT_TABLE_MIN_CODES = 128
"""Merging stops at a quarter of the pool's size (but not below this): a table with nearly
one code per person costs more to build than scoring every pair of a small pool."""

WISH_CRITERIA = (Criterion.SECTOR_WISH, Criterion.CAREER_STAGE_WISH, Criterion.REGION_WISH)


def _rounded_share(points: int, numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``points * numerator / denominator`` rounded half up, as integers (0 where denom is 0)."""
    numerator = np.asarray(numerator, np.int64)
    denominator = np.asarray(denominator, np.int64)
    safe = np.maximum(denominator, 1)
    share = (2 * points * numerator + safe) // (2 * safe)
    return np.where(denominator > 0, share, 0)


def _wish_inputs(features: Features, criterion: Criterion) -> tuple[np.ndarray, np.ndarray]:
    if criterion is Criterion.SECTOR_WISH:
        return features.sector, features.sector_wish
    if criterion is Criterion.CAREER_STAGE_WISH:
        return features.stage, features.stage_wish
    return features.region, features.region_wish


def _popcount_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Bits shared by rows of word arrays ``a`` and ``b`` (last axis = words), summed."""
    total = np.bitwise_count(a[..., 0] & b[..., 0]).astype(np.int16)
    for word in range(1, a.shape[-1]):
        total += np.bitwise_count(a[..., word] & b[..., word])
    return total


def criterion_parts(
    features: Features, criterion: Criterion, points: int, i: np.ndarray, j: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Contribution in tenths and "broken" flags of one criterion for pairs ``(i[k], j[k])``.

    This is the plain, per-criterion definition; the fast block scorer must agree with it.
    """
    if criterion in WISH_CRITERIA:
        attribute, wish = _wish_inputs(features, criterion)
        met_ij = (wish[i] >> attribute[j].astype(np.int32)) & 1
        met_ji = (wish[j] >> attribute[i].astype(np.int32)) & 1
        met = met_ij + met_ji
        return _rounded_share(points, met, np.full_like(met, 2)), met < 2
    if criterion is Criterion.INTERESTS:
        shared = np.bitwise_count(features.interests[i] & features.interests[j]).astype(np.int64)
        cap = np.minimum(
            np.minimum(features.interest_count[i], features.interest_count[j]),
            INTERESTS_FOR_FULL,
        ).astype(np.int64)
        return _rounded_share(points, np.minimum(shared, cap), cap), shared == 0
    if criterion is Criterion.EXPERIENCE:
        gap = np.abs(features.years[i].astype(np.int64) - features.years[j])
        gap = np.minimum(gap, EXPERIENCE_SPAN_YEARS)
        span = np.full_like(gap, EXPERIENCE_SPAN_YEARS)
        return _rounded_share(points, span - gap, span), gap >= EXPERIENCE_SPAN_YEARS
    if criterion is Criterion.TIME_ZONE:
        hours = _popcount_rows(features.availability[i], features.availability[j])
        capped = np.minimum(hours.astype(np.int64), OVERLAP_HOURS_FOR_FULL)
        full = np.full_like(capped, OVERLAP_HOURS_FOR_FULL)
        return _rounded_share(points, capped, full), hours == 0
    if criterion is Criterion.LANGUAGES:
        shared = _popcount_rows(features.languages[i], features.languages[j]) > 0
        return np.where(shared, points, 0).astype(np.int64), ~shared
    raise ValueError(f"unknown criterion {criterion!r}")


@dataclass(frozen=True, eq=False)
class _JointTable:
    """Criteria that depend only on a per-person code, merged into one lookup table."""

    row_offset: np.ndarray  # per person: code * size, added to the partner's code
    code: np.ndarray  # per person
    table: np.ndarray  # flat int16 (size * size,)
    square: np.ndarray  # the same table as (size, size)


def _categorical_codes(features: Features, criterion: Criterion) -> np.ndarray | None:
    """Per-person columns that fully determine this criterion, or None if it is not one."""
    if criterion in WISH_CRITERIA:
        attribute, wish = _wish_inputs(features, criterion)
        return np.stack([attribute.astype(np.int64), wish.astype(np.int64)], axis=1)
    if criterion is Criterion.EXPERIENCE:
        return features.years.astype(np.int64)[:, None]
    if criterion is Criterion.LANGUAGES:
        return features.languages.view(np.int64)
    return None


@dataclass(frozen=True, eq=False)
class Side:
    """One side of a block of pairs: the features the block scorer reads, gathered
    (contiguous, in the types :func:`block_kernel.score_block` takes)."""

    bases: np.ndarray  # (tables, people): where each person's line of each table starts
    codes: np.ndarray  # (tables, people): each person's code in each table
    interests: np.ndarray
    cap: np.ndarray
    hours: np.ndarray  # (words, people)
    country: np.ndarray


class Scorer:
    """Scores blocks of pairs of one pool fast; built once per run.

    With ``rules=True`` (the default) disallowed pairs (same country, broken hard criteria)
    score negative; with ``rules=False`` every pair gets its plain score in 0..1000.
    """

    def __init__(self, features: Features, hierarchy: Hierarchy, *, rules: bool = True) -> None:
        self.features = features
        self.hierarchy = hierarchy
        self.rules = rules
        self.points = hierarchy.points_tenths()
        hard = hierarchy.hard if rules else frozenset()
        active = {c: self.points.get(c, 0) for c in Criterion if self.points.get(c) or c in hard}
        self._hard = hard
        categorical = {}
        for criterion in active:
            columns = _categorical_codes(features, criterion)
            if columns is not None:
                categorical[criterion] = columns
        self._tables = self._joint_tables(categorical, active, hard)
        self._interests = Criterion.INTERESTS in active
        self._time_zone = Criterion.TIME_ZONE in active
        cap = np.minimum(features.interest_count, INTERESTS_FOR_FULL) if self._interests else 0
        self._interest_cap = SHARED_SLOTS * np.broadcast_to(cap, (features.n,)).astype(np.int16)
        self._mixed_table = self._mixed(active, hard)
        tables = [joint.table for joint in self._tables]
        self._flat_tables = np.concatenate(tables or [[]]).astype(np.int16)
        self._table_starts = np.cumsum([0] + [table.size for table in tables])[:-1]
        self._gather_sides()

    def _gather_sides(self) -> None:
        """Everyone's features as :meth:`side` hands them to the block kernel: a side is
        then a few takes along the people axis."""
        f = self.features
        starts = zip(self._tables, self._table_starts, strict=True)
        self._bases = np.array(
            [joint.row_offset + start for joint, start in starts], np.int32
        ).reshape(len(self._tables), f.n)
        self._codes = np.array([joint.code for joint in self._tables], np.int32).reshape(
            len(self._tables), f.n
        )
        self._hours = np.ascontiguousarray(f.availability.T, np.uint64)
        self._interest_bits = np.ascontiguousarray(f.interests, np.uint64)
        self._country = np.ascontiguousarray(f.country, np.int32)

    def take(self, people: np.ndarray, *, rules: bool | None = None) -> Scorer:
        """The scorer of the sub-pool ``people`` (in that order), sharing this one's tables.

        The tables hold codes, not people, so a sub-pool reads them as they are. ``rules``
        may differ from this scorer's; with a hard criterion the tables differ with rules
        and without, and are built again.
        """
        people = np.asarray(people, np.int64)
        rules = self.rules if rules is None else rules
        features = self.features.take(people)
        if rules != self.rules and self.hierarchy.hard:
            return Scorer(features, self.hierarchy, rules=rules)
        taken = copy.copy(self)
        taken.features = features
        taken.rules = rules
        taken._tables = [
            _JointTable(
                row_offset=joint.row_offset[people],
                code=joint.code[people],
                table=joint.table,
                square=joint.square,
            )
            for joint in self._tables
        ]
        taken._interest_cap = self._interest_cap[people]
        taken._gather_sides()
        return taken

    def _mixed(self, active: dict[Criterion, int], hard: frozenset[Criterion]) -> np.ndarray:
        """Interests and time zone in one table, indexed by
        ``(SHARED_SLOTS * cap + shared) * 13 + hours``.

        ``cap`` is ``min(3, both interest counts)``, ``shared`` the shared interests (0-64)
        and ``hours`` the weekly overlap capped at 12.
        """
        cap, shared, hours = np.meshgrid(
            np.arange(INTERESTS_FOR_FULL + 1),
            np.arange(SHARED_SLOTS),
            np.arange(OVERLAP_HOURS_FOR_FULL + 1),
            indexing="ij",
        )
        table = np.zeros(cap.shape, np.int64)
        if self._interests:
            table += _rounded_share(active[Criterion.INTERESTS], np.minimum(shared, cap), cap)
            if Criterion.INTERESTS in hard:
                table += np.where(shared == 0, DISALLOWED, 0)
        if self._time_zone:
            full = np.full_like(hours, OVERLAP_HOURS_FOR_FULL)
            table += _rounded_share(active[Criterion.TIME_ZONE], hours, full)
            if Criterion.TIME_ZONE in hard:
                table += np.where(hours == 0, DISALLOWED, 0)
        return table.astype(np.int16).ravel()

    def _joint_tables(
        self,
        categorical: dict[Criterion, np.ndarray],
        active: dict[Criterion, int],
        hard: frozenset[Criterion],
    ) -> list[_JointTable]:
        """Merge the categorical criteria into as few lookup tables as the size limit allows."""
        per_criterion = {}
        for criterion, columns in categorical.items():
            first, inverse = unique_rows(columns)
            first_left = np.repeat(first, first.size)
            first_right = np.tile(first, first.size)
            share, broken = criterion_parts(
                self.features, criterion, active[criterion], first_left, first_right
            )
            if criterion in hard:
                share = share + np.where(broken, DISALLOWED, 0)
            table = share.reshape(first.size, first.size).astype(np.int16)
            per_criterion[criterion] = (inverse, table)
        limit = min(JOINT_TABLE_CODES, max(JOINT_TABLE_MIN_CODES, self.features.n // 4))
        order = sorted(per_criterion, key=lambda c: (per_criterion[c][1].shape[0], c.value))
        groups: list[list[Criterion]] = []
        codes_so_far: np.ndarray | None = None
        for criterion in order:
            inverse = per_criterion[criterion][0]
            if codes_so_far is not None:
                merged = np.stack([codes_so_far, inverse], axis=1)
                _, merged_codes = unique_rows(merged)
                if merged_codes.max(initial=-1) + 1 <= limit:
                    groups[-1].append(criterion)
                    codes_so_far = merged_codes
                    continue
            groups.append([criterion])
            codes_so_far = inverse
        return [self._joint_table([(c, *per_criterion[c]) for c in group]) for group in groups]

    @staticmethod
    def _joint_table(parts: list[tuple[Criterion, np.ndarray, np.ndarray]]) -> _JointTable:
        codes = np.stack([inverse for _, inverse, _ in parts], axis=1)
        first, inverse = unique_rows(codes)
        size = first.size
        table = np.zeros((size, size), np.int16)
        for k, (_, _, criterion_table) in enumerate(parts):
            own = codes[first, k]
            table += criterion_table[own[:, None], own[None, :]]
        return _JointTable(
            row_offset=(inverse * size).astype(np.int32),
            code=inverse.astype(np.int32),
            table=table.ravel(),
            square=table,
        )

    def _mixed_index(self, shared: np.ndarray, cap: np.ndarray, hours: np.ndarray) -> np.ndarray:
        index = cap + shared
        index *= OVERLAP_HOURS_FOR_FULL + 1
        np.minimum(hours, OVERLAP_HOURS_FOR_FULL, out=hours)
        index += hours
        return index

    def _shared_parts(
        self, left: np.ndarray, right: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        f = self.features
        shape = np.broadcast_shapes(left.shape, right.shape)
        if self._interests:
            shared = np.bitwise_count(f.interests[left] & f.interests[right])
        else:
            shared = np.zeros(shape, np.uint8)
        cap = np.minimum(self._interest_cap[left], self._interest_cap[right])
        hours = np.zeros(shape, np.uint8)
        if self._time_zone:
            for word in range(f.availability.shape[1]):
                column = f.availability[:, word]
                hours += np.bitwise_count(column[left] & column[right])
        return shared, cap, hours

    def pairs(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Scores of the pairs ``(i[k], j[k])``, int16 tenths (negative: disallowed)."""
        left = np.asarray(i)
        right = np.asarray(j)
        score = np.zeros(np.broadcast_shapes(left.shape, right.shape), np.int16)
        for joint in self._tables:
            score += np.take(joint.table, joint.row_offset[left] + joint.code[right])
        score += np.take(self._mixed_table, self._mixed_index(*self._shared_parts(left, right)))
        if self.rules:
            same = self.features.country[left] == self.features.country[right]
            score += same * np.int16(DISALLOWED)
        return score

    def side(self, people: np.ndarray) -> Side:
        """The features of ``people`` gathered once, to score many blocks against them."""
        people = np.asarray(people)
        return Side(
            bases=self._bases.take(people, axis=1),
            codes=self._codes.take(people, axis=1),
            interests=self._interest_bits.take(people),
            cap=self._interest_cap.take(people),
            hours=self._hours.take(people, axis=1),
            country=self._country.take(people),
        )

    def block(self, rows: np.ndarray, cols: np.ndarray | Side) -> np.ndarray:
        """Scores of every row against every column, shape ``(len(rows), len(cols))``.

        Same values as :meth:`pairs`, computed by :func:`block_kernel.score_block`.
        ``cols`` may be a :meth:`side` prepared earlier.
        """
        row = self.side(rows)
        col = cols if isinstance(cols, Side) else self.side(cols)
        score = np.empty((row.country.size, col.country.size), np.int16)
        _block_kernel()(
            row.bases,
            col.codes,
            self._flat_tables,
            row.interests,
            col.interests,
            row.cap,
            col.cap,
            row.hours,
            col.hours,
            self._mixed_table,
            row.country,
            col.country,
            self._interests,
            self._time_zone,
            self.rules,
            DISALLOWED,
            OVERLAP_HOURS_FOR_FULL,
            score,
        )
        return score

    def contributions(self, i: np.ndarray, j: np.ndarray) -> dict[Criterion, np.ndarray]:
        """Each scored criterion's contribution in tenths for the pairs ``(i[k], j[k])``."""
        i = np.asarray(i)
        j = np.asarray(j)
        return {
            criterion: criterion_parts(self.features, criterion, points, i, j)[0]
            for criterion, points in self.points.items()
            if points
        }

    def broken(self, i: np.ndarray, j: np.ndarray) -> dict[Criterion, np.ndarray]:
        """For each criterion of the hierarchy and each hard one: is it broken by the pair?"""
        i = np.asarray(i)
        j = np.asarray(j)
        return {
            criterion: criterion_parts(self.features, criterion, 0, i, j)[1]
            for criterion in (*self.points, *sorted(self._hard - set(self.points)))
        }


@dataclass(frozen=True, eq=False)
class BlockSummary:
    """What a block of people can offer anyone, criterion by criterion (for upper bounds)."""

    joint_maxima: list[np.ndarray]  # per joint table: (codes, blocks), best entry in the block
    interests: np.ndarray  # (blocks,) union of the members' interests
    interest_cap: np.ndarray  # (blocks,) SHARED_SLOTS * min(3, smallest non-zero interest count)
    availability: np.ndarray  # (blocks, 3) union of the members' hours
    country: np.ndarray  # (blocks,) the members' one country, or -1 when they have several


def _block_kernel():
    """:func:`block_kernel.score_block`, imported on first use: numba (about 140 MiB) stays
    out of processes that only score a few pairs with :meth:`Scorer.pairs` (the admin's
    hand edits). The engine imports it with itself, so no run waits for it."""
    from mentoring.matching.block_kernel import score_block

    return score_block


def summarise_blocks(scorer: Scorer, labels: np.ndarray, n_blocks: int) -> BlockSummary:
    """Summaries of the blocks ``0..n_blocks-1`` given each person's block label."""
    f = scorer.features
    maxima = []
    for joint in scorer._tables:
        table = joint.square
        size = table.shape[0]
        present = np.zeros((n_blocks, size), bool)
        present[labels, joint.code] = True
        best = np.full((size, n_blocks), np.iinfo(np.int16).min, np.int16)
        for block in range(n_blocks):
            columns = np.flatnonzero(present[block])
            if columns.size:
                best[:, block] = table[:, columns].max(axis=1)
        maxima.append(best)
    interests = np.zeros(n_blocks, np.uint64)
    np.bitwise_or.at(interests, labels, f.interests)
    counts = np.where(f.interest_count > 0, f.interest_count, INTERESTS_FOR_FULL).astype(np.int16)
    smallest = np.full(n_blocks, INTERESTS_FOR_FULL, np.int16)
    np.minimum.at(smallest, labels, np.minimum(counts, INTERESTS_FOR_FULL))
    availability = np.zeros((n_blocks, f.availability.shape[1]), np.uint64)
    for word in range(f.availability.shape[1]):
        np.bitwise_or.at(availability[:, word], labels, f.availability[:, word])
    low = np.full(n_blocks, np.iinfo(np.int32).max, np.int32)
    high = np.full(n_blocks, -1, np.int32)
    np.minimum.at(low, labels, f.country)
    np.maximum.at(high, labels, f.country)
    return BlockSummary(
        joint_maxima=maxima,
        interests=interests,
        interest_cap=SHARED_SLOTS * smallest.astype(np.int16),
        availability=availability,
        country=np.where(low == high, low, -1).astype(np.int32),
    )


def block_upper_bounds(scorer: Scorer, summary: BlockSummary, rows: np.ndarray) -> np.ndarray:
    """For each row and block, a score no pair of the row with a block member can exceed.

    Valid because a sum of per-criterion maxima is at least the maximum of the sum, and
    each criterion's contribution grows with the shared bits that the block's union bounds.
    """
    f = scorer.features
    bound = np.zeros((rows.size, summary.interests.size), np.int32)
    for joint, best in zip(scorer._tables, summary.joint_maxima, strict=True):
        bound += best[joint.code[rows]]
    shared = np.bitwise_count(f.interests[rows][:, None] & summary.interests[None, :])
    cap = np.minimum(scorer._interest_cap[rows][:, None], summary.interest_cap[None, :])
    hours = np.zeros(bound.shape, np.uint8)
    if scorer._time_zone:
        for word in range(f.availability.shape[1]):
            hours += np.bitwise_count(
                f.availability[rows, word][:, None] & summary.availability[None, :, word]
            )
    bound += np.take(scorer._mixed_table, scorer._mixed_index(shared, cap, hours))
    if scorer.rules:
        same = f.country[rows][:, None] == summary.country[None, :]
        bound[same] = DISALLOWED
    return bound


def score_pairs(
    pool: Sequence[Applicant] | Features,
    hierarchy: Hierarchy,
    i: Sequence[int] | np.ndarray,
    j: Sequence[int] | np.ndarray,
) -> np.ndarray:
    """Match scores (0-100, in steps of 0.1) of the pairs ``(pool[i[k]], pool[j[k]])``.

    The score ignores the hard rules; use :func:`allowed_pairs` to know if a pair may be formed.
    """
    features = pool if isinstance(pool, Features) else encode(pool)
    scorer = Scorer(features, hierarchy, rules=False)
    return scorer.pairs(np.asarray(i, np.intp), np.asarray(j, np.intp)).astype(np.float64) / 10
