"""Kronecker products and vec in the formal engine, by rules that hold for every size.

Two more kinds of value stand beside the normal form's scalars and matrix polynomials:

- ``KronPoly``: Σ c_k U_k1 ⊗ U_k2 ⊗ … with ordinary matrix polynomials as factors, every term
  with the same factor shapes (its *slots*);
- ``VecPoly``: vec(M) (or vec(M)ᵀ) for an ordinary matrix polynomial M.

The rules, each an identity of matrices of every size:

- bilinearity, (cA) ⊗ B = c (A ⊗ B), and associativity (the slots of nested products are
  concatenated);
- (A ⊗ B)(C ⊗ D) = AC ⊗ BD slot by slot, (A ⊗ B)ᵀ = Aᵀ ⊗ Bᵀ, (A ⊗ B)⁻¹ = A⁻¹ ⊗ B⁻¹,
  tr(A ⊗ B) = tr A tr B, and det(A ⊗ B) = det(A)^q det(B)^p (A p x p, B q x q) at fixed sizes;
- for vectors u ⊗ vᵀ = u vᵀ = vᵀ ⊗ u, u ⊗ v = vec(v uᵀ); vec of a column is the column, of a
  row its transpose;
- (A ⊗ B) vec(X) = vec(B X Aᵀ), vec(X)ᵀ (A ⊗ B) = vec(Bᵀ X A)ᵀ, vec(X)ᵀ vec(Y) = tr(XᵀY);
- d(A ⊗ B) = dA ⊗ B + A ⊗ dB, d vec(X) = vec(dX).

A claim whose sides are such values is decided by pairing: M = N exactly when
⟨Z_1 ⊗ Z_2 ⊗ …, M − N⟩ = 0 for free letters Z_k of the slots' shapes (the products Z_1 ⊗ Z_2
span every matrix of the total shape), and ⟨Z_1 ⊗ Z_2, U_1 ⊗ U_2⟩ = tr(Z_1ᵀU_1) tr(Z_2ᵀU_2) is a
trace polynomial of the ordinary fragment; vec(M) pairs with vec(Z) as tr(ZᵀM).  Anything
else with these values (a product whose slot shapes do not line up, vec of a Kronecker
product, det at a symbolic size, an outer product vec(X) vec(Y)ᵀ) is ``Outside``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from itertools import repeat
from math import prod
from typing import Union

from .derive import Differentiator
from .normal import ONE, Letter, Normalizer, Outside
from .terms import Frac, MatPoly, Shape, check_size

OrdinaryValue = Union[Frac, MatPoly]


@dataclass(frozen=True)
class KronPoly:
    """Σ coefficient · (factor_1 ⊗ factor_2 ⊗ …), the factors' shapes being ``slots``."""

    slots: tuple[Shape, ...]
    terms: tuple[tuple[Frac, tuple[MatPoly, ...]], ...]

    @property
    def shape(self) -> Shape:
        return ("*".join(r for r, _ in self.slots), "*".join(c for _, c in self.slots))

    @property
    def is_zero(self) -> bool:
        return not self.terms


@dataclass(frozen=True)
class VecPoly:
    """vec(inner), or its transpose; inner has more than one row and more than one column."""

    inner: MatPoly
    transposed: bool = False

    @property
    def shape(self) -> Shape:
        length = "*".join(self.inner.shape)
        return (ONE, length) if self.transposed else (length, ONE)

    @property
    def is_zero(self) -> bool:
        return self.inner.is_zero


Value = Union[Frac, MatPoly, KronPoly, VecPoly]
_NEW = (KronPoly, VecPoly)


def as_ordinary(value: Value, what: str) -> OrdinaryValue:
    """``value`` where only a scalar or an ordinary matrix can stand (``what`` names it)."""
    if isinstance(value, _NEW):
        raise Outside(f"{what} is a Kronecker product or vec(...)")
    return value


class KroneckerNormalizer(Normalizer):
    """The normal form's operations, extended to Kronecker products and vec."""

    # -- building ----------------------------------------------------------------------------

    def kron(self, a: Value, b: Value) -> Value:
        if isinstance(a, Frac):
            return self.scale(a, b)
        if isinstance(b, Frac):
            return self.scale(b, a)
        if isinstance(a, VecPoly) or isinstance(b, VecPoly):
            raise Outside("a Kronecker product with vec(...) as a factor")
        if isinstance(a, MatPoly) and isinstance(b, MatPoly):
            return self._kron_pair(a, b)
        left, right = self._as_kron(a), self._as_kron(b)
        check_size(len(left.terms) * len(right.terms))
        return self._kron_poly(left.slots + right.slots,
                               [(c1 * c2, f1 + f2) for c1, f1 in left.terms for c2, f2 in right.terms])

    def _kron_pair(self, a: MatPoly, b: MatPoly) -> Value:
        (ar, ac), (br, bc) = a.shape, b.shape
        if ac == ONE and br == ONE:  # u ⊗ vᵀ = u vᵀ
            return self.mul(a, b)
        if ar == ONE and bc == ONE:  # uᵀ ⊗ v = v uᵀ
            return self.mul(b, a)
        if ac == ONE and bc == ONE:  # u ⊗ v = vec(v uᵀ)
            return self.vec(self.mul(b, super().transpose(a)))
        if ar == ONE and br == ONE:  # uᵀ ⊗ vᵀ = (u ⊗ v)ᵀ
            return self.transpose(self.vec(self.mul(super().transpose(b), a)))
        return self._kron_poly((a.shape, b.shape), [(Frac.const(1), (a, b))])

    def _kron_poly(self, slots: tuple[Shape, ...], terms: list[tuple[Frac, tuple[MatPoly, ...]]]) -> KronPoly:
        kept = tuple((c, f) for c, f in terms if not c.is_zero and not any(m.is_zero for m in f))
        return KronPoly(slots, kept)

    def _as_kron(self, value: Value) -> KronPoly:
        if isinstance(value, KronPoly):
            return value
        assert isinstance(value, MatPoly)
        return KronPoly((value.shape,), ((Frac.const(1), (value,)),))

    def vec(self, value: Value) -> Value:
        if isinstance(value, Frac):
            return value
        if isinstance(value, VecPoly):
            if value.transposed:
                return self.transpose(value)
            return value
        if isinstance(value, KronPoly):
            raise Outside("vec of a Kronecker product")
        rows, cols = value.shape
        if cols == ONE:
            return value
        if rows == ONE:
            return super().transpose(value)
        return VecPoly(value)

    # -- the normal form's operations ----------------------------------------------------------

    @staticmethod
    def shape(value: Value) -> Shape | None:
        return None if isinstance(value, Frac) else value.shape

    def add(self, a: Value, b: Value) -> Value:  # type: ignore[override]
        if not isinstance(a, _NEW) and not isinstance(b, _NEW):
            return super().add(a, b)
        if isinstance(a, KronPoly) and isinstance(b, KronPoly) and a.slots == b.slots:
            return self._kron_poly(a.slots, [*a.terms, *b.terms])
        if isinstance(a, VecPoly) and isinstance(b, VecPoly) and a.transposed == b.transposed \
                and a.inner.shape == b.inner.shape:
            inner = super().add(a.inner, b.inner)
            assert isinstance(inner, MatPoly)
            return VecPoly(inner, a.transposed)
        if self._zero_ordinary(a):
            return b
        if self._zero_ordinary(b):
            return a
        raise Outside("a sum of Kronecker products or vec(...) whose factors' shapes differ")

    @staticmethod
    def _zero_ordinary(value: Value) -> bool:
        return isinstance(value, (Frac, MatPoly)) and value.is_zero

    def scale(self, c: Frac, value: Value) -> Value:  # type: ignore[override]
        if isinstance(value, KronPoly):
            return self._kron_poly(value.slots, [(c * k, f) for k, f in value.terms])
        if isinstance(value, VecPoly):
            inner = super().scale(c, value.inner)
            assert isinstance(inner, MatPoly)
            return VecPoly(inner, value.transposed)
        return super().scale(c, value)

    def mul(self, a: Value, b: Value) -> Value:  # type: ignore[override]
        if isinstance(a, Frac):
            return self.scale(a, b)
        if isinstance(b, Frac):
            return self.scale(b, a)
        if not isinstance(a, _NEW) and not isinstance(b, _NEW):
            return super().mul(a, b)
        if isinstance(a, KronPoly) and isinstance(b, KronPoly):
            return self._slotwise(a, b)
        if isinstance(a, KronPoly) and isinstance(b, VecPoly) and not b.transposed:
            return self._kron_times_vec(a, b.inner)
        if isinstance(a, VecPoly) and a.transposed and isinstance(b, KronPoly):
            return self.transpose(self._kron_times_vec(self._transpose_kron(b), a.inner))
        if isinstance(a, VecPoly) and isinstance(b, VecPoly) and a.transposed and not b.transposed:
            if a.inner.shape != b.inner.shape:
                raise Outside("vec(X)ᵀ vec(Y) with X and Y of different shapes")
            return self.trace(super().mul(super().transpose(a.inner), b.inner))
        raise Outside("a product of a Kronecker product or vec(...) with a factor whose shape "
                      "does not split the same way")

    def power(self, value: Value, k: int) -> Value:  # type: ignore[override]
        """Repeated products, so (A ⊗ B)ᵏ = Aᵏ ⊗ Bᵏ comes from the slot-wise product."""
        return reduce(self.mul, repeat(value, k - 1), value)

    def _slotwise(self, a: KronPoly, b: KronPoly) -> Value:
        """(A ⊗ B)(C ⊗ D) = AC ⊗ BD, when every slot's columns match the next one's rows."""
        if len(a.slots) != len(b.slots) or any(s[1] != t[0] for s, t in zip(a.slots, b.slots)):
            raise Outside("a product of Kronecker products whose factors' shapes do not line up")
        check_size(len(a.terms) * len(b.terms))
        total: Value | None = None
        for c1, f1 in a.terms:
            for c2, f2 in b.terms:
                term = self._kron_of(c1 * c2, [super(KroneckerNormalizer, self).mul(x, y)
                                                for x, y in zip(f1, f2)])
                total = term if total is None else self.add(total, term)
        if total is None:
            return KronPoly(tuple((s[0], t[1]) for s, t in zip(a.slots, b.slots)), ())
        return total

    def _kron_of(self, coeff: Frac, factors: list[OrdinaryValue]) -> Value:
        """coeff · (F_1 ⊗ F_2 ⊗ …), rebuilt by the rules of ``kron`` (a 1 x 1 factor is a scalar)."""
        result: Value = factors[0]
        for factor in factors[1:]:
            result = self.kron(result, factor)
        return self.scale(coeff, result)

    def _kron_times_vec(self, a: KronPoly, x: MatPoly) -> Value:
        """(P ⊗ Q) vec(X) = vec(Q X Pᵀ)."""
        if len(a.slots) != 2 or a.slots[1][1] != x.shape[0] or a.slots[0][1] != x.shape[1]:
            raise Outside("a Kronecker product times vec(X) whose shapes do not line up")
        total: Value | None = None
        for c, (p, q) in a.terms:
            term = self.scale(c, self.vec(super().mul(super().mul(q, x), super().transpose(p))))
            total = term if total is None else self.add(total, term)
        if total is None:
            return VecPoly(MatPoly((a.slots[1][0], a.slots[0][0]), ()))
        return total

    def transpose(self, value: Value) -> Value:  # type: ignore[override]
        if isinstance(value, KronPoly):
            return self._transpose_kron(value)
        if isinstance(value, VecPoly):
            return VecPoly(value.inner, not value.transposed)
        return super().transpose(value)

    def _transpose_kron(self, value: KronPoly) -> KronPoly:
        """(A ⊗ B)ᵀ = Aᵀ ⊗ Bᵀ, again a Kronecker product of the same number of slots."""
        return self._kron_poly(tuple((c, r) for r, c in value.slots), [
            (c, tuple(self._ordinary(super(KroneckerNormalizer, self).transpose(f)) for f in fs))
            for c, fs in value.terms])

    @staticmethod
    def _ordinary(value: OrdinaryValue) -> MatPoly:
        assert isinstance(value, MatPoly)
        return value

    def trace(self, value: Value) -> Frac:
        if isinstance(value, VecPoly):
            raise Outside("the trace of vec(...)")
        if isinstance(value, KronPoly):
            if any(r != c for r, c in value.slots):
                raise Outside("the trace of a Kronecker product of non-square factors")
            total = Frac.const(0)
            for c, factors in value.terms:
                term = c
                for f in factors:
                    term = term * super().trace(f)
                total = total + term
            return total
        return super().trace(value)

    def inverse(self, value: Value) -> Value:  # type: ignore[override]
        if isinstance(value, VecPoly):
            raise Outside("the inverse of vec(...)")
        if isinstance(value, KronPoly):
            if len(value.terms) != 1 or any(r != c for r, c in value.slots):
                raise Outside("the inverse of a sum of Kronecker products")
            (c, factors), = value.terms
            return self._kron_of(c.inverse(), [super(KroneckerNormalizer, self).inverse(f) for f in factors])
        return super().inverse(value)

    def det(self, value: Value) -> Frac:
        if isinstance(value, VecPoly):
            raise Outside("the determinant of vec(...)")
        if isinstance(value, KronPoly):
            sizes = [r for r, _ in value.slots]
            if len(value.terms) != 1 or not all(s.isdigit() for s in sizes):
                raise Outside("det of a Kronecker product is det(A)^q det(B)^p: a dimension "
                              "as an exponent")
            (c, factors), = value.terms
            total = prod(int(s) for s in sizes)
            result = c ** total
            for f, s in zip(factors, sizes):
                result = result * super().det(f) ** (total // int(s))
            return result
        return super().det(value)

    def logdet(self, value: Value) -> Frac:
        """log det on the wider values: ``det`` knows Kronecker products at fixed sizes."""
        return self.logdet_of(self.det(value))

    def diagonal_part(self, value: Value) -> Value:  # type: ignore[override]
        if isinstance(value, _NEW):
            raise Outside("the diagonal part of a Kronecker product or vec(...)")
        return super().diagonal_part(value)

    def renormalize(self, value: Value) -> Value:  # type: ignore[override]
        if isinstance(value, KronPoly):
            total: Value | None = None
            for c, factors in value.terms:
                term = self._kron_of(self._renormalize_frac(c), [super(KroneckerNormalizer, self).renormalize(f)
                                                                 for f in factors])
                total = term if total is None else self.add(total, term)
            return total if total is not None else value
        if isinstance(value, VecPoly):
            inner = self.vec(super().renormalize(value.inner))
            return self.transpose(inner) if value.transposed else inner
        return super().renormalize(value)

    # -- deciding a claim -------------------------------------------------------------------

    def paired(self, left: Value, right: Value) -> tuple[OrdinaryValue, OrdinaryValue]:
        """Both sides as ordinary values: Kronecker products and vec(...) paired with free
        letters of their factors' shapes (see the module docstring); both sides must split
        the same way."""
        if not isinstance(left, _NEW) and not isinstance(right, _NEW):
            return left, right
        if self._zero_ordinary(left) or self._zero_ordinary(right):
            pattern = right if self._zero_ordinary(left) else left
            return self._pair(left, pattern), self._pair(right, pattern)
        if type(left) is not type(right) or self._split(left) != self._split(right):
            raise Outside("the two sides are Kronecker products or vec(...) whose factors' "
                          "shapes differ")
        return self._pair(left, left), self._pair(right, left)

    @staticmethod
    def _split(value: Value) -> tuple[object, ...]:
        if isinstance(value, KronPoly):
            return ("kron", value.slots)
        assert isinstance(value, VecPoly)
        return ("vec", value.inner.shape, value.transposed)

    def _probe(self, k: int, shape: Shape) -> MatPoly:
        name = f"Z⟨{k}: {shape[0]} x {shape[1]}⟩"
        self.add_letter(Letter(name, shape[0], shape[1], kind="direction"))
        probe = self.letter_value(name)
        assert isinstance(probe, MatPoly)
        return probe

    def _pair(self, value: Value, pattern: Value) -> Frac:
        if self._zero_ordinary(value):
            return Frac.const(0)
        if isinstance(pattern, VecPoly):
            assert isinstance(value, VecPoly)
            z = self._probe(0, value.inner.shape)
            return super().trace(super().mul(super().transpose(z), value.inner))
        assert isinstance(pattern, KronPoly) and isinstance(value, KronPoly)
        probes = [self._probe(k, s) for k, s in enumerate(pattern.slots)]
        total = Frac.const(0)
        for c, factors in value.terms:
            term = c
            for z, f in zip(probes, factors):
                term = term * super().trace(super().mul(super().transpose(z), f))
            total = total + term
        return total


class KroneckerDifferentiator(Differentiator):
    """The product rule over the factors of a Kronecker product, and d vec(X) = vec(dX)."""

    norm: KroneckerNormalizer

    def value(self, value: Value) -> Value:  # type: ignore[override]
        if isinstance(value, VecPoly):
            inner = self.norm.vec(super().value(value.inner))
            return self.norm.transpose(inner) if value.transposed else inner
        if not isinstance(value, KronPoly):
            return super().value(value)
        total: Value = KronPoly(value.slots, ())
        for c, factors in value.terms:
            dc = self.frac(c)
            if not dc.is_zero:
                total = self.norm.add(total, self.norm._kron_of(dc, list(factors)))
            for k, factor in enumerate(factors):
                moved = super().value(factor)
                if not moved.is_zero:
                    parts: list[OrdinaryValue] = [*factors[:k], moved, *factors[k + 1:]]
                    total = self.norm.add(total, self.norm._kron_of(c, parts))
        return total
