"""The ambassador's panel on the admin dashboard: the promotional pages to translate into their
languages, and their countries' figures."""

from django.conf import settings
from wagtail.admin.ui.components import Component

from ambassadors.models import Ambassador
from ambassadors.services.figures import figures_for
from ambassadors.services.translations import translation_rows


class AmbassadorPanel(Component):
    name = "ambassador"
    order = 50
    template_name = "ambassadors/admin/dashboard_panel.html"

    def __init__(self, request, ambassador: Ambassador) -> None:
        self.request = request
        self.ambassador = ambassador

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["ambassador"] = self.ambassador
        context["rows"] = translation_rows(self.request.user, self.ambassador)
        context["figures"] = figures_for(self.ambassador.country_codes)
        context["csrf_token"] = (parent_context or {}).get("csrf_token")
        context["request"] = self.request
        context["site_languages"] = settings.WAGTAIL_CONTENT_LANGUAGES
        return context
