"""Announcing new change-log rows once their transaction commits.

Whatever writes to the `operations` log — a live room, a REST write, a
restore — rooms showing that blueprint must hear of it. Rather than ask every
writer to remember, session events watch for new log rows: on PostgreSQL they
become a NOTIFY sent inside the same transaction (so it is delivered exactly
when the rows are visible, to every server process), on SQLite a call in this
process after the commit.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stageline.server.db.models import OperationRecord

KEY = "stageline.logged"
Publish = Callable[[int, int], None]


class Announcer:
    """What to do, for one engine, with (blueprint id, last seq) of committed rows."""

    def __init__(self) -> None:
        self.channel: str | None = None  # PostgreSQL NOTIFY channel
        self.local: Publish | None = None


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


def _of(session: Session) -> Announcer | None:
    bind: Any = session.bind
    engine = getattr(bind, "engine", bind)
    return _ANNOUNCERS.get(engine) if isinstance(engine, Engine) else None


def _after_flush(session: Session, _context: Any) -> None:
    for instance in session.new:
        if isinstance(instance, OperationRecord):
            note_logged(session, instance.blueprint_id, instance.seq)


def _before_commit(session: Session) -> None:
    found = _of(session)
    if found is None or found.channel is None:
        return
    session.flush()
    for blueprint_id, seq in session.info.get(KEY, {}).items():
        session.execute(select(func.pg_notify(found.channel, f"{blueprint_id}:{seq}")))


def _after_commit(session: Session) -> None:
    logged: dict[int, int] | None = session.info.pop(KEY, None)
    found = _of(session)
    if logged and found is not None and found.local is not None:
        for blueprint_id, seq in logged.items():
            found.local(blueprint_id, seq)


def _after_rollback(session: Session, _previous: Any = None) -> None:
    session.info.pop(KEY, None)


def _install() -> None:
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", _after_rollback)
    _installed = True
