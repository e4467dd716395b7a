from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "sigap.risk"

    def ready(self) -> None:
        from sigap.risk.services import incident_changed
        from sigap.triage.services import on_incident_changed

        on_incident_changed(incident_changed)
