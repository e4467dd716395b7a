from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sigap.core"

    def ready(self) -> None:
        from sigap.core import lookups

        lookups.register()
