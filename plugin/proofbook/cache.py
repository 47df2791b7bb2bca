"""Verdicts, LaTeX and the loaded registry, remembered across builds and keyed by content.

A cache folder (by default in the user's cache folder, one per project: see ``cachekey``;
never inside the checkout) holds one or more record files: ``results.json``, written by builds
and full checks, and ``shard-K-of-N.json``, written by ``proofbook check --shard K/N``.  Every
file in the folder is read and merged, so the caches of several CI jobs merge by copying their
files into one folder.

Each record carries an HMAC-SHA256 of its kind, key and value, made with the secret of
``cachekey.cache_key()``.  A record is used only if its HMAC matches, so a cache file nobody
here signed (one added by a pull request, a shard made with another secret, a verdict edited
by hand from ``false`` to ``verified``) is ignored, counted in ``rejected`` or ``foreign``, and
its claims are verified again.  ``--no-cache`` (or the ``cache: false`` option) verifies
everything from scratch.

Only deterministic verdicts (verified, false) are kept: an inconclusive one (a timeout) is
tried again.  Records unused for ``RETENTION_DAYS`` are dropped when the file is rewritten.
Two runs sharing a folder lose nothing: ``save`` takes a lock, reads the file again and keeps
what the other run wrote since, then replaces the file atomically.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import hmac
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from .cachekey import CacheKey, cache_key
from .errors import escaped
from .model import Result, result_from_dict, result_to_dict

#: The record file of builds and full checks.
CACHE_FILE = "results.json"
#: Records unused for this long are dropped when their file is rewritten.
RETENTION_DAYS = 30
#: A record file larger than this is not read (a registry of 10,000 entries needs about 40 MiB).
MAX_FILE_BYTES = 512 * 1024 * 1024
_LOCK_FILE = ".lock"

_FORMAT = 4
#: The only verdicts kept: deterministic ones (an inconclusive one is tried again).
_KEPT = ("verified", "false")
Kind = Literal["result", "latex", "registry"]


@cache
def source_digest(*parts: str) -> str:
    """A digest of proofbook's own files under ``parts`` (files or folders of the package,
    sub-packages included: ``verify`` covers ``verify/formal``) and of the versions of proofbook and of the engines it uses: cache keys include it, so a
    changed verifier, printer or SymPy never serves a verdict or formula an older one produced."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(json.dumps(_versions()).encode())
    for part in parts:
        target = package / part
        for path in sorted(target.rglob("*.py")) if target.is_dir() else [target]:
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


@dataclass
class _Record:
    value: Any
    mac: str  # "" until computed (a record made in this process is signed when saved)
    used: str  # ISO date of the last build that used it
    origin: str  # the file it was read from ("" for one made in this process)
    trusted: bool = False  # HMAC verified, or made in this process
    touched: bool = False  # used or made in this process


class ResultCache:
    """Records by (kind, key): claim key → Result, expression key → LaTeX, files → Registry.

    Without a folder the cache lives in memory only (it still serves ``mkdocs serve`` rebuilds)
    and needs no key.
    """

    def __init__(self, folder: Path | None = None, *, write_as: str = CACHE_FILE,
                 today: datetime.date | None = None, key: CacheKey | None = None) -> None:
        self.folder = folder
        self.write_as = write_as
        self.today = (today or datetime.date.today()).isoformat()
        self.key = key if key is not None or folder is None else cache_key()
        self._records: dict[tuple[Kind, str], _Record] = {}
        #: Records ignored because their HMAC did not match; records of files signed with
        #: another key; files that could not be read; why the last save failed:
        #: ``notices()`` tells the user.
        self.rejected = 0
        self.foreign: dict[str, int] = {}
        self.unreadable: list[str] = []
        self.save_error: str | None = None
        self._dirty = False
        #: Names of the records ``write_as`` held when this cache read it.
        self._read_from_target: set[str] = set()
        if folder is not None and folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                self._read(path)

    def _read(self, path: Path) -> None:
        try:
            stored = _load_file(path, self._key_ident())
        except _Unreadable:
            self.unreadable.append(path.name)
            return
        if stored is None:
            return  # an older proofbook's cache: only a slower build
        records, signer = stored
        if signer != self._key_ident():
            self.foreign[path.name] = len(records)
            return
        if path.name == self.write_as:
            self._read_from_target = set(records)
        for name, record in records.items():
            kind, _, key = name.partition(":")
            self._records.setdefault((kind, key), _Record(  # type: ignore[arg-type]
                record["value"], record["mac"], record["used"], path.name))

    def _key_ident(self) -> str:
        return self.key.ident if self.key is not None else ""

    def _mac(self, kind: Kind, key: str, value: Any) -> str:
        assert self.key is not None
        blob = json.dumps([kind, key, value], sort_keys=True, separators=(",", ":"))
        return hmac.new(self.key.secret, blob.encode(), hashlib.sha256).hexdigest()

    def _get(self, kind: Kind, key: str) -> Any:
        record = self._records.get((kind, key))
        if record is None:
            return None
        if not record.trusted:
            if not hmac.compare_digest(record.mac, self._mac(kind, key, record.value)):
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
        self._records[(kind, key)] = _Record(value, "", self.today, "", trusted=True, touched=True)
        self._dirty = True

    def result(self, key: str) -> Result | None:
        value = self._get("result", key)
        if value is None:
            return None
        try:
            result = result_from_dict(value)
        except (KeyError, TypeError, ValueError):
            return None
        return result if result.status in _KEPT else None

    def store_result(self, key: str, result: Result) -> None:
        if result.status in _KEPT:
            self._put("result", key, result_to_dict(result))

    def latex(self, key: str) -> Any:
        """What ``store_latex`` stored under ``key`` (JSON data), or None."""
        return self._get("latex", key)

    def store_latex(self, key: str, value: Any) -> None:
        self._put("latex", key, value)

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

    def _signed(self) -> dict[str, dict[str, Any]]:
        """The records to write, each with its HMAC."""
        out = {}
        for (kind, key), record in sorted(self._records.items()):
            if self._kept(kind, record):
                if not record.mac or not record.trusted:
                    record.mac = self._mac(kind, key, record.value)
                out[f"{kind}:{key}"] = {"value": record.value, "mac": record.mac, "used": record.used}
        return out

    def save(self) -> None:
        """Merge into ``write_as`` under a lock and replace it atomically (a concurrent build
        never reads half a file, nor loses what another wrote), if anything changed; a folder
        that cannot be written costs only the next build's time."""
        if self.folder is None or not self._dirty:
            return
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with _locked(self.folder / _LOCK_FILE):
                records = self._signed()
                for name, record in self._written_since(self.folder / self.write_as).items():
                    records.setdefault(name, record)
                fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    # ASCII: text may hold lone surrogates
                    json.dump({"format": _FORMAT, "key": self._key_ident(), "records": records}, handle)
                os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the cache from a CI artifact's reader
                os.replace(tmp, self.folder / self.write_as)
        except OSError as error:
            self.save_error = f"{error.strerror or error} ({error.filename or self.folder})"
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            return
        self._read_from_target = set(records)
        self.save_error = None
        self._dirty = False

    def _written_since(self, path: Path) -> dict[str, dict[str, Any]]:
        """Records another run added to ``path`` since this cache read it (signed with our key)."""
        try:
            stored = _load_file(path, self._key_ident())
        except _Unreadable:
            return {}
        if stored is None or stored[1] != self._key_ident():
            return {}
        return {name: record for name, record in stored[0].items() if name not in self._read_from_target}

    def notices(self) -> list[str]:
        """What the user should know about the cache itself; none of it changes a verdict."""
        where = self.folder or Path()  # a memory cache reads no file: nothing below names it
        lines = [f"the cache file {where / name} could not be read; its entries were verified again."
                 for name in self.unreadable]
        lines += [f"the cache file {where / name} was signed with another key; its {count} record(s) "
                  "were ignored (caches merge only when their jobs share PROOFBOOK_CACHE_KEY)."
                  for name, count in self.foreign.items()]
        if self.rejected:
            lines.append(f"{self.rejected} record(s) in the cache {where} did not match their "
                         "signature (the file was damaged or edited) and were verified again.")
        if self.key is not None and self.key.problem:
            lines.append(f"{self.key.problem}; no verdict of this run is trusted by the next one.")
        if self.save_error:
            lines.append(f"the cache could not be written: {self.save_error}; the next build will "
                         "verify again what this one verified.")
        return [escaped(line) for line in lines]


class _Unreadable(Exception):
    """A record file that is not a readable cache file."""


def _load_file(path: Path, expected_key: str) -> tuple[dict[str, dict[str, Any]], str] | None:
    """(records, key fingerprint) of a record file, None for another format; raises
    ``_Unreadable`` for anything that is not a well-formed file of this format.  The size is
    checked before anything is read, and only regular files are opened."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        raise _Unreadable from None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                raise _Unreadable
            data = json.loads(handle.read(MAX_FILE_BYTES + 1))
    except (OSError, ValueError, RecursionError):
        raise _Unreadable from None
    if not isinstance(data, dict):
        raise _Unreadable
    if data.get("format") != _FORMAT:
        return None
    records, signer = data.get("records"), data.get("key")
    if not isinstance(records, dict) or not isinstance(signer, str):
        raise _Unreadable
    if signer == expected_key and not all(_well_formed(r) for r in records.values()):
        raise _Unreadable
    return records, signer


def _well_formed(record: Any) -> bool:
    return (isinstance(record, dict) and "value" in record and isinstance(record.get("mac"), str)
            and isinstance(record.get("used"), str))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``path`` (created if missing) for the duration."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
