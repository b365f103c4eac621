"""Blueprint documents over HTTP: YAML (`application/yaml`) or the same shape as JSON."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request, Response

from stageline.model import Blueprint
from stageline.server.services.documents import document_data, parse
from stageline.server.services.errors import Invalid

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")
YAML_MEDIA = "application/yaml"


def is_yaml(content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media in YAML_TYPES


def wants_yaml(request: Request) -> bool:
    if request.query_params.get("format") == "yaml":
        return True
    accept = request.headers.get("accept", "")
    return any(kind in accept for kind in YAML_TYPES[:4]) and "application/json" not in accept


async def raw_text(request: Request) -> str:
    body = await request.body()
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid("the request body is not UTF-8 text", code="bad_encoding") from None


async def json_body(request: Request) -> Any:
    body = await request.body()
    try:
        return json.loads(body or b"null")
    except (UnicodeDecodeError, ValueError) as error:
        raise Invalid(f"the request body is not valid JSON: {error}", code="bad_json") from None
    except RecursionError:
        raise Invalid("the request body nests too deeply", code="bad_json") from None


def document_json(text: str) -> dict[str, Any]:
    """A stored YAML document as JSON-ready data (same shape as the file)."""
    return document_data(text)


def with_document(body: dict[str, Any], document_json_text: str) -> Response:
    """`body` as JSON with its `document` written from a cached JSON text (nothing parsed or copied)."""
    head = {key: value for key, value in body.items() if key != "document"}
    text = json.dumps(head, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
    return Response(f'{text[:-1]},"document":{document_json_text}}}', media_type="application/json")


def from_json_document(document: Any, source: str = "request") -> Blueprint:
    if not isinstance(document, dict):
        raise Invalid("'document' must be an object: the blueprint as JSON, same shape as the YAML file")
    # JSON is YAML: one loader, one set of messages.
    return parse(json.dumps(document, indent=1), source=source)


YAML_OR_JSON_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            YAML_MEDIA: {"schema": {"type": "string", "description": "A blueprint file (YAML)."}},
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"document": {"type": "object", "description": "The blueprint as JSON."}},
                    "required": ["document"],
                }
            },
        },
    }
}
