"""Statistics in the browser: a director opens the dashboard from the admin menu and sees
the charts and their tables; a partner organisation's liaison opens the link they were sent
and downloads the report as XLSX."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook
from playwright.sync_api import expect

from mentoring.models import PartnerOrganisation, Pathway
from reporting.services import partner_reports
from tests.browser.admin import sign_in
from tests.browser.axe import axe_source, new_axe_page, report, violations
from website.factories.reporting import finished_round, people, statistics_index
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_director_opens_the_dashboard_from_the_menu(page, live_server, requests_made):
    round_ = finished_round(name="Round Autumn")
    people(round_, 8, country="KE", sector="academic")
    people(round_, 6, country="PE")
    UserFactory(username="director", groups=[settings.DIRECTORS_GROUP])
    page.on("request", requests_made.add)

    sign_in(page, "director")
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name="Statistics", level=1)).to_be_visible()
    expect(page.get_by_text("Applicants and participants per round", exact=True)).to_be_visible()
    expect(page.locator("#chart-applicants-map svg")).to_be_visible()
    expect(page.locator("#chart-applicants-map path title", has_text="Kenya: 8")).to_have_count(1)
    assert page.locator("figure.stats-chart svg").count() >= 8

    page.locator("#chart-applicants-map summary").click()
    table = page.locator("#chart-applicants-map table")
    expect(table.get_by_role("row", name="Kenya 8")).to_be_visible()
    assert requests_made.third_party() == []


def test_a_liaison_opens_their_link_and_downloads_the_xlsx(page, live_server):
    round_ = finished_round(name="Round Autumn")
    organisation = PartnerOrganisation.objects.create(name="Pacific Library Association")
    pathway = Pathway.objects.create(round=round_, organisation=organisation, kind="self_declared")
    people(round_, 8, country="FJ", pathway=pathway)
    people(round_, 8, country="TV")  # not through the pathway
    token = partner_reports.make_token(organisation, round_.starts_on, round_.starts_on)

    page.goto(f"/partner-report/{token}/")
    expect(
        page.get_by_role("heading", name="Report for Pacific Library Association")
    ).to_be_visible()
    expect(page.get_by_text("Participants came from 1 country.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download XLSX").click()
    assert re.match(r"pacific-library-association-.*\.xlsx", download.value.suggested_filename)
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "Fiji" in cells
    assert "Tuvalu" not in cells


def test_the_statistics_pages_pass_axe(browser, live_server):
    round_ = finished_round(name="Round Autumn", slug="round-autumn")
    people(round_, 8, country="KE", sector="academic")
    people(round_, 2, country="PE")
    index = statistics_index()
    organisation = PartnerOrganisation.objects.create(name="Pacific Library Association")
    pathway = Pathway.objects.create(round=round_, organisation=organisation, kind="self_declared")
    people(round_, 6, country="FJ", pathway=pathway)
    token = partner_reports.make_token(organisation, round_.starts_on, round_.starts_on)
    UserFactory(username="director", groups=[settings.DIRECTORS_GROUP])
    script = axe_source()
    page = new_axe_page(browser, live_server.url, locale="en-GB")
    problems = []
    for path in [index.url, f"{index.url}round-autumn/", f"/partner-report/{token}/"]:
        page.goto(path)
        page.wait_for_load_state("load")
        if found := violations(page, script):
            problems.append(report(path, found))
    sign_in(page, "director")
    for path in ["/admin/statistics/", f"/admin/statistics/partners/{organisation.pk}/"]:
        page.goto(path)
        page.wait_for_load_state("load")
        if found := violations(page, script):
            problems.append(report(path, found))
    page.context.close()
    assert not problems, "\n\n".join(problems)
