from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, register_converter

from config.converters import IdConverter
from config.health import healthz
from config.metrics import metrics
from config.views import hello, home, robots_txt
from desk.views import public_stats
from kb.sitemaps import SITEMAPS

# Before the apps' URLconfs are included: they use <id:...> for database ids.
register_converter(IdConverter, "id")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    # Duplicate links and clusters keep the /questions/ paths they had inside the forum.
    path("questions/", include("duplicates.urls")),
    path("questions/", include("forum.urls")),
    path("kb/", include("kb.urls")),
    path("moderation/", include("moderation.urls")),
    path("search/", include("search.urls")),
    path("desk/", include("desk.urls")),
    # Public: how fast this community gets a staff reply (desk/insights.py, docs/insights.md).
    path("stats/", public_stats, name="stats"),
]

if settings.BENCH_HELLO:  # bench/pages_bench.py's yardstick; never on in production
    urlpatterns.append(path("_bench/hello", hello, name="bench_hello"))

# With DEBUG off, Django calls these for a 404 or 403 no middleware turned into a page
# (config.middleware.BrandedErrorsMiddleware does it for views, in development too).
handler404 = "config.views.not_found"
handler403 = "config.views.forbidden"
