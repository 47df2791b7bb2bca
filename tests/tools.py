"""External programs some tests need (pdflatex, pdftotext, bibtex, chromium).

On a developer's machine without them such a test is skipped.  Under CI (``CI`` set to
``true``, ``1`` or ``yes``) it fails instead: ``.ci/run`` installs every one of them by name,
so a missing tool there is a broken install step, never a reason to pass with less tested.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def in_ci() -> bool:
    """True under CI, where a missing tool is a failure."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def unavailable(reason: str) -> None:
    """Skip the calling test, or fail it under CI, which must run it."""
    if in_ci():
        pytest.fail(f"{reason}; CI must run this test (.ci/run installs what it needs)", pytrace=False)
    pytest.skip(reason)


def require(*programs: str) -> None:
    """Skip (or, under CI, fail) unless every program is on PATH or is an existing path."""
    missing = [p for p in programs if shutil.which(p) is None and not Path(p).is_file()]
    if missing:
        unavailable(f"needs {', '.join(missing)}")
