"""The collector is paused around big loads, dumps and drawings and comes back as it was."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from stageline.formats import writer, yaml_format
from stageline.gc_pause import paused_gc, without_gc
from stageline.model import Blueprint


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_a_pause_turns_the_collector_off_and_back_on() -> None:
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still runs
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_threads_end_with_the_last() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with paused_gc():
            first_in.set()
            second_in.wait()
        first_out.set()

    def second() -> None:
        first_in.wait()
        with paused_gc():
            second_in.set()
            first_out.wait()
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [False]
    assert gc.isenabled()


def test_an_error_inside_still_turns_it_back_on() -> None:
    @without_gc
    def fails() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError):
        fails()
    assert gc.isenabled()


def test_loading_and_writing_run_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch, hotel: Blueprint) -> None:
    states: list[bool] = []
    real_read = yaml_format.Reader.read

    def read(self: yaml_format.Reader, tree: object) -> Blueprint:
        states.append(gc.isenabled())
        return real_read(self, tree)

    real_tree = writer.plain_tree

    def plain_tree(bp: Blueprint) -> object:
        states.append(gc.isenabled())
        return real_tree(bp)

    monkeypatch.setattr(yaml_format.Reader, "read", read)
    monkeypatch.setattr(writer, "plain_tree", plain_tree)
    assert yaml_format.loads(writer.dumps(hotel)) == hotel
    assert states == [False, False] and gc.isenabled()
