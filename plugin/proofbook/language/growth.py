"""How large the exact value of an expression can get: a bound checked while parsing.

The verifier evaluates expressions exactly, at random rational points, and the parser folds
constant exponents; both cost time and memory in proportion to the size of the numbers
involved.  A bound on the nesting pattern is not enough (``x**((2**64*1)**64)`` slips past a
check of directly nested powers), so every node gets an upper bound on the number of bits of
its exact value, computed from the tree alone: a literal counts its own bits, a symbol the bits
of a sampled value, a product the sum of its factors', a power its base's times the exponent.
An expression over ``MAX_BITS`` (or whose literals combine into a number over
``MAX_CONSTANT_BITS``) is refused before anything is computed, in the parent process as in
the workers, so a false identity can never hide behind a value too large to evaluate or print.
"""

from __future__ import annotations

import math

from sympy import (
    Add, Basic, Determinant, Inverse, MatAdd, MatMul, MatPow, Mul, Pow, Symbol, Trace, binomial,
    factorial,
)

#: About 315,000 decimal digits: exact arithmetic on such numbers takes milliseconds.
MAX_BITS = 2**20
#: The literals of an expression may be combined into one number (folding an exponent, printing
#: a fraction): at most about 4,200 digits, under the 4,300 Python converts to text at all.
MAX_CONSTANT_BITS = 14_000
#: Bits of a sampled real value (random rationals have numerators below 10**6), and of an
#: integer one (sampled in -8..8; dimensions are at most 12).
REAL_BITS = 32
INTEGER_BITS = 4
#: The largest value an integer symbol takes: a dimension, an index or a sampled integer.
MAX_INTEGER_VALUE = 12
#: Inverses and determinants of n x n matrices multiply entry sizes by about n (n <= 12).
MATRIX_FACTOR = 12
_MATRIX_EXTRA = 4  # log2(12): the terms of a matrix product's entries


def digits(bits: int) -> int:
    """Decimal digits of a number of ``bits`` bits, for messages."""
    return math.ceil(bits * math.log10(2))


class Growth:
    """Memoized size bounds of SymPy trees; never computes a value.

    ``size(expr)`` is ``(bits, numbers)``: a bound on the bits of the exact value at a random
    point, and on the bits of the number that SymPy (printing a fraction, say) may combine the
    expression's literals into, as 99**(-4032) out of ``(99*x)**63**(-64)``."""

    def __init__(self) -> None:
        self._memo: dict[Basic, tuple[int, int]] = {}

    def size(self, expr: Basic) -> tuple[int, int]:
        found = self._memo.get(expr)
        if found is None:
            bits, numbers = self._size(expr)
            found = self._memo[expr] = (int(min(bits, _CAP)), int(min(numbers, _CAP)))
        return found

    def _size(self, expr: Basic) -> tuple[int, int]:
        if expr.is_Rational:
            width = max(int(expr.p).bit_length(), int(expr.q).bit_length(), 1)
            return width, width
        if isinstance(expr, Symbol):
            return (INTEGER_BITS if expr.is_integer else REAL_BITS), 0
        if not expr.args:
            return REAL_BITS, 0  # matrix symbols, pi, E, identity and zero matrices
        children = [self.size(arg) for arg in expr.args]
        bits, numbers = [b for b, _ in children], sum(n for _, n in children)
        if isinstance(expr, (Pow, MatPow)):
            return self._power(expr.args[0], expr.args[1])
        if isinstance(expr, (Mul, MatMul)):
            return sum(bits) + (_MATRIX_EXTRA * len(bits) if isinstance(expr, MatMul) else 0), numbers
        if isinstance(expr, (Add, MatAdd)):
            return max(bits) + len(bits).bit_length(), numbers
        if isinstance(expr, (Inverse, Determinant)):
            return bits[0] * MATRIX_FACTOR + _MATRIX_EXTRA, numbers
        if isinstance(expr, Trace):
            return bits[0] + _MATRIX_EXTRA, numbers
        if isinstance(expr, (factorial, binomial)):
            return self._combinatorial(expr, bits, numbers)
        return max(bits), numbers

    def _power(self, base: Basic, exponent: Basic) -> tuple[int, int]:
        """A constant exponent p/q multiplies the base's sizes by |p|; a symbolic one that only
        takes integer values by the largest value it can take; any other is evaluated
        numerically, where sizes do not grow."""
        (bits, numbers), (exp_bits, exp_numbers) = self.size(base), self.size(exponent)
        if exponent.is_Rational:
            factor = max(abs(int(exponent.p)), 1)
            return bits * factor, numbers * factor
        if all(symbol.is_integer for symbol in exponent.free_symbols):
            largest = _magnitude(exponent)
            factor = 2 ** min(exp_bits, 64) if largest is None else largest
            return bits * factor, numbers * factor + exp_numbers
        return bits + exp_bits, numbers + exp_numbers


    @staticmethod
    def _combinatorial(expr: Basic, bits: list[int], numbers: int) -> tuple[int, int]:
        """m! has at most m log2(m) bits, and binomial(n, k) at most |n| + |k| (it is below
        2^|n| for n >= 0, and (-1)^k binomial(k - n - 1, k) for n < 0)."""
        m = sum(_magnitude(arg) or 2 ** min(b, 64) for arg, b in zip(expr.args, bits))
        size = m if isinstance(expr, binomial) else int(m * math.log2(m + 1))
        return size, (numbers + size if not expr.free_symbols else numbers)


def _magnitude(expr: Basic) -> int | None:
    """A bound on the absolute value of an integer-valued exponent such as n + (n - 1)*(n - 2),
    with every integer symbol at most MAX_INTEGER_VALUE in size; None when unknown."""
    if expr.is_Rational:
        return -(-abs(int(expr.p)) // int(expr.q))  # ceil |p/q| in plain ints
    if isinstance(expr, Symbol):
        return MAX_INTEGER_VALUE if expr.is_integer else None
    parts = [_magnitude(arg) for arg in expr.args]
    if None in parts or not isinstance(expr, (Add, Mul, Pow)):
        return None
    if isinstance(expr, Pow):
        _, exponent = expr.args
        if not (exponent.is_Integer and exponent > 0):
            return None
        return min(parts[0] ** min(int(exponent), 64), _CAP)  # type: ignore[operator]
    return min(sum(parts) if isinstance(expr, Add) else math.prod(parts), _CAP)  # type: ignore[arg-type]


_CAP = 2 * MAX_BITS * MAX_BITS  # sizes beyond any limit are all the same
