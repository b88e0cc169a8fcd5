"""The sparse assignment every solve of the engine goes through: scipy's LAPJVsp, on weights
shifted so that its greedy start leaves fewer rows to augment.

``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` starts with a column reduction
and two rounds of augmenting row reduction, then finds a shortest augmenting path for each
row still free, resetting and scanning all the columns at every level of each search. Its
time is that of the rows left free. On the doubled candidate graph (everyone a row and a
column) the column reduction hands each column to its best row, so the people everyone
likes best collect many columns and many rows are left free.

Taking half of each person's best weight off their row and half off their column first
(``w[i, j] - m[i] / 2 - m[j] / 2``) balances the two sides: 22 s to 16.5 s for the
assignment of 100,000 people. Every full matching of a square matrix uses each row and each
column once, so every total drops by the same amount and the optimal matchings are the same
ones. Where there are more columns than rows, only the rows are shifted (a column may stay
unmatched, so shifting columns would change which matching is best). The weights are
integers, so the halves are exact in floating point and no tie is created or broken.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching


def max_weight_full_matching(matrix: sp.csr_array) -> np.ndarray:
    """For each row of ``matrix`` (integer weights; absent entries are not edges; no more
    rows than columns) its column in a full matching of the largest total weight, as
    scipy's solver with ``maximize=True`` finds it."""
    matrix = sp.csr_array(matrix, copy=True)
    matrix.eliminate_zeros()  # not edges to scipy's solver either
    rows, cols = matrix.shape
    if rows > cols:
        raise ValueError(f"{rows} rows cannot all be matched to {cols} columns")
    if matrix.nnz == 0 or rows == 0:
        _, assigned = min_weight_full_bipartite_matching(matrix, maximize=True)
        return assigned
    weight = matrix.data.astype(np.float64)
    row_of = np.repeat(np.arange(rows), np.diff(matrix.indptr))
    if rows == cols:
        row_best, column_best = _best(rows, row_of, weight), _best(cols, matrix.indices, weight)
        shifted = weight - row_best[row_of] / 2 - column_best[matrix.indices] / 2
    else:
        shifted = weight - _best(rows, row_of, weight)[row_of]
    # The solver drops zero weights: every weight is moved to 1 or more (one constant for
    # all entries, which a full matching's total absorbs).
    shifted += 1.0 - shifted.min()
    balanced = sp.csr_array((shifted, matrix.indices, matrix.indptr), shape=matrix.shape)
    _, assigned = min_weight_full_bipartite_matching(balanced, maximize=True)
    return assigned


def _best(size: int, vertex: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The largest weight at each of ``size`` vertices (``vertex[k]`` holds ``weight[k]``)."""
    best = np.full(size, -np.inf)
    np.maximum.at(best, vertex, weight)
    return best
