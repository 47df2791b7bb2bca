"""Progress of a long verification, for people watching a terminal and for CI logs.

On a terminal one status line is redrawn in place (at most ten times a second, the first time
after half a second, so that a quick incremental rebuild shows nothing); elsewhere (CI logs,
files) a line is written only every ``interval`` seconds, so a cold check of hundreds of
entries prints a handful of lines rather than hundreds.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TextIO

#: Seconds between progress lines in non-interactive output.
LOG_INTERVAL = 5.0
_REDRAW_SECONDS = 0.1
_FIRST_DRAW_SECONDS = 0.5


class Progress:
    """Counts entries whose claims are all verified; told of each claim as it finishes."""

    def __init__(self, emit: Callable[[str], None], *, terminal: TextIO | None = None,
                 interval: float = LOG_INTERVAL, clock: Callable[[], float] = time.monotonic) -> None:
        """``emit`` writes one line of non-interactive output; with a ``terminal``, the status
        line is redrawn there instead."""
        self.emit, self.terminal, self.interval, self.clock = emit, terminal, interval, clock
        self._left: Counter[str] = Counter()
        self._total = self._done = 0
        self._started = self._shown = 0.0
        self._drawn = False

    @classmethod
    def for_console(cls, emit: Callable[[str], None]) -> Progress:
        """Redraw on standard error when it is a terminal, else ``emit`` now and then."""
        return cls(emit, terminal=sys.stderr if sys.stderr.isatty() else None, interval=LOG_INTERVAL)

    def start(self, entry_ids: Sequence[str]) -> None:
        """``entry_ids``: the entry of each claim about to be verified, in task order."""
        self._left = Counter(entry_ids)
        self._total, self._done = len(self._left), 0
        self._started = self._shown = self.clock()

    def claim_done(self, entry_id: str) -> None:
        self._left[entry_id] -= 1
        if self._left[entry_id] == 0:
            self._done += 1
        now = self.clock()
        if self.terminal is not None:
            if now - self._started >= _FIRST_DRAW_SECONDS and now - self._shown >= _REDRAW_SECONDS:
                self.terminal.write(f"\r\x1b[K{self._line(entry_id, now)}")
                self.terminal.flush()
                self._shown, self._drawn = now, True
        elif now - self._shown >= self.interval:
            self.emit(self._line(entry_id, now))
            self._shown = now

    def finish(self) -> None:
        """Clear the status line, so that what follows starts on a clean line."""
        if self.terminal is not None and self._drawn:
            self.terminal.write("\r\x1b[K")
            self.terminal.flush()
            self._drawn = False

    def _line(self, entry_id: str, now: float) -> str:
        elapsed = int(now - self._started)
        percent = 100 * self._done // self._total if self._total else 100
        return (f"verifying: {self._done}/{self._total} entries ({percent}%), "
                f"{elapsed // 60}:{elapsed % 60:02d} elapsed, last: {entry_id}")
