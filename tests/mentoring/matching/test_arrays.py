"""Unique values and rows by one sort give what numpy's ``np.unique`` gives."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mentoring.matching.arrays import sorted_unique, unique_rows


def _numpys(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    return first, inverse.ravel()


@pytest.mark.parametrize("size", [0, 1, 5_000])
def test_unique_by_one_sort_is_numpys_unique(size):
    values = np.random.default_rng(size).integers(-50, 900, size)
    assert np.array_equal(sorted_unique(values), np.unique(values))


@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(
        np.int64,
        st.tuples(st.integers(0, 60), st.integers(1, 4)),
        elements=st.integers(-3, 5) | st.integers(-(2**40), 2**40),
    )
)
def test_unique_rows_are_numpys_in_the_same_order(rows):
    """Small and wide ranges, negatives, repeats: the same first occurrences and codes
    (packed into one key where the ranges allow, numpy's own where they do not)."""
    first, inverse = unique_rows(rows)
    expected_first, expected_inverse = _numpys(rows)
    assert np.array_equal(first, expected_first)
    assert np.array_equal(inverse, expected_inverse)


@pytest.mark.parametrize(
    "rows",
    [
        np.array([[2**63 + 5, 1], [3, 1], [2**63 + 5, 1], [3, 0]], np.uint64),  # bitmasks
        np.array([[-(2**62), 2**62], [2**62, -(2**62)], [-(2**62), 2**62]], np.int64),
        np.zeros((0, 3), np.int64),
        np.array([[7], [7], [7]], np.int64),
        np.random.default_rng(3).integers(0, 4, (20_000, 6)),  # the engine's usual case
    ],
    ids=["uint64 bitmasks", "ranges beyond a key", "no rows", "one value", "many rows"],
)
def test_unique_rows_at_the_edges(rows):
    first, inverse = unique_rows(rows)
    expected_first, expected_inverse = _numpys(rows)
    assert np.array_equal(first, expected_first)
    assert np.array_equal(inverse, expected_inverse)
