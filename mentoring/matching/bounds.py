"""An upper bound on the best possible total, with a certificate checked in integers.

Why it is valid (LP duality for matchings). Give every person a number ``y[i] >= 0`` such
that ``y[i] + y[j] >= score(i, j)`` for every allowed pair. Then any matching ``M`` has
``total(M) = sum over (i, j) in M of score(i, j) <= sum over (i, j) in M of (y[i] + y[j])
<= sum of all y``, since each person is in at most one pair. So ``sum(y)`` bounds every
matching, the optimum included. The smallest such sum is the LP relaxation of matching
(half the assignment optimum on the symmetric score matrix), which is within a few
hundredths of a percent of the optimum on pools like the ILN's.

Covering the pairs that were never scored. Only the candidate graph is known. Every allowed
pair ``(i, j)`` outside it scores at most ``min(cover[i], cover[j])`` (see
:mod:`mentoring.matching.candidates`). Requiring ``y[i] >= cover[i] / 2`` for everyone makes
``y[i] + y[j] >= (cover[i] + cover[j]) / 2 >= score(i, j)`` for all those pairs at once.

Computing ``y``. Write ``y[i] = cover[i] / 2 + z[i]`` with ``z >= 0``; the candidate edges
then need ``z[i] + z[j] >= w[i, j] = score(i, j) - (cover[i] + cover[j]) / 2``. The least
``sum(z)`` is half a maximum-weight bipartite matching of the doubled graph with weights
``w`` (zero-weight diagonal: "unmatched"), solved by scipy's sparse LAPJV (:mod:`full_matching`).
Its optimal duals come from shortest paths in the residual graph (a vectorised Bellman-Ford,
which converges because an optimal assignment leaves no negative cycle); for row duals ``a``
and column duals ``b``, ``z[i] = (a[i] + b[i]) / 2`` is feasible by symmetry. Everything is
kept in integer twentieths of a point, and the certificate ``y[i] + y[j] >= score(i, j)`` is
then checked on every candidate edge in integers; should a check ever fail (it would mean a
solver fault), the violated ``y`` are raised in one pass that restores feasibility. So the
bound reported is valid whatever the solvers did; solver quality only affects tightness.

Odd pools. If the people who have any allowed partner are odd in number, at most
``(|V| - 1) / 2`` pairs can form among them, and the bound drops by the smallest ``y`` among
them (see :func:`odd_pool_bound`): the LP alone would count the person who must be left over.

Pools where one country holds most people. The covers above give everyone half of each
pair outside the graph, so each of a large country's surplus, who cannot all be paired,
still adds half a cover, and the bound is far above any matching (18 % with 60 % in one
country). Any split of the covers works where every allowed pair outside the graph has
shares adding up to at least one whole: ``y[i] >= shares[i] * cover[i] / 2`` with
``shares[i] + shares[j] >= 2``. Since partners live in different countries, one country's
people may take no share (0) if everyone else takes all of theirs (2); see
:func:`country_shares`. The largest country's surplus then weighs nothing, and on such
pools the bound is the optimum itself. :func:`most_pairs` and :func:`pair_limited_bound`
(a cap on the number of pairs) are the fallback where that is not enough.

Small pools. Up to a few hundred people every allowed pair is a candidate, and the bound is
then the exact best total (Edmonds' blossom algorithm in rustworkx) when that is lower; see
:func:`exact_bound`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import rustworkx as rx
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_bipartite_matching

from mentoring.matching.candidates import CandidateGraph
from mentoring.matching.full_matching import max_weight_full_matching

MAX_BELLMAN_FORD_ROUNDS = 5000
EXACT_LIMIT = 300
LIMIT_EVALUATIONS = 8


@dataclass(frozen=True, eq=False)
class Bound:
    """``value`` (tenths) bounds the total of any allowed matching of the graph's people."""

    value: float
    repaired: bool
    """True if the solver's duals needed the fallback repair (a looser, still valid bound)."""
    binding: np.ndarray
    """People whose ``y`` is held up by their cover alone: deeper candidate lists (a lower
    cover) would let the bound come down there."""
    twice_y: np.ndarray
    """The certificate: ``2 y`` per person in twentieths of a point."""


def _mirrored_matching(
    n: int, rows: np.ndarray, cols: np.ndarray, weight: np.ndarray, side: np.ndarray
) -> np.ndarray:
    """The optimal full matching of a doubled graph whose every edge joins ``~side`` to
    ``side`` (``match_col[i]``: row i's column): a max-weight matching solved with ``~side``
    as the rows, then mirrored.

    Such a doubled graph is two mirrored copies of one bipartite graph joined by the
    diagonal, so a max-weight matching and its mirror are optimal together. Solved doubled,
    the larger side's people are rows competing for the smaller side's columns, and each
    one left over searches the graph for long (26 s of 27 s for the bound that leaves a
    country's covers out, at 100,000 people with 60 % in that country).
    """
    match_col = np.arange(n)
    others = np.flatnonzero(~side)
    members = np.flatnonzero(side)
    if others.size == 0 or members.size == 0:
        return match_col
    row = np.full(n, -1, np.int64)
    row[others] = np.arange(others.size)
    column = np.full(n, -1, np.int64)
    column[members] = np.arange(members.size)
    edge = ~side[rows] & (rows != cols)
    alone = members.size + np.arange(others.size)  # a column of its own: unpaired
    one_sided = sp.csr_array(
        (
            np.concatenate([weight[edge] + 1.0, np.ones(others.size)]),
            (
                np.concatenate([row[rows[edge]], np.arange(others.size)]),
                np.concatenate([column[cols[edge]], alone]),
            ),
        ),
        shape=(others.size, members.size + others.size),
    )
    assigned = max_weight_full_matching(one_sided)
    paired = np.flatnonzero(assigned < members.size)
    a, b = others[paired], members[assigned[paired]]
    match_col[a], match_col[b] = b, a
    return match_col


def _bipartite_duals(
    n: int, rows: np.ndarray, cols: np.ndarray, weight: np.ndarray, side: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Optimal duals ``a, b`` (a[i] + b[j] >= weight) of a max-weight full bipartite matching,
    and the matching (``match_col[i]``: row i's column). ``side``: where every edge joins
    ``~side`` to ``side``, the matching is found by :func:`_mirrored_matching`."""
    matrix = sp.csr_array(
        (weight.astype(np.float64) + 1.0, (rows, cols)), shape=(n, n)
    )  # +1: the solver needs non-zero weights; a constant shift does not change the optimum.
    if side is None:
        match_col = max_weight_full_matching(matrix)
    else:
        match_col = _mirrored_matching(n, rows, cols, weight.astype(np.float64), side)
    # The entries again in the matrix's order (by row), which the duals' search needs.
    rows = np.repeat(np.arange(n), np.diff(matrix.indptr))
    weight = matrix.data.astype(np.int64) - 1
    a, b = assignment_duals(n, rows, matrix.indices.astype(np.int64), weight, match_col)
    return a, b, match_col


def assignment_duals(
    n: int, rows: np.ndarray, cols: np.ndarray, weight: np.ndarray, match_col: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Duals ``a, b`` certifying that ``match_col`` is a max-weight full matching (if it is).

    Shortest paths from a virtual source in the residual graph, by vectorised Bellman-Ford.
    """
    match_row = np.empty(n, np.int64)
    match_row[match_col] = np.arange(n)
    cost = -weight.astype(np.int64)
    matched_cost = np.zeros(n, np.int64)
    is_matched = match_col[rows] == cols
    matched_cost[rows[is_matched]] = cost[is_matched]
    # Row potentials u (min-cost form): u[i'] <= u[i] + cost(i', j) - cost(i, j), j = match(i).
    free = ~is_matched
    source = match_row[cols[free]]
    target = rows[free]
    length = cost[free] - matched_cost[source]
    if (target[1:] < target[:-1]).any():
        order = np.argsort(target, kind="stable")
        source, target, length = source[order], target[order], length[order]
    starts = np.flatnonzero(np.r_[True, target[1:] != target[:-1]]) if target.size else target
    heads = target[starts] if target.size else target
    potential = np.zeros(n, np.int64)
    for _ in range(MAX_BELLMAN_FORD_ROUNDS):
        if target.size == 0:
            break
        best = np.minimum.reduceat(potential[source] + length, starts)
        lowered = best < potential[heads]
        if not lowered.any():
            break
        potential[heads[lowered]] = best[lowered]
    column = np.empty(n, np.int64)
    column[match_col] = matched_cost - potential
    return -potential, -column


def _edge_need(graph: CandidateGraph, twice_y: np.ndarray) -> np.ndarray:
    """Per person, the least ``2y`` its candidate edges allow given everyone else's ``y``."""
    lo = graph.lo.astype(np.int64)
    hi = graph.hi.astype(np.int64)
    score = graph.score.astype(np.int64)
    need = np.zeros(graph.n, np.int64)
    np.maximum.at(need, lo, 4 * score - twice_y[hi])
    np.maximum.at(need, hi, 4 * score - twice_y[lo])
    return need


def country_shares(country: np.ndarray) -> np.ndarray:
    """Cover shares (see the module docstring) that leave the largest country out: its
    people take none, everyone else all of theirs. Valid in any pool, since two people of
    one country are never partners; tight where that country holds most of the pool."""
    largest = np.bincount(country).argmax() if country.size else 0
    return np.where(country == largest, 0, 2).astype(np.int64)


def _cover_floor(graph: CandidateGraph, shares: np.ndarray | None) -> np.ndarray:
    """Per person, the least ``2y`` (twentieths) their share of the covers needs."""
    cover = np.maximum(graph.cover.astype(np.int64), 0)
    return 2 * cover if shares is None else shares * cover * 2


def _certified(
    graph: CandidateGraph, twice_y: np.ndarray, shares: np.ndarray | None = None
) -> Bound:
    """Check ``y`` on every edge and on the covers, repair if needed, and package the bound."""
    floor = _cover_floor(graph, shares)
    twice_y = np.maximum(twice_y, floor)
    need = _edge_need(graph, twice_y)
    repaired = bool((need > twice_y).any())
    if repaired:
        twice_y = np.maximum(twice_y, need)
        need = _edge_need(graph, twice_y)
    binding = np.flatnonzero(
        (graph.cover > 0) & (floor > 0) & (twice_y == floor) & (need < twice_y)
    )
    return Bound(
        value=float(twice_y.sum()) / 4, repaired=repaired, binding=binding, twice_y=twice_y
    )


def dual_bound(graph: CandidateGraph, shares: np.ndarray | None = None) -> Bound:
    """A certified upper bound (in tenths) on any allowed matching of the graph's people.

    ``shares``: how the covers are split (see the module docstring); by default everyone
    takes half of each pair outside the graph.
    """
    return _solved(graph, shares)[0]


def _solved(graph: CandidateGraph, shares: np.ndarray | None = None) -> tuple[Bound, float]:
    """:func:`dual_bound`, and the number of pairs the relaxation forms at its optimum.

    That number is ``sum x + sum v`` for the optimal fractional matching ``x`` and, for
    each person ``v`` it leaves to their cover, their share of a pair with someone outside
    the graph (half by default): on the assignment, the off-diagonal entries are half a
    pair each, and a diagonal one is that person's share where the cover is positive.
    """
    n = graph.n
    cover = np.maximum(graph.cover.astype(np.int64), 0)
    share = np.ones(n, np.int64) if shares is None else shares
    floor = share * cover  # y's floor, twentieths
    lo = graph.lo.astype(np.int64)
    hi = graph.hi.astype(np.int64)
    score = graph.score.astype(np.int64)
    reduced = 2 * score - floor[lo] - floor[hi]  # twentieths
    positive = reduced > 0
    people = np.arange(n)
    rows = np.concatenate([lo[positive], hi[positive], people])
    cols = np.concatenate([hi[positive], lo[positive], people])
    weight = np.concatenate([reduced[positive], reduced[positive], np.zeros(n, np.int64)])
    # Where only the people taking no share are paired across (a country's own), the
    # positive edges form a bipartite graph: solved one-sided (see _mirrored_matching).
    side = None
    if shares is not None:
        side = share == 0
        if (side[lo[positive]] == side[hi[positive]]).any():
            side = None
    a, b, match_col = _bipartite_duals(n, rows, cols, weight, side)
    alone = match_col == people
    pairs = (n - int(alone.sum()) + int(share[alone & (cover > 0)].sum())) / 2
    # 2y in twentieths: 2 * floor + a + b, with z = (a + b) / 2 >= 0 from the diagonal.
    return _certified(graph, 2 * floor + np.maximum(a + b, 0), shares), pairs


def extended_bound(graph: CandidateGraph, bound: Bound, shares: np.ndarray | None = None) -> Bound:
    """``bound``, solved before edges joined ``graph``, checked and kept valid on all of them.

    The edges that join after the candidates (the leftovers' pairs) are allowed pairs the
    covers already bound, so the solved ``y`` holds on them and the LP's optimum is the
    same: nothing needs solving again. The check is in integers all the same; should an
    edge need more (a cover that broke its promise), each end's ``y`` rises to what the
    edge needs given the other's old ``y``, which keeps the certificate valid.
    ``repaired`` keeps the solve's own flag, and is set if anything had to rise. ``shares``:
    the split of the covers it was solved with (see :func:`dual_bound`).
    """
    need = _edge_need(graph, bound.twice_y)
    certified = _certified(graph, np.maximum(bound.twice_y, need), shares)
    return Bound(
        value=certified.value,
        repaired=bound.repaired or bool((need > bound.twice_y).any()),
        binding=certified.binding,
        twice_y=certified.twice_y,
    )


def lowered_bound(graph: CandidateGraph, bound: Bound, people: np.ndarray) -> Bound:
    """The bound after ``people``'s covers came down (see :func:`candidates.deepen`).

    Without a new solve: each of them drops to the least ``y`` their edges and new cover
    allow with everyone else's ``y`` kept, then rises again where two of them share an edge
    that both drops together would break. Cheaper than :func:`dual_bound` on the deepened
    graph, and a little looser.
    """
    twice_y = bound.twice_y.copy()
    cover = np.maximum(graph.cover.astype(np.int64), 0)
    need = _edge_need(graph, twice_y)
    lowest = np.maximum(need[people], 2 * cover[people])
    twice_y[people] = np.minimum(bound.twice_y[people], lowest)
    # Two of them may share an edge and both have dropped: one pass restores that edge.
    twice_y[people] = np.maximum(twice_y[people], _edge_need(graph, twice_y)[people])
    return _certified(graph, twice_y)


def odd_pool_bound(graph: CandidateGraph, bound: Bound) -> Bound:
    """The bound less the smallest ``y`` when the people who can be paired are odd in number.

    Why it is valid: let ``V`` be those people (an edge or a non-negative cover) and ``m``
    the least ``y`` in ``V``. A matching ``M`` lies within ``V`` and has at most
    ``(|V| - 1) / 2`` pairs, so ``total(M) <= sum over M of (y[i] + y[j])
    = sum over matched i of (y[i] - m) + 2 m |M| <= sum over V of (y[i] - m) + m (|V| - 1)
    = sum over V of y - m``. (This is the dual of the blossom inequality on ``V``.)
    """
    pairable = graph.degree() > 0
    pairable |= graph.cover >= 0
    if pairable.sum() % 2 == 0:
        return bound
    least = float(bound.twice_y[pairable].min()) / 4
    return Bound(
        value=bound.value - least,
        repaired=bound.repaired,
        binding=bound.binding,
        twice_y=bound.twice_y,
    )


def exact_bound(graph: CandidateGraph, bound: Bound) -> Bound:
    """For a small pool whose graph holds every allowed pair, the exact best total if lower.

    When every cover is -1 the candidate graph is the whole allowed graph, so the best
    total of any matching (largest or not) is computable exactly by Edmonds' blossom
    algorithm (rustworkx); it closes the LP's gap on odd cycles, which is large in
    relative terms on very small pools (three people: the LP counts a triangle at half).
    """
    if graph.n > EXACT_LIMIT or graph.edges == 0 or (graph.cover >= 0).any():
        return bound
    network = rx.PyGraph()
    network.add_nodes_from(range(graph.n))
    network.add_edges_from(
        list(zip(graph.lo.tolist(), graph.hi.tolist(), graph.score.tolist(), strict=True))
    )
    matching = rx.max_weight_matching(network, weight_fn=int)
    score = {(a, b): s for a, b, s in network.weighted_edge_list()}
    best = sum(score.get((a, b), score.get((b, a), 0)) for a, b in matching)
    if best >= bound.value:
        return bound
    return Bound(
        value=float(best), repaired=bound.repaired, binding=bound.binding, twice_y=bound.twice_y
    )


def surplus_country(graph: CandidateGraph, country: np.ndarray) -> int | None:
    """The country whose people who can be paired outnumber everyone else's, so that the
    country rule leaves some of them over whatever the matching; None where none does.

    Its test is :func:`most_pairs`' own: the people outside it are fewer than the pairs
    half the pool could form.
    """
    pairable = (graph.degree() > 0) | (graph.cover >= 0)
    counts = np.bincount(country[pairable])
    if counts.size == 0:
        return None
    largest = int(counts.argmax())
    people = int(pairable.sum())
    return largest if people - int(counts[largest]) < people // 2 else None


def most_pairs(graph: CandidateGraph, country: np.ndarray) -> int:
    """A number of pairs no allowed matching of the graph's people can exceed.

    Half the people who can be paired; and, since partners live in different countries,
    no more pairs than people outside any one country. When the graph holds every allowed
    pair (every cover is -1), also half a maximum matching of its doubled graph.
    """
    pairable = (graph.degree() > 0) | (graph.cover >= 0)
    people = int(pairable.sum())
    largest = int(np.bincount(country[pairable]).max(initial=0))
    limit = min(people // 2, people - largest)
    if graph.n and (graph.cover < 0).all():
        rows = np.concatenate([graph.lo, graph.hi])
        cols = np.concatenate([graph.hi, graph.lo])
        doubled = sp.csr_array(
            (np.ones(rows.size, np.int8), (rows, cols)), shape=(graph.n, graph.n)
        )
        matched = maximum_bipartite_matching(doubled, perm_type="column")
        limit = min(limit, int((matched >= 0).sum()) // 2)
    return max(limit, 0)


def _shifted(graph: CandidateGraph, shift: int) -> CandidateGraph:
    """The graph with every score and cover lowered by ``shift`` (pairs at 0 or less dropped)."""
    kept = graph.score > shift
    cover = graph.cover.astype(np.int64)
    return CandidateGraph(
        n=graph.n,
        lo=graph.lo[kept],
        hi=graph.hi[kept],
        score=(graph.score[kept] - shift).astype(np.int16),
        cover=np.where(cover >= 0, np.maximum(cover - shift, 0), -1).astype(np.int32),
        pairs_scored=graph.pairs_scored,
        exact=graph.exact,
    )


def _crossing(left: tuple[int, float, float], right: tuple[int, float, float]) -> float:
    """Where the tangent lines ``(t, value, slope)`` at ``left`` and ``right`` meet."""
    (t0, g0, s0), (t1, g1, s1) = left, right
    return (g1 - g0 + s0 * t0 - s1 * t1) / (s0 - s1)


def pair_limited_bound(
    graph: CandidateGraph, bound: Bound, limit: int, evaluations: int = LIMIT_EVALUATIONS
) -> Bound:
    """The bound where the number of pairs is capped by ``limit`` (see :func:`most_pairs`).

    Why it is valid (a Lagrangian of the cap): for any ``t >= 0`` and any matching ``M``
    with at most ``limit`` pairs, ``total(M) = sum over M of (score - t) + t |M|``, and the
    first sum is at most the LP bound of the scores lowered by ``t`` (covers lowered too,
    pairs at 0 or less dropped), so ``total(M) <= g(t) = bound(t) + t * limit``. Every
    ``t`` gives a valid bound.

    The search: ``g`` is convex, and its slope at ``t`` is ``limit`` less the pairs the
    relaxation forms there (:func:`_solved`), so each solve tells on which side of the
    best shift it lies. The first shift is where ``g``'s tangents at both ends would meet
    (the plain bound spread over all pairs); then the shifts that bracket the best are
    narrowed by interpolating the slope to zero (regula falsi, Illinois variant), until
    two neighbouring shifts bracket it, the tangents prove the best found within a
    quarter of a tenth, or ``evaluations`` solves were spent. The LP alone counts people
    a rule leaves over (the surplus of a country holding most of the pool) in half-pairs
    around odd cycles; the cap takes them out.
    """
    pairable = int(((graph.degree() > 0) | (graph.cover >= 0)).sum())
    if graph.edges == 0 or 2 * limit >= pairable:
        return bound
    ceiling = int(max(int(graph.score.max()), int(graph.cover.max(initial=0))))
    best = bound
    # At the ceiling every pair is dropped: g = ceiling * limit, slope limit.
    right = (ceiling, float(ceiling * limit), float(limit))
    start = (0, bound.value, limit - pairable / 2)  # a rough tangent at 0 (not evaluated)
    left: tuple[int, float, float] | None = None
    shift = round(_crossing(start, right))
    kept = ""
    for _ in range(evaluations):
        shift = min(max(shift, left[0] + 1 if left else 0), right[0] - 1)
        shifted, pairs = _solved(_shifted(graph, shift))
        value, slope = shifted.value + shift * limit, limit - pairs
        if value < best.value:
            best = Bound(
                value=value,
                repaired=shifted.repaired,
                binding=bound.binding,
                twice_y=bound.twice_y,
            )
        if slope == 0:
            break
        side = "left" if slope < 0 else "right"
        if side == "left":
            left = (shift, value, slope)
        else:
            right = (shift, value, slope)
        if left is None:
            if shift == 0:
                break
            shift = round(_crossing(start, right))
            continue
        if right[0] - left[0] <= 1 or best.value - _low(left, right) < 0.25:
            break
        left_slope, right_slope = left[2], right[2]
        if side == kept == "right":
            left_slope /= 2
        if side == kept == "left":
            right_slope /= 2
        kept = side
        shift = round(left[0] - left_slope * (right[0] - left[0]) / (right_slope - left_slope))
    return best


def _low(left: tuple[int, float, float], right: tuple[int, float, float]) -> float:
    """The least value ``g`` may take between two points, by its tangents there."""
    crossing = _crossing(left, right)
    return left[1] + left[2] * (crossing - left[0])
