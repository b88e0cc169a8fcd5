"""Two-step sign-in in the admin's account menu, for every volunteer."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_account_menu_item")
def two_step_sign_in(request: HttpRequest) -> dict:
    return {
        "url": reverse("signin_enrol"),
        "label": _("Two-step sign-in"),
        "help_text": _("Set up an authenticator app and recovery codes for signing in."),
    }
