from django.urls import path

from sigap.alerts import views

app_name = "alerts"
urlpatterns = [
    path("peringatan/", views.alert_list, name="list"),
    path("peringatan/baru/", views.alert_raise_view, name="raise"),
    path("peringatan/<int:pk>/", views.alert_detail, name="detail"),
    path("peringatan/<int:pk>/langkah/", views.alert_step, name="step"),
    path("peringatan/<int:pk>/tingkat/", views.alert_override_view, name="override"),
    path("peringatan/<int:pk>/gabung/", views.alert_merge_view, name="merge"),
]
