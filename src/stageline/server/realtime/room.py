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
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from stageline.model import Blueprint, OperationError, parse_operation
from stageline.model.operations import Batch, Operation
from stageline.server.db.models import BlueprintRecord, OperationRecord, User, Version, utcnow
from stageline.server.realtime.announce import note_logged
from stageline.server.realtime.peer import Peer
from stageline.server.realtime.protocol import Cursor, Hello, encode, wire_json, with_document
from stageline.server.services.access import Role
from stageline.server.services.live import (
    LIVE,
    SIGNED_OUT,
    LiveChange,
    apply_live,
    included_seq,
    live_op,
    live_rights,
    refusal,
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


@dataclass
class Recheck:
    """Someone's rights may have changed: check every connection's before the next edit."""


Item = Join | Submit | CatchUp | Save | Shutdown | Recheck

CANNOT_APPLY = "the server could not apply this edit; it was not saved"

# Close codes for rights that ended (final for the editor: it does not reconnect).
SIGNED_OUT_CODE = 4401
NO_ACCESS_CODE = 4403


@dataclass
class Outcome:
    """What a batch did, applied to the room's bookkeeping in the event loop."""

    messages: list[tuple[Peer | None, str]] = field(default_factory=list)  # None: everyone
    changes: list[LiveChange] = field(default_factory=list)
    stored: bool = False  # a REST write stored everything before its changes


class Room:
    def __init__(
        self,
        hub: Hub,
        blueprint_id: int,
        model: Blueprint,
        seq: int,
        changes: list[LiveChange],
        workspace_id: int | None = None,
    ) -> None:
        self.hub = hub
        self.id = blueprint_id
        self.workspace_id = workspace_id
        # Bumped whenever rights that may concern this room change (see announce);
        # a connection checked at an older epoch is checked again before its next edit.
        self.access_epoch = 1
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

    def access_changed(self) -> None:
        """Memberships, grants, sessions or tokens changed: check everyone's rights again."""
        self.access_epoch += 1
        self._queue.put_nowait(Recheck())

    def concerns(self, scope: str, number: int) -> bool:
        """Whether a change of rights of that scope ("w", "b" or "u") may touch this room."""
        if scope == "w":
            return self.workspace_id is None or self.workspace_id == number
        if scope == "b":
            return self.id == number
        return any(peer.actor.id == number for peer in self.peers.values())

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
            elif isinstance(item, Recheck):
                await self._verify_peers()
            elif isinstance(item, CatchUp) and not caught_up:
                await self._commit([])
                caught_up = True
        if batch:
            await self._commit(batch)

    async def _verify_peers(self, also: list[Peer] | None = None) -> None:
        """Check again the rights of connections checked before the current access
        epoch (and of `also`, a batch's senders not yet welcomed): close those
        whose rights ended, demote those whose role fell. Nothing is stored or
        sent to anyone until this is done."""
        epoch = self.access_epoch
        stale = {id(peer): peer for peer in [*self.peers.values(), *(also or [])] if peer.access_epoch < epoch}
        peers = [peer for peer in stale.values() if not peer.closed and peer.credential is not None]
        if not peers:
            return
        checks = [(peer.actor.id, peer.credential) for peer in peers if peer.credential is not None]
        rights = await asyncio.to_thread(live_rights, self.hub.db, self.id, checks)
        for peer, role in zip(peers, rights, strict=True):
            self._apply_rights(peer, role, epoch)

    def _apply_rights(self, peer: Peer, role: Role | str | None, epoch: int) -> None:
        peer.access_epoch = epoch
        if role == SIGNED_OUT or role is None:
            if self.peers.get(peer.client_id) is peer:
                del self.peers[peer.client_id]
                self._broadcast_presence()
            if role == SIGNED_OUT:
                message = "you were signed out, or your API token was revoked: sign in again to keep editing"
                code = SIGNED_OUT_CODE
            else:
                message = "you no longer have access to this blueprint"
                code = NO_ACCESS_CODE
            peer.send_json({"type": "error", "message": message, "code": code})
            peer.close(code, message[:120])
        elif isinstance(role, Role) and role != peer.role:
            peer.role = role
            peer.send_json({"type": "role", "role": role.value})
            if self.peers.get(peer.client_id) is peer:
                self._broadcast_presence()

    async def _commit(self, batch: list[Submit]) -> None:
        await self._verify_peers(also=[submit.peer for submit in batch])
        refused = [submit for submit in batch if submit.peer.closed or not submit.peer.can_edit]
        for submit in refused:
            submit.peer.send_json(_reject(submit.id, refusal(submit.peer.role)))
        batch = [submit for submit in batch if not (submit.peer.closed or not submit.peer.can_edit)]
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
        await self._verify_peers(also=[peer])
        if peer.closed:
            return
        previous = self.peers.get(peer.client_id)
        if previous is not None and previous.actor.id != peer.actor.id:
            peer.client_id = new_client_id()  # someone else's: never take over their connection
        applied = await asyncio.to_thread(self._claim, peer, hello.pending)
        snapshot = await self._snapshot()
        previous = self.peers.get(peer.client_id)
        if previous is not None and previous is not peer:
            previous.close(4409, "this editor connected again elsewhere")
        self.peers[peer.client_id] = peer
        you = {"name": peer.actor.display_name, "color": peer.colour}
        message = {
            "type": "welcome",
            "seq": self.seq,
            "applied": applied,
            "role": peer.role.value,
            "you": {"client_id": peer.client_id, "presence_id": peer.presence_id, **you},
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
                        inverse, phrases = apply_live(submit.op, self.model)
                        undo.append(inverse)
                    except OperationError as error:
                        outcome.messages.append((submit.peer, encode(_reject(submit.id, str(error)))))
                        continue
                    except Exception:
                        # A bug, not the sender's fault; refuse this edit, keep the room.
                        log.exception("live edit %s on blueprint %s could not be applied", submit.id, self.id)
                        outcome.messages.append((submit.peer, encode(_reject(submit.id, CANNOT_APPLY))))
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

    def _claim(self, peer: Peer, pending: list[str]) -> list[str]:
        """Bind the connection's client id to its person: one whose edits in the
        log are someone else's is replaced by a fresh, server-issued one. Returns
        which of `pending` are already applied."""
        with self.hub.db.read() as session:
            if client_id_taken(session, self.id, peer.client_id, peer.actor.id):
                peer.client_id = new_client_id()
                return []
            mine = [message_id for message_id in pending if message_id.startswith(f"{peer.client_id}:")]
            known = self._known(session, mine) if mine else set()
        return [message_id for message_id in mine if message_id in known]

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
            try:
                op = live_op(row)
                _, phrases = apply_live(op, self.model)
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


def new_client_id() -> str:
    """A client id nobody can guess, for a connection whose own was someone else's."""
    return "s-" + secrets.token_urlsafe(18)


def client_id_taken(session: Session, blueprint_id: int, client_id: str, user_id: int) -> bool:
    """Whether edits of another person (or of a deleted account) carry this client id."""
    pattern = client_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ":%"
    found = session.scalar(
        select(OperationRecord.seq)
        .where(
            OperationRecord.blueprint_id == blueprint_id,
            OperationRecord.client_op_id.like(pattern, escape="\\"),
            or_(OperationRecord.user_id != user_id, OperationRecord.user_id.is_(None)),
        )
        .limit(1)
    )
    return found is not None


def _reject(message_id: str, reason: str) -> dict[str, Any]:
    return {"type": "reject", "id": message_id, "message": reason}
