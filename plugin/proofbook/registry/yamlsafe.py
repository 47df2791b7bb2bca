"""Read a registry file safely and remember where every value came from.

``yaml.safe_load`` is not enough for registry files: it expands aliases (a few lines of
"billion laughs" become gigabytes), silently keeps the last of two equal keys, accepts
non-text keys and forgets positions.  Here files are size-checked (before a byte is read:
a 3 GB sparse file costs nothing) and decoded first, the composer refuses anchors and aliases
outright and stops at ``MAX_NODES`` values, the number of entries is checked before anything
looks at them, and the composed node tree is walked by hand
into plain data plus a map from JSON path to line and column, so that schema errors can
point at lines and expressions keep the place where their text starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.composer import ComposerError
from yaml.constructor import SafeConstructor
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from ..errors import Location, ProofbookError
from .files import MAX_BYTES, read_bounded

#: Deepest nesting accepted; the format needs 7 levels, PyYAML recurses per level.
MAX_DEPTH = 20
#: Most YAML values (scalars, lists, mappings) in one file: a full chapter has a few thousand.
MAX_NODES = 100_000
#: Most entries in one chapter file.
MAX_ENTRIES = 2_000
#: Text Python cannot encode (a YAML "\ud800" escape gives a lone surrogate).
_SURROGATE = re.compile("[\ud800-\udfff]")

JsonPath = tuple[str | int, ...]

_YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {"str", "int", "float", "bool", "null", "timestamp"}
_KEY_KINDS = {"int": "a number", "float": "a number", "bool": "true/false", "null": "empty (null)",
              "merge": "a merge key"}
_CONSTRUCTOR = SafeConstructor()


@dataclass(frozen=True)
class Problem:
    """A problem with the value (or, with ``at_key``, its key) at ``path`` of a document.

    ``where`` overrides the position when the path alone cannot tell (a repeated key).
    """

    path: JsonPath
    message: str
    hint: str | None = None
    at_key: bool = False
    where: Location | None = None


@dataclass
class Document:
    """A parsed registry file: plain data and where each part of it starts.

    ``nodes`` maps a JSON path to where its value starts, ``keys`` to where its key starts,
    ``texts`` to where a scalar's text starts, and ``numbers`` keeps how plain numbers were
    written (``1.50``), so that an expression YAML read as a number keeps its spelling.
    """

    file: str
    data: Any = None
    nodes: dict[JsonPath, Location] = field(default_factory=dict)
    keys: dict[JsonPath, Location] = field(default_factory=dict)
    texts: dict[JsonPath, Location] = field(default_factory=dict)
    numbers: dict[JsonPath, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def location(self, path: JsonPath, at_key: bool = False) -> Location:
        """Where the value (or key) at ``path`` starts, else where its nearest parent starts."""
        if at_key and path in self.keys:
            return self.keys[path]
        while path not in self.nodes:
            path = path[:-1]
        return self.nodes[path]

    def text_location(self, path: JsonPath) -> Location:
        """Where the text of the scalar at ``path`` starts (inside quotes, below ``|``)."""
        return self.texts.get(path) or self.location(path)


def read_text(path: Path, file: str) -> str:
    """The text of a registry file, refusing non-regular, huge and non-UTF-8 files before YAML
    sees them; the size is checked before anything is read."""
    data = read_bounded(path, file, MAX_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8", "replace")) + 1
        raise ProofbookError(
            f"the file is not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset "
            f"{exc.start} is not valid UTF-8.",
            Location(file, data.count(b"\n", 0, exc.start) + 1, column),
            hint="Save the file with UTF-8 encoding.") from None


def parse(text: str, file: str) -> Document:
    """Compose ``text`` without anchors or aliases and walk it into a ``Document``.

    Raises ``ProofbookError`` for problems that stop parsing (syntax, anchors, empty file);
    problems that do not (duplicate keys, tags, ...) are collected in ``Document.problems``.
    """
    try:
        loader = _StrictLoader(text, file)
    except ReaderError as exc:
        raise _reader_error(exc, text, file) from None
    try:
        root = loader.get_single_node()
    except ComposerError as exc:
        raise _multi_document_error(exc, file) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, file) from None
    finally:
        loader.dispose()
    if root is None or root.tag == _YAML_TAG + "null":
        raise ProofbookError("the file is empty.", Location(file, 1, 1),
                             hint="A chapter file needs chapter: <title> and entries:.")
    document = Document(file)
    document.data = _Walker(document, text.splitlines()).value(root, ())
    return document


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader whose composer stops at the first anchor or alias, at deep nesting, at
    MAX_NODES values and at MAX_ENTRIES entries (the only list at the top of a chapter)."""

    def __init__(self, text: str, file: str) -> None:
        super().__init__(text)
        self.file = file
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """Refuse an anchor before PyYAML records it, and an alias before it is expanded."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ProofbookError(
                "YAML anchors and aliases (&name, *name) are not allowed.",
                _location(self.file, event.start_mark),
                hint="Write the value out in full; a '*' that starts an expression must be quoted.")
        if self.depth >= MAX_DEPTH:
            raise ProofbookError(f"the YAML is nested more than {MAX_DEPTH} levels deep.",
                                 _location(self.file, event.start_mark))
        if self.depth == 2 and isinstance(parent, SequenceNode) and index >= MAX_ENTRIES:
            raise ProofbookError(f"the chapter has more than {MAX_ENTRIES:,} entries.",
                                 _location(self.file, event.start_mark),
                                 hint="Split the chapter into several files.")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ProofbookError(f"the file has more than {MAX_NODES:,} YAML values.",
                                 _location(self.file, event.start_mark),
                                 hint="Split the chapter into several files.")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Walker:
    """Turns composed nodes into plain data, recording positions and problems on the way."""

    def __init__(self, document: Document, lines: list[str]) -> None:
        self.doc = document
        self.lines = lines

    def value(self, node: Node, path: JsonPath) -> Any:
        self.doc.nodes[path] = _location(self.doc.file, node.start_mark)
        self._check_tag(node, path)
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        sequence = cast(SequenceNode, node)
        self._check_split(sequence, sequence.value, path)
        return [self.value(item, path + (i,)) for i, item in enumerate(sequence.value)]

    def _mapping(self, node: MappingNode, path: JsonPath) -> dict[str, Any]:
        self._check_split(node, [value for _, value in node.value], path)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path)
            if key is None:
                continue
            if key in result:
                first = self.doc.keys[path + (key,)]
                self.doc.problems.append(Problem(
                    path + (key,),
                    f"duplicate key '{short(key)}' (first given on line {first.line}).",
                    "Remove one of the two; YAML would silently keep the last.",
                    where=_location(self.doc.file, key_node.start_mark)))
                continue
            self.doc.keys[path + (key,)] = _location(self.doc.file, key_node.start_mark)
            result[key] = self.value(value_node, path + (key,))
        return result

    def _key(self, node: Node, path: JsonPath) -> str | None:
        """The key as text, or None after recording why it is not text."""
        kind = _tag_name(node.tag)
        if isinstance(node, ScalarNode) and kind in ("str", "timestamp"):
            if self._not_unicode(node, path):
                return None
            return node.value
        collection = kind in ("seq", "map")
        read_as = _KEY_KINDS.get(kind, "a list or mapping" if collection else f"!!{kind}")
        spelled = f" {short(node.value)}" if isinstance(node, ScalarNode) else ""
        self.doc.problems.append(Problem(
            path, f"the key{spelled} is not text: YAML reads it as {read_as}.",
            f"Put the key in quotes, e.g. '{short(node.value)}':" if spelled else None,
            where=_location(self.doc.file, node.start_mark)))
        return None

    def _scalar(self, node: ScalarNode, path: JsonPath) -> Any:
        self.doc.texts[path] = self._text_start(node)
        kind = _tag_name(node.tag)
        if kind not in ("int", "float", "bool", "null"):
            self._not_unicode(node, path)
            return node.value
        if kind in ("int", "float") and node.style is None:
            self.doc.numbers[path] = node.value
        try:
            return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        except ValueError:
            self.doc.problems.append(
                Problem(path, f"YAML cannot read '{short(node.value)}' as !!{kind}."))
            return node.value

    def _not_unicode(self, node: ScalarNode, path: JsonPath) -> bool:
        """Record a problem for text that no encoder accepts (it would pass ``check`` and crash
        the build and every export); True if there was one."""
        found = _SURROGATE.search(node.value)
        if found is None:
            return False
        self.doc.problems.append(Problem(
            path, f"the text contains U+{ord(found.group()):04X}, half of a surrogate pair, which is "
            "not a character and cannot be written to a page.",
            "Remove the \\u escape, or write the character itself.",
            where=self._text_start(node)))
        return True

    def _text_start(self, node: ScalarNode) -> Location:
        """Where the scalar's text starts: past an opening quote, or below a ``|``/``>`` header."""
        mark = node.start_mark
        if node.style in ("|", ">"):
            content = (line for line in self.lines[mark.line + 1:] if line.strip())
            first = next(content, "")
            return Location(self.doc.file, mark.line + 2, len(first) - len(first.lstrip(" ")) + 1)
        quote = 1 if node.style in ("'", '"') else 0
        return Location(self.doc.file, mark.line + 1, mark.column + 1 + quote)

    def _check_tag(self, node: Node, path: JsonPath) -> None:
        """Only plain YAML types: a tag like !!python/object must never reach a constructor."""
        kind = _tag_name(node.tag)
        allowed = ({"map"} if isinstance(node, MappingNode)
                   else {"seq"} if isinstance(node, SequenceNode) else _SCALAR_TAGS)
        if kind not in allowed:
            spelled = short(node.tag.replace(_YAML_TAG, "!!"))
            self.doc.problems.append(Problem(
                path, f"the YAML tag '{spelled}' is not allowed.",
                "Remove the tag; registry files use plain YAML only."))

    def _check_split(self, node: CollectionNode, children: list[Node], path: JsonPath) -> None:
        """Catch ``[diff(a, x), b]``: in [ ] and { } YAML splits unquoted text at commas."""
        if not node.flow_style:
            return
        for child in children:
            if (isinstance(child, ScalarNode) and child.style is None
                    and child.value.count("(") != child.value.count(")")):
                self.doc.problems.append(Problem(
                    path, f"YAML split '{short(child.value)}' at a comma: inside [ ] and {{ }} "
                    "a comma separates items.",
                    "Write the list with one '- item' per line, or put each item in quotes."))
                return


def _tag_name(tag: str) -> str:
    return tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag


def short(text: str, limit: int = 40) -> str:
    """Text for a message: long values (a 1 MB key) are cut, not printed."""
    return text if len(text) <= limit else text[:limit] + "..."


def _location(file: str, mark: yaml.Mark) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def _syntax_error(exc: yaml.MarkedYAMLError, file: str) -> ProofbookError:
    """PyYAML's multi-line report as one line: the problem, plus where the construct began."""
    mark = exc.problem_mark or exc.context_mark
    message = f"invalid YAML: {exc.problem or exc.context}"
    if exc.context and exc.problem and exc.context_mark:
        message += f" ({exc.context} from line {exc.context_mark.line + 1})"
    return ProofbookError(
        message + ".", _location(file, mark) if mark else Location(file),
        hint="Check the indentation and quoting here; quote expressions that contain ': ' "
             "or ' #' or start with one of [ { * & ! | > ' \" % @.")


def _multi_document_error(exc: ComposerError, file: str) -> ProofbookError:
    mark = exc.problem_mark
    return ProofbookError("the file holds more than one YAML document (a second '---').",
                          _location(file, mark) if mark else Location(file),
                          hint="Use one file per chapter.")


def _reader_error(exc: ReaderError, text: str, file: str) -> ProofbookError:
    before = text[:exc.position]
    column = exc.position - (before.rfind("\n") + 1) + 1
    return ProofbookError(
        f"the file contains the control character U+{exc.character:04X}, which YAML does not "
        "allow.", Location(file, before.count("\n") + 1, column),
        hint="Delete it (it is often invisible).")
