"""Pages and downloads that only read a blueprint draw from the version the
document cache shares with every reader (no copy per request): after any of
them, that shared version must still be exactly what its stored text says,
and the cache must still hold the same object (nothing replaced it)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from helpers.server import World, signed_in
from stageline.model.operations import SetProperty
from stageline.server.services.documents import parse

READS = [
    "/b/{id}",
    "/b/{id}/board",
    "/b/{id}/board?opportunity=mobile-key",
    "/b/{id}/present",
    "/b/{id}/download.svg",
    "/b/{id}/download.html",
    "/b/{id}/download.png",
    "/b/{id}/download.pdf",
    "/b/{id}/download.pptx",
    "/b/{id}/download.yaml",
]


@pytest.mark.parametrize("path", READS)
def test_a_read_leaves_the_shared_version_as_stored(
    client: TestClient, app: FastAPI, api_world: World, path: str
) -> None:
    services = app.state.services
    signed_in(client, app, api_world.owner)
    opened = services.blueprints.open(api_world.owner, api_world.blueprint_id)
    shared = opened.shared

    response = client.get(path.format(id=api_world.blueprint_id))

    assert response.status_code == 200, response.text[:300]
    again = services.blueprints.open(api_world.owner, api_world.blueprint_id)
    assert again.record.version == opened.record.version
    assert again.shared is shared  # the page read the cached version, not a version of its own
    assert shared.model_dump() == parse(opened.document).model_dump()


def test_an_edit_after_a_read_starts_from_the_stored_version(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    """A page read, then an edit: the edit applies to a copy, so the version read stays as it was."""
    services = app.state.services
    signed_in(client, app, api_world.owner)
    assert client.get(f"/b/{api_world.blueprint_id}").status_code == 200
    before = services.blueprints.open(api_world.owner, api_world.blueprint_id)
    title = before.shared.title
    services.blueprints.apply(api_world.blueprint_id, [SetProperty(field="title", value="Renamed")], api_world.owner)

    assert before.shared.title == title
    after = services.blueprints.open(api_world.owner, api_world.blueprint_id)
    assert after.shared.title == "Renamed"
    assert client.get(f"/b/{api_world.blueprint_id}").text.count("Renamed") >= 1
