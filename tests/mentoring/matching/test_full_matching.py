"""The shifted sparse assignment: the optimum of scipy's own solver, on every shape the
engine hands it."""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from mentoring.matching.full_matching import max_weight_full_matching


def _random_matrix(rows: int, cols: int, density: float, seed: int) -> sp.csr_array:
    """Integer weights 1..60 (many ties), with a column of its own for each row so that a
    full matching exists, as the engine's diagonal and 'unpaired' columns give it."""
    rng = np.random.default_rng(seed)
    dense = np.where(rng.random((rows, cols)) < density, rng.integers(1, 61, (rows, cols)), 0)
    dense[np.arange(rows), np.arange(rows)] = rng.integers(1, 4, rows)
    return sp.csr_array(dense.astype(np.float64))


def _total(matrix: sp.csr_array, assigned: np.ndarray) -> float:
    rows = np.arange(matrix.shape[0])
    assert np.unique(assigned).size == rows.size  # each column once
    assert (matrix[rows, assigned] != 0).all()  # along edges only
    return float(matrix[rows, assigned].sum())


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("shape", [(60, 60), (40, 90), (1, 5)])
def test_the_total_is_the_solvers_optimum(shape, seed):
    matrix = _random_matrix(*shape, density=0.15, seed=seed)
    _, plain = min_weight_full_bipartite_matching(matrix, maximize=True)
    assert _total(matrix, max_weight_full_matching(matrix)) == _total(matrix, plain)


@pytest.mark.parametrize("seed", range(6))
def test_the_doubled_graph_keeps_its_symmetric_optimum(seed):
    """The engine's doubled graph: a symmetric matrix with a light diagonal."""
    rng = np.random.default_rng(seed)
    n = 80
    upper = np.triu(np.where(rng.random((n, n)) < 0.1, rng.integers(2000, 2060, (n, n)), 0), 1)
    dense = (upper + upper.T).astype(np.float64)
    dense[np.arange(n), np.arange(n)] = 1.0
    matrix = sp.csr_array(dense)
    _, plain = min_weight_full_bipartite_matching(matrix, maximize=True)
    assert _total(matrix, max_weight_full_matching(matrix)) == _total(matrix, plain)


def test_explicit_zeros_are_not_edges():
    """As to scipy's solver: a row whose only entry is a stored zero has no edge."""
    matrix = sp.csr_array(
        (np.array([0.0, 5.0, 3.0]), (np.array([0, 1, 1]), np.array([0, 0, 1]))), shape=(2, 2)
    )
    with pytest.raises(ValueError, match="no full matching"):
        max_weight_full_matching(matrix)


def test_more_rows_than_columns_is_refused():
    with pytest.raises(ValueError, match="3 rows"):
        max_weight_full_matching(sp.csr_array(np.ones((3, 2))))
