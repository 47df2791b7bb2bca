"""The three kinds of arithmetic the verifier cross-checks.

- ``ExactBackend``: rationals (python-flint's ``fmpq``, or ``Fraction``) with infinitesimal ``Jet`` perturbations; a
  value that is not rational becomes ``INEXACT`` and the method steps aside.
- ``NumericBackend``: ``mpmath`` numbers at a fixed working precision, same perturbations;
  values start real (``mpf``) and become complex (``mpc``) where a result is not real.
- ``SymbolicBackend``: SymPy expressions in the entries' symbols, differentiated by
  ``sympy.diff`` -- an engine independent of the jets above.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from math import comb, factorial
from typing import Any

import mpmath
import sympy
from sympy import Basic, Integral, Rational, Sum, Symbol

from . import linalg, quadrature, rationals, series
from .evaluate import (
    Backend, Direction, Env, Evaluator, NotApplicable, TooLarge, Unreliable, entrywise, value_of,
)
from .jet import INEXACT, Inexact, Jet, Tangent, apply, coefficient, component, new_tag, standard

MAX_SUM_TERMS = 10_000
#: Arguments beyond which the numeric test does not evaluate exp (or trigonometric
#: functions, whose argument reduction costs digits in proportion to the argument's size).
MAX_EXP_ARGUMENT = 10**9
MAX_TRIG_ARGUMENT = 10**12
#: The largest argument of an exact factorial (or top of a binomial) computed: 5000! has
#: 16,326 digits.
MAX_FACTORIAL = 5000


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
        # The engine gives every indefinite integral a base point first (``ANTIDERIVATIVE``).
        if len(node.limits[0]) != 3:
            raise NotApplicable("an indefinite integral without a base point")
        return self._definite(ev, node, env)

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

    def series(self, ev: Evaluator, node: Sum, env: Env) -> Any:
        return INEXACT

    def limit(self, ev: Evaluator, node: sympy.Limit, env: Env) -> Any:
        return INEXACT

    def combinatorial(self, name: str, args: list[Any]) -> Any:
        if any(isinstance(a, (Jet, Inexact)) for a in args):
            raise NotApplicable(f"{name} of a perturbed or irrational value")
        whole = [self.integer(a) for a in args]
        if max(abs(w) for w in whole) > MAX_FACTORIAL:
            raise TooLarge(f"{name} of a number above {MAX_FACTORIAL}")
        return self.number(Rational(_combinatorial(name, whole)))


def _combinatorial(name: str, args: list[int]) -> int:
    """n! (a pole, so the point is replaced, for n < 0), or n choose k as SymPy defines it
    for all integers: 0 for k < 0, (-1)^k binomial(k - n - 1, k) for n < 0."""
    if name == "factorial":
        n, = args
        if n < 0:
            raise ZeroDivisionError("the factorial of a negative integer")
        return factorial(n)
    n, k = args
    if k < 0:
        return 0
    if n < 0:
        return (-1) ** k * comb(k - n - 1, k)
    return comb(n, k)


class ExactBackend(_JetBackend):
    """Rational arithmetic: a mismatch is an exact disproof; a match is exact at that point."""

    field = linalg.Field(size=lambda x: _exact_size(x), whole=lambda k: rationals.rational(k, 1))

    def number(self, value: Rational) -> Any:
        return rationals.rational(int(value.p), int(value.q))

    def rational(self, value: Fraction) -> Any:
        return rationals.from_fraction(value)

    def constant(self, name: str) -> Inexact:
        return INEXACT

    def integer(self, value: Any) -> int:
        if rationals.is_rational(value) and rationals.parts(value)[1] == 1:
            return rationals.parts(value)[0]
        raise NotApplicable("a summation bound that is not a whole number")

    def function(self, name: str, value: Any) -> Any:
        return apply(value, lambda a, k: _exact_derivatives(name, a, k))

    def integer_power(self, base: Any, k: int) -> Any:
        _bounded(standard(base), k)
        return base ** k

    def _raw_power(self, a: Any, p: Any) -> Any:
        if rationals.is_rational(a) and rationals.is_rational(p) and rationals.parts(p)[1] == 1:
            k = rationals.parts(p)[0]
            _bounded(a, k)
            return a ** k
        return INEXACT


def _bounded(base: Any, k: int) -> None:
    """Refuse ``base ** k`` whose exact value would exceed ``rationals.MAX_BITS``."""
    if rationals.is_rational(base) and base != 0 and rationals.bits(base) * abs(k) > rationals.MAX_BITS:
        raise TooLarge(f"an exact power with more than {rationals.MAX_BITS} bits")


def _exact_size(value: Any) -> int:
    base = standard(value)
    if isinstance(base, Inexact):
        raise NotApplicable("an irrational pivot")
    return 0 if base == 0 else 1


def _exact_derivatives(name: str, a: Any, order: int) -> list[Any]:
    """f(a), f'(a), ... in exact arithmetic; irrational values are INEXACT."""
    if isinstance(a, Inexact):
        return [INEXACT] * (order + 1)
    q = rationals.rational
    if name == "log":
        if a == 0:
            raise ZeroDivisionError("log 0")
        head = q(0) if a == 1 else INEXACT
        return [head] + [q((-1) ** (m - 1) * factorial(m - 1)) / a ** m for m in range(1, order + 1)]
    if name == "abs":
        if a == 0 and order:
            raise ZeroDivisionError("|x| is not differentiable at 0")
        return [abs(a)] + [q(1 if a > 0 else -1)] * min(order, 1) + [q(0)] * max(order - 1, 0)
    if a == 0 and name in _AT_ZERO and len(_AT_ZERO[name](order)) == order + 1:
        return [q(c) for c in _AT_ZERO[name](order)]
    return [INEXACT] * (order + 1)


def _cycle(values: list[int]) -> Callable[[int], list[int]]:
    return lambda order: [values[m % len(values)] for m in range(order + 1)]


#: Taylor data f(0), f'(0), ... of the elementary functions that are rational at 0.
_AT_ZERO: dict[str, Callable[[int], list[int]]] = {
    "exp": _cycle([1]), "sin": _cycle([0, 1, 0, -1]), "cos": _cycle([1, 0, -1, 0]),
    "sinh": _cycle([0, 1]), "cosh": _cycle([1, 0]),
    # tan, tanh, atan at 0: odd functions with the derivatives 1, 2, 16, 272 (tan),
    # 1, -2, 16, -272 (tanh) and (-1)^k (2k)! (atan) at orders 1, 3, 5, 7.
    "tan": lambda order: [0, 1, 0, 2, 0, 16, 0, 272][: order + 1] if order < 8 else [],
    "tanh": lambda order: [0, 1, 0, -2, 0, 16, 0, -272][: order + 1] if order < 8 else [],
    "atan": lambda order: [0, 1, 0, -2, 0, 24, 0, -720][: order + 1] if order < 8 else [],
}


class NumericBackend(_JetBackend):
    """Floating point at ``digits`` significant digits (mpmath), complex where needed.

    Values are real ``mpf`` until a function leaves the reals (the log or a fractional power
    of a negative number), where mpmath returns the principal complex value as ``mpc`` would:
    real arithmetic costs a quarter of complex arithmetic, and the results are the same.
    """

    def __init__(self, digits: int, guard_digits: int, locate_poles: bool = False) -> None:
        self.digits = digits
        self.guard_digits = guard_digits
        #: Whether an integral that does not settle is halved until a pole is found (for an
        #: antiderivative, whose constant may jump there) or merely given up (``Unsettled``).
        self.locate_poles = locate_poles
        #: Integrals being evaluated: inside one, cancellation is expected (|x - 1/3| at the
        #: nodes crowding the kink) and bounded by the quadrature's own error estimate, and a
        #: value ruined by it differs between the two precisions, which replaces the point.
        self._integrating = 0
        #: A sum smaller than its largest term by this factor kept fewer than the guard digits.
        self._lost_all = mpmath.mpf(10) ** (digits - guard_digits)
        # Pivots below 10^-(3/5 digits) of the largest entry: singular to working precision.
        self.field = linalg.Field(size=lambda x: abs(standard(x)),
                                  relative=mpmath.mpf(10) ** -(digits * 3 // 5), whole=mpmath.mpf)

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

    def checked_sum(self, total: Any, terms: list[Any]) -> Any:
        """``Unreliable`` when a sum cancels below the rounding of its terms (cosh(x)^2 -
        sinh(x)^2 at x = 10^5 is 0 at any feasible precision): the point is replaced."""
        if self._integrating:
            return total
        numbers = (mpmath.mpf, mpmath.mpc)
        largest = max((abs(v) for v in map(standard, terms) if isinstance(v, numbers)), default=0)
        value = standard(total)
        if largest and isinstance(value, numbers) and abs(value) * self._lost_all < largest:
            raise Unreliable("a sum cancels below the working precision")
        return total

    def function(self, name: str, value: Any) -> Any:
        a = standard(value)
        limit = MAX_EXP_ARGUMENT if name in ("exp", "sinh", "cosh") else MAX_TRIG_ARGUMENT
        if name != "abs" and not isinstance(a, Jet) and abs(a) > limit:
            raise TooLarge(f"{name} of an argument beyond {limit:.0e}")
        return apply(value, lambda a, k: _numeric_derivatives(name, a, k))

    def _raw_power(self, a: Any, p: Any) -> Any:
        if a == 0 and (p.real <= 0):
            raise ZeroDivisionError("0 to a power that is not positive")
        return mpmath.power(a, p)

    def _definite(self, ev: Evaluator, node: Integral, env: Env) -> Any:
        (x, low, high), = node.limits
        lo, hi = ev(low, env), ev(high, env)
        kinks = list(_kink_arguments(node.function))
        at = lambda t: {**env, x.name: t}  # noqa: E731
        self._integrating += 1
        try:
            return quadrature.integrate(lambda t: ev(node.function, at(t)), lo, hi,
                                        [lambda t, k=k: ev(k, at(t)) for k in kinks], self.guard_digits,  # type: ignore[misc]
                                        self.locate_poles)
        finally:
            self._integrating -= 1

    def series(self, ev: Evaluator, node: Sum, env: Env) -> Any:
        (k, low, _), = node.limits
        start = self.integer(ev(low, env))
        return series.infinite_sum(lambda i: ev(node.function, {**env, k.name: mpmath.mpf(i)}),
                                   start, self.guard_digits)

    def limit(self, ev: Evaluator, node: sympy.Limit, env: Env) -> Any:
        expr, x, point, direction = node.args
        f = lambda t: ev(expr, {**env, x.name: t})  # noqa: E731
        if point.is_infinite:
            return series.limit(f, None, (1 if point is sympy.S.Infinity else -1,), self.guard_digits, True)
        sides = {"+": (1,), "-": (-1,), "+-": (1, -1)}[str(direction)]
        at = standard(ev(point, env))
        if isinstance(at, Jet):
            raise NotApplicable("a limit at a perturbed point")
        return series.limit(f, at, sides, self.guard_digits)

    def combinatorial(self, name: str, args: list[Any]) -> Any:
        if any(isinstance(a, Jet) for a in args):
            raise NotApplicable(f"{name} of a perturbed value")
        whole = [self.integer(a) for a in args]
        if name == "factorial" and whole[0] < 0:
            raise ZeroDivisionError("the factorial of a negative integer")
        if name == "factorial":
            return mpmath.factorial(whole[0])  # by the gamma function: any size (limits need 2^28)
        if max(map(abs, whole)) <= MAX_FACTORIAL:
            return mpmath.mpf(_combinatorial(name, whole))
        n, k = whole
        if k < 0 or 0 <= n < k:
            return mpmath.mpf(0)
        if n < 0:  # mpmath's gamma quotient and SymPy's convention part ways here
            raise TooLarge(f"binomial of a negative number below -{MAX_FACTORIAL}")
        return mpmath.binomial(n, k)


def _kink_arguments(expr: Basic) -> list[Basic]:
    """Where an integrand may have a kink: the arguments of |.| and the bases of fractional
    powers (a kink, or the edge of the real domain, where they change sign)."""
    found = [a.args[0] for a in expr.atoms(sympy.Abs)]
    found += [p.base for p in expr.atoms(sympy.Pow) if not p.exp.is_Integer]
    return found


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

    def __init__(self) -> None:
        #: SymPy engines this evaluation relied on whose answers need a cross-check.
        self.used: set[str] = set()

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
        if isinstance(current, Symbol) and current.name == name:
            return entrywise(fn(env), lambda x: sympy.diff(x, current, order))
        # One per variable, so nested derivatives stay apart; '#' keeps it apart from user names.
        t = Symbol(f"#{name}", real=True)
        value = fn({**env, name: t})
        return entrywise(value, lambda x: sympy.diff(x, t, order).subs(t, current))

    def gradient(self, fn: Callable[[Env], Any], env: Env, name: str, current: linalg.Mat,
                 directions: list[Direction]) -> list[Any]:
        # Named after the variable, so that a gradient nested in a gradient by another matrix
        # has symbols of its own (by the same matrix, the inner one maps them to themselves).
        fresh = [[Symbol(f"#{name}[{i},{j}]", real=True) for j in range(len(row))]
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
        self.used.add("integrate")
        if bounds:
            return sympy.integrate(body, (value_of(env, x.name), *[ev(b, env) for b in bounds]))
        return sympy.Integral(body, value_of(env, x.name))

    def summation(self, ev: Evaluator, node: Sum, env: Env) -> Any:
        (k, low, high), = node.limits
        self.used.add("summation")
        return sympy.summation(ev(node.function, env), (value_of(env, k.name), ev(low, env), ev(high, env)))

    def series(self, ev: Evaluator, node: Sum, env: Env) -> Any:
        """SymPy's closed form: a candidate only (``used``), never a proof or a disproof."""
        (k, low, _), = node.limits
        self.used.add("infinite-sum")
        fresh = Symbol(f"#{k.name}", integer=True)
        body = ev(node.function, {**env, k.name: fresh})
        return _candidate(lambda: sympy.summation(body, (fresh, ev(low, env), sympy.oo)), "summation")

    def limit(self, ev: Evaluator, node: sympy.Limit, env: Env) -> Any:
        """SymPy's limit: a candidate only (``used``), never a proof or a disproof."""
        expr, x, point, direction = node.args
        self.used.add("limit")
        fresh = Symbol(f"#{x.name}", **({"integer": True} if x.is_integer else {"real": True}))
        body = ev(expr, {**env, x.name: fresh})
        at = point if point.is_infinite else ev(point, env)
        return _candidate(lambda: sympy.limit(body, fresh, at, str(direction)), "limit")

    def combinatorial(self, name: str, args: list[Any]) -> Any:
        return getattr(sympy, name)(*args)


def _candidate(compute: Callable[[], Any], name: str) -> Any:
    """SymPy's value for a limit or series, when it is a finite closed form."""
    try:
        value = compute()
    except (ArithmeticError, NotImplementedError, ValueError, TypeError, RecursionError) as error:
        raise NotApplicable(f"SymPy's {name} failed ({type(error).__name__})") from None
    if value.has(sympy.Limit, sympy.Sum, sympy.AccumBounds, sympy.oo, -sympy.oo, sympy.zoo, sympy.nan,
                 sympy.Piecewise):
        raise NotApplicable(f"SymPy's {name} gives no finite closed form")
    return value
