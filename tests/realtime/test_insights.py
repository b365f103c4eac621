"""/api/blueprints/{id}/insights: findings and metrics of the document an editor shows."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

import stageline
from helpers.blueprints import small_blueprint
from helpers.live import large_blueprint
from helpers.server import World, token_for
from stageline.model import Blueprint
from stageline.server.realtime.checkpoints import HELPER_FROM
from stageline.server.realtime.protocol import wire_json


def _post(client: TestClient, app: FastAPI, world: World, document: dict[str, Any], role: str = "viewer") -> Any:
    return client.post(
        f"/api/blueprints/{world.blueprint_id}/insights",
        json={"document": document},
        headers=token_for(app, world.people[role]),
    )


def test_findings_and_the_metrics_the_panel_draws(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    document = json.loads(wire_json(small_blueprint()))
    response = _post(live_client, live_app, live_world, document)
    assert response.status_code == 200, response.text
    body = response.json()
    assert any(f["rule"] == "SL705" and f["card"] == "check-in.customer" for f in body["findings"])
    metrics = body["metrics"]
    assert set(metrics) == {"totals", "stages", "emotion_curve", "workload", "bottleneck", "fail_points"}
    assert metrics == {
        key: value
        for key, value in stageline.metrics(small_blueprint()).model_dump(mode="json").items()
        if key in metrics
    }
    assert [p["emotion"] for p in metrics["emotion_curve"]] == [-1, 1]
    assert metrics["fail_points"][0]["card"] == "registration" and metrics["fail_points"][0]["risk"] == 8


def test_a_large_document_is_analysed_in_the_helper(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    blueprint = large_blueprint()
    document = json.loads(wire_json(blueprint))
    assert len(wire_json(blueprint)) >= HELPER_FROM
    hub = live_app.state.hub
    assert hub.serialise.helper_pids == []
    body = _post(live_client, live_app, live_world, document).json()
    assert hub.serialise.helper_pids != []
    assert body["findings"] == [finding.to_json() for finding in stageline.check(Blueprint.model_validate(document))]
    assert body["metrics"]["totals"]["cards"] == 400


def test_a_broken_document_is_refused_with_where(live_app: FastAPI, live_client: TestClient, live_world: World) -> None:
    document = json.loads(wire_json(small_blueprint()))
    document["stages"][0]["steps"][0]["cells"]["customer"][0]["emotion"] = 7
    response = _post(live_client, live_app, live_world, document)
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("stages.0.steps.0.cells.customer.0.emotion:")
    outsider = _post(live_client, live_app, live_world, json.loads(wire_json(small_blueprint())), role="outsider")
    assert outsider.status_code == 404
