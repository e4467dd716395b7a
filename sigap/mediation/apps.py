from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "sigap.mediation"

    def ready(self) -> None:
        from sigap.mediation import taskforce
        from sigap.mediation.services import commitments_due, incident_changed, message_overtaken, sessions_soon
        from sigap.notify.services import every_minute, overtaken_by
        from sigap.triage.services import on_incident_changed

        on_incident_changed(incident_changed)
        every_minute(commitments_due)
        every_minute(sessions_soon)
        overtaken_by(message_overtaken)
        every_minute(taskforce.taskforce_reports_due)
        overtaken_by(taskforce.message_overtaken)
