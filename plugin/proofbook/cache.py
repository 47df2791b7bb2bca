"""Verdicts, LaTeX and the loaded registry, remembered across builds and keyed by content.

A cache folder (default ``.cache/proofbook``) holds one or more record files: ``results.json``,
written by builds and full checks, and ``shard-K-of-N.json``, written by ``proofbook check
--shard K/N``.  Every file in the folder is read and merged, so the caches of several CI jobs
merge by copying their files into one folder.

Each record carries a SHA-256 checksum of its kind, key and value.  A record whose checksum
does not match (a damaged file, or a verdict edited by hand from ``false`` to ``verified``) is
ignored, counted in ``rejected``, and its claim is verified again; a checksum is only ever
computed for a value this process produced.  The checksum guards against accidents, not
against someone who recomputes it: a cache is as trusted as the folder it lives in, and
``--no-cache`` (or the ``cache: false`` option) verifies everything from scratch.

Only deterministic verdicts (verified, false) are kept: an inconclusive one (a timeout) is
tried again.  Records unused for ``RETENTION_DAYS`` are dropped when the file is rewritten.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from .model import Result, result_from_dict, result_to_dict

#: The record file of builds and full checks.
CACHE_FILE = "results.json"
#: Records unused for this long are dropped when their file is rewritten.
RETENTION_DAYS = 30

_FORMAT = 3
Kind = Literal["result", "latex", "registry"]


@cache
def source_digest(*parts: str) -> str:
    """A digest of proofbook's own files under ``parts`` (files or folders of the package) and
    of the versions of proofbook and of the engines it uses: cache keys include it, so a
    changed verifier, printer or SymPy never serves a verdict or formula an older one produced."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(json.dumps(_versions()).encode())
    for part in parts:
        target = package / part
        for path in sorted(target.glob("*.py")) if target.is_dir() else [target]:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@cache
def _versions() -> dict[str, str]:
    """Installed versions of proofbook and of SymPy and mpmath, read without importing them."""
    versions = {}
    for name in ("mkdocs-proofbook", "sympy", "mpmath"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def shard_file(shard: tuple[int, int]) -> str:
    """The record file of ``proofbook check --shard K/N``."""
    return f"shard-{shard[0]}-of-{shard[1]}.json"


def _checksum(kind: Kind, key: str, value: Any) -> str:
    blob = json.dumps([kind, key, value], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass
class _Record:
    value: Any
    checksum: str
    used: str  # ISO date of the last build that used it
    origin: str  # the file it was read from ("" for one made in this process)
    trusted: bool = False  # checksum verified, or made in this process
    touched: bool = False  # used or made in this process


class ResultCache:
    """Records by (kind, key): claim key → Result, expression key → LaTeX, files → Registry.

    Without a folder the cache lives in memory only (it still serves ``mkdocs serve`` rebuilds).
    """

    def __init__(self, folder: Path | None = None, *, write_as: str = CACHE_FILE,
                 today: datetime.date | None = None) -> None:
        self.folder = folder
        self.write_as = write_as
        self.today = (today or datetime.date.today()).isoformat()
        self._records: dict[tuple[Kind, str], _Record] = {}
        #: Records ignored because their checksum did not match, files that could not be read,
        #: and why the last save failed: ``notices()`` tells the user.
        self.rejected = 0
        self.unreadable: list[str] = []
        self.save_error: str | None = None
        self._dirty = False
        if folder is not None and folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                self._read(path)

    def _read(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data["format"] != _FORMAT:
                return  # an older proofbook's cache: only a slower build
            for name, record in data["records"].items():
                kind, _, key = name.partition(":")
                self._records.setdefault((kind, key), _Record(
                    record["value"], str(record["sha256"]), str(record["used"]), path.name))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.unreadable.append(path.name)

    def _get(self, kind: Kind, key: str) -> Any:
        record = self._records.get((kind, key))
        if record is None:
            return None
        if not record.trusted:
            if record.checksum != _checksum(kind, key, record.value):
                del self._records[(kind, key)]
                self.rejected += 1
                self._dirty = True
                return None
            record.trusted = True
        record.touched = True
        if record.used != self.today:
            record.used = self.today
            self._dirty = True
        return record.value

    def _put(self, kind: Kind, key: str, value: Any) -> None:
        self._records[(kind, key)] = _Record(value, _checksum(kind, key, value), self.today, "",
                                             trusted=True, touched=True)
        self._dirty = True

    def result(self, key: str) -> Result | None:
        value = self._get("result", key)
        if value is None:
            return None
        try:
            return result_from_dict(value)
        except (KeyError, TypeError, ValueError):
            return None

    def store_result(self, key: str, result: Result) -> None:
        if result.status in ("verified", "false"):
            self._put("result", key, result_to_dict(result))

    def latex(self, key: str) -> str | None:
        value = self._get("latex", key)
        return value if isinstance(value, str) else None

    def store_latex(self, key: str, latex: str) -> None:
        self._put("latex", key, latex)

    def registry(self, key: str) -> dict[str, Any] | None:
        """A loaded registry, as ``registry.snapshot`` stores it."""
        value = self._get("registry", key)
        return value if isinstance(value, dict) else None

    def store_registry(self, key: str, snapshot: dict[str, Any]) -> None:
        self._put("registry", key, snapshot)

    def _kept(self, kind: Kind, record: _Record) -> bool:
        """What a rewrite of ``write_as`` keeps: what this run used or made, and recent records
        of the same file (not a registry snapshot: only the current one is worth keeping)."""
        if record.touched:
            return True
        if kind == "registry" or record.origin != self.write_as:
            return False
        cutoff = datetime.date.fromisoformat(self.today) - datetime.timedelta(days=RETENTION_DAYS)
        return record.used >= cutoff.isoformat()

    def save(self) -> None:
        """Write ``write_as`` atomically (a concurrent build never reads half a file), if
        anything changed; a folder that cannot be written costs only the next build's time."""
        if self.folder is None or not self._dirty:
            return
        records = {f"{kind}:{key}": {"value": r.value, "sha256": r.checksum, "used": r.used}
                   for (kind, key), r in sorted(self._records.items()) if self._kept(kind, r)}
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"format": _FORMAT, "records": records}, handle)  # ASCII: text may hold lone surrogates
            os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the cache from a CI artifact's reader
            os.replace(tmp, self.folder / self.write_as)
        except OSError as error:
            self.save_error = f"{error.strerror or error} ({error.filename or self.folder})"
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            return
        self.save_error = None
        self._dirty = False

    def notices(self) -> list[str]:
        """What the user should know about the cache itself; none of it changes a verdict."""
        where = self.folder or Path()  # a memory cache reads no file: nothing below names it
        lines = [f"the cache file {where / name} could not be read; its entries were verified again."
                 for name in self.unreadable]
        if self.rejected:
            lines.append(f"{self.rejected} record(s) in the cache {where} did not match their "
                         "checksum (the file was damaged or edited) and were verified again.")
        if self.save_error:
            lines.append(f"the cache could not be written: {self.save_error}; the next build will "
                         "verify again what this one verified.")
        return lines
