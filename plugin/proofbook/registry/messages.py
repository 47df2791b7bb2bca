"""Schema errors as positioned problems with product text.

``registry.schema.json`` errors become messages such as "unknown field 'titel' (did you mean
'title'?)", naming values the way a user reads the file; ``load`` adds the entry they belong to.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import Any, get_args

from jsonschema import Draft202012Validator, ValidationError, validators

from ..model import MATRIX_ASSUMPTIONS, SCALAR_ASSUMPTIONS, SymbolKind
from .yamlsafe import JsonPath, Problem, short

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
    """The schema's validator, with ``pattern`` matched as JSON Schema means it (ECMA-262:
    ``$`` is the end of the text), not as Python's ``re.search`` does, where ``$`` also
    matches before a final newline and 'trace-ab\\n' would pass as an id."""
    strict = validators.extend(Draft202012Validator, {"pattern": _strict_pattern})
    return strict(schema())


def _strict_pattern(validator: Any, pattern: str, instance: Any, schema_: Any) -> Iterator[ValidationError]:
    if isinstance(instance, str) and not _ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    """``pattern`` with each unescaped ``$`` anchored at the very end of the text."""
    return re.compile(re.sub(r"(?<!\\)\$", r"\\Z", pattern))


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
    return _once_per_size([p for e in kept for p in _translate(e)])


def _once_per_size(problems: list[Problem]) -> list[Problem]:
    """``size: [N1-, N1-]`` names one bad dimension twice: it is reported once, at the first."""
    seen: set[tuple[JsonPath, str]] = set()
    kept = []
    for problem in problems:
        path = problem.path
        key = (path[:-1] if len(path) > 1 and path[-2] == "size" else path, problem.message)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


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
        defs["dimension"]["pattern"]: f"'{value}' is not a valid dimension: use a name of "
        "letters and digits such as n, m or N, or a number from 1 to 12.",
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
    return _closest(value, tuple(options))


@cache
def _closest(value: str, options: tuple[str, ...]) -> str | None:
    """Memoized: a registry with thousands of 'titel' keys asks thousands of times."""
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
