"""The domain layer on both databases: roles, edits, history, comments, sharing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from helpers.server import PASSWORD, World
from stageline.model import parse_operation
from stageline.model.elements import Card
from stageline.model.operations import AddCard, RemoveCard, SetProperty
from stageline.server.db.models import utcnow
from stageline.server.services.access import Role
from stageline.server.services.errors import Conflict, Forbidden, Invalid, NotFound, PreconditionFailed, RateLimited


def test_first_person_becomes_admin_only_once(services) -> None:
    assert services.accounts.needs_setup()
    admin = services.accounts.setup_admin("Ada", "Ada Lovelace", PASSWORD, "Research")
    assert admin.is_admin and admin.username == "ada"
    assert not services.accounts.needs_setup()
    with pytest.raises(Conflict):
        services.accounts.setup_admin("eve", "Eve", PASSWORD, "Evil")


def test_sign_in_checks_password_and_rate_limits(services, world: World) -> None:
    assert services.accounts.authenticate("editor", PASSWORD, "10.0.0.1").username == "editor"
    for _ in range(5):
        with pytest.raises(Exception, match="wrong username or password"):
            services.accounts.authenticate("editor", "wrong password!", "10.0.0.1")
    with pytest.raises(RateLimited) as limited:
        services.accounts.authenticate("editor", PASSWORD, "10.0.0.2")  # per account, whatever the address
    assert limited.value.retry_after > 0


def test_sessions_and_tokens_are_revocable(services, world: World) -> None:
    user = services.accounts.user(world.owner.id)
    started = services.accounts.start_session(user)
    assert services.accounts.session(started.token).user_id == user.id
    services.accounts.end_session(started.token)
    assert services.accounts.session(started.token) is None
    new = services.accounts.create_token(world.owner, "CI")
    assert new.token.startswith("sl_") and new.record.token_hash != new.token
    assert services.accounts.user_for_token(new.token).id == user.id
    services.accounts.revoke_token(world.owner, new.record.id)
    assert services.accounts.user_for_token(new.token) is None


def test_apply_writes_a_version_and_a_gap_free_log(services, world: World) -> None:
    blueprints = services.blueprints
    card = Card(id="greet", text="Greet the guest")
    change = blueprints.apply(
        world.blueprint_id,
        [AddCard(step="check-in", lane="frontstage", card=card)],
        world.people["editor"],
        expected_version=1,
    )
    assert (change.version, change.seq) == (2, 2)
    assert change.summary == "Added card 'Greet the guest' to check-in / Frontstage actions"
    second = blueprints.apply(world.blueprint_id, [RemoveCard(id="greet")], world.owner)
    assert (second.version, second.seq) == (3, 3)
    log = blueprints.operations_since(world.owner, world.blueprint_id, 1)
    assert [row.seq for row in log] == [2, 3]
    assert parse_operation(json.loads(log[0].ops)[0]) == AddCard(step="check-in", lane="frontstage", card=card)
    assert [v.number for v in blueprints.versions(world.owner, world.blueprint_id)] == [3, 2, 1]


def test_apply_is_atomic_and_checks_the_version(services, world: World) -> None:
    blueprints = services.blueprints
    ops = [SetProperty(field="scenario", value="Changed"), RemoveCard(id="no-such-card")]
    with pytest.raises(Invalid, match="no card has id 'no-such-card'"):
        blueprints.apply(world.blueprint_id, ops, world.owner)
    opened = blueprints.open(world.owner, world.blueprint_id)
    assert opened.record.version == 1 and opened.blueprint.scenario == "Business traveller, one night"
    with pytest.raises(PreconditionFailed):
        blueprints.apply(world.blueprint_id, [SetProperty(field="scenario", value="x")], world.owner, 7)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("owner", True), ("editor", True), ("commenter", False), ("viewer", False), ("outsider", False)],
)
def test_only_editors_and_owners_edit(services, world: World, who: str, allowed: bool) -> None:
    op = [SetProperty(field="scenario", value="New")]
    if allowed:
        assert services.blueprints.apply(world.blueprint_id, op, world.people[who]).version == 2
    else:
        with pytest.raises(NotFound if who == "outsider" else Forbidden):
            services.blueprints.apply(world.blueprint_id, op, world.people[who])


def test_a_grant_raises_a_role_or_lets_an_outsider_in(services, world: World) -> None:
    sharing, blueprints = services.sharing, services.blueprints
    sharing.grant(world.owner, world.blueprint_id, "viewer", Role.EDITOR)
    blueprints.apply(world.blueprint_id, [SetProperty(field="goal", value="Fast")], world.people["viewer"])
    with pytest.raises(Invalid, match="nobody in your workspaces"):  # a stranger to the owner
        sharing.grant(world.owner, world.blueprint_id, "outsider", Role.COMMENTER)
    side = services.workspaces.create(world.owner, "Side project")
    invitation = services.workspaces.invite(world.owner, side.id, Role.VIEWER)
    services.workspaces.accept(world.people["outsider"], invitation.token)
    sharing.grant(world.owner, world.blueprint_id, "outsider", Role.COMMENTER)
    assert blueprints.role(world.people["outsider"], world.blueprint_id) == Role.COMMENTER
    assert [item.record.id for item in blueprints.shared_with(world.people["outsider"])] == [world.blueprint_id]
    sharing.revoke_grant(world.owner, world.blueprint_id, "outsider")
    with pytest.raises(NotFound):
        blueprints.role(world.people["outsider"], world.blueprint_id)


def test_search_finds_card_text_and_ignores_like_wildcards(services, world: World) -> None:
    blueprints = services.blueprints
    blueprints.create_blank(world.owner, world.workspace_id, "Dental visit", "Check-up 100% covered")
    found = blueprints.listing(world.people["viewer"], world.workspace_id, "bellhop")
    assert [item.record.title for item in found] == ["Overnight hotel stay"]
    assert [item.record.title for item in blueprints.listing(world.owner, world.workspace_id, "100%")] == [
        "Dental visit"
    ]
    assert blueprints.listing(world.owner, world.workspace_id, "_") == []


def test_restore_and_name_versions(services, world: World) -> None:
    blueprints = services.blueprints
    blueprints.rename(world.owner, world.blueprint_id, "Hotel stay, future state")
    change = blueprints.restore_version(world.owner, world.blueprint_id, 1)
    assert change.version == 3 and change.summary == "Restored version 1"
    assert blueprints.open(world.owner, world.blueprint_id).record.title == "Overnight hotel stay"
    named = blueprints.name_version(world.owner, world.blueprint_id, 2, "Current state, March")
    assert named.name == "Current state, March"
    with pytest.raises(Forbidden):
        blueprints.name_version(world.people["commenter"], world.blueprint_id, 2, "nope")


def test_trash_restore_and_purge_after_thirty_days(services, world: World) -> None:
    blueprints = services.blueprints
    blueprints.move_to_trash(world.people["editor"], world.blueprint_id)
    with pytest.raises(NotFound):
        blueprints.open(world.owner, world.blueprint_id)
    assert [i.record.id for i in blueprints.listing(world.owner, world.workspace_id, trashed=True)] == [
        world.blueprint_id
    ]
    blueprints.restore_from_trash(world.people["editor"], world.blueprint_id)
    blueprints.move_to_trash(world.owner, world.blueprint_id)
    assert blueprints.purge_expired(utcnow() + timedelta(days=29)) == 0
    assert blueprints.purge_expired(utcnow() + timedelta(days=31)) == 1
    with pytest.raises(NotFound):
        blueprints.restore_from_trash(world.owner, world.blueprint_id)


def test_comments_mentions_resolve_and_detach(services, world: World) -> None:
    comments = services.comments
    thread = comments.start(
        world.people["commenter"], world.blueprint_id, "registration", "@Editor can we shorten this? cc @nobody"
    )
    assert thread.anchor_kind == "card"
    comments.reply(world.people["editor"], world.blueprint_id, thread.id, "Yes, @commenter.")
    mentions = comments.mentions_of(world.people["editor"])
    assert [m.comment.body for m in mentions] == ["@Editor can we shorten this? cc @nobody"]
    assert comments.mentions_of(world.people["commenter"])[0].blueprint.id == world.blueprint_id
    comments.set_resolved(world.people["commenter"], world.blueprint_id, thread.id, True)
    with pytest.raises(Forbidden):
        comments.start(world.people["viewer"], world.blueprint_id, "registration", "hi")
    services.blueprints.apply(world.blueprint_id, [RemoveCard(id="registration")], world.owner)
    (view,) = comments.threads(world.people["viewer"], world.blueprint_id)
    assert view.detached and view.thread.resolved_at is not None and len(view.thread.comments) == 2


def test_share_links_open_until_revoked(services, world: World) -> None:
    link = services.sharing.create_link(world.owner, world.blueprint_id)
    assert services.sharing.open_link(link.token).blueprint.title == "Overnight hotel stay"
    assert link.record.token_hash != link.token and link.token.startswith(link.record.prefix)  # stored hashed
    with services.db.read() as session:  # the token itself is nowhere in the database
        rows = session.execute(text("select * from share_links")).all()
        assert not any(link.token in str(value) for row in rows for value in row)
    with pytest.raises(Forbidden):
        services.sharing.create_link(world.people["editor"], world.blueprint_id)
    services.sharing.revoke_link(world.owner, world.blueprint_id, link.record.id)
    with pytest.raises(NotFound):
        services.sharing.open_link(link.token)


def test_workspace_keeps_an_owner_and_invitations_are_single_use(services, world: World) -> None:
    workspaces = services.workspaces
    with pytest.raises(Conflict):
        workspaces.set_role(world.owner, world.workspace_id, "owner", Role.EDITOR)
    invitation = workspaces.invite(world.owner, world.workspace_id, Role.EDITOR)
    workspaces.accept(world.people["outsider"], invitation.token)
    with pytest.raises(NotFound):
        workspaces.accept(world.people["outsider"], invitation.token)
    with pytest.raises(Forbidden):
        workspaces.invite(world.people["editor"], world.workspace_id, Role.OWNER)
