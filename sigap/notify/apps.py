from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "sigap.notify"

    def ready(self) -> None:
        from sigap.alerts.services import on_alert_changed
        from sigap.notify.services import alert_changed

        on_alert_changed(alert_changed)
