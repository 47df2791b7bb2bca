"""Dense matrix arithmetic over any field-like scalars (Fraction, mpmath numbers, Jet, SymPy expressions).

Matrices are lists of rows.  Elimination chooses pivots through ``Field`` so the same code
serves exact rationals (first nonzero pivot), floating point (largest pivot) and symbolic
entries (division-free formulas, which keep rational functions small for ``cancel``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import fastmat
from .jet import Jet, Tangent

Mat = list[list[Any]]


class Singular(ArithmeticError):
    """The matrix has no inverse at this point; the sampler draws another point."""


@dataclass(frozen=True)
class Field:
    """How to pick a pivot: ``size`` ranks candidates; a size of 0 means zero."""

    size: Callable[[Any], Any]
    symbolic: bool = False
    #: A pivot this small relative to the largest entry means the matrix is singular to
    #: working precision (floating point): ``Unreliable``, and the point is replaced.
    relative: Any = 0
    #: A whole number k as a number of this field, for the divisions by k that the
    #: Faddeev–LeVerrier recurrence makes (1/k must not become a float inside a jet).
    whole: Callable[[int], Any] = int


class Unreliable(ArithmeticError):
    """A matrix too close to singular for the working precision."""


def zeros(rows: int, cols: int) -> Mat:
    return [[0] * cols for _ in range(rows)]


def identity(n: int) -> Mat:
    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]


def transpose(a: Mat) -> Mat:
    return [list(col) for col in zip(*a)]


def add(a: Mat, b: Mat) -> Mat:
    return [[x + y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]


def scale(c: Any, a: Mat) -> Mat:
    return [[c * x for x in row] for row in a]


def matmul(a: Mat, b: Mat) -> Mat:
    fast = fastmat.matmul(a, b)
    if fast is not None:
        return fast
    cols = transpose(b)
    return [[_dot(row, col) for col in cols] for row in a]


def _dot(row: list[Any], col: list[Any]) -> Any:
    total: Any = 0
    for x, y in zip(row, col):
        total = total + x * y
    return total


def power(a: Mat, k: int) -> Mat:
    result = identity(len(a))
    for _ in range(k):
        result = matmul(result, a)
    return result


def trace(a: Mat) -> Any:
    total: Any = 0
    for i in range(len(a)):
        total = total + a[i][i]
    return total


def det(a: Mat, field: Field) -> Any:
    if field.symbolic:
        return _det_laplace(a)
    fast = fastmat.det(a)
    if fast is not None:
        return fast
    m = [row[:] for row in a]
    n = len(m)
    floor = _floor(a, field)
    result: Any = 1
    for k in range(n):
        p = _pivot(m, k, field, floor)
        if p is None:
            if any(not _vanishes(m[i][k]) for i in range(k, n)):  # infinitesimal parts remain
                return _det_faddeev(a, field)
            return 0
        if p != k:
            m[k], m[p] = m[p], m[k]
            result = -result
        result = result * m[k][k]
        inv_pivot = 1 / m[k][k]
        for i in range(k + 1, n):
            factor = m[i][k] * inv_pivot
            m[i] = [x - factor * y for x, y in zip(m[i], m[k])]
    return result


def _vanishes(x: Any) -> bool:
    """Whether a value is exactly zero, a jet in all its parts (its standard part is known
    to be zero where this is asked, after elimination found no pivot)."""
    if isinstance(x, Jet):
        return all(_vanishes(v) for v in x.terms.values())
    if isinstance(x, Tangent):
        return all(_vanishes(v) for v in x.parts.values())
    return bool(x == 0)


def _det_laplace(a: Mat) -> Any:
    """Cofactor expansion: division-free, fine for the small n of symbolic checks."""
    n = len(a)
    if n == 1:
        return a[0][0]
    total: Any = 0
    for j in range(n):
        if a[0][j] == 0:
            continue
        minor = [row[:j] + row[j + 1:] for row in a[1:]]
        term = a[0][j] * _det_laplace(minor)
        total = total + term if j % 2 == 0 else total - term
    return total


def inverse(a: Mat, field: Field) -> Mat:
    if field.symbolic:
        return _inverse_adjugate(a)
    fast = fastmat.inverse(a)
    if fast is not None:
        return fast
    n = len(a)
    m = [row[:] + ident for row, ident in zip(a, identity(n))]
    floor = _floor(a, field)
    for k in range(n):
        p = _pivot(m, k, field, floor)
        if p is None:
            raise Singular("singular matrix")
        m[k], m[p] = m[p], m[k]
        inv_pivot = 1 / m[k][k]
        m[k] = [x * inv_pivot for x in m[k]]
        for i in range(n):
            if i != k:
                factor = m[i][k]
                m[i] = [x - factor * y for x, y in zip(m[i], m[k])]
    return [row[n:] for row in m]


def _inverse_adjugate(a: Mat) -> Mat:
    d = _det_laplace(a)
    if d == 0:
        raise Singular("singular matrix")
    return [[x / d for x in row] for row in _cofactors_transposed(a)]


def kron(a: Mat, b: Mat) -> Mat:
    """The Kronecker product: entry ((i, k), (j, l)) is a_ij b_kl, row (i, k) being i*r + k."""
    return [[x * y for x in ra for y in rb] for ra in a for rb in b]


def vec(a: Mat) -> Mat:
    """The columns of ``a`` stacked into one column."""
    return [[a[i][j]] for j in range(len(a[0])) for i in range(len(a))]


def hadamard(a: Mat, b: Mat) -> Mat:
    return [[x * y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]


def adjugate(a: Mat, field: Field) -> Mat:
    """adj(A), a polynomial in the entries, so defined for a singular A too.

    Symbolic entries: cofactors.  Otherwise det(A) A⁻¹ where A is invertible (fast, and
    stable in floating point), and at a singular (or, in floating point, nearly singular)
    point the Faddeev–LeVerrier recurrence, which divides only by whole numbers."""
    if field.symbolic:
        return _cofactors_transposed(a)
    try:
        return scale(det(a, field), inverse(a, field))
    except (Singular, Unreliable):
        return _adjugate_faddeev(a, field)


def _cofactors_transposed(a: Mat) -> Mat:
    n = len(a)
    if n == 1:
        return [[1]]
    cof = [[(-1) ** (i + j) * _det_laplace([r[:j] + r[j + 1:] for k, r in enumerate(a) if k != i])
            for j in range(n)] for i in range(n)]
    return transpose(cof)


def _faddeev(a: Mat, field: Field) -> Mat:
    """M_n of the Faddeev–LeVerrier recurrence: M_1 = I, M_k = A M_(k-1) + c_(n-k+1) I with
    c_(n-k) = -tr(A M_k)/k, the c being the coefficients of det(tI - A)."""
    n = len(a)
    m = identity(n)
    for k in range(1, n):
        m = matmul(a, m)
        c = -trace(m) / field.whole(k)
        m = [[x + c if i == j else x for j, x in enumerate(row)] for i, row in enumerate(m)]
    return m


def _adjugate_faddeev(a: Mat, field: Field) -> Mat:
    """adj(A) = (-1)^(n-1) M_n."""
    m = _faddeev(a, field)
    return m if len(a) % 2 == 1 else scale(-1, m)


def _det_faddeev(a: Mat, field: Field) -> Any:
    """det A = (-1)^n c_0 = (-1)^(n-1) tr(A M_n) / n, division-free but for whole numbers: a
    matrix of jets whose standard part is singular keeps its infinitesimal part."""
    n = len(a)
    value = trace(matmul(a, _faddeev(a, field))) / field.whole(n)
    return value if n % 2 == 1 else -value


def _floor(a: Mat, field: Field) -> Any:
    if not field.relative:
        return 0
    return field.relative * max(field.size(x) for row in a for x in row)


def _pivot(m: Mat, k: int, field: Field, floor: Any = 0) -> int | None:
    """Row index of the best pivot in column k at or below row k, or None if all are zero;
    ``Unreliable`` if the best is nonzero but not above ``floor``."""
    best, best_size = None, 0
    for i in range(k, len(m)):
        size = field.size(m[i][k])
        if size != 0 and (best is None or size > best_size):
            best, best_size = i, size
    if best is not None and best_size <= floor:
        raise Unreliable("a matrix is singular to working precision")
    return best
