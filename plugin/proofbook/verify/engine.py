"""Decide one claim ``lhs = rhs``: verified (with evidence), false (with a counterexample) or
inconclusive (with the reason).

Three independent methods run in order of cost, and any mismatch in any of them is final:

1. randomized exact test -- every symbol gets random rationals respecting its assumptions,
   derivatives come from infinitesimal perturbation (``Jet``), both sides are compared
   exactly, for each size in ``random_sizes``;
2. high-precision numeric test -- the same at ``digits`` significant digits (complex where a
   value leaves the reals), for what is not rational (exp, log, trigonometric functions,
   integrals) and as a check at larger sizes;
3. symbolic proof for small sizes -- every entry a SymPy symbol, ``sympy.diff``, and a
   canonical zero test (a rational function as a quotient of polynomials over QQ;
   ``simplify`` only as a last resort for transcendental expressions, never as a disproof),
   under a CPU-time budget.

Seeds derive from the entry id, the claim and the size, so reruns give the same points.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import math
import random
import signal
import threading
import time
from functools import partial
from types import FrameType
from collections.abc import Callable, Iterator
from typing import Any

import mpmath
from sympy import Basic, Derivative, Integral, Limit, S, Sum, binomial, factorial

from ..errors import ProofbookError
from ..language.indices import least_sizes
from ..language.nodes import MatDerivative
from ..language.parse import compile_source
from ..language.symbols import SymbolTable
from ..model import Counterexample, Evidence, Level, Result
from ..numbertext import exact_text
from .antiderivative import with_base_points
from .antiderivative_proof import derivative_proof
from .backends import ExactBackend, NumericBackend, SymbolicBackend
from .claims import Claim, Settings
from .degree import dimension_degree, rational_degree
from .formal import FormalOutcome, decide, degree_bound
from .evaluate import Backend, Env, Evaluator, NotApplicable, TooLarge
from .jet import Inexact, Jet
from .linalg import Singular, Unreliable
from .quadrature import Unsettled
from .zerotest import SymbolicEqual
from .sampling import (
    EXACT_RANGE, MAGNITUDES, TINY, NoParametrisation, Point, Profile, may_be_zero, random_point,
    signed_scalars, symbolic_points,
)

MAX_RESAMPLES = 8
#: A numeric point is given up after this many replacements that all failed the same way.
SAME_FAILURES = 4
#: Digits of the numeric test's working precision not trusted for agreement: rounding in an
#: inverse of a random matrix costs a few; a relative difference above 10^-(digits - 10) is
#: a real discrepancy.
NUMERIC_GUARD_DIGITS = 10
#: The numeric test repeats every point at this many more digits: a difference that stays is
#: real, a difference that shrinks with the precision is rounding, anything else means the
#: point is ill-conditioned and is replaced.
CONFIRM_DIGITS = 30
#: Points for a claim without sizes, at least: sign patterns, zeros and magnitudes.
SCALAR_POINTS = 8
#: The largest size any test uses; a degree bound beyond it leaves the evidence finite.
MAX_SIZE = 12
#: The exact test stops adding points at a size once a false identity passes all of them
#: with probability below 10^-TARGET_DIGITS (Schwartz-Zippel), and never uses more than
#: MAX_EXACT_POINTS there.
TARGET_DIGITS = 12
MAX_EXACT_POINTS = 6
#: Exact points, at least, for a scalar claim with factorials or binomial coefficients.
COMBINATORIAL_POINTS = 16
#: SymPy engines whose answer is evidence once cross-checked, never a proof.
UNTRUSTED = frozenset({"integrate", "simplify", "doit", "limit", "infinite-sum"})


class _Undefined(NotApplicable):
    """No point of a shape where both sides are defined (X Xᵀ singular for X of rank < n):
    the claim says nothing there, so the shape is skipped, not handed to another method."""


class _Mismatch(Exception):
    def __init__(self, counterexample: Counterexample) -> None:
        super().__init__(counterexample.describe())
        self.counterexample = counterexample


#: Point failures: the point is replaced (a singular matrix, a pole, a value too large to
#: compute here, an ill-conditioned evaluation); never a counterexample.
_REPLACE = (Singular, ZeroDivisionError, Unreliable, TooLarge, OverflowError)
#: Points per size tried for a counterexample of small integers (sign patterns cycle).
SHRINK_POINTS = 6


def verify_task(task: tuple[Claim, Settings]) -> Result:
    """Entry point for worker processes."""
    return verify_claim(*task)


def verify_claim(claim: Claim, settings: Settings = Settings()) -> Result:
    """Run the methods on one claim and return the verdict; never raises for a bad claim."""
    CpuBudget.reset()
    started = time.perf_counter()
    try:
        table = SymbolTable.build(claim.symbols)
        lhs = compile_source(claim.lhs, table, claim.entry_id)
        rhs = compile_source(claim.rhs, table, claim.entry_id)
        _refuse_impossible_assumptions(table, claim)
        left, right, table, note = with_base_points(lhs.expr, rhs.expr, table, claim.lhs, claim.entry_id)
    except ProofbookError as error:
        return Result("inconclusive", reason=str(error))
    try:
        result = _Checker(claim, table, settings, left, right, note).run()
    except (RecursionError, MemoryError, OverflowError) as error:
        result = Result("inconclusive", reason=f"a value too large to compute ({type(error).__name__})")
    except BudgetExceeded:  # a method's budget outside the method that catches it: never a dead worker
        result = Result("inconclusive", reason="a method ran out of its time budget")
    return dataclasses.replace(result, seconds=round(time.perf_counter() - started, 3))


def _refuse_impossible_assumptions(table: SymbolTable, claim: Claim) -> None:
    for decl in table.decls.values():
        assume = set(decl.assume)
        if {"orthogonal", "positive_definite"} <= assume:
            raise ProofbookError(
                f"'{decl.name}' is assumed orthogonal and positive definite: only the identity "
                "matrix is both.", decl.location or claim.lhs.location, claim.entry_id,
                "Write eye(n) instead, or drop one of the assumptions.")


class _Checker:
    def __init__(self, claim: Claim, table: SymbolTable, settings: Settings,
                 lhs: Basic, rhs: Basic, note: str) -> None:
        self.claim, self.table, self.settings = claim, table, settings
        self.lhs, self.rhs = lhs, rhs
        #: Fixed entries (X[2, n]) and basis vectors exist only from some size on: smaller
        #: sizes are raised to it, and the evidence says so.
        self.least = least_sizes(lhs, rhs)
        self.note = note + "".join(f"; {d} ≥ {k} only, where every fixed entry exists"
                                   for d, k in sorted(self.least.items()))
        free = lhs.free_symbols | rhs.free_symbols
        #: Summation and integration variables: their sampled values mean nothing to a reader.
        self.bound = {str(x.limits[0][0]) for side in (lhs, rhs) for x in side.atoms(Integral, Sum)
                      if x.limits[0][0] not in free}
        self.bound |= {str(x.args[1]) for side in (lhs, rhs) for x in side.atoms(Limit)
                       if x.args[1] not in free}
        #: SymPy's limit and infinite summation only propose a value: the symbolic method's
        #: verdict on such a claim is a cross-check of the numeric one, never final alone.
        self.analytic = any(isinstance(x, Limit) or x.limits[0][2] is S.Infinity
                            for side in (lhs, rhs) for x in side.atoms(Limit, Sum))
        self.dim_names = sorted(table.dims)
        derivatives = [side.count(lambda x: isinstance(x, (Derivative, MatDerivative))) for side in (lhs, rhs)]
        self._rhs_first = derivatives[1] < derivatives[0]
        order = max((c for d in (lhs, rhs) for x in d.atoms(Derivative) for _, c in x.variable_count), default=1)
        self.degree = max(3, int(order) + 3)
        self.signed = signed_scalars(table)
        self.zeroable = [d.name for d in table.decls.values() if may_be_zero(d)]
        self.reasons: list[str] = []
        #: Sizes where the exact test met irrational values; the numeric test covers them.
        self.inexact_sizes: set[int] = set()
        self.exact_everywhere = False
        #: The formal engine's degree bound: an exact test above it sees any difference of
        #: normal forms (and every dimension trap of the product-trace fragment).
        self.degree_bound = self._degree_bound()
        self.top_sizes = self._top_sizes()
        #: Probability bound of the exact test: the largest over the sizes, None if unknown.
        self.false_pass: float | None = 0.0
        #: SymPy engines the symbolic proof relied on (integrate, summation, simplify).
        self.single_engine: set[str] = set()
        #: Why the symbolic candidate for a limit or a series disagrees, when it does.
        self.disagreement: str | None = None

    def run(self) -> Result:
        evidence: list[Evidence] = []
        formal: FormalOutcome | None = None
        try:
            for method in (self._randomized, self._numeric):
                found = method()
                if found:
                    evidence.append(found)
            formal = self._formal(evidence)
            # The formal engine and the exact test above the degree bound prove the claim for
            # every size; a symbolic check at small sizes would add no evidence, only time.
            if not (formal is not None and formal.status == "equal" and self._above_bound(evidence)):
                found = self._symbolic()
                if found:
                    evidence.append(found)
        except _Mismatch as mismatch:
            return Result("false", counterexample=self._simplest(mismatch.counterexample))
        if self.disagreement is not None:
            return Result("inconclusive", reason=f"the engines disagree: the numeric test finds "
                          f"the sides equal, but {self.disagreement}")
        if self.analytic and evidence and not any(e.method == "symbolic" for e in evidence):
            # Extrapolation is fooled by a series or a function that changes course beyond
            # its last sample (Σ 2^-k + k^30/10^200 "converges" to 2): one engine is no verdict.
            why = "; ".join(r for r in self.reasons if r.startswith("symbolic")) or "no value"
            return Result("inconclusive", reason=(
                "a limit or an infinite series is verified only when two engines agree, and "
                f"SymPy proposed no value to cross-check the numeric test ({why})"))
        if formal is not None and formal.status == "different":
            tested = _list(list(next((e.sizes for e in evidence if e.method == "randomized"), ())))
            return Result("inconclusive", reason=(
                f"the engines disagree: the formal engine finds the sides different for large "
                f"sizes ({formal.reason}), but the exact test found no counterexample "
                f"(sizes {tested or 'none'}; degree bound {self.degree_bound})"))
        if formal is not None and formal.status == "equal":
            if any(e.method == "randomized" for e in evidence):
                evidence.append(Evidence("formal", f"formal proof for every size: {formal.reason}"))
            else:
                self.reasons.append("the formal engine finds the sides equal, but no exact test "
                                    "could cross-check it")
        evidence = self._cross_checked(evidence)
        if evidence and all(e.method == "numeric" for e in evidence):
            numeric = evidence[0]
            evidence = [Evidence("numeric", numeric.summary + "; numeric only: no exact method "
                                 "applied", numeric.sizes)]
        if evidence:
            return Result("verified", tuple(evidence), level=self._level(evidence))
        return Result("inconclusive", reason="; ".join(dict.fromkeys(self.reasons)) or "no method applied")

    def _simplest(self, found: Counterexample) -> Counterexample:
        """A counterexample a reader can check by hand, when there is one: the smallest sizes
        first, every value a small integer (1 to 3, signs as the assumptions allow), compared
        exactly.  It is a counterexample in its own right; without one, ``found`` stands."""
        largest = max(found.sizes.values(), default=0)
        backend = ExactBackend()
        evaluate = Evaluator(backend)
        for dims in self._sizes(tuple(range(1, largest + 1))):
            for k in range(SHRINK_POINTS):
                rng, seed = self._rng("shrink", dims, k)
                profile = Profile(k, None, TINY, bool(k % 2))
                try:
                    point = random_point(self.table, dims, backend, rng, True, self.degree, profile)
                    for indices in self._indices(dims):
                        env = {**point.env, **indices}
                        self._compare("exact", *self._sides(evaluate, env),
                                      _exact_equal, dims, point, indices, seed)
                except _Mismatch as simpler:
                    return simpler.counterexample
                except (*_REPLACE, NotApplicable, NoParametrisation):
                    continue
        return found

    def _cross_checked(self, evidence: list[Evidence]) -> list[Evidence]:
        """SymPy's integrate, summation and simplify are never evidence alone."""
        methods = {e.method for e in evidence}
        if "symbolic" in methods and self.single_engine and not methods & {"numeric", "randomized"}:
            self.reasons.append(f"the symbolic proof relies on SymPy's {', '.join(sorted(self.single_engine))}, "
                                "and no other method could cross-check it")
            return [e for e in evidence if e.method != "symbolic"]
        return evidence

    def _degree_bound(self) -> int:
        if not self.dim_names:
            return 0
        try:
            return degree_bound(self.lhs, self.rhs, self.table)
        except Exception:  # noqa: BLE001 - a bound that cannot be read is the largest size
            return MAX_SIZE

    def _formal(self, evidence: list[Evidence]) -> FormalOutcome | None:
        """The formal engine, for claims with matrices, under the symbolic budget."""
        if not any(d.kind in ("vector", "matrix") for d in self.table.decls.values()):
            return None
        budget = CpuBudget(self.settings.symbolic_budget)
        try:
            with budget:
                outcome = decide(self.lhs, self.rhs, self.table)
            budget.confirm()
        except BudgetExceeded:
            self.reasons.append("the formal engine ran out of its budget")
            return None
        except Exception as error:  # noqa: BLE001 - the formal engine is one witness among several
            self.reasons.append(f"the formal engine failed ({type(error).__name__})")
            return None
        return outcome

    def _above_bound(self, evidence: list[Evidence]) -> bool:
        """The exact test agreed at a size above the degree bound (all sizes fixed: no bound)."""
        tested = next((e.sizes for e in evidence if e.method == "randomized"), ())
        return bool(tested) and (not self.dim_names or max(tested) > self.degree_bound)

    def _level(self, evidence: list[Evidence]) -> Level:
        """What the evidence establishes (see ``Level``)."""
        methods = {e.method for e in evidence}
        if "formal" in methods and self._above_bound(evidence):
            return "proved"
        symbolic = next((e for e in evidence if e.method == "symbolic"), None)
        # A proof rests on the canonical zero tests, and on SymPy's closed-form finite sums at
        # most; one that needed integrate, simplify, a limit or an infinite series is
        # evidence, cross-checked, but no proof.
        trusted = symbolic is not None and not self.single_engine & UNTRUSTED
        if trusted and not self.dim_names and methods & {"numeric", "randomized"}:
            return "proved"
        if trusted and self.dim_names and "randomized" in methods:
            tested = next(e.sizes for e in evidence if e.method == "randomized")
            if max(tested) > max(symbolic.sizes):  # type: ignore[union-attr]  # trusted: not None
                return "proved-for-sizes"
        return "tested" if "randomized" in methods else "numeric"

    # -- sizes and points -----------------------------------------------------------------

    def _top_sizes(self) -> tuple[int, ...]:
        """Sizes above the small ones: above the degree bound, never below 6, and enough
        distinct sizes to decide a polynomial in the dimensions."""
        if not self.dim_names:
            return ()
        small = set(self.settings.random_sizes)
        first = min(max(self.settings.least_top_size, self.degree_bound + 1), MAX_SIZE)
        dims = set(self.dim_names)
        wanted = max(dimension_degree(self.lhs, dims), dimension_degree(self.rhs, dims)) + 1
        sizes = [first]
        while len(small | set(sizes)) < wanted and sizes[-1] < MAX_SIZE:
            sizes.append(sizes[-1] + 1)
        return tuple(s for s in sizes if s not in small)

    def _sizes_named(self, sizes: list[int]) -> str:
        """The sizes a method ran at, by the dimensions' own names: "N = 1, 2" for one
        dimension, "size 1, 2 of m, n" for several (a generic n would name none of them)."""
        if len(self.dim_names) == 1:
            return f"{self.dim_names[0]} = {_list(sizes)}"
        return f"size {_list(sizes)} of {', '.join(self.dim_names)}"

    def _sizes(self, sizes: tuple[int, ...], rectangular: bool = True) -> list[dict[str, int]]:
        """Every dimension at each size; with several dimensions also unequal sizes in
        every order that matters, so each of m < n, m = n, m > n is met."""
        if not self.dim_names:
            return [{}]
        result: list[dict[str, int]] = []
        names = self.dim_names
        for s in sizes:
            result.append({d: s for d in names})
            if rectangular and len(names) > 1:
                # every rotation of the increasing order and of the decreasing one: each
                # dimension is once the largest and once the smallest, each pair in both orders
                # (rotations at the small sizes only; above them, where a point is costly, the
                # increasing and the decreasing order)
                small = s <= max(self.settings.random_sizes, default=0)
                for order in (names, names[::-1]):
                    for r in range(len(order) if len(order) > 2 and small else 1):
                        rotated = order[r:] + order[:r]
                        result.append({d: s + k for k, d in enumerate(rotated)})
        raised = ({d: max(v, self.least.get(d, 1)) for d, v in dims.items()} for dims in result)
        return list({tuple(sorted(d.items())): d for d in raised}.values())

    def _profile(self, number: int) -> Profile:
        """The profile of the ``number``-th point of a method (counted across its sizes): all
        sign-free scalars positive, all negative, each one negative alone, then the zeros
        allowed, then random sign patterns; magnitudes and orthogonal components cycle."""
        k = len(self.signed)
        patterns = list(dict.fromkeys([0, (1 << k) - 1] + [1 << i for i in range(k)]))
        magnitude = MAGNITUDES[number % len(MAGNITUDES)]
        reflect = bool(number % 2)
        if number < len(patterns):
            return Profile(patterns[number], None, magnitude, reflect)
        z = number - len(patterns)
        if z < len(self.zeroable):
            return Profile(0, self.zeroable[z], "plain", reflect)
        seed = int(hashlib.sha256(f"{self.claim.label}|{number}".encode()).hexdigest()[:8], 16)
        return Profile(seed % (1 << k) if k else 0, None, magnitude, reflect)

    def _exact_scalar_points(self) -> int:
        """Points of the exact test without dimensions: more where factorials or binomial
        coefficients make the sides no polynomials (no Schwartz-Zippel bound applies)."""
        if any(side.has(factorial, binomial) for side in (self.lhs, self.rhs)):
            return max(self._scalar_points(), COMBINATORIAL_POINTS)
        return self._scalar_points()

    def _scalar_points(self) -> int:
        if not self.lhs.free_symbols | self.rhs.free_symbols:
            return 1  # a constant claim (a series or a limit of numbers): one point decides
        return max(SCALAR_POINTS, 2 + len(self.signed) + len(self.zeroable) + 2)

    def _rng(self, method: str, dims: dict[str, int], attempt: int) -> tuple[random.Random, int]:
        text = f"{self.claim.entry_id}|{self.claim.label}|{method}|{sorted(dims.items())}|{attempt}"
        seed = int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)
        return random.Random(seed), seed

    def _indices(self, dims: dict[str, int]) -> Iterator[dict[str, int]]:
        """Every assignment of the declared index symbols (i, j) within their ranges."""
        names = [d.name for d in self.table.decls.values() if d.kind == "index"]
        ranges = [range(_extent(self.table.decls[n].shape[0], dims)) for n in names]  # type: ignore[index]
        for values in itertools.product(*ranges):
            yield dict(zip(names, values))

    # -- randomized exact test ------------------------------------------------------------

    def _randomized(self) -> Evidence | None:
        sizes = tuple(self.settings.random_sizes) + self.top_sizes if self.dim_names else (0,)
        if not self.settings.random_sizes:
            return None
        backend, evaluate = ExactBackend(), Evaluator(ExactBackend())
        done: list[int] = []
        number = 0
        for dims in self._sizes(sizes):
            n = next(iter(dims.values()), 0)
            points, per_point = self._exact_points(dims)
            try:
                passed = self._points(points, number, partial(
                    self._check_point, "exact", backend, evaluate, dims, equal=_exact_equal))
                number += points
                if per_point is not None and self.false_pass is not None:
                    self.false_pass = max(self.false_pass, per_point ** passed)
            except _Undefined as why:
                self.reasons.append(f"exact test: {_shape(dims)} skipped: {why}")
                continue
            except NotApplicable as why:
                self.inexact_sizes.add(n)
                self.reasons.append(f"exact test not applicable: {why}")
                continue
            if n not in done:
                done.append(n)
        done = [n for n in done if n not in self.inexact_sizes]
        self.exact_everywhere = not self.inexact_sizes and bool(done)
        if not done:
            return None
        where = f"points for each n = {_list(done)}" if self.dim_names else f"{self._exact_scalar_points()} points"
        if self.dim_names and self.dim_names != ["n"]:
            where = f"points at sizes {_list(done)} of {', '.join(self.dim_names)}"
        return Evidence("randomized", f"exact test at random rational points ({where}){self.note}; "
                        f"{self._chance()}", tuple(done))

    def _exact_points(self, dims: dict[str, int]) -> tuple[int, float | None]:
        """Points at one size: ``settings.points`` at the small sizes (their sign and magnitude
        profiles matter), and at least enough for the Schwartz-Zippel bound to reach 10^-12;
        at the sizes above the bound, where a point is costly, only the latter.  Also the
        probability that one point passes a false identity (None: no bound applies)."""
        if not self.dim_names:
            points = self._exact_scalar_points()
        elif max(dims.values()) > max(self.settings.random_sizes, default=0):
            points = 1
        else:
            points = self.settings.points
        d = rational_degree(self.lhs, self.rhs, self.table, dims, self.degree)
        if d is None:
            self.false_pass = None
            return points, None
        per_point = min(1.0, d / EXACT_RANGE)
        if per_point < 1:
            needed = math.ceil(TARGET_DIGITS / -math.log10(per_point))
            points = max(points, min(needed, MAX_EXACT_POINTS))
        return points, per_point

    @staticmethod
    def _points(points: int, first: int, check: Callable[[int], None]) -> int:
        """Run ``check`` on points first .. first + points - 1; a point where the claim is
        undefined is skipped (it says nothing there), and the shape only when all are."""
        passed, undefined = 0, None
        for k in range(first, first + points):
            try:
                check(k)
                passed += 1
            except _Undefined as why:
                if not passed and undefined is not None and str(why) == str(undefined):
                    raise  # twice the same failure before any success: the shape is undefined
                undefined = why
        if not passed:
            assert undefined is not None
            raise undefined
        return passed

    def _chance(self) -> str:
        if self.false_pass is None:
            return "no probability bound (a side is not a rational function of the values)"
        if self.false_pass == 0:
            return "a false identity cannot pass"
        exponent = math.floor(-math.log10(self.false_pass))
        return f"a false identity passes with probability below 10^-{exponent}"

    # -- numeric test ---------------------------------------------------------------------

    def _numeric(self) -> Evidence | None:
        s = self.settings
        if self.dim_names and self.exact_everywhere:
            # The exact test decided every size: one numeric point at n = 2, as an
            # independent engine (floating point, another code path through the arithmetic).
            sizes, points = (min(2, *s.numeric_sizes),), 1
        elif self.dim_names:
            sizes = tuple(sorted(set(s.numeric_sizes) | self.inexact_sizes))  # type: ignore[assignment]
            points = s.numeric_points
        else:
            sizes, points = (0,), self._scalar_points()
        if not sizes or not s.numeric_sizes and not self.inexact_sizes:
            return None
        done: list[int] = []
        number = 0
        for dims in self._sizes(sizes):
            n = next(iter(dims.values()), 0)
            try:
                self._points(points, number, partial(self._numeric_point, dims))
                number += points
            except NotApplicable as why:
                self.reasons.append(f"numeric test not applicable: {why}")
                continue
            if n not in done:
                done.append(n)
        if not done:
            return None
        count = f"{points} point{'s' if points != 1 else ''}"
        where = f"{count} for each {self._sizes_named(done)}" if self.dim_names else count
        return Evidence("numeric", f"numeric test at {s.digits} digits, confirmed at "
                        f"{s.digits + CONFIRM_DIGITS} ({where}){self.note}", tuple(done))

    def _numeric_point(self, dims: dict[str, int], number: int) -> None:
        """One point at two precisions; replaced while it is undefined or ill-conditioned."""
        s = self.settings
        why, seen = "no point found", []
        for attempt in range(MAX_RESAMPLES):
            profile = self._profile(number) if attempt < 2 else self._profile(number).plainer()
            rng_seed = self._rng("numeric", dims, number * MAX_RESAMPLES + attempt)[1]
            try:
                runs = []
                for digits in (s.digits, s.digits + CONFIRM_DIGITS):
                    with mpmath.workdps(digits):
                        backend = NumericBackend(digits, NUMERIC_GUARD_DIGITS, locate_poles=bool(self.note))
                        point = random_point(self.table, dims, backend, random.Random(rng_seed), False,
                                             self.degree, profile)
                        evaluate = Evaluator(backend)
                        runs.append([(indices, *self._sides(evaluate, {**point.env, **indices}))
                                     for indices in self._indices(dims)])
                self._compare_numeric(runs, dims, point, rng_seed)
                return
            except _REPLACE as error:
                if self.note and isinstance(error, Unsettled):
                    # Another point would come from the same side of the singularity: the
                    # constant could jump there unseen (log|x| + sign(x) against 1/x).
                    raise NotApplicable(
                        f"between the base point and a sample point {error}, and an "
                        "antiderivative's constant may jump at a singularity; restrict the "
                        "variable to one side of it (for example, assume it positive)") from error
                why = str(error) or type(error).__name__
                seen.append(why)
                if len(seen) >= SAME_FAILURES and len(set(seen)) == 1:
                    break  # the same failure each time: more points will not help
        raise _Undefined(f"no point where both sides are defined and well-conditioned in "
                            f"{len(seen)} tries ({why})")

    def _compare_numeric(self, runs: list[list[tuple[dict[str, int], Any, Any]]],
                         dims: dict[str, int], point: Point, seed: int) -> None:
        s = self.settings
        low, high = s.digits, s.digits + CONFIRM_DIGITS
        for (indices, l1, r1), (_, l2, r2) in zip(*runs):
            first = list(_pairs(l1, r1))
            for (position, a1, b1), (_, a2, b2) in zip(first, _pairs(l2, r2)):
                if any(isinstance(v, (Inexact, Jet)) for v in (a1, b1, a2, b2)):
                    raise NotApplicable("a value the numeric test cannot compute")
                verdict = _numeric_verdict(a1, b1, a2, b2, low, high)
                if verdict is None:
                    raise Unreliable("the two precisions disagree: an ill-conditioned point")
                if verdict is False:
                    with mpmath.workdps(high):
                        self._mismatch("numeric", dims, point, indices, position, a2, b2, seed)

    # -- shared by the exact and symbolic methods -----------------------------------------

    def _sides(self, evaluate: Evaluator, env: Env) -> tuple[Any, Any]:
        """(lhs, rhs) at one point, the side with fewer derivatives evaluated first: where it
        is undefined (the inverse of a singular XᵀAX), the costly gradient is never computed."""
        if self._rhs_first:
            right = evaluate(self.rhs, env)
            return evaluate(self.lhs, env), right
        left = evaluate(self.lhs, env)
        return left, evaluate(self.rhs, env)

    def _check_point(self, method: str, backend: Backend, evaluate: Evaluator,
                     dims: dict[str, int], number: int, equal: Callable[[Any, Any], bool | None]) -> None:
        why, last, seen = "no point found", None, []
        for attempt in range(MAX_RESAMPLES):
            profile = self._profile(number) if attempt < 2 else self._profile(number).plainer()
            rng, seed = self._rng(method, dims, number * MAX_RESAMPLES + attempt)
            try:
                point = random_point(self.table, dims, backend, rng, method == "exact", self.degree, profile)
                for indices in self._indices(dims):
                    env = {**point.env, **indices}
                    self._compare(method, *self._sides(evaluate, env),
                                  equal, dims, point, indices, seed)
                return
            except _REPLACE as error:
                why, last = str(error) or type(error).__name__, error
                seen.append(why)
                if len(seen) >= SAME_FAILURES and len(set(seen)) == 1:
                    break  # the same failure each time (XᵀX of rank n < p): the shape is undefined
        if isinstance(last, TooLarge):
            raise NotApplicable(f"values too large for exact arithmetic ({why})")
        raise _Undefined(f"no point where both sides are defined in {MAX_RESAMPLES} tries ({why})")

    def _compare(self, method: str, lhs: Any, rhs: Any, equal: Callable[[Any, Any], bool | None],
                 dims: dict[str, int], point: Point, indices: dict[str, int], seed: int | None) -> None:
        undecided = False
        for position, left, right in _pairs(lhs, rhs):
            verdict = equal(left, right)
            if verdict is False:
                self._mismatch(method, dims, point, indices, position, left, right, seed)
            undecided = undecided or verdict is None
        if undecided:
            raise NotApplicable("some values are not rational")

    def _mismatch(self, method: str, dims: dict[str, int], point: Point, indices: dict[str, int],
                  position: str, left: Any, right: Any, seed: int | None) -> None:
        where = ", ".join(f"{k} = {v + 1}" for k, v in indices.items())
        where = "; ".join(x for x in (where, position) if x)
        shown = {k: v for k, v in point.shown.items() if k not in self.bound}
        texts = _show(left), _show(right)
        if texts[0] == texts[1]:  # a tiny relative difference: show every digit
            texts = _show(left, FULL), _show(right, FULL)
        raise _Mismatch(Counterexample(method, dims, shown, where, *texts, seed))

    # -- symbolic proof -------------------------------------------------------------------

    def _symbolic(self) -> Evidence | None:
        if any(side.has(Integral) for side in (self.lhs, self.rhs)):
            if self.note and derivative_proof(self.lhs, self.rhs, self.table):
                return Evidence("symbolic", "symbolic proof: the two sides have the same derivative, "
                                "exactly, and every function in them is defined for every x", ())
            # SymPy's definite integrals are not evidence (in 1.14 it integrates
            # 1/(1 + y cos x) over a period to 0), and a wrong one would refute a true claim.
            self.reasons.append("no symbolic proof: SymPy's integrate is not trusted")
            return None
        proved = []
        backend = SymbolicBackend()
        evaluate = Evaluator(backend)
        used: set[str] = set()
        for dims in self._sizes(self.settings.exact_sizes, rectangular=False):
            n = next(iter(dims.values()), 0)
            budget = CpuBudget(self.settings.symbolic_budget)
            try:
                with budget:
                    for point in symbolic_points(self.table, dims):
                        for indices in self._indices(dims):
                            env = {**point.env, **indices}
                            lhs, rhs = self._sides(evaluate, env)
                            equal = SymbolicEqual(lhs, rhs)
                            self._compare("symbolic", lhs, rhs, equal, dims, point, indices, None)
                            used |= equal.used
                budget.confirm()
            except _Mismatch as mismatch:
                if not self.analytic:
                    raise
                # SymPy's limit or series differs from the other side: one engine against the
                # numeric test, so no verdict either way (SymPy's limits can be wrong)
                self.disagreement = (f"SymPy's {' and '.join(sorted(backend.used & UNTRUSTED))} "
                                     f"gives another value ({mismatch.counterexample.lhs} against "
                                     f"{mismatch.counterexample.rhs})")
                break
            except BudgetExceeded:
                self.reasons.append(f"symbolic check at n = {n} ran out of its "
                                    f"{self.settings.symbolic_budget:g} s budget")
                break
            except (NotApplicable, NoParametrisation, Singular, ZeroDivisionError, TypeError,
                    ValueError) as why:
                self.reasons.append(f"symbolic check not conclusive: {why or 'singular'}")
                break
            proved.append(n)
        if not proved:
            return None
        self.single_engine = used | backend.used
        where = f" for {self._sizes_named(proved)}" if self.dim_names else ""
        if self.analytic:
            return Evidence("symbolic", f"SymPy's {' and '.join(sorted(self.single_engine & UNTRUSTED))} "
                            "agrees (a closed form it proposes, cross-checked, not a proof)", tuple(proved))
        return Evidence("symbolic", f"symbolic proof{where}{self.note}", tuple(proved))


def _shape(dims: dict[str, int]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in dims.items())


def _extent(size: str | int, dims: dict[str, int]) -> int:
    return size if isinstance(size, int) else dims[size]


def _list(values: list[int]) -> str:
    return ", ".join(str(v) for v in values)


def _pairs(lhs: Any, rhs: Any) -> Iterator[tuple[str, Any, Any]]:
    """Corresponding entries of both sides, with a 1-based position for matrices.

    The parser gives both sides one shape; should they still differ here, no entry is skipped
    in silence: the method steps aside.
    """
    if isinstance(lhs, list) and len(lhs) == 1 and len(lhs[0]) == 1:
        lhs = lhs[0][0]
    if isinstance(rhs, list) and len(rhs) == 1 and len(rhs[0]) == 1:
        rhs = rhs[0][0]
    if _dimensions(lhs) != _dimensions(rhs):
        raise NotApplicable(f"the sides evaluate to shapes {_dimensions(lhs)} and {_dimensions(rhs)}")
    if not isinstance(lhs, list):
        yield "", lhs, rhs
        return
    for i, (row_l, row_r) in enumerate(zip(lhs, rhs)):
        for j, (left, right) in enumerate(zip(row_l, row_r)):
            yield (f"entry ({i + 1}, {j + 1})" if len(row_l) > 1 else f"entry {i + 1}"), left, right


def _dimensions(value: Any) -> tuple[int, int] | None:
    return (len(value), len(value[0])) if isinstance(value, list) else None


def _exact_equal(a: Any, b: Any) -> bool | None:
    if isinstance(a, Inexact) or isinstance(b, Inexact):
        return None
    return a == b


def _numeric_verdict(a1: Any, b1: Any, a2: Any, b2: Any, low: int, high: int) -> bool | None:
    """Agreement of one entry computed at ``low`` and at ``high`` digits: True, False, or None
    for a point that cannot be trusted.

    The tolerance is relative to the values, with no absolute floor (exp(-100) and
    2 exp(-100) differ).  A difference confirmed at both precisions (it stays the same) is
    real; one that shrinks as the precision grows is rounding (a side that is 0 exactly,
    computed as 10^-51); anything else is an ill-conditioned point.
    """
    d1, d2 = abs(a1 - b1), abs(a2 - b2)
    scale1, scale2 = max(abs(a1), abs(b1)), max(abs(a2), abs(b2))
    tolerance1 = mpmath.mpf(10) ** -(low - NUMERIC_GUARD_DIGITS)
    tolerance2 = mpmath.mpf(10) ** -(high - NUMERIC_GUARD_DIGITS)
    if d2 <= tolerance2 * scale2 and d1 <= tolerance1 * scale1:
        return True
    if d2 <= d1 * mpmath.mpf(10) ** -(high - low - 5):
        return True
    # stable to 3 digits across 30 more digits of precision, and far above the rounding of
    # the higher one: a real difference, even one hidden below the lower one's tolerance
    stable = abs(d1 - d2) <= d2 / 1000
    if d2 > tolerance2 * scale2 and stable:
        return False
    return None


FULL = 1000


def _show(value: Any, digits: int = 15) -> str:
    """A value for a message: 15 significant digits, or all of them with ``FULL``."""
    if isinstance(value, (mpmath.mpf, mpmath.mpc)):
        text = mpmath.nstr(value.real if value.imag == 0 else value, min(digits, mpmath.mp.dps))
    else:
        text = exact_text(value)
    return text if len(text) <= 120 or digits == FULL else text[:117] + "..."


class BudgetExceeded(BaseException):
    """The symbolic method used up its CPU-time budget.

    A BaseException, so that no ``except Exception`` inside SymPy swallows it.
    """


class CpuBudget:
    """Interrupt pure-Python work after ``seconds`` of CPU time (main thread only).

    ITIMER_VIRTUAL leaves ITIMER_REAL to the worker pool's wall-clock limit.  The signal may
    land where an exception is ignored (a weakref callback, a ``__del__``), so expiry is also
    recorded, and ``confirm()`` raises for work that finished after the budget ran out.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self.armed = threading.current_thread() is threading.main_thread() and hasattr(signal, "ITIMER_VIRTUAL")
        self._previous: Any = None

    def _expire(self, signum: int, frame: FrameType | None) -> None:
        self.expired = True
        if frame is not None and frame.f_code is _EXIT_CODE:
            return  # raised in ``__exit__``, it would leave the timer running past the block
        signal.setitimer(signal.ITIMER_VIRTUAL, 0.01)  # again soon, in case this one is swallowed
        raise BudgetExceeded()

    @staticmethod
    def reset() -> None:
        """No budget is active between claims: clear a timer and handler that an interrupted
        one left behind (a worker's wall-clock timeout landing inside ``__enter__``), which
        would otherwise raise BudgetExceeded anywhere in the next claim."""
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "ITIMER_VIRTUAL"):
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGVTALRM, signal.SIG_IGN)

    def __enter__(self) -> CpuBudget:
        if self.armed:
            self._previous = signal.signal(signal.SIGVTALRM, self._expire)
            signal.setitimer(signal.ITIMER_VIRTUAL, self.seconds)
        return self

    def __exit__(self, *exc: object) -> None:
        """Disarm; a signal landing here is only recorded (``_expire``), so it cannot leave the
        handler installed and the timer re-armed, to fire later outside any budget."""
        if self.armed:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGVTALRM, self._previous)

    def confirm(self) -> None:
        """Raise BudgetExceeded if the budget ran out at any point."""
        if self.expired:
            raise BudgetExceeded()


_EXIT_CODE = CpuBudget.__exit__.__code__
