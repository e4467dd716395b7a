from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "sigap.notify"

    def ready(self) -> None:
        from sigap.alerts.services import on_alert_changed
        from sigap.notify.duty import duty_digest, duty_message_overtaken, shifts_ending, shifts_starting
        from sigap.notify.services import alert_changed, digest_section, every_minute, overtaken_by

        on_alert_changed(alert_changed)
        every_minute(shifts_starting)
        every_minute(shifts_ending)
        digest_section(duty_digest)
        overtaken_by(duty_message_overtaken)
