"""A visitor joins the interest list; a round opens (the beat job) and the email arrives;
they apply, verify from the email link, confirm, and see their page; a second person's link
does not show the first person's data."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.models import Application, Round
from mentoring.tasks import run_round_schedule
from website.factories.mentoring import ApplicationFactory, RoundFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def link_in_last_email(to: str, pattern: str) -> str:
    messages = [m for m in mail.outbox if to in m.to]
    assert messages, f"no email to {to}"
    match = re.search(pattern, messages[-1].body)
    assert match, messages[-1].body
    return match.group(0)


def local(url: str, live_server) -> str:
    return re.sub(r"^https?://[^/]+", live_server.url, url)


def test_from_interest_list_to_personal_page(page, live_server, demo_site):
    Round.objects.filter(slug="round-9").update(
        application_opens_at=timezone.now() + timedelta(days=30),
        application_closes_at=timezone.now() + timedelta(days=50),
    )
    mail.outbox.clear()

    page.goto("/apply/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Applications are closed")
    page.get_by_label("Your name").fill("Lucía Fernández")
    page.get_by_label("Email address").fill("lucia@example.org")
    page.get_by_label("Country you live in").select_option("UY")
    page.get_by_role("button", name="Tell me when applications open").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    page.goto(
        local(
            link_in_last_email("lucia@example.org", r"https?://\S+/interest/confirm/\S+/"),
            live_server,
        )
    )
    page.get_by_role("button", name="Yes, add me to the list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are on the list")

    opened = RoundFactory(name="Round 11", slug="round-11", opened_days_ago=0)
    Round.objects.filter(pk=opened.pk).update(
        application_opens_at=timezone.now() - timedelta(minutes=5)
    )
    run_round_schedule.apply()
    apply_url = link_in_last_email("lucia@example.org", r"https?://\S+/apply/")
    assert "Applications for Round 11 are open" in mail.outbox[-1].subject

    page.goto(local(apply_url, live_server))
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to Round 11")
    page.get_by_label("Full name").fill("Lucía Fernández")
    page.get_by_label("Email address").fill("lucia@example.org")
    page.get_by_label("Country you live in").select_option("UY")
    page.get_by_label("City or town").fill("Montevideo")
    page.get_by_label("Library sector you work in").select_option("public")
    page.get_by_label("Your role").fill("Children's librarian")
    page.get_by_label("Career stage").select_option("mid")
    page.get_by_label("Years of experience in libraries").fill("99")
    for toggle in page.get_by_text(re.compile(r"^Show the \d+ choices$")).all():
        toggle.click()
    page.get_by_label("Spanish").check()
    page.get_by_label("Children and young people").check()
    page.get_by_label("Advocacy").check()
    page.get_by_role("group", name="Your partner's sector should be").get_by_label(
        "Different from mine"
    ).check()
    page.get_by_label("Wednesday evening").check()
    page.get_by_label("I agree to the code of conduct.").check()
    page.get_by_label("I agree to the participation requirements.").check()
    page.get_by_role("button", name="Send my application").click()

    summary = page.get_by_role("alert").filter(has_text="problem with what you sent")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=re.compile("Years of experience")).click()
    expect(page.get_by_label("Years of experience in libraries")).to_be_focused()
    expect(page.get_by_label("City or town")).to_have_value("Montevideo")
    expect(page.get_by_label("Spanish")).to_be_checked()
    page.get_by_label("Years of experience in libraries").fill("12")
    page.get_by_label("I agree to the code of conduct.").check()
    page.get_by_label("I agree to the participation requirements.").check()
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    verify = link_in_last_email("lucia@example.org", r"https?://\S+/apply/verify/\S+/")
    page.goto(local(verify, live_server))
    page.get_by_role("button", name="Yes, verify my email").click()
    expect(page.get_by_text("your email address is verified")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Lucía Fernández")

    Round.objects.filter(pk=opened.pk).update(
        application_opens_at=timezone.now() - timedelta(days=22),
        application_closes_at=timezone.now() - timedelta(minutes=1),
    )
    run_round_schedule.apply()
    confirm = link_in_last_email("lucia@example.org", r"https?://\S+/me/\S+/confirm/")
    page.goto(local(confirm, live_server))
    page.get_by_role("button", name="Yes, I will take part").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for confirming")
    expect(page.locator(".status")).to_have_text("Confirmed")
    assert Application.objects.get(email="lucia@example.org").status == "confirmed"

    other = ApplicationFactory(round=opened, name="Tomás Silva", country="BR")
    page.goto(local(other.personal_page_url(), live_server))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Tomás Silva")
    expect(page.get_by_text("Lucía")).to_have_count(0)
    expect(page.get_by_text("Montevideo")).to_have_count(0)
