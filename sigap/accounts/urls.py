from django.urls import path

from sigap.accounts import views

app_name = "accounts"

urlpatterns = [
    path("akun/", views.account, name="account"),
    path("akun/dua-langkah/", views.two_factor_setup, name="two_factor"),
    path("masuk/kode/", views.sign_in_code, name="sign_in_code"),
    path("masuk/lupa/", views.password_reset, name="password_reset"),
    path("masuk/lupa/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
]
