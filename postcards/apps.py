from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostcardsConfig(AppConfig):
    name = "postcards"
    verbose_name = _("Postcards")

    def ready(self) -> None:
        from . import signals

        signals.connect()
