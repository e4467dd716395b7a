from django.urls import path

from sigap.regions import views

app_name = "regions"
urlpatterns = [
    path("wilayah/batas/", views.boundaries_upload, name="boundaries"),
]
