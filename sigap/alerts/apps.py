from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "sigap.alerts"

    def ready(self) -> None:
        from sigap.alerts.services import alerts_evaluate, incident_changed
        from sigap.risk.services import on_risk_assessed
        from sigap.triage.services import on_incident_changed

        on_risk_assessed(alerts_evaluate)
        on_incident_changed(incident_changed)
