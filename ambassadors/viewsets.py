"""The ambassadors in the admin: a snippet listing for directors, and each ambassador's own
profile for them to keep up to date."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from ambassadors.models import Ambassador


class AmbassadorEditView(EditView):
    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", instance
        ):
            raise PermissionDenied
        return instance


class AmbassadorViewSet(SnippetViewSet):
    model = Ambassador
    icon = "user"
    menu_label = _("Ambassadors")
    menu_order = 250
    add_to_admin_menu = True
    edit_view_class = AmbassadorEditView
    list_display = ["name", Column("country_names", label=_("Countries")), "term_ends_on"]
    search_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["add", "change", "delete", "view"]
        ).prefetch_related("countries")
