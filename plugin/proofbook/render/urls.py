"""Relative URLs between the pages of a site, computed as MkDocs computes them (so references
read the same under every host), without importing MkDocs."""

from __future__ import annotations

import posixpath
from functools import cache


def relative_url(url: str, other: str) -> str:
    """``url`` as seen from the page at ``other``; both are slash-separated site paths.

    The last part of ``other`` is dropped when it names a file (contains a dot); going above the
    root stays at the root; a trailing slash of ``url`` is kept (``mkdocs.utils.get_relative_url``)."""
    folder, _, name = other.rpartition("/")
    if "." in name:
        other = folder
    start, target = _parts(other), _parts(url)
    common = 0
    for a, b in zip(start, target):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(start) - common) + list(target[common:])) or "."
    return relative + "/" if url.endswith("/") else relative


@cache
def _parts(path: str) -> tuple[str, ...]:
    """The parts of a site path after ``posixpath.normpath`` (``..`` applied, not above the root)."""
    normal = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return tuple(normal.split("/")) if normal else ()
