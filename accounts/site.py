"""Keep django.contrib.sites' row (SITE_ID) in step with SITE_NAME and SITE_URL.

Connected to post_migrate in accounts/apps.py: every `migrate` (each deploy, `make run`)
writes the current name and domain, so a changed SITE_URL is picked up at the next
deploy, and nothing reads "example.com". allauth's emails do not depend on it
(accounts/adapter.py); the admin's "View on site" and the sitemaps do.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS


def sync_site(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    from django.contrib.sites.models import Site

    from accounts.adapter import site_from_settings

    site = site_from_settings()
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": site.domain[:100], "name": site.name[:50]}
    )
    Site.objects.clear_cache()
