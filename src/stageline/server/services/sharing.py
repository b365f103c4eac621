"""Read-only share links, and per-blueprint roles for people."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from stageline.model import Blueprint
from stageline.server.db import Database
from stageline.server.db.models import (
    BlueprintGrant,
    BlueprintRecord,
    Membership,
    ShareLink,
    User,
    Version,
    utcnow,
)
from stageline.server.security.tokens import digest, new_token
from stageline.server.services.access import Action, Role
from stageline.server.services.base import Actor, require_blueprint
from stageline.server.services.documents import DocumentCache
from stageline.server.services.errors import Invalid, NotFound
from stageline.server.services.live import has_live_tail, store_live_tail


@dataclass(frozen=True)
class NewLink:
    token: str  # goes into the URL; shown once
    record: ShareLink


@dataclass(frozen=True)
class Shared:
    """What a share link opens: the current version, read-only."""

    link: ShareLink
    record: BlueprintRecord
    blueprint: Blueprint
    document: str


def known_person(session: Session, actor: Actor, username: str) -> User | None:
    """The account with `username` if it shares a workspace with `actor`, else None."""
    mine = select(Membership.workspace_id).where(Membership.user_id == actor.id)
    return session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(User.username == username.strip().lower(), Membership.workspace_id.in_(mine))
        .limit(1)
    )


class Sharing:
    def __init__(self, db: Database, cache: DocumentCache) -> None:
        self.db = db
        self.cache = cache

    # -- links ---------------------------------------------------------------------
    def create_link(self, actor: Actor, blueprint_id: int, label: str | None = None) -> NewLink:
        """A new link; its token is in the answer only (we keep its hash)."""
        token = new_token(24)
        with self.db.write() as session:
            require_blueprint(session, actor, blueprint_id, Action.SHARE)
            link = ShareLink(
                blueprint_id=blueprint_id,
                token_hash=digest(token),
                prefix=token[:6],
                created_by=actor.id,
                label=(label or "").strip()[:200] or None,
            )
            session.add(link)
            session.flush()
            session.refresh(link)
        return NewLink(token, link)

    def links(self, actor: Actor, blueprint_id: int) -> list[ShareLink]:
        with self.db.read() as session:
            require_blueprint(session, actor, blueprint_id, Action.SHARE)
            return list(
                session.scalars(
                    select(ShareLink)
                    .where(ShareLink.blueprint_id == blueprint_id, ShareLink.revoked_at.is_(None))
                    .order_by(ShareLink.id)
                )
            )

    def revoke_link(self, actor: Actor, blueprint_id: int, link_id: int) -> None:
        with self.db.write() as session:
            require_blueprint(session, actor, blueprint_id, Action.SHARE)
            link = session.get(ShareLink, link_id)
            if link is None or link.blueprint_id != blueprint_id or link.revoked_at is not None:
                raise NotFound(f"no active share link {link_id} on this blueprint")
            link.revoked_at = utcnow()

    def open_link(self, token: str) -> Shared:
        """The blueprint behind a share link (with every acknowledged live edit);
        404 once revoked, trashed or purged."""
        with self.db.read() as session:
            link = session.scalar(select(ShareLink).where(ShareLink.token_hash == digest(token)))
            record = session.get(BlueprintRecord, link.blueprint_id) if link else None
            if link is None or link.revoked_at is not None or record is None or record.deleted_at is not None:
                raise NotFound("this share link does not exist or was turned off")
            pending = has_live_tail(session, record)
        if pending:
            store_live_tail(self.db, self.cache, record.id)
        with self.db.read() as session:
            record = session.get(BlueprintRecord, link.blueprint_id)
            if record is None or record.deleted_at is not None:
                raise NotFound("this share link does not exist or was turned off")
            version = session.get(Version, (record.id, record.version))
            assert version is not None
            blueprint = self.cache.get(record.id, record.version, version.document)
        return Shared(link, record, blueprint, version.document)

    # -- grants --------------------------------------------------------------------
    def grants(self, actor: Actor, blueprint_id: int) -> list[BlueprintGrant]:
        with self.db.read() as session:
            require_blueprint(session, actor, blueprint_id, Action.VIEW)
            return list(
                session.scalars(
                    select(BlueprintGrant)
                    .join(User)
                    .where(BlueprintGrant.blueprint_id == blueprint_id)
                    .order_by(User.username)
                )
            )

    def grant(self, actor: Actor, blueprint_id: int, username: str, role: Role) -> BlueprintGrant:
        with self.db.write() as session:
            require_blueprint(session, actor, blueprint_id, Action.GRANT)
            user = known_person(session, actor, username)
            if user is None:
                # The same answer whether or not the account exists elsewhere: grants
                # reveal nothing about other tenants, and add nobody from outside.
                raise Invalid(
                    f"nobody in your workspaces has the username {username!r}; invite them to the workspace first",
                    details={"field": "username"},
                )
            grant = session.get(BlueprintGrant, (blueprint_id, user.id))
            if grant is None:
                grant = BlueprintGrant(blueprint_id=blueprint_id, user_id=user.id, role=role.value)
                session.add(grant)
            grant.role = role.value
            session.flush()
            session.refresh(grant)
        return grant

    def revoke_grant(self, actor: Actor, blueprint_id: int, username: str) -> None:
        with self.db.write() as session:
            require_blueprint(session, actor, blueprint_id, Action.GRANT)
            grant = session.scalar(
                select(BlueprintGrant)
                .join(User)
                .where(BlueprintGrant.blueprint_id == blueprint_id, User.username == username.strip().lower())
            )
            if grant is None:
                raise NotFound(f"{username!r} has no role of their own on this blueprint")
            session.delete(grant)
