"""allauth's emails name this site, from settings (issue 12, item 4: "Hello from
example.com!").

allauth reads the site's name and domain from django.contrib.sites' row, which a fresh
database fills with "example.com". accounts.site.sync_site keeps that row in step with
SITE_NAME and SITE_URL after every migrate; this adapter does not depend on it: every
email allauth sends gets `current_site` (and `site_name`, `site_url`) from settings, and
the templates in templates/account/email/ say Onefix's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


@dataclass(frozen=True)
class SiteFromSettings:
    """What allauth's templates read of a Site: name and domain."""

    name: str
    domain: str


def site_from_settings() -> SiteFromSettings:
    return SiteFromSettings(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {
            **context,
            "current_site": site_from_settings(),
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
        }
        super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] " + " ".join(str(subject).split())
