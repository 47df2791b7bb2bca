"""Products, inverses and determinants for the exact test in C (python-flint's ``fmpq_mat``).

The exact test's matrices hold rationals or ``Jet``s of rationals (derivatives by infinitesimal
perturbation).  Entry by entry, a product costs n^3 jet multiplications in Python; here a
matrix of jets becomes a jet of matrices -- one ``fmpq_mat`` per set of tags, or per direction
of a ``Tangent`` -- and the same algebra runs on whole matrices:

- (A0 + N)(B0 + M) multiplies the components whose tags are disjoint (each tag squares to 0);
- (A0 + N)^-1 = sum_m (-A0^-1 N)^m A0^-1, finite because N is nilpotent;
- det(A0 + N) = det(A0) exp(tr log(I + A0^-1 N)), with the series of log and exp finite too.

Every function returns None when a matrix does not fit (an irrational value, flint missing,
a singular standard part in a determinant), and the caller takes the entrywise path.
"""

from __future__ import annotations

from typing import Any

from . import rationals
from .jet import Inexact, Jet, Tangent, apply

try:
    import flint
except ImportError:  # pragma: no cover - rationals.use_flint(False) covers the fallback
    flint = None  # type: ignore[assignment]  # without python-flint: the fallback

Mat = list[list[Any]]
Tags = frozenset[int]
#: Below this size the conversions cost more than the entrywise arithmetic saves.
MIN_SIZE = 4


class _Unfit(Exception):
    pass


def _usable(*matrices: Mat) -> bool:
    return (rationals.using_flint() and max(len(m) for m in matrices) >= MIN_SIZE
            and all(m and m[0] for m in matrices))


def _split(a: Mat) -> dict[Tags, Any]:
    """A matrix of jets as {tags: fmpq_mat or {direction: fmpq_mat}}."""
    rows, cols = len(a), len(a[0])
    found: dict[Tags, dict[Any, dict[tuple[int, int], Any]]] = {}
    for i, row in enumerate(a):
        for j, x in enumerate(row):
            terms = x.terms if isinstance(x, Jet) else {frozenset(): x}
            for tags, v in terms.items():
                if isinstance(v, Tangent):
                    for k, part in v.parts.items():
                        found.setdefault(tags, {}).setdefault(k, {})[i, j] = _scalar(part)
                else:
                    found.setdefault(tags, {}).setdefault(None, {})[i, j] = _scalar(v)
    result: dict[Tags, Any] = {}
    for tags, groups in found.items():
        if None in groups and len(groups) > 1:
            raise _Unfit()
        mats = {k: _matrix(rows, cols, entries) for k, entries in groups.items()}
        result[tags] = mats.get(None, mats)
    result.setdefault(frozenset(), flint.fmpq_mat(rows, cols))
    return result


def _scalar(v: Any) -> Any:
    if isinstance(v, (Jet, Tangent, Inexact)):
        raise _Unfit()
    if isinstance(v, int):
        return flint.fmpq(v)
    if not rationals.is_rational(v):
        raise _Unfit()
    return v


def _matrix(rows: int, cols: int, entries: dict[tuple[int, int], Any]) -> Any:
    m = flint.fmpq_mat(rows, cols)
    for (i, j), v in entries.items():
        m[i, j] = v
    return m


def _join(parts: dict[Tags, Any], rows: int, cols: int) -> Mat:
    """Back to a matrix of jets (plain rationals where no tag remains)."""
    if set(parts) == {frozenset()}:
        m = parts[frozenset()]
        return [[m[i, j] for j in range(cols)] for i in range(rows)]
    out = []
    for i in range(rows):
        row = []
        for j in range(cols):
            terms = {}
            for tags, m in parts.items():
                terms[tags] = Tangent({k: p[i, j] for k, p in m.items()}) if isinstance(m, dict) else m[i, j]
            row.append(Jet(terms))
        out.append(row)
    return out


def _times(a: Any, b: Any) -> Any:
    if isinstance(a, dict):
        if isinstance(b, dict):
            raise _Unfit()
        return {k: m * b for k, m in a.items()}
    if isinstance(b, dict):
        return {k: a * m for k, m in b.items()}
    return a * b


def _plus(a: Any, b: Any) -> Any:
    if isinstance(a, dict) or isinstance(b, dict):
        if not (isinstance(a, dict) and isinstance(b, dict)):
            raise _Unfit()
        out = dict(a)
        for k, m in b.items():
            out[k] = out[k] + m if k in out else m
        return out
    return a + b


def _product(a: dict[Tags, Any], b: dict[Tags, Any]) -> dict[Tags, Any]:
    out: dict[Tags, Any] = {}
    for t1, m1 in a.items():
        for t2, m2 in b.items():
            if t1 & t2:
                continue
            p = _times(m1, m2)
            key = t1 | t2
            out[key] = _plus(out[key], p) if key in out else p
    return out


def matmul(a: Mat, b: Mat) -> Mat | None:
    if not _usable(a, b):
        return None
    try:
        return _join(_product(_split(a), _split(b)), len(a), len(b[0]))
    except _Unfit:
        return None


def _nilpotent_series(a: Mat) -> tuple[Any, Any, dict[Tags, Any], int] | None:
    """(A0, A0^-1, X = A0^-1 N, number of tags) for A = A0 + N; None if A0 is singular."""
    parts = _split(a)
    standard = parts.pop(frozenset())
    try:
        inverse = standard.inv()
    except ZeroDivisionError:
        return None
    x = _product({frozenset(): inverse}, parts)
    return standard, inverse, x, len(frozenset().union(*parts))


def inverse(a: Mat) -> Mat | None:
    """A^-1, or None to take the entrywise path (which also reports a singular matrix)."""
    if not _usable(a):
        return None
    try:
        found = _nilpotent_series(a)
        if found is None:
            return None
        _, inv0, x, order = found
        minus_x = {t: _times(flint.fmpq(-1), m) for t, m in x.items()}
        term: dict[Tags, Any] = {frozenset(): inv0}
        total = dict(term)
        for _ in range(order):
            term = _product(minus_x, term)
            for t, m in term.items():
                total[t] = _plus(total[t], m) if t in total else m
        return _join(total, len(a), len(a))
    except _Unfit:
        return None


def det(a: Mat) -> Any:
    """det A as a rational or a jet, or None to take the entrywise path."""
    if not _usable(a):
        return None
    try:
        found = _nilpotent_series(a)
        if found is None:
            return None
        standard, _, x, order = found
        d0 = standard.det()
        if order == 0:
            return d0
        log_terms: dict[Tags, Any] = {}
        power = dict(x)
        for m in range(1, order + 1):
            coefficient = flint.fmpq((-1) ** (m + 1), m)
            for t, p in power.items():
                tr = _trace(p)
                scaled = {k: coefficient * v for k, v in tr.items()} if isinstance(tr, dict) else coefficient * tr
                log_terms[t] = _plus(log_terms[t], scaled) if t in log_terms else scaled
            power = _product(power, x)
        log = Jet({t: Tangent(v) if isinstance(v, dict) else v for t, v in log_terms.items()})
        return apply(log, lambda base, k: [d0] * (k + 1))  # d0 * exp(log), log nilpotent
    except _Unfit:
        return None


def _trace(m: Any) -> Any:
    if isinstance(m, dict):
        return {k: _trace(p) for k, p in m.items()}
    return sum((m[i, i] for i in range(m.nrows())), flint.fmpq(0))
