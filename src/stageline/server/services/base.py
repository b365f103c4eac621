"""What every service shares: who is asking, and the access checks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from stageline.server.db.models import BlueprintGrant, BlueprintRecord, Membership, User, Workspace
from stageline.server.services.access import REQUIRED, Action, Role, highest
from stageline.server.services.errors import Forbidden, NotFound

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,38}$")
USERNAME_HELP = "2–39 characters: lower-case letters, digits, '.', '-' and '_', starting with a letter or digit"


@dataclass(frozen=True)
class Actor:
    """The signed-in person a request acts for."""

    id: int
    username: str
    display_name: str
    is_admin: bool = False

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.username, user.display_name, user.is_admin)


def workspace_role(session: Session, user_id: int, workspace_id: int) -> Role | None:
    role = session.scalar(
        select(Membership.role).where(Membership.workspace_id == workspace_id, Membership.user_id == user_id)
    )
    return Role(role) if role else None


def blueprint_role(session: Session, user_id: int, record: BlueprintRecord) -> Role | None:
    grant = session.scalar(
        select(BlueprintGrant.role).where(BlueprintGrant.blueprint_id == record.id, BlueprintGrant.user_id == user_id)
    )
    return highest(workspace_role(session, user_id, record.workspace_id), Role(grant) if grant else None)


def _deny(role: Role, action: Action, what: str) -> Forbidden:
    needed = REQUIRED[action]
    return Forbidden(
        f"you are {'an' if role.value[0] in 'aeiou' else 'a'} {role.value} of this {what}; "
        f"to {action.value.replace('_', ' ')} you need to be {needed.value} or above",
        details={"role": role.value, "needed": needed.value},
    )


def require_workspace(session: Session, actor: Actor, workspace_id: int, action: Action) -> tuple[Workspace, Role]:
    """The workspace and the actor's role in it; 404 for non-members (a
    workspace's existence is private), 403 when the role is too low."""
    workspace = session.get(Workspace, workspace_id)
    role = workspace_role(session, actor.id, workspace_id) if workspace else None
    if workspace is None or role is None:
        raise NotFound(f"no workspace {workspace_id} that you are a member of")
    if not role.allows(REQUIRED[action]):
        raise _deny(role, action, "workspace")
    return workspace, role


def require_blueprint(
    session: Session,
    actor: Actor,
    blueprint_id: int,
    action: Action,
    *,
    trashed: bool = False,
    lock: bool = False,
) -> tuple[BlueprintRecord, Role]:
    """The blueprint row and the actor's role on it. Trashed blueprints are
    only reachable with `trashed=True` (restore, purge)."""
    query = select(BlueprintRecord).where(BlueprintRecord.id == blueprint_id)
    if lock and session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(of=BlueprintRecord)
    record = session.scalar(query)
    role = blueprint_role(session, actor.id, record) if record else None
    if record is None or role is None or (record.deleted_at is not None) != trashed:
        where = "in the trash" if trashed else "you can see"
        raise NotFound(f"no blueprint {blueprint_id} {where}")
    if not role.allows(REQUIRED[action]):
        raise _deny(role, action, "blueprint")
    return record, role
