from django.urls import path

from sigap.accounts import views

app_name = "accounts"

urlpatterns = [
    path("akun/", views.account, name="account"),
    path("akun/dua-langkah/", views.two_factor_setup, name="two_factor"),
    path("masuk/kode/", views.sign_in_code, name="sign_in_code"),
]
