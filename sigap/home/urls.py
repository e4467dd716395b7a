from django.urls import path

from sigap.home import views

app_name = "home"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("beranda/", views.home, name="home"),
]
