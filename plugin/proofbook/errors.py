"""The one error type of proofbook.

Every problem with a registry, a page or an option becomes a ``ProofbookError`` that knows
where it happened (file, line, column) and which entry it concerns, so the CLI and the MkDocs
plugin can print one short paragraph per problem and never a Python traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

#: At most this many problems are listed; the rest are counted ("... and 59,900 more").
MAX_LISTED = 100

#: What must never reach a terminal or a log as it is: C0 and C1 controls (ESC starts terminal
#: escape sequences, CR overwrites a line), DEL, line and paragraph separators, bidirectional
#: overrides and isolates (which reorder what a reader sees), and lone surrogates (which no
#: encoder accepts).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufeff]")


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as messages show it: relative to the working directory when below it."""
    relative = os.path.relpath(path)
    return os.fspath(path) if relative.startswith("..") else relative


def escaped(text: str) -> str:
    """``text`` with every unsafe character written as a Python escape (``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def listed(lines: Sequence[str], limit: int = MAX_LISTED) -> list[str]:
    """The first ``limit`` lines, and a last one counting the rest: a registry with 60,000
    broken entries must not print 600 MB."""
    if len(lines) <= limit:
        return list(lines)
    return [*lines[:limit], f"... and {len(lines) - limit:,} more."]


@dataclass(frozen=True)
class Location:
    """A place in a source file; ``line`` and ``column`` are 1-based."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [escaped(self.file)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def shifted(self, line_offset: int = 0, column: int | None = None) -> Location:
        """The location ``line_offset`` lines further down (inside a multi-line value)."""
        line = None if self.line is None else self.line + line_offset
        return Location(self.file, line, column)


@dataclass
class ProofbookError(Exception):
    """A problem the user can fix: what is wrong, where, and (optionally) how to fix it."""

    message: str
    location: Location | None = None
    entry_id: str | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        head = f"{self.location}: " if self.location else ""
        if self.entry_id:
            head += f"entry '{escaped(self.entry_id)}': "
        text = head + escaped(self.message)
        if self.hint:
            text += f" {escaped(self.hint)}"
        return text


class ProofbookErrors(Exception):
    """Several problems found in one pass; reported together, then the run stops."""

    def __init__(self, errors: list[ProofbookError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(listed([str(e) for e in self.errors]))
