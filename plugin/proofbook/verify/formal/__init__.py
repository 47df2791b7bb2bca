"""The formal engine: decides ``lhs = rhs`` for matrices of every size n at once.

Both sides are brought to a canonical normal form over symbolic dimensions (``normal``):
expanded products, transposes on the letters, traces as cyclic words up to rotation and
transposition, X X⁻¹ = I cancelled, exact rational coefficients; derivatives are taken first,
by formal rules that hold for every n (``derive``).  Every rewriting step is an identity of
matrices of every size, so equal normal forms prove the identity for every n.

On the fragment where the normal form is canonical (sums, scalar rational coefficients,
products, transposes, traces, the identity, inverses of letters, det and log det of products
of square letters, and derivatives of these), different normal forms mean the identity is not
one for every n: the trace-free part is a polynomial in free letters, which no identity of
degree below 2n kills (Amitsur–Levitzki), and the trace part is a trace polynomial, which no
trace identity of degree at most n kills (Razmyslov–Procesi: all trace identities of n x n
matrices follow from Cayley–Hamilton, degree n + 1).  ``degree_bound`` gives the degree d;
an exact test with every dimension above d then finds a counterexample (``bounds``).

Outside that fragment the answer is ``outside`` with the reason: the dimension used as a
scalar, det of a sum, orthogonal or diagonal letters, functions other than log det, integrals
and sums -- unless both normal forms still agree, which proves the identity all the same.
Inverses of sums get one more, sound, chance (``inverses``): rewriting with
inv(P) P = P inv(P) = I, also after multiplying the difference by P.

The public API: ``decide(lhs, rhs, table) -> FormalOutcome`` and
``degree_bound(lhs, rhs, table) -> int``, on the trees ``compile_source`` returns.  Neither
raises: a defect inside the engine costs a proof ("outside"), never a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sympy import Basic

from ...language.symbols import SymbolTable
from .bounds import degree, dimension_roots, structural_degree, subexpression_roots
from .inverses import vanishes
from .normal import Normalizer, Outside, Value
from .terms import Frac, MatPoly, TooLarge, Word
from .translate import Translator

__all__ = ["FormalOutcome", "decide", "degree_bound"]


@dataclass(frozen=True)
class FormalOutcome:
    """The formal verdict on one claim, and why."""

    status: Literal["equal", "different", "outside"]
    reason: str = ""  # why outside, or a short description of what was shown


NormalForms = tuple[Translator, Value, Value]
#: The last claims' normal forms: the verifier asks ``decide`` and ``degree_bound`` in turn.
_CACHE: dict[tuple[Any, ...], NormalForms | Outside] = {}
_CACHE_SIZE = 32


def _normal_forms(lhs: Basic, rhs: Basic, table: SymbolTable, lenient: bool = False) -> NormalForms:
    key = (lhs, rhs, tuple(table.decls.values()), lenient)
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[key] = _compute(lhs, rhs, table, lenient)
    found = _CACHE[key]
    if isinstance(found, Outside):
        raise found
    return found


def _compute(lhs: Basic, rhs: Basic, table: SymbolTable, lenient: bool) -> NormalForms | Outside:
    translator = Translator(table, lenient)
    try:
        return translator, *translator.claim(lhs, rhs)
    except Outside as outside:
        return outside
    except TooLarge as error:
        return Outside(str(error))
    except (RecursionError, ZeroDivisionError) as error:
        return Outside(f"the normal form cannot be computed ({type(error).__name__})")


def decide(lhs: Basic, rhs: Basic, table: SymbolTable) -> FormalOutcome:
    """``equal`` (proved for every n), ``different`` (not an identity for every n), or
    ``outside`` the fragment, with the reason."""
    try:
        return _decide(lhs, rhs, table)
    except Outside as outside:
        return FormalOutcome("outside", outside.reason)
    except Exception as error:  # a defect here must cost a proof, never a verdict
        return FormalOutcome("outside", f"the formal engine failed ({type(error).__name__}: {error})")


def _decide(lhs: Basic, rhs: Basic, table: SymbolTable) -> FormalOutcome:
    translator, left, right = _normal_forms(lhs, rhs, table)
    norm = translator.norm
    difference = norm.sub(left, right)
    if difference.is_zero:
        terms = len(left.terms) if isinstance(left, MatPoly) else len(left.num.terms)
        return FormalOutcome("equal", f"both sides have the same normal form ({terms} "
                                      f"term{'s' if terms != 1 else ''}) for every size")
    if vanishes(norm, difference):
        return FormalOutcome("equal", "the normal forms agree after rewriting with "
                                      "inv(P) P = P inv(P) = I, for every size")
    bound = max(degree(norm, left), degree(norm, right), dimension_roots(difference))
    reasons = sorted(norm.soft_outside | norm.incomplete) + _index_problems(norm, difference)
    if translator.fixed_units:
        reasons.append("a fixed entry or basis vector e_k is a free vector in the normal form "
                       "(with e_kᵀe_k = 1), which does not use e_1ᵀe_n = 0")
    small = sorted(k for k in translator.fixed_sizes if k <= bound)
    if small:
        reasons.append(f"the fixed size {small[0]} is not above the degree bound {bound}")
    if reasons:
        return FormalOutcome("outside", "the normal forms differ, but that does not refute the "
                                        "identity: " + "; ".join(reasons))
    return FormalOutcome("different", "the normal forms differ, e.g. in the term "
                                      + _describe(difference))


def degree_bound(lhs: Basic, rhs: Basic, table: SymbolTable) -> int:
    """A degree d such that an exact test with every dimension at least d + 1 sees any
    difference of normal forms (see ``bounds`` for what this rests on).

    It is the larger degree of the two sides, not of their difference: the exact test at
    that size then also sees a difference the engine would have cancelled wrongly.  Scalars
    outside the fragment (sin x, an integral) count as opaque factors here, so that a
    polynomial p(n) around them still raises the bound above its roots."""
    try:
        translator, left, right = _normal_forms(lhs, rhs, table, lenient=True)
        norm = translator.norm
        bound = max(degree(norm, left), degree(norm, right))
        if norm.soft_outside:
            bound = max(bound, dimension_roots(norm.sub(left, right)))
        inside = not norm.opaque_degrees
    except Exception:  # outside the fragment (or a defect): read the bound off the tree
        bound, inside = max(structural_degree(lhs), structural_degree(rhs)), False
    if not inside:
        dims = set(table.dims.values())
        bound = max(bound, subexpression_roots(lhs, dims), subexpression_roots(rhs, dims))
    return max(bound, 1)


def _index_problems(norm: Normalizer, difference: Value) -> list[str]:
    """A difference in entries M[i, j] refutes the identity only when every term is linear in
    each unit vector e_i: the normal form treats e_i as a free vector (with e_iᵀe_i = 1 as
    its one rule), and a bilinear form that vanishes on all pairs of unit vectors is zero."""
    units = [letter.name for letter in norm.letters.values() if letter.kind == "unit"]
    if not units:
        return []
    pairs = [((), difference)] if isinstance(difference, Frac) else list(difference.terms)
    patterns = set()
    for word, coeff in pairs:
        if any(_count(g[1], u) for g in coeff.den.gens() if g[0] == "tr" for u in units):
            return ["an entry index in a denominator"]
        for mono in coeff.num.terms:
            patterns.add(tuple(_count(word, u) + sum(_count(g[1], u) * e for g, e in mono
                                                     if g[0] == "tr") for u in units))
    if len(patterns) == 1 and max(next(iter(patterns))) <= 1:
        return []
    return ["an entry index occurs twice in a term or not in every term (the normal form does "
            "not use e_iᵀe_j = 0 for i ≠ j)"]


def _count(word: Word, unit: str) -> int:
    return sum(1 for name, _, _ in word if name == unit)


def _describe(difference: Value) -> str:
    if isinstance(difference, Frac):
        mono = max(difference.num.terms)
        return " ".join(_gen_text(g, e) for g, e in mono) or "1"
    word, coeff = difference.terms[-1]
    mono = max(coeff.num.terms)
    parts = [_gen_text(g, e) for g, e in mono] + [_word_text(word) or "I"]
    return " ".join(parts)


def _word_text(word: Word) -> str:
    return "".join(name + ("ᵀ" if t else "") + ("⁻¹" if inv else "") for name, t, inv in word)


def _gen_text(gen: tuple[Any, ...], exp: int) -> str:
    power = f"^{exp}" if exp != 1 else ""
    if gen[0] == "tr":
        return f"tr({_word_text(gen[1])}){power}"
    if gen[0] in ("det", "logdet"):
        return f"{'det' if gen[0] == 'det' else 'log det'}({gen[1]}){power}"
    if gen[0] == "sym":
        return f"{gen[1]}{power}"
    return f"{gen[0]}{power}"

