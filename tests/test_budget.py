"""The CPU budget of the symbolic methods: it interrupts the work inside its block, and nothing
after the block, even when its signal lands while the block is being left."""

from __future__ import annotations

import signal
import sys
from typing import Any

import pytest

from proofbook.verify import engine
from proofbook.verify.engine import BudgetExceeded, CpuBudget


def test_a_budget_interrupts_the_work_in_its_block() -> None:
    budget = CpuBudget(0.05)
    with pytest.raises(BudgetExceeded), budget:
        while True:
            pass
    assert budget.expired
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)


def test_a_signal_while_the_block_is_left_stops_nothing_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The signal lands inside ``__exit__``, just before it stops the timer (as it once did in a
    worker, which then died of the exception in unrelated code): the expiry is recorded, the
    timer stopped, the previous handler back, and ``confirm`` reports it."""
    real_setitimer = signal.setitimer

    def late_signal(which: int, seconds: float, *rest: Any) -> Any:
        if seconds == 0:
            signal.getsignal(signal.SIGVTALRM)(signal.SIGVTALRM, sys._getframe(1))  # type: ignore[operator]  # ours
        return real_setitimer(which, seconds, *rest)

    previous = signal.getsignal(signal.SIGVTALRM)
    budget = CpuBudget(60)
    with budget:
        monkeypatch.setattr(engine.signal, "setitimer", late_signal)
    monkeypatch.undo()
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGVTALRM) is previous
    with pytest.raises(BudgetExceeded):
        budget.confirm()
