from django.urls import path

from sigap.demo import views

app_name = "demo"
urlpatterns = [
    path("demo/webhook/", views.webhook_receiver, name="webhook"),
    path("demo/sms/", views.sms_gateway, name="sms"),
    path("demo/kotak-surat/", views.mailbox, name="mailbox"),
    path("demo/ponsel/", views.phone, name="phone"),
]
