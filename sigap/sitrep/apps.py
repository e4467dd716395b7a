from django.apps import AppConfig


class SitrepConfig(AppConfig):
    name = "sigap.sitrep"
