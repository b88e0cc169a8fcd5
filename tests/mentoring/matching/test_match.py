"""The whole run: hard rules, optimality on small pools, the bound, odd pools, determinism."""

import gc
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.matching import Applicant, Hierarchy, Rules, match
from mentoring.matching.engine import RuleConflict
from mentoring.matching.synthetic import synthetic_pool
from mentoring.matching.verify import rule_violations
from tests.mentoring.matching.pools import optimum, person, pools_with_rules

HIERARCHIES = st.sampled_from(
    [
        Hierarchy(),
        Hierarchy(hard={"sector_wish"}),
        Hierarchy({"interests": 3, "time_zone": 1}, hard={"time_zone"}),
    ]
)


def _placed(result) -> Counter:
    placed = Counter()
    for pair in result.pairs:
        placed.update((pair.a, pair.b))
    for triad in result.triads:
        placed.update(triad.members)
    placed.update(u.id for u in result.unmatched)
    return placed


@settings(max_examples=60, deadline=None)
@given(pools_with_rules(max_size=11), HIERARCHIES, st.sampled_from(["triad", "waitlist"]))
def test_small_pools_keep_every_rule_and_reach_the_brute_force_optimum(case, hierarchy, odd):
    pool, rules = case
    result = match(pool, hierarchy, rules, seed=3, odd=odd)
    assert rule_violations(pool, hierarchy, rules, result) == []
    placed = _placed(result)
    assert set(placed) == {a.id for a in pool} and set(placed.values()) <= {1}
    pairs, total = optimum(pool, hierarchy, rules)
    assert len(result.pairs) + len(result.triads) == pairs
    assert round(result.total * 10) == total
    best_any = optimum(pool, hierarchy, rules, most_pairs_first=False)[1]
    assert result.upper_bound * 10 + 1e-6 >= best_any >= total
    assert result.unmatched_count == len(result.unmatched)
    if odd == "waitlist":
        assert not result.triads
    for triad in result.triads:
        assert triad.score == round(sum(round(link.score * 10) for link in triad.links) / 3) / 10


@settings(max_examples=25, deadline=None)
@given(pools_with_rules(min_size=2, max_size=10), st.integers(0, 5))
def test_the_same_seed_gives_the_same_result(case, seed):
    pool, rules = case
    first = match(pool, rules=rules, seed=seed)
    again = match(list(pool), rules=rules, seed=seed)
    assert [(p.a, p.b, p.score) for p in first.pairs] == [(p.a, p.b, p.score) for p in again.pairs]
    assert [t.members for t in first.triads] == [t.members for t in again.triads]
    assert first.unmatched == again.unmatched
    assert (first.total, first.upper_bound) == (again.total, again.upper_bound)


def test_an_odd_pool_ends_in_a_triad_or_on_the_waitlist():
    pool = [person(k, country) for k, country in enumerate(["AU", "US", "GB", "KE", "BR"])]
    with_triad = match(pool, odd="triad")
    assert len(with_triad.pairs) == 1 and len(with_triad.triads) == 1
    assert not with_triad.unmatched
    triad = with_triad.triads[0]
    assert len(set(triad.members)) == 3 and len(triad.links) == 3
    waitlisted = match(pool, odd="waitlist")
    assert len(waitlisted.pairs) == 2 and not waitlisted.triads
    assert [u.reason for u in waitlisted.unmatched] == ["waitlist"]
    assert waitlisted.total == with_triad.total
    with pytest.raises(ValueError):
        match(pool, odd="random")


def test_people_without_an_allowed_partner_are_reported_not_paired():
    pool = [person(1, "AU"), person(2, "AU"), person(3, "US"), person(4, "GB")]
    rules = Rules(forbidden=[(1, 3), (1, 4)])
    result = match(pool, rules=rules)
    assert {(u.id, u.reason) for u in result.unmatched} == {(1, "no_allowed_partner")}
    assert rule_violations(pool, Hierarchy(), rules, result) == []


def test_a_hard_wish_is_never_broken():
    wants_academic = person(1, "AU", wants_sector=frozenset({"academic"}))
    public = [person(k, c, sector="public") for k, c in [(2, "US"), (3, "GB")]]
    academic = person(4, "KE", sector="academic")
    pool = [wants_academic, *public, academic]
    result = match(pool, Hierarchy(hard={"sector_wish"}))
    assert any({p.a, p.b} == {1, 4} for p in result.pairs)
    soft = match(pool)
    assert any({p.a, p.b} == {1, 4} for p in soft.pairs)


def test_pins_are_kept_first_and_conflicting_pins_refused():
    pool = [person(k, c) for k, c in enumerate(["AU", "US", "GB", "KE"])]
    result = match(pool, rules=Rules(pinned=[(0, 1)]))
    pinned = [p for p in result.pairs if p.pinned]
    assert [(p.a, p.b) for p in pinned] == [(0, 1)]
    assert pinned[0].reasons["score"] == pinned[0].score
    for rules in (
        Rules(pinned=[(0, 1), (1, 2)]),
        Rules(pinned=[(0, 9)]),
        Rules(pinned=[(0, 1)], forbidden=[(0, 1)]),
        Rules(pinned=[(0, 1)], past_partners=[(1, 0)]),
    ):
        with pytest.raises(RuleConflict):
            match(pool, rules=rules)
    with pytest.raises(RuleConflict):
        match([*pool, person(5, "AU")], rules=Rules(pinned=[(0, 5)]))


def test_progress_is_reported_at_each_phase():
    calls = []
    match(synthetic_pool(60, 1).applicants, progress=lambda f, m: calls.append((f, m)))
    fractions = [fraction for fraction, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(calls) >= 7 and all(isinstance(message, str) for _, message in calls)


def test_the_garbage_collector_is_paused_for_the_run_and_left_as_it_was():
    seen = []
    pool = synthetic_pool(60, 1).applicants
    match(pool, progress=lambda fraction, message: seen.append(gc.isenabled()))
    assert seen and not any(seen)
    assert gc.isenabled()
    gc.disable()
    try:
        match(pool)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(RuleConflict):
        match(pool, rules=Rules(pinned=[(pool[0].id, "nobody")]))
    assert gc.isenabled()


def test_the_result_is_plain_data():
    pool = synthetic_pool(120, 4)
    result = match(pool.applicants, rules=pool.rules, seed=4)
    for value in (result.total, result.upper_bound, result.ratio, result.worst_pair):
        assert type(value) is float
    assert all(type(p.score) is float for p in result.pairs)
    assert set(result.timings) >= {"features", "candidates", "assignment", "bound", "total"}
    assert 0 < result.ratio <= 1
    assert result.pairs_below_50 == sum(p.score < 50 for p in result.pairs) + sum(
        t.score < 50 for t in result.triads
    )


@pytest.mark.parametrize("size", [700, 1500])
def test_larger_pools_by_the_large_pool_path(size):
    """The blocked candidates, the sparse assignment and the locally lowered bound, forced."""
    pool = synthetic_pool(size, 7)
    hierarchy = Hierarchy()
    result = match(
        pool.applicants,
        hierarchy,
        pool.rules,
        seed=7,
        dense_limit=0,
        neighbours=24,
        primal_neighbours=8,
        bound_rounds=0,
    )
    assert rule_violations(pool.applicants, hierarchy, pool.rules, result) == []
    assert result.ratio >= 0.995
    assert not result.stats["bound_repaired"]


def test_a_pool_is_matched_near_its_bound():
    pool = synthetic_pool(1000, 2)
    result = match(pool.applicants, rules=pool.rules, seed=2)
    assert rule_violations(pool.applicants, Hierarchy(), pool.rules, result) == []
    assert result.ratio >= 0.999
    assert result.unmatched_count == 0


def test_the_package_exports_the_public_api():
    import mentoring.matching as api

    assert callable(api.match) and callable(api.score_pairs)
    assert isinstance(person(), Applicant)
    assert "match(" in api.__doc__


def test_the_worked_example_in_the_package_docstring_runs():
    import doctest

    import mentoring.matching as api

    failures, tried = doctest.testmod(api, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 5 and failures == 0


@settings(max_examples=40, deadline=None)
@given(pools_with_rules(max_size=12), HIERARCHIES, st.integers(1, 4))
def test_with_sparse_candidates_the_rules_hold_and_the_bound_stays_valid(case, hierarchy, k):
    """Few candidates per person, no exact shortcut: covers and the LP certificate at work."""
    from unittest import mock

    from mentoring.matching import bounds, engine

    pool, rules = case
    with mock.patch.object(engine, "EXACT_LIMIT", 0), mock.patch.object(bounds, "EXACT_LIMIT", 0):
        result = match(pool, hierarchy, rules, seed=1, neighbours=k)
    assert rule_violations(pool, hierarchy, rules, result) == []
    best_any = optimum(pool, hierarchy, rules, most_pairs_first=False)[1]
    assert round(result.total * 10) <= best_any <= result.upper_bound * 10 + 1e-6
    assert not result.stats["bound_repaired"]
