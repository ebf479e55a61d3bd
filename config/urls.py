from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from config.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("questions/", include("forum.urls")),
    path("kb/", include("kb.urls")),
    path("search/", include("search.urls")),
]
