"""Task functions for tests/test_pool.py, in a real module so workers can import them by name."""

from __future__ import annotations

import os
import signal
import time
from typing import Any


def perform(task: tuple[str, Any]) -> Any:
    """Carry out one named test action; tasks are ``(action, argument)`` pairs."""
    action, argument = task
    return _ACTIONS[action](argument)


def _echo(argument: Any) -> Any:
    return argument


def _pid(argument: Any) -> int:
    return os.getpid()


def _spin(argument: Any) -> None:
    """Loop forever in pure Python, where the worker's alarm can interrupt it."""
    while True:
        pass


def _sleep_deaf(seconds: float) -> None:
    """Block SIGALRM and sleep, so only the parent's hard kill can end the task."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(seconds)


def _report_and_spin(path: str) -> None:
    """Write "worker-pid parent-pid" to ``path``, then spin where no alarm can stop it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    with open(path + ".tmp", "w") as handle:
        handle.write(f"{os.getpid()} {os.getppid()}")
    os.replace(path + ".tmp", path)
    while True:
        pass


def _sigkill(argument: Any) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _exit(code: int) -> None:
    os._exit(code)


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def _raise(message: str) -> None:
    raise ValueError(message)


def _unpicklable(argument: Any) -> Any:
    return lambda: argument


_ACTIONS = {
    "echo": _echo,
    "pid": _pid,
    "spin": _spin,
    "sleep_deaf": _sleep_deaf,
    "report_and_spin": _report_and_spin,
    "sigkill": _sigkill,
    "exit": _exit,
    "allocate": _allocate,
    "raise": _raise,
    "unpicklable": _unpicklable,
}
