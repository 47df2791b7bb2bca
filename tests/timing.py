"""Bounds on work, measured so that a busy machine does not fail them.

A test of bounded work (a bomb that used to cost quadratic time) asserts a time, but a
single run can stall for reasons unrelated to the code: another test's browser, a garbage
collection.  The fastest of a few runs is what the code costs; the bounds stay far below
what the unbounded version took, so a regression still fails every run.
"""

from __future__ import annotations

import time
from typing import TypeVar
from collections.abc import Callable

T = TypeVar("T")


def fastest(action: Callable[[], T], runs: int = 3) -> tuple[T, float]:
    """The result of ``action`` and the shortest time, in seconds, of ``runs`` calls."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    return result, best
