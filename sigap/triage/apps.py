from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "sigap.triage"
