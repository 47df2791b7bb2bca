"""Which files make up a registry: the chapter files named, and those in the folders named.

Kept apart from ``load`` (YAML, the schema) so that a warm build can find and hash the files
without importing either.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import Location, ProofbookError

#: File name endings read from a registry folder.
SUFFIXES = (".yml", ".yaml")


def chapter_files(paths: Sequence[str | Path]) -> tuple[list[tuple[Path, str]], list[ProofbookError]]:
    """(path to open, path to show) per chapter file, in order (a folder gives its files by
    name), and the problems with ``paths`` themselves."""
    files: list[tuple[Path, str]] = []
    errors: list[ProofbookError] = []
    for given in paths:
        path, shown = Path(given), os.fspath(given)
        if path.is_dir():
            names = sorted(p.name for p in path.iterdir() if p.suffix in SUFFIXES
                           and p.is_file() and not p.name.startswith("."))
            if not names:
                errors.append(ProofbookError(
                    "the registry folder has no .yml or .yaml files.", Location(shown),
                    hint="Add a chapter file such as 01-basics.yml, or fix the path."))
            files += [(path / name, os.path.join(shown, name)) for name in names]
        elif path.exists():
            files.append((path, shown))
        else:
            errors.append(ProofbookError("no such file or folder.", Location(shown),
                                         hint="Check the registry path for typos."))
    return files, errors
