"""The sign-in rate limit. Guessing is slowed down without handing an attacker
a lever to lock someone out:

- per source (IP address): after `per_source` failures within the window,
  that source waits until the oldest of them ages out, whichever accounts it
  tried;
- per source and account: after `failures` failures within the window, that
  source waits likewise before trying that account again;
- per account, from every source: after `failures` failures, each further
  attempt waits a delay that doubles with every failure, up to `max_delay`
  seconds after the last one. The real person, from their own address, is
  slowed down by at most `max_delay` seconds, never locked out.

A successful sign-in clears the account's counts.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

PER_SOURCE = 20
MAX_DELAY = 30.0


class SigninLimiter:
    def __init__(
        self,
        failures: int = 5,
        window_seconds: float = 900,
        clock: Callable[[], float] = time.monotonic,
        *,
        per_source: int = PER_SOURCE,
        max_delay: float = MAX_DELAY,
    ):
        self.failures = failures
        self.window = window_seconds
        self.per_source = per_source
        self.max_delay = max_delay
        self._clock = clock
        self._log: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    @staticmethod
    def _keys(ip: str, username: str) -> tuple[str, str, str]:
        name = username.strip().lower()
        return f"ip:{ip}", f"pair:{ip}\n{name}", f"user:{name}"

    def _prune(self, key: str, now: float) -> deque[float]:
        entries = self._log[key]
        while entries and now - entries[0] >= self.window:
            entries.popleft()
        return entries

    def retry_after(self, ip: str, username: str) -> int:
        """Seconds until another attempt is allowed (0: allowed now)."""
        now = self._clock()
        source, pair, account = self._keys(ip, username)
        wait = 0.0
        with self._lock:
            for key, limit in ((source, self.per_source), (pair, self.failures)):
                entries = self._prune(key, now)
                if len(entries) >= limit:
                    wait = max(wait, self.window - (now - entries[-limit]))
            entries = self._prune(account, now)
            if len(entries) >= self.failures:
                delay = min(2.0 ** (len(entries) - self.failures), self.max_delay)
                wait = max(wait, delay - (now - entries[-1]))
        return max(0, int(wait) + (1 if wait % 1 else 0))

    def failed(self, ip: str, username: str) -> None:
        now = self._clock()
        with self._lock:
            for key in self._keys(ip, username):
                self._prune(key, now).append(now)

    def succeeded(self, ip: str, username: str) -> None:
        _, pair, account = self._keys(ip, username)
        with self._lock:
            self._log.pop(pair, None)
            self._log.pop(account, None)
