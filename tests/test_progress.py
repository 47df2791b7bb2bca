"""Progress of a cold verification: a status line on a terminal, a line now and then in CI logs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from proofbook.adapters.cli import main
from proofbook.progress import Progress
from proofbook.verify.pool import run_tasks
import pool_tasks

ROOT = Path(__file__).resolve().parents[1]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_logs_get_one_line_per_interval_not_per_entry() -> None:
    """Non-interactive output (CI): 300 claims finishing over 12 s give two lines, not 300."""
    lines: list[str] = []
    clock = Clock()
    progress = Progress(lines.append, clock=clock)
    ids = [f"e{k // 2}" for k in range(300)]  # 150 entries of two claims each
    progress.start(ids)
    for ident in ids:
        clock.now += 12 / 300
        progress.claim_done(ident)
    progress.finish()
    assert lines == ["verifying: 62/150 entries (41%), 0:05 elapsed, last: e62",
                     "verifying: 125/150 entries (83%), 0:10 elapsed, last: e124"]


def test_a_quick_run_says_nothing() -> None:
    lines: list[str] = []
    terminal = io.StringIO()
    clock = Clock()
    for progress in (Progress(lines.append, clock=clock), Progress(lines.append, terminal=terminal, clock=clock)):
        progress.start(["a", "b"])
        clock.now += 0.2
        progress.claim_done("a")
        progress.claim_done("b")
        progress.finish()
    assert lines == [] and terminal.getvalue() == ""


def test_a_terminal_gets_one_line_redrawn_then_cleared() -> None:
    lines: list[str] = []
    terminal = io.StringIO()
    clock = Clock()
    progress = Progress(lines.append, terminal=terminal, clock=clock)
    progress.start(["a", "b", "b", "c"])
    clock.now += 0.6
    progress.claim_done("a")
    progress.claim_done("b")  # within 0.1 s of the last redraw: not drawn
    clock.now += 61
    progress.claim_done("b")
    progress.finish()
    assert lines == []
    assert terminal.getvalue() == ("\r\x1b[Kverifying: 1/3 entries (33%), 0:00 elapsed, last: a"
                                   "\r\x1b[Kverifying: 2/3 entries (66%), 1:01 elapsed, last: b"
                                   "\r\x1b[K")


def test_the_pool_reports_each_task_as_it_finishes() -> None:
    done: list[int] = []
    outcomes = run_tasks(pool_tasks.perform, [("echo", 1), ("raise", "boom"), ("echo", 3)], jobs=2,
                         time_limit=30, on_done=done.append)
    assert sorted(done) == [0, 1, 2] and [o.ok for o in outcomes] == [True, False, True]


def test_check_writes_progress_to_stderr_in_ci(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """``proofbook check`` in a log (not a terminal): progress lines on stderr, results on stdout."""
    monkeypatch.setattr("proofbook.progress.LOG_INTERVAL", 0.0)
    chapter = ROOT / "registry" / "03-scalar-identities.yml"
    code = main(["check", str(chapter), "--no-cache", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 0 and "verifying" not in out
    progress = [line for line in err.splitlines() if line.startswith("proofbook: verifying: ")]
    total = len(out.splitlines()) - 1
    assert len(progress) >= total
    assert progress[-1].startswith(f"proofbook: verifying: {total}/{total} entries (100%), 0:0")
