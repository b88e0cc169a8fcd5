from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmbassadorsConfig(AppConfig):
    name = "ambassadors"
    verbose_name = _("Ambassadors")

    def ready(self) -> None:
        from ambassadors import signals  # noqa: F401
