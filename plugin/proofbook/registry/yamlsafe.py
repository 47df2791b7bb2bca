"""Read a registry file safely and remember where every value came from.

``yaml.safe_load`` is not enough for registry files: it expands aliases (a few lines of
"billion laughs" become gigabytes), silently keeps the last of two equal keys, accepts
non-text keys and forgets positions.  Here files are size-checked and decoded first, the
composer refuses anchors and aliases outright, and the composed node tree is walked by hand
into plain data plus a map from JSON path to line and column, so that schema errors can
point at lines and expressions keep the place where their text starts.

The second half turns ``registry.schema.json`` errors into such positioned problems with
product text ("unknown field 'titel' (did you mean 'title'?)"), naming values the way a user
reads the file; ``load`` adds the entry they belong to.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast, get_args

import yaml
from jsonschema import Draft202012Validator, ValidationError
from yaml.composer import ComposerError
from yaml.constructor import SafeConstructor
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from ..errors import Location, ProofbookError
from ..model import MATRIX_ASSUMPTIONS, SCALAR_ASSUMPTIONS, SymbolKind

#: Largest registry file accepted; a chapter is a few dozen KiB.
MAX_BYTES = 1024 * 1024
#: Deepest nesting accepted; the format needs 7 levels, PyYAML recurses per level.
MAX_DEPTH = 20

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
    """The text of a registry file, refusing huge and non-UTF-8 files before YAML sees them."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ProofbookError(f"cannot read the file: {exc.strerror}.", Location(file)) from None
    if len(data) > MAX_BYTES:
        raise ProofbookError(
            f"the file is larger than 1 MiB ({MAX_BYTES:,} bytes).", Location(file),
            hint="Split the chapter into several files.")
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
    """A SafeLoader whose composer stops at the first anchor or alias and at deep nesting."""

    def __init__(self, text: str, file: str) -> None:
        super().__init__(text)
        self.file = file
        self.depth = 0

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
            return node.value
        if kind in ("int", "float") and node.style is None:
            self.doc.numbers[path] = node.value
        try:
            return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        except ValueError:
            self.doc.problems.append(
                Problem(path, f"YAML cannot read '{short(node.value)}' as !!{kind}."))
            return node.value

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


# --- schema errors as problems with product text --------------------------------------------

_MISSING_HINTS = {
    "chapter": "Add chapter: <title> at the top of the file.",
    "entries": "Add entries: with at least one entry.",
    "id": "Add id: <a-short-slug>, unique across the registry.",
    "title": "Add title: <a short name for the formula>.",
    "source": "Add source: <book or paper, page>, or a chapter-wide source: at the top.",
    "kind": "Add kind: scalar, vector, matrix, index or function.",
    "size": "Add size: n (a dimension name or a number from 1 to 12); a matrix may use [m, n].",
    "of": "A function needs of: the symbol(s) it depends on, e.g. of: x.",
    "step": "Add step: <the expression this step reaches>.",
}
_COUNT_HINTS = {
    "entries": "Add at least one entry.",
    "chain": "A chain needs two or more expressions; for one equation use lhs: and rhs:.",
    "proof": "Add proof steps, or remove proof:.",
    "size": "Use size: n for a square matrix or size: [m, n].",
}
_STATEMENT_FIELDS = ("lhs", "rhs", "chain")
_ASSUMPTIONS_FOR = {SCALAR_ASSUMPTIONS: "scalars and functions",
                    MATRIX_ASSUMPTIONS: "square matrices"}


@cache
def schema() -> dict[str, Any]:
    """The registry schema shipped in the package (editors read the same file)."""
    text = resources.files("proofbook").joinpath("registry.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def schema_problems(data: dict[str, Any]) -> list[Problem]:
    """The schema's errors as problems, each said once.

    A value of the wrong type gets only its type error (``required`` and friends pass or fail
    vacuously on non-mappings), and "missing 'title'" is left out when "unknown field 'titel'
    (did you mean 'title'?)" already says it.
    """
    errors = list(_validator().iter_errors(data))
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    guessed = {tuple(e.absolute_path) + (guess,) for e in errors
               if e.validator == "additionalProperties"
               for key in e.instance if (guess := _guess(key, e.schema["properties"]))}
    kept = [e for e in errors
            if (e.validator == "type" or tuple(e.absolute_path) not in mistyped)
            and not any(tuple(e.absolute_path) + (f,) in guessed for f in _missing_fields(e))]
    return [p for e in kept for p in _translate(e)]


def _translate(error: ValidationError) -> Iterator[Problem]:
    """Product text for one schema error; a keyword without a handler keeps jsonschema's."""
    path = tuple(error.absolute_path)
    if "propertyNames" in error.relative_schema_path:  # the error sits on the symbols mapping
        yield Problem(path + (error.instance,), f"'{short(error.instance)}' is not a valid "
                      "symbol name: start with a letter, then use letters, digits or '_' "
                      "(at most 20).", at_key=True)
        return
    handler = _HANDLERS.get(str(error.validator))
    yield from handler(error, path) if handler else [Problem(path, short(error.message, 200))]


def _missing_fields(error: ValidationError) -> list[str]:
    """The fields whose absence caused ``error`` (none for other kinds of error)."""
    have = error.instance if isinstance(error.instance, dict) else {}
    if error.validator == "required":
        return [f for f in error.validator_value if f not in have]
    if error.validator == "dependentRequired":
        return [f for key, needs in error.validator_value.items() if key in have
                for f in needs if f not in have]
    if error.validator == "oneOf" and not any(f in have for f in _STATEMENT_FIELDS):
        return list(_STATEMENT_FIELDS)
    return []


def _required(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    where = f" in {what(path)}" if _relative(path) else ""
    for name in _missing_fields(error):
        yield Problem(path, f"missing '{name}'{where}.", _MISSING_HINTS.get(name))


def _unknown(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    allowed = list(error.schema["properties"])
    where = f" in {what(path)}" if _relative(path) else ""
    for key in (k for k in error.instance if k not in allowed):
        ending = guess_or_period(key, allowed)
        yield Problem(path + (key,), f"unknown field '{short(key)}'{where}{ending}",
                      f"Allowed fields: {', '.join(allowed)}." if ending == "." else None,
                      at_key=True)


def _type(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    expected = error.schema["x-expected"]
    if error.instance is None:
        yield Problem(path, f"{what(path)} is empty; it must be {expected}.")
        return
    misread = "string" in error.validator_value and isinstance(error.instance, (bool, int, float))
    yield Problem(path, f"{what(path)} must be {expected}, not {type_name(error.instance)}.",
                  "Put it in quotes so that YAML reads it as text." if misread else None)


def _pattern(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    defs, value = schema()["$defs"], short(error.instance)
    noun = "slug" if path == ("slug",) else "id"
    messages = {
        defs["id"]["pattern"]: f"'{value}' is not a valid {noun}: use lowercase letters, digits "
        f"and single hyphens, e.g. '{slugify(error.instance)}'.",
        defs["name"]["pattern"]: f"'{value}' is not a valid symbol name: start with a letter, "
        "then use letters, digits or '_'.",
        defs["dimension"]["pattern"]: f"'{value}' is not a valid dimension: use a lowercase "
        "name such as n, or a number from 1 to 12.",
    }
    yield Problem(path, messages.get(error.validator_value, f"{what(path)} is empty."))


def _too_long(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    yield Problem(path, f"{what(path)} is too long ({len(error.instance):,} characters; "
                  f"the limit is {error.validator_value:,}).")


def _enum(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    value, options = short(str(error.instance)), error.validator_value
    key = _field(path)
    owner = next((who for group, who in _ASSUMPTIONS_FOR.items() if value in group), None)
    if key == "assume" and owner:
        yield Problem(path, f"'{value}' is an assumption for {owner}, not for "
                      f"{_ASSUMPTIONS_FOR[tuple(options)]}.", f"Use one of: {', '.join(options)}.")
        return
    in_symbol = in_entry(path) and len(path) > 4 and path[2] == "symbols"
    nouns = {"assume": "assumption", "kind": "symbol kind" if in_symbol else "kind"}
    noun = nouns.get(key, key)
    ending = guess_or_period(value, options)
    yield Problem(path, f"unknown {noun} '{value}'{ending}",
                  f"Use one of: {', '.join(options)}." if ending == "." else None)


def _short_form(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    name, value = path[-1], short(error.instance)
    example = "of: x" if value == "function" else "size: n"
    hint = (f"Write {name}: {{kind: {value}, {example}}}." if value in get_args(SymbolKind)
            else f"Write {name}: scalar, or a mapping such as {name}: {{kind: matrix, size: n}}.")
    yield Problem(path, f"symbol '{name}' is declared as '{value}', but only scalar has a "
                  "short form.", hint)


def _count(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    n, limit, named = len(error.instance), error.validator_value, what(path)
    if error.validator == "maxItems":
        message = f"{named} has {n} items; it allows at most {limit}."
    elif n == 0:
        message = f"{named} is empty."
    else:
        message = f"{named} has {n} item{'s' if n > 1 else ''}; it needs at least {limit}."
    yield Problem(path, message, _COUNT_HINTS.get(_field(path)))


def _size_range(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    value, limit = error.instance, error.validator_value
    too, bound = ("large", "at most") if error.validator == "maximum" else ("small", "at least")
    yield Problem(path, f"size {value} is too {too}: a fixed size must be {bound} {limit}.",
                  "Use a dimension name such as n; the verifier chooses small values for it.")


def _statement_choice(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    if "chain" in error.instance:
        yield Problem(path, "has both lhs/rhs and chain.",
                      "Use lhs: and rhs: for one equation, or chain: for a = b = c, not both.")
    else:
        yield Problem(path, "has no statement.", "Add lhs: and rhs:, or chain: [a, b, ...].")


def _half_equation(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    if "chain" in error.instance:  # _statement_choice says it: both lhs/rhs and chain
        return
    for missing in _missing_fields(error):
        other = "lhs" if missing == "rhs" else "rhs"
        yield Problem(path, f"has '{other}' but no '{missing}'.",
                      "An equation needs both lhs: and rhs: (or use chain:).")


def _no_reason(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    yield Problem(path, f"{what(path)} gives no reason.",
                  "Add by: <id of the entry it uses> or rule: <rule>.")


def _forbidden(error: ValidationError, path: JsonPath) -> Iterator[Problem]:
    """A field the schema forbids with ``not: {required: [field]}``; points at its key."""
    key = error.validator_value["required"][0]
    if key == "proof":
        yield Problem(path + (key,), "a definition has no proof.",
                      "Remove proof:, or make the entry kind: identity.", at_key=True)
        return
    kind = error.instance["kind"]
    article = "an" if kind[0] in "aeiou" else "a"
    yield Problem(path + (key,), f"{what(path)} is {article} {kind} and takes no '{key}'.",
                  f"Remove {key}:.", at_key=True)


_HANDLERS: dict[str, Callable[[ValidationError, JsonPath], Iterator[Problem]]] = {
    "required": _required, "additionalProperties": _unknown, "type": _type, "pattern": _pattern,
    "maxLength": _too_long, "enum": _enum, "const": _short_form, "minItems": _count,
    "maxItems": _count, "minimum": _size_range, "maximum": _size_range,
    "oneOf": _statement_choice, "dependentRequired": _half_equation, "anyOf": _no_reason,
    "not": _forbidden,
}


# --- naming things in messages ---------------------------------------------------------------


def in_entry(path: JsonPath) -> bool:
    """Whether ``path`` lies inside an entry (``("entries", i, ...)``)."""
    return len(path) >= 2 and path[0] == "entries" and isinstance(path[1], int)


def _relative(path: JsonPath) -> JsonPath:
    """The path inside its entry; the entry's own label says which entry."""
    return path[2:] if in_entry(path) else path


def _field(path: JsonPath) -> str:
    """The innermost field name on ``path`` (``tags`` for ``(..., "tags", 2)``)."""
    return next(str(k) for k in reversed(path) if isinstance(k, str))


def what(path: JsonPath) -> str:
    """How a message names the value at ``path``: "'title'", "'size' of symbol 'A'", ..."""
    parts, rest = [], list(_relative(path))
    while rest:
        key = rest.pop(0)
        if key == "symbols" and rest:
            parts.append(f"symbol '{short(str(rest.pop(0)))}'")
        elif key == "proof" and rest and isinstance(rest[0], int):
            parts.append(f"proof step {int(rest.pop(0)) + 1}")
        else:
            parts.append(f"item {key + 1}" if isinstance(key, int) else f"'{short(key)}'")
    return " of ".join(reversed(parts)) or ("the entry" if path else "the file")


def guess_or_period(value: str, options: Any) -> str:
    """How a sentence about an unknown ``value`` ends: with a did-you-mean, else a period."""
    guess = _guess(value, options)
    return f" (did you mean '{guess}'?)" if guess else "."


def _guess(value: str, options: Any) -> str | None:
    return next(iter(difflib.get_close_matches(value, list(options), n=1)), None)


def slugify(text: str) -> str:
    """A valid slug close to ``text``, for "e.g." hints ('Trace AB' -> 'trace-ab')."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64] or "trace-ab"


def type_name(value: Any) -> str:
    """The YAML type of ``value`` as a message says it: "a number", "a list", ..."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    return {int: "a number", float: "a number", str: "text", list: "a list"}.get(type(value),
                                                                                 "a mapping")
