from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "sigap.actors"

    def ready(self) -> None:
        from sigap.actors.services import incident_changed
        from sigap.triage.services import on_incident_changed, on_incident_words

        on_incident_changed(incident_changed)
        on_incident_words(incident_changed)
