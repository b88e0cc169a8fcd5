"""What happens when a workflow is approved (WAGTAIL_FINISH_WORKFLOW_ACTION).

Imported by Wagtail while its models load, so it imports nothing at the top."""


def publish_approved(workflow_state, user=None) -> None:
    """Publish the approved revision with the workflow's authority. Who may approve is the
    workflow task's business (its groups), so the approver needs no publish permission of
    their own: guest editors approve, and publish that way only, without the free publish,
    unpublish, move, delete and privacy rights the publish permission would give them."""
    workflow_state.content_object.get_latest_revision().publish(
        user=user, skip_permission_checks=True
    )
