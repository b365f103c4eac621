"""Announcing new change-log rows and comment activity once their transaction commits.

Whatever writes to the `operations` log — a live room, a REST write, a
restore — rooms showing that blueprint must hear of it; so must they when
someone starts a comment thread, replies, resolves or reopens one. Rather
than ask every writer to remember, session events watch for new log rows and
for comment changes: on PostgreSQL they become a NOTIFY sent inside the same
transaction (so it is delivered exactly when the rows are visible, to every
server process), on SQLite a call in this process after the commit.

The notice is one short text, the same on both paths: "{blueprint id}:{seq}"
for log rows up to `seq`, "{blueprint id}:comments" for comment threads, and
"access:{w|b|u}{id}" when who may do what changed: a workspace's members or
their roles (w), a blueprint's grants (b), a person's sessions or API tokens
(u). Rooms re-check the rights of their connections when they hear one.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stageline.server.db.models import (
    ApiToken,
    BlueprintGrant,
    Comment,
    Membership,
    OperationRecord,
    SessionRecord,
    Thread,
)

KEY = "stageline.logged"
COMMENTED = "stageline.commented"
ACCESS = "stageline.access"
COMMENTS = "comments"
ACCESS_PREFIX = "access:"
AccessScope = str  # "w" workspace, "b" blueprint, "u" user
Publish = Callable[[str], None]


@dataclass(frozen=True)
class Logged:
    """The blueprint's log has rows up to `seq`."""

    blueprint_id: int
    seq: int


@dataclass(frozen=True)
class Commented:
    """A comment thread on the blueprint was started, replied to, resolved or reopened."""

    blueprint_id: int


@dataclass(frozen=True)
class AccessChanged:
    """Rights changed: of a workspace's members ("w"), on a blueprint ("b"), or of a person ("u")."""

    scope: AccessScope
    id: int


Notice = Logged | Commented | AccessChanged


def payload(notice: Notice) -> str:
    if isinstance(notice, Logged):
        return f"{notice.blueprint_id}:{notice.seq}"
    if isinstance(notice, AccessChanged):
        return f"{ACCESS_PREFIX}{notice.scope}{notice.id}"
    return f"{notice.blueprint_id}:{COMMENTS}"


def parse(text: str) -> Notice | None:
    """The notice a payload carries; None for anything else."""
    if text.startswith(ACCESS_PREFIX):
        rest = text[len(ACCESS_PREFIX) :]
        scope, number = rest[:1], rest[1:]
        return AccessChanged(scope, int(number)) if scope in {"w", "b", "u"} and number.isdigit() else None
    blueprint, _, rest = text.partition(":")
    if not blueprint.isdigit():
        return None
    if rest == COMMENTS:
        return Commented(int(blueprint))
    return Logged(int(blueprint), int(rest)) if rest.isdigit() else None


class Announcer:
    """What to do, for one engine, with the notices of committed transactions."""

    def __init__(self) -> None:
        self.channel: str | None = None  # PostgreSQL NOTIFY channel
        self.local: Publish | None = None  # called with each notice's payload


_ANNOUNCERS: weakref.WeakKeyDictionary[Engine, Announcer] = weakref.WeakKeyDictionary()
_installed = False


def announcer(engine: Engine) -> Announcer:
    _install()
    found = _ANNOUNCERS.get(engine)
    if found is None:
        found = _ANNOUNCERS[engine] = Announcer()
    return found


def note_logged(session: Session, blueprint_id: int, seq: int) -> None:
    """Record that this transaction adds log rows up to `seq` (for bulk inserts,
    which the session does not track)."""
    logged: dict[int, int] = session.info.setdefault(KEY, {})
    logged[blueprint_id] = max(logged.get(blueprint_id, 0), seq)


def note_commented(session: Session, blueprint_id: int) -> None:
    """Record that this transaction changes the blueprint's comment threads."""
    commented: set[int] = session.info.setdefault(COMMENTED, set())
    commented.add(blueprint_id)


def note_access(session: Session, scope: AccessScope, number: int) -> None:
    """Record that this transaction changes rights: of workspace `number`'s
    members ("w"), on blueprint `number` ("b"), or of user `number` ("u") —
    for bulk statements, which the session does not track."""
    changed: set[tuple[str, int]] = session.info.setdefault(ACCESS, set())
    changed.add((scope, number))


def _notices(session: Session) -> list[Notice]:
    logged: dict[int, int] = session.info.get(KEY, {})
    commented: set[int] = session.info.get(COMMENTED, set())
    access: set[tuple[str, int]] = session.info.get(ACCESS, set())
    return (
        [Logged(blueprint_id, seq) for blueprint_id, seq in logged.items()]
        + [Commented(blueprint_id) for blueprint_id in sorted(commented)]
        + [AccessChanged(scope, number) for scope, number in sorted(access)]
    )


def _note_rights(session: Session, instance: object) -> None:
    """A membership, grant or API token added, changed or deleted changes someone's rights."""
    if isinstance(instance, Membership):
        note_access(session, "w", instance.workspace_id)
    elif isinstance(instance, BlueprintGrant):
        note_access(session, "b", instance.blueprint_id)
    elif isinstance(instance, ApiToken | SessionRecord):
        note_access(session, "u", instance.user_id)


def _of(session: Session) -> Announcer | None:
    bind: Any = session.bind
    engine = getattr(bind, "engine", bind)
    return _ANNOUNCERS.get(engine) if isinstance(engine, Engine) else None


def _thread_blueprint(session: Session, thread_id: int | None) -> int | None:
    if thread_id is None:
        return None
    thread = session.identity_map.get(session.identity_key(Thread, thread_id))
    if isinstance(thread, Thread):
        return thread.blueprint_id
    # Not loaded: ask on the flush's own connection (no autoflush while flushing).
    found = session.connection().scalar(select(Thread.blueprint_id).where(Thread.id == thread_id))
    return int(found) if found is not None else None


def _after_flush(session: Session, _context: Any) -> None:
    for instance in session.new:
        _note_rights(session, instance)
        if isinstance(instance, OperationRecord):
            note_logged(session, instance.blueprint_id, instance.seq)
        elif isinstance(instance, Thread):
            note_commented(session, instance.blueprint_id)
        elif isinstance(instance, Comment):
            blueprint_id = _thread_blueprint(session, instance.thread_id)
            if blueprint_id is not None:
                note_commented(session, blueprint_id)
    for instance in session.dirty:
        if isinstance(instance, Thread) and inspect(instance).attrs.resolved_at.history.has_changes():
            note_commented(session, instance.blueprint_id)
        _note_rights(session, instance)
    for instance in session.deleted:
        _note_rights(session, instance)


def _before_commit(session: Session) -> None:
    found = _of(session)
    if found is None or found.channel is None:
        return
    session.flush()
    for notice in _notices(session):
        session.execute(select(func.pg_notify(found.channel, payload(notice))))


def _forget(session: Session) -> None:
    for key in (KEY, COMMENTED, ACCESS):
        session.info.pop(key, None)


def _after_commit(session: Session) -> None:
    notices = _notices(session)
    _forget(session)
    found = _of(session)
    if notices and found is not None and found.local is not None:
        for notice in notices:
            found.local(payload(notice))


def _after_rollback(session: Session, _previous: Any = None) -> None:
    _forget(session)


def _install() -> None:
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", _after_rollback)
    _installed = True
