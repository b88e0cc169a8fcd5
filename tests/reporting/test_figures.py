"""The figures from the database: counts per round, breakdowns, match quality, failures,
check-in replies; finished rounds stored once; small cohorts suppressed outside the
directors' view."""

from datetime import timedelta

import pytest

from mentoring.models import Application, CheckIn, MatchRun
from reporting.cohorts import FEWER, shown, shown_breakdown, shown_share
from reporting.models import RoundFigures
from reporting.services import figures
from website.factories.reporting import finished_round, people, running_round

pytestmark = pytest.mark.django_db


def test_small_cohorts_are_suppressed_except_for_directors():
    assert shown(4) is FEWER
    assert str(shown(4)) == "fewer than 5"
    assert shown(5) == 5
    assert shown(0) == 0
    assert shown(4, directors=True) == 4
    assert shown_share(3, 20) is None  # the share would give the three away
    assert shown_share(10, 20) == 50.0
    assert shown_share(3, 20, directors=True) == 15.0


def test_a_rounds_figures_come_from_its_records():
    round_ = running_round()
    people(round_, 6, country="KE", sector="academic")
    people(round_, 4, country="FR", wishes_met=False, flagged=True)
    people(round_, 3, country="FR", placed=False, status=Application.Status.WAITLISTED)
    people(round_, 2, placed=False, status=Application.Status.UNVERIFIED)
    asked = Application.objects.filter(round=round_, country="KE")
    for i, application in enumerate(asked):
        CheckIn.objects.create(
            application=application, day=7, answered_at=None if i else round_.application_opens_at
        )
    MatchRun.objects.create(
        round=round_,
        status=MatchRun.Status.APPROVED,
        ratio=0.97,
        approved_at=round_.application_opens_at,
    )

    result = figures.compute([round_.pk])[round_.pk]

    assert result["applicants"] == 13  # the unverified are no applicants
    assert result["participants"] == 10
    assert result["partnerships"] == 5
    assert result["failed"] == 2
    assert result["waitlisted"] == 3
    assert result["waitlisted_by_country"] == {"FR": 3}
    assert result["countries"] == {"KE": 6, "FR": 7}
    assert result["participant_countries"] == {"KE": 6, "FR": 4}
    assert result["sectors"] == {"academic": 6, "public": 7}
    assert result["mean_score"] == 80.0
    assert (result["wishes"], result["wishes_met"]) == (5, 3)
    assert result["gap_percent"] == 3.0
    assert (result["check_ins_asked"], result["check_ins_answered"]) == (6, 1)


def test_a_finished_rounds_figures_are_stored_once_and_read_back():
    round_ = finished_round()
    people(round_, 6)
    first = figures.figures_for([round_])
    assert RoundFigures.objects.get(round=round_).figures["participants"] == 6
    people(round_, 2)  # stored figures no longer change...
    assert figures.figures_for([round_]) == first
    figures.forget(round_.pk)  # ...until they are forgotten
    assert figures.figures_for([round_])[round_.pk]["participants"] == 8


def test_a_running_round_is_counted_live():
    round_ = running_round()
    people(round_, 6)
    figures.figures_for([round_])
    people(round_, 2)
    assert figures.figures_for([round_])[round_.pk]["participants"] == 8
    assert not RoundFigures.objects.exists()


def test_the_public_view_of_a_round_suppresses_small_cohorts():
    round_ = finished_round()
    people(round_, 7, country="KE", sector="academic")
    people(round_, 5, country="IN", sector="academic")
    people(round_, 2, country="NP", sector="school")
    view = figures.public_view(round_)
    assert view.participants == 14
    assert ("KE", "Kenya", 7) in view.countries
    assert ("NP", "Nepal", FEWER) in view.countries
    # One hidden row would be the total minus the others: the next smallest is hidden too.
    assert ("IN", "India", FEWER) in view.countries
    assert view.country_count == 3
    # The sectors: academic 12 and school 2; hiding school alone would give it away.
    assert {value for _code, _label, value in view.sectors} == {FEWER}


def visible_sum(rows) -> int:
    return sum(value for value in rows if value is not FEWER)


@pytest.mark.parametrize(
    "counts",
    [[9, 2], [9, 6, 3], [40, 12, 7, 1], [5, 5, 1], [8, 3, 2], [0, 6, 4]],
)
def test_no_hidden_count_can_be_worked_out_from_the_total(counts):
    values = shown_breakdown(counts)
    hidden = [n for n, value in zip(counts, values, strict=True) if value is FEWER]
    assert all(n >= 5 or value is FEWER or n == 0 for n, value in zip(counts, values, strict=True))
    # Adding up the visible rows and taking them from the total never gives one row's count.
    if hidden:
        assert len(hidden) >= 2
        assert sum(counts) - visible_sum(values) == sum(hidden)


def test_the_fewer_than_5_label_is_translated_when_shown(monkeypatch):
    """The words are looked up in the reader's language each time they are shown, not once
    when the site starts (the catalogues have no translation yet: stand one in)."""
    from reporting import charts, cohorts
    from reporting.services import exports

    monkeypatch.setattr(cohorts, "gettext", lambda text: text.replace("fewer than", "moins de"))
    assert str(FEWER) == "moins de 5"
    assert charts.number(shown(3)) == "moins de 5"
    assert exports.cell(shown(3)) == "moins de 5"


def test_two_first_visitors_storing_a_round_at_once_do_not_fail(monkeypatch):
    """Another request stores the round's figures between this one's reading and writing."""
    round_ = finished_round()
    people(round_, 6)
    real_bulk_create = RoundFigures.objects.bulk_create

    def other_request_first(objs, **kwargs):
        RoundFigures.objects.create(round=round_, version=figures.FIGURES_VERSION, figures={})
        return real_bulk_create(objs, **kwargs)

    monkeypatch.setattr(RoundFigures.objects, "bulk_create", other_request_first)
    assert figures.figures_for([round_])[round_.pk]["participants"] == 6
    assert RoundFigures.objects.get(round=round_).figures["participants"] == 6


def test_changing_a_rounds_dates_has_its_figures_counted_again():
    round_ = finished_round()
    people(round_, 6)
    figures.figures_for([round_])
    round_.name = "Renamed"
    round_.save()
    assert RoundFigures.objects.filter(round=round_).exists()  # a new name changes no figure
    round_.ends_on = round_.ends_on - timedelta(days=1)
    round_.save()
    assert not RoundFigures.objects.filter(round=round_).exists()
