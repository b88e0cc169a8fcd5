"""What the site knows of the request's sender."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies (each
    appending the address it saw to X-Forwarded-For) the one the outermost proxy saw. What a
    visitor writes into the header themselves stands further left and is never taken."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def signin_client_address(request: HttpRequest) -> str | None:
    """The address django-axes counts sign-in failures by and logs: `client_address` when it
    is an IP address, else None (a request without one, such as the test client's sign-in,
    which PostgreSQL's inet column would refuse)."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address
