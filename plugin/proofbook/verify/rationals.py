"""Exact rationals for the randomized exact test: python-flint's ``fmpq`` (C, arbitrary
precision) when it can be imported, Python's ``Fraction`` otherwise.

Both have the same arithmetic, comparison and printing, so the evaluator never asks which one
it has; only construction and size checks go through this module.  ``use_flint(False)``
switches to the fallback, which the tests use to cover both paths.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

try:
    import flint
except ImportError:  # pragma: no cover - exercised by use_flint(False)
    flint = None  # type: ignore[assignment]  # without python-flint: the fallback

#: The largest exact value the test computes with, in bits of numerator plus denominator; a
#: result beyond it (x**a at x near 10^6 and a near 10^6) makes the exact test step aside.
MAX_BITS = 200_000

_flint = flint is not None


def available() -> bool:
    """True when python-flint can be used."""
    return flint is not None


def use_flint(enabled: bool) -> None:
    """Choose the implementation (``enabled`` is ignored without python-flint)."""
    global _flint
    _flint = enabled and flint is not None


def using_flint() -> bool:
    return _flint


def rational(numerator: int, denominator: int = 1) -> Any:
    """An exact rational of the current implementation."""
    if _flint:
        return flint.fmpq(numerator, denominator)
    return Fraction(numerator, denominator)


def from_fraction(value: Fraction) -> Any:
    return rational(value.numerator, value.denominator) if _flint else value


def is_rational(value: Any) -> bool:
    return isinstance(value, Fraction) or (flint is not None and isinstance(value, flint.fmpq))


def parts(value: Any) -> tuple[int, int]:
    """(numerator, denominator) as Python ints."""
    if isinstance(value, Fraction):
        return value.numerator, value.denominator
    return int(value.p), int(value.q)


def bits(value: Any) -> int:
    """The size of an exact rational: bits of its numerator plus its denominator."""
    p, q = parts(value)
    return p.bit_length() + q.bit_length()
