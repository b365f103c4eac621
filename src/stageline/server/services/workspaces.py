"""Workspaces, their members and invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from stageline.server.db import Database
from stageline.server.db.models import Invitation, Membership, User, Workspace, utcnow
from stageline.server.security.tokens import digest, new_token
from stageline.server.services.access import Action, Role
from stageline.server.services.base import Actor, require_workspace, workspace_role
from stageline.server.services.errors import Conflict, Forbidden, Invalid, NotFound
from stageline.server.services.slugs import unique_slug

MAX_INVITATION_DAYS = 90


@dataclass(frozen=True)
class Membered:
    workspace: Workspace
    role: Role


@dataclass(frozen=True)
class NewInvitation:
    token: str  # goes into the link; only its hash is stored
    record: Invitation


def _clean_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise Invalid("a workspace name has 1–100 characters", details={"field": "name"})
    return name


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise Invalid(
            f"{value!r} is not a role; use one of: {', '.join(r.value for r in Role)}", details={"field": "role"}
        ) from None


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("only an instance admin can do this")


def lock_workspace(session: Session, workspace_id: int) -> None:
    """Take the workspace's row lock (PostgreSQL) so that changes to its members
    happen one after another: two owners demoting each other at once cannot both
    count the other as the remaining owner. SQLite writers are one at a time anyway."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        session.execute(select(Workspace.id).where(Workspace.id == workspace_id).with_for_update())


def _open() -> tuple[ColumnElement[bool], ...]:
    """An invitation neither revoked nor expired."""
    return Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow()


def use_invitation(session: Session, invitation_id: int) -> bool:
    """Count one use of the invitation if it can still be used, in one conditional
    update: of many people accepting a single-use invitation at once, one gets in."""
    result = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id, *_open(), or_(Invitation.single_use.is_(False), Invitation.uses == 0))
        .values(uses=Invitation.uses + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


class Workspaces:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, actor: Actor, name: str) -> Workspace:
        title = _clean_name(name)
        with self.db.write() as session:
            workspace = Workspace(slug=unique_slug(session, title), name=title)
            session.add(workspace)
            session.flush()
            session.add(Membership(workspace_id=workspace.id, user_id=actor.id, role=Role.OWNER.value))
        return workspace

    def of(self, actor: Actor) -> list[Membered]:
        with self.db.read() as session:
            rows = session.execute(
                select(Workspace, Membership.role)
                .join(Membership)
                .where(Membership.user_id == actor.id)
                .order_by(Workspace.name, Workspace.id)
            ).all()
        return [Membered(workspace, Role(role)) for workspace, role in rows]

    def get(self, actor: Actor, workspace_id: int) -> Membered:
        with self.db.read() as session:
            workspace, role = require_workspace(session, actor, workspace_id, Action.VIEW)
        return Membered(workspace, role)

    def by_slug(self, actor: Actor, slug: str) -> Membered:
        with self.db.read() as session:
            workspace_id = session.scalar(select(Workspace.id).where(Workspace.slug == slug))
        if workspace_id is None:
            raise NotFound(f"no workspace {slug!r} that you are a member of")
        return self.get(actor, workspace_id)

    def rename(self, actor: Actor, workspace_id: int, name: str) -> Workspace:
        title = _clean_name(name)
        with self.db.write() as session:
            workspace, _ = require_workspace(session, actor, workspace_id, Action.RENAME_WORKSPACE)
            workspace.name = title
        return workspace

    # -- members ---------------------------------------------------------------
    def members(self, actor: Actor, workspace_id: int) -> list[Membership]:
        with self.db.read() as session:
            require_workspace(session, actor, workspace_id, Action.VIEW)
            return list(
                session.scalars(
                    select(Membership).join(User).where(Membership.workspace_id == workspace_id).order_by(User.username)
                )
            )

    def set_role(self, actor: Actor, workspace_id: int, username: str, role: Role) -> Membership:
        with self.db.write() as session:
            lock_workspace(session, workspace_id)
            require_workspace(session, actor, workspace_id, Action.MANAGE_MEMBERS)
            membership = self._membership(session, workspace_id, username)
            if membership.role == Role.OWNER.value and role != Role.OWNER:
                self._keep_an_owner(session, workspace_id)
            membership.role = role.value
        return membership

    def remove(self, actor: Actor, workspace_id: int, username: str) -> None:
        with self.db.write() as session:
            # Anyone may leave; removing someone else takes an owner.
            leaving = username.strip().lower() == actor.username
            lock_workspace(session, workspace_id)
            require_workspace(session, actor, workspace_id, Action.VIEW if leaving else Action.MANAGE_MEMBERS)
            membership = self._membership(session, workspace_id, username)
            if membership.role == Role.OWNER.value:
                self._keep_an_owner(session, workspace_id)
            session.delete(membership)

    def _membership(self, session: Session, workspace_id: int, username: str) -> Membership:
        membership = session.scalar(
            select(Membership)
            .join(User)
            .where(Membership.workspace_id == workspace_id, User.username == username.strip().lower())
        )
        if membership is None:
            raise NotFound(f"{username!r} is not a member of this workspace")
        return membership

    def _keep_an_owner(self, session: Session, workspace_id: int) -> None:
        owners = session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.workspace_id == workspace_id, Membership.role == Role.OWNER.value)
        )
        if (owners or 0) <= 1:
            raise Conflict("a workspace needs at least one owner; make someone else an owner first")

    # -- an instance admin's recovery ----------------------------------------------
    def all_with_owners(self, actor: Actor) -> list[tuple[Workspace, int]]:
        """Every workspace and how many owners it has (instance admins only)."""
        require_admin(actor)
        owners = (
            select(Membership.workspace_id, func.count().label("owners"))
            .where(Membership.role == Role.OWNER.value)
            .group_by(Membership.workspace_id)
            .subquery()
        )
        with self.db.read() as session:
            rows = session.execute(
                select(Workspace, func.coalesce(owners.c.owners, 0))
                .outerjoin(owners, owners.c.workspace_id == Workspace.id)
                .order_by(Workspace.name, Workspace.id)
            ).all()
        return [(workspace, int(count)) for workspace, count in rows]

    def recover(self, actor: Actor, workspace_id: int, username: str) -> Membership:
        """Make someone an owner of any workspace (instance admins only): the way
        back for a workspace whose owners all left or cannot sign in."""
        require_admin(actor)
        with self.db.write() as session:
            lock_workspace(session, workspace_id)
            workspace = session.get(Workspace, workspace_id)
            if workspace is None:
                raise NotFound(f"no workspace {workspace_id}")
            user = session.scalar(select(User).where(User.username == username.strip().lower()))
            if user is None:
                raise NotFound(f"no user {username!r} on this Stageline", details={"field": "username"})
            membership = session.get(Membership, (workspace_id, user.id))
            if membership is None:
                membership = Membership(workspace_id=workspace_id, user_id=user.id, role=Role.OWNER.value)
                session.add(membership)
            else:
                membership.role = Role.OWNER.value
            session.flush()
            session.refresh(membership)
        return membership

    # -- invitations -------------------------------------------------------------
    def invite(
        self,
        actor: Actor,
        workspace_id: int,
        role: Role,
        *,
        days: int = 7,
        single_use: bool = True,
        note: str | None = None,
    ) -> NewInvitation:
        if not 1 <= days <= MAX_INVITATION_DAYS:
            raise Invalid(f"an invitation lasts 1–{MAX_INVITATION_DAYS} days", details={"field": "days"})
        token = new_token()
        with self.db.write() as session:
            require_workspace(session, actor, workspace_id, Action.MANAGE_MEMBERS)
            record = Invitation(
                workspace_id=workspace_id,
                token_hash=digest(token),
                role=role.value,
                single_use=single_use,
                note=(note or "").strip()[:200] or None,
                created_by=actor.id,
                expires_at=utcnow() + timedelta(days=days),
            )
            session.add(record)
            session.flush()
            session.refresh(record)
        return NewInvitation(token, record)

    def invitations(self, actor: Actor, workspace_id: int) -> list[Invitation]:
        """Invitations that can still be used."""
        with self.db.read() as session:
            require_workspace(session, actor, workspace_id, Action.MANAGE_MEMBERS)
            rows = session.scalars(
                select(Invitation)
                .where(Invitation.workspace_id == workspace_id, *_open())
                .order_by(Invitation.created_at.desc(), Invitation.id.desc())
            )
            return [row for row in rows if not (row.single_use and row.uses)]

    def revoke_invitation(self, actor: Actor, workspace_id: int, invitation_id: int) -> None:
        with self.db.write() as session:
            require_workspace(session, actor, workspace_id, Action.MANAGE_MEMBERS)
            record = session.get(Invitation, invitation_id)
            if record is None or record.workspace_id != workspace_id or record.revoked_at is not None:
                raise NotFound(f"no open invitation {invitation_id} in this workspace")
            record.revoked_at = utcnow()

    def invitation(self, token: str) -> tuple[Invitation, Workspace]:
        """A usable invitation by its link token."""
        with self.db.read() as session:
            record = session.scalar(select(Invitation).where(Invitation.token_hash == digest(token)))
            workspace = session.get(Workspace, record.workspace_id) if record else None
        if record is None or workspace is None or record.revoked_at is not None:
            raise NotFound("this invitation link is not valid; ask for a new one")
        if record.expires_at <= utcnow() or (record.single_use and record.uses):
            raise NotFound("this invitation link has expired or was already used; ask for a new one")
        return record, workspace

    def accept(self, actor: Actor, token: str) -> Membered:
        """Join the invitation's workspace (keeping a higher role if already a member)."""
        record, workspace = self.invitation(token)
        with self.db.write() as session:
            lock_workspace(session, workspace.id)
            if not use_invitation(session, record.id):
                raise NotFound("this invitation link was just used; ask for a new one")
            role = Role(record.role)
            current = workspace_role(session, actor.id, workspace.id)
            if current is None:
                session.add(Membership(workspace_id=workspace.id, user_id=actor.id, role=role.value))
            elif role.rank > current.rank:
                membership = session.get(Membership, (workspace.id, actor.id))
                assert membership is not None
                membership.role = role.value
                current = role
        return Membered(workspace, current or role)
