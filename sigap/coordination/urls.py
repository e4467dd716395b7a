from django.urls import path

from sigap.coordination import views

app_name = "coordination"
urlpatterns = [
    path("koordinasi/", views.meetings, name="meetings"),
    path("koordinasi/rapat/<int:pk>/", views.meeting_detail, name="meeting"),
    path("koordinasi/rapat/<int:pk>/notulen.pdf", views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
    path("koordinasi/rapat/<int:pk>/dokumen/<str:action>/", views.meeting_document, name="meeting_document"),
    path("koordinasi/keputusan/<int:pk>/tugas/", views.decision_task, name="decision_task"),
    path("koordinasi/kontak/", views.contacts, name="contacts"),
    path("koordinasi/rat/", views.plan, name="plan"),
    path("koordinasi/rat/<int:pk>/kemajuan/", views.plan_progress, name="plan_progress"),
    path("koordinasi/rat/laporan/<int:year>/<str:period>/", views.plan_report, name="plan_report"),
    path(
        "koordinasi/rat/laporan/<int:year>/<str:period>/xlsx/",
        views.plan_report,
        {"fmt": "xlsx"},
        name="plan_report_xlsx",
    ),
]
