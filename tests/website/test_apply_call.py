"""The way into the program on the home page, in the main menu and on every promotional
page, and dates shown in a named time zone: the applicant's own on personal pages, UTC on
public pages (which the browser rewrites to the reader's zone)."""

import re
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from mentoring import links
from mentoring.models import Round
from website.factories.ambassadors import AmbassadorIndexPageFactory, PromoPageFactory
from website.factories.mentoring import ApplicationFactory, RoundFactory

CLOSES = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def apply_calls(html: str) -> list[str]:
    return re.findall(r'<(?:p|li) class="apply-call[^"]*">(.*?)</(?:p|li)>', html, re.S)


@pytest.fixture
def open_round(db) -> Round:
    return RoundFactory(
        name="Round 9",
        application_opens_at=timezone.now() - timedelta(days=2),
        application_closes_at=max(CLOSES, timezone.now() + timedelta(days=1)),
    )


@pytest.mark.django_db
def test_home_page_and_menu_invite_to_apply_while_a_round_is_open(client, home_page, open_round):
    closes = open_round.application_closes_at
    html = client.get("/").content.decode()
    calls = apply_calls(html)
    assert len(calls) == 2, "one in the menu, one on the home page"
    for call in calls:
        assert '<a href="/apply/">Apply for Round 9</a>' in call
        assert f'datetime="{closes.astimezone(UTC):%Y-%m-%dT%H:%M}Z" data-local-time' in call
        assert f"closes {closes.astimezone(UTC):%-d %B %Y, %H:%M} (UTC)" in text(call)


@pytest.mark.django_db
def test_every_page_has_it_in_the_menu(client, home_page, open_round):
    for path in ["/me/", "/search/?query=library"]:
        calls = apply_calls(client.get(path).content.decode())
        assert len(calls) == 1, path
        assert "Apply for Round 9" in calls[0]


@pytest.mark.django_db
def test_promotional_pages_invite_to_apply(client, home_page):
    directory = AmbassadorIndexPageFactory(parent=home_page)
    promo = PromoPageFactory(parent=directory, title="Join Round 9", slug="join", live=False)
    promo.save_revision().publish()
    promo.refresh_from_db()
    calls = apply_calls(client.get(promo.url).content.decode())
    assert len(calls) == 2
    assert all("Apply for Round" in call and 'href="/apply/"' in call for call in calls)


@pytest.mark.django_db
def test_with_no_round_open_it_offers_the_interest_list_and_the_next_dates(client, home_page):
    RoundFactory(name="Round 8", opened_days_ago=60)
    upcoming = RoundFactory(name="Round 10", opened_days_ago=-20)
    html = client.get("/").content.decode()
    banner = text(apply_calls(html)[1])
    opens = upcoming.application_opens_at.astimezone(UTC)
    assert banner.startswith("Join the interest list: applications for Round 10")
    assert f"expected to open {opens:%-d %B %Y, %H:%M} (UTC)" in banner
    assert f"partnerships to start on {upcoming.starts_on:%-d %B %Y}" in banner
    assert 'href="/apply/"' in apply_calls(html)[0]
    assert "Round 8" not in html


@pytest.mark.django_db
def test_with_no_round_planned_it_still_offers_the_interest_list(client, home_page):
    calls = apply_calls(client.get("/").content.decode())
    assert [text(call) for call in calls] == ["Join the interest list"] * 2


@pytest.mark.django_db
def test_it_costs_one_query_per_page(client, home_page, open_round, django_assert_num_queries):
    from django.test import RequestFactory

    from website.templatetags.apply_tags import current_call

    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        for _ in range(3):
            assert current_call(request).round == open_round


def test_local_time_names_the_zone():
    when = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    template = Template("{% load time_tags %}{% local_time when zone %}")
    kolkata = template.render(Context({"when": when, "zone": zoneinfo.ZoneInfo("Asia/Kolkata")}))
    assert (
        kolkata == '<time datetime="2026-12-01T23:30Z">2 December 2026, 05:00 (Asia/Kolkata)</time>'
    )
    new_york = template.render(Context({"when": when, "zone": "America/New_York"}))
    assert "1 December 2026, 18:30 (America/New York)" in new_york
    public = template.render(Context({"when": when, "zone": None}))
    assert public == (
        '<time datetime="2026-12-01T23:30Z" data-local-time>1 December 2026, 23:30 (UTC)</time>'
    )


@pytest.mark.django_db
def test_personal_pages_show_dates_in_the_applicants_zone(client):
    round = RoundFactory(opened_days_ago=2)
    Round.objects.filter(pk=round.pk).update(
        application_closes_at=datetime(2030, 3, 1, 12, 0, tzinfo=UTC),
        confirmation_deadline=datetime(2030, 3, 10, 12, 0, tzinfo=UTC),
        matching_date=datetime(2030, 3, 12, 12, 0, tzinfo=UTC),
    )
    application = ApplicationFactory(round=round, time_zone="Australia/Sydney")
    token = links.make_token(links.PERSONAL, application.pk, application.access_key)
    body = text(client.get(f"/me/{token}/").content.decode())
    assert "Applications close1 March 2030, 23:00 (Australia/Sydney)" in body
    assert "by 10 March 2030, 23:00 (Australia/Sydney)" in body
    main = client.get(f"/me/{token}/").content.decode().split("<main")[1].split("</main>")[0]
    assert "data-local-time" not in main


@pytest.mark.django_db
def test_the_apply_page_gives_the_deadline_in_utc_for_the_browser_to_rewrite(client, open_round):
    html = client.get("/apply/").content.decode()
    lead = re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1)
    assert "data-local-time" in lead
    assert "(UTC)" in text(lead)


@pytest.mark.django_db
def test_the_received_email_gives_the_deadlines_in_the_applicants_zone():
    from mentoring.models import Application
    from mentoring.services import applications
    from website.models import OutboundEmail

    round = RoundFactory(opened_days_ago=2)
    Round.objects.filter(pk=round.pk).update(
        application_closes_at=datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
    )
    application = ApplicationFactory(
        round=round,
        status=Application.Status.UNVERIFIED,
        verified_at=None,
        time_zone="America/Sao_Paulo",
    )
    applications.verify_email(Application.objects.get(pk=application.pk))
    context = OutboundEmail.objects.get(template="application_received").context
    assert context["closes"] == "1 March 2030, 09:00 (America/Sao Paulo)"
    assert context["deadline"].endswith("(America/Sao Paulo)")
