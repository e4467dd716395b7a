"""WSGI entry point (served by granian; see stack.md for why WSGI and not ASGI)."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Load the text model as each web process starts, not on its first report (about a second that a reporter
    would otherwise wait). Without a model, triage runs on rules; a damaged one is logged here and again when used."""
    from django.conf import settings

    from sigap.triage import textmodel

    path = settings.SIGAP_TEXT_MODEL_PATH
    try:
        textmodel.load(path)
    except Exception:
        logging.getLogger(__name__).exception("The text model at %s could not be loaded", path)


_warm_up()
