from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from ambassadors import admin_views
from ambassadors.models import Ambassador, PromoPage
from ambassadors.panels import AmbassadorPanel
from ambassadors.permissions import AmbassadorPermissionPolicy
from ambassadors.viewsets import AmbassadorViewSet

register_permission_policy(Ambassador, AmbassadorPermissionPolicy(Ambassador), exact_class=True)
register_snippet(AmbassadorViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "ambassadors/translate/<int:page_id>/<str:language_code>/",
            admin_views.translate_page,
            name="ambassadors_translate_page",
        )
    ]


@hooks.register("construct_homepage_panels")
def add_ambassador_panel(request, panels):
    ambassador = (
        Ambassador.objects.active().filter(user=request.user).prefetch_related("countries").first()
    )
    if ambassador is not None:
        panels.append(AmbassadorPanel(request, ambassador))


SYNCED_ONLY_ACTIONS = {"localize-restart-translation", "localize-convert-to-alias"}


@hooks.register("construct_page_action_menu")
def keep_promo_translations_in_the_workflow(menu_items, request, context):
    """A promotional page's translation is edited in Wagtail's editor, where it goes through
    review; wagtail-localize's synced editor (which can only publish) is not offered, nor
    turning the translation back into an alias of the English page."""
    page = context.get("page")
    if isinstance(page, PromoPage):
        menu_items[:] = [item for item in menu_items if item.name not in SYNCED_ONLY_ACTIONS]
