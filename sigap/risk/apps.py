from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "sigap.risk"

    def ready(self) -> None:
        from sigap.intake.services import on_monitor_check
        from sigap.notify.services import every_minute
        from sigap.risk.services import incident_changed, level_floor_reminders_due, monitor_check_changed
        from sigap.triage.services import on_incident_changed

        on_incident_changed(incident_changed)
        every_minute(level_floor_reminders_due)
        on_monitor_check(monitor_check_changed)
