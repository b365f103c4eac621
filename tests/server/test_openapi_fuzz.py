"""Schemathesis against the OpenAPI spec, in process, with a real token of an
owner, an editor and a viewer: whatever it sends, the API answers without a
server error, and errors are JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from helpers.server import build_world, fast_settings, token_for
from stageline.server import create_app

EXAMPLES_PER_OPERATION = 6


@pytest.mark.parametrize("role", ["owner", "editor", "viewer"])
def test_no_server_errors(tmp_path: Path, role: str) -> None:
    app = create_app(fast_settings(f"sqlite:///{tmp_path / 'fuzz.db'}"))
    world = build_world(app.state.services)
    auth = token_for(app, world.people[role])
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures: list[str] = []
    statuses: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def run(case: Any) -> None:
            response = case.call(headers=auth)
            statuses.append(response.status_code)
            where = f"{case.method} {case.formatted_path}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code} {response.text[:300]}")
            elif response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
                error = response.json().get("error", {})
                if not (error.get("code") and error.get("message")):
                    failures.append(f"{where}: error without code and message: {response.text[:300]}")

        run()
    app.state.services.db.dispose()
    assert failures == []
    assert len(statuses) > 3 * len(operations) and any(status < 300 for status in statuses)
