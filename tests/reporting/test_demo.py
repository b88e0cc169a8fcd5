"""The demo fills the statistics: the public page lists the finished demo rounds with their
charts, the dashboard has every round, and a partner organisation's report has people."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from mentoring.models import PartnerOrganisation
from reporting.models import RoundFigures, StatisticsIndexPage
from tests.website.demo_db import _media_root, demo_module  # noqa: F401 (fixtures)
from website.factories.website import pass_second_step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_module")]


def test_the_demo_publishes_the_finished_rounds_figures(client):
    page = StatisticsIndexPage.objects.get()
    html = client.get(page.url).content.decode()
    assert "Round 4" in html and "Round 5" in html
    assert "Round 6" not in html  # still running
    assert RoundFigures.objects.count() == 2
    round_page = client.get(f"{page.url}round-5/").content.decode()
    assert 'id="chart-participants-map"' in round_page
    assert "<dd>0</dd>" not in round_page.split("</dl>")[0]


def test_the_demo_dashboard_and_partner_reports_are_full(client):
    director = get_user_model().objects.get(username="director")
    assert director.groups.filter(name=settings.DIRECTORS_GROUP).exists()
    client.force_login(director)
    pass_second_step(client, director)
    html = client.get("/admin/statistics/").content.decode()
    for name in ("Round 4", "Round 5", "Round 6", "Round 9"):
        assert name in html
    reports = [
        client.get(f"/admin/statistics/partners/{organisation.pk}/").content.decode()
        for organisation in PartnerOrganisation.objects.all()
    ]
    assert any("Participants came from" in report for report in reports)
