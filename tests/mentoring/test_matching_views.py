"""The matching screens as registered by `MatchingViewSet`: only directors reach them, a
refusal shows its typed error's translated message, the hierarchy is saved, the export
streams with formula cells neutralised, and the review's search and filter narrow it."""

import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from mentoring.models import MatchRun, ProposedPair, ProposedUnmatched
from mentoring.services import errors
from tests.mentoring.test_admin import signed_in
from website.factories.mentoring import ApplicationFactory, RoundFactory

SCREENS = [
    ("round", "GET"),
    ("round", "POST"),
    ("rematch", "POST"),
    ("run", "GET"),
    ("progress", "GET"),
    ("adjust", "POST"),
    ("approve", "POST"),
    ("restart", "POST"),
    ("export", "GET"),
]


@pytest.fixture
def run(db) -> MatchRun:
    """A run ready for review: two ordinary pairs, a low-scoring adjusted one, a triad whose
    member typed a formula as her name, and one person left unmatched."""
    round = RoundFactory(opened_days_ago=33)
    people = {
        name: ApplicationFactory(
            round=round, name=name, email=f"{name.split()[0].strip('=').lower()}@ex.org"
        )
        for name in [
            "Ana Lima",
            "Kofi Mensah",
            "Mei Chen",
            "Sara Berg",
            "Lars Holm",
            "Ines Roy",
            "=HYPERLINK(evil)",
            "Omar Haddad",
            "Yuki Sato",
            "Left Alone",
        ]
    }
    run = MatchRun.objects.create(round=round, status=MatchRun.Status.DONE, seed=1)
    pair = ProposedPair.objects.create
    pair(run=run, first=people["Ana Lima"], second=people["Kofi Mensah"], score=80)
    pair(run=run, first=people["Mei Chen"], second=people["Sara Berg"], score=70)
    pair(run=run, first=people["Lars Holm"], second=people["Ines Roy"], score=30, adjusted=True)
    pair(
        run=run,
        first=people["=HYPERLINK(evil)"],
        second=people["Omar Haddad"],
        third=people["Yuki Sato"],
        score=60,
    )
    ProposedUnmatched.objects.create(run=run, application=people["Left Alone"], reason="odd")
    return run


def url(name: str, run: MatchRun) -> str:
    if name in ("round", "rematch"):
        return reverse(f"mentoring_matching:{name}", args=[run.round.pk])
    if name == "export":
        return reverse("mentoring_matching:export", args=[run.pk, "csv"])
    return reverse(f"mentoring_matching:{name}", args=[run.pk])


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), SCREENS)
def test_who_does_not_run_rounds_is_refused_every_matching_screen(run, client, name, method):
    response = getattr(client, method.lower())(url(name, run))
    assert response.status_code == 302 and "/login/" in response["Location"]
    signed_in(client, settings.DATA_OFFICERS_GROUP)
    response = getattr(client, method.lower())(url(name, run))
    assert response.status_code == 403
    assert MatchRun.objects.filter(round=run.round).count() == 1
    assert run.pairs.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), SCREENS)
def test_a_director_reaches_every_matching_screen(run, client, name, method):
    signed_in(client, settings.DIRECTORS_GROUP)
    response = getattr(client, method.lower())(url(name, run))
    # The hierarchy posted empty is shown again with its errors; the rest go back to a page.
    assert response.status_code == (200 if method == "GET" or name == "round" else 302)


def last_message(response) -> str:
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


@pytest.mark.django_db
def test_a_refusal_shows_its_typed_errors_translated_message(run, client):
    user = signed_in(client, settings.DIRECTORS_GROUP)
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "fr"})
    response = client.post(url("approve", run), {})
    with translation.override("fr"):
        expected = str(errors.ApprovalNotConfirmed())
    assert expected == "Cochez la case pour confirmer l'approbation."
    assert last_message(response) == expected
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.DONE

    triad = run.pairs.get(third__isnull=False)
    other = run.pairs.filter(third__isnull=True).first()
    response = client.post(
        url("adjust", run), {"action": "swap", "pair": triad.pk, "other": other.pk}
    )
    with translation.override("fr"):
        expected = str(errors.TriadNotSwappable())
    assert last_message(response) == expected


@pytest.mark.django_db
def test_a_refusal_by_the_matching_service_shows_the_typed_message(run, client):
    signed_in(client, settings.DIRECTORS_GROUP)
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.APPROVED)
    response = client.post(url("approve", run), {"confirm": "approve"})
    assert last_message(response) == str(errors.RunAlreadyApproved())
    response = client.post(url("adjust", run), {"action": "unpair", "pair": run.pairs.first().pk})
    assert last_message(response) == str(errors.RunNotEditable())
    assert run.pairs.count() == 4


@pytest.mark.django_db
def test_the_hierarchy_is_saved(run, client):
    signed_in(client, settings.DIRECTORS_GROUP)
    criteria = ["sector_wish", "interests", "experience", "time_zone"]
    others = ["career_stage_wish", "region_wish", "languages"]
    data = {f"{c}_rank": i for i, c in enumerate(criteria + others, start=1)}
    data |= {f"{c}_weight": 10 * (5 - i) for i, c in enumerate(criteria, start=1)}
    data |= {f"{c}_weight": 0 for c in others}
    data["sector_wish_hard"] = "on"
    response = client.post(url("round", run), data)
    assert response.status_code == 302
    run.round.refresh_from_db()
    assert [row["criterion"] for row in run.round.hierarchy] == criteria
    assert run.round.hard_criteria == ["sector_wish"]


@pytest.mark.django_db
def test_the_csv_export_streams_and_neutralises_formulas(run, client):
    signed_in(client, settings.DIRECTORS_GROUP)
    response = client.get(url("export", run))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "pair,score,name,email,country,sector,career_stage,adjusted,warnings"
    assert len(lines) == 1 + 9 + 1
    assert any(",'=HYPERLINK(evil)," in line for line in lines)
    assert not any(",=HYPERLINK" in line for line in lines)
    assert lines[-1].startswith(",,Left Alone,")


@pytest.mark.django_db
def test_the_xlsx_export_neutralises_formulas(run, client):
    signed_in(client, settings.DIRECTORS_GROUP)
    response = client.get(reverse("mentoring_matching:export", args=[run.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["Pairs"].iter_rows(values_only=True))
    assert rows[0][2] == "name" and len(rows) == 11
    assert "'=HYPERLINK(evil)" in [row[2] for row in rows]


def shown(page: str) -> list[str]:
    table = page.split('id="pairs"')[1].split("</table>")[0]
    return [row.split("<td>")[1].split("</td>")[0] for row in table.split("<tr")[2:]]


@pytest.mark.django_db
def test_search_and_filter_narrow_the_review(run, client):
    signed_in(client, settings.DIRECTORS_GROUP)
    review = url("run", run)
    pk = {pair.first.name: str(pair.pk) for pair in run.pairs.select_related("first")}
    assert len(shown(client.get(review).content.decode())) == 4
    assert shown(client.get(review, {"q": "kofi"}).content.decode()) == [pk["Ana Lima"]]
    assert shown(client.get(review, {"q": "mei@ex"}).content.decode()) == [pk["Mei Chen"]]
    assert shown(client.get(review, {"show": "low"}).content.decode()) == [pk["Lars Holm"]]
    assert shown(client.get(review, {"show": "adjusted"}).content.decode()) == [pk["Lars Holm"]]
    assert shown(client.get(review, {"show": "triads"}).content.decode()) == [
        pk["=HYPERLINK(evil)"]
    ]
    page = client.get(review, {"show": "unmatched"}).content.decode()
    assert shown(page) == [] and "Left Alone" in page.split('id="unmatched"')[1]
    page = client.get(review, {"q": "yuki", "show": "low"}).content.decode()
    assert shown(page) == []
    assert f'id="figure-pairs">{run.pairs.count()} (1' in page
