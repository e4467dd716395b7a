"""The JSON API under /api/v1/: one NinjaAPI that mounts each app's router."""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from sigap.alerts.api import router as alerts_router
from sigap.intake.api import router as intake_router
from sigap.public.api import router as public_router
from sigap.regions.api import router as regions_router
from sigap.risk.api import router as risk_router

logger = logging.getLogger("sigap.api")

ERROR_RESPONSE = {
    "description": "Refused: `detail` says why, in Bahasa Indonesia and English (422 adds `errors`)",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}, "errors": {"type": "array"}},
                "required": ["detail"],
            }
        }
    },
}


class SigapAPI(NinjaAPI):
    """Every operation can refuse a request (bad input, unknown region, not signed in, too many requests) and
    always does so with the same JSON shape; the schema says so once for all, as a 4XX response."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault("4XX", ERROR_RESPONSE)
        return schema


api = SigapAPI(
    title="Sigap API",
    version="1",
    description="Early warning and response for a Tim Terpadu Penanganan Konflik Sosial. "
    "Errors are JSON with a human-readable `detail` in Bahasa Indonesia and English.",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.get("/ping", tags=["health"], summary="Liveness: answers without touching the database")
def ping(request: HttpRequest) -> dict[str, bool]:
    return {"ok": True}


api.add_router("/", regions_router)
api.add_router("/", intake_router)
api.add_router("/", risk_router)
api.add_router("/", alerts_router)
api.add_router("/", public_router)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Data tidak valid / invalid input", "errors": exc.errors},
        status=422,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if exc.status_code == 400 and detail == "Cannot parse request body":
        detail = "Isi permintaan bukan JSON yang sah / the request body is not valid JSON"
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """API clients get JSON, never an HTML page or a traceback; the traceback goes to the log."""
    if settings.DEBUG:
        raise exc
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(
        request, {"detail": "Kesalahan internal; sudah dicatat / internal error; logged"}, status=500
    )


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": "Permintaan terlalu besar / request body too large"}, status=413)
