"""Admin hooks of the site shell: a page or snippet form that arrives incomplete (or with
inline rows whose ids are not numbers), or a page copy to a parent that does not exist, is
refused with a message before Wagtail reads it (see website.admin_guards).

Page restructuring outside the workflow: deleting and moving pages, one at a time or in
bulk, is for those with the bulk delete page permission (directors, in the Roles table);
copying a page is for those who may add pages beside it (a copy is a new draft, published
only by those who may publish). Publishing, unpublishing and privacy already need the
publish permission, which only directors hold; guest editors publish by approving in the
workflow.

The Outbox is registered here as an admin viewset."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from website.admin_guards import (
    garbled_child_rows,
    incomplete_stream_fields,
    oversized_child_rows,
)
from website.permissions import log_refusal, may_restructure, pages_outside, refusal_page
from website.viewsets import outbox_viewset


def _refuse_incomplete(request: HttpRequest, model: type) -> HttpResponse | None:
    if request.method != "POST":
        return None
    if oversized_child_rows(model, request):
        messages.error(
            request,
            _(
                "The form arrived with more rows than it can hold, so nothing was saved. "
                "Please reload the page and try again."
            ),
        )
        return redirect(request.get_full_path())
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


@hooks.register("before_copy_page")
def refuse_copy_with_an_overlong_title(request: HttpRequest, page) -> HttpResponse | None:
    """Wagtail's copy form sets no length on the new title and slug, and the copy itself
    then fails the page's own limit."""
    if request.method != "POST":
        return None
    limit = min(Page._meta.get_field(name).max_length for name in ("title", "slug"))
    if all(len(request.POST.get(name, "")) <= limit for name in ("new_title", "new_slug")):
        return None
    messages.error(
        request,
        _("The title and the slug of the copy can each have at most %(limit)s characters.")
        % {"limit": limit},
    )
    return redirect(request.get_full_path())


RESTRUCTURING_BULK_ACTIONS = {"delete", "move"}


@hooks.register("before_delete_page")
def refuse_delete(request, page):
    if not may_restructure(request.user, page):
        log_refusal(request, "deleting a page needs the bulk delete permission")
        return refusal_page(request)
    return None


@hooks.register("before_move_page")
def refuse_move(request, page, destination):
    if not may_restructure(request.user, page):
        log_refusal(request, "moving a page needs the bulk delete permission")
        return refusal_page(request)
    return None


@hooks.register("before_copy_page", order=-1)  # permission first, then the form's values
def refuse_copy(request, page):
    parent = page.get_parent()
    if not request.user.is_superuser and not (
        parent and parent.permissions_for_user(request.user).can_add_subpage()
    ):
        log_refusal(request, "copying a page needs the right to add pages beside it")
        return refusal_page(request)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_restructuring(request, action_type, objects, action_class_instance):
    if action_type not in RESTRUCTURING_BULK_ACTIONS:
        return None
    pages = [obj for obj in objects if isinstance(obj, Page)]
    if pages and pages_outside(request.user, pages):
        log_refusal(request, f"bulk {action_type} of pages needs the bulk delete permission")
        return refusal_page(request)
    return None


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return outbox_viewset
