"""A small thread-safe store of the most recently used results, for the caches
keyed by blueprint version (a version never changes, so what was made from it
stays right; only the least recently used are let go)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Recent:
    """At most `size` values by key; the least recently used go first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value kept for `key`, or `make()` kept now (made outside the lock, so
        two callers may make the same value at once; the later one is kept)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        self.put(key, value)
        return value

    def lookup(self, key: Hashable) -> Any:
        """The value kept for `key`, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def forget(self, drop: Callable[[Any], bool]) -> None:
        """Let go of every value whose key `drop` answers true for."""
        with self._lock:
            for key in [key for key in self._items if drop(key)]:
                del self._items[key]
