"""The candidate graph: each person's best allowed partners, found without scoring every pair.

The assignment only ever looks at candidate pairs, so this module decides what the rest of
the engine can see. For every person it keeps ``k`` high-scoring allowed partners (the
union over people is the graph's edge set) and a *cover*: no allowed pair outside the graph
scores more than ``min(cover[i], cover[j])``. The bound of :mod:`mentoring.matching.bounds`
rests on that promise, so every strategy keeps it:

dense (pools up to ``DENSE_LIMIT``)
    Every pair is scored, a few rows at a time; each row's ``k`` best are kept by partition
    and the cover is the ``k``-th best score, which is exact.
blocked (larger pools)
    scikit-learn's ``MiniBatchKMeans`` groups the pool into blocks of about ``block_size``
    people in the space of :func:`features.embedding`. Each block gets a summary (best
    categorical entries, unions of interests and hours), from which
    :func:`scoring.block_upper_bounds` gives, for a person and a block, a score that no
    member can beat. A block of people is scored against the blocks with the highest bounds
    first, in growing batches, until no block left unscored could beat each member's
    ``stop_rank``-th best partner found so far. The cover is the larger of the ``k``-th best
    found and the best bound left unscored: valid, and exact when ``stop_rank == k``. The
    work grows with ``n`` times the blocks that matter rather than with ``n²``.
:func:`deepen`
    Scores chosen people against everyone and keeps more of their partners, so their covers
    become exact and lower; the bound uses it for the people whose cover holds it up.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_bipartite_matching
from sklearn.cluster import MiniBatchKMeans

from mentoring.matching.arrays import sorted_unique, unique_rows
from mentoring.matching.features import embedding
from mentoring.matching.scoring import (
    DISALLOWED,
    Scorer,
    block_upper_bounds,
    summarise_blocks,
)

DENSE_LIMIT = 12_000
BLOCK_SIZE = 120
CELLS_PER_CHUNK = 1 << 18
"""About the pairs in one scoring task of the threads (four times as many in a task of whole
rows)."""
WIDEN_NEIGHBOURS = 16
LOOKALIKE_REACH = 8
"""A group of ``m`` people with one profile draws extra partners from its ``k + 8 m`` best."""
WIDEN_ROUNDS = 3
WIDEN_ROWS = 4000


@dataclass(frozen=True, eq=False)
class CandidateGraph:
    """Undirected candidate pairs ``(lo[e], hi[e])`` with ``lo < hi`` and their scores."""

    n: int
    lo: np.ndarray
    hi: np.ndarray
    score: np.ndarray
    cover: np.ndarray
    """Per person: an allowed pair outside the graph scores at most this (-1: none exists)."""
    pairs_scored: int
    exact: bool
    """True when each cover is the person's exact k-th best allowed score."""

    @property
    def edges(self) -> int:
        return int(self.lo.size)

    def degree(self) -> np.ndarray:
        return np.bincount(np.concatenate([self.lo, self.hi]), minlength=self.n)

    def with_edges(self, a: np.ndarray, b: np.ndarray, score: np.ndarray) -> CandidateGraph:
        """The graph with more allowed pairs ``(a[k], b[k])`` scoring ``score[k]``.

        The covers stay valid: a pair that moves into the graph leaves the pairs they bound.
        """
        return _grown(self, a, b, score, self.cover, self.pairs_scored)

    def with_deeper(self, added: CandidateGraph) -> CandidateGraph:
        """The graph with the edges and the covers of ``added`` (:func:`added_edges` of a
        :func:`deepen` of this graph, or of one it grew from with the same covers)."""
        scored = self.pairs_scored + added.pairs_scored
        return _grown(self, added.lo, added.hi, added.score, added.cover, scored)


@dataclass(frozen=True, eq=False)
class NeverPairs:
    """Pairs that may never be formed, as sorted partner lists per person (CSR)."""

    indptr: np.ndarray
    partners: np.ndarray

    @classmethod
    def from_pairs(cls, n: int, a: np.ndarray, b: np.ndarray) -> NeverPairs:
        rows = np.concatenate([a, b]).astype(np.int64)
        cols = np.concatenate([b, a]).astype(np.int64)
        key = sorted_unique(rows * n + cols)
        rows, cols = key // n, key % n
        indptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        return cls(indptr=indptr, partners=cols.astype(np.int32))

    def among(self, people: np.ndarray) -> NeverPairs:
        """The never pairs within ``people``, re-indexed by position in ``people``."""
        n = self.indptr.size - 1
        local = np.full(n, -1, np.int64)
        local[people] = np.arange(people.size)
        rows = np.repeat(np.arange(n), np.diff(self.indptr))
        keep = (local[rows] >= 0) & (local[self.partners] >= 0)
        return NeverPairs.from_pairs(
            people.size, local[rows[keep]], local[self.partners[keep].astype(np.int64)]
        )

    def contains(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether each pair ``(a[k], b[k])`` is a never pair."""
        a = np.asarray(a, np.int64)
        b = np.asarray(b, np.int64)
        if self.partners.size == 0:
            return np.zeros(a.shape, bool)
        n = self.indptr.size - 1
        rows = np.repeat(np.arange(n), np.diff(self.indptr))
        return _contains(rows * n + self.partners, a * n + b)

    def mask(self, scores: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> None:
        """Mark never pairs and self pairs in ``scores[rows x cols]`` as disallowed.

        ``cols`` must be sorted.
        """
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        counts = ends - starts
        position = np.minimum(np.searchsorted(cols, rows), cols.size - 1)
        own = cols[position] == rows
        scores[np.flatnonzero(own), position[own]] = DISALLOWED
        if counts.sum() == 0:
            return
        row_of = np.repeat(np.arange(rows.size), counts)
        take = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)])
        partner = self.partners[take]
        position = np.minimum(np.searchsorted(cols, partner), cols.size - 1)
        hit = cols[position] == partner
        scores[row_of[hit], position[hit]] = DISALLOWED


def tie_keys(a: np.ndarray, b: np.ndarray, seed: int) -> np.ndarray:
    """A seeded pseudo-random ``uint64`` per ``(a[k], b[k])``, to break ties between scores.

    Breaking ties by position made everyone with the same scores list the same few partners
    (and strand the rest); a key per person and partner spreads their choices evenly.
    """
    x = np.asarray(a).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    x ^= np.asarray(b).astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
    x ^= np.uint64((seed * 0x165667B19E3779F9 + 0x27D4EB2F165667C5) % (1 << 64))
    x ^= x >> np.uint64(31)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(29)
    return x


def _best_first(owner: np.ndarray, value: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """The order of entries by ``owner``, then ``value`` (highest first), then ``tie``.

    The order of ``np.lexsort((tie, -value, owner))``, from one stable sort of a packed key
    (the owner in 16 bits, an int16 value in 16, the tie key's top 32 bits): three to ten
    times faster. Entries whose tie keys share their top 32 bits keep their order.
    """
    if owner.size and int(owner.max()) >= 1 << 16:
        return np.lexsort((tie, -value, owner))
    packed = owner.astype(np.uint64) << np.uint64(48)
    packed |= (32767 - value.astype(np.int64)).astype(np.uint64) << np.uint64(32)
    packed |= tie >> np.uint64(32)
    return np.argsort(packed, kind="stable")


def _top_k_rows(
    scores: np.ndarray, k: int, row_ids: np.ndarray, col_ids: np.ndarray, seed: int
) -> np.ndarray:
    """Column positions of each row's ``k`` best scores, best first.

    Ties are broken by :func:`tie_keys` of the row's and the column's ids (``col_ids`` is
    one id per column, or per row and column), so that people with equal scores for many
    partners each keep a different, seeded selection of them. With fewer than ``k``
    columns, all of them. (``np.partition`` finds each row's ``k``-th best value and a
    flat scan picks the entries at or above it: an order of magnitude faster than
    ``np.argpartition`` on small integers.)
    """
    rows, width = scores.shape
    k = min(k, width)
    if k == 0:
        return np.zeros((rows, 0), np.int64)
    threshold = np.partition(scores, width - k, axis=1)[:, width - k]
    flat = np.flatnonzero(scores >= threshold[:, None])
    row, col = np.divmod(flat, width)
    value = scores.ravel()[flat].astype(np.int32)
    partner = col_ids[col] if col_ids.ndim == 1 else col_ids[row, col]
    order = _best_first(row, value, tie_keys(row_ids[row], partner, seed))
    row, col = row[order], col[order]
    rank = np.arange(row.size) - np.searchsorted(row, row)
    return col[rank < k].reshape(rows, k)


def _top_k(
    scores: np.ndarray, rows: np.ndarray, cols: np.ndarray, k: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``k`` best columns and scores, and the cover (k-th best, or -1 if < k allowed)."""
    keep = _top_k_rows(scores, k, rows, cols, seed)
    best = np.take_along_axis(scores, keep, axis=1)
    return cols[keep], best, _cover(best, k)


def _cover(best: np.ndarray, rank: int) -> np.ndarray:
    """The ``rank``-th best allowed score of each row, or -1 with fewer allowed than that."""
    if best.shape[1] < rank:
        return np.full(best.shape[0], -1, np.int32)
    nth = np.partition(best, best.shape[1] - rank, axis=1)[:, best.shape[1] - rank]
    return np.where(nth >= 0, nth, -1).astype(np.int32)


def _score_rows(
    scorer: Scorer, never: NeverPairs, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    scores = scorer.block(rows, cols)
    never.mask(scores, rows, cols)
    return scores


def _workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


Rows = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""People, their best partners, those partners' scores, and the people's covers."""


def _collect(results: list[Rows], n: int) -> Rows:
    """Flatten per-chunk rows into pair lists, and the covers into one array of ``n``."""
    rows = np.concatenate([np.repeat(r, p.shape[1]) for r, p, _, _ in results])
    partners = np.concatenate([p.ravel() for _, p, _, _ in results])
    scores = np.concatenate([s.ravel() for _, _, s, _ in results])
    cover = np.full(n, -1, np.int32)
    for r, _, _, c in results:
        cover[r] = c
    return rows, partners, scores, cover


def _graph(
    n: int,
    rows: np.ndarray,
    partners: np.ndarray,
    scores: np.ndarray,
    cover: np.ndarray,
    pairs_scored: int,
    exact: bool,
) -> CandidateGraph:
    allowed = scores >= 0
    rows, partners, scores = rows[allowed], partners[allowed], scores[allowed]
    lo = np.minimum(rows, partners).astype(np.int64)
    hi = np.maximum(rows, partners).astype(np.int64)
    key, first = np.unique(lo * n + hi, return_index=True)
    return CandidateGraph(
        n=n,
        lo=(key // n).astype(np.int32),
        hi=(key % n).astype(np.int32),
        score=scores[first].astype(np.int16),
        cover=cover,
        pairs_scored=pairs_scored,
        exact=exact,
    )


def _grown(
    graph: CandidateGraph,
    rows: np.ndarray,
    partners: np.ndarray,
    scores: np.ndarray,
    cover: np.ndarray,
    pairs_scored: int,
) -> CandidateGraph:
    """``graph`` with the allowed pairs ``(rows[k], partners[k])`` added (a pair it holds
    keeps its score), and ``cover``.

    A graph made by :func:`_graph` lists its edges in key order, so the new keys are merged
    in (one stable sort of two sorted runs) instead of the whole graph being sorted again:
    a tenth of the time on millions of edges.
    """
    n = graph.n
    key = graph.lo.astype(np.int64) * n + graph.hi
    rows = np.asarray(rows, np.int64)
    partners = np.asarray(partners, np.int64)
    scores = np.asarray(scores, np.int16)
    if key.size > 1 and not (key[1:] > key[:-1]).all():
        return _graph(
            n,
            np.concatenate([graph.lo, rows]),
            np.concatenate([graph.hi, partners]),
            np.concatenate([graph.score, scores]),
            cover,
            pairs_scored,
            exact=graph.exact,
        )
    allowed = scores >= 0
    rows, partners, scores = rows[allowed], partners[allowed], scores[allowed]
    added, first = np.unique(
        np.minimum(rows, partners) * n + np.maximum(rows, partners), return_index=True
    )
    scores = scores[first]
    fresh = ~_contains(key, added)
    added, scores = added[fresh], scores[fresh]
    merged = np.concatenate([key, added])
    order = np.argsort(merged, kind="stable")
    merged = merged[order]
    return CandidateGraph(
        n=n,
        lo=(merged // n).astype(np.int32),
        hi=(merged % n).astype(np.int32),
        score=np.concatenate([graph.score, scores])[order],
        cover=cover,
        pairs_scored=pairs_scored,
        exact=graph.exact,
    )


def dense_candidates(scorer: Scorer, never: NeverPairs, k: int, seed: int = 0) -> CandidateGraph:
    """Score every pair; keep each person's ``k`` best allowed partners (ties: ``seed``)."""
    n = scorer.features.n
    cols = np.arange(n)
    step = max(1, CELLS_PER_CHUNK // max(n, 1)) * 4

    def task(start: int) -> Rows:
        rows = np.arange(start, min(n, start + step))
        scores = _score_rows(scorer, never, rows, cols)
        return (rows, *_top_k(scores, rows, cols, k, seed))

    with ThreadPoolExecutor(_workers()) as pool:
        results = list(pool.map(task, range(0, n, step)))
    rows, partners, scores, cover = _collect(results, n)
    return _graph(n, rows, partners, scores, cover, n * n, exact=True)


def _merge_lists(
    best: np.ndarray,
    partners: np.ndarray,
    active: np.ndarray,
    scores: np.ndarray,
    k: int,
    rows: np.ndarray,
    cols: np.ndarray,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The lists ``best``/``partners`` with rows ``active`` merged with their new ``scores``.

    Each row keeps its ``k`` best (ties: :func:`tie_keys`). A row whose list already holds
    ``k`` allowed partners only looks at the new scores at or above its ``k``-th best (few,
    once the best blocks are scored); the others take the new columns' ``k`` best first.
    """
    floor = _cover(best[active], k)
    full = floor >= 0
    if full.any():
        bar = np.where(full, floor, np.iinfo(np.int16).max).astype(np.int16)  # none if not full
        # A flat scan: np.nonzero on two dimensions took eight times as long.
        local, col = np.divmod(np.flatnonzero(scores >= bar[:, None]), scores.shape[1])
        if local.size:
            counts = np.bincount(local, minlength=active.size)
            hit = np.flatnonzero(counts)
            local = (np.cumsum(counts > 0) - 1)[local]
            people = active[hit]
            count = hit.size
            owner = np.concatenate([np.repeat(np.arange(count), k), local])
            partner = np.concatenate([partners[people].ravel(), cols[col]])
            value = np.concatenate([best[people].ravel(), scores[hit[local], col]])
            value = value.astype(np.int32)
            order = _best_first(owner, value, tie_keys(rows[people][owner], partner, seed))
            owner, partner, value = owner[order], partner[order], value[order]
            keep = np.arange(owner.size) - np.searchsorted(owner, owner) < k
            best[people] = value[keep].reshape(count, k)
            partners[people] = partner[keep].reshape(count, k)
        if full.all():
            return best, partners
        scores = scores[~full]
        active = active[~full]
    top = _top_k_rows(scores, k, rows[active], cols, seed)
    merged_scores = np.concatenate([best[active], np.take_along_axis(scores, top, axis=1)], axis=1)
    merged_cols = np.concatenate([partners[active], cols[top]], axis=1)
    keep = _top_k_rows(merged_scores, k, rows[active], merged_cols, seed)
    new_best = np.take_along_axis(merged_scores, keep, axis=1)
    new_partners = np.take_along_axis(merged_cols, keep, axis=1)
    if best.shape[1] < new_best.shape[1]:
        pad = new_best.shape[1] - best.shape[1]
        best = np.pad(best, ((0, 0), (0, pad)), constant_values=DISALLOWED)
        partners = np.pad(partners, ((0, 0), (0, pad)), constant_values=0)
    best[active] = new_best
    partners[active] = new_partners
    return best, partners


def blocked_candidates(
    scorer: Scorer,
    never: NeverPairs,
    k: int,
    seed: int,
    *,
    block_size: int = BLOCK_SIZE,
    stop_rank: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> CandidateGraph:
    """Each person's ``k`` best allowed partners, scoring only blocks that can hold them."""
    stop_rank = k if stop_rank is None else min(stop_rank, k)
    n = scorer.features.n
    n_blocks = max(1, -(-n // block_size))
    points = embedding(scorer.features)
    kmeans = MiniBatchKMeans(
        n_clusters=n_blocks,
        init="random",  # k-means++ costs more than it saves here: blocks only steer pruning
        random_state=seed,
        n_init=1,
        batch_size=4096,
        max_iter=20,
        max_no_improvement=3,
    )
    labels = kmeans.fit_predict(points).astype(np.int64)
    order = np.argsort(labels, kind="stable")
    bounds = np.zeros(n_blocks + 1, np.int64)
    np.cumsum(np.bincount(labels, minlength=n_blocks), out=bounds[1:])
    members = [order[bounds[b] : bounds[b + 1]] for b in range(n_blocks)]
    summary = summarise_blocks(scorer, labels, n_blocks)
    sizes = np.diff(bounds)
    seed_columns = max(16 * k, 2000)

    def task(block: int) -> tuple[np.ndarray, ...] | None:
        rows = np.sort(members[block])
        if rows.size == 0:
            return None
        upper = block_upper_bounds(scorer, summary, rows)
        visited = np.zeros(n_blocks, bool)
        scored_for = np.zeros((rows.size, n_blocks), bool)  # this row was scored on the block
        best = np.empty((rows.size, 0), np.int16)
        partners = np.empty((rows.size, 0), np.int64)
        kth = np.full(rows.size, -1, np.int32)
        step = seed_columns
        scored = 0
        while True:
            need = (upper > kth[:, None]) & ~visited[None, :]
            wanted = np.flatnonzero(need.any(axis=0))
            if wanted.size == 0:
                break
            # Blocks that can offer as much are visited in an order of this block's own,
            # or blocks of look-alikes would all pick their partners from the same few.
            rotation = tie_keys(np.full(wanted.size, block), wanted, seed)
            wanted = wanted[np.lexsort((rotation, -upper[:, wanted].max(axis=0)))]
            taken = wanted[: max(1, np.searchsorted(np.cumsum(sizes[wanted]), step, "right"))]
            visited[taken] = True
            active = np.flatnonzero(need[:, taken].any(axis=1))
            scored_for[np.ix_(active, taken)] = True
            cols = np.sort(np.concatenate([members[b] for b in taken]))
            scores = _score_rows(scorer, never, rows[active], cols)
            scored += scores.size
            best, partners = _merge_lists(best, partners, active, scores, k, rows, cols, seed)
            kth = _cover(best, stop_rank)
            step *= 2
        unseen = np.where(scored_for, DISALLOWED, upper).max(axis=1, initial=-1)
        cover = np.maximum(_cover(best, k), np.where(unseen >= 0, unseen, -1))
        return rows, partners, best, cover.astype(np.int32), scored

    results = []
    scored = 0
    with ThreadPoolExecutor(_workers()) as pool:
        for done, result in enumerate(pool.map(task, range(n_blocks))):
            if result is not None:
                results.append(result[:4])
                scored += result[4]
            if progress is not None and done % 64 == 0:
                progress(done / n_blocks)
    rows, partners, scores, cover = _collect(results, n)
    return _graph(n, rows, partners, scores, cover, scored, exact=stop_rank == k)


def deepen(
    scorer: Scorer,
    never: NeverPairs,
    graph: CandidateGraph,
    people: np.ndarray,
    depth: int,
    seed: int = 0,
) -> CandidateGraph:
    """The graph with ``people``'s lists grown to their ``depth`` best partners (exact).

    Their rows are scored against everyone, so their new covers are exact ``depth``-th bests.
    """
    n = graph.n
    cols = np.arange(n)
    step = max(1, CELLS_PER_CHUNK // max(n, 1)) * 4

    def task(start: int) -> Rows:
        rows = np.sort(people[start : start + step])
        scores = _score_rows(scorer, never, rows, cols)
        return (rows, *_top_k(scores, rows, cols, depth, seed))

    with ThreadPoolExecutor(_workers()) as pool:
        results = list(pool.map(task, range(0, people.size, step)))
    rows, partners, scores, cover = _collect(results, n)
    cover = np.where(np.isin(np.arange(n), people), cover, graph.cover)
    return _grown(graph, rows, partners, scores, cover, graph.pairs_scored + people.size * n)


def added_edges(graph: CandidateGraph, grown: CandidateGraph) -> CandidateGraph:
    """The edges of ``grown`` that ``graph`` lacks, with ``grown``'s covers and the pairs it
    scored beyond ``graph``'s: what :func:`deepen` added, small enough to send between
    processes (:meth:`CandidateGraph.with_deeper` merges it back)."""
    n = graph.n
    key = graph.lo.astype(np.int64) * n + graph.hi
    if key.size > 1 and not (key[1:] > key[:-1]).all():
        key = np.sort(key)
    new = ~_contains(key, grown.lo.astype(np.int64) * n + grown.hi)
    return replace(
        grown,
        lo=grown.lo[new],
        hi=grown.hi[new],
        score=grown.score[new],
        pairs_scored=grown.pairs_scored - graph.pairs_scored,
    )


def _contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is among ``sorted_keys`` (ascending)."""
    if sorted_keys.size == 0:
        return np.zeros(keys.size, bool)
    where = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
    return sorted_keys[where] == keys


def lookalike_edges(
    scorer: Scorer, never: NeverPairs, graph: CandidateGraph, k: int, seed: int
) -> CandidateGraph:
    """The graph with more partners for people who share a profile (see the module doc).

    One member of each group is scored against everyone (groups a block at a time); its
    best allowed partners, ties and all, are the group's to draw from.
    """
    n = graph.n
    profile = profiles(scorer)
    size = np.bincount(profile)
    groups = np.flatnonzero(size > 1)
    if groups.size == 0 or k < 2:
        return graph
    order = np.argsort(profile, kind="stable")
    starts = np.searchsorted(profile[order], groups)
    representatives = order[starts]
    country = scorer.features.country
    cols = np.arange(n)
    extra = k // 2
    found_rows, found_cols = [], []
    step = max(1, 4 * CELLS_PER_CHUNK // max(n, 1))
    for first in range(0, groups.size, step):
        chunk = representatives[first : first + step]
        scores = scorer.block(chunk, cols).astype(np.int32)
        scores[country[chunk][:, None] == country[None, :]] -= DISALLOWED  # members differ
        for offset, row in enumerate(scores):
            group = first + offset
            members = order[starts[group] : starts[group] + size[groups[group]]]
            depth = min(n - 1, k + LOOKALIKE_REACH * members.size)
            threshold = max(int(np.partition(row, n - depth)[n - depth]), 0)
            ranked = np.flatnonzero(row >= threshold)
            if ranked.size == 0:
                continue
            draws = np.tile(np.arange(extra, dtype=np.uint64), members.size)
            picks = tie_keys(np.repeat(members, extra), draws, seed)
            found_rows.append(np.repeat(members, extra))
            found_cols.append(ranked[(picks % np.uint64(ranked.size)).astype(np.int64)])
    if not found_rows:
        return graph
    rows, partners = np.concatenate(found_rows), np.concatenate(found_cols)
    keep = (rows != partners) & ~never.contains(rows, partners)
    rows, partners = rows[keep], partners[keep]
    return graph.with_edges(rows, partners, scorer.pairs(rows, partners))


def candidate_graph(
    scorer: Scorer,
    never: NeverPairs,
    k: int,
    seed: int,
    *,
    dense_limit: int = DENSE_LIMIT,
    block_size: int = BLOCK_SIZE,
    progress: Callable[[float], None] | None = None,
) -> CandidateGraph:
    """The candidate graph by the dense strategy up to ``dense_limit`` people, else blocked."""
    n = scorer.features.n
    if n == 0:
        empty = np.zeros(0, np.int32)
        return CandidateGraph(0, empty, empty, empty.astype(np.int16), empty, 0, exact=True)
    if n <= dense_limit:
        graph = dense_candidates(scorer, never, k, seed)
    else:
        graph = blocked_candidates(scorer, never, k, seed, block_size=block_size, progress=progress)
    return lookalike_edges(scorer, never, graph, k, seed)


def profiles(scorer: Scorer) -> np.ndarray:
    """Per person, a code shared exactly by the people every partner scores alike."""
    side = scorer.side(np.arange(scorer.features.n))
    columns = [*side.codes, side.interests, side.cap, *side.hours]
    table = np.stack([np.asarray(c).astype(np.uint64) for c in columns], axis=1)
    return unique_rows(table)[1]


def unpaired(graph: CandidateGraph) -> np.ndarray:
    """People a maximum matching of the doubled graph leaves out (Hopcroft-Karp).

    These are the people the assignment would leave on its diagonal; they are also what
    makes it slow, since proving that nobody can take them explores the graph around them.
    """
    n = graph.n
    rows = np.concatenate([graph.lo, graph.hi])
    cols = np.concatenate([graph.hi, graph.lo])
    matrix = sp.csr_array((np.ones(rows.size, np.int8), (rows, cols)), shape=(n, n))
    matched = maximum_bipartite_matching(matrix, perm_type="column")
    return np.flatnonzero(matched < 0)


def _sample_top(
    scores: np.ndarray, rows: np.ndarray, depth: np.ndarray, k: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, ``k`` columns drawn (seeded) from its ``depth[row]`` best allowed ones."""
    width = scores.shape[1]
    threshold = np.empty(rows.size, np.int32)
    for value in np.unique(depth).tolist():
        chosen = np.flatnonzero(depth == value)
        cut = width - min(value, width)
        threshold[chosen] = np.partition(scores[chosen], cut, axis=1)[:, cut]
    threshold = np.maximum(threshold, 0)
    row, col = np.nonzero(scores >= threshold[:, None])
    order = np.lexsort((tie_keys(rows[row], col, seed), row))
    row, col = row[order], col[order]
    keep = np.arange(row.size) - np.searchsorted(row, row) < k
    return row[keep], col[keep]


def widen(scorer: Scorer, never: NeverPairs, graph: CandidateGraph, seed: int) -> CandidateGraph:
    """The graph with more, varied partners for the people it cannot pair (see module doc).

    People with one profile have the same best partners, so a group of ``m`` look-alikes
    can list no more than ``k`` different people between them and most of the group is
    left out. Each person left out gets ``WIDEN_NEIGHBOURS`` partners drawn at random from
    their best ``WIDEN_NEIGHBOURS + 2 m`` (``m``: look-alikes left out with them), so the
    group's lists reach as many people as it needs. Stops when everyone can be paired or
    when nothing is added. Where one country holds more than half the pool, only the
    others left out are widened: every pair needs one of them, so its own people left out
    are its surplus while the others are all paired (widening 4,000 of them a round took
    22 s at 100,000 people and paired nobody more).
    """
    n = graph.n
    if n < 2:
        return graph
    profile = profiles(scorer)
    country = scorer.features.country
    counts = np.bincount(country)
    dominant = int(counts.argmax()) if 2 * int(counts.max()) > n else None
    pairable = (graph.degree() > 0) | (graph.cover >= 0)
    cols = np.arange(n)
    step = max(1, 4 * CELLS_PER_CHUNK // n)
    for round_ in range(WIDEN_ROUNDS):
        left = unpaired(graph)
        left = left[pairable[left]]
        if dominant is not None:
            left = left[country[left] != dominant]
        if left.size == 0:
            break
        if left.size > WIDEN_ROWS:
            left = np.sort(left[np.argsort(tie_keys(left, round_, seed))[:WIDEN_ROWS]])
        group = np.bincount(profile[left])[profile[left]]
        depth = WIDEN_NEIGHBOURS * (round_ + 1) + 2 * group
        found_rows, found_cols = [], []
        for start in range(0, left.size, step):
            rows = left[start : start + step]
            scores = _score_rows(scorer, never, rows, cols)
            row, col = _sample_top(
                scores, rows, depth[start : start + step], WIDEN_NEIGHBOURS, seed + round_
            )
            found_rows.append(rows[row])
            found_cols.append(col)
        rows, partners = np.concatenate(found_rows), np.concatenate(found_cols)
        before = graph.edges
        graph = graph.with_edges(rows, partners, scorer.pairs(rows, partners))
        if graph.edges == before:
            break
    return graph
