"""The bound solved on the second core: the same answers as in one process, and a valid bound
when the graph grew while it was being solved."""

import multiprocessing
import os
import subprocess
import sys
import time
from dataclasses import replace
from unittest import mock

import numpy as np
import pytest

from mentoring.matching import engine, match
from mentoring.matching.beside import Beside
from mentoring.matching.bounds import dual_bound, extended_bound
from mentoring.matching.candidates import CandidateGraph, dense_candidates
from mentoring.matching.hierarchy import Hierarchy
from mentoring.matching.synthetic import dominant_pool, synthetic_pool
from mentoring.matching.verify import exact_total, rule_violations
from tests.mentoring.matching.test_candidates_and_bounds import (
    _all_scores,
    _assert_certificate,
    _exact_best,
    _setup,
)


def _child_pid(parent: int) -> int:
    return os.getpid() if os.getpid() != parent else -1


def _dies_in_a_child(parent: int) -> str:
    if os.getpid() != parent:
        os._exit(3)
    return "answered here"


def _fails(message: str) -> None:
    raise RuntimeError(message)


def test_the_function_runs_in_a_forked_child():
    parent = os.getpid()
    with Beside(_child_pid, parent) as job:
        child = job.result()
    assert child not in (-1, parent)
    assert Beside(_child_pid, parent, fork=False).result() == -1


def test_a_child_that_dies_is_replaced_by_running_here():
    assert Beside(_dies_in_a_child, os.getpid()).result() == "answered here"


def test_an_error_in_the_child_is_raised_here():
    with pytest.raises(RuntimeError, match="broken input"):
        Beside(_fails, "broken input").result()


def test_without_a_process_to_start_the_function_runs_here():
    parent = os.getpid()
    no_process = OSError(11, "Resource temporarily unavailable")
    with mock.patch.object(os, "fork", side_effect=no_process):
        job = Beside(_child_pid, parent)
    assert job.pid is None
    assert job.result() == -1


def test_a_daemonic_process_still_forks():
    """Celery's prefork workers are daemonic: multiprocessing would refuse them a child."""
    parent = os.getpid()
    with mock.patch.dict(multiprocessing.current_process()._config, {"daemon": True}):
        with pytest.raises(AssertionError, match="daemonic"):
            multiprocessing.get_context("fork").Process(target=print).start()
        assert Beside(_child_pid, parent).result() not in (-1, parent)


def test_closing_early_stops_and_reaps_the_child():
    job = Beside(time.sleep, 60)
    child = job.pid
    assert _running(child)
    job.close()
    assert not os.path.exists(f"/proc/{child}")


def _without(graph: CandidateGraph, dropped: np.ndarray) -> CandidateGraph:
    kept = np.ones(graph.edges, bool)
    kept[dropped] = False
    return replace(graph, lo=graph.lo[kept], hi=graph.hi[kept], score=graph.score[kept])


def test_edges_that_join_after_the_solve_need_no_new_solve():
    """Allowed pairs from outside the lists are bounded by the covers: same LP, same value."""
    scorer, never = _setup(300, seed=5)
    optimum = _exact_best(_all_scores(scorer, never))
    short, long = dense_candidates(scorer, never, 4), dense_candidates(scorer, never, 16)
    grown = short.with_edges(long.lo, long.hi, long.score)
    earlier = dual_bound(short)
    kept = extended_bound(grown, earlier)
    _assert_certificate(grown, kept)
    assert not kept.repaired
    assert kept.value == pytest.approx(earlier.value)
    assert kept.value == pytest.approx(dual_bound(grown).value, abs=0.5)
    assert optimum <= kept.value


@pytest.mark.parametrize("share", [0.02, 0.2])
def test_an_edge_the_covers_do_not_bound_raises_the_bound_until_it_holds(share):
    scorer, never = _setup(300, seed=5)
    optimum = _exact_best(_all_scores(scorer, never))
    full = dense_candidates(scorer, never, 12)
    dropped = np.random.default_rng(1).choice(full.edges, int(share * full.edges), replace=False)
    earlier = dual_bound(_without(full, dropped))  # its covers do not bound the dropped edges
    violated = earlier.twice_y[full.lo] + earlier.twice_y[full.hi] < 4 * full.score.astype(np.int64)
    assert violated.any()
    kept = extended_bound(full, earlier)
    _assert_certificate(full, kept)
    assert kept.repaired
    assert optimum <= dual_bound(full).value <= kept.value <= 1.05 * optimum


def test_the_bound_beside_gives_the_same_result_as_in_one_process():
    pool = synthetic_pool(600, 4)
    runs = []
    for limit in (0, 10**9):
        with mock.patch.object(engine, "BESIDE_LIMIT", limit):
            runs.append(match(pool.applicants, rules=pool.rules, seed=4))
    forked, inline = runs
    assert forked.pairs == inline.pairs and forked.triads == inline.triads
    assert forked.upper_bound == inline.upper_bound


def _run_with_the_bound_beside(pool, seed, resolve_limit):
    """Match on the large-pool path, with every allowed pair among the first 80 people joining
    the graph after the bound's solve started; returns the result, the pids of any bound
    solved in this process, and the (bound, shares) _certify was handed."""
    pair_leftovers = engine._pair_leftovers

    def growing(prepared, graph, mate, seed):
        graph, formed = pair_leftovers(prepared, graph, mate, seed)
        i, j = np.triu_indices(80, 1)
        score = prepared.scorer.pairs(i, j).astype(np.int64)
        allowed = (score >= 0) & ~prepared.never.contains(i, j)
        return graph.with_edges(i[allowed], j[allowed], score[allowed]), formed

    solves_here = []

    def counted(graph, shares=None):
        solves_here.append(os.getpid())
        return dual_bound(graph, shares)

    certify = engine._certify
    certified = []

    def checked(prepared, graph, neighbours, rounds, seed, solved, shares, total, lowered):
        floor = 1 if shares is None else shares
        _assert_certificate(graph, solved, floor)  # it holds on the grown graph
        certified.append((solved, shares, lowered))
        return certify(prepared, graph, neighbours, rounds, seed, solved, shares, total, lowered)

    with (
        mock.patch.object(engine, "BESIDE_LIMIT", 0),
        mock.patch.object(engine, "FULL_PRIMAL_LIMIT", 100),
        mock.patch.object(engine, "RESOLVED_BOUND_LIMIT", resolve_limit),
        mock.patch.object(engine, "EXACT_LIMIT", 0),
        mock.patch.object(engine, "_pair_leftovers", growing),
        mock.patch.object(engine, "_certify", checked),
        mock.patch.object(engine, "dual_bound", counted),
    ):
        result = match(pool.applicants, Hierarchy(), pool.rules, seed=seed, neighbours=4)
    return result, solves_here, certified


def test_the_large_pool_path_certifies_with_the_bound_solved_beside():
    """Above the full-primal limit the bound comes from the child, kept valid on the edges
    that joined the graph after it started (here: every allowed pair among 80 people)."""
    pool = synthetic_pool(400, 9)
    result, solves_here, certified = _run_with_the_bound_beside(pool, 9, 0)
    assert solves_here == []  # solved once, in the child, and not again after the growth
    assert [(shares, lowered) for _, shares, lowered in certified] == [(None, True)]
    assert rule_violations(pool.applicants, Hierarchy(), pool.rules, result) == []
    assert exact_total(pool.applicants, Hierarchy(), pool.rules) <= result.upper_bound + 1e-9


def test_where_one_country_holds_most_people_the_bound_beside_leaves_its_covers_out():
    """The plain bound would go unused on such a pool: the child solves the country-shares
    bound instead, kept valid with those shares on the grown graph, and it certifies the
    result alone (the plain bound is 47 % above the optimum here)."""
    pool = dominant_pool(400, 9)
    result, solves_here, certified = _run_with_the_bound_beside(pool, 9, 0)
    assert solves_here == []
    ((_, shares, lowered),) = certified
    assert not lowered  # the country-shares bound is lowered after, on the main process
    free = engine._prepare(pool.applicants, Hierarchy(), pool.rules).free
    country = np.array([pool.applicants[k].country for k in free])
    assert shares is not None
    assert (shares[country == "AU"] == 0).all() and (shares[country != "AU"] == 2).all()
    assert rule_violations(pool.applicants, Hierarchy(), pool.rules, result) == []
    optimum = exact_total(pool.applicants, Hierarchy(), pool.rules)
    assert optimum <= result.upper_bound <= 1.01 * optimum


ORPHANED = """
import sys, time
from mentoring.matching.beside import Beside
job = Beside(time.sleep, 120)
print(job.pid, flush=True)
time.sleep(120)
"""


def test_the_child_dies_with_its_parent():
    """A worker killed mid-run leaves no solve running on the second core."""
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHANED], stdout=subprocess.PIPE, text=True, cwd=os.getcwd()
    )
    try:
        child = int(parent.stdout.readline())
        parent.kill()
        parent.wait(10)
        deadline = time.monotonic() + 10
        while _running(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(child)
    finally:
        parent.kill()


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"  # a zombie has finished
    except FileNotFoundError:
        return False
