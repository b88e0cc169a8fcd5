"""Statistics: the stored figures of finished rounds (they no longer change, so they are
computed once), the permissions of the dashboard and the partner reports, and the public
statistics page."""

import uuid

from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page


class RoundFigures(models.Model):
    """A finished round's aggregate figures, as `reporting.services.figures` computes them:
    counts only, never a person. Rows are rebuilt when `FIGURES_VERSION` changes."""

    round = models.OneToOneField(
        "mentoring.Round", on_delete=models.CASCADE, related_name="stored_figures"
    )
    version = models.PositiveSmallIntegerField(default=0)
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("round figures")
        verbose_name_plural = _("round figures")
        default_permissions = ()
        permissions = [
            ("view_dashboard", _("Can see the statistics dashboard")),
            ("send_partner_reports", _("Can see partner reports and send their links")),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} v{self.version}"


class PartnerReportKey(models.Model):
    """An organisation's report key: every link sent to its liaison carries part of it, so
    a director who changes it (revokes the links) makes every link sent so far stop working."""

    organisation = models.OneToOneField(
        "mentoring.PartnerOrganisation", on_delete=models.CASCADE, related_name="report_key"
    )
    key = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partner report key")
        verbose_name_plural = _("partner report keys")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.organisation_id)


class StatisticsIndexPage(RoutablePageMixin, Page):
    """The public statistics: the finished rounds, one page each (a route of this page), with
    their charts and a CSV of the aggregates. Cohorts under five people are not shown."""

    intro = models.TextField(_("introduction"), max_length=800, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("statistics index page")

    def get_context(self, request, *args, **kwargs):
        from reporting.services import figures

        context = super().get_context(request, *args, **kwargs)
        context["rounds"] = figures.public_rounds()
        return context

    def _finished_round(self, slug: str):
        from mentoring.models import Round, RoundStatus

        round_ = get_object_or_404(Round, slug=slug)
        if round_.status != RoundStatus.FINISHED:
            raise Http404
        return round_

    @path("")
    def index(self, request):
        return self.render(request)

    @path("<slug:slug>/", name="round")
    def round_page(self, request, slug: str):
        from reporting.services import figures

        round_ = self._finished_round(slug)
        from reporting.figure_charts import public_charts

        view = figures.public_view(round_)
        return self.render(
            request,
            template="reporting/round_statistics_page.html",
            context_overrides={"round": round_, "view": view, "charts": public_charts(view)},
        )

    @path("<slug:slug>/csv/", name="round_csv")
    def round_csv(self, request, slug: str):
        from reporting.services import exports, figures

        round_ = self._finished_round(slug)
        response = HttpResponse(
            exports.public_csv(figures.public_view(round_)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{round_.slug}-figures.csv"'
        return response
