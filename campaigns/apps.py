from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Program email")

    def ready(self) -> None:
        from campaigns import checks, policy, rendering, tracking  # noqa: F401 (checks registers)

        rendering.register()
        policy.register()
        tracking.connect()
