"""Celery task of social posting."""

from celery import shared_task

from social import services


@shared_task
def post_to_network(social_post_id: int) -> None:
    """Post one queued page to one network; a rerun after it posted does nothing."""
    services.publish(social_post_id)


@shared_task
def recover_stuck_posts() -> dict[str, int]:
    """Settle posts a dead worker left half-done (see `services.recover_stuck`)."""
    return services.recover_stuck()
