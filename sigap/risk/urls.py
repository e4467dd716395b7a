from django.urls import path

from sigap.risk import views

app_name = "risk"
urlpatterns = [
    path("kerawanan/", views.risk_map, name="map"),
    path("jaringan-pelapor/", views.network, name="network"),
    path("kerawanan/<str:code>/", views.risk_area, name="area"),
    path("kerawanan/<str:code>/indikator/", views.indicator_edit, name="indicator"),
]
