"""The directors' dashboard: directors only, every chart with its table, the numbers as
they are, and a query count that does not grow with rounds or people."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Delivery
from website.factories.reporting import finished_round, people, running_round
from website.factories.website import UserFactory, pass_second_step
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db
URL = "/admin/statistics/"


def signed_in(client, group: str | None = None, **kwargs):
    user = UserFactory(groups=[group] if group else [], **kwargs)
    client.force_login(user)
    pass_second_step(client, user)
    return client


def test_the_url_is_where_the_menu_says():
    assert reverse("statistics:index") == URL


@pytest.mark.parametrize(
    "group",
    [
        settings.CONTENT_OFFICERS_GROUP,
        settings.GUEST_EDITORS_GROUP,
        settings.AMBASSADORS_GROUP,
        settings.SOCIAL_COORDINATORS_GROUP,
        settings.COMMUNICATIONS_OFFICERS_GROUP,
        settings.DATA_OFFICERS_GROUP,
    ],
)
def test_only_directors_see_the_dashboard(client, group):
    signed_in(client, group)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("statistics:partners")).status_code == 403
    assert URL not in client.get("/admin/").content.decode()


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_director_sees_every_chart_with_its_figures(client):
    old = finished_round(name="Round Old")
    people(old, 6, country="KE", sector="academic")
    people(old, 3, country="NP", sector="school")  # a small cohort: directors see it
    people(running_round(name="Round Now"), 8, country="BR", flagged=True)
    signed_in(client, settings.DIRECTORS_GROUP)

    home = client.get("/admin/").content.decode()
    assert URL in home  # the menu item
    html = client.get(URL).content.decode()

    for slug in [
        "people-per-round",
        "applicants-map",
        "sectors",
        "career-stages",
        "waitlists",
        "match-quality",
        "failure-rate",
        "check-in-replies",
    ]:
        assert f'id="chart-{slug}"' in html, slug
    assert html.count("<svg") >= 8
    assert "Nepal: 3" in html  # the map's title, unsuppressed for directors
    assert '<th scope="row">Nepal</th><td>3</td>' in html
    assert "Round Old" in html and "Round Now" in html
    assert "100.0 %" in html  # every partnership of Round Now failed
    assert "satisfaction" not in html.lower()  # no survey answers: no section


def test_choosing_a_round_narrows_the_breakdowns(client):
    old = finished_round()
    people(old, 6, country="KE")
    now = running_round()
    people(now, 6, country="BR")
    signed_in(client, settings.DIRECTORS_GROUP)
    html = client.get(URL, {"round": now.pk}).content.decode()
    assert "Brazil: 6" in html
    assert "Kenya: 6" not in html


@pytest.mark.parametrize("value", ["²", "abc", "99999999999999999999999", "-1", ""])
def test_a_round_that_is_not_one_shows_every_round(client, value):
    people(finished_round(), 6, country="KE")
    signed_in(client, settings.DIRECTORS_GROUP)
    response = client.get(URL, {"round": value})
    assert response.status_code == 200
    assert "Kenya: 6" in response.content.decode()


def test_sent_campaigns_show_their_rates(client):
    campaign = Campaign.objects.create(
        name="Spring news", subject="News", status=Campaign.Status.SENT
    )
    now = timezone.now()
    for i in range(10):
        outbound = OutboundEmail.objects.create(
            key=f"campaign:{campaign.pk}:{i}", to=f"p{i}@example.org", template="campaign"
        )
        Delivery.objects.create(
            outbound=outbound,
            campaign=campaign,
            email_normalised=outbound.to,
            delivered_at=now if i < 8 else None,
            opened_at=now if i < 4 else None,
            clicked_at=now if i < 1 else None,
        )
    signed_in(client, settings.DIRECTORS_GROUP)
    html = client.get(URL).content.decode()
    assert 'id="chart-campaigns"' in html
    assert "<td>80 %</td><td>50 %</td><td>12.5 %</td>" in html


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_rounds_or_people(client):
    signed_in(client, settings.DIRECTORS_GROUP)
    people(finished_round(), 6)
    people(running_round(), 6)
    count_queries(client)  # stores the finished round's figures
    few = count_queries(client)
    for _ in range(3):
        people(finished_round(), 8, country="KE")
        people(running_round(), 10, country="FR")
    count_queries(client)
    assert count_queries(client) == few


def test_every_chart_is_named_for_screen_readers():
    from reporting.charts import bars, columns, world_map

    for chart in (
        world_map("m", "Applicants by country", [("KE", "Kenya", 3)], "Country"),
        bars("b", "By sector", [("Public library", 3)], "Sector"),
        columns("c", "Per round", ["Round 1"], [("Applicants", [3])]),
    ):
        assert f'role="img" aria-label="{chart.title}"' in chart.svg
