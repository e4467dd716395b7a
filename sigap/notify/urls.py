from django.urls import path

from sigap.notify import views

app_name = "notify"
urlpatterns = [
    path("terima/<str:token>/", views.ack, name="ack"),
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("notifikasi/pratinjau/", views.routing_preview, name="preview"),
    path("akun/kanal/", views.my_channels, name="my_channels"),
    path("piket/", views.duty_roster, name="duty"),
    path("piket/<int:pk>/", views.duty_shift, name="duty_shift"),
]
