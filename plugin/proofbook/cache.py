"""Verdicts and LaTeX remembered across builds, keyed by content.

Within one ``mkdocs serve`` session the cache lives in memory; with a ``path`` it is also
written to disk, so a warm build needs neither the verifier nor SymPy.  Only deterministic
verdicts (verified, false) are kept: an inconclusive one (a timeout) is tried again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

from .model import Result, result_from_dict, result_to_dict

_FORMAT = 1
#: The file a cache folder holds.
CACHE_FILE = "results.json"


@cache
def source_digest(*parts: str) -> str:
    """A digest of proofbook's own source files under ``parts`` (files or folders of the
    package): cache keys include it, so a changed verifier or printer never serves a verdict
    or a formula that an older one produced."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for part in parts:
        target = package / part
        for path in sorted(target.glob("*.py")) if target.is_dir() else [target]:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class ResultCache:
    """Two maps, claim key → Result and expression key → LaTeX, optionally persisted."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.results: dict[str, Result] = {}
        self.latex: dict[str, str] = {}
        self._dirty = False
        if path is not None and path.is_file():
            self._read(path)

    @classmethod
    def in_folder(cls, folder: Path | None) -> ResultCache:
        """The cache kept in ``folder`` (None: in memory only)."""
        return cls(None if folder is None else folder / CACHE_FILE)

    def _read(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != _FORMAT:
                return
            self.results = {k: result_from_dict(v) for k, v in data["results"].items()}
            self.latex = dict(data["latex"])
        except (OSError, ValueError, KeyError, TypeError):
            self.results, self.latex = {}, {}  # a damaged cache is only a slower build

    def result(self, key: str) -> Result | None:
        return self.results.get(key)

    def store_result(self, key: str, result: Result) -> None:
        if result.status in ("verified", "false"):
            self.results[key] = result
            self._dirty = True

    def store_latex(self, key: str, latex: str) -> None:
        self.latex[key] = latex
        self._dirty = True

    def save(self) -> None:
        """Write atomically (a concurrent build never reads half a file)."""
        if self.path is None or not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": _FORMAT, "results": {k: result_to_dict(v) for k, v in sorted(self.results.items())},
                "latex": dict(sorted(self.latex.items()))}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, sort_keys=True)
        os.replace(tmp, self.path)
        self._dirty = False
