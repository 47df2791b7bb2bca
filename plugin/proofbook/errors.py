"""The one error type of proofbook.

Every problem with a registry, a page or an option becomes a ``ProofbookError`` that knows
where it happened (file, line, column) and which entry it concerns, so the CLI and the MkDocs
plugin can print one short paragraph per problem and never a Python traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as messages show it: relative to the working directory when below it."""
    relative = os.path.relpath(path)
    return os.fspath(path) if relative.startswith("..") else relative


@dataclass(frozen=True)
class Location:
    """A place in a source file; ``line`` and ``column`` are 1-based."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
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
            head += f"entry '{self.entry_id}': "
        text = head + self.message
        if self.hint:
            text += f" {self.hint}"
        return text


class ProofbookErrors(Exception):
    """Several problems found in one pass; reported together, then the run stops."""

    def __init__(self, errors: list[ProofbookError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
