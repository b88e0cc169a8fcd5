"""A director copies the partner-satisfaction survey (its branch: "how often?" only for those
who met their partner) for a running round and schedules it; beat sends the links; a
participant answers from the email link and sees the branch appear; the director sees the
chart and exports the answers as XLSX."""

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from surveys.models import Survey, SurveyResponse
from surveys.services import sending
from tests.browser.admin import sign_in
from website.factories.mentoring import RoundFactory
from website.factories.surveys import matched_pair
from website.factories.website import UserFactory
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_director_schedules_a_survey_participant_answers_director_exports(page, requests_made):
    UserFactory(username="director", groups=[settings.DIRECTORS_GROUP])
    round = RoundFactory(name="Round 9", opened_days_ago=60)
    participant = matched_pair(round, name="Amaka Obi")[0]

    sign_in(page, "director")
    page.get_by_role("link", name="Surveys").first.click()
    row = page.locator("tr", has_text="Partner satisfaction (template)")
    row.get_by_role("button", name=re.compile("More options")).click()
    row.get_by_role("link", name="Copy").click()
    expect(page.locator("#id_title")).to_have_value("Partner satisfaction (template) (copy)")
    # The branch is in the copy: "how often" shows only if met_partner is yes.
    conditions = page.locator("input[name$='show_if-question']")
    expect(conditions.first).to_be_attached()
    assert "met_partner" in conditions.evaluate_all("inputs => inputs.map(i => i.value)")
    page.locator("#id_title").fill("Mid-round check: Round 9")
    page.locator("#id_round").select_option(label="Round 9")
    page.locator("#id_moment").select_option("mid_round")
    page.locator("#id_send_on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("created")).to_be_visible()
    survey = Survey.objects.get(title="Mid-round check: Round 9")
    assert survey.round == round and not survey.is_template
    assert Survey.objects.filter(is_template=True).count() == 1  # the template is kept

    sending.run()  # beat's hourly pass
    message = OutboundEmail.objects.get(to=participant.email, template="survey_invitation")
    page.context.clear_cookies()
    page.goto(urlsplit(message.context["url"]).path)  # the link, on the test server
    expect(page.get_by_role("heading", name="Mid-round check: Round 9")).to_be_visible()
    frequency = page.locator("[data-question='meeting_frequency']")
    expect(frequency).to_be_hidden()
    page.locator("[data-question='met_partner']").get_by_label("Yes").check()
    expect(frequency).to_be_visible()
    frequency.get_by_label("Every two weeks").check()
    page.locator("[data-question='satisfaction']").get_by_label("5").check()
    page.locator("[data-question='recommend']").get_by_label("9", exact=True).check()
    page.get_by_label("What worked well?").fill("Talking about open access every fortnight.")
    page.locator("[data-question='quote_consent']").get_by_label("Yes").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    answers = SurveyResponse.objects.get().answers
    assert answers["meeting_frequency"] == "Every two weeks"
    assert answers["satisfaction"] == "5"

    sign_in(page, "director")
    page.goto(f"/admin/snippets/surveys/survey/inspect/{survey.pk}/")
    page.get_by_role("link", name=re.compile(r"Results \(1 response\)")).click()
    expect(page.locator("[data-result='satisfaction'] svg[data-chart]")).to_have_count(5)
    expect(page.locator("[data-result='what_worked']")).to_contain_text("open access")
    with page.expect_download() as download:
        page.get_by_role("link", name="Raw answers, Excel").click()
    with open(download.value.path(), "rb") as file:
        sheet = load_workbook(io.BytesIO(file.read())).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header[-7:] == [
        "met_partner",
        "meeting_frequency",
        "satisfaction",
        "recommend",
        "what_worked",
        "what_did_not",
        "quote_consent",
    ]
    assert sheet.max_row == 2
    assert requests_made.third_party() == []
    assert survey.closes_at > timezone.now() + timedelta(days=20)
