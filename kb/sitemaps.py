"""sitemap.xml: published articles and solved threads (nothing a visitor would get a 404 for).

URLs are absolute on settings.SITE_URL rather than on django.contrib.sites' Site
row, so the sitemap names the same host as the canonical links.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from forum.models import Thread
from kb.models import Article


class _OnSiteUrl(Sitemap):
    limit = 5000

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(_OnSiteUrl):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, article: Article):
        return article.updated_at


class SolvedThreadSitemap(_OnSiteUrl):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Thread.objects.visible().solved().only("pk", "slug", "last_activity_at").order_by("pk")

    def lastmod(self, thread: Thread):
        return thread.last_activity_at


SITEMAPS = {"articles": ArticleSitemap, "threads": SolvedThreadSitemap}
