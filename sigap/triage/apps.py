from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "sigap.triage"

    def ready(self) -> None:
        from sigap.intake.services import on_report_received
        from sigap.triage.services import report_triage, triage_prepare

        on_report_received(prepare=triage_prepare, apply=report_triage)
