"""Admin hooks of the site shell: a page or snippet form that arrives incomplete (or with
inline rows whose ids are not numbers), or a page copy to a parent that does not exist, is
refused with a message before Wagtail reads it (see website.admin_guards)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from website.admin_guards import garbled_child_rows, incomplete_stream_fields


def _refuse_incomplete(request: HttpRequest, model: type) -> HttpResponse | None:
    if request.method != "POST":
        return None
    if not incomplete_stream_fields(model, request) and not garbled_child_rows(model, request):
        return None
    messages.error(
        request,
        _(
            "The form arrived incomplete, so nothing was saved. "
            "Please reload the page and try again."
        ),
    )
    return redirect(request.get_full_path())


@hooks.register("before_edit_page")
def refuse_incomplete_page_edit(request: HttpRequest, page) -> HttpResponse | None:
    return _refuse_incomplete(request, page.specific_class)


@hooks.register("before_create_page")
def refuse_incomplete_page_create(
    request: HttpRequest, parent_page, page_class
) -> HttpResponse | None:
    return _refuse_incomplete(request, page_class)


@hooks.register("before_edit_snippet")
def refuse_incomplete_snippet_edit(request: HttpRequest, instance) -> HttpResponse | None:
    return _refuse_incomplete(request, type(instance))


@hooks.register("before_create_snippet")
def refuse_incomplete_snippet_create(request: HttpRequest, model: type) -> HttpResponse | None:
    return _refuse_incomplete(request, model)


@hooks.register("before_copy_page")
def refuse_copy_to_an_unknown_parent(request: HttpRequest, page) -> HttpResponse | None:
    """Wagtail's copy view looks up the posted parent before its form checks it."""
    if request.method != "POST":
        return None
    parent = request.POST.get("new_parent_page", "")
    if parent.isdigit() and Page.objects.filter(pk=int(parent)).exists():
        return None
    messages.error(request, _("Choose the page to copy into."))
    return redirect(request.get_full_path())
