from django.urls import path

from sigap.mediation import views

app_name = "mediation"
urlpatterns = [
    path("mediasi/", views.mediation_list, name="list"),
    path("mediasi/forum/", views.forum_list, name="forums"),
    path("mediasi/forum/<int:pk>/", views.forum_edit, name="forum_edit"),
    path("mediasi/baru/", views.mediation_new, name="new"),
    path("mediasi/satgas/", views.taskforce_list, name="taskforces"),
    path("mediasi/satgas/<int:pk>/", views.taskforce_detail, name="taskforce_detail"),
    path("mediasi/satgas/<int:pk>/<slug:action>/", views.taskforce_act, name="taskforce_act"),
    path("mediasi/<int:pk>/", views.mediation_detail, name="detail"),
    path("mediasi/<int:pk>/kesepakatan.pdf", views.agreement_paper_view, name="agreement_paper"),
    path("mediasi/<int:pk>/kesepakatan/draf.pdf", views.agreement_draft, name="agreement_draft"),
    path("mediasi/<int:pk>/<slug:action>/", views.mediation_act, name="act"),
]
