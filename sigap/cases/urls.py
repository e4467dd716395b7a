from django.urls import path

from sigap.cases import views

app_name = "cases"
urlpatterns = [
    path("penanganan/", views.case_list, name="list"),
    path("penanganan/baru/", views.case_new, name="new"),
    path("penanganan/<int:pk>/", views.case_detail, name="detail"),
    path("penanganan/<int:pk>/<slug:action>/", views.case_act, name="act"),
    path("kejadian/<int:pk>/selesai/", views.incident_settle_view, name="incident_settle"),
    path("tugas/", views.task_list, name="tasks"),
    path("tugas/<int:pk>/selesai/", views.task_finish_view, name="task_finish"),
    path("tugas/<int:pk>/ubah/", views.task_change_view, name="task_change"),
    path("status-konflik/", views.status_list, name="status_list"),
    path("status-konflik/<int:pk>/", views.status_detail, name="status_detail"),
    path("status-konflik/<int:pk>/<slug:action>/", views.status_act, name="status_act"),
    path("status-konflik/pertimbangan/<int:incident_pk>/", views.status_consider_view, name="status_consider"),
]
