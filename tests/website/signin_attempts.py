"""One web process of the site, on its own: makes sign-in attempts at /admin/login/ and
prints the status of each, as JSON. Run by tests/website/test_signin_processes.py.

    python tests/website/signin_attempts.py USERNAME PASSWORD [PASSWORD ...]

The database is the one DATABASE_URL names; with SIGNIN_TEST_CACHE_URL, failures are counted in that
Redis cache (django-axes' cache handler), as in production with a shared cache.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.test")


def main(username: str, passwords: list[str]) -> None:
    import django
    from django.conf import settings

    cache_url = os.environ.get("SIGNIN_TEST_CACHE_URL", "")
    if cache_url:
        settings.CACHES = {
            "default": {
                "BACKEND": "website.cache.RedisCache",
                "LOCATION": cache_url,
            },
            "pieces": settings.PIECES_CACHE,
        }
        settings.AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
    django.setup()
    from django.test import Client

    client = Client()
    statuses = [
        client.post(
            "/admin/login/", {"username": username, "password": password, "next": "/admin/"}
        ).status_code
        for password in passwords
    ]
    print(json.dumps({"statuses": statuses, "pid": os.getpid()}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
