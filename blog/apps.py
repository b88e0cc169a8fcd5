from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self) -> None:
        from . import notifications, signals

        notifications.connect()
        signals.connect()
