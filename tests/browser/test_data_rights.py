"""A participant downloads everything held about them, then erases it."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mentoring.models import Application
from website.factories.mentoring import ApplicationFactory, RoundFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_participant_downloads_then_erases_their_data(page, live_server):
    application = ApplicationFactory(
        round=RoundFactory(opened_days_ago=3),
        name="Amina Yusuf",
        email="amina@example.org",
        country="NG",
    )
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, application.personal_page_url()))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Amina Yusuf")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything we hold about you (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["applications"][0]["email"] == "amina@example.org"

    page.get_by_role("link", name="Erase my data").click()
    page.get_by_role("button", name="Erase my data").click()
    expect(page).to_have_url(re.compile(r"/erase/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase my data")
    page.get_by_label("I understand; erase my data.").check()
    page.get_by_role("button", name="Erase my data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data is erased")
    erased = Application.objects.get(pk=application.pk)
    assert erased.name == "Erased participant" and erased.country.code == "NG"
