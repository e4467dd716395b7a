from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from sigap.core import clock
from sigap.regions.selectors import deployment_village_word


def deployment(request: HttpRequest) -> dict[str, Any]:
    return {
        "deployment_name": settings.SIGAP_DEPLOYMENT_NAME,
        "deployment_region": settings.SIGAP_DEPLOYMENT_REGION,
        # 'kelurahan', 'desa' or 'desa/kelurahan', asked only by the pages that name them
        "village": SimpleLazyObject(deployment_village_word),
        # a demo on its story clock says so on every page: its dates are the story's, not today's
        "story_now": timezone.now() if clock.installed() else None,
    }
