"""The checks of option values: each takes a value as a configuration file (YAML, TOML) or the
command line gives it and returns it as ``ProofbookSettings`` holds it, or raises ``OptionError``.

Every front end uses these, so a value is refused with the same message wherever it is written:
"Expected <what the option takes> but received: <the value>".
"""

from __future__ import annotations

import datetime
import math
import posixpath
import re
from collections.abc import Callable, Sequence
from typing import Any

#: A check of one option's value.
Check = Callable[[object], Any]

#: Longest value shown in a message: a 1 MB string is cut, not printed.
_SHOWN = 60
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Characters that would end or break the URL path of a generated page.
_NOT_IN_FOLDER = re.compile(r"[\\?#%:\s]")


class OptionError(ValueError):
    """A value an option cannot take; the message says what the option expects."""


def shown(value: object) -> str:
    """A value as messages show it: Python's spelling, cut when long."""
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."


def refuse(expected: str, value: object) -> OptionError:
    message = f"Expected {expected} but received: {shown(value)}"
    if isinstance(value, str) and "number" in expected and _looks_numeric(value):
        message += " (a number written as text: drop the quotes; YAML reads 1e3 as text, 1.0e+3 as a number)"
    return OptionError(message)


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def integer(minimum: int, maximum: int | None = None) -> Check:
    """A whole number (not true/false, not 2.0) of at least ``minimum`` (and at most ``maximum``)."""
    expected = (f"a whole number of at least {minimum}" if maximum is None
                else f"a whole number from {minimum} to {maximum}")

    def check(value: object) -> int:
        if (isinstance(value, bool) or not isinstance(value, int) or value < minimum
                or (maximum is not None and value > maximum)):
            raise refuse(expected, value)
        return value

    return check


def number(minimum: float) -> Check:
    """A finite number of at least ``minimum``, as a float (``.inf`` and ``.nan`` are refused)."""
    expected = f"a finite number of at least {minimum:g}"

    def check(value: object) -> float:
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not math.isfinite(value) or value < minimum):
            raise refuse(expected, value)
        return float(value)

    return check


def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise refuse("true or false", value)
    return value


def text(value: object) -> str:
    if not isinstance(value, str):
        raise refuse('text (quote a number: "1.0")', value)
    return value


def optional(inner: Check) -> Check:
    """``inner``, or None (the option is not set; a default is derived elsewhere)."""

    def check(value: object) -> Any:
        return None if value is None else inner(value)

    return check


def items_of(inner: Check, what: str) -> Check:
    """A list whose every item passes ``inner``, as a tuple."""

    def check(value: object) -> tuple[Any, ...]:
        if not isinstance(value, (list, tuple)):
            raise refuse(f"a list of {what}", value)
        checked = []
        for item in value:
            try:
                checked.append(inner(item))
            except OptionError as error:
                raise OptionError(f"{error} (in the list {shown(value)})") from None
        return tuple(checked)

    return check


def sizes(value: object) -> tuple[int, ...]:
    """Matrix sizes: whole numbers of at least 1."""
    return items_of(integer(1), "sizes (whole numbers of at least 1)")(value)


def title(value: object) -> str:
    """Text that shows as a title: not empty."""
    if not isinstance(value, str) or not value.strip():
        raise refuse("a title (text)", value)
    return value


def path_text(value: object) -> str:
    """A non-empty path, relative to the configuration file (or absolute)."""
    if not isinstance(value, str) or not value.strip():
        raise refuse("a path (text)", value)
    return value


def registry_paths(value: object) -> tuple[str, ...]:
    paths: tuple[str, ...] = items_of(path_text, "registry files or folders")(value)
    if not paths:
        raise refuse("at least one registry file or folder", value)
    return paths


def site_folder(value: object) -> str:
    """A folder of the built site, below its root (``handbook``, ``/reference/formulas/``):
    never above it (``..``), never a drive or a URL, and free of characters that end a URL path."""
    expected = "a folder inside the site (handbook, reference/formulas)"
    if not isinstance(value, str):
        raise refuse(expected, value)
    folder = value.strip("/")
    parts = [part for part in folder.split("/") if part != "."] if folder else []
    if _NOT_IN_FOLDER.search(folder) or any(part in ("", "..") for part in parts):
        raise refuse(expected, value)
    return posixpath.join(*parts) if parts else ""


def choice(options: Sequence[str]) -> Check:
    expected = f"one of: {tuple(options)}"

    def check(value: object) -> str:
        if not isinstance(value, str) or value not in options:
            raise refuse(expected, value)
        return value

    return check


def iso_date(value: object) -> datetime.date | None:
    """A day as ``YYYY-MM-DD`` (YAML and TOML read it unquoted as a date already); empty: none."""
    if value in ("", None):
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise refuse("a date as YYYY-MM-DD", value)
