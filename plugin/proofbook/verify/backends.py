"""The three kinds of arithmetic the verifier cross-checks.

- ``ExactBackend``: rationals (``Fraction``) with infinitesimal ``Jet`` perturbations; a
  value that is not rational becomes ``INEXACT`` and the method steps aside.
- ``NumericBackend``: ``mpmath`` numbers at a fixed working precision, same perturbations;
  values start real (``mpf``) and become complex (``mpc``) where a result is not real.
- ``SymbolicBackend``: SymPy expressions in the entries' symbols, differentiated by
  ``sympy.diff`` -- an engine independent of the jets above.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from math import factorial
from typing import Any

import mpmath
import sympy
from sympy import Integral, Rational, Sum, Symbol

from . import linalg
from .evaluate import Backend, Direction, Env, Evaluator, NotApplicable, entrywise, value_of
from .jet import INEXACT, Inexact, Jet, Tangent, apply, coefficient, component, new_tag, standard

MAX_SUM_TERMS = 10_000


class _JetBackend(Backend):
    """Shared by the exact and numeric methods: derivatives by infinitesimal perturbation."""

    def diff_scalar(self, fn: Callable[[Env], Any], env: Env, name: str, order: int) -> Any:
        tags = [new_tag() for _ in range(order)]
        moved: Any = value_of(env, name)
        for tag in tags:
            moved = moved + Jet.variable(0, tag)
        value = fn({**env, name: moved})
        return entrywise(value, lambda x: coefficient(x, tags))

    #: True while a gradient evaluates all its directions at once (``Tangent``); a gradient
    #: nested in it takes its directions one at a time, so two Tangents never multiply.
    _all_directions = False

    def gradient(self, fn: Callable[[Env], Any], env: Env, name: str, current: linalg.Mat,
                 directions: list[Direction]) -> list[Any]:
        if self._all_directions or len(directions) == 1:
            return [self._along(fn, env, name, current, d) for d in directions]
        tag = new_tag()
        key = frozenset((tag,))
        moved = [row[:] for row in current]
        for k, direction in enumerate(directions):
            for i, j in direction:
                moved[i][j] = moved[i][j] + Jet({key: Tangent({k: 1})})
        self._all_directions = True
        try:
            value = fn({**env, name: moved})
        finally:
            self._all_directions = False
        first = entrywise(value, lambda x: coefficient(x, [tag]))
        return [entrywise(first, lambda x: component(x, k)) for k in range(len(directions))]  # noqa: B023  # called at once

    def _along(self, fn: Callable[[Env], Any], env: Env, name: str, current: linalg.Mat,
               direction: Direction) -> Any:
        tag = new_tag()
        moved = [row[:] for row in current]
        for i, j in direction:
            moved[i][j] = moved[i][j] + Jet.variable(0, tag)
        value = fn({**env, name: moved})
        return entrywise(value, lambda x: coefficient(x, [tag]))

    def power(self, base: Any, exponent: Any) -> Any:
        if isinstance(exponent, Jet):
            return self.function("exp", exponent * self.function("log", base))
        return apply(base, lambda a, k: self._power_derivatives(a, exponent, k))

    def _power_derivatives(self, a: Any, p: Any, order: int) -> list[Any]:
        values, c = [], self.number(Rational(1))
        for m in range(order + 1):
            values.append(c * self._raw_power(a, p - m))
            c = c * (p - m)
        return values

    def _raw_power(self, a: Any, p: Any) -> Any:
        raise NotImplementedError

    def integral(self, ev: Evaluator, node: Integral, env: Env) -> Any:
        (x, *bounds), = node.limits
        if bounds:
            return self._definite(ev, node, env)
        point = value_of(env, x.name)
        if not isinstance(point, Jet) or len(point.tags()) != 1:
            # The value of an indefinite integral is fixed only up to a constant.
            return INEXACT
        tag = next(iter(point.tags()))
        integrand = ev(node.function, {**env, x.name: point.standard})
        return Jet({frozenset(): INEXACT, frozenset((tag,)): integrand * point.coefficient(frozenset((tag,)))})

    def _definite(self, ev: Evaluator, node: Integral, env: Env) -> Any:
        return INEXACT

    def summation(self, ev: Evaluator, node: Sum, env: Env) -> Any:
        (k, low, high), = node.limits
        lo, hi = self.integer(ev(low, env)), self.integer(ev(high, env))
        if hi - lo > MAX_SUM_TERMS:
            raise NotApplicable(f"a sum of more than {MAX_SUM_TERMS} terms")
        total: Any = self.number(Rational(0))
        for i in range(lo, hi + 1):
            total = total + ev(node.function, {**env, k.name: self.number(Rational(i))})
        return total


class ExactBackend(_JetBackend):
    """Rational arithmetic: a mismatch is an exact disproof; a match is exact at that point."""

    field = linalg.Field(size=lambda x: _exact_size(x))

    def number(self, value: Rational) -> Fraction:
        return Fraction(int(value.p), int(value.q))

    def rational(self, value: Fraction) -> Fraction:
        return value

    def constant(self, name: str) -> Inexact:
        return INEXACT

    def integer(self, value: Any) -> int:
        if isinstance(value, Fraction) and value.denominator == 1:
            return int(value)
        raise NotApplicable("a summation bound that is not a whole number")

    def function(self, name: str, value: Any) -> Any:
        return apply(value, lambda a, k: _exact_derivatives(name, a, k))

    def _raw_power(self, a: Any, p: Any) -> Any:
        if isinstance(a, Fraction) and isinstance(p, Fraction) and p.denominator == 1:
            return a ** int(p)
        return INEXACT


def _exact_size(value: Any) -> int:
    base = standard(value)
    if isinstance(base, Inexact):
        raise NotApplicable("an irrational pivot")
    return 0 if base == 0 else 1


def _exact_derivatives(name: str, a: Any, order: int) -> list[Any]:
    """f(a), f'(a), ... in exact arithmetic; irrational values are INEXACT."""
    if isinstance(a, Inexact):
        return [INEXACT] * (order + 1)
    if name == "log":
        head = Fraction(0) if a == 1 else INEXACT
        return [head] + [Fraction((-1) ** (m - 1) * factorial(m - 1)) / a ** m for m in range(1, order + 1)]
    if name == "abs":
        if a == 0 and order:
            raise NotApplicable("|x| is not differentiable at 0")
        return [abs(a)] + [Fraction(1 if a > 0 else -1)] * min(order, 1) + [Fraction(0)] * max(order - 1, 0)
    if a == 0 and name in ("exp", "sin", "cos"):
        cycle = {"exp": [1, 1, 1, 1], "sin": [0, 1, 0, -1], "cos": [1, 0, -1, 0]}[name]
        return [Fraction(cycle[m % 4]) for m in range(order + 1)]
    return [INEXACT] * (order + 1)


class NumericBackend(_JetBackend):
    """Floating point at ``digits`` significant digits (mpmath), complex where needed.

    Values are real ``mpf`` until a function leaves the reals (the log or a fractional power
    of a negative number), where mpmath returns the principal complex value as ``mpc`` would:
    real arithmetic costs a quarter of complex arithmetic, and the results are the same.
    """

    def __init__(self, digits: int) -> None:
        self.digits = digits
        self.field = linalg.Field(size=lambda x: abs(standard(x)))

    def number(self, value: Rational) -> Any:
        return mpmath.mpf(int(value.p)) / int(value.q)

    def rational(self, value: Fraction) -> Any:
        return mpmath.mpf(value.numerator) / value.denominator

    def constant(self, name: str) -> Any:
        return mpmath.mpf(mpmath.pi if name == "pi" else mpmath.e)

    def integer(self, value: Any) -> int:
        value = standard(value)
        if not isinstance(value, Jet) and value.imag == 0 and value.real == int(value.real):
            return int(value.real)
        raise NotApplicable("a summation bound that is not a whole number")

    def function(self, name: str, value: Any) -> Any:
        return apply(value, lambda a, k: _numeric_derivatives(name, a, k))

    def _raw_power(self, a: Any, p: Any) -> Any:
        return mpmath.power(a, p)

    def _definite(self, ev: Evaluator, node: Integral, env: Env) -> Any:
        (x, low, high), = node.limits
        lo, hi = ev(low, env), ev(high, env)
        if any(isinstance(v, Jet) for v in (lo, hi, *env.values())):
            raise NotApplicable("the derivative of a definite integral")
        return mpmath.quad(lambda t: ev(node.function, {**env, x.name: t}), [lo, hi])


_FIRST: dict[str, Callable[[Any], tuple[Any, Any]]] = {
    "log": lambda a: (mpmath.log(a), 1 / a),
    "exp": lambda a: (mpmath.exp(a), mpmath.exp(a)),
    "sin": lambda a: (mpmath.sin(a), mpmath.cos(a)),
    "cos": lambda a: (mpmath.cos(a), -mpmath.sin(a)),
    "tan": lambda a: (mpmath.tan(a), 1 + mpmath.tan(a) ** 2),
    "sinh": lambda a: (mpmath.sinh(a), mpmath.cosh(a)),
    "cosh": lambda a: (mpmath.cosh(a), mpmath.sinh(a)),
    "tanh": lambda a: (mpmath.tanh(a), 1 - mpmath.tanh(a) ** 2),
    "atan": lambda a: (mpmath.atan(a), 1 / (1 + a * a)),
}


def _numeric_derivatives(name: str, a: Any, order: int) -> list[Any]:
    if name == "abs":
        if a.imag != 0 or (a.real == 0 and order):
            raise NotApplicable("|x| of a complex value or at 0")
        sign = 1 if a.real > 0 else -1
        return [abs(a)] + [mpmath.mpf(sign)] * min(order, 1) + [mpmath.mpf(0)] * max(order - 1, 0)
    value, first = _FIRST[name](a)
    if order <= 1:
        return [value, first][: order + 1]
    fn = getattr(mpmath, name)
    return [c * factorial(m) for m, c in enumerate(mpmath.taylor(fn, a, order))]


class SymbolicBackend(Backend):
    """SymPy expressions in the entries' symbols; derivatives by ``sympy.diff``."""

    field = linalg.Field(size=lambda x: 0 if x == 0 else 1, symbolic=True)

    def number(self, value: Rational) -> Any:
        return value

    def constant(self, name: str) -> Any:
        return sympy.pi if name == "pi" else sympy.E

    def integer(self, value: Any) -> Any:
        return value

    def function(self, name: str, value: Any) -> Any:
        return (sympy.Abs if name == "abs" else getattr(sympy, name))(value)

    def power(self, base: Any, exponent: Any) -> Any:
        return base ** exponent

    def diff_scalar(self, fn: Callable[[Env], Any], env: Env, name: str, order: int) -> Any:
        current = value_of(env, name)
        if isinstance(current, Symbol):
            return entrywise(fn(env), lambda x: sympy.diff(x, current, order))
        t = Symbol(f"_{name}", real=True)  # one per variable: nested derivatives stay apart
        value = fn({**env, name: t})
        return entrywise(value, lambda x: sympy.diff(x, t, order).subs(t, current))

    def gradient(self, fn: Callable[[Env], Any], env: Env, name: str, current: linalg.Mat,
                 directions: list[Direction]) -> list[Any]:
        # Named after the variable, so that a gradient nested in a gradient by another matrix
        # has symbols of its own (by the same matrix, the inner one maps them to themselves).
        fresh = [[Symbol(f"_{name}_{i}_{j}", real=True) for j in range(len(row))]
                 for i, row in enumerate(current)]
        value = fn({**env, name: fresh})
        back = {fresh[i][j]: current[i][j] for i in range(len(current)) for j in range(len(current[0]))}

        def along(direction: Direction) -> Any:
            return entrywise(value, lambda x: sum((sympy.diff(x, fresh[i][j]) for i, j in direction),
                                                  sympy.S.Zero).xreplace(back))
        return [along(d) for d in directions]

    def integral(self, ev: Evaluator, node: Integral, env: Env) -> Any:
        (x, *bounds), = node.limits
        body = ev(node.function, env)
        if bounds:
            return sympy.integrate(body, (value_of(env, x.name), *[ev(b, env) for b in bounds]))
        return sympy.Integral(body, value_of(env, x.name))

    def summation(self, ev: Evaluator, node: Sum, env: Env) -> Any:
        (k, low, high), = node.limits
        return sympy.summation(ev(node.function, env), (value_of(env, k.name), ev(low, env), ev(high, env)))
