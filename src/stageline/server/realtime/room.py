"""A live room: one blueprint's document in memory, the people editing it, and
the single worker that puts their edits in order.

Everything that changes the document goes through the worker, one batch at a
time: it takes whatever has queued up, and in one short transaction (the
blueprint's row locked, so other server processes wait their turn) catches up
on rows others logged, applies each edit with the model, appends the ones
that fit to the log and commits. Only then does it broadcast them: an edit
someone has seen acknowledged is on disk. Storing the whole document (a
checkpoint) happens rarely and beside the worker, since serialising a large
blueprint takes far longer than an edit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from stageline.model import Blueprint, OperationError, parse_operation
from stageline.model.operations import Batch, Operation
from stageline.server.db.models import BlueprintRecord, OperationRecord, User, Version, utcnow
from stageline.server.realtime.announce import note_logged
from stageline.server.realtime.peer import Peer
from stageline.server.realtime.protocol import Cursor, Hello, encode, wire_json, with_document
from stageline.server.services.live import (
    LIVE,
    LiveChange,
    included_seq,
    live_op,
    phrases_of,
    write_checkpoint,
)

if TYPE_CHECKING:
    from stageline.server.realtime.hub import Hub

log = logging.getLogger(__name__)

# A checkpoint after this many edits, or this long without one, or when the
# last person leaves: loading replays at most a few hundred edits.
CHECKPOINT_EDITS = 500
CHECKPOINT_QUIET = 10.0
# Pointer positions relayed per person and second, at most.
CURSOR_RATE = 20


class RoomGone(Exception):
    """The blueprint was deleted (or moved to the trash) under the room."""


@dataclass
class Join:
    peer: Peer
    hello: Hello


@dataclass
class Submit:
    peer: Peer
    id: str
    op: Operation


@dataclass
class CatchUp:
    """Read the change log for edits stored elsewhere (REST writes, other processes)."""


@dataclass
class Save:
    """Store a checkpoint of the document now."""


@dataclass
class Shutdown:
    """Store what is unsaved and stop the room's worker."""


Item = Join | Submit | CatchUp | Save | Shutdown


@dataclass
class Outcome:
    """What a batch did, applied to the room's bookkeeping in the event loop."""

    messages: list[tuple[Peer | None, str]] = field(default_factory=list)  # None: everyone
    changes: list[LiveChange] = field(default_factory=list)
    stored: bool = False  # a REST write stored everything before its changes


class Room:
    def __init__(self, hub: Hub, blueprint_id: int, model: Blueprint, seq: int, changes: list[LiveChange]) -> None:
        self.hub = hub
        self.id = blueprint_id
        self.model = model
        self.seq = seq
        self.changes = changes  # live edits since the stored version, for its summary
        self.peers: dict[str, Peer] = {}
        self.joining = 0
        self.closed = False
        self.names: dict[int, str] = {}
        self._queue: asyncio.Queue[Item] = asyncio.Queue()
        self._quiet: asyncio.TimerHandle | None = None
        self._saving: asyncio.Task[None] | None = None
        self._snapshot_of: tuple[int, int] | None = None
        self._snapshot_json = ""
        self._worker = asyncio.create_task(self._work(), name=f"live room {blueprint_id}")

    # -- called from connections and the hub (event loop) -----------------------------
    def join(self, peer: Peer, hello: Hello) -> None:
        self.joining += 1
        self.names[peer.actor.id] = peer.actor.display_name
        self._queue.put_nowait(Join(peer, hello))

    def submit(self, peer: Peer, message_id: str, op: Operation) -> None:
        self._queue.put_nowait(Submit(peer, message_id, op))

    def catch_up(self) -> None:
        self._queue.put_nowait(CatchUp())

    def comments_changed(self) -> None:
        """Someone started, answered, resolved or reopened a comment thread: editors refetch them."""
        text = encode({"type": "comments"})
        for peer in self.peers.values():
            peer.send(text)

    def leave(self, peer: Peer) -> None:
        if self.peers.get(peer.client_id) is peer:
            del self.peers[peer.client_id]
            self._broadcast_presence()
        self._queue.put_nowait(Save())  # and close, if that was the last one

    def select(self, peer: Peer, selection: list[str]) -> None:
        peer.selection = selection
        if self.peers.get(peer.client_id) is peer:
            self._broadcast_presence()

    def point(self, peer: Peer, cursor: Cursor) -> None:
        """Someone's pointer moved or they started or stopped typing: tell the others
        (at most CURSOR_RATE a second from each person; the latest wins)."""
        if self.peers.get(peer.client_id) is not peer:
            return
        now = time.monotonic()
        if cursor.typing == peer.typing and now - peer.pointed_at < 1 / CURSOR_RATE:
            return  # too soon after the last one; typing changes always go through
        peer.pointed_at, peer.typing = now, cursor.typing
        pointer = list(cursor.pointer) if cursor.pointer is not None else None
        text = encode({"type": "cursor", "client_id": peer.client_id, "pointer": pointer, "typing": cursor.typing})
        for other in self.peers.values():
            if other is not peer:
                other.send(text)

    async def shutdown(self) -> None:
        if not self.closed:
            self._queue.put_nowait(Shutdown())
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.shield(self._worker), timeout=30)

    def people(self) -> list[dict[str, Any]]:
        return [peer.public() for peer in self.peers.values()]

    # -- the worker ------------------------------------------------------------------------
    async def _work(self) -> None:
        try:
            while True:
                items = [await self._queue.get()]
                while not self._queue.empty():
                    items.append(self._queue.get_nowait())
                if any(isinstance(item, Shutdown) for item in items):
                    await self._close_all(1012, "the server is restarting; reconnecting")
                    return
                await self._run(items)
                if len(self.changes) >= CHECKPOINT_EDITS or any(isinstance(item, Save) for item in items):
                    await self._checkpoint(wait=False)
                if not self.peers and not self.joining and self._queue.empty():
                    await self._checkpoint(wait=True)
                    if not self.peers and not self.joining and self._queue.empty():
                        self._close()
                        return
        except RoomGone:
            await self._close_all(4404, "this blueprint was deleted or moved to the trash")
        except Exception:
            log.exception("live room %s failed; its editors reconnect", self.id)
            await self._close_all(1011, "the live session failed; reconnecting")

    async def _run(self, items: list[Item]) -> None:
        """Process items in arrival order, committing consecutive edits together."""
        batch: list[Submit] = []
        caught_up = False
        for item in items:
            if isinstance(item, Submit):
                batch.append(item)
                continue
            if batch:
                await self._commit(batch)
                batch, caught_up = [], True
            if isinstance(item, Join):
                await self._welcome(item)
            elif isinstance(item, CatchUp) and not caught_up:
                await self._commit([])
                caught_up = True
        if batch:
            await self._commit(batch)

    async def _commit(self, batch: list[Submit]) -> None:
        try:
            outcome = await asyncio.to_thread(self._store_batch, batch)
        except RoomGone:
            raise
        except Exception:
            log.exception("could not store live edits on blueprint %s", self.id)
            # The edits are still pending in their editors: reconnecting resends them.
            for peer in {submit.peer for submit in batch}:
                peer.send_json({"type": "error", "message": "the server could not save your change; retrying"})
                peer.close(1011, "could not save; reconnecting")
            return
        if outcome.stored:
            self.changes = []
        self.changes.extend(outcome.changes)
        for to, text in outcome.messages:
            for peer in self.peers.values() if to is None else (to,):
                peer.send(text)
        if outcome.changes:
            self._arm_quiet_checkpoint()

    async def _welcome(self, join: Join) -> None:
        peer, hello = join.peer, join.hello
        self.joining -= 1
        if peer.closed:
            return
        applied = await asyncio.to_thread(self._applied, hello.pending) if hello.pending else []
        snapshot = await self._snapshot()
        previous = self.peers.get(peer.client_id)
        if previous is not None and previous is not peer:
            previous.close(4409, "this editor connected again elsewhere")
        self.peers[peer.client_id] = peer
        message = {
            "type": "welcome",
            "seq": self.seq,
            "applied": applied,
            "role": peer.role.value,
            "you": {"client_id": peer.client_id, "name": peer.actor.display_name, "color": peer.colour},
            "people": self.people(),
        }
        peer.send(with_document(message, snapshot))
        self._broadcast_presence(but=peer)

    async def _snapshot(self) -> str:
        """The document's JSON, made once per seq (many people join at once)."""
        key = (self.seq, id(self.model))
        if self._snapshot_of != key:
            self._snapshot_json = await asyncio.to_thread(wire_json, self.model)
            self._snapshot_of = key
        return self._snapshot_json

    def _broadcast_presence(self, but: Peer | None = None) -> None:
        text = encode({"type": "presence", "people": self.people()})
        for peer in self.peers.values():
            if peer is not but:
                peer.send(text)

    # -- checkpoints ----------------------------------------------------------------------
    def _arm_quiet_checkpoint(self) -> None:
        if self._quiet is not None:
            self._quiet.cancel()
        loop = asyncio.get_running_loop()
        self._quiet = loop.call_later(CHECKPOINT_QUIET, self._queue.put_nowait, Save())

    async def _checkpoint(self, wait: bool) -> None:
        if self._saving is not None:
            if wait:
                await asyncio.shield(self._saving)
                await self._checkpoint(wait=True)
            return
        if not self.changes:
            return
        # Take the document here, in the worker, so no edit lands halfway through.
        snapshot = await self._snapshot()
        self._saving = asyncio.create_task(self._save(snapshot, self.seq, list(self.changes)))
        if wait:
            await asyncio.shield(self._saving)

    async def _save(self, snapshot: str, upto: int, changes: list[LiveChange]) -> None:
        try:
            await asyncio.to_thread(self._store_checkpoint, snapshot, upto, changes)
        except Exception:
            log.exception("could not store a checkpoint of blueprint %s; the log still has every edit", self.id)
        else:
            self.changes = [change for change in self.changes if change.seq > upto]
        finally:
            self._saving = None

    # -- leaving ----------------------------------------------------------------------------
    def _close(self) -> None:
        self.closed = True
        if self._quiet is not None:
            self._quiet.cancel()
        self.hub.forget(self)

    async def _close_all(self, code: int, reason: str) -> None:
        self.closed = True
        self.hub.forget(self)
        for peer in list(self.peers.values()):
            peer.close(code, reason)
        self.peers.clear()
        while not self._queue.empty():
            item = self._queue.get_nowait()
            if isinstance(item, Join | Submit):
                item.peer.close(code, reason)
        if code != 4404:
            await self._checkpoint(wait=True)
        if self._quiet is not None:
            self._quiet.cancel()

    # -- in a worker thread: the database ----------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[tuple[Session, BlueprintRecord]]:
        with self.hub.db.write() as session:
            query = select(BlueprintRecord).where(BlueprintRecord.id == self.id)
            if not self.hub.db.is_sqlite:
                query = query.with_for_update(of=BlueprintRecord)
            record = session.scalar(query)
            if record is None or record.deleted_at is not None:
                raise RoomGone
            yield session, record

    def _store_batch(self, batch: list[Submit]) -> Outcome:
        outcome = Outcome()
        undo: list[Operation] = []
        try:
            with self._locked() as (session, record):
                if record.last_seq > self.seq:
                    self._absorb(session, outcome)
                seq = self.seq
                known = self._known(session, [submit.id for submit in batch]) if batch else set()
                rows: list[dict[str, Any]] = []
                accepted: list[tuple[Submit, int, dict[str, Any], tuple[str, ...]]] = []
                for submit in batch:
                    if submit.id in known:
                        continue  # resent after a reconnect: already in the log
                    try:
                        phrases = phrases_of(submit.op, self.model)
                        undo.append(submit.op.apply(self.model))
                    except OperationError as error:
                        outcome.messages.append((submit.peer, encode(_reject(submit.id, str(error)))))
                        continue
                    known.add(submit.id)
                    seq += 1
                    normalised = submit.op.to_json()
                    rows.append(
                        {
                            "blueprint_id": self.id,
                            "seq": seq,
                            "version": record.version,
                            "kind": LIVE,
                            "ops": json.dumps([normalised]),
                            "user_id": submit.peer.actor.id,
                            "client_op_id": submit.id,
                            "created_at": utcnow(),
                        }
                    )
                    accepted.append((submit, seq, normalised, phrases))
                if rows:
                    session.execute(insert(OperationRecord), rows)
                    record.last_seq = seq
                    record.updated_at = utcnow()
                    note_logged(session, self.id, seq)
        except BaseException:
            for inverse in reversed(undo):
                inverse.apply(self.model)
            raise
        if accepted:
            self.seq = seq
        for submit, number, normalised, phrases in accepted:
            actor = submit.peer.actor
            outcome.changes.append(LiveChange(number, actor.id, phrases))
            message = {
                "type": "op",
                "seq": number,
                "op": normalised,
                "client_op_id": submit.id,
                "user": {"id": actor.id, "name": actor.display_name},
            }
            outcome.messages.append((None, encode(message)))
        return outcome

    def _known(self, session: Session, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found.update(
                session.scalars(
                    select(OperationRecord.client_op_id).where(
                        OperationRecord.blueprint_id == self.id, OperationRecord.client_op_id.in_(chunk)
                    )
                )
            )
        return found

    def _applied(self, pending: list[str]) -> list[str]:
        with self.hub.db.read() as session:
            known = self._known(session, pending)
        return [message_id for message_id in pending if message_id in known]

    def _absorb(self, session: Session, outcome: Outcome) -> None:
        """Apply rows other writers logged after this room's seq, in order."""
        rows = session.scalars(
            select(OperationRecord)
            .where(OperationRecord.blueprint_id == self.id, OperationRecord.seq > self.seq)
            .order_by(OperationRecord.seq)
        ).all()
        for row in rows:
            outcome.messages.append((None, self._absorb_row(session, row, outcome)))
            self.seq = row.seq

    def _absorb_row(self, session: Session, row: OperationRecord, outcome: Outcome) -> str:
        user = self._user(session, row.user_id)
        if row.kind == LIVE:
            op = live_op(row)
            phrases = phrases_of(op, self.model)
            try:
                op.apply(self.model)
            except OperationError:
                return self._reload(session, row, outcome)
            outcome.changes.append(LiveChange(row.seq, row.user_id, phrases))
            message = {"type": "op", "seq": row.seq, "op": op.to_json(), "client_op_id": row.client_op_id}
            return encode({**message, "user": user})
        # Any other writer stored a whole version, with everything before it.
        outcome.stored = True
        outcome.changes.clear()
        ops = [parse_operation(data) for data in json.loads(row.ops)] if row.kind == "ops" else []
        if not ops:
            return self._reload(session, row, outcome)
        try:
            Batch(ops=ops).apply(self.model)
        except OperationError:
            return self._reload(session, row, outcome)
        wire = ops[0].to_json() if len(ops) == 1 else {"op": "batch", "ops": [op.to_json() for op in ops]}
        return encode({"type": "op", "seq": row.seq, "op": wire, "client_op_id": None, "user": user})

    def _reload(self, session: Session, row: OperationRecord, outcome: Outcome) -> str:
        """The document was replaced (or an edit did not replay): take the version it stored."""
        version = session.get(Version, (self.id, row.version))
        if version is None:
            raise RoomGone
        self.model = self.hub.cache.get(self.id, row.version, version.document)
        outcome.stored = True
        outcome.changes.clear()
        return with_document({"type": "snapshot", "seq": row.seq}, wire_json(self.model))

    def _user(self, session: Session, user_id: int | None) -> dict[str, Any] | None:
        if user_id is None:
            return None
        if user_id not in self.names:
            self.names[user_id] = session.scalar(select(User.display_name).where(User.id == user_id)) or "someone"
        return {"id": user_id, "name": self.names[user_id]}

    def _store_checkpoint(self, snapshot_json: str, upto: int, changes: list[LiveChange]) -> None:
        document = self.hub.serialise(snapshot_json)  # the slow part: elsewhere, and outside the lock
        snapshot = Blueprint.model_validate_json(snapshot_json)
        snapshot.index  # noqa: B018 -- built here, not while the blueprint's row is locked
        try:
            with self._locked() as (session, record):
                included = included_seq(session, record)
                if included >= upto:
                    return  # a REST write or another process stored it already
                mine = [change for change in changes if change.seq > included]
                number = write_checkpoint(session, record, snapshot, document, mine, upto)
        except RoomGone:
            return
        self.hub.cache.put(self.id, number, snapshot)


def _reject(message_id: str, reason: str) -> dict[str, Any]:
    return {"type": "reject", "id": message_id, "message": reason}
