from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignInConfig(AppConfig):
    name = "website.signin"
    label = "signin"
    verbose_name = _("Admin sign-in")

    def ready(self) -> None:
        from website.signin.choosers import start_choosers_without_inline_scripts

        start_choosers_without_inline_scripts()
