"""Editorial emails, all through the outbox: reviewers hear that something waits for them,
and the author hears the decision, approved or rejected, with the reviewer's comment.

Wagtail sends its own workflow emails directly; these handlers take over the same signal
slots (same `dispatch_uid`), so each event sends exactly one set of messages, from the
outbox. Community senders have no account: they are told through their submission."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.models import GroupApprovalTask, TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from website.outbox import queue_email

from .submissions import notify_rejected

WAGTAIL_NOTIFIERS = [
    (task_submitted, TaskState, "group_approval_task_submitted_email_notification"),
    (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification"),
    (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification"),
    (workflow_approved, WorkflowState, "workflow_state_approved_email_notification"),
]


def page_context(workflow_state: WorkflowState) -> dict:
    page = workflow_state.content_object
    specific = getattr(page, "specific", page)
    return {
        "title": str(specific),
        "kind": str(specific._meta.verbose_name),
        "edit_url": f"/admin/pages/{page.pk}/edit/",
    }


def last_comment(workflow_state: WorkflowState) -> tuple[int, str]:
    task_state = (
        TaskState.objects.filter(workflow_state=workflow_state)
        .exclude(status=TaskState.STATUS_IN_PROGRESS)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if task_state is None:
        return 0, ""
    return task_state.pk, task_state.specific.get_comment()


def on_task_submitted(sender, instance: TaskState, user=None, **kwargs) -> None:
    """Everyone who may review the task hears about it, except whoever submitted it."""
    task = instance.task.specific
    if not isinstance(task, GroupApprovalTask):
        return
    reviewers = (
        get_user_model()
        .objects.filter(Q(groups__in=task.groups.all()) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
    )
    if user is not None:
        reviewers = reviewers.exclude(pk=user.pk)
    requested_by = instance.workflow_state.requested_by
    context = {
        **page_context(instance.workflow_state),
        "task": task.name,
        "requested_by": requested_by.get_full_name() or requested_by.get_username()
        if requested_by
        else "",
    }
    for reviewer in reviewers:
        queue_email(
            f"review:task-state:{instance.pk}:user:{reviewer.pk}",
            reviewer.email,
            "review_requested",
            {**context, "name": reviewer.first_name or reviewer.get_username()},
        )


def on_workflow_submitted(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    """Reviewers are told per task (above); nothing more to say when a workflow starts."""


def tell_author(instance: WorkflowState, user, decision: str) -> None:
    task_state_pk, comment = last_comment(instance)
    page = instance.content_object
    if decision == "rejected" and notify_rejected(page, task_state_pk, comment):
        return
    author = instance.requested_by
    if author is None or not author.email or (user is not None and author.pk == user.pk):
        return
    reviewer = (user.get_full_name() or user.get_username()) if user is not None else ""
    queue_email(
        f"workflow:{instance.pk}:{decision}:user:{author.pk}",
        author.email,
        f"workflow_{decision}",
        {
            **page_context(instance),
            "name": author.first_name or author.get_username(),
            "reviewer": reviewer,
            "comment": comment,
        },
    )


def on_workflow_approved(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    tell_author(instance, user, "approved")


def on_workflow_rejected(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    tell_author(instance, user, "rejected")


HANDLERS = {
    task_submitted: on_task_submitted,
    workflow_submitted: on_workflow_submitted,
    workflow_rejected: on_workflow_rejected,
    workflow_approved: on_workflow_approved,
}


def connect() -> None:
    """Put the outbox handlers in Wagtail's notification slots, whichever app loads first."""
    for signal, sender, dispatch_uid in WAGTAIL_NOTIFIERS:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(HANDLERS[signal], sender=sender, dispatch_uid=dispatch_uid, weak=False)
