"""Load registry YAML files into a ``model.Registry``, reporting every problem at once.

Each file is read by ``yamlsafe`` (bounded, UTF-8, no aliases, positions kept) and checked
against ``registry.schema.json``; this module then checks what a schema cannot say (symbols
against dimensions, square matrices, unique ids and slugs, cited ids) and builds the model.
Expressions stay text: ``proofbook.language`` compiles them later, so loading never imports
SymPy and a warm build does not need it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import Location, ProofbookError, ProofbookErrors
from ..language.basis import MAX_FIXED_POSITION, parse_basis
from ..language.names import reserved
from ..model import Chapter, Entry, ProofStep, Registry, Source, SymbolDecl
from ..texmath import MAX_NAME_CHARS, safe_name
from .files import chapter_files
from .messages import (guess_or_period, in_entry, schema, schema_problems, slugify, type_name,
                       what)
from .yamlsafe import Document, JsonPath, Problem, parse, read_text, short


def load_registry(paths: Sequence[str | Path], root: Path | None = None, contained: bool = True) -> Registry:
    """Load the chapter files in and under ``paths``, in order; ``root`` and ``contained``
    say where they may lie (``files.chapter_files``).

    Raises ``ProofbookErrors`` listing every problem of every file, sorted by file and line.
    """
    return _RegistryLoader().load(paths, root, contained)


class _RegistryLoader:
    """One load: the problems found so far and the ids, slugs and citations seen."""

    def __init__(self) -> None:
        self.errors: list[ProofbookError] = []
        self.ids: dict[str, Location] = {}
        self.slugs: dict[str, Location] = {}
        self.citations: list[tuple[str, Location, str, str]] = []  # id, where, by entry, step

    def load(self, paths: Sequence[str | Path], root: Path | None, contained: bool) -> Registry:
        """Every file is loaded, however many fail, so that one run reports everything."""
        files, self.errors = chapter_files(paths, root, contained)
        chapters = [chapter for number, (path, file) in enumerate(files, 1)
                    if (chapter := self._chapter(path, file, number))]
        if not self.errors:  # else an entry skipped for its errors may be the one cited
            self._check_citations()
        if self.errors:
            raise ProofbookErrors(sorted(self.errors, key=_order))
        return Registry(tuple(chapters))

    def _chapter(self, path: Path, file: str, number: int) -> Chapter | None:
        """The file's chapter, or None when the file has problems (they are recorded)."""
        try:
            doc = parse(read_text(path, file), file)
        except ProofbookError as exc:
            self.errors.append(exc)
            return None
        data = doc.data
        if not isinstance(data, dict):
            self.errors.append(ProofbookError(
                f"the file must be a mapping with chapter: and entries:, not {type_name(data)}.",
                doc.location(()), hint="Start the file with chapter: <title>."))
            return None
        known = len(self.errors)
        _numbers_as_text(doc)
        problems = list(dict.fromkeys(doc.problems + schema_problems(data)))
        self.errors += [_error(doc, p) for p in problems]
        slug = self._claim_slug(doc, path)
        broken = {p.path[1] for p in problems if in_entry(p.path)}
        entries = self._entries(doc, broken, slug, number)
        if len(self.errors) > known:
            return None
        return Chapter(slug=slug, title=data["chapter"], number=number, file=file,
                       entries=entries, intro=data.get("intro"), source=data.get("source"))

    def _entries(self, doc: Document, broken: set[str | int], chapter: str,
                 number: int) -> tuple[Entry, ...]:
        """The entries the schema accepted and that make sense; built even when other parts
        of the file have problems, so that their ids are checked for duplicates too."""
        listed = doc.data.get("entries")
        entries = []
        for index, raw in enumerate(listed if isinstance(listed, list) else []):
            if index in broken:
                continue
            meaning = [_error(doc, p) for p in _meaning_problems(raw, index)]
            self.errors += meaning
            if not meaning:
                entries.append(self._entry(doc, index, chapter, number, doc.data.get("source")))
        return tuple(entries)

    def _claim_slug(self, doc: Document, path: Path) -> str:
        """The chapter slug (given, or from the file name), checked for validity and reuse."""
        given = doc.data.get("slug")
        slug = given if isinstance(given, str) else re.sub(r"^\d+-", "", path.stem)
        where = doc.location(("slug",)) if given is not None else Location(doc.file)
        if given is None and not re.fullmatch(schema()["$defs"]["id"]["pattern"], slug):
            self.errors.append(ProofbookError(
                f"the file name gives the chapter slug '{short(slug)}', which is not valid: "
                "use lowercase letters, digits and single hyphens.", where,
                hint=f"Rename the file (e.g. 01-{slugify(slug)}.yml) or add "
                     f"slug: {slugify(slug)}."))
        elif slug in self.slugs:
            self.errors.append(ProofbookError(
                f"the chapter slug '{slug}' is already used by {self.slugs[slug]}.", where,
                hint="Give one of the chapters another slug: (or file name)."))
        else:
            self.slugs[slug] = where
        return slug

    def _entry(self, doc: Document, index: int, chapter: str, number: int,
               default_source: str | None) -> Entry:
        """The model of a valid entry, claiming its id across the whole registry."""
        path: JsonPath = ("entries", index)
        raw = doc.data["entries"][index]
        location = doc.location(path)
        if raw["id"] in self.ids:
            self.errors.append(ProofbookError(
                f"duplicate id '{raw['id']}': it is already used at {self.ids[raw['id']]}.",
                location, raw["id"], hint="Ids are unique across all registry files; rename one."))
        self.ids.setdefault(raw["id"], location)
        symbols = raw.get("symbols", {})
        proof = raw.get("proof")
        return Entry(
            id=raw["id"], title=raw["title"], kind=raw.get("kind", "identity"),
            symbols=tuple(_symbol(doc, path + ("symbols", name), name, symbols[name])
                          for name in symbols),
            statement=_statement(doc, raw, path), source=raw.get("source", default_source),
            location=location, chapter=chapter, number=f"{number}.{index + 1}",
            notes=raw.get("notes"), tags=tuple(raw.get("tags", ())),
            proof=None if proof is None else tuple(
                self._step(doc, path + ("proof", j), step, raw["id"])
                for j, step in enumerate(proof)),
        )

    def _step(self, doc: Document, path: JsonPath, raw: dict[str, Any], entry_id: str) -> ProofStep:
        """The model of a proof step; its citations are checked once all ids are known."""
        by = _one_or_many(raw.get("by"))
        single = isinstance(raw.get("by"), str)
        at = [path + ("by",)] if single else [path + ("by", k) for k in range(len(by))]
        self.citations += [(ref, doc.text_location(p), entry_id, what(path))
                           for ref, p in zip(by, at, strict=True)]
        return ProofStep(expr=Source(raw["step"], doc.text_location(path + ("step",))), by=by,
                         rule=raw.get("rule"), note=raw.get("note"), location=doc.location(path))

    def _check_citations(self) -> None:
        for ref, where, entry_id, step in self.citations:
            if ref not in self.ids:
                self.errors.append(ProofbookError(
                    f"{step} cites '{ref}', which is not the id of any entry"
                    + guess_or_period(ref, self.ids), where, entry_id,
                    hint="Cite the id of an entry in the registry, or give a rule: instead."))


def _symbol(doc: Document, path: JsonPath, name: str, raw: str | dict[str, Any]) -> SymbolDecl:
    decl = _declaration(raw)
    return SymbolDecl(name=name, kind=decl["kind"], shape=_shape(decl),
                      assume=tuple(decl.get("assume", ())), of=_one_or_many(decl.get("of")),
                      location=doc.location(path, at_key=True),
                      latex=safe_name(decl["latex"]) if "latex" in decl else None,
                      basis=_basis(decl.get("basis")))


def _basis(value: int | str | None) -> int | str | None:
    """A basis position in one spelling (``n-1`` and ``n - 1`` are one claim for the cache)."""
    if not isinstance(value, str):
        return value
    name, k = parse_basis(value)
    return name if k == 0 else f"{name} - {k}"


def _declaration(raw: str | dict[str, Any]) -> dict[str, Any]:
    """The long form of a symbol declaration: ``x: scalar`` is ``x: {kind: scalar}``."""
    return {"kind": raw} if isinstance(raw, str) else raw


def _shape(decl: dict[str, Any]) -> tuple[str | int, str | int] | None:
    size = decl.get("size")
    if size is None:
        return None
    if isinstance(size, list):
        return (_dimension(size[0]), _dimension(size[1]))
    return (_dimension(size), 1 if decl["kind"] in ("vector", "index") else _dimension(size))


def _dimension(value: str | float) -> str | int:
    """A dimension name, or a fixed size as int (YAML may say 3.0; the schema accepts it)."""
    return value if isinstance(value, str) else int(value)


def _statement(doc: Document, raw: dict[str, Any], path: JsonPath) -> tuple[Source, ...]:
    if "chain" in raw:
        chain = path + ("chain",)
        return tuple(Source(text, doc.text_location(chain + (k,)))
                     for k, text in enumerate(raw["chain"]))
    return tuple(Source(raw[side], doc.text_location(path + (side,))) for side in ("lhs", "rhs"))


def _one_or_many(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _meaning_problems(raw: dict[str, Any], index: int) -> Iterator[Problem]:
    """What the schema cannot say about the symbols of a (schema-valid) entry."""
    decls = {name: _declaration(d) for name, d in raw.get("symbols", {}).items()}
    dimensions = {d for decl in decls.values() for d in _dimension_names(decl.get("size"))}
    for name, decl in decls.items():
        path: JsonPath = ("entries", index, "symbols", name)
        why = reserved(name)
        if why:
            yield Problem(path, f"{why}; it cannot name a symbol.", "Choose another name.", at_key=True)
        if name in dimensions:
            yield Problem(path, f"'{name}' is used both as a dimension and as a symbol.",
                          f"Rename the {decl.get('kind', 'symbol')} {name} or the dimension "
                          "(dimensions are names like n, m, N).", at_key=True)
        for dim in dict.fromkeys(_dimension_names(decl.get("size"))):
            why_not = reserved(dim)
            if why_not:
                yield Problem(path + ("size",), f"{why_not}; it cannot name a dimension.",
                              "Choose another name, such as n or N.")
        for other in _one_or_many(decl.get("of")):
            if other == name:
                yield Problem(path + ("of",), f"symbol '{name}' cannot be a function of itself.",
                              f"Remove {name} from of:.")
            elif other not in decls:
                yield Problem(path + ("of",), f"symbol '{name}' is a function of '{other}', "
                              "which this entry does not declare.",
                              f"Declare {other} under symbols:, or remove it from of:.")
            elif decl.get("kind") == "function" and decls[other].get("kind") != "scalar":
                yield Problem(path + ("of",), f"symbol '{name}' is a function of '{other}', which is "
                              f"{_article(decls[other].get('kind'))} {decls[other].get('kind')}; "
                              "functions take scalar arguments only.",
                              f"Make {name} a function of scalars, or write it out in {other}.")
        yield from _display_problems(name, decl, decls, path)
        clash = _contradiction(decl.get("assume", ()))
        if clash:
            yield Problem(path + ("assume",), f"symbol '{name}' cannot be both {clash[0]} and "
                          f"{clash[1]}: no number is.", "Remove one of the two assumptions.")
        size = decl.get("size")
        if "basis" in decl:
            yield from _basis_problems(name, decl, path)
        if decl.get("assume") and isinstance(size, list) and size[0] != size[1]:
            yield Problem(path + ("assume",), f"'{decl['assume'][0]}' needs a square matrix, "
                          f"but symbol '{name}' is {size[0]} x {size[1]}.",
                          "Use size: n, or remove the assumption.")


def _display_problems(name: str, decl: dict[str, Any], decls: dict[str, dict[str, Any]],
                      path: JsonPath) -> Iterator[Problem]:
    """A display name must be safe TeX (``texmath.safe_name``) and must not print like another
    symbol of the entry: the reader could not tell them apart."""
    if "latex" not in decl:
        return
    shown = safe_name(decl["latex"])
    if shown is None:
        yield Problem(path + ("latex",), f"the display name of symbol '{name}' is not allowed: "
                      f"'{short(decl['latex'])}' is not a name in the TeX subset.",
                      "Use letters, digits, primes, _ and ^ with braces that balance, Greek letters "
                      "(\\sigma), \\mathbf, \\boldsymbol, \\mathrm, \\mathcal and accents (\\hat, "
                      f"\\bar, \\tilde, \\vec), at most {MAX_NAME_CHARS} characters, e.g. latex: '\\sigma^2'.")
        return
    for other, other_decl in decls.items():
        other_shown = safe_name(other_decl["latex"]) if "latex" in other_decl else other
        if other != name and other_shown is not None and _spelled(other_shown) == _spelled(shown):
            yield Problem(path + ("latex",), f"symbol '{name}' would print as {shown}, like the "
                          f"symbol '{other}'.", "Give each symbol a display name of its own.")
            return


def _spelled(tex: str) -> str:
    return "".join(tex.split()).replace("{", "").replace("}", "")


def _basis_problems(name: str, decl: dict[str, Any], path: JsonPath) -> Iterator[Problem]:
    """A basis position must exist in the vector: 1 to its fixed length, or its size name n
    (minus a whole number); the schema has checked that it is a vector and the value's type."""
    basis, size = decl["basis"], decl.get("size")
    where = path + ("basis",)
    if decl.get("of"):
        yield Problem(path + ("of",), f"symbol '{name}' is a standard basis vector, a constant; "
                      "it cannot depend on anything.", "Remove of:, or remove basis:.")
    try:
        dim, k = parse_basis(basis)
    except ValueError:
        dim, k = "?", -1
    length = int(size) if isinstance(size, (int, float)) else size
    fixed = isinstance(length, int)
    positions = (f"a position from 1 to {length}" if fixed else
                 f"a position from 1 to {MAX_FIXED_POSITION}, {length}, or {length} - k")
    if dim is None and k < 1:
        yield Problem(where, f"basis {basis} of symbol '{name}' is not a position: positions count "
                      "from 1 (basis: 1 is e_1).", f"Use {positions}.")
    elif dim is None and isinstance(length, int) and k > length:
        yield Problem(where, f"basis {basis} of symbol '{name}' is beyond its length {length}.",
                      f"Use {positions}.")
    elif dim is None and not fixed and k > MAX_FIXED_POSITION:
        yield Problem(where, f"basis {basis} of symbol '{name}' is more than {MAX_FIXED_POSITION} "
                      f"for a vector of length {length}, which the verifier chooses.", f"Use {positions}.")
    elif dim is not None and (dim != length or k > MAX_FIXED_POSITION - 1):
        yield Problem(where, f"basis '{short(str(basis))}' of symbol '{name}' is not a position "
                      f"of a vector of length {length}.", f"Use {positions}.")


#: The signs (-1, 0, 1) a scalar assumption allows; "integer" and "real" allow every sign.
_SIGNS = {"real": {-1, 0, 1}, "integer": {-1, 0, 1}, "positive": {1}, "negative": {-1},
          "nonnegative": {0, 1}, "nonzero": {-1, 1}}


def _contradiction(assume: Any) -> tuple[str, str] | None:
    """Two assumptions no number satisfies together (SymPy raises InconsistentAssumptions
    for them); matrix assumptions all hold together for the identity matrix."""
    given = [a for a in assume if a in _SIGNS] if isinstance(assume, list) else []
    for k, later in enumerate(given):
        for earlier in given[:k]:
            if not _SIGNS[earlier] & _SIGNS[later]:
                return earlier, later
    if given and not set.intersection(*(_SIGNS[a] for a in given)):
        return ", ".join(given[:-1]), given[-1]
    return None


def _article(word: Any) -> str:
    return "an" if str(word)[:1] in "aeiou" else "a"


def _dimension_names(size: Any) -> list[str]:
    return [d for d in (size if isinstance(size, list) else [size]) if isinstance(d, str)]


def _numbers_as_text(doc: Document) -> None:
    """Let ``rhs: 0`` mean the expression "0": YAML reads a number, the author wrote text."""
    for path, written in doc.numbers.items():
        match path:
            case (("entries", int(), "lhs" | "rhs") | ("entries", int(), "chain", int())
                  | ("entries", int(), "proof", int(), "step")):
                parent: Any = doc.data
                for key in path[:-1]:
                    parent = parent[key]
                parent[path[-1]] = written


def _error(doc: Document, problem: Problem) -> ProofbookError:
    """The problem as a user-facing error that names its entry: by id, else by position."""
    entry_id, prefix = None, ""
    if in_entry(problem.path):
        raw = doc.data["entries"][problem.path[1]]
        ident = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(ident, str) and 0 < len(ident) <= 64:
            entry_id = ident
        else:
            prefix = f"entry #{int(problem.path[1]) + 1}: "
    location = problem.where or doc.location(problem.path, problem.at_key)
    return ProofbookError(prefix + problem.message, location, entry_id, problem.hint)


def _order(error: ProofbookError) -> tuple[str, int, int]:
    where = error.location or Location("")
    return (where.file, where.line or 0, where.column or 0)
