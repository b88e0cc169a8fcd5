"""The code of conduct, end to end: a participant reports their partner from their personal
page (opened from their email); a director opens the complaint from the admin menu and
records a decision to remove; the partner gets a re-match offer by email, and their page
says so; the removed person applies to the next round and gets the neutral message."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from conduct.models import Complaint
from mentoring.links import personal_page_url
from mentoring.models import Application, BarredEmail, Partnership
from mentoring.services import runs
from tests.browser.admin import sign_in
from tests.browser.test_participant_journey import link_in_last_email, local
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.factories.website import UserFactory
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_report_leads_to_a_removal_and_a_rematch(page, live_server):
    round_ = RoundFactory(name="Round 8", opened_days_ago=60)
    partnership = Partnership.objects.create(round=round_, published_at=timezone.now())
    ana = ApplicationFactory(
        round=round_,
        name="Ana Lima",
        email="ana@example.org",
        status="matched",
        partnership=partnership,
        country="BR",
    )
    kofi = ApplicationFactory(
        round=round_,
        name="Kofi Mensah",
        email="kofi@example.org",
        status="matched",
        partnership=partnership,
        country="GH",
    )
    UserFactory(
        username="director", email="director@example.org", groups=[settings.DIRECTORS_GROUP]
    )
    mail.outbox.clear()

    # Ana, from the link to her page.
    page.goto(local(personal_page_url(ana), live_server))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ana Lima")
    page.get_by_role("link", name="Report a code of conduct problem").click()
    page.get_by_label("My partner, Kofi Mensah").check()
    page.get_by_role("button", name="Send my report").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    expect(page.get_by_label("My partner, Kofi Mensah")).to_be_checked()
    page.get_by_label("What happened?").fill("Insulting messages after our second call.")
    page.get_by_role("button", name="Send my report").click()
    expect(page.get_by_text("Thank you for telling us.")).to_be_visible()
    complaint = Complaint.objects.get()
    assert "We received your report" in [m.subject for m in mail.outbox if "ana@" in m.to[0]]
    assert any("director@example.org" in m.to for m in mail.outbox)

    # The director, from the admin dashboard.
    sign_in(page, "director")
    page.get_by_role("link", name="Complaints").click()
    page.get_by_role("link", name=f"Complaint {complaint.pk}").click()
    expect(page.get_by_role("textbox", name="What happened")).to_have_value(
        "Insulting messages after our second call."
    )
    page.get_by_role("combobox", name="Status").select_option("decided")
    page.get_by_role("combobox", name="Decision").select_option("removal")
    page.get_by_role("textbox", name="Reasons for the decision").fill("Confirmed by the messages.")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("updated").first).to_be_visible()

    complaint.refresh_from_db()
    assert complaint.removal_done_at and complaint.decided_by.username == "director"
    assert BarredEmail.objects.filter(email_normalised="kofi@example.org").exists()
    assert Application.objects.get(pk=kofi.pk).status == Application.Status.REMOVED
    assert runs.rematch_pool(round_) == [ana.pk]
    assert OutboundEmail.objects.filter(template="conduct_rematch_offer", to=ana.email).exists()

    # Ana's re-match offer, and her page.
    offer = link_in_last_email("ana@example.org", r"https?://\S+/me/\S+/")
    assert "We will find you a new partner" in [m.subject for m in mail.outbox if "ana@" in m.to[0]]
    page.goto(local(offer, live_server))
    expect(page.get_by_text("we will find you a new partner")).to_be_visible()
    expect(page.get_by_text("kofi@example.org")).to_have_count(0)

    # Kofi applies to the next round.
    RoundFactory(name="Round 9", opened_days_ago=1)
    page.context.clear_cookies()
    page.goto("/apply/")
    page.get_by_label("Full name").fill("Kofi Mensah")
    page.get_by_label("Email address").fill("Kofi@Example.org")
    page.get_by_label("Country you live in").select_option("GH")
    page.get_by_label("Library sector you work in").select_option("public")
    page.get_by_label("Your role").fill("Librarian")
    page.get_by_label("Career stage").select_option("mid")
    page.get_by_label("Years of experience in libraries").fill("8")
    page.get_by_role("group", name="Your partner's sector should be").get_by_label(
        "Different from mine"
    ).check()
    for toggle in page.get_by_text(re.compile(r"^Show the \d+ choices$")).all():
        toggle.click()
    page.get_by_label("Advocacy").check()
    page.get_by_label("Wednesday evening").check()
    page.get_by_label("I agree to the code of conduct.").check()
    page.get_by_label("I agree to the participation requirements.").check()
    page.get_by_role("button", name="Send my application").click()
    expect(
        page.get_by_text("We are unable to accept your application to this round")
    ).to_be_visible()
    assert Application.objects.filter(round__name="Round 9").count() == 0
