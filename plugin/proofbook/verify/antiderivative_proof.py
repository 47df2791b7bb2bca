"""An exact proof of a claim about an antiderivative, where its functions allow one.

After ``with_base_points`` the claim says D(x) = 0 for D(x) = (lhs(x) - lhs(x₀)) - (rhs(x) -
rhs(x₀)), so D(x₀) = 0 by construction.  If D'(x) is identically zero (the fundamental theorem
gives d/dx ∫_{x₀}^x f = f(x); the canonical zero test decides the rest) and every function in
the claim is defined and differentiable at every x of a connected domain, then D is zero on
the whole domain: a proof, not a test.

Derivatives alone prove nothing across a pole or a jump (atan(x) and -atan(1/x) have the same
derivative), so the proof is given only where no function can have one: polynomials, exp,
sin, cos, sinh and cosh of expressions of that kind, and powers of positive constants, in x
ranging over the real line or a half line.  Anything else (a quotient by an expression in x,
log, a square root, abs, a declared function, x assumed nonzero) leaves the claim to the
numeric test.
"""

from __future__ import annotations

import sympy
from sympy import Add, Basic, Derivative, Integral, Mul, Pow, S, Symbol

from ..language.symbols import SymbolTable
from .antiderivative import AtBase, base_name
from .zerotest import SymbolicEqual

#: Functions defined and differentiable on the whole real line.
_ENTIRE = (sympy.exp, sympy.sin, sympy.cos, sympy.sinh, sympy.cosh)


def derivative_proof(lhs: Basic, rhs: Basic, table: SymbolTable) -> bool:
    """True when the sides of a claim whose indefinite integrals have base points have the
    same derivative exactly, and no function in them can have a pole or a jump."""
    integrals = lhs.atoms(Integral) | rhs.atoms(Integral)
    variables = {i.limits[0][0] for i in integrals}
    if len(variables) != 1:
        return False
    x, = variables
    if any(len(i.limits[0]) != 3 or i.limits[0][2] != x or str(i.limits[0][1]) != base_name(x)
           for i in integrals):
        return False  # a definite integral of its own: its value would need integrate
    if {"nonzero", "integer"} & set(table.decls[x.name].assume):
        return False  # the domain of x is no interval
    if not (_entire_in(lhs, x) and _entire_in(rhs, x)):
        return False
    difference = sympy.diff(_at_base_dropped(lhs) - _at_base_dropped(rhs), x)
    if difference.has(Integral):
        return False  # an integrand that depends on x otherwise than through the variable
    difference = difference.doit()
    equal = SymbolicEqual(difference, S.Zero)
    return equal(difference, S.Zero) is True and not equal.used


def _at_base_dropped(expr: Basic) -> Basic:
    """``expr`` with its values at the base point, constant in x, replaced by 0."""
    return expr.xreplace({a: S.Zero for a in expr.atoms(AtBase)})


def _entire_in(expr: Basic, x: Symbol) -> bool:
    """True when ``expr`` is defined and differentiable for every real x (see the module)."""
    if expr == x or not expr.has(x) or isinstance(expr, AtBase):
        return True
    if isinstance(expr, (Add, Mul)):
        return all(_entire_in(a, x) for a in expr.args)
    if isinstance(expr, Pow):
        base, exponent = expr.args
        if exponent.has(x):
            return bool(base.is_Number and base.is_positive) and _entire_in(exponent, x)
        return bool(exponent.is_Integer and exponent.is_nonnegative) and _entire_in(base, x)
    if isinstance(expr, _ENTIRE):
        return _entire_in(expr.args[0], x)
    if isinstance(expr, (Integral, Derivative)):
        return _entire_in(expr.args[0], x)
    return False
