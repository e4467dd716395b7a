from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "sigap.triage"

    def ready(self) -> None:
        from sigap.intake.services import on_report_received
        from sigap.triage.services import report_triage

        on_report_received(report_triage)
