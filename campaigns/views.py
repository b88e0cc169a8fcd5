"""One-click unsubscribe (RFC 8058): the link in every bulk message and its POST, which mail
providers send without cookies or a CSRF token. A GET only asks: link scanners follow links.
No answer is cached anywhere, and the page shows the address masked."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from campaigns.services import suppression
from mentoring.models import InterestedPerson
from mentoring.services import interest


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    email = suppression.email_from_token(token)
    if email is None:
        return render(request, "campaigns/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        suppression.unsubscribe(email, detail="link")
        for person in InterestedPerson.objects.filter(email_normalised=email):
            interest.unsubscribe(person)
    done = request.method == "POST"
    context = {"email": suppression.masked(email), "done": done}
    return render(request, "campaigns/unsubscribe.html", context)
