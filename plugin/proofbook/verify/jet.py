"""Numbers with tagged infinitesimals, for exact derivatives at a point.

A ``Jet`` is ``a + sum c_T e_T`` over sets T of tags, where every tag squares to zero
(e_t * e_t = 0).  Evaluating f at ``x + e_t`` and reading the coefficient of ``e_t`` gives
f'(x) exactly: over ``Fraction`` it is the derivative of a rational function at a rational
point, with no rounding and no symbolic expansion.  Distinct tags keep nested derivatives
apart (d/dx of something that itself contains d/dy).

``INEXACT`` stands for a value that is not rational (log 3, e, sin 1): it absorbs every
operation, so a result that still contains it is known not to be exact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import count
from math import factorial
from typing import Any

Tags = frozenset[int]
_STANDARD: Tags = frozenset()
_fresh = count(1)


def new_tag() -> int:
    """A tag no other perturbation uses."""
    return next(_fresh)


class Inexact:
    """An irrational value in exact arithmetic; every operation on it stays inexact."""

    _instance: Inexact | None = None

    def __new__(cls) -> Inexact:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "INEXACT"

    def _absorb(self, other: object = None) -> Any:
        # A jet keeps its infinitesimal part: Jet's own operators put INEXACT into its terms.
        return NotImplemented if isinstance(other, Jet) else self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _absorb
    __truediv__ = __rtruediv__ = __neg__ = __pos__ = __pow__ = _absorb


INEXACT = Inexact()


class Jet:
    """``standard + infinitesimal part``; coefficients live in any field (Fraction, mpmath numbers)."""

    __slots__ = ("terms",)

    def __init__(self, terms: dict[Tags, Any]) -> None:
        self.terms = terms

    @staticmethod
    def variable(value: Any, tag: int) -> Jet:
        """``value + e_tag``."""
        return Jet({_STANDARD: value, frozenset((tag,)): 1})

    @property
    def standard(self) -> Any:
        return self.terms.get(_STANDARD, 0)

    def coefficient(self, tags: Tags) -> Any:
        return self.terms.get(tags, 0)

    def tags(self) -> Tags:
        return frozenset().union(*self.terms)

    def __repr__(self) -> str:
        return f"Jet({self.terms!r})"

    def _mpmath_(self, prec: int, rounding: str) -> Any:
        """Refuse conversion at once, so ``mpf + jet`` falls through to ``Jet.__radd__``
        (mpmath would otherwise build ``repr(self)`` for an error message it then drops)."""
        raise TypeError("a Jet is not an mpmath number")

    # arithmetic ---------------------------------------------------------------------------

    def __add__(self, other: Any) -> Jet:
        terms = dict(self.terms)
        for key, value in _terms(other).items():
            terms[key] = terms[key] + value if key in terms else value
        return Jet(terms)

    __radd__ = __add__

    def __neg__(self) -> Jet:
        return Jet({k: -v for k, v in self.terms.items()})

    def __sub__(self, other: Any) -> Jet:
        return self + (-other)

    def __rsub__(self, other: Any) -> Jet:
        return (-self) + other

    def __mul__(self, other: Any) -> Jet:
        if not isinstance(other, Jet):
            return Jet({k: v * other for k, v in self.terms.items()})
        terms: dict[Tags, Any] = {}
        for k1, v1 in self.terms.items():
            for k2, v2 in other.terms.items():
                if k1 & k2:
                    continue
                key = k1 | k2
                terms[key] = terms[key] + v1 * v2 if key in terms else v1 * v2
        return Jet(terms)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Jet:
        return self * reciprocal(other) if isinstance(other, Jet) else Jet(
            {k: v / other for k, v in self.terms.items()})

    def __rtruediv__(self, other: Any) -> Any:
        return reciprocal(self) * other

    def __pow__(self, k: int) -> Any:
        if not isinstance(k, int):
            return NotImplemented
        if k < 0:
            return reciprocal(self) ** (-k)
        result: Any = 1
        for _ in range(k):
            result = self * result
        return result


class Tangent:
    """Many first-order directions in one coefficient: ``sum_k parts[k] d_k``.

    A gradient moves every entry of a matrix in one evaluation: entry k by ``e_g d_k``, with
    one tag g for all entries and the direction d_k in the coefficient, where d_j d_k = 0 for
    all j, k (first order in each direction).  The terms of a jet that hold e_g multiply only
    with terms free of it, so a Tangent is only ever added to a Tangent or scaled by a
    number.  An operation then costs as much as the directions present in its operands,
    instead of one evaluation of the whole expression per direction.
    """

    __slots__ = ("parts",)

    def __init__(self, parts: dict[int, Any]) -> None:
        self.parts = parts

    def __repr__(self) -> str:
        return f"Tangent({self.parts!r})"

    def _mpmath_(self, prec: int, rounding: str) -> Any:
        raise TypeError("a Tangent is not an mpmath number")

    def __add__(self, other: Any) -> Any:
        if not isinstance(other, Tangent):
            return self if _is_zero(other) else NotImplemented
        parts = dict(self.parts)
        for k, v in other.parts.items():
            parts[k] = parts[k] + v if k in parts else v
        return Tangent(parts)

    __radd__ = __add__

    def __neg__(self) -> Tangent:
        return Tangent({k: -v for k, v in self.parts.items()})

    def __sub__(self, other: Any) -> Any:
        return self + (-other)

    def __rsub__(self, other: Any) -> Any:
        return (-self) + other

    def __mul__(self, other: Any) -> Any:
        if isinstance(other, (Tangent, Jet)):
            raise TypeError("a Tangent is only scaled by a number")
        return Tangent({k: v * other for k, v in self.parts.items()})

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Tangent:
        return Tangent({k: v / other for k, v in self.parts.items()})


def _is_zero(value: Any) -> bool:
    return not isinstance(value, (Jet, Inexact)) and value == 0


def component(value: Any, k: int) -> Any:
    """Direction k of a value whose infinitesimal coefficients are Tangents (from
    ``coefficient``): a number, or a jet in the tags that remain."""
    if isinstance(value, Tangent):
        return value.parts.get(k, 0)
    if isinstance(value, Jet):
        return _simplified({key: component(v, k) for key, v in value.terms.items()})
    return value


def _simplified(terms: dict[Tags, Any]) -> Any:
    return Jet(terms) if any(terms) else terms.get(_STANDARD, 0)


def _terms(value: Any) -> dict[Tags, Any]:
    return value.terms if isinstance(value, Jet) else {_STANDARD: value}


def standard(value: Any) -> Any:
    """The standard part of a jet, or the value itself."""
    return value.standard if isinstance(value, Jet) else value


def coefficient(value: Any, tags: Sequence[int]) -> Any:
    """The coefficient of the product of the given tags, as a jet in the other tags (0 when
    absent; unknown for INEXACT).

    The other tags stay: in d/dy (y * d/dx f) the inner derivative is read off a value that
    still carries the outer perturbation of y, and dropping it would lose d/dy of d/dx f.
    """
    if isinstance(value, Inexact):
        return INEXACT
    if not isinstance(value, Jet):
        return 0
    wanted = frozenset(tags)
    return _simplified({key - wanted: v for key, v in value.terms.items() if wanted <= key})


def reciprocal(value: Any) -> Any:
    """1 / value, by the geometric series of the nilpotent part."""
    return apply(value, lambda a, order: [(-1) ** m * factorial(m) / a ** (m + 1) for m in range(order + 1)])


def apply(value: Any, derivatives: Callable[[Any, int], list[Any]]) -> Any:
    """f(value) by Taylor expansion: ``derivatives(a, k)`` lists f(a), f'(a), ..., f^(k)(a).

    The expansion is finite because a product of more infinitesimals than there are tags
    vanishes.
    """
    if not isinstance(value, Jet):
        return derivatives(value, 0)[0]
    base = value.standard
    nilpotent = Jet({k: v for k, v in value.terms.items() if k})
    order = len(value.tags())
    coeffs = derivatives(base, order)
    result: Any = coeffs[0]
    power: Any = 1
    for m in range(1, order + 1):
        power = nilpotent * power
        result = result + power * _divide(coeffs[m], factorial(m))
    return result


def _divide(value: Any, k: int) -> Any:
    return value / Fraction(k) if isinstance(value, (int, Fraction)) else value / k
