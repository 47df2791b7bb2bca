"""How large the exact value of an expression can get: a bound checked while parsing.

The verifier evaluates expressions exactly, at random rational points, and the parser folds
constant exponents; both cost time and memory in proportion to the size of the numbers
involved.  A bound on the nesting pattern is not enough (``x**((2**64*1)**64)`` slips past a
check of directly nested powers), so every node gets an upper bound on the number of bits of
its exact value, computed from the tree alone: a literal counts its own bits, a symbol the bits
of a sampled value, a product the sum of its factors', a power its base's times the exponent.
An expression over ``MAX_BITS`` is refused before anything is computed, in the parent process
as in the workers, so a false identity can never hide behind a value too large to evaluate.
"""

from __future__ import annotations

import math

from sympy import (
    Add, Basic, Determinant, Inverse, MatAdd, MatMul, MatPow, Mul, Pow, Rational, Symbol, Trace,
)

#: About 315,000 decimal digits: exact arithmetic on such numbers takes milliseconds.
MAX_BITS = 2**20
#: Bits of a sampled real value (random rationals have numerators below 10**6), and of an
#: integer one (sampled in -8..8; dimensions are at most 12).
REAL_BITS = 32
INTEGER_BITS = 4
#: Inverses and determinants of n x n matrices multiply entry sizes by about n (n <= 12).
MATRIX_FACTOR = 12
_MATRIX_EXTRA = 4  # log2(12): the terms of a matrix product's entries


def digits(bits: int) -> int:
    """Decimal digits of a number of ``bits`` bits, for messages."""
    return math.ceil(bits * math.log10(2))


class Growth:
    """Memoized bit bounds of SymPy trees; ``bits`` never computes a value."""

    def __init__(self) -> None:
        self._memo: dict[Basic, int] = {}

    def bits(self, expr: Basic) -> int:
        found = self._memo.get(expr)
        if found is None:
            found = self._memo[expr] = min(self._bits(expr), 2 * MAX_BITS * MAX_BITS)
        return found

    def _bits(self, expr: Basic) -> int:
        if expr.is_Rational:
            return max(int(expr.p).bit_length(), int(expr.q).bit_length(), 1)
        if isinstance(expr, Symbol):
            return INTEGER_BITS if expr.is_integer else REAL_BITS
        if not expr.args:
            return REAL_BITS  # matrix symbols, pi, E, identity and zero matrices
        children = [self.bits(arg) for arg in expr.args]
        if isinstance(expr, (Pow, MatPow)):
            return self._power(expr.args[0], expr.args[1])
        if isinstance(expr, (Mul, MatMul)):
            return sum(children) + (_MATRIX_EXTRA * len(children) if isinstance(expr, MatMul) else 0)
        if isinstance(expr, (Add, MatAdd)):
            return max(children) + len(children).bit_length()
        if isinstance(expr, (Inverse, Determinant)):
            return children[0] * MATRIX_FACTOR + _MATRIX_EXTRA
        if isinstance(expr, Trace):
            return children[0] + _MATRIX_EXTRA
        return max(children)

    def _power(self, base: Basic, exponent: Basic) -> int:
        """A constant exponent p/q multiplies the base's bits by |p|; a symbolic one that only
        takes integer values by the largest value it can take; any other is evaluated
        numerically, where sizes do not grow."""
        if exponent.is_Rational:
            return self.bits(base) * max(abs(int(exponent.p)), 1)
        if all(symbol.is_integer for symbol in exponent.free_symbols):
            return self.bits(base) * 2 ** min(self.bits(exponent), 64)
        return self.bits(base) + self.bits(exponent)
