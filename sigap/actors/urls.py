from django.urls import path

from sigap.actors import views

app_name = "actors"

urlpatterns = [
    path("kelompok/", views.actor_list, name="list"),
    path("kelompok/<int:pk>/", views.actor_detail, name="detail"),
    path("kelompok/<int:pk>/gabung/", views.actor_merge, name="merge"),
    path("kelompok/<int:pk>/ikuti/", views.actor_follow, name="follow"),
    path("kejadian/<int:pk>/kelompok/", views.incident_link, name="incident_link"),
    path("kejadian/<int:pk>/kelompok/<int:link_pk>/lepas/", views.incident_unlink, name="incident_unlink"),
]
