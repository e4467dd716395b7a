"""The `sigap` console command: manage.py under a friendlier name (`sigap regions load 35.75`)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reading it loads the settings, which check the environment
    except ImproperlyConfigured as exc:
        # An operator's missing or wrong variable is a sentence, not a traceback (Django would first say the
        # command is unknown, then show the settings module's stack).
        sys.stderr.write(f"sigap: {exc}\n")
        if "must be set" in str(exc):
            sys.stderr.write("Beside the demo of `make run`: . scripts/demo-env.sh, then run sigap again.\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
