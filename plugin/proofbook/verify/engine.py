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

import hashlib
import itertools
import random
import signal
import threading
import time
from dataclasses import replace
from collections.abc import Callable, Iterator
from typing import Any

import mpmath
import sympy
from sympy import Basic, Derivative, Integral, Sum
from sympy.core.function import AppliedUndef
from sympy.polys.domains import QQ
from sympy.polys.rings import PolyRing

from ..errors import ProofbookError
from ..language.parse import compile_source
from ..language.symbols import SymbolTable
from ..model import Counterexample, Evidence, Level, Result
from .claims import Claim, Settings
from .backends import ExactBackend, NumericBackend, SymbolicBackend
from .evaluate import Backend, Evaluator, NotApplicable, entries_of
from .jet import Inexact
from .linalg import Singular
from .matcalc import agrees_for_all_n
from .sampling import Point, random_point, symbolic_points

MAX_RESAMPLES = 8
#: Digits of the numeric test's working precision not trusted for agreement: rounding in an
#: inverse of a random matrix costs a few; a relative difference above 10^-(digits - 10) is
#: a real discrepancy.
NUMERIC_GUARD_DIGITS = 10
#: Points for a claim without sizes: every sign combination of three real scalars.
SCALAR_POINTS = 8


class _Mismatch(Exception):
    def __init__(self, counterexample: Counterexample) -> None:
        super().__init__(counterexample.describe())
        self.counterexample = counterexample


def verify_task(task: tuple[Claim, Settings]) -> Result:
    """Entry point for worker processes."""
    return verify_claim(*task)


def verify_claim(claim: Claim, settings: Settings = Settings()) -> Result:
    """Run the methods on one claim and return the verdict; never raises for a bad claim."""
    started = time.perf_counter()
    try:
        table = SymbolTable.build(claim.symbols)
        lhs = compile_source(claim.lhs, table, claim.entry_id)
        rhs = compile_source(claim.rhs, table, claim.entry_id)
    except ProofbookError as error:
        return Result("inconclusive", reason=str(error))
    checker = _Checker(claim, table, settings, *_without_integration_constant(lhs.expr, rhs.expr))
    result = checker.run()
    return replace(result, seconds=round(time.perf_counter() - started, 3))


def _without_integration_constant(lhs: Basic, rhs: Basic) -> tuple[Basic, Basic, str]:
    """An indefinite integral is known only up to a constant: compare derivatives instead."""
    variables = {i.limits[0][0] for side in (lhs, rhs) for i in side.atoms(Integral) if len(i.limits[0]) == 1}
    if len(variables) != 1:
        return lhs, rhs, ""
    x, = variables
    return (Derivative(lhs, x, evaluate=False), Derivative(rhs, x, evaluate=False),
            " (up to an additive constant)")


class _Checker:
    def __init__(self, claim: Claim, table: SymbolTable, settings: Settings,
                 lhs: Basic, rhs: Basic, note: str) -> None:
        self.claim, self.table, self.settings = claim, table, settings
        self.lhs, self.rhs, self.note = lhs, rhs, note
        #: Summation and integration variables: their sampled values mean nothing to a reader.
        self.bound = {str(x.limits[0][0]) for side in (lhs, rhs) for x in side.atoms(Integral, Sum)}
        self.dim_names = sorted(table.dims)
        order = max((c for d in (lhs, rhs) for x in d.atoms(Derivative) for _, c in x.variable_count), default=1)
        self.degree = max(3, int(order) + 3)
        self.reasons: list[str] = []
        #: Sizes where the exact test met irrational values; the numeric test covers them.
        self.inexact_sizes: set[int] = set()

    def run(self) -> Result:
        evidence: list[Evidence] = []
        try:
            for method in (self._randomized, self._numeric, self._symbolic):
                found = method()
                if found:
                    evidence.append(found)
        except _Mismatch as mismatch:
            return Result("false", counterexample=mismatch.counterexample)
        if evidence and all(e.method == "numeric" for e in evidence):
            numeric = evidence[0]
            evidence = [Evidence("numeric", numeric.summary + "; numeric only: no exact method "
                                 "applied", numeric.sizes)]
        if evidence:
            return Result("verified", tuple(evidence + self._for_all_n(evidence)),
                          level=self._level(evidence))
        return Result("inconclusive", reason="; ".join(self.reasons) or "no method applied")

    def _level(self, evidence: list[Evidence]) -> Level:
        """What the evidence establishes: a symbolic proof covers every value only where no
        dimension is left open; otherwise only at the sizes it ran at."""
        methods = {e.method for e in evidence}
        if "symbolic" in methods:
            return "proved-for-sizes" if self.dim_names else "proved"
        return "tested" if "randomized" in methods else "numeric"

    def _for_all_n(self, evidence: list[Evidence]) -> list[Evidence]:
        """SymPy's matrix calculus, asked only once an exact method has verified the claim."""
        if not any(e.method in ("randomized", "symbolic") for e in evidence):
            return []
        budget = CpuBudget(self.settings.symbolic_budget)
        try:
            with budget:
                agrees = agrees_for_all_n(self.lhs, self.rhs, self.table)
            budget.confirm()
        except BudgetExceeded:
            return []
        return [Evidence("matrix-calculus", "SymPy's matrix calculus agrees for every n")] if agrees else []

    # -- sizes and seeds ------------------------------------------------------------------

    def _sizes(self, sizes: tuple[int, ...], rectangular: bool = True) -> list[dict[str, int]]:
        if not self.dim_names:
            return [{}]
        result = []
        for s in sizes:
            result.append({d: s for d in self.dim_names})
            if rectangular and len(self.dim_names) > 1:
                result.append({d: s + k for k, d in enumerate(self.dim_names)})
        return result

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

    # -- randomized methods ---------------------------------------------------------------

    def _randomized(self) -> Evidence | None:
        sizes, points = self.settings.random_sizes, self.settings.points
        if not self.dim_names:
            sizes, points = (0,), SCALAR_POINTS
        done = self._sample("exact", ExactBackend(), sizes, points, _exact_equal)
        if not done:
            return None
        where = f"{points} points for each n = {_list(done)}" if self.dim_names else f"{points} points"
        return Evidence("randomized", f"exact test at random rational points ({where}){self.note}",
                        tuple(done))

    def _numeric(self) -> Evidence | None:
        s = self.settings
        sizes = s.numeric_sizes if self.dim_names else (0,)
        pending = [n for n in s.random_sizes if n in self.inexact_sizes] if self.dim_names else []
        sizes = tuple(sorted(set(sizes) | set(pending)))
        points = s.numeric_points if self.dim_names else SCALAR_POINTS
        with mpmath.workdps(s.digits):
            tolerance = mpmath.mpf(10) ** -(s.digits - NUMERIC_GUARD_DIGITS)
            done = self._sample("numeric", NumericBackend(s.digits), sizes, points,
                                lambda a, b: _numeric_equal(a, b, tolerance))
        if not done:
            return None
        where = f"{points} points for each n = {_list(done)}" if self.dim_names else f"{points} points"
        return Evidence("numeric", f"numeric test at {s.digits} digits ({where}){self.note}", tuple(done))

    def _sample(self, method: str, backend: Backend, sizes: tuple[int, ...], points: int,
                equal: Callable[[Any, Any], bool | None]) -> list[int]:
        """Sizes at which every point agreed; raises _Mismatch at the first disagreement."""
        done = []
        inexact = set()
        evaluate = Evaluator(backend)
        for dims in self._sizes(sizes):
            n = next(iter(dims.values()), 0)
            try:
                for p in range(points):
                    self._check_point(method, backend, evaluate, dims, p, equal)
            except NotApplicable as why:
                inexact.add(n)
                self.reasons.append(f"{method} test not applicable: {why}")
                continue
            if n not in done:
                done.append(n)
        if method == "exact":
            self.inexact_sizes = inexact
            done = [n for n in done if n not in inexact]
        return done

    def _check_point(self, method: str, backend: Backend, evaluate: Evaluator,
                     dims: dict[str, int], p: int, equal: Callable[[Any, Any], bool | None]) -> None:
        for attempt in range(MAX_RESAMPLES):
            rng, seed = self._rng(method, dims, p * MAX_RESAMPLES + attempt)
            point = random_point(self.table, dims, backend, rng, method == "exact", self.degree, p)
            try:
                for indices in self._indices(dims):
                    env = {**point.env, **indices}
                    self._compare(method, evaluate(self.lhs, env), evaluate(self.rhs, env),
                                  equal, dims, point, indices, seed)
                return
            except (Singular, ZeroDivisionError):
                continue
        raise NotApplicable(f"no non-singular point found in {MAX_RESAMPLES} tries")

    def _compare(self, method: str, lhs: Any, rhs: Any, equal: Callable[[Any, Any], bool | None],
                 dims: dict[str, int], point: Point, indices: dict[str, int], seed: int | None) -> None:
        undecided = False
        for position, left, right in _pairs(lhs, rhs):
            verdict = equal(left, right)
            if verdict is False:
                where = ", ".join(f"{k} = {v + 1}" for k, v in indices.items())
                where = "; ".join(x for x in (where, position) if x)
                shown = {k: v for k, v in point.shown.items() if k not in self.bound}
                texts = _show(left), _show(right)
                if texts[0] == texts[1]:  # a tiny relative difference: show every digit
                    texts = _show(left, FULL), _show(right, FULL)
                raise _Mismatch(Counterexample(method, dims, shown, where, *texts, seed))
            undecided = undecided or verdict is None
        if undecided:
            raise NotApplicable("some values are not rational")

    # -- symbolic proof -------------------------------------------------------------------

    def _symbolic(self) -> Evidence | None:
        proved = []
        evaluate = Evaluator(SymbolicBackend())
        for dims in self._sizes(self.settings.exact_sizes, rectangular=False):
            n = next(iter(dims.values()), 0)
            budget = CpuBudget(self.settings.symbolic_budget)
            try:
                with budget:
                    for point in symbolic_points(self.table, dims):
                        for indices in self._indices(dims):
                            env = {**point.env, **indices}
                            lhs, rhs = evaluate(self.lhs, env), evaluate(self.rhs, env)
                            equal = _SymbolicEqual(lhs, rhs)
                            self._compare("symbolic", lhs, rhs, equal, dims, point, indices, None)
                budget.confirm()
            except BudgetExceeded:
                self.reasons.append(f"symbolic check at n = {n} ran out of its "
                                    f"{self.settings.symbolic_budget:g} s budget")
                break
            except (NotApplicable, Singular, ZeroDivisionError) as why:
                self.reasons.append(f"symbolic check not conclusive: {why or 'singular'}")
                break
            proved.append(n)
        if not proved:
            return None
        where = f" for n = {_list(proved)}" if self.dim_names else ""
        return Evidence("symbolic", f"symbolic proof{where}{self.note}", tuple(proved))


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


def _numeric_equal(a: Any, b: Any, tolerance: Any) -> bool | None:
    if isinstance(a, Inexact) or isinstance(b, Inexact):
        return None
    scale = max(mpmath.mpf(1), abs(a), abs(b))
    return bool(abs(a - b) <= tolerance * scale)


class _SymbolicEqual:
    """The symbolic zero test for the entries of one comparison: True when an entry's two
    sides are identically equal, False when they differ by a nonzero rational function, None
    when undecided (transcendental, and ``simplify`` did not reach 0).

    A rational function with rational coefficients is decided canonically: each side becomes
    a quotient of polynomials over QQ with a nonzero denominator, and a/b = c/d exactly when
    the polynomials ad and cb are equal.  (``cancel(together(...))`` is not canonical: SymPy
    1.14 returns an unevaluated ``-1024 + 1024`` for ``(x/2 + 4)**5`` minus its expansion.)
    Quotients are not reduced on the way, which would cost a polynomial gcd per operation;
    terms over one denominator are added up first, and the entries share one table of
    converted subexpressions, since the entries of a matrix share much (the determinant in
    every entry of an inverse).
    """

    def __init__(self, lhs: Any, rhs: Any) -> None:
        values = [sympy.sympify(x) for side in (lhs, rhs) for x in entries_of(side)]
        # Derivatives and applied functions become symbols, so each side is a rational
        # function of independent variables; one table for all entries keeps them consistent.
        self.symbols: dict[Basic, Basic] = {}
        for kind in (Derivative, AppliedUndef):
            atoms = set().union(*(v.xreplace(self.symbols).atoms(kind) for v in values))
            for atom in sorted(atoms, key=sympy.default_sort_key):
                self.symbols[atom] = sympy.Dummy(real=True)
        free = set().union(*(self._plain(v).free_symbols for v in values))
        self.ring = PolyRing(sorted(free, key=sympy.default_sort_key), QQ)
        self.gens = dict(zip(self.ring.symbols, self.ring.gens))
        self.converted: dict[Basic, tuple[Any, Any]] = {}

    def _plain(self, value: Basic) -> Basic:
        return value.xreplace(self.symbols)

    def __call__(self, a: Any, b: Any) -> bool | None:
        a, b = self._plain(sympy.sympify(a)), self._plain(sympy.sympify(b))
        if a == b:
            return True
        try:
            (an, ad), (bn, bd) = self._convert(a), self._convert(b)
            return an * bd == bn * ad
        except (ValueError, ZeroDivisionError):
            pass
        difference = sympy.sympify(a - b)
        if difference.has(sympy.Integral, sympy.Sum):
            difference = difference.doit()
        return True if sympy.simplify(difference) == 0 else None

    def _convert(self, expr: Basic) -> tuple[Any, Any]:
        """``expr`` as (numerator, denominator); ValueError if it is not a rational function
        over QQ, ZeroDivisionError for a division by the zero polynomial."""
        done = self.converted.get(expr)
        if done is None:
            done = self.converted[expr] = self._build(expr)
        return done

    def _build(self, expr: Basic) -> tuple[Any, Any]:
        ring = self.ring
        if expr.is_Rational:
            return ring(QQ(int(expr.p), int(expr.q))), ring.one
        if expr in self.gens:
            return self.gens[expr], ring.one
        if expr.is_Add:
            groups: dict[Any, Any] = {}
            for arg in expr.args:
                num, den = self._convert(arg)
                groups[den] = groups[den] + num if den in groups else num
            items = list(groups.items())
            den, num = items[0]
            for d, n in items[1:]:
                num, den = num * d + n * den, den * d
            return num, den
        if expr.is_Mul:
            num, den = ring.one, ring.one
            for arg in expr.args:
                n, d = self._convert(arg)
                num, den = num * n, den * d
            return num, den
        if expr.is_Pow and expr.exp.is_Integer:
            num, den = self._convert(expr.base)
            k = int(expr.exp)
            if k < 0:
                if not num:
                    raise ZeroDivisionError
                num, den, k = den, num, -k
            return num ** k, den ** k
        raise ValueError(f"not a rational function: {type(expr).__name__}")


FULL = 1000


def _show(value: Any, digits: int = 15) -> str:
    """A value for a message: 15 significant digits, or all of them with ``FULL``."""
    if isinstance(value, (mpmath.mpf, mpmath.mpc)):
        text = mpmath.nstr(value.real if value.imag == 0 else value, min(digits, mpmath.mp.dps))
    else:
        text = str(value)
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

    def _expire(self, signum: int, frame: object) -> None:
        self.expired = True
        signal.setitimer(signal.ITIMER_VIRTUAL, 0.01)  # again soon, in case this one is swallowed
        raise BudgetExceeded()

    def __enter__(self) -> CpuBudget:
        if self.armed:
            self._previous = signal.signal(signal.SIGVTALRM, self._expire)
            signal.setitimer(signal.ITIMER_VIRTUAL, self.seconds)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGVTALRM, self._previous)

    def confirm(self) -> None:
        """Raise BudgetExceeded if the budget ran out at any point."""
        if self.expired:
            raise BudgetExceeded()
