"""Repeated log lines are capped per kind, and the next one after a quiet spell says how
many were dropped."""

from __future__ import annotations

import logging

from jobwise.entrypoints.logs import RepeatLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def record(msg: str, *args: object, name: str = "asyncio") -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, None)


def test_a_flood_of_one_kind_is_capped_and_counted() -> None:
    clock = Clock()
    limiter = RepeatLimiter(burst=3, window=60.0, clock=clock)
    flood = [limiter.filter(record("accept() failed for %s", n)) for n in range(1000)]
    assert flood.count(True) == 3

    other = record("something else")
    assert limiter.filter(other), "another kind of line is not held back"

    clock.now = 61.0
    after = record("accept() failed for %s", "x")
    assert limiter.filter(after)
    assert after.repeats_dropped == 997


def test_kinds_differ_by_logger_and_template() -> None:
    limiter = RepeatLimiter(burst=1, window=60.0, clock=Clock())
    assert limiter.filter(record("a %s", 1, name="one"))
    assert limiter.filter(record("a %s", 1, name="two"))
    assert limiter.filter(record("b %s", 1, name="one"))
    assert not limiter.filter(record("a %s", 2, name="one"))
