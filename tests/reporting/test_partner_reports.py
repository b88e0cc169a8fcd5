"""Partner reports: only the people of the organisation's own pathways (a marker planted in
another pathway's data never shows, in HTML, XLSX or PDF), small cohorts suppressed, and the
signed link a liaison opens: expired or altered, it says so."""

import base64
import io
import re
import zlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentoring.models import PartnerOrganisation, Pathway
from reporting.services import partner_reports
from surveys.models import Survey, SurveyResponse
from tests.reporting.test_dashboard import signed_in
from website.factories.reporting import finished_round, people
from website.factories.surveys import SurveyFactory

pytestmark = pytest.mark.django_db
MARKER_COUNTRY = ("TV", "Tuvalu")
MARKER_COUNT = 23
MARKER_QUOTE = "Zanzibar marmalade mentoring"
OUR_QUOTE = "Our weekly calls helped"


@pytest.fixture
def world():
    """Two organisations in one finished round; the other's people carry the marker: a
    country and a sector nobody else has, and a count nobody else reaches."""
    round_ = finished_round(name="Round Spring")
    ours = PartnerOrganisation.objects.create(name="Library Association of Ours")
    theirs = PartnerOrganisation.objects.create(name="Theirs Library Union")
    our_path = Pathway.objects.create(round=round_, organisation=ours, kind="self_declared")
    their_path = Pathway.objects.create(round=round_, organisation=theirs, kind="self_declared")
    people(round_, 8, country="KE", sector="academic", pathway=our_path)
    people(round_, 6, country="PE", sector="public", pathway=our_path, flagged=True)
    people(round_, 3, country="NP", sector="public", pathway=our_path)
    people(round_, MARKER_COUNT, country=MARKER_COUNTRY[0], sector="health", pathway=their_path)
    people(round_, 9, country="FR", sector="law")  # no pathway at all
    # Their participants answered the end-of-round survey, and one agreed to be quoted.
    survey = SurveyFactory(round=round_, moment=Survey.Moment.END_OF_ROUND, send_on=None)
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            round=round_,
            pathway=their_path,
            answers={
                "satisfaction": "1",
                "recommend": "0",
                "quote_consent": "yes",
                "what_worked": MARKER_QUOTE if i == 0 else "Fine",
            },
        )
        for i in range(MARKER_COUNT)
    )
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            round=round_,
            pathway=our_path,
            answers={
                "satisfaction": "4",
                "recommend": "9",
                "quote_consent": "yes",
                "what_worked": OUR_QUOTE if i == 0 else "Good",
            },
        )
        for i in range(6)
    )
    return {"round": round_, "ours": ours, "theirs": theirs}


def pdf_text(body: bytes) -> str:
    """The text of a PDF made by reportlab: its streams, ASCII85-decoded and inflated."""
    assert body.startswith(b"%PDF")
    text = [body.decode("latin-1")]
    for stream in re.findall(rb"stream\r?\n(.*?)\s*endstream", body, re.S):
        data = stream.strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data[:-2])
        try:
            text.append(zlib.decompress(data).decode("latin-1"))
        except zlib.error:
            text.append(data.decode("latin-1"))
    return "\n".join(text)


def xlsx_text(body: bytes) -> str:
    book = load_workbook(io.BytesIO(body))
    return "\n".join(
        str(value)
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def period(round_):
    return {
        "starts": (round_.starts_on - timedelta(days=1)).isoformat(),
        "ends": (round_.starts_on + timedelta(days=1)).isoformat(),
    }


def test_the_report_counts_only_its_own_pathway(world):
    report = partner_reports.build(
        world["ours"], world["round"].starts_on, world["round"].starts_on
    )
    assert report.applicants == 17
    assert report.participants == 17
    assert report.completed == 11  # the six whose partnerships failed did not complete
    assert [label for _c, label, _n in report.countries] == ["Kenya", "Peru", "Nepal"]
    assert str(report.countries[-1][2]) == "fewer than 5"


def test_nothing_of_another_pathway_reaches_the_report(client, world):
    signed_in(client, settings.DIRECTORS_GROUP)
    base = reverse("statistics:partner_report", args=[world["ours"].pk])
    html = client.get(base, period(world["round"])).content.decode()
    xlsx = client.get(
        reverse("statistics:partner_report_download", args=[world["ours"].pk, "xlsx"]),
        period(world["round"]),
    )
    pdf = client.get(
        reverse("statistics:partner_report_download", args=[world["ours"].pk, "pdf"]),
        period(world["round"]),
    )
    texts = {"html": html, "xlsx": xlsx_text(xlsx.content), "pdf": pdf_text(pdf.content)}
    for kind, text in texts.items():
        assert "Kenya" in text, kind  # the report is there, in every format...
        assert "Academic or research library" in text, kind
        assert OUR_QUOTE in text, kind
        assert "Net promoter score" in text, kind
        for marker in (
            MARKER_COUNTRY[1],
            "Health or medical library",
            "Theirs",
            "Law library",
            MARKER_QUOTE,
        ):
            assert marker not in text, (kind, marker)  # ...and nothing of the others
    assert f">{MARKER_COUNT}<" not in html
    assert str(MARKER_COUNT) not in texts["xlsx"].splitlines()
    assert f"({MARKER_COUNT})" not in texts["pdf"]
    assert "(Kenya)" in texts["pdf"] and "8" in texts["xlsx"].splitlines()
    for kind, text in texts.items():
        assert "Nepal" in text and "fewer than 5" in text, kind
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_liaison_opens_the_link_and_downloads_the_report(client, world):
    token = partner_reports.make_token(
        world["ours"], world["round"].starts_on, world["round"].starts_on
    )
    html = client.get(reverse("reporting:partner_report", args=[token])).content.decode()
    assert "Library Association of Ours" in html and "Kenya" in html
    assert "Tuvalu" not in html
    for fmt in ("xlsx", "pdf"):
        response = client.get(reverse("reporting:partner_report_download", args=[token, fmt]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
    assert client.post(reverse("reporting:partner_report", args=[token])).status_code == 405


def test_the_report_adds_up_without_giving_a_small_group_away(world):
    report = partner_reports.build(
        world["ours"], world["round"].starts_on, world["round"].starts_on
    )
    visible = sum(n for _c, _l, n in report.countries if isinstance(n, int))
    hidden = [label for _c, label, n in report.countries if not isinstance(n, int)]
    # Nepal (3) is hidden, and so is Peru (6): the total less Kenya is not one country's count.
    assert hidden == ["Peru", "Nepal"]
    assert report.participants - visible == 9


def test_the_report_shows_its_own_participants_satisfaction(world):
    report = partner_reports.build(
        world["ours"], world["round"].starts_on, world["round"].starts_on
    )
    assert report.satisfaction.responses == 6
    assert report.satisfaction.mean_satisfaction == 4
    assert report.satisfaction.nps == 100


def test_the_liaisons_pages_are_not_kept_by_browsers_or_proxies(client, world):
    token = partner_reports.make_token(
        world["ours"], world["round"].starts_on, world["round"].starts_on
    )
    signed_in(client, settings.DIRECTORS_GROUP)
    urls = [
        reverse("reporting:partner_report", args=[token]),
        reverse("reporting:partner_report_download", args=[token, "xlsx"]),
        reverse("reporting:partner_report_download", args=[token, "pdf"]),
        reverse("statistics:partner_report_download", args=[world["ours"].pk, "pdf"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_a_director_revokes_the_links_and_only_new_ones_work(client, world):
    old = partner_reports.make_token(
        world["ours"], world["round"].starts_on, world["round"].starts_on
    )
    theirs = partner_reports.make_token(
        world["theirs"], world["round"].starts_on, world["round"].starts_on
    )
    assert client.get(reverse("reporting:partner_report", args=[old])).status_code == 200
    signed_in(client, settings.DIRECTORS_GROUP)
    page = reverse("statistics:partner_report", args=[world["ours"].pk])
    assert "Revoke report links" in client.get(page).content.decode()
    response = client.post(reverse("statistics:partner_revoke", args=[world["ours"].pk]))
    assert response.status_code == 302
    client.logout()
    for url in (
        reverse("reporting:partner_report", args=[old]),
        reverse("reporting:partner_report_download", args=[old, "pdf"]),
    ):
        gone = client.get(url)
        assert gone.status_code == 410
        assert "withdrawn" in gone.content.decode() and "Kenya" not in gone.content.decode()
    new = partner_reports.make_token(
        world["ours"], world["round"].starts_on, world["round"].starts_on
    )
    assert new != old
    assert "Kenya" in client.get(reverse("reporting:partner_report", args=[new])).content.decode()
    # Another organisation's links are untouched.
    assert client.get(reverse("reporting:partner_report", args=[theirs])).status_code == 200


@pytest.mark.parametrize(
    "group", [settings.DATA_OFFICERS_GROUP, settings.COMMUNICATIONS_OFFICERS_GROUP]
)
def test_only_directors_revoke_report_links(client, world, group):
    token = partner_reports.make_token(
        world["ours"], world["round"].starts_on, world["round"].starts_on
    )
    signed_in(client, group)
    url = reverse("statistics:partner_revoke", args=[world["ours"].pk])
    assert client.post(url).status_code == 403
    assert client.get(reverse("reporting:partner_report", args=[token])).status_code == 200


def test_the_admin_page_gives_the_link_for_the_chosen_period(client, world):
    signed_in(client, settings.DIRECTORS_GROUP)
    html = client.get(
        reverse("statistics:partner_report", args=[world["ours"].pk]), period(world["round"])
    ).content.decode()
    token = re.search(r"/partner-report/([^/\"]+)/", html).group(1)
    organisation, starts, _ends = partner_reports.read_token(token)
    assert organisation == world["ours"]
    assert starts.isoformat() == period(world["round"])["starts"]


def test_a_period_that_ends_before_it_starts_is_refused_with_a_message(client, world):
    signed_in(client, settings.DIRECTORS_GROUP)
    html = client.get(
        reverse("statistics:partner_report", args=[world["ours"].pk]),
        {"starts": "2026-05-01", "ends": "2026-01-01"},
    ).content.decode()
    assert "The period must end on or after the day it starts." in html


def test_an_expired_link_says_so(client, world, settings):
    settings.PARTNER_REPORT_LINK_DAYS = 30
    token = partner_reports.make_token(
        world["ours"], world["round"].starts_on, timezone.localdate()
    )
    later = timezone.now() + timedelta(days=31)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: later.timestamp())
        response = client.get(reverse("reporting:partner_report", args=[token]))
        download = client.get(reverse("reporting:partner_report_download", args=[token, "xlsx"]))
    assert response.status_code == 410
    assert "This report link has expired" in response.content.decode()
    assert download.status_code == 410
    assert "Kenya" not in response.content.decode()


def test_an_altered_link_says_so(client, world):
    token = partner_reports.make_token(
        world["ours"], world["round"].starts_on, timezone.localdate()
    )
    other = partner_reports.make_token(
        world["theirs"], world["round"].starts_on, timezone.localdate()
    )
    forged = other.split(":")[0] + ":" + token.split(":", 1)[1]  # their data, our signature
    for bad in (forged, token[:-3] + "abc", token[:20], "nonsense"):
        response = client.get(reverse("reporting:partner_report", args=[bad]))
        assert response.status_code == 404, bad
        assert "This report link is not valid" in response.content.decode()
        assert "Tuvalu" not in response.content.decode()


@pytest.mark.parametrize(
    "group", [settings.DATA_OFFICERS_GROUP, settings.COMMUNICATIONS_OFFICERS_GROUP]
)
def test_only_directors_see_partner_reports_in_the_admin(client, world, group):
    signed_in(client, group)
    url = reverse("statistics:partner_report", args=[world["ours"].pk])
    assert client.get(url).status_code == 403
    download = reverse("statistics:partner_report_download", args=[world["ours"].pk, "xlsx"])
    assert client.get(download).status_code == 403


def test_an_organisation_id_beyond_64_bits_is_not_found(client):
    signed_in(client, settings.DIRECTORS_GROUP)
    assert client.get("/admin/statistics/partners/99999999999999999999/").status_code == 404
    assert (
        client.get("/admin/statistics/partners/99999999999999999999/report.pdf").status_code == 404
    )


def test_a_quote_cannot_run_as_a_formula_in_the_spreadsheet(client, world):
    survey = SurveyResponse.objects.filter(pathway__organisation=world["ours"]).first().survey
    our_path = Pathway.objects.get(organisation=world["ours"])
    SurveyResponse.objects.create(
        survey=survey,
        round=world["round"],
        pathway=our_path,
        answers={"quote_consent": "yes", "what_worked": '=HYPERLINK("http://x.test","go")'},
    )
    token = partner_reports.make_token(
        world["ours"], world["round"].starts_on, world["round"].starts_on
    )
    body = client.get(reverse("reporting:partner_report_download", args=[token, "xlsx"])).content
    cells = xlsx_text(body).splitlines()
    assert '\'=HYPERLINK("http://x.test","go")' in cells
    assert not any(line.startswith("=") for line in cells)
