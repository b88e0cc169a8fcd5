"""The round cockpit, the applications' bulk actions and the partnerships listing, as a
director uses them over HTTP: each action is read back from a fresh query, and pressing it
twice changes nothing more."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from mentoring.models import (
    Application,
    CheckIn,
    Interest,
    MatchRun,
    Partnership,
    Person,
    Round,
)
from mentoring.services import applications, approval
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.factories.website import UserFactory
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db

CONFIRMING_DAYS_AGO = 25
RUNNING_DAYS_AGO = 60
COUNTRIES = ["AU", "AU", "AU", "KE", "BR", "IN", "JP", "FR", "NG", "MX"]


def director(client):
    client.force_login(UserFactory(username="director", groups=[settings.DIRECTORS_GROUP]))


def cockpit(round: Round) -> str:
    return reverse("round_cockpit:round", args=[round.pk])


def step_of(client, round: Round) -> str:
    body = client.get(cockpit(round)).content.decode()
    return re.search(r'data-step="([a-z_]+)"', body).group(1)


def stage(client, round: Round, key: str) -> int:
    body = client.get(cockpit(round)).content.decode()
    return int(re.search(rf'data-stage="{key}"><td>[^<]+</td><td>(\d+)<', body).group(1))


@pytest.fixture
def confirming_round():
    round = RoundFactory(name="Round 9", opened_days_ago=CONFIRMING_DAYS_AGO)
    for index, country in enumerate(COUNTRIES):
        ApplicationFactory(round=round, country=country, name=f"Applicant {index:02d}")
    ApplicationFactory(
        round=round, country="CL", status=Application.Status.UNVERIFIED, verified_at=None
    )
    return round


def test_cockpit_applies_the_cap_and_asks_to_confirm_once(client, confirming_round):
    round = confirming_round
    Application.objects.filter(name="Applicant 03").update(time_zone="Asia/Kolkata")
    director(client)
    assert step_of(client, round) == "apply_cap"
    assert stage(client, round, "applied") == 11
    assert stage(client, round, "verified") == 10
    assert stage(client, round, "surveyed") == 0

    for _ in range(2):
        response = client.post(cockpit(round), {"action": "apply_cap"})
        assert response.status_code == 302
        assert (
            Application.objects.filter(round=round, status=Application.Status.WAITLISTED).count()
            == 1
        )
    assert Round.objects.get(pk=round.pk).cap_applied_at is not None
    assert stage(client, round, "over_cap") == 1
    assert step_of(client, round) == "ask_to_confirm"

    for _ in range(2):
        client.post(cockpit(round), {"action": "ask_to_confirm"})
        asked = OutboundEmail.objects.filter(key__startswith="confirm-request:")
        assert asked.count() == 9
    assert stage(client, round, "asked") == 9
    kolkata = Application.objects.get(name="Applicant 03")
    deadline = asked.get(key=f"confirm-request:{kolkata.pk}").context["deadline"]
    assert deadline.endswith("(Asia/Kolkata)")
    assert step_of(client, round) == "run_matching"
    body = client.get(cockpit(round)).content.decode()
    assert reverse("mentoring_matching:round", args=[round.pk]) in body


def test_actions_out_of_season_say_why(client):
    round = RoundFactory(opened_days_ago=2)
    director(client)
    assert step_of(client, round) == "wait_for_closing"
    response = client.post(cockpit(round), {"action": "apply_cap"}, follow=True)
    assert "once applications have closed" in response.content.decode()
    assert Round.objects.get(pk=round.pk).cap_applied_at is None
    response = client.post(cockpit(round), {"action": "rematch"}, follow=True)
    assert "Fewer than two people" in response.content.decode()
    response = client.post(cockpit(round), {"action": "nonsense"}, follow=True)
    assert response.status_code == 200 and "Unknown action." in response.content.decode()


def bulk(client, action: str, applications, data=None):
    url = reverse("wagtail_bulk_action", args=("mentoring", "application", action))
    query = "&".join(f"id={application.pk}" for application in applications)
    return client.post(f"{url}?{query}", data or {})


def statuses(round: Round) -> dict[str, str]:
    return dict(Application.objects.filter(round=round).values_list("name", "status"))


def test_bulk_confirm_exclude_waitlist_and_message(client, confirming_round):
    round = confirming_round
    director(client)
    chosen = list(Application.objects.filter(name__in=["Applicant 00", "Applicant 01"]))
    unverified = Application.objects.get(status=Application.Status.UNVERIFIED)
    for _ in range(2):
        assert bulk(client, "confirm", [*chosen, unverified]).status_code == 302
        now = statuses(round)
        assert now["Applicant 00"] == now["Applicant 01"] == Application.Status.CONFIRMED
        assert Application.objects.get(pk=unverified.pk).status == Application.Status.UNVERIFIED
    assert Application.objects.in_pool().filter(round=round).count() == 2
    assert stage(client, round, "confirmed") == 2

    bulk(client, "exclude", chosen[:1])
    bulk(client, "waitlist", chosen[1:])
    now = statuses(round)
    assert now["Applicant 00"] == Application.Status.UNMATCHED
    assert now["Applicant 01"] == Application.Status.WAITLISTED
    assert Application.objects.get(name="Applicant 01").waitlisted_at is not None

    form = client.get(
        reverse("wagtail_bulk_action", args=("mentoring", "application", "message"))
        + f"?id={chosen[0].pk}"
    ).content.decode()
    assert 'name="subject"' in form and 'name="body"' in form
    assert bulk(client, "message", chosen, {"subject": "", "body": "x"}).status_code == 200
    assert not OutboundEmail.objects.filter(template="director_message").exists()
    text = {"subject": "Your place in Round 9", "body": "Please reply to this email."}
    for _ in range(2):
        assert bulk(client, "message", chosen, text).status_code == 302
        sent = OutboundEmail.objects.filter(template="director_message")
        assert sorted(sent.values_list("to", flat=True)) == sorted(a.email for a in chosen)
    assert sent.first().context["body"] == "Please reply to this email."


def test_from_matching_to_introductions_sent(
    client, confirming_round, django_capture_on_commit_callbacks
):
    round = confirming_round
    director(client)
    client.post(cockpit(round), {"action": "apply_cap"})
    assert step_of(client, round) == "ask_to_confirm"
    client.post(cockpit(round), {"action": "ask_to_confirm"})
    assert step_of(client, round) == "run_matching"
    bulk(client, "confirm", Application.objects.filter(round=round, status="verified"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("mentoring_matching:round", args=[round.pk]),
            {
                **{
                    f"{c}_rank": i
                    for i, c in enumerate(
                        [
                            "sector_wish",
                            "interests",
                            "experience",
                            "time_zone",
                            "career_stage_wish",
                            "region_wish",
                            "languages",
                        ],
                        start=1,
                    )
                },
                **{
                    f"{c}_weight": 10
                    for c in [
                        "sector_wish",
                        "interests",
                        "experience",
                        "time_zone",
                        "career_stage_wish",
                        "region_wish",
                        "languages",
                    ]
                },
                "run": "1",
            },
        )
    run = MatchRun.objects.get(round=round)
    assert run.status == MatchRun.Status.DONE
    assert step_of(client, round) == "review_run"
    assert (
        reverse("mentoring_matching:run", args=[run.pk])
        in client.get(cockpit(round)).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mentoring_matching:approve", args=[run.pk]), {"confirm": "approve"})
    assert step_of(client, round) == "introductions_sent"
    assert "Introductions sent." in client.get(cockpit(round)).content.decode()
    assert stage(client, round, "introduced") == Partnership.objects.filter(round=round).count() > 0
    assert (
        stage(client, round, "matched")
        == Application.objects.filter(round=round, status=Application.Status.MATCHED).count()
    )


@pytest.fixture
def running_round():
    """A running round with two partnerships, each with a report from one member."""
    round = RoundFactory(name="Round 8", opened_days_ago=RUNNING_DAYS_AGO)
    people = [
        ApplicationFactory(
            round=round, status=Application.Status.MATCHED, country=country, name=name
        )
        for country, name in [
            ("AU", "Ana Reporter"),
            ("KE", "Kofi Silent"),
            ("BR", "Bia Reporter"),
            ("IN", "Ira Silent"),
        ]
    ]
    for first, second in [(people[0], people[1]), (people[2], people[3])]:
        partnership = Partnership.objects.create(round=round, published_at=round.start_datetime)
        Application.objects.filter(pk__in=[first.pk, second.pk]).update(partnership=partnership)
    for reporter, note in [(people[0], "No reply to three emails"), (people[2], "")]:
        reporter.refresh_from_db()
        assert applications.report_unresponsive_partner(reporter, note)
    CheckIn.objects.create(
        application=people[0], day=7, heard_from_partner=False, answered_at=round.start_datetime
    )
    return round


PARTNERSHIPS = "/admin/mentoring/partnerships/"


def test_partnerships_listing_filters_and_shows_reports(client, running_round):
    director(client)
    other = RoundFactory(opened_days_ago=RUNNING_DAYS_AGO)
    elsewhere = ApplicationFactory(
        round=other, status=Application.Status.MATCHED, country="JP", name="Jun Elsewhere"
    )
    Application.objects.filter(pk=elsewhere.pk).update(
        partnership=Partnership.objects.create(round=other, published_at=other.start_datetime)
    )
    body = client.get(PARTNERSHIPS).content.decode()
    assert "No reply to three emails" in body and "Jun Elsewhere" in body
    body = client.get(PARTNERSHIPS, {"round": running_round.pk}).content.decode()
    assert "Ana Reporter" in body and "Jun Elsewhere" not in body
    body = client.get(PARTNERSHIPS, {"country": "KE"}).content.decode()
    assert "Ana Reporter &amp; Kofi Silent" in body
    assert "Bia Reporter &amp; Ira Silent" not in body
    body = client.get(PARTNERSHIPS, {"state": "active"}).content.decode()
    assert "Jun Elsewhere" in body and "Ana Reporter &amp; Kofi Silent" not in body
    for bad in ({"state": "bogus"}, {"round": "abc"}, {"country": "ZZZ"}):
        assert client.get(PARTNERSHIPS, bad).status_code == 200
    assert client.get(reverse("round_cockpit:round", args=[99999])).status_code == 404

    partnership = Application.objects.get(name="Ana Reporter").partnership
    body = client.get(f"{PARTNERSHIPS}inspect/{partnership.pk}/").content.decode()
    assert "No reply to three emails" in body
    assert "has not heard from their partner" in body


def test_partnership_actions_and_the_rematch_pool(
    client, running_round, django_capture_on_commit_callbacks
):
    director(client)
    ana = Application.objects.get(name="Ana Reporter")
    kofi = Application.objects.get(name="Kofi Silent")
    act = reverse("mentoring_partnerships:act", args=[ana.partnership_id])
    for _ in range(2):
        client.post(act, {"action": "inactive", "member": kofi.pk})
        assert Person.objects.get(pk=kofi.person_id).inactive_in_round_id == running_round.pk
    assert client.post(act, {"action": "inactive", "member": "x"}).status_code == 404

    body = client.get(PARTNERSHIPS).content.decode()
    assert "Waiting for a new partner" in body
    assert "Ana Reporter: “No reply to three emails”" in body and "Bia Reporter" in body
    assert step_of(client, running_round) == "rematch"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cockpit(running_round), {"action": "rematch"})
    run = MatchRun.objects.get(round=running_round, kind=MatchRun.Kind.REMATCH)
    assert response["Location"] == reverse("mentoring_matching:run", args=[run.pk])
    assert set(run.requested_pool) == {ana.pk, Application.objects.get(name="Bia Reporter").pk}
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(cockpit(running_round), {"action": "rematch"})
    assert again["Location"] == response["Location"]
    assert MatchRun.objects.filter(kind=MatchRun.Kind.REMATCH).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        approval.approve(MatchRun.objects.get(pk=run.pk))
    assert stage(client, running_round, "rematched") == 1
    assert stage(client, running_round, "reported") == 2
    assert stage(client, running_round, "checked_in") == 1

    ended = Application.objects.get(name="Ira Silent").partnership
    for _ in range(2):
        client.post(reverse("mentoring_partnerships:act", args=[ended.pk]), {"action": "end"})
    first_end = Partnership.objects.get(pk=ended.pk).ended_at
    assert first_end is not None
    fresh = Partnership.objects.create(
        round=running_round, published_at=running_round.start_datetime
    )
    client.post(reverse("mentoring_partnerships:act", args=[fresh.pk]), {"action": "rematch"})
    assert Partnership.objects.get(pk=fresh.pk).flagged_at is not None


@pytest.mark.parametrize("group", [settings.SOCIAL_COORDINATORS_GROUP, settings.AMBASSADORS_GROUP])
def test_other_roles_get_403(client, running_round, group):
    client.force_login(UserFactory(username="someone", groups=[group]))
    partnership = Partnership.objects.filter(round=running_round).first()
    assert client.get(cockpit(running_round)).status_code == 403
    assert client.get(reverse("round_cockpit:index")).status_code == 403
    assert client.post(cockpit(running_round), {"action": "rematch"}).status_code == 403
    assert client.get(PARTNERSHIPS).status_code in {302, 403}
    assert client.get(f"{PARTNERSHIPS}inspect/{partnership.pk}/").status_code in {302, 403}
    act = reverse("mentoring_partnerships:act", args=[partnership.pk])
    assert client.post(act, {"action": "end"}).status_code == 403
    assert Partnership.objects.get(pk=partnership.pk).ended_at is None
    assert not MatchRun.objects.exists()


def test_the_way_in_is_the_dashboard_the_menu_and_the_rounds_listing(client, confirming_round):
    director(client)
    dashboard = client.get("/admin/").content.decode()
    assert cockpit(confirming_round) in dashboard
    assert reverse("round_cockpit:index") in dashboard
    assert (
        cockpit(confirming_round) in client.get("/admin/snippets/mentoring/round/").content.decode()
    )
    assert cockpit(confirming_round) in client.get(reverse("round_cockpit:index")).content.decode()


def test_export_has_the_interests(client, confirming_round):
    director(client)
    reading = Interest.objects.create(code="reading-promotion", name="Reading promotion")
    applicant = Application.objects.get(name="Applicant 00")
    applicant.interests.add(reading)
    applicant.save()
    response = client.get("/admin/snippets/mentoring/application/", {"export": "csv"})
    content = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )
    assert "Areas of interest" in content.splitlines()[0]
    assert "Reading promotion" in content


def test_the_new_pages_show_no_python_values(client, running_round, confirming_round):
    director(client)
    Partnership.objects.create(round=running_round)
    partnership = Partnership.objects.filter(round=running_round).first()
    pages = [
        reverse("round_cockpit:index"),
        cockpit(running_round),
        cockpit(confirming_round),
        PARTNERSHIPS,
        f"{PARTNERSHIPS}inspect/{partnership.pk}/",
        "/admin/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        main = html[html.index("<main") :]
        text = re.sub(r"<script.*?</script>|<[^>]+>", " ", main, flags=re.S)
        for raw in ("None", "[{", "{'"):
            assert raw not in text, (url, raw)
