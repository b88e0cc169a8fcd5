"""A volunteer who has not accepted the current code of conduct and their position
descriptions reaches no admin page but the acceptance screen (and the sign-in steps), as a
session half-way through signing in reaches only the second step."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from volunteers.services.agreements import pending_for
from website.signin.middleware import SIGN_IN_STEPS

OPEN_WHILE_PENDING = [*SIGN_IN_STEPS, "signin_recovery_codes", "volunteers_accept"]


class AcceptanceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.check(request)
        return response if response is not None else self.get_response(request)

    def check(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            return None
        if request.path_info in {reverse(name) for name in OPEN_WHILE_PENDING}:
            return None
        if not pending_for(user):
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('volunteers_accept')}?{query}")
