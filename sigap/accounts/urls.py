from django.urls import path

from sigap.accounts import views

app_name = "accounts"

urlpatterns = [
    path("akun/", views.account, name="account"),
]
