from django.urls import path

from sigap.intake import views

app_name = "intake"
urlpatterns = [
    path("lapor/", views.report_new, name="report_new"),
    path("lapor/terkirim/", views.report_done, name="report_done"),
    path("lapor/terpercaya/", views.trusted_report_new, name="trusted_report_new"),
    path("laporan/cek/", views.receipt_check, name="receipt_check"),
    path("laporan/status/", views.receipt_status, name="receipt_status"),
    path("laporan/status/penyelesaian/", views.resolution_answer, name="resolution_answer"),
    path("laporan/kirim-ulang/", views.receipt_resend, name="receipt_resend"),
    path("laporan/saya/<int:pk>/", views.my_report, name="my_report"),
    path("laporan/nihil/", views.nil_report, name="nil_report"),
    path("cek-lapangan/<int:pk>/", views.field_check_reply, name="field_check_reply"),
    path("laporan/pantauan/", views.monitor_check, name="monitor_check"),
    path("identitas-pelapor/", views.identity_requests, name="identity_requests"),
    path("laporan/impor/", views.report_import, name="report_import"),
]
