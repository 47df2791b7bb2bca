"""The symbols an entry declares, as SymPy objects, with the declarations kept beside them."""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Basic, Function, Integer, MatrixSymbol, Symbol

from ..model import SymbolDecl

def dimension(size: str | int) -> Basic:
    """A dimension as SymPy sees it: a positive integer symbol ``n`` or a fixed Integer."""
    if isinstance(size, int):
        return Integer(size)
    return Symbol(size, integer=True, positive=True)


def scalar_symbol(decl: SymbolDecl) -> Symbol:
    """A real scalar symbol with the declared assumptions (real unless told otherwise)."""
    flags = {name: True for name in decl.assume}
    flags.setdefault("real", True)
    return Symbol(decl.name, **flags)


@dataclass(frozen=True)
class SymbolTable:
    """Declarations by name, and the SymPy object each name stands for in an expression."""

    decls: dict[str, SymbolDecl]
    objects: dict[str, Basic]
    dims: dict[str, Basic]

    @classmethod
    def build(cls, decls: tuple[SymbolDecl, ...]) -> SymbolTable:
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
                objects[decl.name] = MatrixSymbol(decl.name, dimension(rows), dimension(cols))
            elif decl.kind == "function":
                args = [objects[name] for name in decl.of if name in objects]
                objects[decl.name] = Function(decl.name, real=True)(*args)
        return cls(by_name, objects, dims)

    def decl_of(self, obj: Basic) -> SymbolDecl | None:
        """The declaration behind a SymPy symbol, matrix symbol or applied function."""
        name = getattr(obj, "name", None)
        if name is None and hasattr(obj, "func"):
            name = getattr(obj.func, "__name__", None)
        if name is None:
            return None
        return self.decls.get(str(name))
