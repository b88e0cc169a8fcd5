"""Each criterion's scoring, the fast scorer against the plain definitions, and reasons."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.matching import codes, features
from mentoring.matching.features import encode
from mentoring.matching.hierarchy import Criterion, Hierarchy
from mentoring.matching.reasons import pair_reasons
from mentoring.matching.scoring import Scorer, score_pairs
from mentoring.matching.synthetic import synthetic_pool
from tests.mentoring.matching.pools import person, pools

ONLY = {criterion: Hierarchy({criterion: 1}) for criterion in Criterion}


def score(a, b, hierarchy=None) -> float:
    return float(score_pairs([a, b], hierarchy or Hierarchy(), [0], [1])[0])


def criterion_score(criterion: Criterion, a, b) -> float:
    """The pair's score when the hierarchy holds this criterion alone (0-100)."""
    return score(a, b, ONLY[criterion])


def test_a_public_librarian_who_asked_for_an_academic_gets_one():
    asker = person(1, "AU", sector="public", wants_sector=frozenset({"academic"}))
    academic = person(2, "US", sector="academic", wants_sector="any")
    look_alike = person(3, "US", sector="public", wants_sector="any")
    assert score(asker, academic) > score(asker, look_alike)
    assert criterion_score(Criterion.SECTOR_WISH, asker, academic) == 100
    assert criterion_score(Criterion.SECTOR_WISH, asker, look_alike) == 50


@pytest.mark.parametrize(
    ("wish", "partner_sector", "expected"),
    [
        ("same", "public", 100),
        ("same", "school", 50),
        ("different", "school", 100),
        ("different", "public", 50),
        ("any", "health", 100),
        (frozenset({"law", "health"}), "health", 100),
        (frozenset({"law", "health"}), "public", 50),
    ],
)
def test_sector_wish_counts_each_persons_wish_half(wish, partner_sector, expected):
    a = person(1, "AU", sector="public", wants_sector=wish)
    b = person(2, "US", sector=partner_sector, wants_sector="any")
    assert criterion_score(Criterion.SECTOR_WISH, a, b) == expected


def test_career_stage_wish():
    a = person(1, "AU", career_stage="early", wants_career_stage="different")
    assert (
        criterion_score(Criterion.CAREER_STAGE_WISH, a, person(2, "US", career_stage="senior"))
        == 100
    )
    assert (
        criterion_score(Criterion.CAREER_STAGE_WISH, a, person(2, "US", career_stage="early")) == 50
    )
    same = person(1, "AU", career_stage="mid", wants_career_stage="same")
    both_same = person(2, "US", career_stage="mid", wants_career_stage="same")
    assert criterion_score(Criterion.CAREER_STAGE_WISH, same, both_same) == 100


def test_region_wish_and_no_preference():
    a = person(1, "AU", preferred_regions=frozenset({"africa"}))
    assert criterion_score(Criterion.REGION_WISH, a, person(2, "KE")) == 100
    assert criterion_score(Criterion.REGION_WISH, a, person(2, "US")) == 50
    assert criterion_score(Criterion.REGION_WISH, person(1, "AU"), person(2, "US")) == 100


@pytest.mark.parametrize(
    ("mine", "theirs", "expected"),
    [
        ({"data", "digital", "reference"}, {"data", "digital", "reference", "archives"}, 100),
        ({"data", "digital", "reference"}, {"data", "archives", "leadership"}, 33.3),
        ({"data", "digital"}, {"data", "digital", "archives"}, 100),
        ({"data", "digital"}, {"archives"}, 0),
        (set(), {"archives"}, 0),
    ],
)
def test_shared_interests(mine, theirs, expected):
    a = person(1, "AU", interests=frozenset(mine))
    b = person(2, "US", interests=frozenset(theirs))
    assert criterion_score(Criterion.INTERESTS, a, b) == pytest.approx(expected, abs=0.05)


@pytest.mark.parametrize(("gap", "expected"), [(0, 100), (5, 75), (10, 50), (20, 0), (30, 0)])
def test_experience_rewards_similar_years(gap, expected):
    a = person(1, "AU", years_experience=5)
    b = person(2, "US", years_experience=5 + gap)
    assert criterion_score(Criterion.EXPERIENCE, a, b) == expected


def test_time_zone_overlap_is_counted_in_utc():
    sydney = person(1, "AU", utc_offset_hours=10.0, availability=frozenset({"mon-am"}))
    london = person(2, "GB", utc_offset_hours=0.0, availability=frozenset({"sun-eve"}))
    # Monday 06-12 in Sydney is Sunday 20:00 to Monday 02:00 UTC: 4 hours with Sunday 18-24.
    assert criterion_score(Criterion.TIME_ZONE, sydney, london) == pytest.approx(33.3, abs=0.05)
    reasons = pair_reasons(
        Scorer(encode([sydney, london]), Hierarchy()), [sydney, london], [0], [1]
    )[0]
    assert reasons["shared"]["overlap_hours"] == 4
    same = person(3, "US", utc_offset_hours=0.0, availability=frozenset({"mon-pm", "wed-pm"}))
    twin = person(4, "BR", utc_offset_hours=0.0, availability=frozenset({"mon-pm", "wed-pm"}))
    assert criterion_score(Criterion.TIME_ZONE, same, twin) == 100
    apart = person(5, "NZ", utc_offset_hours=12.0, availability=frozenset({"mon-pm"}))
    assert criterion_score(Criterion.TIME_ZONE, same, apart) == 0


@pytest.mark.parametrize("offset", [-12, -5, 0, 1, 10, 14, 170])
def test_availability_is_each_local_hour_moved_to_utc(offset):
    rng = np.random.default_rng(offset + 20)
    for size in (0, 1, 5, len(codes.SLOTS)):
        slots = frozenset(rng.choice(codes.SLOTS, size, replace=False).tolist())
        expected = 0
        for slot in slots or codes.SLOTS:
            day, part = slot.split("-")
            start, end = codes.DAY_PARTS[part]
            for hour in range(codes.DAYS.index(day) * 24 + start, codes.DAYS.index(day) * 24 + end):
                expected |= 1 << ((hour - offset) % 168)
        assert features._availability_bits(slots, offset) == expected


def test_only_languages_other_than_english_count():
    a = person(1, "MX", languages=frozenset({"en", "es"}))
    assert (
        criterion_score(Criterion.LANGUAGES, a, person(2, "ES", languages=frozenset({"es"}))) == 100
    )
    assert (
        criterion_score(Criterion.LANGUAGES, a, person(2, "US", languages=frozenset({"en"}))) == 0
    )


def test_a_perfect_pair_scores_100():
    a = person(1, "AU", sector="public", wants_sector=frozenset({"academic"}), languages={"fr"})
    b = person(2, "CA", sector="academic", wants_sector="different", languages={"fr"})
    assert score(a, b) == 100


def test_same_country_and_hard_criteria_are_disallowed_but_still_scored():
    a = person(1, "AU", sector="public", wants_sector="different")
    b = person(2, "AU", sector="public")
    c = person(3, "US", sector="public")
    hierarchy = Hierarchy(hard={"sector_wish"})
    scorer = Scorer(encode([a, b, c]), hierarchy)
    assert scorer.pairs(np.array([0, 0]), np.array([1, 2])).tolist()[0] < 0
    assert scorer.pairs(np.array([0]), np.array([2]))[0] < 0
    assert Scorer(encode([a, b, c]), Hierarchy()).pairs(np.array([0]), np.array([2]))[0] >= 0
    assert score(a, b, hierarchy) == score(a, b)


@settings(max_examples=40, deadline=None)
@given(pools(min_size=2, max_size=12))
def test_scores_are_symmetric_in_range_and_agree_everywhere(pool):
    features = encode(pool)
    n = len(pool)
    i, j = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n), indexing="ij"))
    hierarchy = Hierarchy(hard={"interests", "time_zone"})
    scores = score_pairs(features, hierarchy, i, j).reshape(n, n)
    assert np.array_equal(scores, scores.T)
    assert scores.min() >= 0 and scores.max() <= 100
    plain = Scorer(features, hierarchy, rules=False)
    tenths = plain.pairs(i, j)
    assert np.array_equal(plain.block(np.arange(n), np.arange(n)).ravel(), tenths)
    parts = sum(plain.contributions(i, j).values())
    assert np.array_equal(parts, tenths)
    ruled = Scorer(features, hierarchy)
    block = ruled.block(np.arange(n), np.arange(n)).ravel()
    assert np.array_equal(block, ruled.pairs(i, j))
    broken = ruled.broken(i, j)
    disallowed = (features.country[i] == features.country[j]) | broken[Criterion.INTERESTS]
    disallowed |= broken[Criterion.TIME_ZONE]
    assert np.array_equal(block < 0, disallowed)
    assert np.array_equal(np.where(disallowed, 0, block), np.where(disallowed, 0, tenths))


@pytest.mark.parametrize("criterion", list(Criterion))
def test_the_compiled_block_scorer_agrees_with_pairs_for_every_lone_criterion(criterion):
    """One criterion alone (so no joint table at all for interests or time zone), hard or
    not, on rows and columns in any order, and on a sub-pool's scorer with rules and without."""
    pool = synthetic_pool(160, seed=3).applicants
    f = encode(pool)
    rng = np.random.default_rng(5)
    rows, cols = rng.permutation(f.n)[:40], rng.permutation(f.n)[:70]
    i, j = (a.ravel() for a in np.meshgrid(rows, cols, indexing="ij"))
    for hard in (frozenset(), {criterion}):
        scorer = Scorer(f, Hierarchy(weights=((criterion, 1),), hard=hard))
        assert np.array_equal(scorer.block(rows, cols).ravel(), scorer.pairs(i, j))
        people = rng.permutation(f.n)[:90]
        for rules in (True, False):
            part = scorer.take(people, rules=rules)
            a, b = np.arange(0, 90, 2), np.arange(89, -1, -3)
            pa, pb = (x.ravel() for x in np.meshgrid(a, b, indexing="ij"))
            assert np.array_equal(part.block(a, part.side(b)).ravel(), part.pairs(pa, pb))


@settings(max_examples=40, deadline=None)
@given(pools(min_size=2, max_size=12), st.sampled_from([frozenset(), {"interests"}]), st.data())
def test_a_sub_pool_scorer_scores_as_one_built_for_it(pool, hard, data):
    """``Scorer.take`` shares the pool's tables; the scores are those of a scorer built on
    the sub-pool alone, with the rules or without, hard criteria or none."""
    features = encode(pool)
    hierarchy = Hierarchy(hard=hard)
    people = np.array(
        data.draw(st.lists(st.integers(0, len(pool) - 1), min_size=2, unique=True)), np.int64
    )
    own = features.take(people)
    m = people.size
    i, j = (a.ravel() for a in np.meshgrid(np.arange(m), np.arange(m), indexing="ij"))
    for built_with in (True, False):
        whole = Scorer(features, hierarchy, rules=built_with)
        for rules in (True, False):
            taken = whole.take(people, rules=rules)
            assert taken.features.ids == own.ids
            expected = Scorer(own, hierarchy, rules=rules).pairs(i, j)
            assert np.array_equal(taken.pairs(i, j), expected)


@settings(max_examples=30, deadline=None)
@given(pools(min_size=2, max_size=8))
def test_reasons_add_up_to_the_score(pool):
    features = encode(pool)
    scorer = Scorer(features, Hierarchy(), rules=False)
    i, j = np.triu_indices(len(pool), 1)
    reasons = pair_reasons(scorer, pool, i, j)
    for k, reason in enumerate(reasons):
        points = sum(c["points"] for c in reason["criteria"])
        assert round(points * 10) == scorer.pairs(i[k : k + 1], j[k : k + 1])[0]
        assert round(reason["score"] * 10) == round(points * 10)
        assert all(0 <= c["points"] <= c["max_points"] for c in reason["criteria"])
        for wish in reason["wishes"]:
            assert wish["who"] in ("a", "b") and isinstance(wish["met"], bool)


def test_reasons_name_the_wishes_and_what_is_shared():
    a = person(1, "AU", sector="public", wants_sector=frozenset({"academic"}), languages={"es"})
    b = person(2, "MX", sector="academic", wants_career_stage="same", languages={"es", "en"})
    reasons = pair_reasons(Scorer(encode([a, b]), Hierarchy()), [a, b], [0], [1])[0]
    assert {"who": "a", "criterion": "sector_wish", "wanted": ["academic"], "met": True} in (
        reasons["wishes"]
    )
    assert {"who": "b", "criterion": "career_stage_wish", "wanted": "same", "met": True} in (
        reasons["wishes"]
    )
    assert reasons["shared"]["languages"] == ["es"]
    assert reasons["shared"]["interests"] == ["data", "digital", "reference"]
    assert [c["criterion"] for c in reasons["criteria"]] == [str(c) for c in Hierarchy().criteria]


@settings(max_examples=20, deadline=None)
@given(pools(min_size=4, max_size=12), st.integers(0, 2**16))
def test_a_pair_explained_by_hand_reads_as_the_engine_explains_its_own(pool, seed):
    from mentoring.matching import explain_pairs, match

    result = match(pool, Hierarchy(), seed=seed)
    index = {applicant.id: k for k, applicant in enumerate(pool)}
    for pair in result.pairs:
        explained = explain_pairs(pool, Hierarchy(), [index[pair.a]], [index[pair.b]])[0]
        assert explained == pair.reasons
        assert explained["score"] == pair.score
