from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "sigap.public"
