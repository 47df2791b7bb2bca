"""Infinite series and limits for the numeric test, never taken on trust.

An extrapolation method returns a number for almost anything: mpmath's ``nsum`` sums
1 - 1 + 1 - ... to 1/2 and 1 + 2 + 4 + ... to -1, and Richardson extrapolation of sin(1/x)
near 0 returns a value.  So a value is accepted only with evidence that it is one:

- **a series** is summed term by term until the terms shrink geometrically and the tail they
  bound is below the working precision (the ratio test, read off the terms); otherwise the
  terms and the dyadic blocks S(2N) - S(N) must shrink steadily (which the harmonic series,
  1 - 1 + 1 - ... and any series whose terms do not tend to 0 fail), and two extrapolations
  of the partial sums (mpmath's Richardson and Levin transforms) must agree to the working
  precision;
- **a limit** is extrapolated by mpmath from x = a ± 1/k and, independently, from
  x = a ± 2^-k (k and 2^k at infinity); the two must agree to the working precision, relative
  to the limit and to f at the sample closest to the point, where f must have settled; a
  two-sided limit needs both sides to agree.

A series whose terms do not shrink by the ratio test is ``Divergent``: it diverges on a
region the assumptions allow, and the claim is inconclusive at once.  Anything else is
``Unreliable``: the engine replaces the point, and a claim whose series or limits never
settle is inconclusive, never verified.  The engine also repeats every point at
higher precision, where these checks run again with more digits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath

from .evaluate import NotApplicable, TooLarge, Unreliable

#: Terms summed directly before the series is treated as slowly convergent.
DIRECT_TERMS = 512
#: Terms of a slowly convergent series: dyadic blocks up to this many.
SLOW_TERMS = 256
#: A window's largest term over the previous window's, at most, for a geometric tail bound.
GEOMETRIC_RATIO = mpmath.mpf(1) / 2
WINDOW = 8
#: Each of the last dyadic blocks (and its largest term) is at most this times the one before.
BLOCK_RATIO = mpmath.mpf(3) / 4
#: At the sample closest to the point, f is within this fraction of the extrapolated limit,
#: or its distance to it is at most APPROACH times that of the sample twice as far (a large
#: parameter can keep f far from its limit there; extrapolation is then no evidence).
SETTLED = mpmath.mpf(1) / 100
APPROACH = mpmath.mpf(6) / 10
#: Samples x = 2^k at infinity go up to 2^28, below where exp and trigonometric functions
#: are still evaluated (``backends.MAX_EXP_ARGUMENT``).
DOUBLINGS = 28
#: Extra digits for summing terms directly.
EXTRA_DIGITS = 10


def infinite_sum(term: Callable[[int], Any], low: int, guard_digits: int) -> Any:
    """Σ_{k ≥ low} term(k) at the working precision, or ``Unreliable``."""
    digits = mpmath.mp.dps
    with mpmath.workdps(digits + EXTRA_DIGITS):
        terms: list[Any] = []
        sums: list[Any] = []
        total: Any = mpmath.mpf(0)
        epsilon = mpmath.mpf(10) ** -(digits - guard_digits)
        for k in range(DIRECT_TERMS):
            value = _number(term(low + k))
            terms.append(value)
            total = total + value
            sums.append(total)
            if len(terms) >= 3 * WINDOW and len(terms) % WINDOW == 0:
                tail = _geometric_tail(terms)
                if tail is not None and tail <= epsilon * abs(total):
                    return _kept(total, terms, digits - guard_digits)
            if len(terms) == SLOW_TERMS and _dyadic_decay(terms, sums):
                break
        else:
            if _diverges(terms):
                raise Divergent("an infinite series diverges at a point the assumptions allow (its "
                                "terms do not shrink); state the identity where it converges")
            raise Unreliable("an infinite series does not converge visibly (its terms or its "
                             "dyadic blocks do not shrink)")
    return _kept(_extrapolated(term, low, epsilon), terms, digits - guard_digits)


class Divergent(NotApplicable):
    """The series diverges by the ratio test: not a point to replace, since a series that
    diverges at one point diverges on a whole region the assumptions allow (Σ xᵏ for |x| > 1),
    where the identity, as stated, says nothing true."""


def _diverges(terms: list[Any]) -> bool:
    """|t(k+1)/t(k)| is at least 1 over the last window and not falling (geometric with
    |r| >= 1, k! xᵏ): divergence.  A falling ratio (xᵏ/k! for a large x, still before its
    largest term) proves nothing."""
    ratios = [abs(b) / abs(a) for a, b in zip(terms[-2 * WINDOW - 1:], terms[-2 * WINDOW:]) if a != 0]
    if len(ratios) < 2 * WINDOW:
        return False
    earlier, last = ratios[:WINDOW], ratios[WINDOW:]
    return min(last) >= 1 and sum(last) >= sum(earlier) * (1 - mpmath.mpf(10) ** -3)


def _number(value: Any) -> Any:
    if isinstance(value, list) and len(value) == 1 and len(value[0]) == 1:
        value = value[0][0]
    if not isinstance(value, (mpmath.mpf, mpmath.mpc)):
        raise NotApplicable("a series or limit of a perturbed value (a derivative through it)")
    return value


def _kept(total: Any, terms: list[Any], digits: int) -> Any:
    """``total``, once no more digits cancelled than the working precision keeps."""
    largest = max(abs(t) for t in terms)
    if largest and abs(total) * mpmath.mpf(10) ** digits < largest:
        raise Unreliable("an infinite series cancels below the working precision")
    return +total


def _geometric_tail(terms: list[Any]) -> Any | None:
    """A bound on the rest of the series when the last windows of terms shrink at least
    geometrically (ratio q <= 1/2): the tail is below the last window's largest term times
    WINDOW q / (1 - q).  None when they do not."""
    windows = [max(abs(t) for t in terms[i:i + WINDOW]) for i in range(len(terms) - 3 * WINDOW, len(terms), WINDOW)]
    if windows[-1] == 0:
        return mpmath.mpf(0) if windows[0] == 0 else None
    if not all(b <= a * GEOMETRIC_RATIO for a, b in zip(windows, windows[1:])):
        return None
    q = windows[-1] / windows[-2]
    return windows[-1] * WINDOW * q / (1 - q)


def _dyadic_decay(terms: list[Any], sums: list[Any]) -> bool:
    """The last dyadic blocks S(2N) - S(N), and their largest terms, each shrink by
    BLOCK_RATIO or more: what a convergent series with terms like 1/k² or (-1)^k/k shows, and
    a divergent one (1/k, 1/(k log k), (-1)^k) does not."""
    sizes = []
    n = 8
    while 2 * n <= len(terms):
        block = sums[2 * n - 1] - sums[n - 1]
        sizes.append(max(abs(block), max(abs(t) for t in terms[n:2 * n])))
        n *= 2
    return all(b <= a * BLOCK_RATIO for a, b in zip(sizes[-4:], sizes[-3:])) and sizes[-1] > 0


def _extrapolated(term: Callable[[int], Any], low: int, epsilon: Any) -> Any:
    """The sum of a slowly convergent series, when two extrapolations of its partial sums
    agree: Richardson's (sums like S + c/N + ...) and Levin's (also alternating sums)."""
    f = lambda k: _number(term(int(k)))  # noqa: E731
    first, second = (mpmath.nsum(f, [low, mpmath.inf], method=m) for m in ("richardson", "levin"))
    if abs(first - second) <= epsilon * abs(first):
        return first
    raise Unreliable("an infinite series converges too slowly to settle at the working precision")


def limit(f: Callable[[Any], Any], point: Any, sides: tuple[int, ...], guard_digits: int,
          infinite: bool = False) -> Any:
    """lim f(x) as x → point from each side in ``sides`` (+1: from above, -1: from below);
    at infinity ``point`` is ignored and the side is the sign of infinity.

    mpmath extrapolates from x = point ± 1/k and, independently, from x = point ± 2^-k
    (x = ±k and ±2^k at infinity); the two must agree, relative to the limit and to f at
    the sample closest to the point, and f must have settled there (``_settled``)."""
    digits = mpmath.mp.dps
    epsilon = mpmath.mpf(10) ** -(digits - guard_digits)
    g = lambda x: _number(f(x))  # noqa: E731
    values = []
    for side in sides:
        at = mpmath.inf * side if infinite else point
        if infinite:
            closest, before = (g(side * mpmath.mpf(2) ** j) for j in (DOUBLINGS, DOUBLINGS - 1))
        else:
            closest, before = (g(point + side * mpmath.mpf(2) ** -j) for j in (DOUBLINGS, DOUBLINGS - 1))
        estimates = [_extrapolate(g, at, side, e, infinite, digits) for e in (False, True)]
        scale = max(abs(closest), *map(abs, estimates))
        if not (_settled(closest, before, estimates[1], scale)
                and abs(estimates[0] - estimates[1]) <= epsilon * scale):
            raise Unreliable("a limit does not settle (the function oscillates, grows without "
                             "bound, or converges too slowly)")
        values.append((estimates[1], scale))
    if len(values) == 2:
        (a, sa), (b, sb) = values
        if not abs(a - b) <= epsilon * max(sa, sb, abs(a), abs(b)):
            raise Unreliable("the one-sided limits differ")
    return +values[-1][0]


def _extrapolate(g: Callable[[Any], Any], at: Any, side: int, doubling: bool, infinite: bool,
                 digits: int) -> Any:
    """mpmath's extrapolation; samples 2^k at infinity stop at 2^DOUBLINGS where a larger
    argument is too large to evaluate (exp, trigonometric functions)."""
    try:
        return mpmath.limit(g, at, direction=side, exp=doubling, maxterms=2 * digits)
    except TooLarge:
        if not (doubling and infinite):
            raise
        return mpmath.limit(g, at, direction=side, exp=True, maxterms=DOUBLINGS)


def _settled(closest: Any, before: Any, limit: Any, scale: Any) -> bool:
    """f at the sample closest to the point is within SETTLED of the limit, or at least its
    distance to the limit shrank (by APPROACH or more) from the sample twice as far."""
    distance = abs(closest - limit)
    return distance <= SETTLED * scale or distance <= APPROACH * abs(before - limit)
