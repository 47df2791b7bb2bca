"""The symbolic proof's zero test: is lhs - rhs identically zero?

Decided canonically where the sides are rational functions of the entries' symbols (quotients
of polynomials over QQ), and where exp, sin, cos, tan, sinh, cosh and tanh of arguments linear
in the symbols appear: rewritten as exponentials, exp(c x) = t_x^(c L) with t_x = exp(x/L) and
u_x = exp(i x/L), the sides become rational functions of x, t_x, u_x over QQ(i); these are
algebraically independent, so the test stays canonical.  Anything else falls back to SymPy's
``simplify``, whose 0 is recorded (``used``) so that the verdict needs a cross-check.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Basic, Derivative
from sympy.core.function import AppliedUndef
from sympy.polys.domains import QQ, QQ_I
from sympy.polys.rings import PolyRing

from .evaluate import entries_of

_TRIGONOMETRIC = (sympy.sin, sympy.cos, sympy.tan, sympy.sinh, sympy.cosh, sympy.tanh)


class SymbolicEqual:
    """The symbolic zero test for the entries of one comparison: True when an entry's two
    sides are identically equal, False when they differ by a nonzero rational function, None
    when undecided (``simplify`` did not reach 0).

    A rational function with rational coefficients is decided canonically: each side becomes
    a quotient of polynomials over QQ with a nonzero denominator, and a/b = c/d exactly when
    the polynomials ad and cb are equal.  (``cancel(together(...))`` is not canonical: SymPy
    1.14 returns an unevaluated ``-1024 + 1024`` for ``(x/2 + 4)**5`` minus its expansion.)
    Quotients are not reduced on the way, which would cost a polynomial gcd per operation;
    terms over one denominator are added up first, and the entries share one table of
    converted subexpressions, since the entries of a matrix share much (the determinant in
    every entry of an inverse).
    """

    def __init__(self, lhs: Any, rhs: Any) -> None:
        values = [sympy.sympify(x) for side in (lhs, rhs) for x in entries_of(side)]
        # Derivatives and applied functions become symbols, so each side is a rational
        # function of independent variables; one table for all entries keeps them consistent.
        self.symbols: dict[Basic, Basic] = {}
        for kind in (Derivative, AppliedUndef):
            atoms = set().union(*(v.xreplace(self.symbols).atoms(kind) for v in values))
            for atom in sorted(atoms, key=sympy.default_sort_key):
                self.symbols[atom] = sympy.Dummy(real=True)
        free = set().union(*(self._plain(v).free_symbols for v in values))
        self.rational = _Builder(sorted(free, key=sympy.default_sort_key), QQ)
        #: "simplify" once an entry needed it (then the proof needs a cross-check).
        self.used: set[str] = set()

    def _plain(self, value: Basic) -> Basic:
        return value.xreplace(self.symbols)

    def __call__(self, a: Any, b: Any) -> bool | None:
        a, b = self._plain(sympy.sympify(a)), self._plain(sympy.sympify(b))
        if a == b:
            return True
        try:
            (an, ad), (bn, bd) = self.rational.convert(a), self.rational.convert(b)
            return an * bd == bn * ad
        except (ValueError, ZeroDivisionError):
            pass
        if _exponential_zero(a - b):
            return True
        difference = sympy.sympify(a - b)
        self.used.add("simplify")
        if difference.has(sympy.Integral, sympy.Sum):
            self.used.add("doit")
            difference = difference.doit()
        return True if sympy.simplify(difference) == 0 else None


def _exponential_zero(difference: Basic) -> bool:
    """True when ``difference`` is zero as a rational function of its symbols and of
    exponentials of linear forms in them (True or False, never a disproof)."""
    if not difference.has(sympy.exp, *_TRIGONOMETRIC):
        return False
    rewritten = difference.rewrite(sympy.exp)
    symbols = sorted(rewritten.free_symbols, key=sympy.default_sort_key)
    linear: dict[Basic, dict[Basic, Basic]] = {}
    for atom in rewritten.atoms(sympy.exp):
        coefficients = _linear_coefficients(sympy.expand(atom.exp), symbols)
        if coefficients is None:
            return False
        linear[atom] = coefficients
    # exp(c x) with c = (p + q i) / L is t_x^p u_x^q, t_x = exp(x/L), u_x = exp(i x/L).
    denominators: dict[Basic, int] = {}
    for coefficients in linear.values():
        for s, c in coefficients.items():
            for part in (sympy.re(c), sympy.im(c)):
                denominators[s] = sympy.ilcm(denominators.get(s, 1), sympy.Rational(part).q)
    t = {s: sympy.Dummy() for s in denominators}
    u = {s: sympy.Dummy() for s in denominators}
    powers = {}
    for atom, coefficients in linear.items():
        product = sympy.S.One
        for s, c in coefficients.items():
            L = denominators[s]
            product *= t[s] ** int(sympy.re(c) * L) * u[s] ** int(sympy.im(c) * L)
        powers[atom] = product
    plain = rewritten.xreplace(powers)
    builder = _Builder(sorted(plain.free_symbols, key=sympy.default_sort_key), QQ_I)
    try:
        numerator, _ = builder.convert(plain)
    except (ValueError, ZeroDivisionError):
        return False
    return not numerator


def _linear_coefficients(arg: Basic, symbols: list[Basic]) -> dict[Basic, Basic] | None:
    """{symbol: coefficient} for an argument c_1 x_1 + ... with coefficients in QQ(i) and no
    constant term, or None."""
    coefficients: dict[Basic, Basic] = {}
    for term in sympy.Add.make_args(arg):
        c, rest = term.as_coeff_Mul()
        if rest.has(sympy.I):
            c, rest = c * sympy.I, rest / sympy.I
        if rest not in symbols or not (sympy.re(c).is_Rational and sympy.im(c).is_Rational):
            return None
        coefficients[rest] = coefficients.get(rest, 0) + c
    return coefficients


class _Builder:
    """Expressions as (numerator, denominator) polynomials over a domain (QQ, or QQ(i))."""

    def __init__(self, symbols: list[Basic], domain: Any) -> None:
        self.ring = PolyRing(symbols, domain) if symbols else PolyRing([sympy.Dummy()], domain)
        self.domain = domain
        self.gens = dict(zip(self.ring.symbols, self.ring.gens))
        self.converted: dict[Basic, tuple[Any, Any]] = {}

    def convert(self, expr: Basic) -> tuple[Any, Any]:
        """``expr`` as (numerator, denominator); ValueError if it is not a rational function
        over the domain, ZeroDivisionError for a division by the zero polynomial."""
        done = self.converted.get(expr)
        if done is None:
            done = self.converted[expr] = self._build(expr)
        return done

    def _build(self, expr: Basic) -> tuple[Any, Any]:
        ring = self.ring
        if expr.is_Rational:
            return ring(self.domain.convert(expr)), ring.one
        if expr is sympy.I and self.domain is QQ_I:
            return ring(QQ_I(0, 1)), ring.one
        if expr in self.gens:
            return self.gens[expr], ring.one
        if expr.is_Add:
            groups: dict[Any, Any] = {}
            for arg in expr.args:
                num, den = self.convert(arg)
                groups[den] = groups[den] + num if den in groups else num
            items = list(groups.items())
            den, num = items[0]
            for d, n in items[1:]:
                num, den = num * d + n * den, den * d
            return num, den
        if expr.is_Mul:
            num, den = ring.one, ring.one
            for arg in expr.args:
                n, d = self.convert(arg)
                num, den = num * n, den * d
            return num, den
        if expr.is_Pow and expr.exp.is_Integer:
            num, den = self.convert(expr.base)
            k = int(expr.exp)
            if k < 0:
                if not num:
                    raise ZeroDivisionError
                num, den, k = den, num, -k
            return num ** k, den ** k
        raise ValueError(f"not a rational function: {type(expr).__name__}")
