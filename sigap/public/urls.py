from django.urls import path
from django.views.generic import RedirectView

from sigap.public import views

app_name = "public"
urlpatterns = [
    path("publik/", views.public_page, name="page"),
    path("public/", RedirectView.as_view(pattern_name="public:page", permanent=True)),
    path("publik/cap.xml", views.cap_feed, name="cap_feed"),
    path("publik/cap/<int:pk>.xml", views.cap_message, name="cap_message"),
    path("peringatan/<int:alert_pk>/publikasi/", views.publish, name="publish"),
    path("publik/peringatan/<int:pk>/cabut/", views.cancel, name="cancel"),
    path("publik/klarifikasi/<int:pk>/", views.clarification, name="clarification"),
    path("publik/klarifikasi/<int:pk>/tarik/", views.clarification_withdraw_view, name="clarification_withdraw"),
    path("kejadian/<int:incident_pk>/klarifikasi/", views.clarification_new, name="clarification_new"),
]
