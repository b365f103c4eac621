"""The sign-in rate limit: after N failures within a window, per IP address and
per account, further attempts get 429 until the oldest failure ages out."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class SigninLimiter:
    def __init__(self, failures: int = 5, window_seconds: float = 900, clock: Callable[[], float] = time.monotonic):
        self.failures = failures
        self.window = window_seconds
        self._clock = clock
        self._log: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _keys(self, ip: str, username: str) -> list[str]:
        return [f"ip:{ip}", f"user:{username.strip().lower()}"]

    def _prune(self, key: str, now: float) -> deque[float]:
        entries = self._log[key]
        while entries and now - entries[0] >= self.window:
            entries.popleft()
        return entries

    def retry_after(self, ip: str, username: str) -> int:
        """Seconds until another attempt is allowed (0: allowed now)."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for key in self._keys(ip, username):
                entries = self._prune(key, now)
                if len(entries) >= self.failures:
                    wait = max(wait, self.window - (now - entries[-self.failures]))
        return int(wait) + (1 if wait % 1 else 0)

    def failed(self, ip: str, username: str) -> None:
        now = self._clock()
        with self._lock:
            for key in self._keys(ip, username):
                self._prune(key, now).append(now)

    def succeeded(self, ip: str, username: str) -> None:
        with self._lock:
            self._log.pop(self._keys(ip, username)[1], None)
