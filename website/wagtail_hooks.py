"""Page restructuring outside the workflow: deleting and moving pages, one at a time or in
bulk, is for those with the bulk delete page permission (directors, in the Roles table);
copying a page is for those who may add pages beside it (a copy is a new draft, published
only by those who may publish). Publishing, unpublishing and privacy already need the
publish permission, which only directors hold; guest editors publish by approving in the
workflow."""

from wagtail import hooks
from wagtail.models import Page

from website.permissions import log_refusal, may_restructure, pages_outside, refusal_page

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


@hooks.register("before_copy_page")
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
