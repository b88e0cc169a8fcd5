"""Two-step sign-in in the admin's account menu, for every volunteer; the script that lets
the admin run under a policy without inline scripts."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.staticfiles import versioned_static


@hooks.register("register_account_menu_item")
def two_step_sign_in(request: HttpRequest) -> dict:
    return {
        "url": reverse("signin_enrol"),
        "label": _("Two-step sign-in"),
        "help_text": _("Set up an authenticator app and recovery codes for signing in."),
    }


@hooks.register("insert_global_admin_js")
def start_widgets_without_inline_scripts() -> str:
    """The admin's policy refuses inline scripts; this starts the widgets that used them."""
    return format_html('<script src="{}"></script>', versioned_static("signin/admin-init.js"))
