"""A plain reading of a site's YAML configuration (``mkdocs.yml``) without MkDocs.

A site configuration is not a registry: it may use anchors, ``INHERIT:`` a parent file, read
environment variables with ``!ENV`` and name Python objects with tags such as
``!!python/name:pymdownx.superfences.fence_code_format``. Here ``!ENV`` is resolved as MkDocs
resolves it, ``INHERIT`` is merged as MkDocs merges it, and every other tag is kept as an inert
``Tagged`` value: it is never constructed, so nothing is imported or run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Location, ProofbookError, shown_path

#: A place in a document: the keys and list indexes that lead to a value.
JsonPath = tuple[str | int, ...]
#: Deepest chain of ``INHERIT`` files followed; more is surely a loop.
MAX_INHERIT = 10


@dataclass(frozen=True)
class Tagged:
    """A value whose tag proofbook does not construct (``!!python/name:...``, ``!relative``)."""

    tag: str
    value: object

    def __repr__(self) -> str:
        tag = self.tag.replace("tag:yaml.org,2002:", "!!")
        return f"{tag} {self.value!r}" if self.value not in ("", None) else tag


@dataclass
class SiteYaml:
    """A YAML configuration, its parents merged in, and where each key was written."""

    data: dict[str, Any]
    keys: dict[JsonPath, Location]

    def location(self, path: JsonPath) -> Location | None:
        return self.keys.get(path)


class _Loader(yaml.SafeLoader):
    """SafeLoader that resolves ``!ENV``, keeps unknown tags inert and bad dates as text."""


def _construct_env(loader: _Loader, node: Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable set, read as YAML reads
    a plain value, else the default (else null): what MkDocs' ``!ENV`` tag does."""
    if isinstance(node, ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, SequenceNode) and node.value:
        *children, last = node.value
        if not children:
            children, last = [last], None
        names = [loader.construct_scalar(child) for child in children if isinstance(child, ScalarNode)]
        default = loader.construct_object(last) if last is not None else None
    else:
        raise yaml.constructor.ConstructorError(
            None, None, "!ENV takes a variable name or a list of names and a default", node.start_mark)
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(ScalarNode, value, (True, False))
            return loader.construct_object(ScalarNode(tag, value))
    return default


def _construct_inert(loader: _Loader, tag_suffix: str, node: Node) -> Tagged:
    value = loader.construct_scalar(node) if isinstance(node, ScalarNode) else None
    return Tagged(node.tag, value)


def _construct_timestamp(loader: _Loader, node: Node) -> Any:
    """A date, or the text as written when it is no day of the calendar (``2026-13-01``)."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("!ENV", _construct_env)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_multi_constructor("", _construct_inert)


def read_site_yaml(path: Path, shown: str) -> SiteYaml:
    """The configuration in ``path`` (``shown`` in messages), with its ``INHERIT`` chain merged.

    Raises ``ProofbookError`` for a file that cannot be read or is not a YAML mapping."""
    return _read(path, shown, depth=0)


def _read(path: Path, shown: str, depth: int) -> SiteYaml:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        raise ProofbookError(f"cannot read the configuration: {reason}.", Location(shown)) from None
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else {}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        raise ProofbookError(f"invalid YAML: {error.problem or error.context}.", where) from None
    except yaml.YAMLError as error:
        raise ProofbookError(f"invalid YAML: {error}.", Location(shown)) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ProofbookError("the configuration is not a mapping of settings.", Location(shown, 1, 1))
    keys: dict[JsonPath, Location] = {}
    if root is not None:
        _record_keys(root, (), shown, keys, set())
    document = SiteYaml(data, keys)
    parent = data.pop("INHERIT", None)
    if parent is None:
        return document
    if not isinstance(parent, str) or depth >= MAX_INHERIT:
        raise ProofbookError(f"INHERIT must name one parent configuration file, not {parent!r} "
                             f"(or a chain of more than {MAX_INHERIT}).", keys.get(("INHERIT",)))
    parent_path = path.parent / parent
    inherited = _read(parent_path, shown_path(parent_path), depth + 1)
    return SiteYaml(merge(inherited.data, data), {**inherited.keys, **keys})


def merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` over ``parent``: mappings merge key by key, anything else (a list) is replaced,
    as MkDocs merges an ``INHERIT`` chain."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _record_keys(node: Node, path: JsonPath, file: str, keys: dict[JsonPath, Location],
                 seen: set[int]) -> None:
    """Where each key of the document was written (an alias's keys: where its anchor was)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                here = (*path, key_node.value)
                keys.setdefault(here, Location(file, key_node.start_mark.line + 1,
                                               key_node.start_mark.column + 1))
                _record_keys(value_node, here, file, keys, seen)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _record_keys(item, (*path, index), file, keys, seen)
