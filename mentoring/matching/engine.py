"""The matching run: from a pool, a hierarchy and rules to pairs, triads, the unmatched and a bound.

Phases (each timed in :attr:`MatchResult.timings`, each reported to ``progress``):

``features``     encode the pool; check and apply the pins (their people leave the pool)
``candidates``   each person's best allowed partners (:mod:`candidates`)
``assignment``   more partners for people the lists cannot pair; sparse assignment and
                 cycle repair (:mod:`assignment`)
``improvement``  exact windows around odd cycles, leftovers and the weakest pairs; pair
                 swaps; windows around the pairs the plain bound's duals price highest
                 above their score; leftovers paired among themselves until the matching
                 is maximal
``odd``          one person left over (or as many as ``max_triads``) joins a triad; the
                 others are listed with their reason, or waitlisted, as the round decides
``bound``        the certified upper bound (:mod:`bounds`); above ``BESIDE_LIMIT`` people its
                 first solve runs on the second core from the candidates on (:mod:`beside`),
                 and above ``FULL_PRIMAL_LIMIT`` its lowering too
``reasons``      per pair, each criterion's points and the wishes met or broken (:mod:`reasons`)
"""

from __future__ import annotations

import functools
import gc
import itertools
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from mentoring.matching import assignment as assign
from mentoring.matching import block_kernel  # noqa: F401  compiled before any run starts
from mentoring.matching.beside import Beside
from mentoring.matching.bounds import (
    EXACT_LIMIT,
    Bound,
    country_shares,
    dual_bound,
    exact_bound,
    extended_bound,
    lowered_bound,
    most_pairs,
    odd_pool_bound,
    pair_limited_bound,
    surplus_country,
)
from mentoring.matching.candidates import (
    DENSE_LIMIT,
    CandidateGraph,
    NeverPairs,
    added_edges,
    candidate_graph,
    deepen,
    tie_keys,
    widen,
)
from mentoring.matching.features import Features, encode
from mentoring.matching.hierarchy import Hierarchy
from mentoring.matching.reasons import pair_reasons
from mentoring.matching.records import Applicant, Rules
from mentoring.matching.scoring import Scorer

NEIGHBOURS = 48
PRIMAL_NEIGHBOURS = 20
FULL_PRIMAL_LIMIT = 20_000
BESIDE_LIMIT = 5_000
"""Above this many people the bound is solved in a forked process on the second core while
the assignment and the improvements run (:mod:`beside`); below, a fork costs more than it
saves. It is the plain bound, or where one country holds most of the pool the one that
leaves that country's covers out (:func:`bounds.country_shares`). Above
``FULL_PRIMAL_LIMIT`` the plain bound is lowered there too (:func:`_solved_and_lowered`):
its solve takes half the assignment's time, so the lowering is free."""
RESOLVED_BOUND_LIMIT = 5_000
"""Up to this many people the bound is solved again after deepening lists; above, solving
again costs more than a second for a few hundredths of a percent of certified quality."""
RESOLVE_GAIN = 0.001
"""A solve after deepening that lowered the bound by less than this share of it is the last
one; the rounds after it lower the bound locally. On realistic pools of 2,000 the first
lowers it by about 0.03 % and a second would gain 0.003 % for 0.04 s (a tenth of the run);
where a quarter of the pool shares one profile they lower it by 0.7 % and 2.4 %."""
LOWERING_ROUNDS = 3
"""Where the bound is not solved again, how many times the lists of the people who still
hold it up are deepened and the bound lowered locally (each round is cheap: a few rows)."""
LOW_SCORE = 50.0
DEEPEN_FACTOR = 4
LEFTOVER_NEIGHBOURS = 16
TRIAD_SAMPLE = 64
SLACK_WINDOWS = 10
CERTIFIED_ENOUGH = 0.9999
"""Where a rule caps the pairs, the bound that leaves the largest country's covers out is
solved first; when it proves the matching within 0.01 %, or the pool has more than
``RESOLVED_BOUND_LIMIT`` people, the deeper lists and the capped bound are not tried (they
cost a second at 10,000 people and 107 s at 100,000, where they ended 0.2 % above it)."""

Progress = Callable[[float, str], None]
OddPolicy = Literal["triad", "waitlist"]


class RuleConflict(ValueError):
    """The rules contradict each other or the pool (e.g. a pin on a forbidden pair)."""


@dataclass(frozen=True)
class Pair:
    """Two partners; ``reasons`` is the plain-data explanation of :mod:`reasons`."""

    a: Hashable
    b: Hashable
    score: float
    reasons: dict
    pinned: bool = False


@dataclass(frozen=True)
class Triad:
    """A pair that a person left over has joined (``members[2]`` joined ``members[0:2]``).

    ``score`` is the mean of the three pair scores, so it reads on the same 0-100 scale as a
    pair's; ``links`` holds the three pairs (with their own scores and reasons).
    """

    members: tuple[Hashable, Hashable, Hashable]
    score: float
    links: tuple[Pair, Pair, Pair]


@dataclass(frozen=True)
class Unmatched:
    """Someone without a partner. ``reason``: ``no_allowed_partner`` (nobody in the pool may
    partner them: same country, forbidden, earlier partners or a hard criterion, pins
    included), ``waitlist`` (left over, and the round sends leftovers to the waitlist) or
    ``no_partner_left`` (everyone they may partner is in a pair, and no triad took them:
    the matching is maximal, so this is always true)."""

    id: Hashable
    reason: str


@dataclass(frozen=True)
class MatchResult:
    """The outcome of :func:`match`.

    ``total`` is the matching's total score: every pair's score, and for a triad the score of
    the pair it grew from (so that ``total`` and ``upper_bound`` measure the same thing).
    ``upper_bound`` is a certified bound on the best total any allowed matching could reach
    (see :mod:`bounds`); ``ratio = total / upper_bound`` is a floor on the result's quality.
    ``worst_pair`` and ``pairs_below_50`` look at pairs and triads (by their score), pins
    included; ``stats`` repeats them for the engine's own choices (``worst_unpinned``,
    ``unpinned_below_50``) beside counts for diagnostics. ``timings`` maps each phase to
    seconds.
    """

    pairs: tuple[Pair, ...]
    triads: tuple[Triad, ...]
    unmatched: tuple[Unmatched, ...]
    total: float
    upper_bound: float
    ratio: float
    worst_pair: float | None
    pairs_below_50: int
    unmatched_count: int
    timings: dict[str, float]
    seed: int
    odd: str
    stats: dict[str, int | float | bool | None] = field(default_factory=dict)


class _Clock:
    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.started = time.perf_counter()
        self.last = self.started

    def done(self, phase: str, fraction: float, message: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = now - self.last
        self.last = now
        if self.progress is not None:
            self.progress(fraction, message)

    def report(self, fraction: float, message: str) -> None:
        if self.progress is not None:
            self.progress(fraction, message)


def _index_pairs(pairs: frozenset[frozenset[Hashable]], index: dict[Hashable, int]) -> np.ndarray:
    """The pairs whose two people are both in ``index``, as rows of their indices."""
    flat = map(index.get, itertools.chain.from_iterable(pairs), itertools.repeat(-1))
    rows = np.fromiter(flat, np.int64, count=2 * len(pairs)).reshape(-1, 2)
    return rows[(rows >= 0).all(axis=1)]


def _check_pins(
    rules: Rules, index: dict[Hashable, int], features: Features, never: NeverPairs
) -> np.ndarray:
    """The pins as index pairs. A pin may break a hard criterion (the directors chose it),
    but not the country rule, a forbidden pair or earlier partners."""
    pins = []
    seen: set[Hashable] = set()
    for a, b in rules.pinned:
        for person in (a, b):
            if person not in index:
                raise RuleConflict(f"pinned person {person!r} is not in the pool")
            if person in seen:
                raise RuleConflict(f"{person!r} is in more than one pinned pair")
            seen.add(person)
        pins.append((index[a], index[b]))
    pins_array = np.array(pins, np.int64).reshape(-1, 2)
    same_country = features.country[pins_array[:, 0]] == features.country[pins_array[:, 1]]
    never_pair = never.contains(pins_array[:, 0], pins_array[:, 1])
    for (a, b), bad in zip(rules.pinned, (same_country | never_pair).tolist(), strict=True):
        if bad:
            raise RuleConflict(
                f"pinned pair ({a!r}, {b!r}) breaks a hard rule (same country, a forbidden "
                "pair or earlier partners)"
            )
    return pins_array


def _triads(
    scorer: Scorer,
    never: NeverPairs,
    mate: np.ndarray,
    leftovers: np.ndarray,
    limit: int | None,
    seed: int,
) -> dict[int, tuple[int, int]]:
    """Leftovers' best pairs to join (by the triad's mean score), one leftover per pair.

    At most ``limit`` triads (None: as many as there are leftovers); with a limit, only a
    seeded sample of a few times that many leftovers is scored.
    """
    n = mate.size
    firsts = np.flatnonzero(mate > np.arange(n))
    if firsts.size == 0 or leftovers.size == 0 or limit == 0:
        return {}
    if limit is not None and leftovers.size > TRIAD_SAMPLE * limit:
        sample = np.argsort(tie_keys(leftovers, 0, seed))[: TRIAD_SAMPLE * limit]
        leftovers = np.sort(leftovers[sample])
    seconds = mate[firsts]
    base = scorer.pairs(firsts, seconds).astype(np.int64)
    everyone = np.arange(n)
    options = []
    for person in leftovers.tolist():
        row = scorer.block(np.array([person]), everyone)
        never.mask(row, np.array([person]), everyone)
        to_first = row[0, firsts].astype(np.int64)
        to_second = row[0, seconds].astype(np.int64)
        allowed = (to_first >= 0) & (to_second >= 0)
        total = np.where(allowed, base + to_first + to_second, -1)
        for k in np.argsort(-total, kind="stable")[:8].tolist():
            if total[k] >= 0:
                options.append((-int(total[k]), person, int(firsts[k])))
    options.sort()
    joined: dict[int, tuple[int, int]] = {}
    taken: set[int] = set()
    for _, person, first in options:
        if person in joined or first in taken:
            continue
        joined[person] = (first, int(mate[first]))
        taken.add(first)
        if limit is not None and len(joined) == limit:
            break
    return joined


def _without_partner(pool: _Pool, candidates: np.ndarray) -> np.ndarray:
    """Those of ``candidates`` (free people nobody free may partner) whom no pinned person
    may partner either: nobody in the pool is allowed for them."""
    if candidates.size == 0 or pool.pins.size == 0:
        return candidates
    pinned = np.sort(pool.pins.ravel())
    rows = pool.free[candidates]
    plain = pool.everyone
    allowed = plain.take(np.arange(plain.features.n), rules=True).block(rows, pinned) >= 0
    ids = plain.features.ids
    never = pool.rules.never()
    for r, c in zip(*np.nonzero(allowed), strict=True):
        if frozenset((ids[rows[r]], ids[pinned[c]])) in never:
            allowed[r, c] = False
    return candidates[~allowed.any(axis=1)]


@dataclass(eq=False)
class _Pool:
    """The pool as the search sees it: the people outside pins, re-indexed from 0."""

    applicants: list[Applicant]
    everyone: Scorer  # plain scores (no rules) of people by their index in ``applicants``
    pins: np.ndarray  # (pins, 2) indices in ``applicants``
    free: np.ndarray  # indices in ``applicants`` of the people the search places
    scorer: Scorer  # scores the free people by their index in ``free``
    never: NeverPairs  # never pairs among the free people
    rules: Rules


def _prepare(applicants: list[Applicant], hierarchy: Hierarchy, rules: Rules) -> _Pool:
    features = encode(applicants)
    index = {person: k for k, person in enumerate(features.ids)}
    never_pairs = _index_pairs(rules.never(), index)
    never_all = NeverPairs.from_pairs(features.n, never_pairs[:, 0], never_pairs[:, 1])
    pins = _check_pins(rules, index, features, never_all)
    free = np.setdiff1d(np.arange(features.n), pins.ravel())
    local = np.full(features.n, -1, np.int64)
    local[free] = np.arange(free.size)
    kept = (local[never_pairs[:, 0]] >= 0) & (local[never_pairs[:, 1]] >= 0)
    everyone = Scorer(features, hierarchy, rules=False)
    return _Pool(
        applicants=applicants,
        everyone=everyone,
        pins=pins,
        free=free,
        scorer=everyone.take(free, rules=True),
        never=NeverPairs.from_pairs(
            free.size, local[never_pairs[kept, 0]], local[never_pairs[kept, 1]]
        ),
        rules=rules,
    )


def _pair_leftovers(
    pool: _Pool, graph: CandidateGraph, mate: np.ndarray, seed: int
) -> tuple[CandidateGraph, int]:
    """Pair the people left over among themselves until no two of them may be paired.

    Each person's candidates are their best partners in the whole pool; when many people
    rank the same few first (a popular profile, a dominant region), the others are left
    over with partners they could have had outside their lists. Here the leftovers get
    candidate lists among themselves and are matched; their edges join the graph (for the
    windows and the bound). It repeats until the leftovers' graph is empty, so the result
    is maximal: no two people left over are allowed together. Returns the graph and the
    pairs formed.
    """
    formed = 0
    country = pool.scorer.features.country
    while True:
        left = np.flatnonzero(mate < 0)
        if left.size < 2 or (country[left] == country[left[0]]).all():
            return graph, formed  # one country's surplus: the country rule pairs none of them
        scorer = pool.scorer.take(left)
        sub = candidate_graph(scorer, pool.never.among(left), LEFTOVER_NEIGHBOURS, seed)
        if sub.edges == 0:
            return graph, formed
        adjacency = assign.Adjacency.from_graph(sub)
        sub_mate = np.full(sub.n, -1, np.int64)
        if sub.n <= assign.WINDOW_NODES:
            position = np.full(sub.n, -1, np.int64)
            assign.solve_window(adjacency, sub_mate, np.arange(sub.n), position)
        else:
            sub_mate, _ = assign.repair_cycles(assign.assignment(sub, seed), adjacency)
            assign.augment_leftovers(adjacency, sub_mate)
        firsts = np.flatnonzero(sub_mate > np.arange(sub.n))
        mate[left[firsts]] = left[sub_mate[firsts]]
        mate[left[sub_mate[firsts]]] = left[firsts]
        graph = graph.with_edges(left[sub.lo], left[sub.hi], sub.score)
        formed += firsts.size


def _improve(
    pool: _Pool,
    graph: CandidateGraph,
    adjacency: assign.Adjacency,
    mate: np.ndarray,
    odd_cycles: list[np.ndarray],
    plain_solve: Beside | None,
) -> dict:
    """Exact windows, then pair swaps that may use pairs outside the graph, then windows
    around the pairs the plain bound's duals (``plain_solve``'s result, if there is one)
    price highest above their score; returns the stats.

    Large pools and pools where a rule caps the pairs do not wait for the bound here.
    """
    limit = most_pairs(graph, pool.scorer.features.country)
    stats = assign.improve(adjacency, mate, odd_cycles, limit)

    def allowed_score(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return np.where(pool.never.contains(i, j), -1, pool.scorer.pairs(i, j))

    listed_best = np.zeros(graph.n, np.int64)
    listed = np.flatnonzero(np.diff(adjacency.indptr) > 0)
    if listed.size:
        listed_best[listed] = np.maximum.reduceat(adjacency.score, adjacency.indptr[listed])
    ceiling = np.maximum(listed_best, graph.cover)
    stats["pair_swaps"] = assign.pair_swaps(adjacency, mate, allowed_score, ceiling)
    small = graph.n <= assign.WINDOW_NODES  # solved exactly in one window
    if plain_solve is not None and not small and graph.n <= FULL_PRIMAL_LIMIT:
        if _capped(graph, limit):
            return stats
        plain = plain_solve.result()
        paired = np.flatnonzero(mate >= 0)
        pair_score = np.zeros(graph.n, np.int64)
        pair_score[paired] = pool.scorer.pairs(paired, mate[paired])
        groups = assign.slack_pair_groups(mate, plain.twice_y, pair_score, SLACK_WINDOWS)
        windows, improved = assign.exact_windows(adjacency, mate, groups)
        stats["windows"] += windows
        stats["windows_improved"] += improved
    return stats


def _capped(graph: CandidateGraph, limit: int) -> bool:
    """Whether a rule caps the pairs below half the people who can be paired."""
    pairable = (graph.degree() > 0) | (graph.cover >= 0)
    return limit < int(pairable.sum()) // 2


def _certify(
    pool: _Pool,
    graph: CandidateGraph,
    neighbours: int,
    rounds: int,
    seed: int,
    solved: Bound | None = None,
    shares: np.ndarray | None = None,
    total: int | None = None,
    lowered: bool = False,
) -> tuple[Bound, CandidateGraph]:
    """The bound; then, for the people holding it up, deeper lists and a lower bound.

    Where a rule caps the pairs (one country holds most of the pool), the bound that
    leaves that country's covers out (:func:`bounds.country_shares`) comes first; it is
    kept alone if it proves ``total`` (the matching's, in tenths) within
    ``CERTIFIED_ENOUGH`` or the pool is large. Otherwise the lists are deepened once,
    without solving again, and the capped bound follows (the lower of the two is kept):
    the people who hold the plain bound up are then mostly the rule's surplus, whom the
    cap takes out anyway. ``solved``: :func:`dual_bound` of ``graph`` with ``shares`` if
    already solved (``shares`` None: the plain bound; else those of :func:`country_shares`).
    ``lowered``: the plain ``solved`` was already lowered (:func:`_solved_and_lowered`).
    """
    country = pool.scorer.features.country
    if solved is not None and shares is not None:
        lean, plain = solved, None
    else:
        lean, plain = None, solved
    limit = most_pairs(graph, country)
    capped = _capped(graph, limit)
    if capped:
        if lean is None:
            lean = dual_bound(graph, country_shares(country))
        lean = odd_pool_bound(graph, lean)
        proven = total is not None and total >= CERTIFIED_ENOUGH * lean.value
        if proven or graph.n > RESOLVED_BOUND_LIMIT:
            return exact_bound(graph, lean), graph
        rounds = 0
    else:
        lean = None
    bound = plain if plain is not None else dual_bound(graph)
    if not lowered:
        bound, graph = _lowered(pool, graph, bound, neighbours, rounds, capped, seed)
    bound = odd_pool_bound(graph, bound)
    if capped:
        bound = pair_limited_bound(graph, bound, limit)
    if lean is not None and lean.value < bound.value:
        bound = lean
    return exact_bound(graph, bound), graph


def _lowered(
    pool: _Pool,
    graph: CandidateGraph,
    bound: Bound,
    neighbours: int,
    rounds: int,
    capped: bool,
    seed: int,
) -> tuple[Bound, CandidateGraph]:
    """Deeper lists for the people who hold ``bound`` up, and the bound after: solved again
    up to ``rounds`` times (until a solve gains less than ``RESOLVE_GAIN``), then lowered
    locally (:func:`bounds.lowered_bound`); ``LOWERING_ROUNDS`` rounds in all, or ``rounds``
    if more (one where a rule caps the pairs)."""
    depth = neighbours
    solves = rounds
    for round_ in range(max(rounds, 1 if capped else LOWERING_ROUNDS)):
        if bound.binding.size == 0:
            break
        depth *= DEEPEN_FACTOR
        graph = deepen(pool.scorer, pool.never, graph, bound.binding, depth, seed)
        if round_ < solves:
            solved = dual_bound(graph)
            if solved.value > (1 - RESOLVE_GAIN) * bound.value:
                solves = round_ + 1
            bound = solved
        else:
            bound = lowered_bound(graph, bound, bound.binding)
    return bound, graph


def _solved_and_lowered(
    pool: _Pool, graph: CandidateGraph, neighbours: int, seed: int
) -> tuple[Bound, CandidateGraph]:
    """The plain bound of ``graph`` lowered as :func:`_certify` would (a large pool's, never
    solved again), and the edges deepening added as a graph of their own with the new
    covers: what a large pool's forked solve sends back, while the rest of the run goes on."""
    bound, deeper = _lowered(pool, graph, dual_bound(graph), neighbours, 0, False, seed)
    return bound, added_edges(graph, deeper)


def _pairs(
    pool: _Pool, mate: np.ndarray, joined: dict[int, tuple[int, int]]
) -> tuple[list[Pair], list[Triad], list[int]]:
    """Pairs and pins as :class:`Pair`, triads as :class:`Triad`, and all pair scores."""
    firsts = np.flatnonzero(mate > np.arange(mate.size))
    a = np.concatenate([pool.free[firsts], pool.pins[:, 0]])
    b = np.concatenate([pool.free[mate[firsts]], pool.pins[:, 1]])
    scores = pool.everyone.pairs(a, b).astype(np.int64).tolist()
    reasons = pair_reasons(pool.everyone, pool.applicants, a, b)
    ids = pool.everyone.features.ids
    made = [
        Pair(ids[a[k]], ids[b[k]], scores[k] / 10, reasons[k], pinned=k >= firsts.size)
        for k in range(a.size)
    ]
    base_of = {int(firsts[k]): made[k] for k in range(firsts.size)}
    grown = {first for first, _ in joined.values()}
    pairs = [pair for k, pair in enumerate(made) if k >= firsts.size or firsts[k] not in grown]
    triads = []
    for person, (first, second) in sorted(joined.items()):
        base = base_of[first]
        newcomer = np.array([pool.free[person]] * 2)
        others = pool.free[[first, second]]
        link_scores = pool.everyone.pairs(newcomer, others).astype(np.int64).tolist()
        link_reasons = pair_reasons(pool.everyone, pool.applicants, newcomer, others)
        links = tuple(
            Pair(ids[newcomer[0]], ids[others[k]], link_scores[k] / 10, link_reasons[k])
            for k in range(2)
        )
        mean = round((round(base.score * 10) + sum(link_scores)) / 3) / 10
        triads.append(
            Triad(members=(base.a, base.b, ids[newcomer[0]]), score=mean, links=(base, *links))
        )
    return pairs, triads, scores


def _collector_paused(run: Callable[..., MatchResult]) -> Callable[..., MatchResult]:
    """Run with Python's cyclic garbage collector paused, as it was before afterwards.

    The engine makes no reference cycles, but its reasons are many small dicts, and making
    them set off full collections that walk the caller's whole heap, the pool included
    (0.07 s of a 0.4 s run on 2,000 people, 0.08 s on 10,000). Memory freed by reference
    counting is freed as usual.
    """

    @functools.wraps(run)
    def paused(*args, **kwargs) -> MatchResult:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return run(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@_collector_paused
def match(
    pool: Sequence[Applicant],
    hierarchy: Hierarchy | None = None,
    rules: Rules | None = None,
    seed: int = 0,
    *,
    odd: OddPolicy = "triad",
    progress: Progress | None = None,
    neighbours: int = NEIGHBOURS,
    primal_neighbours: int | None = None,
    dense_limit: int = DENSE_LIMIT,
    bound_rounds: int | None = None,
    max_triads: int | None = 1,
) -> MatchResult:
    """Match a round's confirmed applicants into pairs; see the package docstring.

    ``odd`` decides what happens to people the matching leaves over although they have
    allowed partners (in an odd pool there is always one): ``"triad"`` lets each join the
    pair that makes the best triad (never a pinned pair, and only if both members are
    allowed partners for them), ``"waitlist"`` lists them as unmatched with reason
    ``waitlist``. The matching is maximal: no two people left over may be paired, so a
    pool leaves over one person at most (the odd one out) unless the rules forbid more;
    ``max_triads`` is how many leftovers may join a pair (default one; None for all of
    them). Each person left over is reported with an honest reason (:class:`Unmatched`).
    ``progress(fraction, message)`` is called at each phase boundary.
    ``neighbours`` is how many best partners each person keeps as candidates (they feed the
    bound and the exact windows), ``primal_neighbours`` how many of them the assignment
    sees (default: all of them up to 20,000 people, 20 beyond), ``dense_limit`` the pool
    size up to which every pair is scored, and ``bound_rounds`` how many times the bound is
    solved again after deepening the lists of the people who hold it up (default: 2 up to
    5,000 people, fewer where a solve gains little; else 0), before it is lowered locally
    (``LOWERING_ROUNDS`` rounds in all).
    The same inputs and ``seed`` always give the same result.
    """
    if odd not in ("triad", "waitlist"):
        raise ValueError(f"odd must be 'triad' or 'waitlist', not {odd!r}")
    hierarchy = hierarchy or Hierarchy()
    rules = rules or Rules()
    clock = _Clock(progress)
    prepared = _prepare(list(pool), hierarchy, rules)
    size = prepared.free.size
    large = size > FULL_PRIMAL_LIMIT
    if size <= EXACT_LIMIT:
        neighbours = max(neighbours, size)  # every allowed pair: exact windows and bound
    clock.done("features", 0.05, "features encoded")

    graph = candidate_graph(
        prepared.scorer,
        prepared.never,
        neighbours,
        seed,
        dense_limit=dense_limit,
        progress=lambda fraction: clock.report(0.05 + 0.55 * fraction, "scoring candidates"),
    )
    clock.done("candidates", 0.6, "candidate partners found")

    # Beside the rest of a large pool's run, the bound _certify starts from: where one
    # country holds most people, the one that leaves its covers out (the plain one would
    # be unused). Edges that join the graph later are checked, not solved again.
    country = prepared.scorer.features.country
    surplus = surplus_country(graph, country)
    shares = country_shares(country) if surplus is not None and size > BESIDE_LIMIT else None
    if bound_rounds is None:
        bound_rounds = 2 if size <= RESOLVED_BOUND_LIMIT else 0
    # A large pool's run never waits for the plain bound before _certify, so the bound is
    # lowered beside too (its solve is shorter than the assignment's).
    lower_beside = large and shares is None and bound_rounds == 0
    if lower_beside:
        solve = functools.partial(_solved_and_lowered, prepared, graph, neighbours, seed)
    else:
        solve = functools.partial(dual_bound, graph, shares)
    with Beside(solve, fork=size > BESIDE_LIMIT) as bound_solve:
        solved_graph = graph
        if primal_neighbours is None:
            primal_neighbours = PRIMAL_NEIGHBOURS if large else neighbours
        primal = graph
        if primal_neighbours < neighbours:
            primal = assign.strongest_edges(graph, primal_neighbours)
        widened = widen(prepared.scorer, prepared.never, primal, seed)
        if widened.edges > primal.edges:
            primal = widened
            graph = graph.with_edges(widened.lo, widened.hi, widened.score)
        adjacency = assign.Adjacency.from_graph(graph)
        if surplus is None:
            mate, odd_cycles = assign.repair_cycles(assign.assignment(primal, seed), adjacency)
        else:
            mate, odd_cycles = assign.surplus_assignment(primal, country == surplus, seed), []
        clock.done("assignment", 0.7, "assignment solved")

        plain_solve = bound_solve if shares is None else None
        improvement = _improve(prepared, graph, adjacency, mate, odd_cycles, plain_solve)
        graph, improvement["leftover_pairs"] = _pair_leftovers(prepared, graph, mate, seed)
        solved = bound_solve.result()
    if lower_beside:
        solved, deepened = solved
        graph = graph.with_deeper(deepened)
    if graph is not solved_graph:  # widened and leftovers' edges: checked, not solved again
        solved = extended_bound(graph, solved, shares)
    clock.done("improvement", 0.8, "pairs improved")

    unmatched_free = np.flatnonzero(mate < 0)
    alone = (graph.degree()[unmatched_free] == 0) & (graph.cover[unmatched_free] < 0)
    nobody = _without_partner(prepared, unmatched_free[alone])
    alone = np.isin(unmatched_free, nobody)
    leftovers = unmatched_free[~alone]
    joined = {}
    if odd == "triad":
        joined = _triads(prepared.scorer, prepared.never, mate, leftovers, max_triads, seed)
    clock.done("odd", 0.85, "people left over placed")

    firsts = np.flatnonzero(mate > np.arange(mate.size))
    total = int(prepared.scorer.pairs(firsts, mate[firsts]).astype(np.int64).sum())
    bound, graph = _certify(
        prepared, graph, neighbours, bound_rounds, seed, solved, shares, total, lower_beside
    )
    clock.done("bound", 0.9, "upper bound certified")

    pairs, triads, scores = _pairs(prepared, mate, joined)
    ids = prepared.everyone.features.ids
    unmatched = [Unmatched(ids[prepared.free[p]], "no_allowed_partner") for p in nobody]
    reason = "waitlist" if odd == "waitlist" else "no_partner_left"
    unmatched += [Unmatched(ids[prepared.free[p]], reason) for p in leftovers if p not in joined]
    clock.done("reasons", 1.0, "done")

    total_tenths = sum(scores)
    pin_tenths = sum(scores[len(scores) - len(prepared.pins) :]) if len(prepared.pins) else 0
    bound_tenths = bound.value + pin_tenths
    unit_scores = [p.score for p in pairs] + [t.score for t in triads]
    chosen = [p.score for p in pairs if not p.pinned] + [t.score for t in triads]
    timings = dict(clock.timings)
    timings["total"] = time.perf_counter() - clock.started
    return MatchResult(
        pairs=tuple(pairs),
        triads=tuple(triads),
        unmatched=tuple(unmatched),
        total=total_tenths / 10,
        upper_bound=bound_tenths / 10,
        ratio=total_tenths / bound_tenths if bound_tenths > 0 else 1.0,
        worst_pair=min(unit_scores) if unit_scores else None,
        pairs_below_50=sum(score < LOW_SCORE for score in unit_scores),
        unmatched_count=len(unmatched),
        timings=timings,
        seed=seed,
        odd=odd,
        stats={
            "pool": len(prepared.applicants),
            "pinned_pairs": len(prepared.pins),
            "candidate_edges": graph.edges,
            "pairs_scored": int(graph.pairs_scored),
            "exact_cover": bool(graph.exact),
            **improvement,
            "bound_repaired": bound.repaired,
            "worst_unpinned": min(chosen) if chosen else None,
            "unpinned_below_50": sum(score < LOW_SCORE for score in chosen),
        },
    )
