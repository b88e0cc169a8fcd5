"""Admin views of the ambassadors: translate a page into one of their languages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Locale, Page

from ambassadors.services import translations


@require_POST
def translate_page(request: HttpRequest, page_id: int, language_code: str) -> HttpResponse:
    page = get_object_or_404(Page, pk=page_id).specific
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None or page.is_root():
        raise Http404
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return redirect("wagtailadmin_pages:edit", existing.pk)
    try:
        translation = translations.translate_page(request.user, page, locale)
    except PermissionDenied:
        messages.error(
            request,
            _("You may translate only into your own languages (%(language)s is not one of them).")
            % {"language": locale.get_display_name()},
        )
        return redirect(reverse("wagtailadmin_home"))
    messages.success(
        request,
        _(
            "A draft of “%(title)s” in %(language)s is ready: translate it here, then submit it "
            "for review."
        )
        % {"title": page.title, "language": locale.get_display_name()},
    )
    return redirect("wagtailadmin_pages:edit", translation.pk)
