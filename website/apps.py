from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class WebsiteConfig(AppConfig):
    # The module holds a second config (Wagtail's users app, below): this one is the app's.
    default = True
    name = "website"
    verbose_name = _("Website")

    def ready(self) -> None:
        from website import checks, images  # noqa: F401 (checks registers)

        images.connect()

        # Media for many machines (#17): renditions made by the worker.
        from website import renditions

        renditions.connect()
        # Page speed (#17): the locale table and the page cache's purge.
        from website import locales, pagecache

        locales.connect()
        pagecache.connect()

        from website.admin_guards import (
            install_chooser_guard,
            install_image_field_guard,
            install_multiple_choice_guard,
        )

        install_chooser_guard()
        install_image_field_guard()
        install_multiple_choice_guard()


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the account rules of `website.permissions`: who may manage
    whose account, and give which groups."""

    user_viewset = "website.permissions.UserViewSet"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from wagtail.permissions import register_permission_policy

        from website.permissions import UserPermissionPolicy

        User = get_user_model()
        register_permission_policy(User, UserPermissionPolicy(User))
        register_permission_policy(Group)
