"""An unchanged registry straight from the cache: no YAML parsing, no schema, no jsonschema.

A warm build still reads every registry file, but only to hash it. The snapshot of a loaded
(hence valid) registry is stored under a key covering the files' paths and bytes and the
loader's own source; the same key means ``load.load_registry`` would build the same model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..cache import ResultCache, source_digest
from ..errors import Location, ProofbookError
from ..model import Chapter, Entry, ProofStep, Registry, Source, SymbolDecl
from .files import MAX_BYTES, chapter_files, read_bounded


def load_registry_cached(paths: Sequence[str | Path], cache: ResultCache, root: Path | None = None,
                         contained: bool = True) -> Registry:
    """``load.load_registry(paths, root, contained)``, served from ``cache`` when no file has
    changed.

    Raises ``ProofbookErrors`` as ``load_registry`` does."""
    files, errors = chapter_files(paths, root, contained)
    key = _key(files) if not errors else None
    if key is not None and (stored := cache.registry(key)) is not None:
        try:
            return registry_from_dict(stored)
        except (KeyError, TypeError, ValueError):
            pass  # written by another layout: load again
    from .load import load_registry  # YAML and the schema, only when something changed

    registry = load_registry(paths, root, contained)
    if key is not None:
        cache.store_registry(key, registry_to_dict(registry))
    return registry


def _key(files: list[tuple[Path, str]]) -> str | None:
    """A digest of the loader's source and each file's shown path and bytes; None if a file
    cannot be read (the loader then reports it)."""
    digest = hashlib.sha256(source_digest("registry", "model.py", "errors.py", "language/names.py", "texmath.py",
                                          "registry.schema.json").encode())
    for path, shown in files:
        try:
            data = read_bounded(path, shown, MAX_BYTES)
        except ProofbookError:
            return None
        digest.update(f"\0{shown}\0{len(data)}\0".encode("utf-8", "surrogateescape") + data)
    return digest.hexdigest()


# -- the model as JSON-ready data, and back ---------------------------------------------------

def registry_to_dict(registry: Registry) -> dict[str, Any]:
    return {"chapters": [_chapter(c) for c in registry.chapters]}


def registry_from_dict(data: dict[str, Any]) -> Registry:
    return Registry(tuple(_read_chapter(c) for c in data["chapters"]))


def _where(location: Location | None) -> list[Any] | None:
    return None if location is None else [location.file, location.line, location.column]


def _read_where(data: list[Any] | None) -> Location | None:
    return None if data is None else Location(*data)


def _source(source: Source) -> list[Any]:
    return [source.text, _where(source.location)]


def _read_source(data: list[Any]) -> Source:
    location = _read_where(data[1])
    if location is None:
        raise ValueError("a source without a location")
    return Source(data[0], location)


def _chapter(chapter: Chapter) -> dict[str, Any]:
    return {"slug": chapter.slug, "title": chapter.title, "number": chapter.number,
            "file": chapter.file, "intro": chapter.intro, "source": chapter.source,
            "entries": [_entry(e) for e in chapter.entries]}


def _read_chapter(data: dict[str, Any]) -> Chapter:
    return Chapter(data["slug"], data["title"], data["number"], data["file"],
                   tuple(_read_entry(e) for e in data["entries"]), data["intro"], data["source"])


def _entry(entry: Entry) -> dict[str, Any]:
    return {"id": entry.id, "title": entry.title, "kind": entry.kind,
            "symbols": [_symbol(s) for s in entry.symbols],
            "statement": [_source(s) for s in entry.statement], "source": entry.source,
            "location": _where(entry.location), "chapter": entry.chapter, "number": entry.number,
            "notes": entry.notes, "tags": list(entry.tags),
            "proof": None if entry.proof is None else [_step(s) for s in entry.proof]}


def _read_entry(data: dict[str, Any]) -> Entry:
    proof = data["proof"]
    return Entry(
        id=data["id"], title=data["title"], kind=data["kind"],
        symbols=tuple(_read_symbol(s) for s in data["symbols"]),
        statement=tuple(_read_source(s) for s in data["statement"]), source=data["source"],
        location=Location(*data["location"]), chapter=data["chapter"], number=data["number"],
        notes=data["notes"], tags=tuple(data["tags"]),
        proof=None if proof is None else tuple(_read_step(s) for s in proof))


def _symbol(symbol: SymbolDecl) -> dict[str, Any]:
    return {"name": symbol.name, "kind": symbol.kind,
            "shape": None if symbol.shape is None else list(symbol.shape),
            "assume": list(symbol.assume), "of": list(symbol.of), "location": _where(symbol.location),
            "latex": symbol.latex, "basis": symbol.basis}


def _read_symbol(data: dict[str, Any]) -> SymbolDecl:
    shape = data["shape"]
    return SymbolDecl(data["name"], data["kind"], None if shape is None else (shape[0], shape[1]),
                      tuple(data["assume"]), tuple(data["of"]), _read_where(data["location"]),
                      data["latex"], data["basis"])


def _step(step: ProofStep) -> dict[str, Any]:
    return {"expr": _source(step.expr), "by": list(step.by), "rule": step.rule, "note": step.note,
            "location": _where(step.location)}


def _read_step(data: dict[str, Any]) -> ProofStep:
    return ProofStep(_read_source(data["expr"]), tuple(data["by"]), data["rule"], data["note"],
                     _read_where(data["location"]))

