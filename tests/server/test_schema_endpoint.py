"""The blueprint schema at a stable public URL (docs/editors.md)."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from stageline.formats.schema import shipped_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "editors.md"


def test_the_web_app_serves_the_schema_at_a_stable_url(app: FastAPI) -> None:
    client = TestClient(app)
    response = client.get("/schema/stageline-1.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/schema+json")
    assert response.json() == json.loads(shipped_schema())
    again = client.get("/schema/stageline-1.json", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    assert "/schema/stageline-1.json" in DOC.read_text(encoding="utf-8")
