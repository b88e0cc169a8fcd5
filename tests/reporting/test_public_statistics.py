"""The public statistics: a page per finished round with its charts and a CSV of the
aggregates, small cohorts shown as "fewer than 5"; running rounds have no page yet."""

import csv
import io

import pytest

from website.factories.reporting import finished_round, people, running_round, statistics_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def index():
    return statistics_index()


def test_the_index_lists_finished_rounds_only(client, index):
    finished_round(name="Round Done", slug="round-done")
    running_round(name="Round Going", slug="round-going")
    html = client.get(index.url).content.decode()
    assert "Round Done" in html
    assert "Round Going" not in html
    assert client.get(f"{index.url}round-going/").status_code == 404
    assert client.get(f"{index.url}round-going/csv/").status_code == 404
    assert client.get(f"{index.url}no-such-round/").status_code == 404


def test_a_finished_rounds_page_shows_its_figures_with_small_cohorts_hidden(client, index):
    round_ = finished_round(name="Round Done", slug="round-done")
    people(round_, 12, country="KE", sector="academic", career_stage="early")
    people(round_, 6, country="IN", sector="academic", career_stage="early")
    people(round_, 2, country="NP", sector="school", career_stage="early")
    html = client.get(f"{index.url}round-done/").content.decode()
    assert "Round Done in figures" in html
    assert "<dd>20</dd>" in html  # participants
    assert "<dd>3</dd>" in html  # countries
    for slug in ("participants-map", "sectors", "career-stages"):
        assert f'id="chart-{slug}"' in html
    assert '<th scope="row">Kenya</th><td>12</td>' in html
    assert '<th scope="row">Nepal</th><td>fewer than 5</td>' in html
    # 20 less Kenya's 12 would be Nepal's count: India (6) is hidden too.
    assert '<th scope="row">India</th><td>fewer than 5</td>' in html
    assert '<th scope="row">School library</th><td>fewer than 5</td>' in html
    assert "Nepal: 2" not in html and ">2<" not in html.split("</dl>")[1]
    assert "round-done/csv/" in html


def test_the_csv_has_the_same_aggregates(client, index):
    round_ = finished_round(name="Round Done", slug="round-done")
    people(round_, 12, country="KE", sector="academic")
    people(round_, 6, country="IN", sector="academic")
    people(round_, 2, country="NP", sector="school")
    response = client.get(f"{index.url}round-done/csv/")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="round-done-figures.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "code", "label", "value"]
    assert ["totals", "participants", "Participants", "20"] in rows
    assert ["country", "KE", "Kenya", "12"] in rows
    assert ["country", "NP", "Nepal", "fewer than 5"] in rows
    assert ["sector", "school", "School library", "fewer than 5"] in rows
    assert ["totals", "countries", "Countries", "3"] in rows  # how many countries: no cohort
    # Adding up the visible rows and taking them from the total gives no one row's count.
    for section in ("country", "sector"):
        visible = sum(int(row[3]) for row in rows if row[0] == section and row[3].isdigit())
        hidden = [row for row in rows if row[0] == section and not row[3].isdigit()]
        assert 20 - visible not in (2, 6) and len(hidden) != 1, section
    assert not any(row[-1] == "2" for row in rows if row[0] != "totals")


def test_a_round_name_cannot_run_as_a_formula_in_the_csv(client, index):
    round_ = finished_round(name="=cmd|' /C calc'!A0", slug="round-formula")
    people(round_, 6, country="KE")
    rows = list(csv.reader(io.StringIO(client.get(f"{index.url}round-formula/csv/").text)))
    assert ["round", "round-formula", "'=cmd|' /C calc'!A0", ""] in rows
