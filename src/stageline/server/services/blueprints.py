"""Blueprints: create, list, open, change, archive, trash, and their history.

Every change to a document goes through `apply` (model operations) or
`replace` (a whole new document), and each writes a new version and one
`operations` row in the same transaction. `seq` is per blueprint, gap-free and
committed before the call returns: the live editor broadcasts by it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, partial

from sqlalchemy import and_, delete, select
from sqlalchemy.orm import Session

from stageline.model import Blueprint, Operation, OperationError
from stageline.model.operations import SetProperty, copy_for
from stageline.server.db import Database
from stageline.server.db.models import (
    BlueprintGrant,
    BlueprintRecord,
    Membership,
    OperationRecord,
    Version,
    utcnow,
)
from stageline.server.services.access import Action, Role
from stageline.server.services.base import Actor, require_blueprint, require_workspace
from stageline.server.services.documents import DocumentCache, parse, search_text, serialise
from stageline.server.services.errors import Invalid, NotFound, PreconditionFailed
from stageline.server.services.live import fold_live_edits, has_live_tail, store_live_tail
from stageline.server.services.summaries import apply_summarised, compare, summary_of

MAX_OPERATIONS = 1000


@dataclass(frozen=True)
class Listed:
    record: BlueprintRecord
    role: Role


@dataclass(frozen=True)
class Opened:
    """A blueprint as opened: its record, the reader's role and the stored text; the
    model (a copy of the cached version) is made only when first asked for, so
    reads that send the stored text or a cached result never parse nor copy it."""

    record: BlueprintRecord
    role: Role
    document: str
    load: Callable[[], Blueprint] = field(repr=False, compare=False)
    share: Callable[[], Blueprint] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def blueprint(self) -> Blueprint:
        """A copy of the blueprint of the caller's own, to change at will."""
        return self.load()

    @cached_property
    def shared(self) -> Blueprint:
        """The blueprint as the cache shares it with every reader: never change it."""
        return self.share() if self.share is not None else self.blueprint


@dataclass(frozen=True)
class Change:
    blueprint_id: int
    version: int
    seq: int
    summary: str


def _stale(record: BlueprintRecord, expected: int | None) -> None:
    if expected is not None and expected != record.version:
        raise PreconditionFailed(
            f"the blueprint changed since version {expected}: it is now at version {record.version}; "
            "reload it and apply your change again",
            details={"expected": expected, "current": record.version},
        )


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# A blueprint holds at most this many cards (a 10,000-step journey map fits).
MAX_CARDS = 50_000


def storable(blueprint: Blueprint) -> str:
    """`blueprint` serialised for storage, refused when it is larger than a blueprint may be."""
    cards = len(blueprint.index.cards)
    if cards > MAX_CARDS:
        raise Invalid(
            f"a blueprint holds at most {MAX_CARDS:,} cards and this one has {cards:,}: split it into several",
            code="too_large",
        )
    return serialise(blueprint)


class Blueprints:
    def __init__(self, db: Database, cache: DocumentCache | None = None, trash_days: int = 30) -> None:
        self.db = db
        self.cache = cache or DocumentCache()
        self.trash_days = trash_days
        # Called with (blueprint id, actor) after a new version is saved through
        # `apply` or `replace` (the business cases start costing it).
        self.committed: list[Callable[[int, Actor], None]] = []

    def _announce(self, blueprint_id: int, actor: Actor) -> None:
        for listener in self.committed:
            listener(blueprint_id, actor)

    # -- writing a version -------------------------------------------------------
    def _commit(
        self,
        session: Session,
        record: BlueprintRecord,
        blueprint: Blueprint,
        actor: Actor,
        *,
        kind: str,
        summary: str,
        ops: list[dict[str, object]],
        first: bool = False,
        document: str | None = None,
        owned: bool = False,
    ) -> Change:
        """Store `blueprint` as the record's next version plus its log entry;
        `document` is its serialised form when the caller made it beforehand; `owned`:
        the caller hands `blueprint` over (the cache keeps it without a copy)."""
        if document is None:
            document = storable(blueprint)
        if not first:
            record.version += 1
        record.last_seq += 1
        record.title = blueprint.title
        record.scenario = blueprint.scenario
        record.state = blueprint.state
        record.search_text = search_text(blueprint)
        record.card_count = len(blueprint.index.cards)
        record.updated_at = utcnow()
        session.add(
            Version(
                blueprint_id=record.id,
                number=record.version,
                document=document,
                summary=summary,
                kind=kind,
                author_id=actor.id,
            )
        )
        session.add(
            OperationRecord(
                blueprint_id=record.id,
                seq=record.last_seq,
                version=record.version,
                kind=kind,
                ops=json.dumps(ops),
                user_id=actor.id,
            )
        )
        session.flush()
        self.cache.put(record.id, record.version, blueprint, copy=not owned)
        return Change(record.id, record.version, record.last_seq, summary)

    def _shared(self, session: Session, record: BlueprintRecord) -> Blueprint:
        """The current version as the cache shares it: read it, never change it."""
        version = session.get(Version, (record.id, record.version))
        if version is None:
            raise NotFound(f"blueprint {record.id} has no version {record.version}")
        return self.cache.shared(record.id, record.version, version.document)

    # -- create --------------------------------------------------------------------
    def create(self, actor: Actor, workspace_id: int, blueprint: Blueprint, how: str) -> BlueprintRecord:
        # Serialised before the transaction: a large document must not hold up everyone's writes.
        document = storable(blueprint)
        with self.db.write() as session:
            return self.create_in(session, actor, workspace_id, blueprint, how, document)

    def create_in(
        self,
        session: Session,
        actor: Actor,
        workspace_id: int,
        blueprint: Blueprint,
        how: str,
        document: str | None = None,
    ) -> BlueprintRecord:
        """`create` inside the caller's transaction, for services that store rows of their own with it."""
        require_workspace(session, actor, workspace_id, Action.CREATE)
        record = BlueprintRecord(
            workspace_id=workspace_id,
            title=blueprint.title,
            state=blueprint.state,
            created_by=actor.id,
            version=1,
            last_seq=0,
        )
        session.add(record)
        session.flush()
        self._commit(
            session, record, blueprint, actor, kind="create", summary=how, ops=[], first=True, document=document
        )
        return record

    def create_blank(self, actor: Actor, workspace_id: int, title: str, scenario: str | None = None) -> BlueprintRecord:
        title = title.strip()
        if not title:
            raise Invalid("give the blueprint a title", details={"field": "title"})
        blueprint = Blueprint(title=title, scenario=(scenario or "").strip() or None)
        return self.create(actor, workspace_id, blueprint, "Created a blank blueprint")

    def create_from_yaml(self, actor: Actor, workspace_id: int, text: str, filename: str = "upload") -> BlueprintRecord:
        blueprint = parse(text, source=filename)
        return self.create(actor, workspace_id, blueprint, f"Created from {filename}")

    def create_from_template(
        self, actor: Actor, workspace_id: int, name: str, title: str | None = None
    ) -> BlueprintRecord:
        from stageline.server.services.catalog import template_blueprint

        blueprint = template_blueprint(name)
        if title and title.strip():
            blueprint.title = title.strip()
        return self.create(actor, workspace_id, blueprint, f"Created from the template {name!r}")

    # -- read ----------------------------------------------------------------------
    def listing(
        self, actor: Actor, workspace_id: int, query: str = "", *, archived: bool = False, trashed: bool = False
    ) -> list[Listed]:
        """Blueprints of a workspace the actor may see, newest change first;
        `query` matches every word against title, scenario and card text."""
        if trashed:
            self.purge_expired()
        with self.db.read() as session:
            workspace, role = require_workspace(session, actor, workspace_id, Action.VIEW)
            statement = select(BlueprintRecord).where(BlueprintRecord.workspace_id == workspace.id)
            statement = statement.where(
                BlueprintRecord.deleted_at.is_not(None) if trashed else BlueprintRecord.deleted_at.is_(None)
            )
            if not trashed:
                statement = statement.where(
                    BlueprintRecord.archived_at.is_not(None) if archived else BlueprintRecord.archived_at.is_(None)
                )
            for word in query.lower().split()[:10]:
                statement = statement.where(BlueprintRecord.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
            records = session.scalars(
                statement.order_by(BlueprintRecord.updated_at.desc(), BlueprintRecord.id.desc())
            ).all()
            grants = dict(
                session.execute(
                    select(BlueprintGrant.blueprint_id, BlueprintGrant.role).where(BlueprintGrant.user_id == actor.id)
                ).all()
            )
        listed = []
        for record in records:
            grant = grants.get(record.id)
            best = Role(grant) if grant and Role(grant).rank > role.rank else role
            listed.append(Listed(record, best))
        return listed

    def shared_with(self, actor: Actor) -> list[Listed]:
        """Blueprints granted to the actor in workspaces they are not a member of."""
        with self.db.read() as session:
            member_of = select(Membership.workspace_id).where(Membership.user_id == actor.id)
            rows = session.execute(
                select(BlueprintRecord, BlueprintGrant.role)
                .join(
                    BlueprintGrant,
                    and_(BlueprintGrant.blueprint_id == BlueprintRecord.id, BlueprintGrant.user_id == actor.id),
                )
                .where(BlueprintRecord.deleted_at.is_(None), BlueprintRecord.workspace_id.not_in(member_of))
                .order_by(BlueprintRecord.updated_at.desc())
            ).all()
        return [Listed(record, Role(role)) for record, role in rows]

    def open(self, actor: Actor, blueprint_id: int, action: Action = Action.VIEW) -> Opened:
        """The blueprint as it is now: with every live edit acknowledged so far
        (stored first as a version when some wait in the log), so pages, the
        API and its ETag, renders and downloads read what the editors see."""
        for fresh in (False, True):
            with self.db.read() as session:
                record, role = require_blueprint(session, actor, blueprint_id, action)
                if fresh or not has_live_tail(session, record):
                    version = session.get(Version, (record.id, record.version))
                    if version is None:
                        raise NotFound(f"blueprint {blueprint_id} has no current version")
                    key, document = (record.id, record.version), version.document
                    return Opened(
                        record,
                        role,
                        document,
                        partial(self.cache.get, *key, document),
                        partial(self.cache.shared, *key, document),
                    )
            store_live_tail(self.db, self.cache, blueprint_id)
        raise AssertionError("unreachable")

    def role(self, actor: Actor, blueprint_id: int) -> Role:
        with self.db.read() as session:
            return require_blueprint(session, actor, blueprint_id, Action.VIEW)[1]

    def operations_since(
        self, actor: Actor, blueprint_id: int, seq: int = 0, limit: int = 500
    ) -> list[OperationRecord]:
        with self.db.read() as session:
            require_blueprint(session, actor, blueprint_id, Action.VIEW)
            return list(
                session.scalars(
                    select(OperationRecord)
                    .where(OperationRecord.blueprint_id == blueprint_id, OperationRecord.seq > seq)
                    .order_by(OperationRecord.seq)
                    .limit(limit)
                )
            )

    # -- change --------------------------------------------------------------------
    def apply(
        self, blueprint_id: int, ops: list[Operation], actor: Actor, expected_version: int | None = None
    ) -> Change:
        """Apply operations atomically as one new version; 412 when `expected_version` is stale."""
        if not ops:
            raise Invalid("send at least one operation")
        if len(ops) > MAX_OPERATIONS:
            raise Invalid(f"send at most {MAX_OPERATIONS} operations at a time")
        with self.db.write() as session:
            record, _ = require_blueprint(session, actor, blueprint_id, Action.EDIT, lock=True)
            fold_live_edits(session, record, self.cache)
            _stale(record, expected_version)
            # A copy of only what the operations change; the cached version stays as it is.
            blueprint = copy_for(self._shared(session, record), ops)
            try:
                _, phrases = apply_summarised(ops, blueprint)
            except OperationError as error:
                raise Invalid(str(error), code="invalid_operation") from None
            change = self._commit(
                session,
                record,
                blueprint,
                actor,
                kind="ops",
                summary=summary_of(phrases),
                ops=[op.to_json() for op in ops],
                owned=True,  # a copy made for this change, changed by nothing else
            )
        self._announce(blueprint_id, actor)
        return change

    def replace(
        self,
        actor: Actor,
        blueprint_id: int,
        blueprint: Blueprint,
        expected_version: int | None = None,
        how: str = "Replaced the document",
    ) -> Change:
        document = storable(blueprint)  # before the transaction, as in `create`
        with self.db.write() as session:
            record, _ = require_blueprint(session, actor, blueprint_id, Action.EDIT, lock=True)
            fold_live_edits(session, record, self.cache)
            _stale(record, expected_version)
            before = self._shared(session, record)
            change = self._commit(
                session,
                record,
                blueprint,
                actor,
                kind="replace",
                summary=f"{how}: {compare(before, blueprint)}",
                ops=[],
                document=document,
            )
        self._announce(blueprint_id, actor)
        return change

    def rename(self, actor: Actor, blueprint_id: int, title: str, expected_version: int | None = None) -> Change:
        if not title.strip():
            raise Invalid("a blueprint needs a title", details={"field": "title"})
        with self.db.read() as session:
            require_blueprint(session, actor, blueprint_id, Action.RENAME)
        return self.apply(blueprint_id, [SetProperty(field="title", value=title.strip())], actor, expected_version)

    def duplicate(self, actor: Actor, blueprint_id: int) -> BlueprintRecord:
        opened = self.open(actor, blueprint_id)
        copy = opened.blueprint.copy_deep()
        copy.title = f"Copy of {copy.title}"
        return self.create(
            actor,
            opened.record.workspace_id,
            copy,
            f"Duplicated from '{opened.record.title}' version {opened.record.version}",
        )

    def set_archived(self, actor: Actor, blueprint_id: int, archived: bool) -> BlueprintRecord:
        with self.db.write() as session:
            record, _ = require_blueprint(session, actor, blueprint_id, Action.ARCHIVE)
            record.archived_at = (record.archived_at or utcnow()) if archived else None
        return record

    # -- history ---------------------------------------------------------------------
    def versions(self, actor: Actor, blueprint_id: int) -> list[Version]:
        with self.db.read() as session:
            require_blueprint(session, actor, blueprint_id, Action.VIEW)
            return list(
                session.scalars(
                    select(Version).where(Version.blueprint_id == blueprint_id).order_by(Version.number.desc())
                )
            )

    def version(self, actor: Actor, blueprint_id: int, number: int) -> tuple[Version, Blueprint]:
        with self.db.read() as session:
            require_blueprint(session, actor, blueprint_id, Action.VIEW)
            version = session.get(Version, (blueprint_id, number))
            if version is None:
                raise NotFound(f"blueprint {blueprint_id} has no version {number}")
            return version, self.cache.get(blueprint_id, number, version.document)

    def restore_version(
        self, actor: Actor, blueprint_id: int, number: int, expected_version: int | None = None
    ) -> Change:
        with self.db.write() as session:
            record, _ = require_blueprint(session, actor, blueprint_id, Action.RESTORE_VERSION, lock=True)
            fold_live_edits(session, record, self.cache)
            _stale(record, expected_version)
            old = session.get(Version, (blueprint_id, number))
            if old is None:
                raise NotFound(f"blueprint {blueprint_id} has no version {number}")
            blueprint = self.cache.shared(blueprint_id, number, old.document)
            label = f" ({old.name})" if old.name else ""
            return self._commit(
                session,
                record,
                blueprint,
                actor,
                kind="restore",
                summary=f"Restored version {number}{label}",
                ops=[],
                owned=True,  # the cached version, which nothing changes, kept as the new one too
            )

    def name_version(self, actor: Actor, blueprint_id: int, number: int, name: str | None) -> Version:
        label = (name or "").strip() or None
        if label and len(label) > 200:
            raise Invalid("a version name has at most 200 characters", details={"field": "name"})
        with self.db.write() as session:
            require_blueprint(session, actor, blueprint_id, Action.NAME_VERSION)
            version = session.get(Version, (blueprint_id, number))
            if version is None:
                raise NotFound(f"blueprint {blueprint_id} has no version {number}")
            version.name = label
        return version

    # -- trash -------------------------------------------------------------------------
    def move_to_trash(self, actor: Actor, blueprint_id: int) -> BlueprintRecord:
        with self.db.write() as session:
            record, _ = require_blueprint(session, actor, blueprint_id, Action.TRASH)
            record.deleted_at = utcnow()
        return record

    def restore_from_trash(self, actor: Actor, blueprint_id: int) -> BlueprintRecord:
        with self.db.write() as session:
            record, _ = require_blueprint(session, actor, blueprint_id, Action.TRASH, trashed=True)
            record.deleted_at = None
        return record

    def purge(self, actor: Actor, blueprint_id: int) -> BlueprintRecord:
        """Delete for good; returns the (now detached) record for its workspace."""
        with self.db.write() as session:
            record, _ = require_blueprint(session, actor, blueprint_id, Action.PURGE, trashed=True)
            self._delete(session, [record.id])
        return record

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete blueprints that have been in the trash longer than the trash period."""
        cutoff = (now or utcnow()) - timedelta(days=self.trash_days)
        with self.db.read() as session:
            expired = list(session.scalars(select(BlueprintRecord.id).where(BlueprintRecord.deleted_at < cutoff)))
        if expired:
            with self.db.write() as session:
                self._delete(session, expired)
        return len(expired)

    def _delete(self, session: Session, ids: list[int]) -> None:
        # Children first, so it works whether or not the database enforces cascades.
        from stageline.server.db.models import Comment, Mention, ShareLink, Thread

        threads = select(Thread.id).where(Thread.blueprint_id.in_(ids))
        comments = select(Comment.id).where(Comment.thread_id.in_(threads))
        session.execute(delete(Mention).where(Mention.comment_id.in_(comments)))
        session.execute(delete(Comment).where(Comment.thread_id.in_(threads)))
        for table in (Thread, ShareLink, BlueprintGrant, OperationRecord, Version):
            session.execute(delete(table).where(table.blueprint_id.in_(ids)))
        session.execute(delete(BlueprintRecord).where(BlueprintRecord.id.in_(ids)))
        for blueprint_id in ids:
            self.cache.forget(blueprint_id)
