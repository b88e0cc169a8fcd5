"""Everything an applicant types reaches the matching: from the form's POST, to the stored
row read back with a fresh query, to the record the engine scores. Areas of interest are a
`ParentalManyToManyField` and are only stored when set before the cluster is saved; these
tests read them back from the database, never from the object a service returned."""

import json

import pytest
from django.urls import reverse

from mentoring import links
from mentoring.matching.records import Applicant
from mentoring.models import Application, Interest, MatchRun, PartnerOrganisation, Pathway
from mentoring.services import adapter, applications, participants, rounds
from website.factories.mentoring import ApplicationFactory, RoundFactory

APPLY = "/apply/"


def full_post(interests: list[Interest], **overrides) -> dict:
    """Every field of the form, each with a value other than its default."""
    data = {
        "name": "Nomvula  Dlamini",
        "email": "Nomvula@Example.org",
        "country": "ZA",
        "city": "Durban",
        "time_zone": "Asia/Kolkata",
        "sector": "health",
        "role": "Clinical librarian",
        "career_stage": "senior",
        "years_experience": "23",
        "languages": ["fr", "pt"],
        "interests": [str(interest.pk) for interest in interests],
        "wants_sector": "same",
        "wanted_sectors": ["academic", "special"],
        "wants_career_stage": "different",
        "preferred_regions": ["asia", "oceania"],
        "availability": ["mon-am", "thu-eve"],
        "special_requests": "Not my colleague Thandi, please.",
        "agree_code_of_conduct": "on",
        "agree_requirements": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_every_scored_field_goes_from_the_form_to_the_engine(client):
    round = RoundFactory(opened_days_ago=2)
    organisation = PartnerOrganisation.objects.create(name="Health Libraries Association")
    pathway = Pathway.objects.create(
        round=round, organisation=organisation, kind=Pathway.Kind.SELF_DECLARED
    )
    chosen = list(Interest.objects.filter(code__in=["data", "open_access", "advocacy"]))
    response = client.post(APPLY, full_post(chosen, pathway=str(pathway.pk)))
    assert response.status_code == 302

    stored = Application.objects.get(round=round)
    assert {interest.code for interest in stored.interests.all()} == {
        "data",
        "open_access",
        "advocacy",
    }
    assert stored.name == "Nomvula Dlamini"
    assert stored.city == "Durban"
    assert stored.special_requests == "Not my colleague Thandi, please."
    assert stored.pathway == pathway

    applications.verify_email(stored)
    applications.confirm_participation(stored)
    [stored_in_pool] = adapter.pool_applications(MatchRun(round=round)).values()
    record = adapter.applicant_record(stored_in_pool)
    assert record == Applicant(
        id=stored.pk,
        country="ZA",
        sector="health",
        career_stage="senior",
        years_experience=23,
        utc_offset_hours=5.5,
        availability=frozenset({"mon-am", "thu-eve"}),
        languages=frozenset({"fr", "pt"}),
        interests=frozenset({"data", "open_access", "advocacy"}),
        wants_sector=frozenset({"academic", "special"}),
        wants_career_stage="different",
        preferred_regions=frozenset({"asia", "oceania"}),
        role="Clinical librarian",
    )
    assert record.region == "africa"


@pytest.mark.django_db
def test_a_simple_sector_wish_reaches_the_engine_as_typed(client):
    round = RoundFactory(opened_days_ago=2)
    chosen = list(Interest.objects.filter(code="archives"))
    client.post(APPLY, full_post(chosen, wanted_sectors=[], wants_sector="different"))
    stored = Application.objects.get(round=round)
    record = adapter.applicant_record(stored)
    assert record.wants_sector == "different"
    assert record.interests == frozenset({"archives"})


@pytest.mark.django_db
def test_an_unverified_applicant_applying_again_replaces_the_interests(client):
    round = RoundFactory(opened_days_ago=2)
    client.post(APPLY, full_post(list(Interest.objects.filter(code="data"))))
    client.post(APPLY, full_post(list(Interest.objects.filter(code__in=["archives", "digital"]))))
    stored = Application.objects.get(round=round)
    assert set(stored.interests.values_list("code", flat=True)) == {"archives", "digital"}


@pytest.mark.django_db
def test_waitlisted_people_keep_their_interests_in_the_next_round():
    old = RoundFactory(opened_days_ago=200)
    waiting = ApplicationFactory(round=old, status=Application.Status.WAITLISTED)
    waiting.interests.set(Interest.objects.filter(code__in=["leadership", "management"]))
    waiting.save()
    new = RoundFactory(opened_days_ago=1)
    assert rounds.roll_waitlist_into(new) == 1
    moved = Application.objects.get(round=new)
    assert set(moved.interests.values_list("code", flat=True)) == {"leadership", "management"}
    assert set(Application.objects.get(pk=waiting.pk).interests.values_list("code", flat=True)) == {
        "leadership",
        "management",
    }


@pytest.mark.django_db
def test_the_data_export_lists_the_interests_and_erasure_removes_them(client):
    round = RoundFactory(opened_days_ago=2)
    client.post(APPLY, full_post(list(Interest.objects.filter(code__in=["archives", "data"]))))
    stored = Application.objects.get(round=round)
    token = links.make_token(links.PERSONAL, stored.pk, stored.access_key)
    response = client.get(reverse("mentoring:download_data", kwargs={"token": token}))
    exported = json.loads(response.content)["applications"][0]["interests"]
    assert sorted(exported) == ["Archives and records", "Research data management"]

    participants.erase_personal_data(stored)
    assert not Application.objects.get(pk=stored.pk).interests.exists()
