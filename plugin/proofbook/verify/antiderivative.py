"""Indefinite integrals: a claim about one is a claim up to an additive constant.

``integrate(f, x) + g = h`` means: the difference D(x) = lhs - rhs is constant on every
interval where f is integrable.  Comparing derivatives is not enough (a difference with a
jump, such as atan(x) against -atan(1/x), has derivative 0 wherever it is defined), so the
claim is rewritten to compare values across the domain: each ``integrate(f, x)`` becomes
``integrate(f, x, x₀, x)`` for a base point x₀ sampled like x (on either side of 0), and the
sides become lhs(x) - lhs(x₀) and rhs(x) - rhs(x₀).  Every method then evaluates definite
integrals only; where f has a pole between x₀ and x the quadrature finds it and the claim is
inconclusive (``quadrature``).  Where every function is entire, the derivatives of the sides
give an exact proof as well (``antiderivative_proof``).

The constant is meaningful only where the integral enters linearly: in sums, scaled by
factors free of x, under derivatives.  Anything else (a square, an exponential, a product
with x) is refused.
"""

from __future__ import annotations

from sympy import Add, Basic, Derivative, Expr, Integral, Mul, S, Symbol

from ..errors import ProofbookError
from ..language.nodes import MatDerivative
from ..language.symbols import SymbolTable
from ..model import SymbolDecl, Source


class AtBase(Expr):
    """``expr`` evaluated with the variable ``args[1]`` set to the base point ``args[2]``."""

    @property
    def expr(self) -> Basic:
        return self.args[0]


def base_name(x: Symbol) -> str:
    """The base point's name: a space cannot occur in a declared name."""
    return f"{x.name} (base point)"


def with_base_points(lhs: Basic, rhs: Basic, table: SymbolTable, source: Source,
                     entry_id: str) -> tuple[Basic, Basic, SymbolTable, str]:
    """The claim with its indefinite integrals given a base point, the symbol table with the
    base point declared, and a note for the evidence ("" when there is nothing to do)."""
    indefinite = [i for side in (lhs, rhs) for i in side.atoms(Integral) if len(i.limits[0]) == 1]
    if not indefinite:
        return lhs, rhs, table, ""
    variables = {i.limits[0][0] for i in indefinite}
    if len(variables) > 1:
        raise ProofbookError(
            "indefinite integrals in more than one variable leave more than a constant open.",
            source.location, entry_id, "Give the integrals bounds: integrate(f, x, a, b).")
    x, = variables
    if lhs.is_Matrix or rhs.is_Matrix:
        raise ProofbookError("an indefinite integral can appear only in a scalar claim.",
                             source.location, entry_id, "Give the integral bounds.")
    for side in (lhs, rhs):
        if not _linear(side, x):
            raise ProofbookError(
                f"an indefinite integral is known only up to an additive constant, so it may "
                f"appear only in sums, scaled by factors free of {x}, or under derivatives; "
                "here it is used non-linearly.",
                source.location, entry_id,
                "Use a definite integral integrate(f, x, a, b), or move the integral into a sum.")
    x0 = Symbol(base_name(x), **x.assumptions0)
    decl = table.decls[x.name]
    decls = {**table.decls, x0.name: SymbolDecl(x0.name, "scalar", None, decl.assume, (), decl.location)}
    table = SymbolTable(decls, {**table.objects, x0.name: x0}, table.dims, table.problem)
    based = {i: Integral(i.function, (x, x0, x)) for i in indefinite}
    sides = []
    for side in (lhs, rhs):
        side = _replaced(side, based)
        sides.append(Add(side, Mul(S.NegativeOne, AtBase(side, x, x0), evaluate=False), evaluate=False))
    return sides[0], sides[1], table, " (up to an additive constant, compared across the domain)"


def _replaced(expr: Basic, mapping: dict[Basic, Basic]) -> Basic:
    """``xreplace`` that keeps the tree as written (no evaluation of derivatives)."""
    if expr in mapping:
        return mapping[expr]
    if not expr.args:
        return expr
    args = [_replaced(a, mapping) for a in expr.args]
    if all(a is b for a, b in zip(args, expr.args)):
        return expr
    try:
        return expr.func(*args, evaluate=False)
    except TypeError:
        return expr.func(*args)


def _linear(expr: Basic, x: Symbol) -> bool:
    """True when every indefinite integral in ``expr`` enters it linearly over x-free factors."""
    if not _has_indefinite(expr):
        return True
    if isinstance(expr, Integral):
        return len(expr.limits[0]) == 1
    if isinstance(expr, Add):
        return all(_linear(a, x) for a in expr.args)
    if isinstance(expr, Mul):
        holding = [a for a in expr.args if _has_indefinite(a)]
        others = [a for a in expr.args if not _has_indefinite(a)]
        return len(holding) == 1 and _linear(holding[0], x) and not any(a.has(x) for a in others)
    if isinstance(expr, (Derivative, MatDerivative)):
        return _linear(expr.args[0], x)
    return False


def _has_indefinite(expr: Basic) -> bool:
    return any(len(i.limits[0]) == 1 for i in expr.atoms(Integral))
