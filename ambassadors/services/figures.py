"""The figures an ambassador sees for their countries: how many applied and how many took part
in each round. Counts only: never anyone's name, address or answers."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django_countries import countries

from mentoring.models import Application


@dataclass(frozen=True)
class CountryFigures:
    round_name: str
    country: str
    applicants: int
    participants: int


def figures_for(country_codes: list[str], rounds: int = 6) -> list[CountryFigures]:
    """Applicants and participants per round (newest first, at most `rounds` rounds) for each
    of the countries."""
    if not country_codes:
        return []
    rows = (
        Application.objects.filter(country__in=country_codes)
        .values("round_id", "round__name", "round__application_opens_at", "country")
        .annotate(
            applicants=Count("pk"),
            participants=Count("pk", filter=Q(status__in=Application.PARTICIPANT_STATUSES)),
        )
        .order_by("-round__application_opens_at", "country")
    )
    round_ids: list[int] = []
    figures = []
    for row in rows:
        if row["round_id"] not in round_ids:
            if len(round_ids) == rounds:
                break
            round_ids.append(row["round_id"])
        figures.append(
            CountryFigures(
                round_name=row["round__name"],
                country=str(countries.name(row["country"])),
                applicants=row["applicants"],
                participants=row["participants"],
            )
        )
    return figures
