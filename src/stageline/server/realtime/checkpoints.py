"""Serialising checkpoints (and analysing what editors see), large ones in a helper process.

Writing a 700-card blueprint as YAML takes about half a second of pure
Python. In a thread it would hold the interpreter lock that long, in 5 ms
slices, and every live room of the process would edit at half speed
meanwhile; so documents past `HELPER_FROM` characters of JSON go to one
helper process, which receives the document as JSON and sends back the YAML.
Smaller ones (a 100-card blueprint takes some 50 ms) stay in the calling
thread, so a server that only ever sees small blueprints never starts one.
The editor's findings and metrics of a large document (`run(analysis, …)`,
some 200 ms) go the same way.

The helper starts on the first large checkpoint (starting it takes about a
second, waited for by the checkpoint's thread, never by the event loop), and
stops with the server. It ignores Ctrl+C, which a terminal sends to the whole
process group, so the server's last checkpoints still have it; if the server
dies without stopping it (kill -9), it notices and exits. Whatever goes
wrong with it (it was killed, it cannot be started here), the checkpoint is
serialised in the calling thread instead and a later one starts a new
helper, up to `MAX_RESTARTS` times.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from stageline.model import Blueprint
from stageline.server.services.documents import serialise

log = logging.getLogger(__name__)

T = TypeVar("T")

# About 250 cards; below that serialising takes well under 150 ms.
HELPER_FROM = 50_000
MAX_RESTARTS = 3


def yaml_of(document_json: str) -> str:
    """The YAML of a blueprint given in its JSON form (what the helper runs)."""
    return serialise(Blueprint.model_validate_json(document_json))


def _ready() -> bool:
    return True  # unpickling this imports the module, which is most of starting


def _start_helper() -> None:
    """In the helper, before any work: ignore Ctrl+C (a terminal sends it to
    the whole process group; the server stops the helper itself), yield the
    CPU to the server, and exit as soon as the server is gone, however it went."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)  # background work: the server's own threads come first for the CPU
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), name="server watch", daemon=True).start()


def _exit_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])  # ready when the server process ends
    os._exit(0)


class Serialiser:
    """`serialiser(document_json)` is the document's YAML. Thread-safe; call
    `close()` when the server stops (later calls serialise in the caller)."""

    def __init__(self, helper_from: int = HELPER_FROM) -> None:
        self.helper_from = helper_from
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False
        self._failures = 0

    def __call__(self, document_json: str) -> str:
        """Blocks the calling thread (not the others) until the YAML is ready."""
        return self.run(yaml_of, document_json)

    def run(self, function: Callable[[str], T], document_json: str) -> T:
        """`function(document_json)`, in the helper when the document is large
        (a module-level function: it is pickled by name), else here."""
        future = self._submit_call(function, document_json) if len(document_json) >= self.helper_from else None
        if future is not None:
            try:
                return future.result()
            except (BrokenProcessPool, CancelledError) as error:  # the helper died, or the server is stopping
                self._lost(error)
        return function(document_json)

    def warm(self) -> None:
        """Start the helper now (a large blueprint was opened), so the first
        checkpoint does not start it while people edit. Returns at once."""
        with self._lock:
            if self._pool is not None or self._closed or self._failures > MAX_RESTARTS:
                return
        self._submit_call(_ready)

    def _submit_call(self, function: Callable[..., T], *args: str) -> Future[T] | None:
        with self._lock:
            if self._closed or self._failures > MAX_RESTARTS:
                return None
            try:
                if self._pool is None:
                    context = multiprocessing.get_context("spawn")  # no copy of this process's threads and sockets
                    self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start_helper)
                return self._pool.submit(function, *args)
            except (OSError, RuntimeError) as error:  # no processes here, or a pool that just broke
                self._discard(error)
                return None

    def _lost(self, error: BaseException) -> None:
        with self._lock:
            if not self._closed:
                self._discard(error)

    def _discard(self, error: BaseException) -> None:
        self._failures += 1
        what = "from now on" if self._failures > MAX_RESTARTS else "until a new one starts"
        log.warning("checkpoint helper process unavailable (%s); serialising in the server %s", error or "", what)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    @property
    def helper_pids(self) -> list[int]:
        """The helper's process id, once it runs (for tests and diagnostics)."""
        with self._lock:
            processes = getattr(self._pool, "_processes", None) or {}
            return [int(pid) for pid in processes]

    def close(self) -> None:
        """Stop the helper and wait for it to exit (a checkpoint it is writing finishes first)."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
