"""The second step of signing in to the admin, enrolment of an authenticator app, new
recovery codes, and the page django-axes shows when sign-in is locked."""

import logging
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from website.signin import services
from website.signin.forms import CodeForm

logger = logging.getLogger(__name__)


def next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def credentials(request: HttpRequest) -> dict[str, str]:
    return {settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()}


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator app, or a recovery code."""
    user = request.user
    if user.is_verified() or not services.has_second_factor(user):
        return HttpResponseRedirect(next_url(request))
    if not AxesProxyHandler.is_allowed(request, credentials(request)):
        logout(request)
        return locked_out(request)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.verify(user, form.cleaned_data["code"])
        except services.SignInError as error:
            form.add_error(None, error.message)
            logger.warning("Wrong second-factor code for %s", user.get_username())
            user_login_failed.send(
                sender=__name__, credentials=credentials(request), request=request
            )
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return locked_out(request)
        else:
            otp_login(request, device)
            AxesProxyHandler.reset_attempts(username=user.get_username())
            return HttpResponseRedirect(next_url(request))
    return render(
        request,
        "signin/verify.html",
        {
            "title": _("Two-step sign-in"),
            "form": form,
            "next": next_url(request),
            "recovery_codes_left": services.recovery_codes_left(user),
        },
    )


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code (or type the key), then confirm with a code
    it shows. The recovery codes are shown once, on the page that confirms it."""
    user = request.user
    if services.has_second_factor(user) and not user.is_verified():
        return HttpResponseRedirect(f"{reverse('signin_verify')}?{request.GET.urlencode()}")
    if (
        request.method == "GET"
        and services.has_second_factor(user)
        and "replace" not in request.GET
    ):
        return render(
            request,
            "signin/status.html",
            {
                "title": _("Two-step sign-in"),
                "device": services.app_device(user),
                "recovery_codes_left": services.recovery_codes_left(user),
                "required": services.second_factor_required(user),
            },
        )
    form = CodeForm(request.POST or None)
    device = services.pending_enrolment(user)
    if request.method == "GET" or device is None:
        device = services.start_enrolment(user)
    elif form.is_valid():
        try:
            device, codes = services.confirm_enrolment(user, form.cleaned_data["code"])
        except services.InvalidCode as error:
            form.add_error(None, error.message)
        else:
            otp_login(request, device)
            logger.info("%s set up an authenticator app", user.get_username())
            return show_recovery_codes(request, codes, next_url(request))
    return render(
        request,
        "signin/enrol.html",
        {
            "title": _("Set up two-step sign-in"),
            "form": form,
            "next": next_url(request),
            "qr_code": services.qr_code_svg(device),
            "key": services.readable_key(device),
            "required": services.second_factor_required(user),
        },
    )


@never_cache
@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """A new set of recovery codes, replacing the old ones; shown once."""
    if not services.has_second_factor(request.user):
        return HttpResponseRedirect(reverse("signin_enrol"))
    codes = services.new_recovery_codes(request.user)
    logger.info("%s made new recovery codes", request.user.get_username())
    return show_recovery_codes(request, codes, reverse("signin_enrol"))


def show_recovery_codes(request: HttpRequest, codes: list[str], next: str) -> HttpResponse:
    return render(
        request,
        "signin/recovery_codes.html",
        {"title": _("Your recovery codes"), "codes": codes, "next": next},
    )


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """django-axes' lockout response: a page that says when to try again (each refused
    attempt starts the wait again)."""
    wait: timedelta = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "signin/locked_out.html",
        {
            "retry_at": timezone.now() + wait,
            "minutes": int(wait.total_seconds() // 60),
            "title": _("Signing in is locked for now"),
        },
        status=429,
    )
