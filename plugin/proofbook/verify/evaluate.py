"""Evaluate a compiled expression at concrete sizes, entry by entry.

One walker serves every method.  A ``Backend`` says what a number is and how to
differentiate: ``JetBackend`` over ``Fraction`` (randomized exact test) or ``mpmath`` numbers
(numeric test) perturbs the variable by an infinitesimal; ``SymbolicBackend`` gives every
entry a SymPy symbol and differentiates with ``sympy.diff``.  The walker implements the
handbook's layout conventions (``MatDerivative``) once, so the methods cannot disagree on
what an identity means -- only on arithmetic, which is what cross-checking is for.

Matrix-expression calculus (``MatrixExpr.diff``) is never called: SymPy answers
d ln|A| / dA with 0.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from sympy import (
    Abs, Add, Basic, Derivative, Determinant, Identity, Integer, Integral, Inverse, MatAdd,
    MatMul, MatPow, MatrixSymbol, Mul, Pow, Rational, S, Sum, Symbol, Trace, Transpose,
    ZeroMatrix, atan, cos, cosh, exp, log, sin, sinh, tan, tanh,
)
from sympy import Limit, binomial, factorial
from sympy.core.function import AppliedUndef
from sympy.matrices.expressions.matexpr import MatrixElement

from ..language.nodes import Adjugate, Hadamard, Kron, MatDerivative, SymMatDerivative, UnitVector, Vec
from . import linalg
from .linalg import Mat, Unreliable  # noqa: F401  # Unreliable: raised here, caught by the backends

FUNCTION_NAMES: dict[type, str] = {
    log: "log", exp: "exp", sin: "sin", cos: "cos", tan: "tan", sinh: "sinh", cosh: "cosh",
    tanh: "tanh", atan: "atan", Abs: "abs",
}

Env = Mapping[str, Any]
Direction = list[tuple[int, int]]


class NotApplicable(Exception):
    """This method cannot evaluate the expression (e.g. an integral over a perturbed bound)."""


class TooLarge(NotApplicable):
    """A value beyond the bounds on size (digits, exponents) this method computes with."""


class Backend:
    """Numbers and differentiation for one verification method."""

    field: linalg.Field

    def number(self, value: Rational) -> Any:
        raise NotImplementedError

    def rational(self, value: Fraction) -> Any:
        """A sampled value as a number of this backend, without a detour through SymPy."""
        return self.number(Rational(value.numerator, value.denominator))

    def constant(self, name: str) -> Any:
        raise NotImplementedError

    def function(self, name: str, value: Any) -> Any:
        raise NotImplementedError

    def power(self, base: Any, exponent: Any) -> Any:
        raise NotImplementedError

    def checked_sum(self, total: Any, terms: list[Any]) -> Any:
        """A sum, once its backend has checked it kept enough digits (floating point)."""
        return total

    def integer_power(self, base: Any, k: int) -> Any:
        """``base ** k`` for a whole number k >= 0 (exact methods bound the size first)."""
        return base ** k

    def integer(self, value: Any) -> int:
        """A summation bound as a Python int; NotApplicable if it is not one."""
        raise NotImplementedError

    def diff_scalar(self, fn: Callable[[Env], Any], env: Env, name: str, order: int) -> Any:
        """d^order/dx^order of ``fn`` at ``env`` for the scalar named ``name``."""
        raise NotImplementedError

    def gradient(self, fn: Callable[[Env], Any], env: Env, name: str, current: Mat,
                 directions: list[Direction]) -> list[Any]:
        """Directional derivatives of ``fn`` where matrix ``name`` moves along each direction
        (a list of entries moved together)."""
        raise NotImplementedError

    def integral(self, ev: Evaluator, node: Integral, env: Env) -> Any:
        raise NotImplementedError

    def summation(self, ev: Evaluator, node: Sum, env: Env) -> Any:
        raise NotImplementedError

    def series(self, ev: Evaluator, node: Sum, env: Env) -> Any:
        """An infinite sum (upper bound ``oo``)."""
        raise NotImplementedError

    def limit(self, ev: Evaluator, node: Limit, env: Env) -> Any:
        raise NotImplementedError

    def combinatorial(self, name: str, args: list[Any]) -> Any:
        """``factorial`` or ``binomial`` of whole numbers."""
        raise NotImplementedError


def value_of(env: Env, name: str) -> Any:
    """A symbol's value; dependent symbols (A(x)) are computed from the current env."""
    value = env[name]
    return value(env) if callable(value) else value


def entries_of(value: Any) -> list[Any]:
    """The entries of a matrix, row by row, or a scalar alone."""
    return [x for row in value for x in row] if isinstance(value, list) else [value]


def entrywise(value: Any, fn: Callable[[Any], Any]) -> Any:
    if isinstance(value, list):
        return [[fn(x) for x in row] for row in value]
    return fn(value)


def scalar(value: Any) -> Any:
    """A scalar, unwrapping a 1 x 1 matrix (a.T*x)."""
    if isinstance(value, list):
        if len(value) == 1 and len(value[0]) == 1:
            return value[0][0]
        raise TypeError("expected a scalar")
    return value


class Evaluator:
    """Walks a compiled SymPy tree with a backend; values are scalars or lists of rows."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def __call__(self, node: Basic, env: Env) -> Any:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            if type(node) in FUNCTION_NAMES:
                return self.backend.function(FUNCTION_NAMES[type(node)], scalar(self(node.args[0], env)))
            if isinstance(node, AppliedUndef):
                return self._applied(node, env)
            raise NotApplicable(f"cannot evaluate {type(node).__name__}")
        return method(node, env)

    # -- scalars --------------------------------------------------------------------------

    def _Integer(self, node: Integer, env: Env) -> Any:
        return self.backend.number(node)

    _Rational = _Half = _One = _Zero = _NegativeOne = _Integer

    def _Pi(self, node: Basic, env: Env) -> Any:
        return self.backend.constant("pi")

    def _Exp1(self, node: Basic, env: Env) -> Any:
        return self.backend.constant("E")

    def _Symbol(self, node: Symbol, env: Env) -> Any:
        return value_of(env, node.name)

    def _applied(self, node: AppliedUndef, env: Env) -> Any:
        fn = env[node.func.__name__]
        return fn(*[scalar(self(arg, env)) for arg in node.args])

    def _Add(self, node: Add, env: Env) -> Any:
        total: Any = self.backend.number(S.Zero)
        terms = [scalar(self(arg, env)) for arg in node.args]
        for term in terms:
            total = total + term
        return self.backend.checked_sum(total, terms)

    def _Mul(self, node: Mul, env: Env) -> Any:
        product: Any = self.backend.number(S.One)
        for arg in node.args:
            product = product * scalar(self(arg, env))
        return product

    def _Pow(self, node: Pow, env: Env) -> Any:
        base = scalar(self(node.base, env))
        exponent = node.exp
        if exponent.is_Integer:
            k = int(exponent)
            if k < 0:
                base, k = self.backend.number(S.One) / base, -k
            return self.backend.integer_power(base, k)
        return self.backend.power(base, scalar(self(exponent, env)))

    def _Trace(self, node: Trace, env: Env) -> Any:
        return linalg.trace(self(node.arg, env))

    _AsScalar = _Trace  # a 1 x 1 matrix as a scalar: its trace is its one entry

    def _Determinant(self, node: Determinant, env: Env) -> Any:
        return linalg.det(self(node.arg, env), self.backend.field)

    def _MatrixElement(self, node: MatrixElement, env: Env) -> Any:
        matrix = self(node.parent, env)
        return matrix[self._index(node.i, env)][self._index(node.j, env)]

    def _index(self, index: Basic, env: Env) -> int:
        """A 0-based position: a number, an index symbol's value, or n - 1 - k at the
        sampled size n (``X[n, n]``)."""
        if index.is_Integer:
            return int(index)
        if isinstance(index, Symbol) and not index.is_positive:  # a declared index symbol
            return int(env[index.name])
        return int(index.xreplace({d: Integer(self._size(d, env)) for d in index.free_symbols}))

    def _Integral(self, node: Integral, env: Env) -> Any:
        return self.backend.integral(self, node, env)

    def _Sum(self, node: Sum, env: Env) -> Any:
        if node.limits[0][2] is S.Infinity:
            return self.backend.series(self, node, env)
        return self.backend.summation(self, node, env)

    def _Limit(self, node: Limit, env: Env) -> Any:
        return self.backend.limit(self, node, env)

    def _factorial(self, node: factorial, env: Env) -> Any:
        return self.backend.combinatorial("factorial", [scalar(self(node.args[0], env))])

    def _binomial(self, node: binomial, env: Env) -> Any:
        return self.backend.combinatorial("binomial", [scalar(self(a, env)) for a in node.args])

    def _AtBase(self, node: Basic, env: Env) -> Any:
        """An expression at the base point of an indefinite integral (``antiderivative``)."""
        expr, x, base = node.args
        return self(expr, {**env, x.name: value_of(env, base.name)})

    # -- matrices -------------------------------------------------------------------------

    def _MatrixSymbol(self, node: MatrixSymbol, env: Env) -> Any:
        return value_of(env, node.name)

    def _UnitVector(self, node: UnitVector, env: Env) -> Mat:
        """The standard basis vector e_k: a constant, so every derivative of it is zero."""
        k = self._index(node.index, env)
        one, zero = self.backend.number(S.One), self.backend.number(S.Zero)
        return [[one if i == k else zero] for i in range(self._size(node.shape[0], env))]

    def _Identity(self, node: Identity, env: Env) -> Mat:
        n = self._size(node.rows, env)
        one, zero = self.backend.number(S.One), self.backend.number(S.Zero)
        return [[one if i == j else zero for j in range(n)] for i in range(n)]

    def _ZeroMatrix(self, node: ZeroMatrix, env: Env) -> Mat:
        zero = self.backend.number(S.Zero)
        return [[zero] * self._size(node.cols, env) for _ in range(self._size(node.rows, env))]

    def _size(self, dim: Basic, env: Env) -> int:
        return int(dim) if dim.is_Integer else int(self.backend.integer(env[str(dim)]))

    def _Transpose(self, node: Transpose, env: Env) -> Mat:
        return linalg.transpose(self(node.arg, env))

    def _Inverse(self, node: Inverse, env: Env) -> Mat:
        return linalg.inverse(self(node.arg, env), self.backend.field)

    def _MatPow(self, node: MatPow, env: Env) -> Mat:
        return linalg.power(self(node.base, env), int(node.exp))

    def _MatAdd(self, node: MatAdd, env: Env) -> Mat:
        values = [self(arg, env) for arg in node.args]
        total = values[0]
        for value in values[1:]:
            total = linalg.add(total, value)
        for i, row in enumerate(total):
            for j, x in enumerate(row):
                self.backend.checked_sum(x, [v[i][j] for v in values])
        return total

    def _MatMul(self, node: MatMul, env: Env) -> Any:
        coefficient: Any = self.backend.number(S.One)
        product: Mat | None = None
        for arg in node.args:
            value = self(arg, env)
            if isinstance(value, list):
                product = value if product is None else linalg.matmul(product, value)
            else:
                coefficient = coefficient * value
        assert product is not None
        return linalg.scale(coefficient, product)

    def _Kron(self, node: Kron, env: Env) -> Mat:
        return linalg.kron(*(_matrix(self(arg, env)) for arg in node.args))

    def _Vec(self, node: Vec, env: Env) -> Mat:
        return linalg.vec(_matrix(self(node.arg, env)))

    def _Hadamard(self, node: Hadamard, env: Env) -> Mat:
        return linalg.hadamard(*(_matrix(self(arg, env)) for arg in node.args))

    def _Adjugate(self, node: Adjugate, env: Env) -> Mat:
        return linalg.adjugate(_matrix(self(node.arg, env)), self.backend.field)

    # -- derivatives ----------------------------------------------------------------------

    def _Derivative(self, node: Derivative, env: Env) -> Any:
        """SymPy merges nested derivatives into one node: variables ((x, 1), (y, 2)) mean
        d^2/dy^2 of d/dx of the expression, taken in that order."""
        fn: Callable[[Env], Any] = lambda e: scalar(self(node.expr, e))  # noqa: E731  # rebound below
        for var, order in node.variable_count:
            if isinstance(var, MatrixElement):
                for _ in range(int(order)):
                    fn = self._by_entry(fn, var)
            else:
                fn = self._by_scalar(fn, var.name, int(order))
        return fn(env)

    def _by_entry(self, fn: Callable[[Env], Any], var: MatrixElement) -> Callable[[Env], Any]:
        def derivative(env: Env) -> Any:
            name = var.parent.name
            position = (self._index(var.i, env), self._index(var.j, env))
            return self.backend.gradient(fn, env, name, value_of(env, name), [[position]])[0]
        return derivative

    def _by_scalar(self, fn: Callable[[Env], Any], name: str, order: int) -> Callable[[Env], Any]:
        return lambda env: self.backend.diff_scalar(fn, env, name, order)

    def _MatDerivative(self, node: MatDerivative, env: Env) -> Any:
        fn = self._closure(node.expr)
        var = node.var
        if isinstance(var, Symbol):
            return self.backend.diff_scalar(fn, env, var.name, 1)
        if isinstance(var, MatrixElement):  # a 1 x 1 matrix (x.T*x) by one entry
            return [[self._by_entry(lambda e: scalar(fn(e)), var)(env)]]
        current = value_of(env, var.name)
        rows, cols = len(current), len(current[0])
        if node.shape != var.shape:
            # d a / d b for column vectors: entry (i, j) = d a_i / d b_j
            grads = self.backend.gradient(fn, env, var.name, current, [[(j, 0)] for j in range(rows)])
            return [[grads[j][i][0] for j in range(rows)] for i in range(len(grads[0]))]
        structured = isinstance(node, SymMatDerivative)
        directions = [_direction(i, j, structured) for i in range(rows) for j in range(cols)]
        grads = [scalar(g) for g in self.backend.gradient(fn, env, var.name, current, directions)]
        return [grads[i * cols:(i + 1) * cols] for i in range(rows)]

    _SymMatDerivative = _MatDerivative

    def _closure(self, expr: Basic) -> Callable[[Env], Any]:
        return lambda env: self(expr, env)


def _matrix(value: Any) -> Mat:
    """A matrix operand; a 1 x 1 product that became a scalar is a 1 x 1 matrix again."""
    return value if isinstance(value, list) else [[value]]


def _direction(i: int, j: int, structured: bool) -> Direction:
    """Entries moved together: (i, j) alone, or (i, j) and (j, i) for a symmetric variable."""
    return [(i, j), (j, i)] if structured and i != j else [(i, j)]
