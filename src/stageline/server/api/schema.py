"""The blueprint format's JSON Schema at a stable, public URL, for editors' YAML plugins.

A team points its files at `https://<server>/schema/stageline-1.json` (`stageline new
--schema URL` writes that first line) and every editor with the YAML language server
completes and checks blueprints against the schema of the Stageline it runs.
"""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Request, Response

from stageline.formats.schema import shipped_schema

router = APIRouter(tags=["format"])
SCHEMA_PATH = "/schema/stageline-1.json"


@router.get(
    SCHEMA_PATH,
    summary="The JSON Schema of blueprint files (format version 1)",
    response_class=Response,
    responses={200: {"content": {"application/schema+json": {}}}},
)
def blueprint_schema(request: Request) -> Response:
    text = shipped_schema()
    etag = '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(text, media_type="application/schema+json", headers=headers)
