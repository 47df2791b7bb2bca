"""The degree bound: how large a size an exact test needs to see a false identity.

The degree of a term of a normal form is the number of letters in its word and in the traces
of its coefficient, inverse letters included (derivative letters A′ and direction letters
too, so the order of a derivative is counted; an opaque inverse of a sum is one letter);
determinants and log-determinants count 0.
``degree`` is the largest over the terms of both sides.

- Inverse-free: a nonzero polynomial of degree d is not an identity of n x n matrices for
  2n > d (Amitsur–Levitzki); a nonzero trace polynomial of degree d is not a trace identity
  for n ≥ d, a matrix-valued one for n ≥ d + 1, since every trace identity follows from the
  Cayley–Hamilton polynomial of degree n + 1 (Razmyslov 1974, Procesi 1976).  With
  transposes, Procesi's theorem for the orthogonal group gives the same degree n + 1.
- Determinants have degree n: a difference Σ_k det(A)^k P_k with every P_k of degree below n
  separates by degree, so n above the bound suffices again.
- Inverses: substituting X = I + tY (Magnus), a combination of words of length at most L
  starts at degree at most 2L in t when there is one letter (x^-L (x - 1)^2L is the extreme
  case), and Amitsur–Levitzki turns degree 2L into n > L: the bound counts an inverse letter
  once.  For several letters this is the size the exact test relies on, not a theorem; that a
  difference of normal forms with inverses is not an identity for every n rests on the
  residual finiteness of the free group, whatever the bound.

So an exact test with every dimension at least ``degree + 1`` decides inverse-free
identities of the fragment.  Where the dimension is used as a scalar, a nonzero coefficient
p(n) can vanish at a few sizes; ``dimension_roots`` finds its largest real root, and the size
must exceed that too.
"""

from __future__ import annotations

import math
from fractions import Fraction

from sympy import (
    Add, Basic, Derivative, Determinant, MatPow, MatrixSymbol, Mul, Poly, Pow, Rational, Symbol,
    preorder_traversal,
)
from sympy.matrices.expressions.matexpr import MatrixElement

from ...language.nodes import Hadamard, Kron, MatDerivative
from .normal import Normalizer, Value
from .terms import Frac, Gen, Word


def word_degree(norm: Normalizer, word: Word) -> int:
    """Letters of a word; an opaque inv(P) or diag(P) is one letter of its own."""
    return len(word)


def gen_degree(norm: Normalizer, gen: Gen) -> int:
    if gen[0] == "tr":
        return word_degree(norm, gen[1])
    if gen in norm.opaque_degrees:
        return norm.opaque_degrees[gen]
    if gen in norm.opaque_scalars:
        return frac_degree(norm, norm.opaque_scalars[gen])
    if gen in norm.opaque:
        return max((term_degree(norm, w, c) for w, c in norm.opaque[gen].terms), default=0)
    return 0


def frac_degree(norm: Normalizer, value: Frac) -> int:
    return max((sum(gen_degree(norm, g) * e for g, e in mono)
                for poly in (value.num, value.den) for mono in poly.terms), default=0)


def term_degree(norm: Normalizer, word: Word, coeff: Frac) -> int:
    return word_degree(norm, word) + frac_degree(norm, coeff)


def degree(norm: Normalizer, value: Value) -> int:
    if isinstance(value, Frac):
        return frac_degree(norm, value)
    return max((term_degree(norm, w, c) for w, c in value.terms), default=0)


def dimension_roots(value: Value) -> int:
    """A size above which the coefficients' polynomials in the dimensions cannot all vanish:
    the least largest real root over the polynomials in the dimensions (all set equal, as at a
    square size) that multiply one product of the other generators."""
    terms = [value] if isinstance(value, Frac) else [c for _, c in value.terms]
    best: int | None = None
    for coeff in terms:
        groups: dict[tuple[tuple[Gen, int], ...], dict[int, Fraction]] = {}
        for mono, c in coeff.num.terms.items():
            rest = tuple((g, e) for g, e in mono if g[0] != "dim")
            power = sum(e for g, e in mono if g[0] == "dim")
            poly = groups.setdefault(rest, {})
            poly[power] = poly.get(power, Fraction(0)) + c
        for poly in groups.values():
            poly = {k: c for k, c in poly.items() if c}
            if not poly:
                continue
            bound = _largest_root(poly)
            best = bound if best is None else min(best, bound)
    return best or 0


def _largest_root(poly: dict[int, Fraction]) -> int:
    """The floor of the largest real root of a nonzero univariate polynomial (0 if none)."""
    if max(poly) == 0:
        return 0
    t = Symbol("t")
    roots = Poly(sum(Rational(c.numerator, c.denominator) * t**k for k, c in poly.items()),
                 t).intervals()
    return max((math.floor(high) for (_, high), _ in roots), default=0)


def subexpression_roots(node: Basic, dims: set[Basic]) -> int:
    """The largest real root of any polynomial in the dimensions written in the expression
    (all dimensions set equal), such as (n - 1)(n - 6) in an exponent: a guess at the sizes
    where an expression outside the fragment may behave specially."""
    t = Symbol("t")
    best = 0
    for sub in preorder_traversal(node):
        if not isinstance(sub, (Add, Mul, Pow)) or not sub.free_symbols or not sub.free_symbols <= dims:
            continue
        flat = sub.subs({d: t for d in sub.free_symbols})
        if flat.is_polynomial(t) and flat.free_symbols:
            poly = Poly(flat, t)
            if poly.degree() > 0:
                best = max(best, max((math.floor(high) for (_, high), _ in poly.intervals()), default=0))
    return best


def structural_degree(node: Basic) -> int:
    """A bound read off the tree, for expressions outside the fragment: letters in a
    product add up, a sum takes the largest, powers multiply and an entry brings two unit
    vectors."""
    if isinstance(node, MatrixSymbol):
        return 1
    if isinstance(node, MatPow) or isinstance(node, Pow) and node.exp.is_Integer:
        return abs(int(node.exp)) * structural_degree(node.base)
    args = [structural_degree(a) for a in node.args] if node.args else [0]
    if isinstance(node, MatrixElement):
        return args[0] + 2
    if isinstance(node, (MatDerivative, Derivative, Determinant)):
        return args[0]
    if node.is_Mul or type(node).__name__ == "MatMul" or isinstance(node, (Kron, Hadamard)):
        return sum(args)
    return max(args)
