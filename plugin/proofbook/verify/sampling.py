"""Values for every declared symbol, respecting its declaration, for each verification method.

Random points are drawn from a ``random.Random`` seeded per entry, claim, method and size, so
a counterexample is reproducible from the seed its message prints.  Structure is built in
(symmetric = upper triangle mirrored, positive definite = R R^T + I, orthogonal = Cayley
transform of a skew matrix, a rotation, with its first row negated on every other point to
reach the reflections too), so only points that satisfy the assumptions are ever used.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy
from sympy import Function, Rational, Symbol

from ..language.symbols import SymbolTable
from ..model import SymbolDecl
from . import linalg
from .evaluate import Backend, Env, entries_of, value_of

#: Exact points: integers of magnitude 1..EXACT_RANGE (a scalar's sign is set by its assumption
#: or the sign pattern); a wrong identity whose two sides differ by a rational function of
#: degree d agrees at such a point with probability at most d / EXACT_RANGE (Schwartz-Zippel).
EXACT_RANGE = 10**6
NUMERIC_DENOMINATOR = 2**10


@dataclass
class Point:
    """An environment for the evaluator and a readable account of the values in it."""

    env: dict[str, Any]
    shown: dict[str, str] = field(default_factory=dict)


class Sampler:
    """Draws scalars (as Fractions) in the exact or the numeric profile."""

    def __init__(self, rng: random.Random, exact: bool) -> None:
        self.rng = rng
        self.exact = exact

    def scalar(self, assume: tuple[str, ...], negative: bool | None = None) -> Fraction:
        """A value allowed by ``assume``; ``negative`` forces the sign of an unconstrained one."""
        if "integer" in assume:
            low, high = _integer_range(assume)
            value = self.rng.randint(low, high)
            while value == 0 and "nonzero" in assume:
                value = self.rng.randint(low, high)
            return Fraction(value)
        if self.exact:
            magnitude = Fraction(self.rng.randint(1, EXACT_RANGE))
        else:
            magnitude = Fraction(self.rng.randint(1, 3 * NUMERIC_DENOMINATOR), NUMERIC_DENOMINATOR)
        if "positive" in assume or "nonnegative" in assume:
            return magnitude
        if "negative" in assume:
            return -magnitude
        if negative is None:
            negative = self.rng.random() < 0.5
        return -magnitude if negative else magnitude

    def matrix(self, rows: int, cols: int, assume: tuple[str, ...]) -> linalg.Mat:
        """A random matrix with the declared structure (before any Cayley transform)."""
        if "diagonal" in assume:
            return [[self.scalar(()) if i == j else Fraction(0) for j in range(cols)] for i in range(rows)]
        if "orthogonal" in assume:
            upper = [[self.scalar(()) for _ in range(cols)] for _ in range(rows)]
            return [[upper[i][j] if i < j else -upper[j][i] if i > j else Fraction(0)
                     for j in range(cols)] for i in range(rows)]
        if "positive_definite" in assume:
            r = [[self.scalar(()) for _ in range(cols)] for _ in range(rows)]
            return linalg.add(linalg.matmul(r, linalg.transpose(r)), linalg.identity(rows))
        if "symmetric" in assume:
            upper = [[self.scalar(()) for _ in range(cols)] for _ in range(rows)]
            return [[upper[min(i, j)][max(i, j)] for j in range(cols)] for i in range(rows)]
        return [[self.scalar(()) for _ in range(cols)] for _ in range(rows)]


def _sign_free(assume: tuple[str, ...]) -> bool:
    return not {"positive", "negative", "nonnegative", "integer"} & set(assume)


def _integer_range(assume: tuple[str, ...]) -> tuple[int, int]:
    if "positive" in assume:
        return 1, 8
    if "nonnegative" in assume:
        return 0, 8
    if "negative" in assume:
        return -8, -1
    return -6, 6


def shape_of(decl: SymbolDecl, dims: dict[str, int]) -> tuple[int, int]:
    assert decl.shape is not None
    return tuple(d if isinstance(d, int) else dims[d] for d in decl.shape)  # type: ignore[return-value]


def random_point(table: SymbolTable, dims: dict[str, int], backend: Backend, rng: random.Random,
                 exact: bool, degree: int, pattern: int) -> Point:
    """Random values for every symbol; dependent symbols are random polynomials (of degree
    ``degree``) in what they depend on, plus an exponential term in the numeric profile so no
    derivative of them vanishes identically.

    Bit s of ``pattern`` makes the s-th sign-free real scalar negative, so points 0 .. 2^k - 1
    cover every sign combination of k scalars (log(x*y) = log x + log y fails only when both
    are negative); an odd ``pattern`` makes orthogonal matrices reflections.
    """
    reflect = bool(pattern % 2)
    sampler = Sampler(rng, exact)
    point = Point({name: backend.number(Rational(v)) for name, v in dims.items()})
    signed = [d.name for d in table.decls.values() if d.kind == "scalar" and _sign_free(d.assume)]
    for decl in table.decls.values():
        if decl.kind == "scalar":
            negative = bool(pattern >> signed.index(decl.name) & 1) if decl.name in signed else None
            value = sampler.scalar(decl.assume, negative)
            point.env[decl.name] = backend.rational(value)
            point.shown[decl.name] = str(value)
        elif decl.kind == "function":
            point.env[decl.name] = _random_function(sampler, backend, len(decl.of), degree, exact)
            point.shown[decl.name] = f"a random {'polynomial' if exact else 'function'} of {', '.join(decl.of)}"
        elif decl.kind in ("vector", "matrix"):
            rows, cols = shape_of(decl, dims)
            if decl.of:
                point.env[decl.name] = _random_dependent(sampler, backend, decl, rows, cols, degree,
                                                         exact, reflect)
                point.shown[decl.name] = f"a random {'polynomial' if exact else 'function'} of {', '.join(decl.of)}"
            else:
                raw = sampler.matrix(rows, cols, decl.assume)
                matrix = _finish(_convert(raw, backend), decl, backend, reflect)
                point.env[decl.name] = matrix
                point.shown[decl.name] = _show(matrix if exact else raw)
    return point


def _convert(raw: linalg.Mat, backend: Backend) -> linalg.Mat:
    return [[backend.rational(x) for x in row] for row in raw]


def _finish(matrix: linalg.Mat, decl: SymbolDecl, backend: Backend, reflect: bool) -> linalg.Mat:
    """For an orthogonal matrix: the Cayley transform of the skew ``matrix``."""
    if "orthogonal" not in decl.assume:
        return matrix
    eye = [[backend.number(Rational(int(i == j))) for j in range(len(matrix))] for i in range(len(matrix))]
    return cayley(matrix, eye, backend.field, backend.number(Rational(-1)), reflect)


def cayley(skew: linalg.Mat, eye: linalg.Mat, field: linalg.Field, minus_one: Any, reflect: bool) -> linalg.Mat:
    """Q = (I - K)(I + K)^-1, a rotation; with ``reflect`` its first row negated (det Q = -1)."""
    q = linalg.matmul(linalg.add(eye, linalg.scale(minus_one, skew)), linalg.inverse(linalg.add(eye, skew), field))
    if reflect:
        q[0] = [minus_one * x for x in q[0]]
    return q


def _show(matrix: linalg.Mat) -> str:
    if len(matrix) * len(matrix[0]) > 9:
        return f"a random {len(matrix)} x {len(matrix[0])} matrix"
    rows = ["[" + ", ".join(str(x) for x in row) + "]" for row in matrix]
    return rows[0] if len(rows) == 1 else "[" + ", ".join(rows) + "]"


def _random_function(sampler: Sampler, backend: Backend, arity: int, degree: int,
                     exact: bool) -> Callable[..., Any]:
    coefficients = [[backend.rational(sampler.scalar(())) for _ in range(degree + 1)] for _ in range(arity)]
    mix = [backend.rational(sampler.scalar(())) for _ in range(arity)]
    zero, one = backend.rational(Fraction(0)), backend.rational(Fraction(1))

    def f(*args: Any) -> Any:
        total: Any = zero
        for arg, coeffs in zip(args, coefficients):
            power: Any = one
            for c in coeffs:
                total = total + c * power
                power = power * arg
        if arity > 1:
            product: Any = one
            for arg in args:
                product = product * arg
            total = total + product
        if not exact:
            for arg, c in zip(args, mix):
                total = total + backend.function("exp", c * arg / 4)
        return total

    return f


def _random_dependent(sampler: Sampler, backend: Backend, decl: SymbolDecl, rows: int, cols: int,
                      degree: int, exact: bool, reflect: bool) -> Callable[[Env], linalg.Mat]:
    """A matrix whose entries depend on ``decl.of``: sum over monomials m of m * C_m."""
    terms = [_convert(sampler.matrix(rows, cols, decl.assume), backend) for _ in range(degree + 1)]

    def value(env: Env) -> linalg.Mat:
        args = [x for name in decl.of for x in entries_of(value_of(env, name))]
        total = terms[0]
        power: Any = backend.number(Rational(1))
        for k, term in enumerate(terms[1:], start=1):
            arg = args[(k - 1) % len(args)]
            power = power * arg
            total = linalg.add(total, linalg.scale(power, term))
        if not exact:
            total = linalg.add(total, linalg.scale(backend.function("exp", args[0] / 3), terms[-1]))
        return _finish(total, decl, backend, reflect)

    return value


def symbolic_points(table: SymbolTable, dims: dict[str, int]) -> list[Point]:
    """Every entry a SymPy symbol (or an undefined function of what it depends on).

    One point per combination of rotation/reflection of the orthogonal matrices, so a proof
    covers both components of the orthogonal group.
    """
    orthogonal = [d.name for d in table.decls.values() if "orthogonal" in d.assume]
    return [_symbolic_point(table, dims, set(itertools.compress(orthogonal, flips)))
            for flips in itertools.product((False, True), repeat=len(orthogonal))]


def _symbolic_point(table: SymbolTable, dims: dict[str, int], reflected: set[str]) -> Point:
    env: dict[str, Any] = {name: sympy.Integer(v) for name, v in dims.items()}
    for decl in table.decls.values():
        if decl.kind == "scalar":
            env[decl.name] = table.objects[decl.name]
        elif decl.kind == "function":
            env[decl.name] = Function(decl.name, real=True)
        elif decl.kind in ("vector", "matrix"):
            rows, cols = shape_of(decl, dims)
            reflect = decl.name in reflected
            env[decl.name] = _symbolic_matrix(decl, rows, cols, reflect) if not decl.of \
                else _symbolic_dependent(decl, rows, cols, reflect)
    return Point(env)


def _entry_name(decl: SymbolDecl, i: int, j: int, cols: int) -> str:
    return f"{decl.name}_{i + 1}" if cols == 1 else f"{decl.name}_{i + 1}{j + 1}"


def _structured(decl: SymbolDecl, rows: int, cols: int, make: Callable[[int, int], Any],
                reflect: bool) -> linalg.Mat:
    if "diagonal" in decl.assume:
        return [[make(i, j) if i == j else sympy.S.Zero for j in range(cols)] for i in range(rows)]
    if "orthogonal" in decl.assume:
        skew = [[make(i, j) if i < j else -make(j, i) if i > j else sympy.S.Zero
                 for j in range(cols)] for i in range(rows)]
        field = linalg.Field(size=lambda x: 0 if x == 0 else 1, symbolic=True)
        return cayley(skew, linalg.identity(rows), field, -1, reflect)
    if "symmetric" in decl.assume or "positive_definite" in decl.assume:
        return [[make(min(i, j), max(i, j)) for j in range(cols)] for i in range(rows)]
    return [[make(i, j) for j in range(cols)] for i in range(rows)]


def _symbolic_matrix(decl: SymbolDecl, rows: int, cols: int, reflect: bool) -> linalg.Mat:
    return _structured(decl, rows, cols, lambda i, j: Symbol(_entry_name(decl, i, j, cols), real=True),
                       reflect)


def _symbolic_dependent(decl: SymbolDecl, rows: int, cols: int, reflect: bool) -> Callable[[Env], linalg.Mat]:
    def value(env: Env) -> linalg.Mat:
        args = [x for name in decl.of for x in entries_of(value_of(env, name))]
        return _structured(decl, rows, cols,
                           lambda i, j: Function(_entry_name(decl, i, j, cols), real=True)(*args), reflect)
    return value
