"""A volunteer who has not accepted the current code of conduct and their position
descriptions reaches no admin page but the acceptance screen (and the sign-in steps), as a
session half-way through signing in reaches only the second step.

Once a session has nothing left to accept, it remembers so against the acceptance stamp
(volunteers.services.agreements.acceptance_stamp), which moves when a director publishes a
new version or a record changes: later admin requests then cost no query here."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from volunteers.services.agreements import acceptance_stamp, pending_for
from website.signin.middleware import SIGN_IN_STEPS

OPEN_WHILE_PENDING = [*SIGN_IN_STEPS, "signin_recovery_codes", "volunteers_accept"]
SESSION_KEY = "volunteers_accepted"


class AcceptanceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None
        self._admin_prefix: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.check(request)
        return response if response is not None else self.get_response(request)

    def open_paths(self) -> frozenset[str]:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in OPEN_WHILE_PENDING)
        return self._open_paths

    def admin_prefix(self) -> str:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("wagtailadmin_home")
        return self._admin_prefix

    def check(self, request: HttpRequest) -> HttpResponse | None:
        if not request.path_info.startswith(self.admin_prefix()):
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        if request.path_info in self.open_paths():
            return None
        stamp = acceptance_stamp()
        remembered = request.session.get(SESSION_KEY)
        if remembered == [user.pk, stamp]:
            return None
        if not pending_for(user):
            request.session[SESSION_KEY] = [user.pk, stamp]
            return None
        request.session.pop(SESSION_KEY, None)
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('volunteers_accept')}?{query}")
