"""A director edits the decision hierarchy, runs the matching and watches its progress,
swaps two partners, approves and watches the approval's progress; a participant then sees
their partner and the reasons."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from mentoring.models import Application, MatchRun
from mentoring.services import approval, runs
from tests.browser.admin import sign_in
from tests.conftest import use_broker
from website.celery_app import app as celery_app
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COUNTRIES = ["AU", "US", "GB", "KE", "BR", "IN", "JP", "FR", "NG", "MX"]


@pytest.fixture
def queued_tasks_stay_queued():
    """Tasks go to an in-memory broker nobody reads, so the run waits as it would for a
    worker; the test then plays the worker's part."""
    eager, url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    use_broker("memory://", eager=False)
    yield
    use_broker(url, eager=eager)


def test_director_runs_reviews_and_approves(page, live_server, queued_tasks_stay_queued):
    round = RoundFactory(name="Round 12", opened_days_ago=33)
    for index in range(12):
        ApplicationFactory(
            round=round,
            status=Application.Status.CONFIRMED,
            country=COUNTRIES[index % 10],
            name=f"Participant {index:02d}",
            sector=["public", "academic", "school"][index % 3],
        )
    UserFactory(username="director", groups=[settings.DIRECTORS_GROUP])

    sign_in(page, "director")
    page.goto("/admin/snippets/mentoring/round/")
    row = page.get_by_role("row").filter(has_text="Round 12")
    row.get_by_role("button", name="More options").click()
    row.get_by_role("link", name="Matching").click()
    expect(page.get_by_role("heading", name="Matching: Round 12")).to_be_visible()
    expect(page.get_by_text("Confirmed applicants in the pool: 12")).to_be_visible()

    page.locator("#id_interests_weight").fill("30")
    page.locator("#id_languages_rank").fill("6")
    page.locator("#id_region_wish_rank").fill("7")
    page.get_by_role("button", name="Save and run the matching").click()

    expect(page.get_by_role("heading", name="Matching in progress")).to_be_visible()
    expect(page.locator("#run-progress-bar")).to_be_visible()
    run = MatchRun.objects.get(round=round)
    assert run.hierarchy[1] == {"criterion": "interests", "weight": 30.0}
    runs.execute_run(run.pk)
    expect(page.get_by_role("heading", name="Quality")).to_be_visible(timeout=15_000)
    expect(page.locator("#figure-pairs")).to_contain_text("6")

    one, two = list(run.pairs.order_by("pk")[:2])
    page.locator("#swap-form input[name=pair]").fill(str(one.pk))
    page.locator("#swap-form input[name=other]").fill(str(two.pk))
    page.locator("#swap-form").get_by_label("accept warnings").check()
    page.locator("#swap-form").get_by_role("button", name="Swap").click()
    expect(page.get_by_text(re.compile("Swapped; new scores"))).to_be_visible()
    one.refresh_from_db()
    assert one.adjusted

    page.get_by_label("I have reviewed the pairs").check()
    page.get_by_role("button", name="Approve and send introductions").click()
    expect(page.get_by_text(re.compile("The approval is under way"))).to_be_visible()
    expect(page.get_by_role("heading", name="Approval in progress")).to_be_visible()
    expect(page.locator("#run-progress-bar")).to_be_visible()
    assert approval.execute_approval(run.pk) == 6
    expect(page.get_by_text(re.compile("the introductions were sent"))).to_be_visible(
        timeout=15_000
    )

    member = Application.objects.get(pk=one.first_id)
    partner = member.partners()[0]
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, member.personal_page_url()))
    expect(page.get_by_role("heading", name="Your partner")).to_be_visible()
    expect(page.get_by_text(partner.name)).to_be_visible()
    expect(page.get_by_role("heading", name="Why we matched you")).to_be_visible()
