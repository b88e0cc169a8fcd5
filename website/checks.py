"""Production refuses to run half-configured: with several web processes and workers, a cache
or a broker missing from the environment would quietly make every process keep its own
(rate limits and sign-in lockouts counted per process, tasks run inside web requests)."""

from django.conf import settings
from django.core.checks import Error, register

SHARED_SERVICES = {
    "CACHE_URL": "the cache (and with it every rate limit and sign-in lockout) would be kept "
    "per process",
    "CELERY_BROKER_URL": "tasks (email, matching, social posts) would run inside web requests",
}


@register()
def check_shared_services(app_configs=None, **kwargs) -> list[Error]:
    if not getattr(settings, "SHARED_SERVICES_REQUIRED", False):
        return []
    return [
        Error(
            f"{name} is not set: {consequence}.",
            hint=f"Set {name} to the Redis that every web process and worker shares "
            "(see .env.example).",
            id=f"website.E00{number}",
        )
        for number, (name, consequence) in enumerate(SHARED_SERVICES.items(), start=1)
        if not getattr(settings, name, "")
    ]
