"""Live edits in the change log, and how they become stored versions.

The live editor cannot afford a full YAML version per keystroke-sized change
(a 700-card blueprint takes half a second to serialise), so each accepted
edit is one short `operations` row of kind "live" and the document is stored
as a version only now and then: a checkpoint. A live row's `version` is the
stored version it applies on top of, so a blueprint's current document is

    Version(record.version) + its *tail*: the live rows whose version is
    record.version, replayed in seq order.

Whoever stores a new version first folds the tail in (`fold_live_edits`), so
REST writes, restores and checkpoints never lose a live edit, and the history
says who made them ("Live edits by Ana: 12 changes — …").
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stageline.model import Blueprint, OperationError, parse_operation
from stageline.model.operations import Operation, copy_for
from stageline.server.db import Database
from stageline.server.db.models import (
    ApiToken,
    BlueprintRecord,
    OperationRecord,
    SessionRecord,
    User,
    Version,
    utcnow,
)
from stageline.server.services.access import Action, Role
from stageline.server.services.base import Actor, blueprint_role, require_blueprint
from stageline.server.services.documents import DocumentCache, search_text, serialise
from stageline.server.services.summaries import apply_summarised, join

LIVE = "live"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveChange:
    """One applied live edit, remembered for the summary of the next checkpoint."""

    seq: int
    user_id: int | None
    phrases: tuple[str, ...]


def apply_live(op: Operation, blueprint: Blueprint) -> tuple[Operation, tuple[str, ...]]:
    """Apply one live edit to `blueprint` (all of a batch or none of it); its
    inverse and what it did, for the history."""
    inverse, phrases = apply_summarised([op], blueprint)
    return inverse, tuple(phrases)


def live_op(row: OperationRecord) -> Operation:
    """The single operation a live row holds."""
    return parse_operation(json.loads(row.ops)[0])


def tail_rows(session: Session, record: BlueprintRecord) -> list[OperationRecord]:
    """Live rows not yet in a stored version, oldest first."""
    return list(
        session.scalars(
            select(OperationRecord)
            .where(
                OperationRecord.blueprint_id == record.id,
                OperationRecord.kind == LIVE,
                OperationRecord.version == record.version,
            )
            .order_by(OperationRecord.seq)
        )
    )


def included_seq(session: Session, record: BlueprintRecord) -> int:
    """The last seq the current stored version contains."""
    first = session.scalar(
        select(func.min(OperationRecord.seq)).where(
            OperationRecord.blueprint_id == record.id,
            OperationRecord.kind == LIVE,
            OperationRecord.version == record.version,
        )
    )
    return record.last_seq if first is None else first - 1


def replay(blueprint: Blueprint, rows: Iterable[OperationRecord]) -> list[LiveChange]:
    """Apply live rows to `blueprint` in place; what each did, for the history."""
    changes = []
    for row in rows:
        try:
            _, phrases = apply_live(live_op(row), blueprint)
        except (OperationError, ValueError, LookupError) as error:
            # Stored before text was checked at the door (a lone surrogate, a NUL):
            # leave it out rather than let it block every later write.
            log.warning("left out live edit %s of blueprint %s: %s", row.seq, row.blueprint_id, error)
            continue
        changes.append(LiveChange(row.seq, row.user_id, phrases))
    return changes


def stored_document(session: Session, record: BlueprintRecord, cache: DocumentCache) -> Blueprint:
    """The stored version, a copy of the caller's own."""
    return _stored(session, record, cache).copy_deep()


def _stored(session: Session, record: BlueprintRecord, cache: DocumentCache) -> Blueprint:
    """The stored version as the cache shares it: never change it."""
    version = session.get(Version, (record.id, record.version))
    if version is None:
        raise LookupError(f"blueprint {record.id} has no version {record.version}")
    return cache.shared(record.id, record.version, version.document)


def _with_tail(session: Session, record: BlueprintRecord, cache: DocumentCache) -> tuple[Blueprint, list[LiveChange]]:
    """The stored version with the live rows on top, applied to a copy of only
    what they change; the shared version itself when there are none."""
    rows = tail_rows(session, record)
    stored = _stored(session, record, cache)
    if not rows:
        return stored, []
    ops = []
    for row in rows:
        try:
            ops.append(live_op(row))
        except (OperationError, ValueError, LookupError):
            continue  # replay leaves it out too
    blueprint = copy_for(stored, ops)
    return blueprint, replay(blueprint, rows)


def current_document(session: Session, record: BlueprintRecord, cache: DocumentCache) -> Blueprint:
    """The document with every acknowledged live edit, without storing anything;
    to read, never to change (it may be the version the cache shares)."""
    return _with_tail(session, record, cache)[0]


def live_summary(changes: Sequence[LiveChange], names: dict[int, str]) -> str:
    """'Live edits by Ana and Ben: 14 changes — Added card …; …'."""
    if not changes:
        return "Live edits left out: none of them could be applied"
    authors = Counter(change.user_id for change in changes)
    people = [
        names.get(user_id, "someone") if user_id is not None else "someone" for user_id, _ in authors.most_common()
    ]
    who = people[0] if len(people) == 1 else ", ".join(people[:-1]) + f" and {people[-1]}"
    count = f"{len(changes)} change{'s' if len(changes) != 1 else ''}"
    phrases = list(dict.fromkeys(phrase for change in changes for phrase in change.phrases))
    return f"Live edits by {who}: {count}" + (f" — {join(phrases)}" if phrases else "")


def write_checkpoint(
    session: Session,
    record: BlueprintRecord,
    blueprint: Blueprint,
    document: str,
    changes: Sequence[LiveChange],
    upto: int,
) -> int:
    """Store `blueprint` (the document at seq `upto`, serialised as `document`)
    as the record's next version; the row must be locked. Live rows after
    `upto` move on top of the new version. Returns the new version number."""
    authors = Counter(change.user_id for change in changes if change.user_id is not None)
    ids = list(authors)
    names: dict[int, str] = {}
    if ids:
        names = {
            user_id: name
            for user_id, name in session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
        }
    old = record.version
    record.version = old + 1
    session.add(
        Version(
            blueprint_id=record.id,
            number=record.version,
            document=document,
            summary=live_summary(changes, names),
            kind=LIVE,
            author_id=authors.most_common(1)[0][0] if authors else None,
        )
    )
    session.execute(
        update(OperationRecord)
        .where(
            OperationRecord.blueprint_id == record.id,
            OperationRecord.kind == LIVE,
            OperationRecord.version == old,
            OperationRecord.seq > upto,
        )
        .values(version=record.version)
    )
    record.title = blueprint.title
    record.scenario = blueprint.scenario
    record.state = blueprint.state
    record.search_text = search_text(blueprint)
    record.card_count = len(blueprint.index.cards)
    record.updated_at = utcnow()
    session.flush()
    return record.version


def fold_live_edits(session: Session, record: BlueprintRecord, cache: DocumentCache) -> None:
    """Store pending live edits as their own version before another write;
    the record's row must be locked (inside the writer's transaction). A
    writer holding an older version tag then gets 412, as it should."""
    rows = tail_rows(session, record)
    if not rows:
        return
    blueprint, changes = _with_tail(session, record, cache)
    number = write_checkpoint(session, record, blueprint, serialise(blueprint), changes, rows[-1].seq)
    cache.put(record.id, number, blueprint, copy=False)  # made for this version, changed by nothing else


def has_live_tail(session: Session, record: BlueprintRecord) -> bool:
    """Whether acknowledged live edits wait outside the stored version: the
    last logged row is a live one on top of it (a checkpoint or any other write
    stores everything before it)."""
    kind, version = session.execute(
        select(OperationRecord.kind, OperationRecord.version).where(
            OperationRecord.blueprint_id == record.id, OperationRecord.seq == record.last_seq
        )
    ).first() or (None, None)
    return kind == LIVE and version == record.version


def store_live_tail(db: Database, cache: DocumentCache, blueprint_id: int) -> None:
    """Store the blueprint's pending live edits as a version now, its row
    locked, so whatever reads it next (any process) sees every acknowledged edit."""
    for attempt in range(3):
        try:
            with db.write() as session:
                query = select(BlueprintRecord).where(BlueprintRecord.id == blueprint_id)
                if not db.is_sqlite:
                    query = query.with_for_update(of=BlueprintRecord)
                record = session.scalar(query)
                if record is not None:
                    fold_live_edits(session, record, cache)
            return
        except IntegrityError:
            # Another process stored that version number first (SQLite locks no row
            # across processes): look again, its version may hold these edits already.
            if attempt == 2:
                raise


def blueprint_access(db: Database, actor: Actor, blueprint_id: int) -> tuple[BlueprintRecord, Role]:
    """The blueprint's row and the actor's role, without reading its document."""
    with db.read() as session:
        return require_blueprint(session, actor, blueprint_id, Action.VIEW)


@dataclass(frozen=True)
class Credential:
    """How a live connection signed in: a browser session or an API token (by hash)."""

    kind: str  # "session" or "token"
    digest: str


SIGNED_OUT = "signed out"


def refusal(role: Role) -> str:
    """Why a live edit from someone with `role` is refused."""
    article = "an" if role.value[0] in "aeiou" else "a"
    return f"you are {article} {role.value} of this blueprint: only editors and owners can change it"


def live_rights(db: Database, blueprint_id: int, checks: Sequence[tuple[int, Credential]]) -> list[Role | str | None]:
    """For each (user id, credential) of a live connection: the person's role on
    the blueprint now, `SIGNED_OUT` when the session ended or the token was
    revoked, None when they can no longer see it. One short read for a room."""
    found: list[Role | str | None] = []
    with db.read() as session:
        record = session.get(BlueprintRecord, blueprint_id)
        for user_id, credential in checks:
            if not _credential_valid(session, user_id, credential):
                found.append(SIGNED_OUT)
            elif record is None or record.deleted_at is not None:
                found.append(None)
            else:
                found.append(blueprint_role(session, user_id, record))
    return found


def _credential_valid(session: Session, user_id: int, credential: Credential) -> bool:
    if credential.kind == "session":
        stored = session.get(SessionRecord, credential.digest)
        return stored is not None and stored.user_id == user_id and stored.expires_at > utcnow()
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == credential.digest))
    return token is not None and token.user_id == user_id and token.revoked_at is None
