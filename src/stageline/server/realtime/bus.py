"""How server processes tell each other that a blueprint's log grew, or its comments changed.

The message is small — blueprint id and seq, or blueprint id and "comments"
(see `announce`) — and the receiving room reads the rows it lacks from the
log (its editors refetch the comment threads), so a lost or repeated message
costs a query, never an edit. One process on SQLite needs nothing more than a call in the
process (`LocalBus`); several processes on PostgreSQL use LISTEN/NOTIFY
(`PostgresBus`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable

import psycopg
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from stageline.server.realtime.announce import Notice, announcer, parse

log = logging.getLogger(__name__)
Listener = Callable[[Notice], None]


class Bus(ABC):
    @abstractmethod
    async def start(self, listener: Listener, resync: Callable[[], None]) -> None:
        """Call `listener(notice)` in the event loop for every change;
        `resync()` when messages may have been missed (after a reconnect)."""

    @abstractmethod
    async def stop(self) -> None: ...


class LocalBus(Bus):
    """Commits in this process are all there is."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def start(self, listener: Listener, resync: Callable[[], None]) -> None:
        loop = asyncio.get_running_loop()

        def publish(payload: str) -> None:
            notice = parse(payload)
            if notice is not None and not loop.is_closed():
                loop.call_soon_threadsafe(listener, notice)

        announcer(self.engine).local = publish

    async def stop(self) -> None:
        announcer(self.engine).local = None


def channel_for(schema: str) -> str:
    """One channel per schema, so servers on different schemas of one database keep to themselves."""
    return ("stageline_" + re.sub(r"[^a-z0-9_]", "_", schema.lower()))[:63]


class PostgresBus(Bus):
    """LISTEN on one connection of its own; writers NOTIFY inside their transaction."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.channel = ""
        self._task: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    async def start(self, listener: Listener, resync: Callable[[], None]) -> None:
        def schema() -> str:
            with self.engine.connect() as connection:
                return str(connection.execute(text("select current_schema()")).scalar_one())

        self.channel = channel_for(await asyncio.to_thread(schema))
        announcer(self.engine).channel = self.channel
        self._task = asyncio.create_task(self._listen(listener, resync))
        try:
            await asyncio.wait_for(self._listening.wait(), timeout=10)
        except TimeoutError:
            log.warning("not yet listening for live changes on %s; retrying in the background", self.channel)

    async def _listen(self, listener: Listener, resync: Callable[[], None]) -> None:
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True) as connection:
                    await connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    self._listening.set()
                    delay = 0.5
                    resync()
                    async for notice in connection.notifies():
                        parsed = parse(notice.payload)
                        if parsed is not None:
                            listener(parsed)
            except asyncio.CancelledError:
                raise
            except (psycopg.Error, OSError) as error:
                log.warning("live change listener lost its connection (%s); reconnecting", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10)

    async def stop(self) -> None:
        announcer(self.engine).channel = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
