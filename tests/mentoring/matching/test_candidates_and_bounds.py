"""The candidate graph keeps its promise (nothing outside beats the cover), and the bound is
a valid certificate: feasible on every edge and never below the exact optimum."""

from unittest import mock

import numpy as np
import pytest
import rustworkx as rx
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from mentoring.matching import assignment, bounds, candidates
from mentoring.matching.assignment import Adjacency
from mentoring.matching.bounds import country_shares, dual_bound, lowered_bound
from mentoring.matching.candidates import (
    NeverPairs,
    added_edges,
    blocked_candidates,
    deepen,
    dense_candidates,
    tie_keys,
)
from mentoring.matching.features import encode
from mentoring.matching.hierarchy import Hierarchy
from mentoring.matching.scoring import DISALLOWED, Scorer
from mentoring.matching.synthetic import dominant_pool, synthetic_pool


def _setup(n: int, seed: int = 3, hierarchy: Hierarchy | None = None):
    pool = synthetic_pool(n, seed)
    scorer = Scorer(encode(pool.applicants), hierarchy or Hierarchy())
    pairs = np.array([tuple(p) for p in pool.rules.never() if max(p) < n]).reshape(-1, 2)
    return scorer, NeverPairs.from_pairs(n, pairs[:, 0], pairs[:, 1])


def _all_scores(scorer: Scorer, never: NeverPairs) -> np.ndarray:
    n = scorer.features.n
    everyone = np.arange(n)
    scores = scorer.block(everyone, everyone)
    never.mask(scores, everyone, everyone)
    return scores


def _assert_cover_promise(graph, scores: np.ndarray) -> None:
    outside = scores.astype(np.int64).copy()
    outside[graph.lo, graph.hi] = -1
    outside[graph.hi, graph.lo] = -1
    assert (outside.max(axis=1) <= graph.cover).all()
    assert (scores[graph.lo, graph.hi] == graph.score).all()
    assert (graph.score >= 0).all() and (graph.lo < graph.hi).all()


@pytest.fixture(scope="module")
def medium():
    scorer, never = _setup(900)
    return scorer, never, _all_scores(scorer, never)


def test_never_pairs_are_found_and_masked():
    never = NeverPairs.from_pairs(5, np.array([0, 3]), np.array([4, 1]))
    assert never.contains(np.array([4, 1, 0, 2]), np.array([0, 3, 1, 2])).tolist() == [
        True,
        True,
        False,
        False,
    ]
    scores = np.zeros((2, 5), np.int16)
    never.mask(scores, np.array([0, 1]), np.arange(5))
    assert (scores < 0).tolist() == [
        [True, False, False, False, True],
        [False, True, False, True, False],
    ]


def test_dense_candidates_keep_the_k_best_and_an_exact_cover(medium):
    scorer, never, scores = medium
    graph = dense_candidates(scorer, never, 20)
    _assert_cover_promise(graph, scores)
    kth = -np.sort(-scores.astype(np.int64), axis=1)[:, 19]
    assert np.array_equal(graph.cover, np.where(kth >= 0, kth, -1))


@pytest.mark.parametrize("stop_rank", [4, 20])
def test_blocked_candidates_keep_the_promise(medium, stop_rank):
    scorer, never, scores = medium
    graph = blocked_candidates(scorer, never, 20, seed=1, block_size=40, stop_rank=stop_rank)
    _assert_cover_promise(graph, scores)
    if stop_rank == 20:
        exact = dense_candidates(scorer, never, 20)
        assert graph.exact and np.array_equal(graph.cover, exact.cover)


def test_deepening_lowers_covers_and_keeps_the_promise(medium):
    scorer, never, scores = medium
    graph = blocked_candidates(scorer, never, 10, seed=1, block_size=40, stop_rank=3)
    people = np.arange(0, 900, 7)
    deeper = deepen(scorer, never, graph, people, 40)
    _assert_cover_promise(deeper, scores)
    assert (deeper.cover[people] <= graph.cover[people]).all()
    assert deeper.edges > graph.edges


def test_merging_lists_keeps_each_rows_k_best_with_seeded_ties():
    rng = np.random.default_rng(5)
    k, count, width, seed = 6, 40, 50, 2
    rows = np.arange(100, 100 + count)
    best = rng.integers(12, 14, (count, k)).astype(np.int16)
    best[:4] = DISALLOWED  # lists with room take the new columns' best first
    best[4, :3] = DISALLOWED
    partners = rng.permutation(1000)[: count * k].reshape(count, k).astype(np.int64)
    cols = np.arange(2000, 2000 + width)
    scores = rng.integers(-2, 13, (count, width)).astype(np.int16)  # ties at the k-th best
    active = np.arange(0, count, 2)
    merged, merged_partners = candidates._merge_lists(
        best.copy(), partners.copy(), active, scores[active], k, rows, cols, seed
    )
    for r in range(count):
        if r not in active:
            assert (merged[r] == best[r]).all() and (merged_partners[r] == partners[r]).all()
            continue
        values = np.concatenate([best[r], scores[r]]).astype(np.int64)
        ids = np.concatenate([partners[r], cols])
        top = np.lexsort((tie_keys(np.full(ids.size, rows[r]), ids, seed), -values))[:k]
        assert sorted(zip(values[top].tolist(), ids[top].tolist(), strict=True)) == sorted(
            zip(merged[r].tolist(), merged_partners[r].tolist(), strict=True)
        )


def test_threads_do_not_change_the_graph(medium, monkeypatch):
    scorer, never, _ = medium

    def run():
        graph = blocked_candidates(scorer, never, 10, seed=1, block_size=40)
        return deepen(scorer, never, graph, np.arange(0, 900, 5), 40)

    monkeypatch.setattr(candidates, "_workers", lambda: 1)
    alone = run()
    monkeypatch.setattr(candidates, "_workers", lambda: 2)
    together = run()
    for name in ("lo", "hi", "score", "cover"):
        assert np.array_equal(getattr(alone, name), getattr(together, name))


@pytest.mark.parametrize("owners", [120, 70_000])
def test_ranking_by_a_packed_key_orders_as_a_three_key_sort(owners):
    rng = np.random.default_rng(owners)
    size = 20_000
    owner = rng.integers(0, owners, size)
    value = rng.choice(np.array([DISALLOWED, -1, 0, 640, 641, 1000]), size).astype(np.int32)
    tie = tie_keys(owner, rng.integers(0, 50, size), seed=4)  # repeated keys: order kept
    expected = np.lexsort((tie, -value, owner))
    assert np.array_equal(candidates._best_first(owner, value, tie), expected)


@pytest.mark.parametrize("in_key_order", [True, False])
def test_growing_a_graph_merges_new_pairs_as_rebuilding_it_would(medium, in_key_order):
    scorer, never, _ = medium
    graph = dense_candidates(scorer, never, 8)
    if not in_key_order:
        order = np.random.default_rng(1).permutation(graph.edges)
        graph = candidates.CandidateGraph(
            graph.n, graph.lo[order], graph.hi[order], graph.score[order], graph.cover, 9, True
        )
    rng = np.random.default_rng(2)
    start = rng.integers(0, 900, 3000)
    a = np.concatenate([start, graph.hi[:50]])  # the last few already in, and reversed
    b = np.concatenate([(start + rng.integers(1, 900, 3000)) % 900, graph.lo[:50]])
    score = np.concatenate([rng.integers(-5, 1000, 3000), np.full(50, 7)]).astype(np.int16)
    grown = graph.with_edges(a, b, score)
    rebuilt = candidates._graph(
        graph.n,
        np.concatenate([graph.lo, a]),
        np.concatenate([graph.hi, b]),
        np.concatenate([graph.score, score]),
        graph.cover,
        graph.pairs_scored,
        exact=graph.exact,
    )
    for name in ("lo", "hi", "score", "cover"):
        assert np.array_equal(getattr(grown, name), getattr(rebuilt, name))
    assert grown.edges > graph.edges and (grown.lo < grown.hi).all()


def test_the_adjacency_lists_each_persons_partners_in_order_with_their_scores(medium):
    scorer, never, scores = medium
    graph = dense_candidates(scorer, never, 8)
    adjacency = Adjacency.from_graph(graph)
    listed = np.zeros((graph.n, graph.n), bool)
    listed[graph.lo, graph.hi] = listed[graph.hi, graph.lo] = True
    for person in range(graph.n):
        partners = adjacency.neighbours(person)
        assert partners.tolist() == np.flatnonzero(listed[person]).tolist()
        ends = slice(adjacency.indptr[person], adjacency.indptr[person + 1])
        assert adjacency.score[ends].tolist() == scores[person, partners].tolist()
    assert adjacency.edge_score(graph.hi[:9], graph.lo[:9]).tolist() == graph.score[:9].tolist()


@pytest.mark.parametrize("packed", [True, False])
def test_each_persons_strongest_edges_are_kept_ties_to_the_earlier_edge(packed, monkeypatch):
    monkeypatch.setattr(assignment, "_fits_in_64_bits", lambda n, bits: packed)
    rng = np.random.default_rng(8)
    n = 300
    a, b = rng.integers(0, n, 6000), rng.integers(0, n, 6000)
    score = rng.integers(40, 44, 6000).astype(np.int16)  # four levels: many ties
    graph = candidates._graph(
        n, a[a != b], b[a != b], score[a != b], np.zeros(n, np.int32), 0, True
    )
    kept = set()
    for person in range(n):
        mine = np.flatnonzero((graph.lo == person) | (graph.hi == person))
        ranked = mine[np.lexsort((mine, -graph.score[mine].astype(np.int64)))]
        kept.update(ranked[:5].tolist())
    strongest = assignment.strongest_edges(graph, 5)
    expected = sorted(kept)
    assert strongest.lo.tolist() == graph.lo[expected].tolist()
    assert strongest.hi.tolist() == graph.hi[expected].tolist()


def _exact_best(scores: np.ndarray) -> int:
    """The best total of any matching (not necessarily the largest), by rustworkx."""
    i, j = np.nonzero(np.triu(scores >= 0, 1))
    graph = rx.PyGraph()
    graph.add_nodes_from(range(scores.shape[0]))
    graph.add_edges_from(list(zip(i.tolist(), j.tolist(), scores[i, j].tolist(), strict=True)))
    matching = rx.max_weight_matching(graph, weight_fn=int)
    return sum(int(scores[a, b]) for a, b in matching)


def _assert_certificate(graph, bound, shares=1) -> None:
    y = bound.twice_y
    assert (y[graph.lo] + y[graph.hi] >= 4 * graph.score.astype(np.int64)).all()
    assert (y >= 2 * shares * np.maximum(graph.cover, 0)).all()
    assert bound.value == pytest.approx(y.sum() / 4)


def test_what_deepening_added_merges_into_a_graph_that_grew_meanwhile():
    """A large pool deepens its lists beside the run, which grows the graph meanwhile: the
    edges sent back, merged in, give the graph both would have made in one process."""
    scorer, never = _setup(300, seed=5)
    graph = dense_candidates(scorer, never, 4)
    binding = dual_bound(graph).binding
    assert binding.size
    deeper = deepen(scorer, never, graph, binding, 16)
    added = added_edges(graph, deeper)
    assert 0 < added.edges == deeper.edges - graph.edges
    wide = dense_candidates(scorer, never, 8)
    merged = graph.with_edges(wide.lo, wide.hi, wide.score).with_deeper(added)
    expected = deeper.with_edges(wide.lo, wide.hi, wide.score)
    for field in ("lo", "hi", "score", "cover"):
        assert np.array_equal(getattr(merged, field), getattr(expected, field)), field
    assert (merged.cover <= graph.cover).all() and (merged.cover < graph.cover).any()
    assert merged.pairs_scored == expected.pairs_scored


@pytest.mark.parametrize("hard", [frozenset(), frozenset({"sector_wish", "time_zone"})])
def test_the_bound_is_a_certificate_above_the_exact_optimum(hard):
    scorer, never = _setup(300, seed=5, hierarchy=Hierarchy(hard=hard))
    scores = _all_scores(scorer, never)
    optimum = _exact_best(scores)
    for k, slack in ((3, 1.05), (12, 1.01), (300, 1.005)):
        graph = dense_candidates(scorer, never, k)
        bound = dual_bound(graph)
        _assert_certificate(graph, bound)
        assert not bound.repaired
        assert optimum <= bound.value <= slack * optimum
        if bound.binding.size:
            deeper = deepen(scorer, never, graph, bound.binding, 4 * k)
            lowered = lowered_bound(deeper, bound, bound.binding)
            _assert_certificate(deeper, lowered)
            assert optimum <= lowered.value <= bound.value
            again = dual_bound(deeper)
            assert optimum <= again.value <= bound.value


@pytest.mark.parametrize("share", [0.0, 0.3, 0.6])
def test_leaving_the_largest_countrys_covers_out_keeps_a_valid_certificate(share):
    """Its people take no share of the covers, everyone else all of theirs: still above the
    exact optimum with few candidates each, and where the country holds most of the pool,
    the optimum itself (the even split is far above it there)."""
    pool = dominant_pool(240, 8, share=share)
    scorer = Scorer(encode(pool.applicants), Hierarchy())
    never = NeverPairs.from_pairs(240, np.zeros(0, np.int64), np.zeros(0, np.int64))
    scores = _all_scores(scorer, never)
    optimum = _exact_best(scores)
    shares = country_shares(scorer.features.country)
    for k in (2, 6, 24):
        graph = dense_candidates(scorer, never, k)
        lean = dual_bound(graph, shares)
        _assert_certificate(graph, lean, shares)
        assert optimum <= lean.value
        if share == 0.6 and k >= 6:
            assert lean.value <= 1.0001 * optimum < 0.95 * dual_bound(graph).value


def _doubled_matching(n, rows, cols, weight, side):
    matrix = sp.csr_array((weight + 1.0, (rows, cols)), shape=(n, n))
    return min_weight_full_bipartite_matching(matrix, maximize=True)[1]


@pytest.mark.parametrize("share", [0.3, 0.6])
def test_a_bound_paired_only_across_a_country_is_solved_one_sided_to_the_same_value(share):
    """Where the edges that matter all join the largest country to the others, the bound is
    solved with the others as rows only: the same value as the doubled solve, with a
    certificate that needed no repair."""
    pool = dominant_pool(300, 4, share=share)
    scorer = Scorer(encode(pool.applicants), Hierarchy())
    never = NeverPairs.from_pairs(300, np.zeros(0, np.int64), np.zeros(0, np.int64))
    optimum = _exact_best(_all_scores(scorer, never))
    shares = country_shares(scorer.features.country)
    for k in (2, 6, 24):
        graph = dense_candidates(scorer, never, k)
        mirrored = mock.Mock(wraps=bounds._mirrored_matching)
        with mock.patch.object(bounds, "_mirrored_matching", mirrored):
            lean = dual_bound(graph, shares)
        with mock.patch.object(bounds, "_mirrored_matching", _doubled_matching):
            doubled = dual_bound(graph, shares)
        assert mirrored.called or share < 0.5
        _assert_certificate(graph, lean, shares)
        assert not lean.repaired
        assert lean.value == doubled.value
        assert optimum <= lean.value


def test_a_wrong_certificate_is_repaired_into_a_valid_one():
    scorer, never = _setup(200, seed=2)
    graph = dense_candidates(scorer, never, 8)
    bound = dual_bound(graph)
    broken = bound.twice_y.copy()
    broken[::3] = 0
    from mentoring.matching.bounds import _certified

    repaired = _certified(graph, broken)
    assert repaired.repaired
    _assert_certificate(graph, repaired)


@pytest.mark.parametrize("n", [151, 201])
def test_the_odd_pool_cut_keeps_the_bound_above_the_optimum(n):
    from mentoring.matching.bounds import odd_pool_bound

    scorer, never = _setup(n, seed=11)
    scores = _all_scores(scorer, never)
    optimum = _exact_best(scores)
    for k in (6, n):
        graph = dense_candidates(scorer, never, k)
        bound = dual_bound(graph)
        cut = odd_pool_bound(graph, bound)
        assert optimum <= cut.value < bound.value
