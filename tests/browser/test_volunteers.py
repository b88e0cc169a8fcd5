"""A new data officer signs in to the admin for the first time (password, then the code of
their authenticator), is asked to accept the code of conduct and their position description
before anything else, reads the description, accepts both, and reaches the dashboard with
the "your job here" panel written from their position description."""

import re

import pytest
from playwright.sync_api import Page, expect

from mentoring.models import ProgramSettings
from tests.browser.admin import fresh_code
from volunteers.models import Acceptance
from website.factories.volunteers import PositionIndexPageFactory, PositionPageFactory, make_record
from website.factories.website import DEMO_PASSWORD, StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def newcomer(home_page, site):
    code = StandardPageFactory(parent=home_page, title="Code of conduct", slug="code-of-conduct")
    code.save_revision().publish()
    texts = ProgramSettings.for_site(site)
    texts.code_of_conduct_page = code
    texts.save()
    index = PositionIndexPageFactory(parent=home_page)
    index.save_revision().publish()
    position = PositionPageFactory(
        parent=index,
        role="data_officer",
        title="Data officer",
        purpose="<p>Look after applicants' data, carefully and privately.</p>",
        screens="<p>Applications and the interest list are yours to check.</p>",
    )
    position.save_revision().publish()
    user = UserFactory(
        username="dana", first_name="Dana", last_name="Okafor", groups=[], authenticator=True
    )
    make_record(user, ["data_officer"])
    return user


def test_first_sign_in_accepts_the_code_and_the_position(page: Page, newcomer):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/signin/verify/"))
    page.get_by_label("Code").fill(fresh_code("dana"))
    page.get_by_role("button", name="Verify").click()

    expect(page).to_have_url(re.compile(r"/admin/volunteers/accept/"))
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    page.goto("/admin/pages/")  # nothing else opens first
    expect(page).to_have_url(re.compile(r"/admin/volunteers/accept/"))

    description = page.get_by_role("link", name="Position description: Data officer")
    with page.context.expect_page() as opened:
        description.click()
    tab = opened.value
    expect(tab.get_by_role("heading", name="Data officer")).to_be_visible()
    expect(tab.get_by_text("Look after applicants' data")).to_be_visible()
    tab.close()

    page.get_by_role("button", name="Accept and continue").click()
    expect(page.get_by_text("Please tick this box").first).to_be_visible()
    page.get_by_label(re.compile("I have read and accept: Code of conduct")).check()
    page.get_by_label(re.compile("I have read and accept: Position description")).check()
    page.get_by_role("button", name="Accept and continue").click()

    expect(page).to_have_url(re.compile(r"/admin/pages/$"))
    page.goto("/admin/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Your job here"))
    expect(panel).to_be_visible()
    expect(panel.get_by_text("Applications and the interest list are yours")).to_be_visible()
    expect(panel.get_by_role("link", name="Applications")).to_be_visible()
    assert set(Acceptance.objects.filter(user=newcomer).values_list("document", flat=True)) == {
        "code_of_conduct",
        "position:data_officer",
    }
