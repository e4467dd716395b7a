from django.urls import path

from sigap.triage import views

app_name = "triage"
urlpatterns = [
    path("kejadian/", views.incident_list, name="incident_list"),
    path("kejadian/bukan-konflik/", views.incidents_set_aside_view, name="incidents_set_aside"),
    path("kejadian/unduh.<str:fmt>", views.incident_export, name="incident_export"),
    path("kejadian/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("kejadian/<int:pk>/putuskan/", views.incident_decide, name="incident_decide"),
    path("kejadian/<int:pk>/periksa/", views.incident_claim_view, name="incident_claim"),
    path("kejadian/<int:pk>/triase/", views.incident_retriage, name="incident_retriage"),
    path("kejadian/<int:pk>/buka-kembali/", views.incident_reopen_view, name="incident_reopen"),
    path("kejadian/<int:pk>/kata-pelapor/<int:answer_pk>/", views.resolution_uphold_view, name="resolution_uphold"),
    path("kejadian/<int:pk>/fakta/", views.incident_facts, name="incident_facts"),
    path("kejadian/<int:pk>/lapangan/", views.incident_field_note_view, name="incident_field_note"),
    path("kejadian/<int:pk>/dokumen/", views.incident_document_add_view, name="incident_document_add"),
    path("kejadian/<int:pk>/hapus-dokumen/", views.incident_document_remove_view, name="incident_document_remove"),
    path("kejadian/<int:pk>/tindak-lanjut/", views.incident_follow_up_view, name="incident_follow_up"),
    path("kejadian/<int:pk>/cek-lapangan/", views.incident_field_check, name="incident_field_check"),
    path("kejadian/<int:pk>/gabung/", views.incident_merge_into, name="incident_merge"),
    path("kejadian/<int:pk>/laporan/<int:report_pk>/pisah/", views.report_split_out, name="report_split"),
    path("kejadian/<int:pk>/laporan/<int:report_pk>/identitas/", views.report_reveal, name="report_reveal"),
    path("kejadian/<int:pk>/laporan/<int:report_pk>/balas/", views.report_reply, name="report_reply"),
    path("lampiran/<int:pk>/", views.attachment_file, name="attachment"),
    path("laporan/belum-ditempatkan/", views.reports_unplaced, name="reports_unplaced"),
    path("laporan/pesan/", views.reporter_messages, name="reporter_messages"),
]
