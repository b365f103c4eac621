"""The hub: the live rooms of this server process, by blueprint."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging

from sqlalchemy import select
from sqlalchemy.orm import aliased

from stageline.model import Blueprint
from stageline.server.db.models import BlueprintRecord, OperationRecord
from stageline.server.realtime.announce import AccessChanged, Commented, Notice
from stageline.server.realtime.bus import Bus, LocalBus, PostgresBus
from stageline.server.realtime.checkpoints import Serialiser
from stageline.server.realtime.peer import Peer
from stageline.server.realtime.protocol import Hello
from stageline.server.realtime.room import Room
from stageline.server.services import Services
from stageline.server.services.errors import NotFound
from stageline.server.services.live import LIVE, LiveChange, replay, store_live_tail, stored_document, tail_rows

log = logging.getLogger(__name__)

# Blueprints with this many cards have their checkpoints serialised in a helper process.
LARGE = 250


def keep_out_of_collections() -> None:
    """Leave what exists now (the code, a room's document) out of the garbage
    collector's full passes: with a 700-card document in memory each pass
    took 100-200 ms, every edit in the process waiting meanwhile. Reference
    counting still frees these objects; only cycles among them stay."""
    gc.freeze()


class Hub:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.db = services.db
        self.cache = services.blueprints.cache
        self.rooms: dict[int, Room] = {}
        self._loading: dict[int, asyncio.Lock] = {}
        self.bus: Bus = LocalBus(self.db.engine) if self.db.is_sqlite else PostgresBus(self.db.engine, self.db.url)
        self._recovery: asyncio.Task[int] | None = None
        self.serialise = Serialiser()  # checkpoints' YAML, large ones in a helper process

    async def start(self) -> None:
        await self.bus.start(self._changed, self._resync)
        keep_out_of_collections()
        self._recovery = asyncio.create_task(asyncio.to_thread(self.store_pending_edits))

    async def stop(self) -> None:
        try:
            await asyncio.gather(*(room.shutdown() for room in list(self.rooms.values())))
            if self._recovery is not None:
                with contextlib.suppress(Exception):
                    await self._recovery
            await self.bus.stop()
        finally:
            await asyncio.to_thread(self.serialise.close)  # after the rooms' last checkpoints

    async def join(self, blueprint_id: int, peer: Peer, hello: Hello) -> Room:
        room = self.rooms.get(blueprint_id)
        if room is None or room.closed:
            lock = self._loading.setdefault(blueprint_id, asyncio.Lock())
            async with lock:
                room = self.rooms.get(blueprint_id)
                if room is None or room.closed:
                    model, seq, changes, workspace_id = await asyncio.to_thread(self._load, blueprint_id)
                    if len(model.index.cards) >= LARGE:
                        await asyncio.to_thread(self.serialise.warm)  # starting it later would slow editing
                    room = Room(self, blueprint_id, model, seq, changes, workspace_id)
                    self.rooms[blueprint_id] = room
                    keep_out_of_collections()
                    room.catch_up()  # in case something landed while loading
        room.join(peer, hello)
        return room

    def forget(self, room: Room) -> None:
        if self.rooms.get(room.id) is room:
            del self.rooms[room.id]

    def _changed(self, notice: Notice) -> None:
        if isinstance(notice, AccessChanged):
            self._access_changed(notice)
            return
        room = self.rooms.get(notice.blueprint_id)
        if room is None or room.closed:
            return
        if isinstance(notice, Commented):
            room.comments_changed()
        elif notice.seq > room.seq:
            room.catch_up()

    def _access_changed(self, notice: AccessChanged) -> None:
        for room in list(self.rooms.values()):
            if not room.closed and room.concerns(notice.scope, notice.id):
                room.access_changed()

    def _resync(self) -> None:
        for room in list(self.rooms.values()):
            room.access_changed()  # a change of rights may have been missed too
            room.catch_up()
            room.comments_changed()  # a comment may have been missed as well

    def _load(self, blueprint_id: int) -> tuple[Blueprint, int, list[LiveChange], int]:
        """The stored version plus the live edits after it, and the seq that makes."""
        with self.db.read() as session:
            record = session.get(BlueprintRecord, blueprint_id)
            if record is None or record.deleted_at is not None:
                raise NotFound(f"no blueprint {blueprint_id} you can see")
            blueprint = stored_document(session, record, self.cache)
            rows = tail_rows(session, record)
            seq = rows[-1].seq if rows else record.last_seq
        return blueprint, seq, replay(blueprint, rows), record.workspace_id

    def store_pending_edits(self) -> int:
        """Store live edits a stopped server left in the log only (after a crash),
        so pages and downloads show them; rooms open in this process keep theirs."""
        last = aliased(OperationRecord)
        with self.db.read() as session:
            ids = list(
                session.scalars(
                    select(BlueprintRecord.id)
                    .join(last, (last.blueprint_id == BlueprintRecord.id) & (last.seq == BlueprintRecord.last_seq))
                    .where(last.kind == LIVE, last.version == BlueprintRecord.version)
                )
            )
        stored = 0
        for blueprint_id in ids:
            if blueprint_id in self.rooms:
                continue
            try:
                store_live_tail(self.db, self.cache, blueprint_id)
                stored += 1
            except Exception:
                log.exception("could not store the live edits left on blueprint %s", blueprint_id)
        return stored
