import logging
import threading

import pytest

from wawebpy import events
from wawebpy._dispatch import Dispatcher
from wawebpy.errors import WaitTimeoutError


def test_handlers_run_in_order_and_survive_a_crash(caplog: pytest.LogCaptureFixture) -> None:
    d = Dispatcher(owner="client")
    seen: list[tuple[str, int]] = []
    done = threading.Event()

    def boom(owner: object, e: events.LoadingProgress) -> None:
        raise RuntimeError("handler bug")

    def record(owner: object, e: events.LoadingProgress) -> None:
        seen.append((str(owner), e.percent))
        if e.percent == 3:
            done.set()

    d.add(events.LoadingProgress, boom)
    d.add(events.LoadingProgress, record, group=1)
    d.start()
    with caplog.at_level(logging.ERROR, logger="wawebpy"):
        for p in (1, 2, 3):
            d.publish(events.LoadingProgress(percent=p))
        assert done.wait(5)
    d.stop()
    assert seen == [("client", 1), ("client", 2), ("client", 3)]
    assert "handler bug" in caplog.text


def test_base_class_handlers_get_subclasses_and_predicates_filter() -> None:
    d = Dispatcher(owner=None)
    got: list[events.Event] = []
    done = threading.Event()
    d.add(events.Event, lambda o, e: got.append(e))
    d.add(events.LoadingProgress, lambda o, e: done.set(), predicate=lambda e: e.percent == 50, group=1)
    d.start()
    d.publish(events.LoadingProgress(percent=10))
    d.publish(events.LoggedOut())
    d.publish(events.LoadingProgress(percent=50))
    assert done.wait(5)
    d.stop()
    assert [type(e).__name__ for e in got] == ["LoadingProgress", "LoggedOut", "LoadingProgress"]


def test_wait_for_from_inside_a_handler_does_not_deadlock() -> None:
    d = Dispatcher(owner=None)
    answers: list[int] = []
    done = threading.Event()

    def ask(owner: object, e: events.LoadingProgress) -> None:
        if e.percent == 1:
            reply = d.wait_for(events.LoadingProgress, lambda x: x.percent == 2, timeout=5)
            answers.append(reply.percent)
            done.set()

    d.add(events.LoadingProgress, ask)
    d.start()
    d.publish(events.LoadingProgress(percent=1))
    while not d._waiters:  # the question is out; now the answer arrives
        threading.Event().wait(0.001)
    d.publish(events.LoadingProgress(percent=2))
    assert done.wait(5)
    d.stop()
    assert answers == [2]


def test_wait_for_times_out_with_typed_error() -> None:
    d = Dispatcher(owner=None)
    with pytest.raises(WaitTimeoutError) as info:
        d.wait_for(events.Ready, timeout=0.01)
    assert isinstance(info.value, TimeoutError)


def test_first_match_wins_within_a_group_unless_continue() -> None:
    from wawebpy import CONTINUE, StopPropagation

    d = Dispatcher(owner=None)
    calls: list[str] = []
    done = threading.Event()
    d.add(events.LoadingProgress, lambda o, e: calls.append("low"), priority=-1)
    d.add(events.LoadingProgress, lambda o, e: calls.append("high") or CONTINUE, priority=9)
    d.add(events.LoadingProgress, lambda o, e: calls.append("mid"))
    d.add(events.LoadingProgress, lambda o, e: calls.append("other-group"), group=1)

    def stopper(o: object, e: events.LoadingProgress) -> None:
        calls.append("stop")
        raise StopPropagation

    d.add(events.LoadingProgress, stopper, group=2, predicate=lambda e: e.percent == 2)
    d.add(events.LoadingProgress, lambda o, e: calls.append("never"), group=3,
          predicate=lambda e: e.percent == 2)
    d.add(events.LoggedOut, lambda o, e: done.set(), group=9)
    d.start()
    d.publish(events.LoadingProgress(percent=1))
    d.publish(events.LoadingProgress(percent=2))
    d.publish(events.LoggedOut())
    assert done.wait(5)
    d.stop()
    assert calls == ["high", "mid", "other-group", "high", "mid", "other-group", "stop"]
