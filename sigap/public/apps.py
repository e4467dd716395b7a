from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "sigap.public"

    def ready(self) -> None:
        from sigap.notify.services import overtaken_by
        from sigap.public.services import message_overtaken

        overtaken_by(message_overtaken)
