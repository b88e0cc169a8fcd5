"""A newcomer, in Kolkata, finds the open round from the home page, applies with areas of
interest without typing an address, verifies and confirms from the emails, corrects the
application on the way, and after the director's run sees their partner and why: a shared
interest."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from mentoring.models import Application, Interest, Round
from mentoring.services import approval, runs
from mentoring.tasks import run_round_schedule
from website.factories.mentoring import ApplicationFactory, RoundFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Chromium may still call the zone by its older name.
KOLKATA = re.compile(r"\(Asia/(Kolkata|Calcutta)\)")


def link_in_last_email(to: str, pattern: str) -> str:
    messages = [m for m in mail.outbox if to in m.to]
    assert messages, f"no email to {to}"
    match = re.search(pattern, messages[-1].body)
    assert match, messages[-1].body
    return match.group(0)


def local(url: str, live_server) -> str:
    return re.sub(r"^https?://[^/]+", live_server.url, url)


@pytest.fixture
def kolkata_page(browser: Browser, live_server) -> Page:
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Asia/Kolkata"
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_newcomer_applies_from_the_home_page_and_meets_a_partner_with_a_shared_interest(
    kolkata_page: Page, live_server, home_page
):
    page = kolkata_page
    round = RoundFactory(name="Round 11", slug="round-11", opened_days_ago=2)
    partner = ApplicationFactory(
        round=round,
        status=Application.Status.CONFIRMED,
        name="Wanjiru Kamau",
        country="KE",
        time_zone="Africa/Nairobi",
        sector="academic",
        career_stage="mid",
    )
    partner.interests.set(Interest.objects.filter(code__in=["archives", "leadership"]))
    partner.save()
    mail.outbox.clear()

    page.goto("/")
    banner = page.locator("main .apply-call")
    expect(banner).to_contain_text("Apply for Round 11: closes")
    closes = timezone.localtime(round.application_closes_at, ZoneInfo("Asia/Kolkata"))
    expect(banner).to_contain_text(f"{closes:%-d %B %Y, %H:%M} (Asia/")
    expect(banner).to_contain_text(KOLKATA)
    expect(page.locator(".site-nav .apply-call")).to_contain_text(KOLKATA)
    banner.get_by_role("link", name="Apply for Round 11").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to Round 11")
    expect(page.locator(".lead")).to_contain_text(KOLKATA)
    expect(page.get_by_label("Time zone")).to_have_value(re.compile("Asia/(Kolkata|Calcutta)"))
    page.get_by_label("Full name").fill("Priya Raman")
    page.get_by_label("Email address").fill("priya@example.org")
    page.get_by_label("Country you live in").select_option("IN")
    page.get_by_label("City or town").fill("Kolkata")
    page.get_by_label("Library sector you work in").select_option("public")
    page.get_by_label("Your role").fill("Local studies librarian")
    page.get_by_label("Career stage").select_option("early")
    page.get_by_label("Years of experience in libraries").fill("3")
    for toggle in page.get_by_text(re.compile(r"^Show the \d+ choices$")).all():
        toggle.click()
    page.get_by_label("Tamil").check()
    page.get_by_label("Archives and records").check()
    page.get_by_label("Preservation and conservation").check()
    page.get_by_role("group", name="Your partner's sector should be").get_by_label(
        "Different from mine"
    ).check()
    page.get_by_label("Saturday morning").check()
    page.get_by_label("I agree to the code of conduct.").check()
    page.get_by_label("I agree to the participation requirements.").check()
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    stored = Application.objects.get(email="priya@example.org")
    assert set(stored.interests.values_list("code", flat=True)) == {"archives", "preservation"}
    assert str(stored.time_zone) in {"Asia/Kolkata", "Asia/Calcutta"}

    page.goto(
        local(
            link_in_last_email("priya@example.org", r"https?://\S+/apply/verify/\S+/"), live_server
        )
    )
    page.get_by_role("button", name="Yes, verify my email").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Priya Raman")
    expect(page.locator(".your-application")).to_contain_text("Archives and records")
    expect(page.locator(".dates")).to_contain_text(KOLKATA)

    page.get_by_role("link", name="Correct my application").click()
    expect(page.get_by_label("City or town")).to_have_value("Kolkata")
    expect(page.get_by_label("Archives and records")).to_be_checked()
    page.get_by_label("City or town").fill("Howrah")
    page.get_by_role("button", name="Save my changes").click()
    expect(page.get_by_role("status")).to_contain_text("your application is updated")
    expect(page.locator(".your-application")).to_contain_text("Howrah")
    assert Application.objects.get(pk=stored.pk).city == "Howrah"

    Round.objects.filter(pk=round.pk).update(
        application_opens_at=timezone.now() - timedelta(days=22),
        application_closes_at=timezone.now() - timedelta(minutes=1),
    )
    run_round_schedule.apply()
    confirm = link_in_last_email("priya@example.org", r"https?://\S+/me/\S+/confirm/")
    page.goto(local(confirm, live_server))
    page.get_by_role("button", name="Yes, I will take part").click()
    expect(page.locator(".status")).to_have_text("Confirmed")
    expect(page.get_by_role("link", name="Correct my application")).to_have_count(0)

    run = runs.start_run(Round.objects.get(pk=round.pk))
    runs.execute_run(run.pk)
    run.refresh_from_db()
    assert approval.approve(run) == 1

    page_link = link_in_last_email("priya@example.org", r"https?://\S+/me/[^/\s]+/")
    page.goto(local(page_link, live_server))
    partners = page.locator(".partners")
    expect(partners).to_contain_text("Wanjiru Kamau")
    expect(page.get_by_role("heading", name="Why we matched you")).to_be_visible()
    expect(page.locator("main")).to_contain_text("You share an interest in archives and records.")
