"""Degrees read off an expression, which decide how far a finite test reaches.

(The degree in the matrix letters, for sizes above the Amitsur-Levitzki and Razmyslov-Procesi
bounds, is the formal engine's ``degree_bound``.)
- ``dimension_degree``: the degree of the expression as a polynomial in the dimension names
  used as numbers ((n - 1)(n - 2) trace(A)); d + 1 distinct sizes decide such a polynomial.
- ``rational_degree``: at given sizes, a bound on the degree of the numerator of lhs - rhs as
  a rational function of the sampled numbers, for the Schwartz-Zippel bound of the exact test;
  None when a side is not a rational function of them (exp, log, sums with symbolic bounds).
"""

from __future__ import annotations

from sympy import (
    Add, Basic, Derivative, Determinant, Identity, Inverse, MatAdd, MatMul, MatPow,
    MatrixSymbol, Mul, Pow, Sum, Symbol, Trace, Transpose, ZeroMatrix,
)
from sympy.core.function import AppliedUndef
from sympy.matrices.expressions.matexpr import MatrixElement

from ..language.nodes import Adjugate, Hadamard, Kron, MatDerivative, UnitVector, Vec
from ..language.symbols import SymbolTable


def dimension_degree(expr: Basic, dims: set[str]) -> int:
    """The degree in the dimension names that appear as numbers (and in exponents)."""
    if isinstance(expr, Symbol):
        return int(expr.name in dims)
    if isinstance(expr, (MatrixSymbol, MatrixElement, UnitVector)) or not expr.args:
        return 0
    if isinstance(expr, (Mul, MatMul)):
        return sum(dimension_degree(a, dims) for a in expr.args)
    if isinstance(expr, Pow) and expr.exp.is_Integer:
        return abs(int(expr.exp)) * dimension_degree(expr.base, dims)
    if isinstance(expr, Pow):
        return dimension_degree(expr.base, dims) + 2 * dimension_degree(expr.exp, dims)
    if isinstance(expr, Sum):
        return dimension_degree(expr.function, dims) + 2 * sum(
            dimension_degree(b, dims) for b in expr.limits[0][1:])
    return max((dimension_degree(a, dims) for a in expr.args), default=0)


class _NotRational(Exception):
    pass


def rational_degree(lhs: Basic, rhs: Basic, table: SymbolTable, dims: dict[str, int],
                    poly_degree: int) -> int | None:
    """Degree of the numerator of lhs - rhs in the sampled numbers, or None."""
    try:
        (ln, ld), (rn, rd) = (_Degrees(table, dims, poly_degree)(side) for side in (lhs, rhs))
    except (_NotRational, KeyError):
        return None
    return max(ln + rd, rn + ld, 1)


class _Degrees:
    """(numerator degree, denominator degree) of the entries of a node, as upper bounds."""

    def __init__(self, table: SymbolTable, dims: dict[str, int], poly_degree: int) -> None:
        self.table, self.dims, self.poly = table, dims, poly_degree

    def size(self, node: Basic) -> int:
        """The number of rows at the sampled sizes (a Kronecker product's is a product)."""
        rows = node.shape[0]
        return int(rows.xreplace({s: self.dims[s.name] for s in rows.free_symbols}))

    def __call__(self, node: Basic) -> tuple[int, int]:
        if isinstance(node, (Identity, ZeroMatrix, UnitVector)):
            return 0, 0
        if node.is_Number:
            if not node.is_Rational:
                raise _NotRational()
            return 0, 0
        if isinstance(node, Symbol):
            decl = self.table.decls.get(node.name)
            return (1, 0) if decl is not None and decl.kind == "scalar" else (0, 0)
        if isinstance(node, MatrixSymbol):
            return self.letter(node)
        if isinstance(node, AppliedUndef):
            args = [self(a) for a in node.args]
            return self._power(self._sum(args or [(0, 0)]), 2 * self.poly)
        if isinstance(node, MatrixElement):
            return self(node.parent)
        if isinstance(node, (Add, MatAdd)):
            return self._sum([self(a) for a in node.args])
        if isinstance(node, (Mul, MatMul)):
            parts = [self(a) for a in node.args]
            return sum(p[0] for p in parts), sum(p[1] for p in parts)
        if isinstance(node, (Pow, MatPow)):
            if not node.exp.is_Integer:
                raise _NotRational()
            return self._power(self(node.base), int(node.exp))
        if isinstance(node, (Trace, Transpose, Vec)):
            return self(node.args[0])
        if isinstance(node, (Kron, Hadamard)):  # every entry a product of two entries
            (n1, d1), (n2, d2) = self(node.args[0]), self(node.args[1])
            return n1 + n2, d1 + d2
        if isinstance(node, Adjugate):  # cofactors: determinants of size k - 1
            n, d = self(node.args[0])
            k = self.size(node.args[0])
            return (k - 1) * n, (k - 1) * d
        if isinstance(node, Determinant):
            n, d = self(node.args[0])
            k = self.size(node.args[0])
            return k * n, k * d
        if isinstance(node, Inverse):
            n, d = self(node.args[0])
            k = self.size(node.args[0])
            return d + (k - 1) * n, k * n
        if isinstance(node, (Derivative, MatDerivative)):
            n, d = self(node.args[0])
            order = sum(int(c) for _, c in node.variable_count) if isinstance(node, Derivative) else 1
            for _ in range(order):
                n, d = n + d, 2 * d
            return n, d
        raise _NotRational()  # exp, log, |.|, integrals, sums, constants such as pi

    def letter(self, node: MatrixSymbol) -> tuple[int, int]:
        decl = self.table.decls.get(node.name)
        assume = set(decl.assume) if decl else set()
        k = self.size(node) if node.shape[0] == node.shape[1] else 1
        if decl is not None and decl.of:
            base = self._power(self._sum([self(self.table.objects[n]) for n in decl.of
                                          if n in self.table.objects]), self.poly)
        else:
            base = (1, 0)
        if "orthogonal" in assume:  # Cayley transform, or a reflection: degree about 2k
            return 2 * k * max(base[0], 1) + base[1], 2 * k * max(base[0], 1) + base[1]
        if "positive_definite" in assume:
            return 2 * base[0] + 1, 2 * base[1]
        return base

    @staticmethod
    def _sum(parts: list[tuple[int, int]]) -> tuple[int, int]:
        den = sum(p[1] for p in parts)
        return max(p[0] + den - p[1] for p in parts), den

    @staticmethod
    def _power(part: tuple[int, int], k: int) -> tuple[int, int]:
        n, d = part
        return (k * n, k * d) if k >= 0 else (-k * d, -k * n)

