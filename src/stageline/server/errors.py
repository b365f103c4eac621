"""Errors as people and programs should see them: JSON `{"error": {code, message,
details}}` under /api, a page elsewhere. Nothing a client sends should turn into
a 500."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from stageline.model.text import safe
from stageline.server.services.errors import RateLimited, ServiceError, Unauthorized

log = logging.getLogger("stageline.server")

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "stale_version",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or (
        request.url.path.startswith("/s/") and "json" in request.headers.get("accept", "")
    )


class SafeJSONResponse(JSONResponse):
    """JSON with everything beyond ASCII escaped: an error may quote what was
    sent, and a lone surrogate in it must not turn the answer into a 500."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def error_json(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": safe(message, 2000), "details": jsonable_encoder(details)}}
    return SafeJSONResponse(body, status_code=status, headers=headers)


def _headers(error: ServiceError) -> dict[str, str]:
    if isinstance(error, RateLimited):
        return {"Retry-After": str(error.retry_after)}
    if isinstance(error, Unauthorized):
        return {"WWW-Authenticate": 'Bearer realm="stageline"'}
    return {}


def error_page(
    request: Request, status: int, title: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    from stageline.server.pages.render import page

    context = {"title": title, "message": safe(message, 2000), "status": status}
    return page(request, "error.html", context, status=status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, error: ServiceError) -> Response:
        if wants_json(request):
            return error_json(error.status, error.code, error.message, error.details, _headers(error))
        if isinstance(error, Unauthorized):
            return RedirectResponse(f"/signin?next={request.url.path}", status_code=303)
        titles = {
            403: "Not allowed",
            404: "Not found",
            409: "Conflict",
            412: "Changed meanwhile",
            429: "Slow down",
            503: "Unavailable",
        }
        return error_page(
            request,
            error.status,
            titles.get(error.status, "Cannot do that"),
            error.message[:1].upper() + error.message[1:],
            _headers(error),
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        problems = [
            {"location": list(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", "")}
            for e in error.errors()
        ]
        first = problems[0] if problems else {"location": [], "message": "invalid request"}
        where = ".".join(str(part) for part in first["location"] if part != "body")
        message = f"{where}: {first['message']}" if where else str(first["message"])
        if wants_json(request):
            return error_json(422, "invalid", message, {"problems": problems})
        return error_page(request, 400, "Please check the form", message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        code = HTTP_CODES.get(error.status_code, "error")
        message = str(error.detail) if error.detail else code.replace("_", " ")
        if error.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        if wants_json(request):
            return error_json(error.status_code, code, message, None, dict(error.headers or {}))
        return error_page(
            request,
            error.status_code,
            "Not found" if error.status_code == 404 else "Cannot do that",
            message[:1].upper() + message[1:],
            dict(error.headers or {}),
        )


def unexpected_response(request: Request) -> Response:
    """The answer to a bug (see middleware.Unexpected, which keeps the connection)."""
    log.exception("unexpected error on %s %s", request.method, safe(request.url.path))
    message = "something went wrong on the server; the error is in the server log"
    if wants_json(request):
        return error_json(500, "internal", message)
    try:
        return error_page(request, 500, "Something went wrong", message[:1].upper() + message[1:])
    except Exception:  # the page itself failed: plain text still answers
        return PlainTextResponse("Something went wrong on the server.", status_code=500)
