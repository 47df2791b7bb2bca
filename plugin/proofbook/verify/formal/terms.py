"""Exact data types of the normal form: polynomials and rational functions over QQ in
*generators* (scalar symbols, traces of canonical words, determinants, log-determinants),
and matrix polynomials (canonical words with rational-function coefficients).

Everything is immutable after construction and hashable through a canonical key, so a
normal form can itself name an opaque letter (``inv(A + B)``) without ambiguity.  A
rational function is kept reduced (numerator and denominator coprime, the denominator's
leading coefficient 1), which makes ``Frac`` a canonical form of its value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

#: A generator of the scalar field, e.g. ("sym", "x"), ("tr", word), ("det", "A").
Gen = tuple[Any, ...]
#: A monomial: (generator, exponent) pairs sorted by generator, exponents positive.
Monomial = tuple[tuple[Gen, int], ...]
#: One factor of a word: (letter name, transposed, inverted).
Atom = tuple[str, bool, bool]
Word = tuple[Atom, ...]


#: The most terms a polynomial or a product may have; beyond it the normal form is refused.
MAX_TERMS = 20_000


class TooLarge(ArithmeticError):
    """A normal form would have more than MAX_TERMS terms."""


def check_size(count: int) -> None:
    if count > MAX_TERMS:
        raise TooLarge(f"the normal form has more than {MAX_TERMS} terms")


def _mono_mul(a: Monomial, b: Monomial) -> Monomial:
    if not a:
        return b
    if not b:
        return a
    powers = dict(a)
    for gen, exp in b:
        powers[gen] = powers.get(gen, 0) + exp
    return tuple(sorted(powers.items()))


class Poly:
    """A polynomial over QQ: monomial -> nonzero Fraction."""

    __slots__ = ("terms", "_key")

    def __init__(self, terms: dict[Monomial, Fraction] | None = None) -> None:
        self.terms = {m: c for m, c in (terms or {}).items() if c}
        self._key: tuple[Any, ...] | None = None

    @staticmethod
    def const(value: int | Fraction) -> Poly:
        return Poly({(): Fraction(value)})

    @staticmethod
    def gen(gen: Gen) -> Poly:
        return Poly({((gen, 1),): Fraction(1)})

    @property
    def is_zero(self) -> bool:
        return not self.terms

    def constant(self) -> Fraction | None:
        """The value if this is a constant, else None."""
        if not self.terms:
            return Fraction(0)
        if len(self.terms) == 1 and () in self.terms:
            return self.terms[()]
        return None

    def key(self) -> tuple[Any, ...]:
        if self._key is None:
            self._key = tuple(sorted(self.terms.items()))
        return self._key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Poly) and self.terms == other.terms

    def __hash__(self) -> int:
        return hash(self.key())

    def __add__(self, other: Poly) -> Poly:
        terms = dict(self.terms)
        for m, c in other.terms.items():
            terms[m] = terms.get(m, 0) + c
        return Poly(terms)

    def __neg__(self) -> Poly:
        return Poly({m: -c for m, c in self.terms.items()})

    def __sub__(self, other: Poly) -> Poly:
        return self + (-other)

    def __mul__(self, other: Poly) -> Poly:
        if len(other.terms) == 1 and () in other.terms:
            return self.scale(other.terms[()])
        if len(self.terms) == 1 and () in self.terms:
            return other.scale(self.terms[()])
        check_size(len(self.terms) * len(other.terms))
        terms: dict[Monomial, Fraction] = {}
        for m1, c1 in self.terms.items():
            for m2, c2 in other.terms.items():
                m = _mono_mul(m1, m2)
                terms[m] = terms.get(m, 0) + c1 * c2
        return Poly(terms)

    def scale(self, factor: Fraction) -> Poly:
        return Poly({m: c * factor for m, c in self.terms.items()})

    def gens(self) -> set[Gen]:
        return {g for m in self.terms for g, _ in m}

    def leading(self) -> tuple[Monomial, Fraction]:
        """The largest monomial (in the order of ``key``) and its coefficient."""
        m = max(self.terms)
        return m, self.terms[m]

    def partial(self, gen: Gen) -> Poly:
        """The partial derivative by one generator."""
        terms: dict[Monomial, Fraction] = {}
        for m, c in self.terms.items():
            powers = dict(m)
            e = powers.get(gen, 0)
            if not e:
                continue
            if e == 1:
                del powers[gen]
            else:
                powers[gen] = e - 1
            mono = tuple(sorted(powers.items()))
            terms[mono] = terms.get(mono, 0) + c * e
        return Poly(terms)

    def monomial_content(self) -> Monomial:
        """The largest monomial dividing every term."""
        common: dict[Gen, int] | None = None
        for m in self.terms:
            powers = dict(m)
            common = powers if common is None else {
                g: min(e, powers[g]) for g, e in common.items() if g in powers}
        return tuple(sorted((common or {}).items()))

    def divide_monomial(self, mono: Monomial) -> Poly:
        if not mono:
            return self
        out: dict[Monomial, Fraction] = {}
        for m, c in self.terms.items():
            powers = dict(m)
            for g, e in mono:
                powers[g] -= e
            out[tuple(sorted((g, e) for g, e in powers.items() if e))] = c
        return Poly(out)

    def __repr__(self) -> str:
        return " + ".join(f"{c}*{m}" for m, c in self.key()) or "0"


def _gcd_cancel(num: Poly, den: Poly) -> tuple[Poly, Poly]:
    """Cancel the greatest common divisor of two polynomials (SymPy's sparse polynomials)."""
    from sympy.polys.domains import QQ
    from sympy.polys.rings import ring

    gens = sorted(num.gens() | den.gens())
    index = {g: k for k, g in enumerate(gens)}
    R, *_ = ring([f"g{k}" for k in range(len(gens))], QQ)

    def to_ring(p: Poly) -> Any:
        out = {}
        for m, c in p.terms.items():
            exps = [0] * len(gens)
            for g, e in m:
                exps[index[g]] = e
            out[tuple(exps)] = QQ(c.numerator, c.denominator)
        return R.from_dict(out)

    def back(p: Any) -> Poly:
        return Poly({tuple((gens[k], e) for k, e in enumerate(exps) if e):
                     Fraction(int(c.numerator), int(c.denominator)) for exps, c in p.items()})

    p, q = to_ring(num).cancel(to_ring(den))
    return back(p), back(q)


class Frac:
    """A rational function num / den in lowest terms, den with leading coefficient 1."""

    __slots__ = ("num", "den")

    def __init__(self, num: Poly, den: Poly | None = None, reduced: bool = False) -> None:
        den = den if den is not None else Poly.const(1)
        if den.is_zero:
            raise ZeroDivisionError("division by a zero polynomial")
        if not reduced:
            num, den = self._reduce(num, den)
        self.num, self.den = num, den

    @staticmethod
    def _reduce(num: Poly, den: Poly) -> tuple[Poly, Poly]:
        if num.is_zero:
            return num, Poly.const(1)
        value = den.constant()
        if value is not None:
            return (num if value == 1 else num.scale(1 / value)), Poly.const(1)
        if len(den.terms) == 1:
            common = dict(num.monomial_content())
            (mono, _), = den.terms.items()
            shared = tuple((g, min(e, common[g])) for g, e in mono if g in common)
            num, den = num.divide_monomial(shared), den.divide_monomial(shared)
        else:
            num, den = _gcd_cancel(num, den)
        lead = den.leading()[1]
        if lead != 1:
            num, den = num.scale(1 / lead), den.scale(1 / lead)
        return num, den

    @staticmethod
    def const(value: int | Fraction) -> Frac:
        return Frac(Poly.const(value), reduced=True)

    @staticmethod
    def gen(gen: Gen) -> Frac:
        return Frac(Poly.gen(gen), reduced=True)

    @property
    def is_zero(self) -> bool:
        return self.num.is_zero

    def constant(self) -> Fraction | None:
        return self.num.constant() if self.den.constant() == 1 else None

    def key(self) -> tuple[Any, ...]:
        return (self.num.key(), self.den.key())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Frac) and self.num == other.num and self.den == other.den

    def __hash__(self) -> int:
        return hash(self.key())

    def __add__(self, other: Frac) -> Frac:
        if self.den == other.den:
            return Frac(self.num + other.num, self.den)
        return Frac(self.num * other.den + other.num * self.den, self.den * other.den)

    def __neg__(self) -> Frac:
        return Frac(-self.num, self.den, reduced=True)

    def __sub__(self, other: Frac) -> Frac:
        return self + (-other)

    def __mul__(self, other: Frac) -> Frac:
        if other.den.constant() == 1 and self.den.constant() == 1:
            return Frac(self.num * other.num, reduced=True)
        return Frac(self.num * other.num, self.den * other.den)

    def inverse(self) -> Frac:
        return Frac(self.den, self.num)

    def __truediv__(self, other: Frac) -> Frac:
        return self * other.inverse()

    def __pow__(self, k: int) -> Frac:
        base = self if k >= 0 else self.inverse()
        result = Frac.const(1)
        for _ in range(abs(k)):
            result = result * base
        return result

    def gens(self) -> set[Gen]:
        return self.num.gens() | self.den.gens()

    def __repr__(self) -> str:
        return f"({self.num!r})" if self.den.constant() == 1 else f"({self.num!r})/({self.den!r})"


Shape = tuple[str, str]


@dataclass(frozen=True)
class MatPoly:
    """A matrix polynomial of one shape: canonical word -> nonzero coefficient.

    The empty word is the identity of the (square) shape.  Shapes are dimension names
    ("n", "m") or fixed sizes ("2"); "1" is a vector's single column.
    """

    shape: Shape
    terms: tuple[tuple[Word, Frac], ...]

    @staticmethod
    def build(shape: Shape, pairs: Iterable[tuple[Word, Frac]]) -> MatPoly:
        acc: dict[Word, Frac] = {}
        for word, coeff in pairs:
            acc[word] = acc[word] + coeff if word in acc else coeff
        return MatPoly(shape, tuple(sorted(((w, c) for w, c in acc.items() if not c.is_zero),
                                           key=lambda wc: wc[0])))

    @property
    def is_zero(self) -> bool:
        return not self.terms

    def items(self) -> Iterator[tuple[Word, Frac]]:
        return iter(self.terms)

    def key(self) -> tuple[Any, ...]:
        return (self.shape, tuple((w, c.key()) for w, c in self.terms))
