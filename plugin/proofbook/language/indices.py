"""Fixed positions in a vector or matrix: ``X[1, n]``, ``a[n - 1]`` and basis vectors e_k.

SymPy counts entries from 0 and a textbook from 1, so a position is kept as SymPy counts it
(``Integer(0)`` for the first, ``n - 1`` for the last of a dimension n) and shown as the author
wrote it (``index_text``).  A fixed position into a dimension n exists only for n large
enough (``X[2, 2]`` needs n >= 2): ``least_sizes`` reads that bound off an expression, and the
verifier samples no smaller size.
"""

from __future__ import annotations

from sympy import Basic, Integer, Symbol
from sympy.matrices.expressions.matexpr import MatrixElement

from .basis import parse_basis
from .nodes import UnitVector

def is_declared_index(position: Basic) -> bool:
    """An index symbol (i: {kind: index}), which runs over its whole range."""
    return isinstance(position, Symbol) and not position.is_positive


def least_extent(position: Basic, extent: Basic) -> int | None:
    """The least size of a dimension ``extent`` that has the 0-based ``position``; None when
    no size has it (a fixed size too small, or a position that is not one)."""
    if position.is_Integer:
        least = int(position) + 1
        if least < 1 or extent.is_Integer and least > int(extent):
            return None
        return least
    offset = position - extent  # n - 1 - c: valid from n = c + 1
    if extent.is_Symbol and offset.is_Integer and offset < 0:
        return -int(offset)
    return None


def least_sizes(*exprs: Basic) -> dict[str, int]:
    """For each dimension name, the least size every fixed position in ``exprs`` needs
    (dimensions without fixed positions are absent)."""
    least: dict[str, int] = {}
    for expr in exprs:
        pairs: list[tuple[Basic, Basic]] = []
        for node in expr.atoms(MatrixElement):
            rows, cols = node.parent.shape
            pairs += [(node.i, rows), (node.j, cols)]
        pairs += [(node.index, node.shape[0]) for node in expr.atoms(UnitVector)]
        for position, extent in pairs:
            if extent.is_Symbol and not is_declared_index(position):
                need = least_extent(position, extent)
                if need is not None and need > 1:
                    least[extent.name] = max(least.get(extent.name, 1), need)
    return least


def index_text(position: Basic) -> str:
    """A 0-based position as the author wrote it, 1-based: ``2``, ``n``, ``n - 1``; a
    declared index symbol as its name."""
    if is_declared_index(position):
        return str(position)
    value = position + 1
    if value.is_Integer:
        return str(value)
    dim = next(iter(value.free_symbols))
    offset = value - dim
    return str(dim) if offset == 0 else f"{dim} - {-offset}"


def basis_position(basis: int | str, size: Basic) -> Basic:
    """The 0-based position of a declared basis vector of length ``size``."""
    name, k = parse_basis(basis)
    return Integer(k - 1) if name is None else size - 1 - k
