from django.urls import path

from sigap.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("dasbor/", views.dashboard, name="page"),
    path("dasbor/ekspor.<str:fmt>", views.export, name="export"),
]
