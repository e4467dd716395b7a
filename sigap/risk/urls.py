from django.urls import path

from sigap.risk import views

app_name = "risk"
urlpatterns = [
    path("kerawanan/", views.risk_map, name="map"),
    path("jaringan-pelapor/", views.network, name="network"),
    path("pantauan/", views.checks, name="checks"),
    path("kerawanan/<str:code>/", views.risk_area, name="area"),
    path("kerawanan/<str:code>/indikator/", views.indicator_edit, name="indicator"),
    path("kerawanan/<str:code>/tingkat/", views.level_set, name="level_set"),
    path("kerawanan/<str:code>/tingkat/<int:pk>/cabut/", views.level_withdraw, name="level_withdraw"),
]
