"""Who is on the other end: the client's IP address, the one way every app asks for it.

allauth's helper reads the trusted-proxy settings (ALLAUTH_TRUSTED_PROXY_COUNT,
ALLAUTH_TRUSTED_CLIENT_IP_HEADER, set from TRUSTED_PROXY_COUNT and
TRUSTED_CLIENT_IP_HEADER), so log-in lock-outs, sign-up limits and our own rate limits
key on the same address. Without trusted proxies, forwarded headers are ignored: a
client could write anything there.
"""

from __future__ import annotations

from allauth.core.internal.httpkit import get_client_ip
from django.core.exceptions import ImproperlyConfigured


def client_ip(request) -> str:
    """The client's address, or "unknown" when none can be read (never raises)."""
    try:
        return get_client_ip(request) or "unknown"
    except ImproperlyConfigured:
        # Fewer X-Forwarded-For entries than trusted proxies: the request did not come
        # through them, so the socket's address is the only one to trust.
        return request.META.get("REMOTE_ADDR") or "unknown"


def client_ip_or_none(request) -> str | None:
    """The client's address, or None when there is none to read (for django-axes, whose
    table column must hold a real address)."""
    if request is None:
        return None
    ip = client_ip(request)
    return None if ip == "unknown" else ip
