from django.contrib import admin
from django.urls import include, path

from . import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # set_language: anyone may choose a language (a cookie); a profile's choice still wins.
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.healthz, name="healthz"),
    path("api/", include("alliances.api.urls")),
    path("api/", include("alliances.api.health_urls")),
    path("api/", include("alliances.api.portfolio_urls")),
    path("api/", include("charters.api.urls")),
    path("api/", include("trustaccount.api.urls")),
    path("", include("alliances.urls")),
    path("", include("alliances.urls_health")),
    path("", include("alliances.urls_portfolio")),
    path("", include("charters.urls")),
    path("", include("charters.urls_escalations")),
    path("", include("trustaccount.urls")),
]
