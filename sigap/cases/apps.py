from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sigap.cases"

    def ready(self) -> None:
        from sigap.cases.services import deadlines_due, incident_changed, message_overtaken, status_duties_due
        from sigap.notify.services import every_minute, overtaken_by
        from sigap.triage.services import on_incident_changed

        on_incident_changed(incident_changed)
        every_minute(deadlines_due)
        every_minute(status_duties_due)
        overtaken_by(message_overtaken)
