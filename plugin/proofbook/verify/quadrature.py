"""Definite integrals for the numeric test, with an error estimate, split at kinks, and
differentiable: the integrand may hold infinitesimals (``Jet``), and so may the bounds.

``∫_lo^hi f(x) dx`` becomes ``∫_0^1 f(lo + (hi - lo) u) (hi - lo) du``, summed by tanh-sinh
quadrature (mpmath's nodes) level by level; each level halves the step, and the change
between levels estimates the error.  Since the sum is linear, a jet-valued integrand gives
the derivatives of the integral with respect to anything it depends on, bounds included
(d/dy ∫_0^y g = g(y) comes out of the substitution).  Where |g| or a fractional power has a
kink inside the interval, the interval is split there first, so the rule meets smooth pieces.
For an antiderivative (``locate_poles``), whose constant may jump at a pole of the integrand,
a piece that does not settle is halved, and the halves are integrated in turn: a pole stays
unsettled in one or two ever smaller pieces around it, and once the failure is confined to
2^-30 of the interval the integrand is taken to be singular there (``Unsettled``).  When more
pieces fail than a pole explains (oscillation everywhere, several poles), the integral is
merely too hard (``Unreliable``).  A point is replaced where an integral is too hard, and a
claim whose integrals never settle is inconclusive; the engine makes an antiderivative claim
inconclusive at the first pole, since another point might lie on the same side of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
from mpmath.calculus.quadrature import TanhSinh

from .evaluate import Unreliable, entries_of
from .jet import Jet, standard

#: Levels of the tanh-sinh rule tried before an integral is declared unreliable.
MAX_DEGREE = 8
#: A relative change between levels that shrank by less than this over two levels: stalled.
STALLED = mpmath.mpf(10) ** -3
#: Points scanned for sign changes of the arguments of kinks.
KINK_SCAN = 48
#: Halvings of a piece that does not settle before the integrand is called singular there.
MAX_HALVINGS = 30
#: Pieces that may fail at one level of halving: two, the halves on either side of a pole.
POLE_PIECES = 2

_rules: dict[int, TanhSinh] = {}


class Unsettled(Unreliable):
    """An integral that does not settle however finely it is cut: the integrand is singular
    (a pole) at the place named."""


def integrate(f: Callable[[Any], Any], lo: Any, hi: Any,
              kinks: list[Callable[[Any], Any]], guard_digits: int, locate_poles: bool = False) -> Any:
    """∫_lo^hi f; ``kinks`` are functions of x whose sign changes mark kinks of f.  With
    ``locate_poles``, a piece that does not settle is halved until it does, or until a pole
    is found (``Unsettled``, naming it); without, it is ``Unsettled`` at once."""
    width = hi - lo
    g = lambda u: f(lo + width * u) * width  # noqa: E731 - the substituted integrand
    cuts = _kink_points([lambda u, k=k: k(standard(lo) + standard(width) * u) for k in kinks])  # type: ignore[misc]
    total: Any = mpmath.mpf(0)
    for a, b in zip(cuts, cuts[1:]):
        total = total + (_halving(g, a, b, guard_digits, lambda u: standard(lo) + standard(width) * u)
                         if locate_poles else _piece(g, a, b, guard_digits))
    return total


def _halving(g: Callable[[Any], Any], a: Any, b: Any, guard_digits: int, x_of: Callable[[Any], Any]) -> Any:
    """∫_a^b g, halving the pieces that do not settle, level by level, so that a pole is told
    from an integrand that is hard everywhere: a pole keeps one or two pieces failing at each
    level, while oscillation makes the failing pieces multiply."""
    total: Any = mpmath.mpf(0)
    failing = [(a, b)]
    for _ in range(MAX_HALVINGS + 1):
        unsettled = []
        for p, q in failing:
            try:
                total = total + _piece(g, p, q, guard_digits)
            except Unsettled as hard:
                unsettled.append((p, q))
                if len(unsettled) > POLE_PIECES:
                    raise Unreliable(str(hard)) from None
        if not unsettled:
            return total
        failing = [half for p, q in unsettled for half in ((p, (p + q) / 2), ((p + q) / 2, q))]
    near = ", ".join(mpmath.nstr(x_of((p + q) / 2), 6) for p, q in failing[::2])
    raise Unsettled(f"the integrand seems singular near {near}")


def _piece(g: Callable[[Any], Any], a: Any, b: Any, guard_digits: int) -> Any:
    ctx = mpmath.mp
    rule = _rules.setdefault(id(ctx), TanhSinh(ctx))
    epsilon = mpmath.mpf(10) ** -(ctx.dps - guard_digits)
    previous: list[Any] = []
    changes: list[Any] = []
    for degree in range(1, MAX_DEGREE + 1):
        h = mpmath.mpf(2) ** -degree
        total: Any = previous[-1] / (h * 2) if previous else mpmath.mpf(0)
        size = mpmath.mpf(0)
        for x, w in rule.get_nodes(a, b, degree, ctx.prec):
            term = g(x) * w
            total = total + term
            size += max(abs(v) for v in _parts(term))
        previous.append(total * h)
        if degree >= 3:
            change = max(abs(u - v) for u, v in zip(_parts(previous[-1]), _parts(previous[-2])))
            scale = max([size * h] + [abs(v) for v in _parts(previous[-1])])
            if change <= epsilon * scale:
                return previous[-1]
            changes.append(change / scale if scale else change)
            # tanh-sinh about doubles the digits per level: a change that does not shrink
            # (a pole, an oscillation, a cusp) will not settle at the levels left
            if len(changes) >= 3 and changes[-1] > changes[-3] * STALLED:
                break
    raise Unsettled(f"an integral did not settle to {ctx.dps - guard_digits} digits")


def _parts(value: Any) -> list[Any]:
    """Every number in a value: its standard part and each infinitesimal coefficient."""
    found = []
    for x in entries_of(value):
        if isinstance(x, Jet):
            for v in x.terms.values():
                found.extend(_parts(v))
        elif hasattr(x, "parts"):  # a Tangent: many directions at once
            for v in x.parts.values():
                found.extend(_parts(v))
        else:
            found.append(x)
    return found or [mpmath.mpf(0)]


def _kink_points(kinks: list[Callable[[Any], Any]]) -> list[Any]:
    """0, the zeros in (0, 1) of every kink argument, and 1, in order."""
    cuts = {mpmath.mpf(0), mpmath.mpf(1)}
    grid = [mpmath.mpf(k) / KINK_SCAN for k in range(KINK_SCAN + 1)]
    for kink in kinks:
        values = [_real(kink(u)) for u in grid]
        for (u0, v0), (u1, v1) in zip(zip(grid, values), zip(grid[1:], values[1:])):
            if v0 is None or v1 is None:
                continue
            if v0 == 0:
                cuts.add(u0)
            elif v0 * v1 < 0:
                cuts.add(_bisect(kink, u0, u1, v0))
    return sorted(cuts)


def _real(value: Any) -> Any:
    value = standard(value)
    if isinstance(value, Jet) or getattr(value, "imag", 0) != 0:
        return None
    return value.real if hasattr(value, "real") else value


def _bisect(kink: Callable[[Any], Any], low: Any, high: Any, at_low: Any) -> Any:
    for _ in range(mpmath.mp.prec):
        middle = (low + high) / 2
        value = _real(kink(middle))
        if value is None or value == 0:
            return middle
        if (value < 0) == (at_low < 0):
            low = middle
        else:
            high = middle
    return (low + high) / 2
