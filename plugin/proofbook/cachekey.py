"""The secret that signs cache records, and where caches live: outside every checkout.

A cache record is trusted only if it carries an HMAC-SHA256 made with this installation's
secret, so a cache file that arrives with a pull request (or any file nobody here signed) can
never be mistaken for a verdict.  The secret is, in order:

1. ``PROOFBOOK_CACHE_KEY`` from the environment (at least ``MIN_KEY_CHARS`` characters): a CI
   secret, shared by the jobs whose caches merge, such as ``proofbook check --shard`` jobs and
   the site build that reads their shard files;
2. the file ``key`` in the user's cache folder (``$XDG_CACHE_HOME/proofbook``, by default
   ``~/.cache/proofbook``), created with mode 0600 on first use;
3. failing both, a secret for this process only: nothing is trusted across runs, and
   ``CacheKey.problem`` says why.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_KEY = "PROOFBOOK_CACHE_KEY"
ENV_DIR = "PROOFBOOK_CACHE_DIR"
#: A shorter secret could be guessed; ``openssl rand -hex 32`` gives 64 characters.
MIN_KEY_CHARS = 32
KEY_FILE = "key"
_KEY_BYTES = 32
_MAX_KEY_FILE_BYTES = 4096


@dataclass(frozen=True)
class CacheKey:
    """A signing secret, what it came from, and why a lasting one could not be used."""

    secret: bytes
    origin: str
    problem: str | None = None

    @property
    def ident(self) -> str:
        """A public fingerprint: which key signed a file, without revealing the key."""
        return hashlib.sha256(b"proofbook cache key\0" + self.secret).hexdigest()[:16]


def user_cache_home(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_CACHE_HOME/proofbook``, or ``~/.cache/proofbook``."""
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "proofbook"


def default_cache_dir(project: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """The cache folder of the project in ``project`` (the folder of mkdocs.yml):
    ``PROOFBOOK_CACHE_DIR`` if set (CI names one folder for ``proofbook check`` and
    ``mkdocs build``), else in the user's cache folder, named by a hash of the project's
    absolute path; never inside the checkout unless a site says so with ``cache_dir``."""
    if environ.get(ENV_DIR):
        return Path(environ[ENV_DIR])
    digest = hashlib.sha256(os.fsencode(os.path.abspath(project))).hexdigest()[:16]
    return user_cache_home(environ) / "projects" / digest


def cache_key(environ: Mapping[str, str] = os.environ) -> CacheKey:
    """The secret as the module docstring orders them; never raises."""
    given = environ.get(ENV_KEY, "")
    if given:
        if len(given) >= MIN_KEY_CHARS:
            return CacheKey(given.encode("utf-8", "surrogateescape"), ENV_KEY)
        return _ephemeral(f"{ENV_KEY} is shorter than {MIN_KEY_CHARS} characters and was ignored "
                          "(generate one with: openssl rand -hex 32)")
    path = user_cache_home(environ) / KEY_FILE
    try:
        return CacheKey(_read_or_create(path), str(path))
    except (OSError, ValueError) as error:
        why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return _ephemeral(f"the cache key {path} cannot be used: {why}")


def _ephemeral(problem: str) -> CacheKey:
    return CacheKey(secrets.token_bytes(_KEY_BYTES), "this run only", problem)


def _read_or_create(path: Path) -> bytes:
    """The key file's bytes, creating it atomically (0600) if it does not exist yet."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_hex(_KEY_BYTES).encode())
        try:
            os.link(tmp, path)  # atomic, and never replaces a key another process just made
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> bytes:
    """A key file that is a regular file of ours that no one else may read or change."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("it is not a regular file")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise ValueError("it belongs to another user")
        if info.st_mode & 0o077:
            raise ValueError(f"other users may read or change it (chmod 600 {path})")
        data = handle.read(_MAX_KEY_FILE_BYTES + 1)
    if not MIN_KEY_CHARS <= len(data.strip()) <= _MAX_KEY_FILE_BYTES:
        raise ValueError(f"it must hold {MIN_KEY_CHARS} to {_MAX_KEY_FILE_BYTES} characters")
    return data.strip()
