"""A director runs a round from the cockpit alone: from the admin dashboard to a round in
"confirming", the country cap, the request to confirm, a bulk confirmation, the matching, its
review and approval, to "introductions sent"; then the partnerships listing shows a report
and the people waiting are re-matched. Tasks run eagerly, as with no broker configured."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from mentoring.models import Application, MatchRun, Partnership
from mentoring.services import applications
from tests.browser.admin import sign_in
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.factories.website import UserFactory
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COUNTRIES = ["AU", "US", "GB", "KE", "BR", "IN", "JP", "FR", "NG", "MX", "CL", "PH"]


def running_round_with_reports():
    round = RoundFactory(name="Round 8", opened_days_ago=60)
    people = [
        ApplicationFactory(round=round, status=Application.Status.MATCHED, country=c, name=n)
        for c, n in [
            ("AU", "Ana Reporter"),
            ("KE", "Kofi Silent"),
            ("BR", "Bia Reporter"),
            ("IN", "Ira Silent"),
        ]
    ]
    for first, second in [(people[0], people[1]), (people[2], people[3])]:
        partnership = Partnership.objects.create(round=round, published_at=round.start_datetime)
        Application.objects.filter(pk__in=[first.pk, second.pk]).update(partnership=partnership)
    for reporter, note in [(people[0], "No reply to three emails"), (people[2], "Silent")]:
        reporter.refresh_from_db()
        applications.report_unresponsive_partner(reporter, note)
    return round


def test_director_runs_a_round_from_the_cockpit(page, live_server):
    round = RoundFactory(name="Round 9", opened_days_ago=25)
    for index, country in enumerate(COUNTRIES):
        ApplicationFactory(round=round, country=country, name=f"Applicant {index:02d}")
    running = running_round_with_reports()
    UserFactory(username="director", groups=[settings.DIRECTORS_GROUP])

    sign_in(page, "director")
    page.get_by_role("link", name="Round 9").click()
    expect(page.get_by_role("heading", name="Cockpit: Round 9")).to_be_visible()
    expect(page.locator("[data-stage=applied] td").nth(1)).to_have_text("12")

    page.get_by_role("button", name="Apply the country cap").click()
    expect(page.get_by_text("The country cap is applied")).to_be_visible()
    page.get_by_role("button", name="Ask the verified to confirm").click()
    expect(page.get_by_text("12 applicants asked to confirm.")).to_be_visible()
    expect(page.locator("[data-stage=asked] td").nth(1)).to_have_text("12")

    page.get_by_role("link", name=re.compile("Verified applicants who have not confirmed")).click()
    page.get_by_label("Select all").first.check()
    page.get_by_role("link", name="Confirm the selected applicants' places").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Applications confirmed: 12")).to_be_visible()
    assert Application.objects.in_pool().filter(round=round).count() == 12

    page.get_by_role("link", name="Dashboard").first.click()
    page.get_by_role("link", name="Round 9").click()
    page.get_by_role("link", name="Run the matching").click()
    page.get_by_role("button", name="Save and run the matching").click()
    expect(page.get_by_role("heading", name="Quality")).to_be_visible(timeout=30_000)
    page.get_by_label("I have reviewed the pairs").check()
    page.get_by_role("button", name="Approve and send introductions").click()
    expect(page.get_by_text("the introductions were sent")).to_be_visible(timeout=30_000)

    page.get_by_role("link", name="Dashboard").first.click()
    page.get_by_role("link", name="Round 9").click()
    expect(page.locator("#next-step")).to_contain_text("Introductions sent.")
    expect(page.locator("[data-stage=introduced] td").nth(1)).to_have_text("6")
    assert OutboundEmail.objects.filter(template="introduction").count() == 12

    page.get_by_role("link", name="Dashboard").first.click()
    page.get_by_role("link", name="Partnerships and re-matching").click()
    expect(page.get_by_text("Ana Reporter: No reply to three emails")).to_be_visible()
    pool = page.locator("#rematch-pool")
    expect(pool).to_contain_text("Ana Reporter: “No reply to three emails”")
    pool.get_by_role("button", name="Run the re-match for Round 8").click()
    expect(page.get_by_role("heading", name="Quality")).to_be_visible(timeout=30_000)
    page.get_by_label("I have reviewed the pairs").check()
    page.get_by_role("button", name="Approve and send introductions").click()
    expect(page.get_by_text("the introductions were sent")).to_be_visible(timeout=30_000)

    ana = Application.objects.get(name="Ana Reporter")
    bia = Application.objects.get(name="Bia Reporter")
    assert ana.partnership_id == bia.partnership_id
    assert MatchRun.objects.get(round=running, kind=MatchRun.Kind.REMATCH).status == "approved"
