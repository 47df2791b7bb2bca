"""Values for every declared symbol, respecting its declaration, for each verification method.

Random points are drawn from a ``random.Random`` seeded per claim, method, size and point, so a
counterexample is reproducible from the seed its message prints.  Each point also has a
``Profile`` the engine chooses, so that no region the assumptions allow is missed
systematically: the sign of every sign-free real scalar (all positive, all negative, each one
negative on its own, then random), zero where it is allowed, and the magnitude (whole numbers,
non-integer fractions, very small, very large; integers beyond a small range).

Structure is built in, so only points that satisfy the assumptions are ever used:
symmetric = upper triangle mirrored; positive definite = R Rᵀ + εI with a small ε, R square
or of rank n - 1 (an eigenvalue exactly ε); orthogonal = Cayley transform of a skew matrix (a
rotation), its first row negated on reflected points (det = -1); symmetric and orthogonal =
the reflection I - 2V(VᵀV)⁻¹Vᵀ; diagonal and orthogonal = diag(±1); diagonal and positive
definite = diag(r² + ε).  Dependent symbols (a function f(x, y), a scalar y of x, a matrix
A(x)) are general polynomials in what they depend on -- sums of powers of random affine forms,
so that every mixed derivative is generically nonzero -- with the same structure and sign
assumptions applied to their values, plus an exponential term in the numeric profile so that
no derivative of them vanishes identically.
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

#: Exact points: numerators of magnitude 1..EXACT_RANGE.  A wrong identity whose sides differ
#: by a rational function of degree d agrees at such a point with probability at most
#: d / EXACT_RANGE (Schwartz-Zippel), whatever denominator or scale the profile adds.
EXACT_RANGE = 2**62
NUMERIC_DENOMINATOR = 2**10
#: Magnitude profiles, in the order points cycle through them.
MAGNITUDES = ("plain", "fraction", "small", "large")
#: A profile of its own, for counterexamples a reader can check by hand: integers 1 to 3.
TINY = "tiny"
#: Integers: a small range, and beyond it on "large" points.
SMALL_INTEGER, LARGE_INTEGER = 8, 1000


@dataclass(frozen=True)
class Profile:
    """What the engine asks of one point: which sign-free scalars are negative (bit s for the
    s-th), which scalar is zero (if any), the magnitude profile, and whether orthogonal
    matrices are reflections."""

    negative: int = 0
    zero: str | None = None
    magnitude: str = "plain"
    reflect: bool = False

    def plainer(self) -> Profile:
        """The same signs with ordinary magnitudes and no zero: for a replacement point."""
        return Profile(self.negative, None, "plain", self.reflect)


@dataclass
class Point:
    """An environment for the evaluator and a readable account of the values in it."""

    env: dict[str, Any]
    shown: dict[str, str] = field(default_factory=dict)


class Sampler:
    """Draws scalars (as Fractions) in the exact or the numeric profile."""

    def __init__(self, rng: random.Random, exact: bool, magnitude: str = "plain") -> None:
        self.rng = rng
        self.exact = exact
        self.magnitude = magnitude

    def magnitude_value(self) -> Fraction:
        """A positive value of the point's magnitude profile."""
        rng, kind = self.rng, self.magnitude
        if kind == TINY:
            return Fraction(rng.randint(1, 3))
        if self.exact:
            p = Fraction(rng.randint(1, EXACT_RANGE))
            if kind == "fraction":
                return p / rng.randint(2, EXACT_RANGE)
            if kind == "small":
                return p / EXACT_RANGE ** 2
            return p * EXACT_RANGE if kind == "large" else p
        p = Fraction(rng.randint(1, 3 * NUMERIC_DENOMINATOR), NUMERIC_DENOMINATOR)
        if kind == "fraction":
            return Fraction(rng.randint(1, EXACT_RANGE), rng.randint(1, EXACT_RANGE))
        if kind == "small":
            return p / 10 ** rng.randint(3, 8)
        return p * 10 ** rng.randint(3, 6) if kind == "large" else p

    def scalar(self, assume: tuple[str, ...], negative: bool | None = None) -> Fraction:
        """A value allowed by ``assume``; ``negative`` forces the sign of an unconstrained one."""
        if "integer" in assume:
            return Fraction(self.integer(assume))
        magnitude = self.magnitude_value()
        if "positive" in assume or "nonnegative" in assume:
            return magnitude
        if "negative" in assume:
            return -magnitude
        if negative is None:
            negative = self.rng.random() < 0.5
        return -magnitude if negative else magnitude

    def integer(self, assume: tuple[str, ...]) -> int:
        top = LARGE_INTEGER if self.magnitude == "large" else 3 if self.magnitude == TINY else SMALL_INTEGER
        low = SMALL_INTEGER + 1 if self.magnitude == "large" else 1
        value = self.rng.randint(low, top)
        if "negative" in assume:
            return -value
        if "positive" in assume:
            return value
        if "nonnegative" in assume:
            return value if self.rng.random() < 0.9 else 0
        if "nonzero" in assume or self.rng.random() < 0.9:
            return value if self.rng.random() < 0.5 else -value
        return 0

    def entry(self) -> Fraction:
        return self.scalar(())

    def raw(self, rows: int, cols: int) -> linalg.Mat:
        return [[self.entry() for _ in range(cols)] for _ in range(rows)]


def _sign_free(assume: tuple[str, ...]) -> bool:
    return not {"positive", "negative", "nonnegative", "integer"} & set(assume)


def may_be_zero(decl: SymbolDecl) -> bool:
    """A scalar whose assumptions allow the value 0."""
    return decl.kind == "scalar" and not decl.of and not {"positive", "negative", "nonzero", "integer"} & set(decl.assume)


def signed_scalars(table: SymbolTable) -> list[str]:
    """The sign-free real scalars, whose sign pattern the engine chooses."""
    return [d.name for d in table.decls.values() if d.kind == "scalar" and not d.of and _sign_free(d.assume)]


def shape_of(decl: SymbolDecl, dims: dict[str, int]) -> tuple[int, int]:
    assert decl.shape is not None
    return tuple(d if isinstance(d, int) else dims[d] for d in decl.shape)  # type: ignore[return-value]


class _Maker:
    """Builds the values of one point in one backend."""

    def __init__(self, backend: Backend, sampler: Sampler, exact: bool, degree: int, profile: Profile) -> None:
        self.backend, self.sampler, self.exact = backend, sampler, exact
        self.degree, self.profile = degree, profile
        self.one = backend.number(Rational(1))
        self.zero = backend.number(Rational(0))

    def value(self, x: Fraction) -> Any:
        return self.backend.rational(x)

    def convert(self, raw: linalg.Mat) -> linalg.Mat:
        return [[self.value(x) for x in row] for row in raw]

    def eye(self, n: int) -> linalg.Mat:
        return [[self.one if i == j else self.zero for j in range(n)] for i in range(n)]

    # -- structure ------------------------------------------------------------------------

    def structured(self, decl: SymbolDecl, rows: int, cols: int, draw: Callable[[int, int], linalg.Mat],
                   choices: dict[str, Any]) -> linalg.Mat:
        """A matrix with ``decl``'s structure, from raw matrices ``draw(r, c)`` (whose entries
        may depend on other symbols); ``choices`` holds the random discrete choices of the
        point (rank, signs), so a dependent matrix keeps them for every value of its argument."""
        assume = set(decl.assume)
        if "orthogonal" in assume and "diagonal" in assume:
            signs = choices.setdefault("signs", [self.sampler.rng.random() < 0.5 for _ in range(rows)])
            return [[(-self.one if signs[i] else self.one) if i == j else self.zero for j in range(cols)]
                    for i in range(rows)]
        if "orthogonal" in assume and "symmetric" in assume:
            k = choices.setdefault("rank", self.sampler.rng.randint(0, rows))
            return self.reflection(draw(rows, k)) if k else self.eye(rows)
        if "orthogonal" in assume:
            raw = draw(rows, cols)
            skew = [[raw[i][j] if i < j else -raw[j][i] if i > j else self.zero for j in range(cols)]
                    for i in range(rows)]
            return cayley(skew, self.eye(rows), self.backend.field, -self.one, self.profile.reflect)
        if "positive_definite" in assume:
            epsilon = choices.setdefault("epsilon", self.value(self.sampler.scalar(("positive",))))
            if "diagonal" in assume:
                raw = draw(rows, 1)
                return [[raw[i][0] * raw[i][0] + epsilon if i == j else self.zero for j in range(cols)]
                        for i in range(rows)]
            rank = choices.setdefault("rank", rows - (self.sampler.rng.random() < 0.5))
            r = draw(rows, rank)
            gram = linalg.matmul(r, linalg.transpose(r)) if rank else [[self.zero] * rows for _ in range(rows)]
            return linalg.add(gram, linalg.scale(epsilon, self.eye(rows)))
        raw = draw(rows, cols)
        if "diagonal" in assume:
            return [[raw[i][j] if i == j else self.zero for j in range(cols)] for i in range(rows)]
        if "symmetric" in assume:
            return [[raw[min(i, j)][max(i, j)] for j in range(cols)] for i in range(rows)]
        return raw

    def reflection(self, v: linalg.Mat) -> linalg.Mat:
        """I - 2 V (VᵀV)⁻¹ Vᵀ: symmetric and orthogonal, eigenvalue -1 on the columns of V."""
        vt = linalg.transpose(v)
        projector = linalg.matmul(linalg.matmul(v, linalg.inverse(linalg.matmul(vt, v), self.backend.field)), vt)
        return linalg.add(self.eye(len(v)), linalg.scale(-2 * self.one, projector))

    # -- dependent symbols ----------------------------------------------------------------

    def polynomials(self, count: int) -> Callable[[list[Any]], list[Any]]:
        """``count`` general polynomials of degree ``self.degree`` in the same arguments: each
        the sum over k of c_k (a_k + l_k . v)^k, whose expansion has every monomial
        generically.  The affine forms are shared and their powers computed once per call;
        the coefficients c_k are each polynomial's own.  Drawn at the first call, when the
        number of arguments is known."""
        plain = Sampler(self.sampler.rng, self.exact)  # ordinary sizes, whatever the profile
        forms: list[tuple[Any, list[Any]]] = []
        coefficients: list[list[Any]] = []
        mix: list[Any] = []
        backend, exact = self.backend, self.exact

        def p(args: list[Any]) -> list[Any]:
            if not forms:
                forms.extend((self.value(plain.entry()), [self.value(plain.entry()) for _ in args])
                             for _ in range(self.degree + 1))
                coefficients.extend([self.value(plain.entry()) for _ in forms] for _ in range(count))
                mix.extend(self.value(plain.entry()) for _ in args)
            powers = []
            for k, (a, l) in enumerate(forms):  # noqa: E741  # (affine part, linear part)
                affine = a
                for x, w in zip(args, l):
                    affine = affine + w * x
                powers.append(backend.integer_power(affine, k))
            if not exact:
                exponent: Any = self.zero
                for x, w in zip(args, mix):
                    exponent = exponent + w * x
                powers.append(backend.function("exp", exponent / 4))
            values = []
            for cs in coefficients:
                total: Any = powers[-1] if not exact else self.zero
                for c, power in zip(cs, powers):
                    total = total + c * power
                values.append(total)
            return values

        return p

    def polynomial(self) -> Callable[[list[Any]], Any]:
        """One general polynomial (see ``polynomials``)."""
        several = self.polynomials(1)
        return lambda args: several(args)[0]

    def signed(self, p: Callable[[list[Any]], Any], assume: tuple[str, ...]) -> Callable[[list[Any]], Any]:
        """A function with the sign its assumptions ask for: ±(p² + ε), or p² for nonnegative."""
        if not {"positive", "negative", "nonnegative", "nonzero"} & set(assume):
            return p
        epsilon = self.zero if "nonnegative" in assume else self.value(self.sampler.scalar(("positive",)))
        sign = -self.one if "negative" in assume or ("nonzero" in assume and self.sampler.rng.random() < 0.5) \
            else self.one
        return lambda args: sign * (p(args) * p(args) + epsilon)


def random_point(table: SymbolTable, dims: dict[str, int], backend: Backend, rng: random.Random,
                 exact: bool, degree: int, profile: Profile | int) -> Point:
    """Random values for every symbol, following ``profile`` (or, as an int, a sign pattern:
    bit s makes the s-th sign-free scalar negative, and an odd one reflects orthogonal
    matrices)."""
    if isinstance(profile, int):
        profile = Profile(profile, None, "plain", bool(profile % 2))
    sampler = Sampler(rng, exact, profile.magnitude)
    make = _Maker(backend, sampler, exact, degree, profile)
    point = Point({name: backend.number(Rational(v)) for name, v in dims.items()})
    signed = signed_scalars(table)
    for decl in table.decls.values():
        if decl.kind == "scalar" and not decl.of:
            negative = bool(profile.negative >> signed.index(decl.name) & 1) if decl.name in signed else None
            value = Fraction(0) if profile.zero == decl.name else sampler.scalar(decl.assume, negative)
            point.env[decl.name] = backend.rational(value)
            point.shown[decl.name] = str(value)
        elif decl.kind == "function" or (decl.kind == "scalar" and decl.of):
            f = make.signed(make.polynomial(), decl.assume)
            point.env[decl.name] = _applied(f)  # y of x is the applied function y(x), as f(x)
            point.shown[decl.name] = f"a random {'polynomial' if exact else 'function'} of {', '.join(decl.of)}"
        elif decl.kind in ("vector", "matrix") and decl.basis is None:  # e_k is a constant
            rows, cols = shape_of(decl, dims)
            if decl.of:
                point.env[decl.name] = _dependent_matrix(make, decl, rows, cols)
                point.shown[decl.name] = f"a random {'polynomial' if exact else 'function'} of {', '.join(decl.of)}"
            else:
                raws: list[linalg.Mat] = []

                def draw(r: int, c: int) -> linalg.Mat:
                    raws.append(sampler.raw(r, c))  # noqa: B023  # called at once, by structured()
                    return make.convert(raws[-1])  # noqa: B023
                matrix = make.structured(decl, rows, cols, draw, {})
                point.env[decl.name] = matrix
                point.shown[decl.name] = _show(matrix if exact else raws[0] if raws else matrix)
    return point


def _applied(f: Callable[[list[Any]], Any]) -> Callable[..., Any]:
    return lambda *args: f(list(args))


def _arguments(env: Env, decl: SymbolDecl) -> list[Any]:
    return [x for name in decl.of for x in entries_of(value_of(env, name))]


def _dependent_matrix(make: _Maker, decl: SymbolDecl, rows: int, cols: int) -> Callable[[Env], linalg.Mat]:
    """A matrix whose entries are general polynomials in ``decl.of``, then structured."""
    drawn: dict[tuple[int, int, int], Callable[[list[Any]], list[Any]]] = {}
    choices: dict[str, Any] = {}

    def value(env: Env) -> linalg.Mat:
        args = _arguments(env, decl)
        calls = itertools.count()

        def draw(r: int, c: int) -> linalg.Mat:
            entries = drawn.setdefault((next(calls), r, c), make.polynomials(r * c))(args)
            return [entries[i * c:(i + 1) * c] for i in range(r)]
        return make.structured(decl, rows, cols, draw, choices)

    return value


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


class NoParametrisation(Exception):
    """The symbolic proof has no parametrisation of this combination of assumptions."""


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
        if decl.kind == "scalar" and not decl.of:
            env[decl.name] = table.objects[decl.name]
        elif decl.kind in ("function", "scalar"):  # a scalar with of: is y(x)
            env[decl.name] = Function(decl.name, real=True)
        elif decl.kind in ("vector", "matrix") and decl.basis is None:
            rows, cols = shape_of(decl, dims)
            reflect = decl.name in reflected
            env[decl.name] = _symbolic_matrix(decl, rows, cols, reflect) if not decl.of \
                else _symbolic_dependent(decl, rows, cols, reflect)
    return Point(env)


def _entry_name(decl: SymbolDecl, i: int, j: int, cols: int) -> str:
    """``A[1,2]``: brackets cannot occur in a declared name, so no user symbol collides."""
    return f"{decl.name}[{i + 1}]" if cols == 1 else f"{decl.name}[{i + 1},{j + 1}]"


def _structured(decl: SymbolDecl, rows: int, cols: int, make: Callable[[int, int], Any],
                reflect: bool) -> linalg.Mat:
    assume = set(decl.assume)
    if "orthogonal" in assume and assume & {"diagonal", "symmetric"}:
        raise NoParametrisation("symmetric or diagonal orthogonal matrices")
    if "diagonal" in assume:
        return [[make(i, j) if i == j else sympy.S.Zero for j in range(cols)] for i in range(rows)]
    if "orthogonal" in assume:
        skew = [[make(i, j) if i < j else -make(j, i) if i > j else sympy.S.Zero
                 for j in range(cols)] for i in range(rows)]
        field = linalg.Field(size=lambda x: 0 if x == 0 else 1, symbolic=True)
        return cayley(skew, linalg.identity(rows), field, -1, reflect)
    if "symmetric" in assume or "positive_definite" in assume:
        return [[make(min(i, j), max(i, j)) for j in range(cols)] for i in range(rows)]
    return [[make(i, j) for j in range(cols)] for i in range(rows)]


def _symbolic_matrix(decl: SymbolDecl, rows: int, cols: int, reflect: bool) -> linalg.Mat:
    return _structured(decl, rows, cols, lambda i, j: Symbol(_entry_name(decl, i, j, cols), real=True),
                       reflect)


def _symbolic_dependent(decl: SymbolDecl, rows: int, cols: int, reflect: bool) -> Callable[[Env], linalg.Mat]:
    def value(env: Env) -> linalg.Mat:
        args = _arguments(env, decl)
        return _structured(decl, rows, cols,
                           lambda i, j: Function(_entry_name(decl, i, j, cols), real=True)(*args), reflect)
    return value
