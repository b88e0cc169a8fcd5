"""Rounds full of people for the statistics tests: finished or running rounds, applicants
of a country and sector, some placed in partnerships through a pathway."""

from datetime import timedelta

from django.utils import timezone

from mentoring.models import Application, Partnership, Pathway, Round
from website.models import HomePage

from .mentoring import ApplicationFactory, RoundFactory


def finished_round(**kwargs) -> Round:
    """A round that ended a month ago."""
    return RoundFactory(opened_days_ago=200, **kwargs)


def running_round(**kwargs) -> Round:
    return RoundFactory(opened_days_ago=60, **kwargs)


def people(
    round: Round,
    count: int,
    *,
    country: str = "AU",
    sector: str = "public",
    career_stage: str = "mid",
    pathway: Pathway | None = None,
    placed: bool = True,
    status: str | None = None,
    score: float = 80,
    wishes_met: bool = True,
    flagged: bool = False,
) -> list[Application]:
    """`count` applicants; placed ones are matched two by two (a lone last one joins the
    previous pair), each partnership with one wish met or not."""
    made = [
        ApplicationFactory(
            round=round,
            country=country,
            sector=sector,
            career_stage=career_stage,
            pathway=pathway,
            status=status
            or (Application.Status.MATCHED if placed else Application.Status.CONFIRMED),
        )
        for _ in range(count)
    ]
    if placed:
        groups = [made[i : i + 2] for i in range(0, count, 2)]
        if len(groups) > 1 and len(groups[-1]) == 1:
            last = groups.pop()
            groups[-1] += last
        for group in groups:
            partnership = Partnership.objects.create(
                round=round,
                score=score,
                reasons={"wishes": [{"who": "a", "criterion": "sector_wish", "met": wishes_met}]},
                published_at=timezone.now() - timedelta(days=100),
                flagged_at=timezone.now() if flagged else None,
            )
            Application.objects.filter(pk__in=[a.pk for a in group]).update(partnership=partnership)
    return made


def statistics_index(title: str = "Statistics"):
    from reporting.models import StatisticsIndexPage

    home = HomePage.objects.filter(depth=2).first()
    page = StatisticsIndexPage(title=title, slug="statistics")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
