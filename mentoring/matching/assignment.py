"""Choosing pairs on the candidate graph: sparse assignment, cycle repair and local exact fixes.

1. **Assignment.** The candidate graph, doubled into a bipartite graph (everyone is both a
   row and a column), is solved by scipy's sparse LAPJV (:mod:`full_matching`).
   The diagonal is allowed at a tiny weight so a full matching always exists; real edges carry
   a bonus so that people are left on the diagonal only when nothing else works. Ties among
   integer scores are many (they make long cycles, repaired below); people are relabelled
   by a seeded shuffle, which picks among equally good assignments. Where one country holds
   most of the pool, the people outside it are assigned partners in it instead
   (:func:`surplus_assignment`): no surplus of rows, and no cycles.
2. **Cycle repair.** An assignment on a symmetric matrix is a permutation, not a matching.
   Two-cycles are pairs. An even cycle splits into the better of its two alternating
   matchings (at an optimum both are equally good). An odd cycle of length ``L`` keeps
   ``(L - 1) / 2`` pairs, dropping the person whose removal loses least.
3. **Exact windows.** Around each short odd cycle, the people left over (a few to a window)
   and each of the weakest pairs, a small window (the people, their best candidate partners
   and those partners' current partners) is re-solved exactly with rustworkx
   ``max_weight_matching`` (most pairs first, then the highest total); the window's result
   replaces the current pairs when better. Leftovers still apart are then joined along
   augmenting paths (a breadth-first search through alternating pairs), each path polished
   by a window. Last, each long odd cycle gets windows along it, a run of its people to a
   window. A pool no larger than a window is solved exactly in one go.
4. **Pair swaps (2-opt).** For pairs ``(a, b)`` and ``(c, d)`` with ``a-c`` a candidate
   edge, ``(a, c), (b, d)`` replaces them when it is allowed and scores more.

The result is a ``mate`` array: ``mate[i]`` is i's partner, or -1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import rustworkx as rx
import scipy.sparse as sp

from mentoring.matching.arrays import sorted_unique
from mentoring.matching.candidates import CandidateGraph
from mentoring.matching.full_matching import max_weight_full_matching

EDGE_BONUS = 2000.0
DIAGONAL_WEIGHT = 1.0
SHORT_ODD_CYCLE = 9
LONG_CYCLE_RUN = 24
WINDOW_NODES = 400
LEFTOVERS_PER_WINDOW = 6
WEAK_PAIR_WINDOWS = 20
MANY_LEFTOVERS = 1000
"""More people than this left over by the assignment: augmenting paths before windows."""


@dataclass(frozen=True, eq=False)
class Adjacency:
    """The candidate graph as sorted neighbour lists (CSR), both directions."""

    n: int
    indptr: np.ndarray
    neighbour: np.ndarray
    score: np.ndarray
    keys: np.ndarray  # sorted lo * n + hi of each undirected edge
    key_score: np.ndarray

    @classmethod
    def from_graph(cls, graph: CandidateGraph) -> Adjacency:
        n = graph.n
        both = sp.csr_array(
            (
                np.concatenate([graph.score, graph.score]).astype(np.int32),
                (np.concatenate([graph.lo, graph.hi]), np.concatenate([graph.hi, graph.lo])),
            ),
            shape=(n, n),
        )
        both.sort_indices()  # built from COO, already in order; a no-op then
        return cls(
            n=n,
            indptr=both.indptr.astype(np.int64),
            neighbour=both.indices.astype(np.int32),
            score=both.data.astype(np.int32),
            keys=graph.lo.astype(np.int64) * n + graph.hi,
            key_score=graph.score.astype(np.int32),
        )

    def neighbours(self, person: int) -> np.ndarray:
        return self.neighbour[self.indptr[person] : self.indptr[person + 1]]

    def edge_score(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Scores of candidate edges ``(a[k], b[k])``; -1 where the pair is not an edge."""
        a = np.asarray(a, np.int64)
        b = np.asarray(b, np.int64)
        probe = np.minimum(a, b) * self.n + np.maximum(a, b)
        if self.keys.size == 0:
            return np.full(probe.shape, -1, np.int32)
        where = np.minimum(np.searchsorted(self.keys, probe), self.keys.size - 1)
        return np.where(self.keys[where] == probe, self.key_score[where], -1)


def _fits_in_64_bits(n: int, edge_bits: int) -> bool:
    """Whether a person, an int16 score and an edge id pack into 64 bits."""
    return max(1, n.bit_length()) + 16 + edge_bits <= 64


def strongest_edges(graph: CandidateGraph, per_person: int) -> CandidateGraph:
    """The subgraph of each person's ``per_person`` best edges (union over people; ties:
    the earlier edge)."""
    n = graph.n
    rows = np.concatenate([graph.lo, graph.hi]).astype(np.int64)
    scores = np.concatenate([graph.score, graph.score]).astype(np.int64)
    edge = np.concatenate([np.arange(graph.edges), np.arange(graph.edges)])
    edge_bits = max(1, graph.edges.bit_length())
    if _fits_in_64_bits(n, edge_bits):
        # One sort of (person, score, edge) packed in 64 bits: a third of a lexsort's time.
        packed = rows.astype(np.uint64) << np.uint64(16 + edge_bits)
        packed |= (32767 - scores).astype(np.uint64) << np.uint64(edge_bits)
        packed |= edge.astype(np.uint64)
        order = np.argsort(packed)
    else:
        order = np.lexsort((edge, -scores, rows))
    rows, edge = rows[order], edge[order]
    first = np.searchsorted(rows, np.arange(n))
    rank = np.arange(rows.size) - first[rows]
    keep = sorted_unique(edge[rank < per_person])
    return CandidateGraph(
        n=n,
        lo=graph.lo[keep],
        hi=graph.hi[keep],
        score=graph.score[keep],
        cover=graph.cover,
        pairs_scored=graph.pairs_scored,
        exact=graph.exact,
    )


def assignment(graph: CandidateGraph, seed: int) -> np.ndarray:
    """The optimal permutation of the doubled candidate graph (``perm[i] == i``: unassigned).

    People are relabelled by a seeded shuffle first: among equally good assignments the
    solver's choice depends on the labels, so the seed picks one, reproducibly.
    """
    n = graph.n
    shuffle = np.random.default_rng(seed).permutation(n)
    label = np.empty(n, np.int64)
    label[shuffle] = np.arange(n)
    weight = graph.score.astype(np.float64) + EDGE_BONUS
    lo, hi, diagonal = label[graph.lo], label[graph.hi], np.arange(n)
    matrix = sp.csr_array(
        (
            np.concatenate([weight, weight, np.full(n, DIAGONAL_WEIGHT)]),
            (np.concatenate([lo, hi, diagonal]), np.concatenate([hi, lo, diagonal])),
        ),
        shape=(n, n),
    )
    assigned = max_weight_full_matching(matrix)
    return shuffle[assigned[label]].astype(np.int64)


def surplus_assignment(graph: CandidateGraph, surplus: np.ndarray, seed: int) -> np.ndarray:
    """Pairs across a country that holds most of the pool: each person outside it assigned a
    partner in it (``mate``; -1 for nobody).

    Every pair of such a pool has at least one person from outside the country
    (``~surplus``), so they are the rows here, and the country's people the columns, with
    a column of its own for each row to stay unpaired (at the diagonal's weight). On the
    doubled graph of :func:`assignment` the country's people are rows too, more of them
    than there are others to pair with: each of those left over ends a long search of the
    whole graph for a column (57 of 60 s at 100,000 people with 60 % in one country; 3 s
    here for the same pairs less 0.002 % of the total). Pairs between two people outside
    the country are left out: where the cap on pairs is reached there are none, and
    elsewhere the windows and augmenting paths of :func:`improve` form them.
    """
    n = graph.n
    mate = np.full(n, -1, np.int64)
    others = np.flatnonzero(~surplus)
    members = np.flatnonzero(surplus)
    if others.size == 0 or members.size == 0:
        return mate
    rng = np.random.default_rng(seed)  # seeded labels choose among equally good answers
    row = np.full(n, -1, np.int64)
    row[others] = rng.permutation(others.size)
    column = np.full(n, -1, np.int64)
    column[members] = rng.permutation(members.size)
    crossing = surplus[graph.lo] != surplus[graph.hi]
    lo = graph.lo[crossing].astype(np.int64)
    hi = graph.hi[crossing].astype(np.int64)
    outside = np.where(surplus[lo], hi, lo)
    inside = np.where(surplus[lo], lo, hi)
    rows = others.size
    weight = np.concatenate([graph.score[crossing] + EDGE_BONUS, np.full(rows, DIAGONAL_WEIGHT)])
    matrix = sp.csr_array(
        (
            weight.astype(np.float64),
            (
                np.concatenate([row[outside], np.arange(rows)]),
                np.concatenate([column[inside], members.size + np.arange(rows)]),
            ),
        ),
        shape=(rows, members.size + rows),
    )
    assigned = max_weight_full_matching(matrix)
    person_of_row = np.empty(rows, np.int64)
    person_of_row[row[others]] = others
    person_of_column = np.empty(members.size, np.int64)
    person_of_column[column[members]] = members
    paired = np.flatnonzero(assigned < members.size)
    a, b = person_of_row[paired], person_of_column[assigned[paired]]
    mate[a] = b
    mate[b] = a
    return mate


def repair_cycles(perm: np.ndarray, adjacency: Adjacency) -> tuple[np.ndarray, list[np.ndarray]]:
    """Pairs from a permutation, and the people of each odd cycle (for exact windows).

    The person dropped from a long odd cycle is left over (see :func:`leftover_groups`);
    the cycle's windows come last (see :func:`long_cycle_groups`).
    """
    n = perm.size
    people = np.arange(n)
    mate = np.full(n, -1, np.int64)
    two = (perm[perm] == people) & (perm != people)
    mate[two] = perm[two]
    odd_groups: list[np.ndarray] = []
    seen = two | (perm == people)
    odd_groups.extend(np.array([p]) for p in np.flatnonzero(perm == people))
    for start in np.flatnonzero(~seen):
        if seen[start]:
            continue
        cycle = [int(start)]
        seen[start] = True
        nxt = int(perm[start])
        while nxt != start:
            cycle.append(nxt)
            seen[nxt] = True
            nxt = int(perm[nxt])
        order = np.array(cycle)
        following = np.roll(order, -1)
        weights = adjacency.edge_score(order, following).astype(np.int64)
        length = order.size
        if length % 2 == 0:
            shift = 0 if weights[0::2].sum() >= weights[1::2].sum() else 1
            firsts = order[shift::2]
            seconds = np.roll(order, -1)[shift::2]
            mate[firsts] = seconds
            mate[seconds] = firsts
            continue
        best_value, best_drop = -1, 0
        for drop in range(length):
            path = np.roll(order, -(drop + 1))[: length - 1]
            value = adjacency.edge_score(path[0::2], path[1::2]).sum()
            if value > best_value:
                best_value, best_drop = value, drop
        path = np.roll(order, -(best_drop + 1))[: length - 1]
        mate[path[0::2]] = path[1::2]
        mate[path[1::2]] = path[0::2]
        odd_groups.append(order)
    return mate, odd_groups


def _window_nodes(
    adjacency: Adjacency, mate: np.ndarray, seeds: np.ndarray, per_seed: int
) -> np.ndarray:
    """The seeds, their partners, their ``per_seed`` best candidates and those partners."""
    chosen = set(seeds.tolist())
    chosen.update(int(mate[s]) for s in seeds if mate[s] >= 0)
    for s in seeds.tolist():
        start, end = adjacency.indptr[s], adjacency.indptr[s + 1]
        best = np.argsort(-adjacency.score[start:end], kind="stable")[:per_seed]
        others = adjacency.neighbour[start:end][best]
        chosen.update(others.tolist())
        partners = mate[others]
        chosen.update(partners[partners >= 0].tolist())
    return np.array(sorted(chosen), np.int64)


def solve_window(
    adjacency: Adjacency, mate: np.ndarray, nodes: np.ndarray, position: np.ndarray
) -> bool:
    """Re-solve the pairs among ``nodes`` exactly; update ``mate`` in place if better.

    ``position`` is a scratch array of -1s (one per person), left as it was found.
    """
    starts, ends = adjacency.indptr[nodes], adjacency.indptr[nodes + 1]
    counts = ends - starts
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
    owner = np.repeat(np.arange(nodes.size), counts)
    position[nodes] = np.arange(nodes.size)
    other = position[adjacency.neighbour[offsets]]
    position[nodes] = -1
    inside = other > owner
    if not inside.any():
        return False
    edges = list(
        zip(
            owner[inside].tolist(),
            other[inside].tolist(),
            adjacency.score[offsets[inside]].tolist(),
            strict=True,
        )
    )
    matched_now = mate[nodes] >= 0
    current_pairs = int(matched_now.sum()) // 2
    partners = mate[nodes][matched_now]
    current_score = int(adjacency.edge_score(nodes[matched_now], partners).sum()) // 2
    graph = rx.PyGraph()
    graph.add_nodes_from(range(nodes.size))
    graph.add_edges_from(edges)
    result = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    pairs = np.array(sorted(tuple(sorted(pair)) for pair in result), np.int64).reshape(-1, 2)
    a = nodes[pairs[:, 0]]
    b = nodes[pairs[:, 1]]
    new_score = int(adjacency.edge_score(a, b).sum())
    if (len(pairs), new_score) <= (current_pairs, current_score):
        return False
    mate[nodes] = -1
    mate[a] = b
    mate[b] = a
    return True


def exact_windows(
    adjacency: Adjacency, mate: np.ndarray, seed_groups: list[np.ndarray]
) -> tuple[int, int]:
    """Run :func:`solve_window` around each group of seeds; returns (windows, improved)."""
    improved = 0
    position = np.full(adjacency.n, -1, np.int64)
    for seeds in seed_groups:
        per_seed = max(WINDOW_NODES // (2 * seeds.size), 8)
        nodes = _window_nodes(adjacency, mate, seeds, per_seed)
        improved += solve_window(adjacency, mate, nodes, position)
    return len(seed_groups), improved


def leftover_groups(adjacency: Adjacency, mate: np.ndarray) -> list[np.ndarray]:
    """People without a partner who have candidate partners, a few to a window.

    Putting several leftovers in one window lets the exact solver find the short augmenting
    paths that pair them up through other pairs.
    """
    degree = np.diff(adjacency.indptr)
    left = np.flatnonzero((mate < 0) & (degree > 0))
    return [left[k : k + LEFTOVERS_PER_WINDOW] for k in range(0, left.size, LEFTOVERS_PER_WINDOW)]


def _alternating_path(
    adjacency: Adjacency, mate: np.ndarray, free: np.ndarray, limit: int
) -> list[int] | None:
    """An augmenting path between two free people (free, matched, ..., free), or None.

    A breadth-first search grows alternating trees from every free person at once and stops
    when two trees touch through an edge between their outer people. It skips the blossom
    shrinking of a full matching algorithm, so it can miss a path, never report a wrong one.
    """
    n = adjacency.n
    root = np.full(n, -1, np.int64)
    parent = np.full(n, -1, np.int64)
    outer = np.zeros(n, bool)
    root[free] = free
    outer[free] = True
    frontier = list(free.tolist())
    visited = 0
    while frontier and visited < limit:
        following = []
        for u in frontier:
            visited += 1
            others = adjacency.neighbours(u)
            touching = others[outer[others] & (root[others] != root[u])]
            if touching.size:
                v = int(touching[0])
                left = [u]
                while parent[left[-1]] >= 0:
                    left.append(int(parent[left[-1]]))
                right = [v]
                while parent[right[-1]] >= 0:
                    right.append(int(parent[right[-1]]))
                return left[::-1] + right
            fresh = others[(root[others] < 0) & (mate[others] >= 0)]
            for v in fresh.tolist():
                if root[v] >= 0:
                    continue
                w = int(mate[v])
                root[v] = root[w] = root[u]
                parent[v] = u
                parent[w] = v
                outer[w] = True
                following.append(w)
        frontier = following
    return None


def augment_leftovers(
    adjacency: Adjacency, mate: np.ndarray, limit: int = 20000
) -> list[np.ndarray]:
    """Pair up leftovers along augmenting paths; returns the paths (to polish with windows)."""
    degree = np.diff(adjacency.indptr)
    touched: list[np.ndarray] = []
    while True:
        free = np.flatnonzero((mate < 0) & (degree > 0))
        if free.size < 2:
            return touched
        path = _alternating_path(adjacency, mate, free, limit)
        if path is None:
            return touched
        for first, second in zip(path[0::2], path[1::2], strict=True):
            mate[first] = second
            mate[second] = first
        touched.append(np.array(path))


def weak_pair_groups(adjacency: Adjacency, mate: np.ndarray, count: int) -> list[np.ndarray]:
    """The ``count`` lowest-scoring pairs, as seed groups for windows."""
    people = np.flatnonzero(mate > np.arange(mate.size))
    if people.size == 0:
        return []
    scores = adjacency.edge_score(people, mate[people])
    order = np.argsort(scores, kind="stable")[:count]
    return [np.array([people[k], mate[people[k]]]) for k in order]


def slack_pair_groups(
    mate: np.ndarray, twice_y: np.ndarray, pair_score: np.ndarray, count: int
) -> list[np.ndarray]:
    """The ``count`` pairs the bound's duals price highest above their score, as seed groups.

    ``twice_y`` is a certificate of :mod:`bounds` (twentieths) and ``pair_score[i]`` the
    score of ``i``'s pair (tenths). A pair whose partners' ``y`` add up to much more than
    its score is one the relaxation would not form: the best matching pairs them otherwise.
    """
    people = np.flatnonzero(mate > np.arange(mate.size))
    if people.size == 0:
        return []
    slack = twice_y[people] + twice_y[mate[people]] - 4 * pair_score[people]
    order = np.argsort(-slack, kind="stable")[:count]
    return [np.array([people[k], mate[people[k]]]) for k in order]


def long_cycle_groups(odd_cycles: list[np.ndarray]) -> list[np.ndarray]:
    """The odd cycles too long for one window, cut into runs of consecutive people.

    The people of a long odd cycle were paired along it (one of them dropped), and the
    best pairs among them and their neighbours often run across it.
    """
    runs = []
    for cycle in odd_cycles:
        if cycle.size > SHORT_ODD_CYCLE:
            parts = -(-cycle.size // LONG_CYCLE_RUN)
            runs.extend(np.array_split(cycle, parts))
    return runs


def improve(
    adjacency: Adjacency, mate: np.ndarray, odd_cycles: list[np.ndarray], most_pairs: int
) -> dict:
    """All the exact windows, in order; returns counts for the result's stats.

    A pool no larger than a window is solved exactly in one go on the candidate graph.
    When the matching has ``most_pairs`` (no matching can have more), the people left over
    are a rule's surplus: no window or path around them can pair them. So are they when
    more than ``MANY_LEFTOVERS`` are left over although the assignment put the number of
    pairs first (a country's surplus, a few pairs short of the cap on a large pool):
    augmenting paths pair those who can be, and no window is spent on each of them (tens
    of thousands of windows cost 35 s at 100,000 people for 0.01 % of the total).
    """
    if adjacency.n <= WINDOW_NODES:
        position = np.full(adjacency.n, -1, np.int64)
        improved = solve_window(adjacency, mate, np.arange(adjacency.n), position)
        return {"windows": 1, "windows_improved": int(improved), "augmenting_paths": 0}
    paths: list[np.ndarray] = []
    capped = int((mate >= 0).sum()) // 2 >= most_pairs
    if not capped and int((mate < 0).sum()) > MANY_LEFTOVERS:
        paths = augment_leftovers(adjacency, mate)
        capped = True
    if capped:
        odd_cycles = [cycle for cycle in odd_cycles if cycle.size > 1]
    short = [cycle for cycle in odd_cycles if cycle.size <= SHORT_ODD_CYCLE]
    windows, improved = exact_windows(adjacency, mate, short)
    if not capped:
        more, better = exact_windows(adjacency, mate, leftover_groups(adjacency, mate))
        windows, improved = windows + more, improved + better
        paths += augment_leftovers(adjacency, mate)
    more, better = exact_windows(adjacency, mate, paths)
    windows, improved = windows + more, improved + better
    weak = weak_pair_groups(adjacency, mate, WEAK_PAIR_WINDOWS)
    more, better = exact_windows(adjacency, mate, weak)
    windows, improved = windows + more, improved + better
    more, better = exact_windows(adjacency, mate, long_cycle_groups(odd_cycles))
    return {
        "windows": windows + more,
        "windows_improved": int(improved + better),
        "augmenting_paths": len(paths),
    }


def pair_swaps(
    adjacency: Adjacency,
    mate: np.ndarray,
    score_of: Callable[[np.ndarray, np.ndarray], np.ndarray],
    ceiling: np.ndarray,
    rounds: int = 3,
) -> int:
    """2-opt: swap partners between two pairs joined by a candidate edge when it gains.

    ``score_of(i, j)`` gives exact scores of any pairs, negative when not allowed;
    ``ceiling[i]`` is a score no pair of ``i`` exceeds (to skip hopeless swaps unscored).
    The new pair ``(b, d)`` need not be a candidate edge. Returns the number of swaps.
    """
    n = adjacency.n
    rows = np.repeat(np.arange(n), np.diff(adjacency.indptr))
    cols = adjacency.neighbour.astype(np.int64)
    ac_score = adjacency.score.astype(np.int64)
    paired = np.flatnonzero(mate >= 0)
    current = np.full(n, -1, np.int64)
    current[paired] = score_of(paired, mate[paired])
    swaps = 0
    for _ in range(rounds):
        b = mate[rows]
        d = mate[cols]
        usable = (b >= 0) & (d >= 0) & (b != cols) & (rows < cols)
        a, c, ac, b, d = rows[usable], cols[usable], ac_score[usable], b[usable], d[usable]
        partial = ac - current[a] - current[c]
        hopeful = partial + np.minimum(ceiling[b], ceiling[d]) > 0
        a, b, c, d, partial = a[hopeful], b[hopeful], c[hopeful], d[hopeful], partial[hopeful]
        bd = score_of(b, d).astype(np.int64)
        gain = np.where(bd >= 0, partial + bd, -1)
        good = np.flatnonzero(gain > 0)
        if good.size == 0:
            break
        good = good[np.argsort(-gain[good], kind="stable")]
        used = np.zeros(n, bool)
        done = 0
        for k in good.tolist():
            group = [a[k], b[k], c[k], d[k]]
            if used[group].any():
                continue
            used[group] = True
            mate[a[k]], mate[c[k]] = c[k], a[k]
            mate[b[k]], mate[d[k]] = d[k], b[k]
            current[a[k]] = current[c[k]] = ac[k]
            current[b[k]] = current[d[k]] = bd[k]
            done += 1
        swaps += done
    return swaps
