"""Tests for proofbook.verify.pool: ordering, time limits, memory limits and dead workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import pool_tasks  # tests/ is on sys.path (pytest rootdir insertion); workers inherit sys.path
from proofbook.verify.pool import TaskOutcome, run_tasks

LIMIT = 1.0
HARD_LIMIT = LIMIT * 1.1 + 2.0  # mirrors the pool's grace period
SLACK = 1.5  # allowance for scheduling and process start-up


def run(tasks: list[tuple[str, Any]], jobs: int = 1, **options: Any) -> list[TaskOutcome[Any]]:
    return run_tasks(pool_tasks.perform, tasks, jobs=jobs, time_limit=LIMIT, **options)


def summary(outcomes: list[TaskOutcome[Any]]) -> list[Any]:
    return [outcome.value if outcome.ok else outcome.failure for outcome in outcomes]


@pytest.mark.parametrize("jobs", [1, 2, 16])
def test_results_come_back_in_task_order(jobs: int) -> None:
    """Outcomes follow task order whatever the number of workers (clamped to the task count)."""
    outcomes = run([("echo", i) for i in range(10)], jobs=jobs)
    assert outcomes == [TaskOutcome(value=i) for i in range(10)]


def test_single_job_still_uses_a_worker_process() -> None:
    """jobs=1 runs tasks in another process, so the limits apply."""
    (outcome,) = run([("pid", None)])
    assert outcome.ok and outcome.value != os.getpid()


def test_empty_task_list() -> None:
    """No tasks means no outcomes."""
    assert run([], jobs=4) == []


@pytest.mark.parametrize("options", [{"jobs": 0}, {"time_limit": 0}, {"time_limit": float("nan")},
                                     {"time_limit": float("inf")}, {"time_limit": -1}])
def test_invalid_arguments_raise(options: dict[str, float]) -> None:
    """Nonsensical pool settings are programming errors, not task failures."""
    arguments: dict[str, Any] = {"jobs": 1, "time_limit": LIMIT} | options
    with pytest.raises(ValueError):
        run_tasks(pool_tasks.perform, [("echo", 1)], **arguments)


def test_exception_becomes_failure_without_traceback() -> None:
    """An exception raised by the task is reported by type and message only."""
    outcomes = run([("raise", "bad input"), ("echo", 2)])
    assert summary(outcomes) == ["worker raised ValueError: bad input", 2]


def test_unpicklable_task_and_result_fail_alone() -> None:
    """Pickling problems fail the affected task and leave the others alone."""
    task, result, fine = run([("echo", lambda: None), ("unpicklable", 1), ("echo", 3)])
    assert str(task.failure).startswith("task could not be pickled:")
    assert str(result.failure).startswith("result could not be pickled:")
    assert fine == TaskOutcome(value=3)


def test_pure_python_loop_times_out_and_worker_survives() -> None:
    """The in-worker alarm stops a runaway loop on time and the same worker runs on."""
    start = time.monotonic()
    before, spun, after = run([("pid", None), ("spin", None), ("pid", None)])
    assert time.monotonic() - start < LIMIT + SLACK
    assert spun.failure == "timed out after 1 s"
    assert before.ok and before.value == after.value


def test_signal_deaf_task_is_killed_and_replaced() -> None:
    """A task the alarm cannot reach is killed after the grace period; the rest complete."""
    start = time.monotonic()
    outcomes = run([("sleep_deaf", 60), ("echo", 1), ("echo", 2), ("echo", 3)], jobs=2)
    elapsed = time.monotonic() - start
    assert HARD_LIMIT <= elapsed < HARD_LIMIT + SLACK
    assert summary(outcomes) == ["timed out after 1 s", 1, 2, 3]


def test_killed_worker_is_reported_and_replaced() -> None:
    """A worker killed by a signal fails its task only; a replacement runs the rest."""
    outcomes = run([("sigkill", None), ("echo", 1), ("sigkill", None), ("echo", 2)])
    killed = "worker died (killed by signal 9)"
    assert summary(outcomes) == [killed, 1, killed, 2]


def test_exiting_worker_is_reported_with_its_exit_code() -> None:
    """A worker that exits mid-task is reported with its exit status."""
    outcomes = run([("exit", 3), ("echo", 1)])
    assert summary(outcomes) == ["worker died (exit code 3)", 1]


def test_memory_limit_turns_huge_allocation_into_failure() -> None:
    """Under a memory limit a 2 GiB allocation fails cleanly and the worker carries on."""
    outcomes = run([("allocate", 2048), ("allocate", 64)], memory_limit_mb=512)
    assert summary(outcomes) == ["worker ran out of memory (limit 512 MiB)", 64 * 1024 * 1024]


def test_no_file_descriptors_leak() -> None:
    """Pipes and sentinels of finished and dead workers are all closed."""
    run([("echo", 0)])  # starts the shared fork server and resource tracker first
    before = set(os.listdir("/proc/self/fd"))
    run([("echo", 1), ("sigkill", None), ("raise", "x"), ("echo", 2)], jobs=2)
    assert set(os.listdir("/proc/self/fd")) == before


ORPHANED = """
import sys
import pool_tasks
from proofbook.verify.pool import run_tasks
run_tasks(pool_tasks.perform, [("report_and_spin", sys.argv[1])], jobs=1, time_limit=600)
"""


def running(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie no one has reaped yet does not)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads process states from /proc")
def test_a_killed_parent_leaves_no_worker_behind(tmp_path: Path) -> None:
    """``kill -9`` of the process running the pool, while a worker spins where no alarm can stop
    it: the worker and the fork server are gone within seconds, not left at 100% CPU."""
    report = tmp_path / "pids"
    parent = subprocess.Popen([sys.executable, "-c", ORPHANED, str(report)], cwd=Path(pool_tasks.__file__).parent)
    deadline = time.monotonic() + 60
    while not report.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    worker, server = map(int, report.read_text().split())
    assert running(worker) and running(server)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while (running(worker) or running(server)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(worker) and not running(server)


def test_limits_are_told_apart_from_errors() -> None:
    """A timeout, or a SIGKILL as from the OOM killer, is a limit (the task was too hard); an
    exception or another death is an error of the task's code, which a caller must not excuse."""
    outcomes = run([("spin", None), ("sigkill", None), ("raise", "bug"), ("exit", 3), ("echo", 1)])
    assert [o.resource for o in outcomes] == [True, True, False, False, False]
