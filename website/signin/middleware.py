"""What every request of a signed-in volunteer goes through.

- The second factor: a session signed in with a password alone, by someone who has an
  authenticator (or must have one), reaches only the sign-in steps of the admin, and is
  anonymous everywhere else on the site.
- Idle expiry: a signed-in session ends SIGNIN_IDLE_HOURS after its last request (noted at
  most once a minute). A "remember me" session's cookie lasts as long; one without lasts
  until the browser closes, and no longer than that on the server.
- The admin's Content-Security-Policy (the public site's is django-csp's).
"""

from collections.abc import Callable
from urllib.parse import urlencode

from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from website.signin import services

CSP_HEADER = "Content-Security-Policy"
LAST_SEEN_KEY = "signin_last_seen"
LAST_SEEN_RESOLUTION = 60


class AdminSignInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        admin_prefix = reverse("wagtailadmin_home")
        in_admin = request.path_info.startswith(admin_prefix)
        if request.user.is_authenticated:
            end_idle_session(request)
        response = self.check_second_factor(request, in_admin)
        if response is None:
            response = self.get_response(request)
        if in_admin and CSP_HEADER not in response:
            response[CSP_HEADER] = build_policy(config=settings.ADMIN_CONTENT_SECURITY_POLICY)
        return response

    def check_second_factor(self, request: HttpRequest, in_admin: bool) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if services.has_second_factor(user):
            step = "signin_verify"
        elif services.second_factor_required(user):
            step = "signin_enrol"
        else:
            return None
        if not in_admin:
            request.user = AnonymousUser()
            return None
        if request.path_info in {reverse(name) for name in SIGN_IN_STEPS}:
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(step)}?{query}")


def end_idle_session(request: HttpRequest) -> None:
    """Sign out a session idle for longer than SIGNIN_IDLE_HOURS; otherwise note this request."""
    idle = settings.SIGNIN_IDLE_HOURS * 3600
    session = request.session
    now = int(timezone.now().timestamp())
    last_seen = session.get(LAST_SEEN_KEY)
    if last_seen is not None and now - last_seen > idle:
        logout(request)
        return
    if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
        session[LAST_SEEN_KEY] = now
        if not session.get_expire_at_browser_close():
            session.set_expiry(idle)


# The admin pages a session half-way through signing in may open, and what they load.
SIGN_IN_STEPS = [
    "signin_verify",
    "signin_enrol",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
]
