"""Public views of the ambassadors: a country's page and the contact form (routes of the
directory page), and the recommit-or-resign page reached from the term email."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_countries import countries
from wagtail.models import Locale

from ambassadors.forms import ContactForm
from ambassadors.models import ENGLISH, Ambassador, AmbassadorIndexPage, PromoPage
from ambassadors.regions import REGIONS, region_of
from ambassadors.services import contact, terms
from website.public_forms import over_limit


def country_view(request: HttpRequest, directory: AmbassadorIndexPage, code: str) -> HttpResponse:
    code = code.upper()
    if code not in countries:
        raise Http404
    ambassadors = list(
        Ambassador.objects.active().in_country(code).select_related("photo").order_by("name")
    )
    if not ambassadors:
        raise Http404
    language_codes = {ENGLISH}
    for ambassador in ambassadors:
        language_codes.update(ambassador.site_language_codes)
    return directory.render(
        request,
        template="ambassadors/country_page.html",
        context_overrides={
            "country": {"code": code, "name": countries.name(code)},
            "region": REGIONS.get(region_of(code), ""),
            "ambassadors": ambassadors,
            "promo_pages": promo_pages_in(directory.current_promo_page(), language_codes),
        },
    )


def promo_pages_in(source: PromoPage | None, language_codes: set[str]) -> list[PromoPage]:
    """The live translations (English included) of the current promotional page, among the
    given languages, English first."""
    if source is None:
        return []
    pages = (
        source.get_translations(inclusive=True)
        .live()
        .filter(locale__in=Locale.objects.filter(language_code__in=language_codes))
        .select_related("locale")
        .specific()
    )
    return sorted(pages, key=lambda page: (page.locale.language_code != ENGLISH, page.title))


def contact_view(request: HttpRequest, directory: AmbassadorIndexPage, slug: str) -> HttpResponse:
    ambassador = Ambassador.objects.active().filter(slug=slug).first()
    if ambassador is None:
        raise Http404
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_bot():
            messages.success(request, _("Thank you: your message is on its way."))
            return redirect(directory.get_url(request))
        if over_limit(request, contact.RATE_LIMIT_GROUP, contact.MESSAGES_PER_HOUR, 3600):
            form.add_error(
                None,
                _("You have sent several messages in a short time. Please try again in an hour."),
            )
        else:
            contact.send_message(
                ambassador,
                form.cleaned_data["name"],
                form.cleaned_data["email"],
                form.cleaned_data["message"],
            )
            messages.success(
                request,
                _("Thank you: your message is on its way to %(name)s.") % {"name": ambassador.name},
            )
            return redirect(directory.get_url(request))
    return directory.render(
        request,
        template="ambassadors/contact_page.html",
        context_overrides={"ambassador": ambassador, "form": form},
    )


@require_http_methods(["GET", "POST"])
def term_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the two buttons; only a POST changes anything."""
    try:
        ambassador = terms.read_token(token)
    except terms.TermLinkError as error:
        return TemplateResponse(
            request, "ambassadors/term_link_error.html", {"reason": error.reason}, status=400
        )
    if request.method == "POST":
        choice = request.POST.get("choice")
        if choice == "recommit":
            try:
                ambassador = terms.recommit(ambassador)
            except terms.TermLinkError as error:
                return TemplateResponse(
                    request,
                    "ambassadors/term_link_error.html",
                    {"reason": error.reason},
                    status=400,
                )
            return TemplateResponse(
                request, "ambassadors/term_done.html", {"ambassador": ambassador, "choice": choice}
            )
        if choice == "resign":
            ambassador = terms.resign(ambassador)
            return TemplateResponse(
                request, "ambassadors/term_done.html", {"ambassador": ambassador, "choice": choice}
            )
    return TemplateResponse(
        request, "ambassadors/term_choice.html", {"ambassador": ambassador, "token": token}
    )
