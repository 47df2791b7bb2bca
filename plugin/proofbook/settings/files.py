"""Find proofbook's options in a site's or project's configuration file, without its host.

Four kinds of file, each read plainly (no MkDocs, no Zensical) and validated by
``options.read_options``, so a wrong value gets the same message in all of them:

* ``mkdocs.yml`` (any ``.yml``/``.yaml``): the ``plugins: - proofbook: {...}`` entry, else a
  ``proofbook`` entry of ``markdown_extensions`` (the Markdown extension's options);
* ``zensical.toml`` (any other ``.toml``): ``[project.markdown_extensions.proofbook]``, else a
  top-level ``[proofbook]`` table; a ``[project.plugins.proofbook]`` table is read too, with a
  notice, because Zensical ignores MkDocs plugins and would publish the site unverified;
* ``pyproject.toml``: the ``[tool.proofbook]`` table;
* ``proofbook.toml``: the options at the top level.

Paths in the options (``registry``, ``cache_dir``) are relative to the file's folder.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, ProofbookError, ProofbookErrors, shown_path
from .options import ProofbookSettings, read_options
from .siteyaml import JsonPath, SiteYaml, read_site_yaml
from .values import OptionError, boolean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: The files ``find_site_settings`` looks for, in this order; the first that uses proofbook wins.
CONFIG_FILES = ("proofbook.toml", "pyproject.toml", "mkdocs.yml", "mkdocs.yaml", "zensical.toml")
#: Names under which Python-Markdown finds proofbook's extension (its entry point, its module).
EXTENSION_NAMES = ("proofbook", "proofbook.adapters.markdown")


class NotConfigured(ProofbookError):
    """The file is fine but does not configure proofbook (discovery moves on to the next file)."""


@dataclass(frozen=True)
class SiteSettings:
    """proofbook's settings and where they came from."""

    settings: ProofbookSettings = ProofbookSettings()
    #: The file read; None: no file, the defaults (paths are relative to the working directory).
    file: Path | None = None
    #: Where in the file, as messages name it (``plugins: proofbook``, ``[tool.proofbook]``).
    section: str = ""
    #: What the user should know about this configuration (an option the host ignores).
    notices: tuple[str, ...] = field(default=())

    @property
    def base(self) -> Path:
        """The folder that relative paths in the options start from."""
        return self.file.parent if self.file is not None else Path()

    def registry_paths(self) -> list[str]:
        return [str(self.base / path) for path in self.settings.registry]

    def cache_folder(self) -> Path | None:
        return self.settings.cache_folder(self.base)

    @property
    def root(self) -> Path | None:
        """The folder the registry must lie in: the configuration file's, unless the options
        allow paths outside it; None (each path its own boundary) without a file."""
        return None if self.file is None or self.settings.allow_outside else self.base

    def describe(self) -> str:
        """``mkdocs.yml (plugins: proofbook)``, for a note saying which options apply."""
        return f"{self.file} ({self.section})" if self.file is not None else "the defaults"


def read_site_settings(file: Path) -> SiteSettings:
    """proofbook's settings in ``file``; raises ``ProofbookErrors`` naming the file (and the
    line and option of each bad value), including when the file does not configure proofbook."""
    try:
        return _reader(file)(file)
    except ProofbookError as error:  # one problem stops the reading; bad options are all listed
        raise ProofbookErrors([error]) from None


def find_site_settings(folder: Path) -> SiteSettings | None:
    """The settings of the first file of ``CONFIG_FILES`` in ``folder`` that configures
    proofbook; None when none does. A broken file is an error, not skipped."""
    for name in CONFIG_FILES:
        file = folder / name
        if not file.is_file():
            continue
        try:
            return read_site_settings(file)
        except ProofbookErrors as errors:
            if not all(isinstance(error, NotConfigured) for error in errors.errors):
                raise
    return None


def _reader(file: Path) -> Callable[[Path], SiteSettings]:
    if file.name == "pyproject.toml":
        return _pyproject
    if file.name == "proofbook.toml":
        return _proofbook_toml
    if file.suffix == ".toml":
        return _zensical
    return _mkdocs


# -- mkdocs.yml ---------------------------------------------------------------------------------


def _mkdocs(file: Path) -> SiteSettings:
    shown = shown_path(file)
    document = read_site_yaml(file, shown)
    for key, section in (("plugins", "plugins: proofbook"), ("markdown_extensions", "markdown_extensions: proofbook")):
        found = _entry(document.data.get(key), EXTENSION_NAMES if key == "markdown_extensions" else ("proofbook",))
        if found is None:
            continue
        path, options = found
        notices = _enabled(options, document, (key, *path), shown) if key == "plugins" else ()
        where = _yaml_locator(document, (key, *path))
        return SiteSettings(_validated(options, where, shown, section), file, section, notices)
    raise NotConfigured("this MkDocs configuration does not use the proofbook plugin.", Location(shown),
                        hint="Add proofbook under plugins:.")


def _entry(items: object, names: tuple[str, ...]) -> tuple[JsonPath, Any] | None:
    """The options of the first item named in ``names`` in a plugins or extensions list (or
    mapping), with its path: ``[proofbook]``, ``[{proofbook: {...}}]``, ``{proofbook: {...}}``."""
    if isinstance(items, dict):
        for name in names:
            if name in items:
                return (name,), items[name]
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, str) and item in names:
                return (index,), None
            if isinstance(item, dict) and len(item) == 1:
                (name, options), = item.items()
                if name in names:
                    return (index, name), options
    return None


def _enabled(options: Any, document: SiteYaml, path: JsonPath, shown: str) -> tuple[str, ...]:
    """MkDocs' own ``enabled`` option of every plugin: checked here, then set aside."""
    if not isinstance(options, dict) or "enabled" not in options:
        return ()
    enabled = options.pop("enabled")
    try:
        if boolean(enabled):
            return ()
    except OptionError as error:
        raise ProofbookError(f"proofbook option 'enabled': {error}",
                             document.location((*path, "enabled")) or Location(shown)) from None
    return (f"{shown}: the proofbook plugin is disabled (enabled: false), so the site builds "
            "without verifying; this check verifies with its options all the same.",)


def _yaml_locator(document: SiteYaml, path: JsonPath) -> Callable[[str], Location | None]:
    return lambda name: document.location((*path, name)) or document.location(path)


# -- TOML files ---------------------------------------------------------------------------------


def _read_toml(file: Path) -> tuple[dict[str, Any], str, str]:
    """The parsed file, its text and its name as messages show it."""
    shown = shown_path(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        raise ProofbookError(f"cannot read the configuration: {reason}.", Location(shown)) from None
    try:
        return tomllib.loads(text), text, shown
    except tomllib.TOMLDecodeError as error:
        at = re.search(r"\s*\(at line (\d+), column (\d+)\)$", str(error))
        reason = str(error)[:at.start()] if at else str(error)
        where = Location(shown, int(at.group(1)), int(at.group(2))) if at else Location(shown)
        raise ProofbookError(f"invalid TOML: {reason}.", where) from None


def _pyproject(file: Path) -> SiteSettings:
    data, text, shown = _read_toml(file)
    tool = data.get("tool")
    if not isinstance(tool, dict) or "proofbook" not in tool:
        raise NotConfigured("this pyproject.toml has no [tool.proofbook] table.", Location(shown),
                            hint="Add one with proofbook's options (an empty table takes the defaults).")
    return _toml_settings(file, text, shown, ("tool", "proofbook"), tool["proofbook"])


def _proofbook_toml(file: Path) -> SiteSettings:
    data, text, shown = _read_toml(file)
    return _toml_settings(file, text, shown, (), data)


def _zensical(file: Path) -> SiteSettings:
    data, text, shown = _read_toml(file)
    project = data.get("project")
    if not isinstance(project, dict):
        project = {}
    found = _entry(project.get("markdown_extensions"), EXTENSION_NAMES)
    if found is not None:
        path, options = found
        return _toml_settings(file, text, shown, ("project", "markdown_extensions", *_names(path)), options)
    if "proofbook" in data:
        return _toml_settings(file, text, shown, ("proofbook",), data["proofbook"])
    plugin = _entry(project.get("plugins"), ("proofbook",))
    if plugin is not None:
        notice = (f"{shown}: Zensical ignores MkDocs plugins: [project.plugins.proofbook] does nothing "
                  "when the site builds, which publishes it unverified. Configure proofbook's Markdown "
                  "extension instead, under [project.markdown_extensions.proofbook]; this check uses "
                  "the plugin's options.")
        settings = _toml_settings(file, text, shown, ("project", "plugins", *_names(plugin[0])), plugin[1])
        return SiteSettings(settings.settings, file, settings.section, (notice,))
    raise NotConfigured("this Zensical configuration does not use proofbook.", Location(shown),
                        hint="Add its Markdown extension: [project.markdown_extensions.proofbook].")


def _names(path: JsonPath) -> tuple[str, ...]:
    """The table names in the path of an entry (not the index of a list item)."""
    return tuple(part for part in path if isinstance(part, str))


def _toml_settings(file: Path, text: str, shown: str, table: tuple[str, ...], options: Any) -> SiteSettings:
    section = f"[{'.'.join(table)}]" if table else "the top level"
    lines = _TomlLines(text, table)

    def where(name: str) -> Location:
        return Location(shown, lines.line_of(name))

    return SiteSettings(_validated(options, where, shown, section), file, section)


class _TomlLines:
    """The line of each key of one table of a TOML text (the parser forgets positions): the
    line ``key = ...`` below the table's header, else the header's line."""

    _HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
    _KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")

    def __init__(self, text: str, table: tuple[str, ...]) -> None:
        self.lines = text.splitlines()
        self.table = table
        self.start = 0 if not table else next(
            (n for n, line in enumerate(self.lines, 1) if self._header(line) == table), None)

    def line_of(self, key: str) -> int | None:
        if self.start is None:
            return None
        for number in range(self.start + 1 if self.table else 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if self._header(line) is not None:
                break
            match = self._KEY.match(line)
            if match and match.group(1).strip("\"'") == key:
                return number
        return self.start or None

    @classmethod
    def _header(cls, line: str) -> tuple[str, ...] | None:
        match = cls._HEADER.match(line)
        if match is None:
            return None
        parts = re.findall(r"""\s*("[^"]*"|'[^']*'|[^.\s]+)\s*\.?""", match.group(1))
        return tuple(part.strip("\"'") for part in parts)


# -- both ---------------------------------------------------------------------------------------


def _validated(options: Any, where: Callable[[str], Location | None], shown: str,
               section: str) -> ProofbookSettings:
    """The options as settings; ``None`` (an entry without options) takes the defaults.
    Raises ``ProofbookErrors`` listing every bad option."""
    if options is None:
        return ProofbookSettings()
    if not isinstance(options, Mapping):
        raise ProofbookError(f"proofbook's options ({section}) must be a mapping of option names to "
                             f"values, not {options!r}.", where("") or Location(shown))
    return read_options(options, lambda name: where(name) or Location(shown))
