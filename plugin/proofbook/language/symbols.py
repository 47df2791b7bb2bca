"""The symbols an entry declares, as SymPy objects, with the declarations kept beside them."""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Basic, Function, Integer, MatrixSymbol, Symbol
from sympy.core.facts import InconsistentAssumptions

from ..errors import ProofbookError
from ..model import SymbolDecl
from .indices import basis_position
from .nodes import UnitVector


def dimension(size: str | int) -> Basic:
    """A dimension as SymPy sees it: a positive integer symbol ``n`` or a fixed Integer."""
    if isinstance(size, int):
        return Integer(size)
    return Symbol(size, integer=True, positive=True)


def scalar_symbol(decl: SymbolDecl) -> Symbol:
    """A real scalar symbol with the declared assumptions (real unless told otherwise).

    The loader refuses contradictory assumptions; should SymPy still find some, the error
    names the declaration rather than escaping as InconsistentAssumptions."""
    flags = {name: True for name in decl.assume}
    flags.setdefault("real", True)
    try:
        return Symbol(decl.name, **flags)
    except InconsistentAssumptions:
        raise ProofbookError(f"the assumptions of symbol '{decl.name}' ({', '.join(decl.assume)}) "
                             "contradict each other: no number has them all.", decl.location,
                             hint="Remove the assumption that does not hold.") from None


@dataclass(frozen=True)
class SymbolTable:
    """Declarations by name, and the SymPy object each name stands for in an expression."""

    decls: dict[str, SymbolDecl]
    objects: dict[str, Basic]
    dims: dict[str, Basic]
    #: A declaration the expressions cannot use (``compile_source`` reports it, located).
    problem: ProofbookError | None = None

    @classmethod
    def build(cls, decls: tuple[SymbolDecl, ...]) -> SymbolTable:
        """Objects are made kind by kind, so ``of:`` means the same in any declaration order;
        a scalar with ``of:`` is a function of what it names (``y`` stands for y(x))."""
        by_name = {d.name: d for d in decls}
        dims: dict[str, Basic] = {}
        objects: dict[str, Basic] = {}
        for decl in decls:
            for size in decl.shape or ():
                if isinstance(size, str):
                    dims[size] = dimension(size)
        for decl in decls:
            if decl.kind == "scalar":
                objects[decl.name] = scalar_symbol(decl)
            elif decl.kind == "index":
                objects[decl.name] = Symbol(decl.name, integer=True)
        for decl in decls:
            if decl.kind in ("vector", "matrix"):
                rows, cols = decl.shape or (1, 1)
                if decl.basis is not None:  # a constant: e_k, never sampled
                    size = dimension(rows)
                    objects[decl.name] = UnitVector(decl.name, size, basis_position(decl.basis, size))
                else:
                    objects[decl.name] = MatrixSymbol(decl.name, dimension(rows), dimension(cols))
        problem = next((p for p in (_dependency_problem(d, by_name) for d in decls) if p), None)
        for decl in decls:
            if decl.kind == "function" or (decl.kind == "scalar" and decl.of):
                args = [objects[name] for name in decl.of if name in objects]
                objects[decl.name] = Function(decl.name, real=True)(*args)
        return cls(by_name, objects, dims, problem)

    def decl_of(self, obj: Basic) -> SymbolDecl | None:
        """The declaration behind a SymPy symbol, matrix symbol or applied function."""
        name = getattr(obj, "name", None)
        if name is None and hasattr(obj, "func"):
            name = getattr(obj.func, "__name__", None)
        if name is None:
            return None
        return self.decls.get(str(name))


def _dependency_problem(decl: SymbolDecl, decls: dict[str, SymbolDecl]) -> ProofbookError | None:
    """What a symbol may depend on, so that the declaration order never matters: a function or
    a scalar only on scalars; nothing on a function or a dependent scalar (no chains through
    them); and no cycles (a vector or matrix may depend on another dependent one)."""
    for name in decl.of:
        other = decls.get(name)
        if other is None:
            continue
        if other.of and other.kind in ("scalar", "function"):
            return ProofbookError(
                f"symbol '{decl.name}' depends on '{name}', which itself depends on "
                f"{', '.join(other.of)}.", decl.location,
                hint=f"Declare {decl.name} with of: [{', '.join(other.of)}] directly.")
        if decl.kind in ("function", "scalar") and other.kind != "scalar":
            return ProofbookError(
                f"{decl.kind} '{decl.name}' depends on the {other.kind} '{name}'; a scalar or a "
                "function can depend only on scalars.", decl.location,
                hint="Use a scalar, or write the dependence out (e.g. with trace()).")
        if "integer" in decl.assume and decl.kind in ("function", "scalar"):
            return ProofbookError(f"'{decl.name}' depends on {name} and cannot be assumed integer.",
                                  decl.location, hint="Remove integer from assume:.")
    if _in_cycle(decl.name, decls):
        return ProofbookError(f"symbol '{decl.name}' depends on itself through of:.", decl.location,
                              hint="Remove one of the dependences.")
    return None


def _in_cycle(start: str, decls: dict[str, SymbolDecl]) -> bool:
    seen: set[str] = set()
    todo = list(decls[start].of)
    while todo:
        name = todo.pop()
        if name == start:
            return True
        if name in seen or name not in decls:
            continue
        seen.add(name)
        todo.extend(decls[name].of)
    return False
