"""Check-then-update races, on SQLite and PostgreSQL, many clients at once and
repeatedly: a single-use invitation lets exactly one person in; owners
demoting or removing each other at once never leave a workspace without an
owner; and an instance admin can recover a workspace that lost its owners."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from helpers.server import PASSWORD, World, token_for
from stageline.server.db.models import Membership
from stageline.server.services import Services
from stageline.server.services.access import Role
from stageline.server.services.base import Actor
from stageline.server.services.errors import ServiceError

ATTEMPTS = 3
PEOPLE = 8


def all_at_once(tasks: list[Callable[[], Any]]) -> list[Any]:
    """Run the tasks in threads released together; each one's result or the ServiceError it raised."""
    barrier = threading.Barrier(len(tasks))
    results: list[Any] = [None] * len(tasks)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = tasks[index]()
        except ServiceError as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(tasks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
        assert not thread.is_alive()
    return results


def owners(services: Services, workspace_id: int) -> int:
    with services.db.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Membership)
                .where(Membership.workspace_id == workspace_id, Membership.role == Role.OWNER.value)
            )
            or 0
        )


def test_a_single_use_invitation_lets_exactly_one_in(services: Services, world: World) -> None:
    people = [Actor.of(services.accounts.create_user(f"guest{n}", f"Guest {n}", PASSWORD)) for n in range(PEOPLE)]
    for attempt in range(ATTEMPTS):
        invitation = services.workspaces.invite(world.owner, world.workspace_id, Role.EDITOR)
        before = len(services.workspaces.members(world.owner, world.workspace_id))
        results = all_at_once(
            [lambda p=person, t=invitation.token: services.workspaces.accept(p, t) for person in people]
        )
        joined = [result for result in results if not isinstance(result, ServiceError)]
        assert len(joined) == 1, f"attempt {attempt}: {len(joined)} joined"
        assert len(services.workspaces.members(world.owner, world.workspace_id)) == before + 1
        for person in people:  # leave again for the next attempt
            if any(m.user_id == person.id for m in services.workspaces.members(world.owner, world.workspace_id)):
                services.workspaces.remove(person, world.workspace_id, person.username)


def test_owners_demoting_each_other_at_once_keep_an_owner(services: Services, world: World) -> None:
    second = world.people["editor"]
    for attempt in range(ATTEMPTS * 2):
        services.workspaces.set_role(world.owner, world.workspace_id, second.username, Role.OWNER)
        assert owners(services, world.workspace_id) == 2
        if attempt % 2:
            tasks = [
                lambda: services.workspaces.remove(world.owner, world.workspace_id, second.username),
                lambda: services.workspaces.remove(second, world.workspace_id, world.owner.username),
            ]
        else:
            tasks = [
                lambda: services.workspaces.set_role(world.owner, world.workspace_id, second.username, Role.EDITOR),
                lambda: services.workspaces.set_role(second, world.workspace_id, world.owner.username, Role.EDITOR),
            ]
        results = all_at_once(tasks)
        assert owners(services, world.workspace_id) == 1, f"attempt {attempt}: {results}"
        assert sum(isinstance(result, ServiceError) for result in results) == 1
        reset(services, world)


def reset(services: Services, world: World) -> None:
    """Back to the world's memberships: the owner owns, the editor edits."""
    with services.db.write() as session:
        for actor, role in ((world.owner, Role.OWNER), (world.people["editor"], Role.EDITOR)):
            membership = session.get(Membership, (world.workspace_id, actor.id))
            if membership is None:
                session.add(Membership(workspace_id=world.workspace_id, user_id=actor.id, role=role.value))
            else:
                membership.role = role.value


def test_an_instance_admin_recovers_a_workspace_without_owners(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    services = app.state.services
    with services.db.write() as session:  # as a race before this fix could leave it
        session.execute(
            update(Membership).where(Membership.workspace_id == api_world.workspace_id).values(role="editor")
        )
    admin = services.accounts.by_username("admin")
    assert admin is not None and admin.is_admin
    admin_auth = token_for(app, Actor.of(admin))
    listed = client.get("/api/admin/workspaces", headers=admin_auth)
    assert listed.status_code == 200
    assert {w["id"]: w["owners"] for w in listed.json()}[api_world.workspace_id] == 0
    editor_auth = token_for(app, api_world.people["editor"])
    refused = client.post(
        f"/api/admin/workspaces/{api_world.workspace_id}/owners", json={"username": "editor"}, headers=editor_auth
    )
    assert refused.status_code == 403
    assert client.get("/api/admin/workspaces", headers=editor_auth).status_code == 403
    recovered = client.post(
        f"/api/admin/workspaces/{api_world.workspace_id}/owners", json={"username": "owner"}, headers=admin_auth
    )
    assert recovered.status_code == 200, recovered.text
    assert recovered.json()["role"] == "owner"
    assert owners(services, api_world.workspace_id) == 1
    invited = client.post(
        f"/api/workspaces/{api_world.workspace_id}/invitations",
        json={"role": "viewer"},
        headers=token_for(app, api_world.owner),
    )
    assert invited.status_code == 201  # the owner manages the workspace again
