"""Which files make up a registry: the chapter files named, and those in the folders named.

Kept apart from ``load`` (YAML, the schema) so that a warm build can find and hash the files
without importing either.

Registry files arrive in pull requests, so a file is taken only where it really is: every path
(a symlink followed to its target) must lie inside the project folder, the folder of
mkdocs.yml; a chapter that links to ``/etc/passwd`` or to another checkout is refused, unless
the site allows it explicitly (``allow_outside: true``).  Paths typed on the command line
without a site are trusted as given, and what is found in a folder must lie inside it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

from ..errors import Location, ProofbookError

#: File name endings read from a registry folder.
SUFFIXES = (".yml", ".yaml")
#: Largest registry file accepted; a chapter is a few dozen KiB.
MAX_BYTES = 1024 * 1024
#: What os.listdir makes of bytes that are not UTF-8 (surrogate escapes), which no page can show.
_UNDECODED = re.compile("[\ud800-\udfff]")


def chapter_files(paths: Sequence[str | Path], root: Path | None = None,
                  contained: bool = True) -> tuple[list[tuple[Path, str]], list[ProofbookError]]:
    """(path to open, path to show) per chapter file, in order (a folder gives its files by
    name), and the problems with ``paths`` themselves.

    ``root``: the project folder every path must resolve inside (None: each given path is its
    own boundary); ``contained=False`` lifts every such limit."""
    files: list[tuple[Path, str]] = []
    errors: list[ProofbookError] = []
    for given in paths:
        path, shown = Path(given), os.fspath(given)
        boundary = root if root is not None else (path if path.is_dir() else path.parent)
        if contained and (outside := _outside(path, root)) is not None:
            errors.append(outside.at(shown))
            continue
        if path.is_dir():
            names = sorted(p.name for p in path.iterdir() if p.suffix in SUFFIXES
                           and p.is_file() and not p.name.startswith("."))
            if not names:
                errors.append(ProofbookError(
                    "the registry folder has no .yml or .yaml files.", Location(shown),
                    hint="Add a chapter file such as 01-basics.yml, or fix the path."))
            for name in names:
                problem = _outside(path / name, boundary) if contained else None
                if problem is not None:
                    errors.append(problem.at(os.path.join(shown, name)))
                elif _UNDECODED.search(name):
                    errors.append(ProofbookError(
                        "the file name is not UTF-8 text.", Location(os.path.join(shown, name)),
                        hint="Rename the file; chapter file names appear in pages and exports."))
                else:
                    files.append((path / name, os.path.join(shown, name)))
        elif path.exists():
            files.append((path, shown))
        else:
            errors.append(ProofbookError("no such file or folder.", Location(shown),
                                         hint="Check the registry path for typos."))
    return files, errors


class _Outside:
    """Why a path is refused: where it really leads, and the folder it had to stay in."""

    def __init__(self, target: Path, boundary: Path) -> None:
        self.target, self.boundary = target, boundary

    def at(self, shown: str) -> ProofbookError:
        return ProofbookError(
            f"the registry path leads to {self.target}, outside the project folder {self.boundary}.",
            Location(shown), hint="Move the chapter into the project (a symlink must point inside "
            "it too), or set allow_outside: true in the proofbook options of mkdocs.yml.")


def _outside(path: Path, boundary: Path | None) -> _Outside | None:
    """The refusal of ``path`` if it (after every symlink) is not inside ``boundary``."""
    if boundary is None:
        return None
    real, folder = Path(os.path.realpath(path)), Path(os.path.realpath(boundary))
    if real == folder or folder in real.parents:
        return None
    return _Outside(real, folder)


def read_bounded(path: Path, file: str, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them (else ProofbookError);
    the size is checked before a byte is read, so a 3 GB sparse file costs nothing."""
    too_large = ProofbookError(f"the file is larger than {limit // 1024 // 1024} MiB ({limit:,} bytes).",
                               Location(file), hint="Split the chapter into several files.")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block
        with os.fdopen(fd, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ProofbookError("this is not a regular file (a device, a pipe or a socket).",
                                     Location(file), hint="Registry files are plain .yml files.")
            if info.st_size > limit:
                raise too_large
            data = stream.read(limit + 1)
    except OSError as exc:
        raise ProofbookError(f"cannot read the file: {exc.strerror}.", Location(file)) from None
    if len(data) > limit:  # it grew since fstat
        raise too_large
    return data
