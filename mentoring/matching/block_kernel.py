"""The block scorer's inner loop, compiled: every row against every column in one pass.

:meth:`scoring.Scorer.block` scores millions of pairs per call at scale (a third of all
pairs of a 100,000-person pool). Written as numpy expressions, each pair went through
about twenty-five whole-array passes (a lookup per joint table, popcounts of the interest
and availability words, the mixed table's index, the country rule), each with its own
temporary: 7 ns a pair. Compiled with numba, each row is one loop per step over the
columns, vectorised by LLVM: 1.8 ns a pair, with the same integer arithmetic and so
exactly the same scores (:meth:`scoring.Scorer.pairs`, plain numpy, is the reference the
tests hold it to).

The signature is given, so the kernel is compiled when this module is imported (about 1 s)
or loaded from numba's cache (next to this file, else in ``NUMBA_CACHE_DIR`` or the user's
cache; with none writable it is compiled in memory), not inside a run; it releases the GIL,
so the candidate search's threads score at once.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic


@intrinsic
def _ctpop(typingctx, word):
    """The number of set bits of a 64-bit word, as the CPU's popcount instruction."""

    def codegen(context, builder, signature, args):
        function = builder.module.declare_intrinsic("llvm.ctpop", [ir.IntType(64)])
        return builder.call(function, args)

    return types.uint64(types.uint64), codegen


@njit(inline="always")
def _popcount(word):
    return np.int32(_ctpop(word))


_SIGNATURE = (
    "void(int32[:, ::1], int32[:, ::1], int16[::1], uint64[::1], uint64[::1], int16[::1], "
    "int16[::1], uint64[:, ::1], uint64[:, ::1], int16[::1], int32[::1], int32[::1], "
    "boolean, boolean, boolean, int16, int32, int16[:, ::1])"
)


def _compiled(function):
    """``function`` compiled for :data:`_SIGNATURE`, cached on disk where numba finds a
    writable place (it refuses with RuntimeError where it finds none)."""
    try:
        return njit(_SIGNATURE, nogil=True, cache=True, boundscheck=False)(function)
    except RuntimeError:
        return njit(_SIGNATURE, nogil=True, boundscheck=False)(function)


@_compiled
def score_block(
    row_base,
    col_code,
    tables,
    row_interests,
    col_interests,
    row_cap,
    col_cap,
    row_hours,
    col_hours,
    mixed,
    row_country,
    col_country,
    interests,
    time_zone,
    rules,
    disallowed,
    hours_full,
    out,
):
    """Fill ``out[r, c]`` with the score of row ``r`` and column ``c``.

    ``tables``: the joint tables, flat, one after another; ``row_base[t, r]`` is where row
    ``r``'s line of table ``t`` starts in it, ``col_code[t, c]`` column ``c``'s code in
    table ``t``. ``*_interests``: interest bitmasks; ``*_cap``: ``SHARED_SLOTS`` times
    ``min(3, interests)``; ``*_hours``: availability words, one line per word; ``mixed``
    the interests-and-hours table indexed by ``(cap + shared) * (hours_full + 1) + hours``.
    ``interests``/``time_zone``: whether those criteria count; ``rules``: whether the same
    country adds ``disallowed``.
    """
    n_rows, n_cols = out.shape
    n_tables = row_base.shape[0]
    words = row_hours.shape[0]
    width = np.int32(hours_full + 1)
    total = np.empty(n_cols, np.int32)
    index = np.empty(n_cols, np.int32)
    hours = np.empty(n_cols, np.int32)
    for r in range(n_rows):
        total[:] = 0
        for t in range(n_tables):
            base = row_base[t, r]
            codes = col_code[t]
            for c in range(n_cols):
                total[c] += tables[np.uintp(base + codes[c])]
        own_cap = np.int32(row_cap[r])
        own_interests = row_interests[r]
        for c in range(n_cols):
            shared = _popcount(own_interests & col_interests[c]) if interests else np.int32(0)
            index[c] = (min(own_cap, np.int32(col_cap[c])) + shared) * width
        if time_zone:
            hours[:] = 0
            for w in range(words):
                own_hours = row_hours[w, r]
                column_hours = col_hours[w]
                for c in range(n_cols):
                    hours[c] += _popcount(own_hours & column_hours[c])
            for c in range(n_cols):
                index[c] += min(hours[c], hours_full)
        for c in range(n_cols):
            total[c] += mixed[np.uintp(index[c])]
        if rules:
            own_country = row_country[r]
            for c in range(n_cols):
                if col_country[c] == own_country:
                    total[c] += disallowed
        for c in range(n_cols):
            out[r, c] = total[c]
