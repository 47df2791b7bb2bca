"""A small process pool with per-task time limits and per-worker memory limits.

Runs independent CPU-bound tasks in long-lived worker processes so that a task
which loops forever, exhausts memory or crashes its interpreter costs one task,
never the whole build. It knows nothing about proofbook.

Workers come from the ``forkserver`` start method (``spawn`` where that is
unavailable): the caller may be a multi-threaded ``mkdocs serve`` where a plain
``fork`` is unsafe, and ``preload`` lets heavy modules be imported once in the
fork server. Note that the fork server is a per-process singleton, so
``preload`` only takes effect on the first call that starts it.

Time limits have two layers. Inside the worker an ``ITIMER_REAL`` alarm raises
``_TaskTimeout`` in pure-Python code and the worker stays usable. A task stuck
where signals cannot reach it is killed by the parent once it exceeds the limit
plus a grace period, and a fresh worker takes over.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Sequence
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
_JOIN_SECONDS = 2.0  # how long shutdown waits for workers to stop politely


@dataclass(frozen=True)
class TaskOutcome(Generic[R]):
    """The result of one task: ``value`` if it succeeded, else ``failure``."""

    value: R | None = None
    failure: str | None = None

    @property
    def ok(self) -> bool:
        """True when the task returned (its value may legitimately be None)."""
        return self.failure is None


class _TaskTimeout(BaseException):
    """Raised by the alarm; a BaseException so ``except Exception`` in tasks cannot swallow it."""


# ---------------------------------------------------------------- worker side


def _raise_timeout(signum: int, frame: FrameType | None) -> None:
    raise _TaskTimeout


def _limit_memory(megabytes: int) -> None:
    """Cap the address space so runaway allocations raise MemoryError instead of invoking the OOM killer."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _timed_out(time_limit: float) -> str:
    return f"timed out after {time_limit:g} s"


def _describe(exc: BaseException) -> str:
    """``Type: message`` without a traceback, which would only repeat pool internals."""
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _run_one(fn: Callable[[T], R], task: T, time_limit: float, memory_limit_mb: int | None) -> TaskOutcome[R]:
    """Run one task under the alarm; the inner ``finally`` disarms it before any handler runs."""
    try:
        signal.setitimer(signal.ITIMER_REAL, time_limit)
        try:
            return TaskOutcome(value=fn(task))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _TaskTimeout:
        return TaskOutcome(failure=_timed_out(time_limit))
    except MemoryError:
        limit = f" (limit {memory_limit_mb} MiB)" if memory_limit_mb else ""
        return TaskOutcome(failure=f"worker ran out of memory{limit}")
    except Exception as exc:
        return TaskOutcome(failure=f"worker raised {_describe(exc)}")


def _send_outcome(conn: Connection, outcome: TaskOutcome[Any]) -> None:
    """Send an outcome; a result that cannot be pickled becomes a failure rather than a dead worker."""
    try:
        data = ForkingPickler.dumps(outcome)
    except Exception as exc:
        failure = f"result could not be pickled: {_describe(exc)}"
        data = ForkingPickler.dumps(TaskOutcome(failure=failure))
    conn.send_bytes(data)


def _worker_main(conn: Connection, fn: Callable[[T], R], time_limit: float, memory_limit_mb: int | None) -> None:
    """Serve tasks until the stop message or a closed pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGALRM, _raise_timeout)
    if memory_limit_mb:
        _limit_memory(memory_limit_mb)
    with contextlib.suppress(EOFError, OSError):  # the parent has gone away
        while (outcome := _handle(conn.recv_bytes(), fn, time_limit, memory_limit_mb)) is not None:
            _send_outcome(conn, outcome)


def _handle(data: bytes, fn: Callable[[T], R], time_limit: float, memory_limit_mb: int | None) -> TaskOutcome[R] | None:
    """Run the pickled ``(task,)`` message, or return None for the stop message."""
    try:
        message = ForkingPickler.loads(data)
    except Exception as exc:
        return TaskOutcome(failure=f"task could not be unpickled in the worker: {_describe(exc)}")
    if message is None:
        return None
    return _run_one(fn, message[0], time_limit, memory_limit_mb)


# ---------------------------------------------------------------- parent side


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task_index: int | None = None
    started: float = 0.0


def _context(preload: Sequence[str]) -> BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(preload))
        return ctx
    return multiprocessing.get_context("spawn")


def _start_worker(ctx: BaseContext, fn: Callable[[T], R], time_limit: float, memory_limit_mb: int | None) -> _Worker:
    parent_conn, child_conn = ctx.Pipe()
    process = ctx.Process(target=_worker_main, args=(child_conn, fn, time_limit, memory_limit_mb), daemon=True)
    try:
        process.start()
    except BaseException:
        parent_conn.close()
        raise
    finally:
        child_conn.close()  # the worker's copy keeps its end open; ours would mask EOF on death
    return _Worker(process, parent_conn)


def _death_message(process: BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        return f"worker died (killed by signal {-code})"
    return f"worker died (exit code {code})"


def _retire(worker: _Worker, kill: bool) -> None:
    """Release a worker's pipe and process handles, killing it first if asked."""
    if kill:
        worker.process.kill()
    worker.process.join()
    worker.conn.close()
    worker.process.close()


def _shutdown(workers: list[_Worker]) -> None:
    """Ask idle workers to stop, then kill whatever has not exited in time."""
    for worker in workers:
        if worker.task_index is None:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
    deadline = time.monotonic() + _JOIN_SECONDS
    for worker in workers:
        if worker.task_index is None:
            worker.process.join(max(0.0, deadline - time.monotonic()))
        _retire(worker, kill=worker.process.exitcode is None)


class _Pool(Generic[T, R]):
    """Book-keeping for one ``run_tasks`` call."""

    def __init__(
        self, ctx: BaseContext, fn: Callable[[T], R], tasks: Sequence[T], time_limit: float, memory_limit_mb: int | None
    ) -> None:
        self.ctx, self.fn, self.tasks = ctx, fn, tasks
        self.time_limit, self.memory_limit_mb = time_limit, memory_limit_mb
        self.hard_limit = time_limit * (1 + _GRACE_FRACTION) + _GRACE_SECONDS
        self.pending = deque(range(len(tasks)))
        self.outcomes: list[TaskOutcome[R] | None] = [None] * len(tasks)
        self.workers: list[_Worker] = []

    def add_worker(self) -> None:
        worker = _start_worker(self.ctx, self.fn, self.time_limit, self.memory_limit_mb)
        self.workers.append(worker)
        self.assign(worker)

    def assign(self, worker: _Worker) -> None:
        """Give the worker the next task that can be pickled; unpicklable tasks fail here."""
        while self.pending:
            index = self.pending.popleft()
            try:
                data = ForkingPickler.dumps((self.tasks[index],))
            except Exception as exc:
                self.outcomes[index] = TaskOutcome(failure=f"task could not be pickled: {_describe(exc)}")
                continue
            worker.task_index, worker.started = index, time.monotonic()
            with contextlib.suppress(OSError):  # a dead worker is reported through its sentinel
                worker.conn.send_bytes(data)
            return

    def replace(self, worker: _Worker, failure: str, kill: bool) -> None:
        """Fail the worker's task, discard the worker and start another if work remains."""
        assert worker.task_index is not None
        self.outcomes[worker.task_index] = TaskOutcome(failure=failure)
        worker.task_index = None
        self.workers.remove(worker)
        _retire(worker, kill)
        if self.pending:
            self.add_worker()

    def step(self) -> None:
        """Wait for the next result, death or deadline, and handle it."""
        busy = [w for w in self.workers if w.task_index is not None]
        now = time.monotonic()
        timeout = max(0.0, min(w.started + self.hard_limit for w in busy) - now)
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
        for worker in busy:
            if worker.conn in ready:
                self.collect(worker)
            elif worker.process.sentinel in ready:
                self.replace(worker, _death_message(worker.process), kill=False)
            elif time.monotonic() - worker.started > self.hard_limit:
                self.replace(worker, _timed_out(self.time_limit), kill=True)

    def collect(self, worker: _Worker) -> None:
        assert worker.task_index is not None
        try:
            outcome = worker.conn.recv()
        except Exception:  # died mid-message: the exit code says why
            worker.process.join()
            self.replace(worker, _death_message(worker.process), kill=False)
            return
        self.outcomes[worker.task_index] = outcome
        worker.task_index = None
        self.assign(worker)

    def run(self, jobs: int) -> list[TaskOutcome[R]]:
        try:
            for _ in range(min(jobs, len(self.tasks))):
                if self.pending:
                    self.add_worker()
            while any(w.task_index is not None for w in self.workers):
                self.step()
        finally:
            _shutdown(self.workers)
        assert all(outcome is not None for outcome in self.outcomes)
        return self.outcomes  # type: ignore[return-value]


def run_tasks(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    *,
    jobs: int,
    time_limit: float,
    memory_limit_mb: int | None = None,
    preload: Sequence[str] = (),
) -> list[TaskOutcome[R]]:
    """Run ``fn`` on every task in worker processes and return the outcomes in task order.

    ``fn`` must be a module-level function; tasks and results must be picklable.
    Task-level problems (exceptions, timeouts, memory exhaustion, dead workers)
    become failed outcomes; only infrastructure errors raise.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if time_limit <= 0:
        raise ValueError(f"time_limit must be positive, got {time_limit}")
    if not tasks:
        return []
    return _Pool(_context(preload), fn, tasks, time_limit, memory_limit_mb).run(jobs)
