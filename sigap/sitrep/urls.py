from django.urls import path

from sigap.sitrep import views

app_name = "sitrep"
urlpatterns = [
    path("laporan-situasi/", views.sitrep_page, name="page"),
    path("laporan-situasi/unduh.<str:fmt>", views.sitrep_download, name="download"),
]
