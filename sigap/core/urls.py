from django.urls import path

from sigap.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("dokumen/<int:pk>/", views.document_file, name="document"),
]
