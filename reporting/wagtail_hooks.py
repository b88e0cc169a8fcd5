"""Registers the statistics dashboard and the partner reports in the admin (directors only),
and a "Report" button on each partner organisation."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import ListingButton

from mentoring.models import PartnerOrganisation
from reporting import views


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("reporting.view_dashboard")


class StatisticsViewSet(ViewSet):
    """The directors' dashboard and the partner reports."""

    name = "statistics"
    url_prefix = "statistics"
    icon = "table"
    menu_label = _("Statistics")
    menu_item_class = StatisticsMenuItem
    add_to_admin_menu = True
    menu_order = 250

    def get_urlpatterns(self):
        return [
            path("", views.dashboard, name="index"),
            path("partners/", views.partner_index, name="partners"),
            path("partners/<int:pk>/", views.partner_report, name="partner_report"),
            path("partners/<int:pk>/revoke/", views.partner_revoke, name="partner_revoke"),
            path(
                "partners/<int:pk>/report.<str:fmt>",
                views.partner_report_download,
                name="partner_report_download",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_statistics():
    return StatisticsViewSet()


@hooks.register("register_snippet_listing_buttons")
def partner_report_button(snippet, user, next_url=None):
    if isinstance(snippet, PartnerOrganisation) and user.has_perm("reporting.send_partner_reports"):
        yield ListingButton(
            _("Report"),
            reverse("statistics:partner_report", args=[snippet.pk]),
            icon_name="table",
            priority=5,
        )
