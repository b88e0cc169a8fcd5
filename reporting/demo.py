"""Demo statistics: the public statistics page under the home page, linked from the footer,
with the figures of the finished demo rounds (Rounds 4 and 5 of the mentoring demo) counted
and stored, so the dashboard and the public pages are full on the first run. The two demo
partner organisations get pathways in the finished and running rounds too, and about one
applicant in seven came through each, so their reports have people in them. Rerunning finds
the page, the pathways and the same applicants, and recounts."""

from typing import TextIO

from wagtail.models import Site

from mentoring.models import Application, PartnerOrganisation, Pathway, Round, RoundStatus
from reporting.models import RoundFigures, StatisticsIndexPage
from reporting.services import figures
from website.models import HomePage, NavigationSettings

TITLE = "The network in figures"
INTRO = (
    "How many librarians took part in each round, where they came from and which libraries "
    "they work in. Groups of fewer than 5 people are not shown. The figures are published "
    "under the site's licence: reuse them with a link back."
)


def build(out: TextIO, seed: int) -> None:
    home = HomePage.objects.get(pk=Site.objects.get(is_default_site=True).root_page_id)
    page = StatisticsIndexPage.objects.child_of(home).first()
    if page is None:
        page = StatisticsIndexPage(title=TITLE, slug="statistics", intro=INTRO)
        home.add_child(instance=page)
        page.save_revision().publish()
    link_from_footer(home, page)
    bring_members_through_pathways()
    RoundFigures.objects.all().delete()
    rounds = list(Round.objects.all())
    figures.figures_for(rounds)
    out.write(
        f"Statistics: {page.url_path}, {len(figures.public_rounds())} finished rounds "
        "with public figures."
    )


def link_from_footer(home: HomePage, page: StatisticsIndexPage) -> None:
    navigation = NavigationSettings.for_site(home.get_site())
    if any(
        getattr(block.value["page"], "pk", None) == page.pk for block in navigation.footer_links
    ):
        return
    navigation.footer_links.append(("link", {"page": page, "url": "", "label": ""}))
    navigation.save()


def bring_members_through_pathways() -> None:
    """Each demo organisation gets a pathway in every finished or running round, and the
    applicants whose id leaves 0 (or 1) when divided by 7 came through it."""
    organisations = list(PartnerOrganisation.objects.order_by("name")[:2])
    for round_ in Round.objects.order_by("starts_on"):
        if round_.status not in (RoundStatus.FINISHED, RoundStatus.RUNNING):
            continue
        for remainder, organisation in enumerate(organisations):
            pathway, _created = Pathway.objects.get_or_create(
                round=round_,
                organisation=organisation,
                defaults={"kind": Pathway.Kind.SELF_DECLARED},
            )
            ids = [
                pk
                for pk in Application.objects.filter(round=round_, pathway__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)
                if pk % 7 == remainder
            ]
            Application.objects.filter(pk__in=ids).update(pathway=pathway)
