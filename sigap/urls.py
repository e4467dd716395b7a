from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sigap.accounts.views import SignInView
from sigap.api import api

urlpatterns = [
    path("", include("sigap.core.urls")),
    path("", include("sigap.home.urls")),
    path("", include("sigap.intake.urls")),
    path("", include("sigap.triage.urls")),
    path("", include("sigap.risk.urls")),
    path("", include("sigap.regions.urls")),
    path("", include("sigap.alerts.urls")),
    path("", include("sigap.notify.urls")),
    path("", include("sigap.cases.urls")),
    path("", include("sigap.mediation.urls")),
    path("", include("sigap.coordination.urls")),
    path("", include("sigap.actors.urls")),
    path("", include("sigap.dashboard.urls")),
    path("", include("sigap.sitrep.urls")),
    path("", include("sigap.public.urls")),
    path("", include("sigap.demo.urls")),
    path("", include("sigap.accounts.urls")),
    path("masuk/", SignInView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
