"""Applicant, Rules and Hierarchy: validation, derived fields and normalised points."""

import pytest

from mentoring.matching import codes
from mentoring.matching.hierarchy import DEFAULT_WEIGHTS, Criterion, Hierarchy
from mentoring.matching.records import Applicant, InvalidApplicant, Rules
from tests.mentoring.matching.pools import person


def test_region_is_derived_from_the_country():
    assert person(country="au").region == "oceania"
    assert person(country="MX").region == "latin_america_caribbean"
    assert person(country="CA").region == "northern_america"
    assert person(country="XX", region="europe").region == "europe"


def test_every_country_has_one_known_region():
    assert set(codes.COUNTRY_REGIONS.values()) == set(codes.REGIONS)
    assert len(codes.COUNTRY_REGIONS) > 240


@pytest.mark.parametrize(
    "fields",
    [
        {"sector": "bakery"},
        {"career_stage": "retired"},
        {"interests": "data"},
        {"interests": frozenset({""})},
        {"availability": frozenset({"mon-night"})},
        {"wants_sector": "similar"},
        {"wants_sector": frozenset()},
        {"wants_career_stage": "older"},
        {"preferred_regions": frozenset({"atlantis"})},
        {"years_experience": -1},
        {"utc_offset_hours": 15.0},
        {"country": "XX"},
        {"languages": "es"},
    ],
)
def test_bad_codes_are_refused(fields):
    with pytest.raises((ValueError, TypeError)):
        person(**fields)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", None),
        ("id", ["not", "hashable"]),
        ("country", ""),
        ("country", "  "),
        ("country", None),
        ("country", "AUS"),
        ("sector", None),
        ("career_stage", ["mid"]),
        ("years_experience", float("nan")),
        ("years_experience", float("inf")),
        ("years_experience", -0.5),
        ("years_experience", 200),
        ("years_experience", "10"),
        ("years_experience", True),
        ("utc_offset_hours", float("nan")),
        ("utc_offset_hours", float("-inf")),
        ("utc_offset_hours", "10"),
        ("availability", "mon-pm"),
        ("availability", frozenset({None})),
        ("languages", frozenset({""})),
        ("languages", 7),
        ("interests", frozenset({"  "})),
        ("wants_sector", frozenset({"bakery"})),
        ("wants_sector", 3),
        ("wants_career_stage", None),
        ("preferred_regions", "europe"),
        ("role", None),
        ("region", "atlantis"),
    ],
)
def test_malformed_records_are_refused_naming_the_person_and_the_field(field, value):
    fields = {"id": 7, field: value} if field == "id" else {field: value}
    with pytest.raises(InvalidApplicant) as refused:
        person(**{"id": 7, **fields})
    assert refused.value.field == field
    assert field in str(refused.value)
    if field != "id":
        assert refused.value.applicant_id == 7 and "applicant 7" in str(refused.value)


def test_numbers_of_any_real_kind_are_taken():
    import decimal

    import numpy as np

    applicant = person(years_experience=np.int64(12), utc_offset_hours=decimal.Decimal("5.5"))
    assert applicant.utc_offset_hours == 5.5
    assert person(country=" gb ").country == "GB"


def test_interests_are_the_sites_own_codes_up_to_64_in_a_pool():
    from mentoring.matching.features import MAX_INTERESTS, encode

    assert person(interests={"knitting"}).interests == frozenset({"knitting"})
    pool = [person(id=k, interests={f"interest-{k}"}) for k in range(MAX_INTERESTS)]
    assert len(encode(pool).interest_codes) == MAX_INTERESTS
    pool.append(person(id=MAX_INTERESTS, interests={"one-too-many"}))
    with pytest.raises(ValueError, match="at most 64 different interests"):
        encode(pool)


def test_sets_are_normalised():
    applicant = person(interests=["data", "Digital"], wants_sector={"academic"})
    assert applicant.interests == frozenset({"data", "digital"})
    assert applicant.wants_sector == frozenset({"academic"})
    assert isinstance(applicant, Applicant)


def test_rules_normalise_pairs_and_refuse_self_pairs():
    rules = Rules(pinned=[[1, 2]], forbidden=[(3, 4), (4, 3)], past_partners=[(5, 6)])
    assert rules.pinned == ((1, 2),)
    assert rules.forbidden == frozenset({frozenset({3, 4})})
    assert rules.never() == frozenset({frozenset({3, 4}), frozenset({5, 6})})
    with pytest.raises(ValueError):
        Rules(pinned=[(1, 1)])
    with pytest.raises(ValueError):
        Rules(forbidden=[(2, 2)])


def test_default_points_follow_the_iln_order_and_add_up_to_100():
    points = Hierarchy().points_tenths()
    assert sum(points.values()) == 1000
    assert list(points) == [criterion for criterion, _ in DEFAULT_WEIGHTS]
    ranked = sorted(points, key=points.get, reverse=True)
    assert ranked[:5] == [
        Criterion.SECTOR_WISH,
        Criterion.INTERESTS,
        Criterion.EXPERIENCE,
        Criterion.TIME_ZONE,
        Criterion.CAREER_STAGE_WISH,
    ]


def test_custom_weights_are_normalised_and_zero_weights_score_nothing():
    hierarchy = Hierarchy(
        [("interests", 1), ("sector_wish", 2), ("languages", 0)], hard=["region_wish"]
    )
    points = hierarchy.points_tenths()
    assert points == {Criterion.INTERESTS: 333, Criterion.SECTOR_WISH: 667, Criterion.LANGUAGES: 0}
    assert hierarchy.hard == frozenset({Criterion.REGION_WISH})
    assert hierarchy.points()["sector_wish"] == 66.7


@pytest.mark.parametrize(
    "weights",
    [
        {"interests": -1},
        {"interests": 0},
        [("interests", 1), ("interests", 2)],
        {"charm": 1},
        {"interests": float("nan")},
        {"interests": 1, "time_zone": float("inf")},
    ],
)
def test_bad_hierarchies_are_refused(weights):
    with pytest.raises(ValueError):
        Hierarchy(weights)
