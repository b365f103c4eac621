"""The store behind the server's caches by blueprint version: the most recently
used values are kept, the least recently used let go first."""

from __future__ import annotations

import threading

from stageline.server.services.recent import Recent


def test_the_least_recently_used_goes_first() -> None:
    recent = Recent(2)
    made: list[str] = []

    def make(value: str) -> str:
        made.append(value)
        return value

    assert recent.get("a", lambda: make("a")) == "a"
    assert recent.get("b", lambda: make("b")) == "b"
    assert recent.get("a", lambda: make("a again")) == "a"  # kept, and now the most recent
    recent.get("c", lambda: make("c"))  # b goes
    assert recent.lookup("b") is None and recent.lookup("a") == "a" and recent.lookup("c") == "c"
    assert made == ["a", "b", "c"]


def test_a_result_of_none_is_kept_like_any_other() -> None:
    recent = Recent(4)
    calls = []
    for _ in range(3):
        recent.get("nothing", lambda: calls.append(1))
    assert calls == [1]


def test_forget_lets_go_of_the_keys_asked_for() -> None:
    recent = Recent(8)
    for blueprint in (1, 2):
        for version in (1, 2):
            recent.put((blueprint, version), f"{blueprint}.{version}")
    recent.forget(lambda key: key[0] == 1)
    assert [recent.lookup((1, v)) for v in (1, 2)] == [None, None]
    assert [recent.lookup((2, v)) for v in (1, 2)] == ["2.1", "2.2"]


def test_threads_share_it_safely_and_it_never_grows_past_its_size() -> None:
    recent = Recent(16)

    def work(offset: int) -> None:
        for n in range(2000):
            key = (offset + n) % 40
            assert recent.get(key, lambda key=key: key * 2) == key * 2

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(recent.lookup(key) is not None for key in range(40)) <= 16
