"""The directors' panel on the admin dashboard: the rounds that are not finished, each with
its status, what comes next, and the way into its cockpit."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from mentoring.models import Round
from mentoring.services import cockpit


class RoundsPanel(Component):
    name = "rounds"
    order = 40
    template_name = "mentoring/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        now = timezone.now()
        context["rows"] = [
            (round, round.status_at(now), cockpit.next_step(round, now))
            for round in Round.objects.not_finished(now.date()).order_by("application_opens_at")
        ]
        return context
