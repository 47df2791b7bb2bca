"""A small process pool with per-task time limits and per-worker memory limits.

A task that loops forever, exhausts memory or kills its interpreter costs one task, never the
whole build. Workers are long-lived ``forkserver`` processes (``spawn`` where that is missing):
the caller may be a multi-threaded ``mkdocs serve``, where plain ``fork`` is unsafe, and
``preload`` imports heavy modules once in the fork server. The fork server is a per-process
singleton, so ``preload`` only takes effect on the call that starts it.

Time limits have two layers: an ``ITIMER_REAL`` alarm in the worker interrupts Python code and
leaves the worker usable; a task the alarm cannot reach is killed by the parent once it exceeds
the limit plus a grace period, and a fresh worker takes over.

A worker never outlives the process that runs the pool: a killed ``mkdocs build`` must not
leave a worker spinning for an hour.  The fork server alone cannot see that death (each worker
holds the pipe by which it would notice), so each worker watches the pool's process itself
(a pidfd, else polling) and, on Linux, also asks the kernel for SIGKILL when its parent dies
(``PR_SET_PDEATHSIG``).  Knows nothing about proofbook.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import multiprocessing
import os
import resource
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
from types import FrameType
from typing import Any, Generic, TypeVar

__all__ = ["TaskOutcome", "run_tasks"]

T = TypeVar("T")
R = TypeVar("R")

_GRACE_SECONDS = 2.0  # parent-side slack before a hard kill ...
_GRACE_FRACTION = 0.1  # ... plus this share of the time limit
_JOIN_SECONDS = 2.0  # how long to wait for a worker to exit by itself
_POLL_SECONDS = 0.5  # how often a worker without pidfds looks for the pool's process
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@dataclass(frozen=True)
class TaskOutcome(Generic[R]):
    """The result of one task: ``value`` if it succeeded, else ``failure``."""

    value: R | None = None
    failure: str | None = None
    #: The failure is a limit (time, memory, or a SIGKILL as from the OOM killer): the task was
    #: too hard, not wrong; any other failure is an error of the task's code.
    resource: bool = False

    @property
    def ok(self) -> bool:
        """True when the task returned (its value may legitimately be None)."""
        return self.failure is None


@dataclass(frozen=True)
class _Limits:
    seconds: float
    memory_mb: int | None

    def timed_out(self) -> TaskOutcome[Any]:
        return TaskOutcome(failure=f"timed out after {self.seconds:g} s", resource=True)

    def out_of_memory(self) -> TaskOutcome[Any]:
        limit = f" (limit {self.memory_mb} MiB)" if self.memory_mb else ""
        return TaskOutcome(failure=f"worker ran out of memory{limit}", resource=True)


class _TaskTimeout(BaseException):
    """Raised by the alarm; a BaseException so ``except Exception`` in a task cannot eat it."""


def _describe(exc: BaseException) -> str:
    """``Type: message`` without a traceback, which would only show pool internals."""
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


# Worker side.


def _raise_timeout(signum: int, frame: FrameType | None) -> None:
    raise _TaskTimeout


def _limit_memory(megabytes: int) -> None:
    """Cap the address space so runaway allocations raise MemoryError, not the OOM killer."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _run_one(fn: Callable[[T], R], task: T, limits: _Limits) -> TaskOutcome[R]:
    """Run one task under the alarm; the inner ``finally`` disarms it before any handler runs."""
    try:
        signal.setitimer(signal.ITIMER_REAL, limits.seconds)
        try:
            return TaskOutcome(value=fn(task))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _TaskTimeout:
        return limits.timed_out()
    except MemoryError:
        return limits.out_of_memory()
    except Exception as exc:
        return TaskOutcome(failure=f"worker raised {_describe(exc)}")


def _handle(data: bytes, fn: Callable[[T], R], limits: _Limits) -> TaskOutcome[R] | None:
    """Run the pickled ``(task,)`` message, or return None for the stop message."""
    try:
        message = ForkingPickler.loads(data)
    except Exception as exc:
        return TaskOutcome(failure=f"task could not be unpickled in the worker: {_describe(exc)}")
    return None if message is None else _run_one(fn, message[0], limits)


def _pickle_outcome(outcome: TaskOutcome[Any]) -> memoryview:
    """Pickle an outcome; an unpicklable result becomes a failure rather than a dead worker."""
    try:
        return ForkingPickler.dumps(outcome)
    except Exception as exc:
        failure = f"result could not be pickled: {_describe(exc)}"
        return ForkingPickler.dumps(TaskOutcome(failure=failure))


def _die_with(pid: int) -> None:
    """End this process as soon as process ``pid`` (the one running the pool) is gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if not _alive(pid):  # died before the watch began
        os._exit(1)
    threading.Thread(target=_watch, args=(pid,), name="pool-parent-watch", daemon=True).start()


def _watch(pid: int) -> None:
    try:
        fd = os.pidfd_open(pid)  # Linux 5.3+: readable once pid exits
    except (AttributeError, OSError):
        while _alive(pid):
            time.sleep(_POLL_SECONDS)
    else:
        select.select([fd], [], [])
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_main(conn: Connection, fn: Callable[[T], R], limits: _Limits, pool_pid: int) -> None:
    """Serve tasks until the stop message, a closed pipe or the death of ``pool_pid``."""
    _die_with(pool_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGALRM, _raise_timeout)
    if limits.memory_mb:
        _limit_memory(limits.memory_mb)
    with contextlib.suppress(EOFError, OSError):  # the parent has gone away
        while (outcome := _handle(conn.recv_bytes(), fn, limits)) is not None:
            conn.send_bytes(_pickle_outcome(outcome))


# Parent side.


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task_index: int | None = None
    started: float = 0.0


def _context(preload: Sequence[str]) -> BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(preload))
    return ctx


def _start_worker(ctx: BaseContext, fn: Callable[[T], R], limits: _Limits) -> _Worker:
    parent_conn, child_conn = ctx.Pipe()
    process = ctx.Process(  # type: ignore[attr-defined]  # every concrete context has Process; typeshed's BaseContext not
        target=_worker_main, args=(child_conn, fn, limits, os.getpid()), daemon=True)
    try:
        with _main_module_hidden():
            process.start()
    except BaseException:
        parent_conn.close()
        raise
    finally:
        child_conn.close()  # the worker has its own copy; ours would hide EOF when it dies
    return _Worker(process, parent_conn)


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start a worker without telling it about the parent's ``__main__``.

    forkserver and spawn children re-import the parent's main script unless it looks absent.
    Workers need nothing from it (``fn`` lives in a module), and re-running it would fail for
    ``python -`` or a notebook, and run a user's unguarded script a second time.
    """
    main = sys.modules["__main__"]
    saved = {name: main.__dict__.pop(name) for name in ("__file__",) if name in main.__dict__}
    spec = getattr(main, "__spec__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.update(saved)
        main.__spec__ = spec


def _death(process: BaseProcess) -> TaskOutcome[Any]:
    """The outcome of a task whose worker died; a SIGKILL is what the OOM killer sends."""
    code = process.exitcode
    if code is None:
        return TaskOutcome(failure="worker closed its pipe and stopped responding")
    if code < 0:
        return TaskOutcome(failure=f"worker died (killed by signal {-code})",
                           resource=code == -signal.SIGKILL)
    return TaskOutcome(failure=f"worker died (exit code {code})")


def _retire(worker: _Worker) -> None:
    """Release the worker's pipe and process handles, killing it if it has not exited."""
    if worker.process.exitcode is None:
        worker.process.kill()
    worker.process.join()
    worker.conn.close()
    worker.process.close()


def _shutdown(workers: list[_Worker]) -> None:
    """Let idle workers stop politely; busy ones (left by an error) are killed outright."""
    idle = [worker for worker in workers if worker.task_index is None]
    for worker in idle:
        with contextlib.suppress(OSError):
            worker.conn.send(None)
    deadline = time.monotonic() + _JOIN_SECONDS
    for worker in idle:
        worker.process.join(max(0.0, deadline - time.monotonic()))
    for worker in workers:
        _retire(worker)


class _Pool(Generic[T, R]):
    """Book-keeping for one ``run_tasks`` call."""

    def __init__(
        self, ctx: BaseContext, fn: Callable[[T], R], tasks: Sequence[T], limits: _Limits,
        on_done: Callable[[int], None] | None,
    ) -> None:
        self.ctx, self.fn, self.tasks, self.limits = ctx, fn, tasks, limits
        self.on_done = on_done
        self.hard_limit = limits.seconds * (1 + _GRACE_FRACTION) + _GRACE_SECONDS
        self.pending = deque(range(len(tasks)))
        self.outcomes: list[TaskOutcome[R] | None] = [None] * len(tasks)
        self.workers: list[_Worker] = []

    def run(self, jobs: int) -> list[TaskOutcome[R]]:
        try:
            while self.pending and len(self.workers) < jobs:
                self.add_worker()
            while any(worker.task_index is not None for worker in self.workers):
                self.step()
        finally:
            _shutdown(self.workers)
        assert all(outcome is not None for outcome in self.outcomes)
        return self.outcomes  # type: ignore[return-value]

    def add_worker(self) -> None:
        worker = _start_worker(self.ctx, self.fn, self.limits)
        self.workers.append(worker)
        self.assign(worker)

    def assign(self, worker: _Worker) -> None:
        """Send the worker the next task that can be pickled; the others fail here."""
        while self.pending:
            index = self.pending.popleft()
            try:
                data = ForkingPickler.dumps((self.tasks[index],))
            except Exception as exc:
                self.finish(index, TaskOutcome(failure=f"task could not be pickled: {_describe(exc)}"))
                continue
            worker.task_index, worker.started = index, time.monotonic()
            with contextlib.suppress(OSError):  # a dead worker shows up through its sentinel
                worker.conn.send_bytes(data)
            return

    def step(self) -> None:
        """Wait for the next result, death or deadline among busy workers, and handle it."""
        busy = [worker for worker in self.workers if worker.task_index is not None]
        deadline = min(worker.started for worker in busy) + self.hard_limit
        waitables = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = set(wait(waitables, max(0.0, deadline - time.monotonic())))
        for worker in busy:
            if worker.conn in ready:  # first: a result sent just before dying still counts
                self.collect(worker)
            elif worker.process.sentinel in ready:
                self.bury(worker)
            elif time.monotonic() - worker.started > self.hard_limit:
                self.replace(worker, self.limits.timed_out())

    def collect(self, worker: _Worker) -> None:
        assert worker.task_index is not None
        try:
            data = worker.conn.recv_bytes()
        except (EOFError, OSError):  # died before or while answering
            self.bury(worker)
            return
        try:
            outcome = ForkingPickler.loads(data)
        except Exception as exc:
            outcome = TaskOutcome(failure=f"result could not be unpickled: {_describe(exc)}")
        index, worker.task_index = worker.task_index, None
        self.finish(index, outcome)
        self.assign(worker)

    def finish(self, index: int, outcome: TaskOutcome[R]) -> None:
        self.outcomes[index] = outcome
        if self.on_done is not None:
            self.on_done(index)

    def bury(self, worker: _Worker) -> None:
        """Fail a dead worker's task; join first, as the exit status may lag the sentinel."""
        worker.process.join(_JOIN_SECONDS)
        self.replace(worker, _death(worker.process))

    def replace(self, worker: _Worker, outcome: TaskOutcome[R]) -> None:
        """Fail the worker's task, discard the worker and start another if work remains."""
        assert worker.task_index is not None
        self.finish(worker.task_index, outcome)
        self.workers.remove(worker)
        _retire(worker)
        if self.pending:
            self.add_worker()


def run_tasks(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    *,
    jobs: int,
    time_limit: float,
    memory_limit_mb: int | None = None,
    preload: Sequence[str] = (),
    on_done: Callable[[int], None] | None = None,
) -> list[TaskOutcome[R]]:
    """Run ``fn`` on every task in worker processes; the outcomes come back in task order,
    and ``on_done(index)`` is called as each task finishes (to show progress).

    ``fn`` must be a module-level function and tasks and results must be picklable. Task-level
    problems (exceptions, timeouts, memory exhaustion, dead workers) become failed outcomes;
    only bad arguments and infrastructure errors raise.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if not 0 < time_limit < math.inf:
        raise ValueError(f"time_limit must be a positive finite number, got {time_limit}")
    if not tasks:
        return []
    return _Pool(_context(preload), fn, tasks, _Limits(time_limit, memory_limit_mb), on_done).run(jobs)
