"""Canonicalisation: the operations of matrix algebra on normal forms.

A value is a scalar (``Frac``) or a matrix (``MatPoly``); a 1 x 1 matrix is a scalar.  Every
operation returns a canonical result:

- words are freely reduced (X X⁻¹ = X⁻¹ X = I), transposes sit on the letters
  ((AB)ᵀ = BᵀAᵀ, (A⁻¹)ᵀ = (Aᵀ)⁻¹), a symmetric letter carries none (Sᵀ = S);
- a word is cut wherever its inner dimension is 1 (a column vector meets a row vector):
  every 1 x 1 piece between two cuts is a scalar (vᵀAu) and moves into the coefficient, so a
  matrix word has at most one cut (u vᵀ);
- a trace is a cyclic word, cyclically reduced, taken up to rotation and up to tr(W) = tr(Wᵀ)
  (the least of all rotations of W and of Wᵀ); a trace through a cut is the product of its
  1 x 1 pieces;
- det of a product of square letters of one size is the product of their determinants, and
  log det the sum of their log-determinants;
- coefficients are reduced rational functions over QQ (``terms.Frac``).

Where the rewriting is sound but not known to be complete, the operation still applies it and
records why in ``incomplete`` (an inverse or a determinant of a sum, orthogonal and diagonal
letters, ...): two normal forms that agree then still prove the identity, but two that differ
prove nothing.  What cannot be written in the normal form at all raises ``Outside``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Union

from .terms import Atom, Frac, Gen, MatPoly, Poly, Shape, Word, check_size

Value = Union[Frac, MatPoly]

ONE = "1"


class Outside(Exception):
    """The expression is outside the fragment the formal engine handles."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Letter:
    """A matrix letter: a declared matrix or vector, or one the engine introduces (a
    derivative A'(x), a direction δA, a unit vector e_i, an opaque inv(P) or diag(P)).

    ``base`` and ``wrt`` name a derivative letter: ∂^k base / ∂wrt.  ``depends`` lists the
    symbols the letter is a function of.  ``payload`` is the matrix an opaque letter stands
    for, and ``kind`` says which ("inv", "diag", or "unit", "direction", "jacobian" for the
    letters derivatives bring).
    """

    name: str
    rows: str
    cols: str
    symmetric: bool = False
    orthogonal: bool = False
    positive: bool = False
    depends: tuple[str, ...] = ()
    base: str | None = None
    wrt: tuple[str, ...] = ()
    kind: str = "letter"
    payload: MatPoly | None = None


def dim_name(dim: object) -> str:
    return str(dim)


class Normalizer:
    """Letters, their structure, and the canonical operations on values."""

    def __init__(self) -> None:
        self.letters: dict[str, Letter] = {}
        #: Why a difference of normal forms would not prove an identity false.
        self.incomplete: set[str] = set()
        #: Why the fragment was left in a way that still allows a proof by agreement
        #: (the dimension used as a scalar).
        self.soft_outside: set[str] = set()
        #: Letters whose structure (symmetry, orthogonality) is set aside while a derivative
        #: by them moves every entry independently.
        self.unconstrained: set[str] = set()
        #: Opaque scalar generators (det or log det of a sum) and the matrix each stands for.
        self.opaque: dict[Gen, MatPoly] = {}
        #: Opaque logarithms and the determinant expression each is the log of.
        self.opaque_scalars: dict[Gen, Frac] = {}
        #: Scalars outside the fragment kept as generators for a degree bound, and the degree
        #: of each (``Translator(lenient=True)``).
        self.opaque_degrees: dict[Gen, int] = {}
        #: Whether some opaque letter is the inverse of a single word (it then cancels).
        self.opaque_inverses = False

    # -- letters ---------------------------------------------------------------------------

    def add_letter(self, letter: Letter) -> Letter:
        known = self.letters.get(letter.name)
        if known is None:
            self.letters[letter.name] = letter
            return letter
        return known

    def _structure(self, name: str) -> tuple[bool, bool]:
        if name in self.unconstrained:
            return False, False
        letter = self.letters[name]
        return letter.symmetric, letter.orthogonal

    @contextmanager
    def without_structure(self, name: str) -> Iterator[None]:
        """While a derivative by ``name`` moves each entry on its own, its symmetry or
        orthogonality does not hold along the perturbation."""
        added = name not in self.unconstrained
        self.unconstrained.add(name)
        try:
            yield
        finally:
            if added:
                self.unconstrained.discard(name)

    def atom_shape(self, atom: Atom) -> Shape:
        letter = self.letters[atom[0]]
        return (letter.cols, letter.rows) if atom[1] else (letter.rows, letter.cols)

    def _atom(self, atom: Atom) -> Atom:
        name, t, inv = atom
        symmetric, orthogonal = self._structure(name)
        if symmetric:
            return (name, False, inv)
        if orthogonal:  # Qᵀ = Q⁻¹
            return (name, False, t != inv)
        return atom

    def letter_value(self, name: str, transposed: bool = False, inverted: bool = False) -> Value:
        letter = self.letters[name]
        shape = (letter.cols, letter.rows) if transposed else (letter.rows, letter.cols)
        return self.make(shape, [((( name, transposed, inverted),), Frac.const(1))])

    # -- words -----------------------------------------------------------------------------

    def _reduce(self, word: Iterable[Atom]) -> list[Atom]:
        """Free reduction: X X⁻¹ = X⁻¹ X = I, and W inv(W) = inv(W) W = I for the opaque
        inverse of a word W of non-square factors."""
        out: list[Atom] = []
        for atom in word:
            atom = self._atom(atom)
            if out and out[-1][0] == atom[0] and out[-1][1] == atom[1] and out[-1][2] != atom[2]:
                out.pop()
                continue
            out.append(atom)
            self._cancel_opaque(out)
        return out

    def _cancel_opaque(self, out: list[Atom]) -> None:
        """W inv(W) or inv(W) W at the end of ``out`` cancels."""
        if not self.opaque_inverses:
            return
        inner = self._inverted_word(out[-1])
        if inner is not None and tuple(out[-1 - len(inner):-1]) == inner:
            del out[-1 - len(inner):]
            return
        for k in range(len(out) - 2, -1, -1):
            inner = self._inverted_word(out[k])
            if inner is not None and tuple(out[k + 1:]) == inner:
                del out[k:]
                return

    def _inverted_word(self, atom: Atom) -> Word | None:
        """For an atom standing for inv(W) with W one word, the atoms of W."""
        name, t, inv = atom
        letter = self.letters[name]
        if letter.kind != "inv" or inv or letter.payload is None or len(letter.payload.terms) != 1:
            return None
        word, coeff = letter.payload.terms[0]
        if coeff != Frac.const(1) or not word:
            return None
        return tuple(self.transpose_word(word)) if t else word

    def _inner_dims(self, word: list[Atom], rows: str, cols: str) -> list[str]:
        """The dimension at each of the len(word) + 1 positions of a word."""
        return [rows] + [self.atom_shape(a)[1] for a in word[:-1]] + [cols] if word else [rows]

    def word(self, word: Iterable[Atom], shape: Shape) -> tuple[Frac, Word]:
        """A product of atoms as (scalar factor, canonical matrix word)."""
        atoms = self._reduce(word)
        scalar = Frac.const(1)
        while True:
            dims = self._inner_dims(atoms, *shape)
            cuts = [p for p, d in enumerate(dims) if d == ONE]
            if len(cuts) < 2 or not atoms:
                return scalar, tuple(atoms)
            for a, b in zip(cuts, cuts[1:]):
                scalar = scalar * self._segment(tuple(atoms[a:b]))
            kept = self._reduce(atoms[:cuts[0]] + atoms[cuts[-1]:])
            if len(kept) == len(atoms[:cuts[0]]) + len(atoms[cuts[-1]:]):
                return scalar, tuple(kept)
            atoms = kept

    def transpose_word(self, word: Word) -> list[Atom]:
        return [self._atom((name, not t, inv)) for name, t, inv in reversed(word)]

    def _segment(self, seg: Word) -> Frac:
        """A 1 x 1 piece vᵀ ... u: a scalar equal to its transpose; e_kᵀe_k = 1 for a unit
        vector (its only rule: e_iᵀe_j for different letters depends on i and j)."""
        if len(seg) == 2 and seg[0][0] == seg[1][0] and seg[0][1] != seg[1][1] \
                and self.letters[seg[0][0]].kind == "unit":
            return Frac.const(1)
        flipped = tuple(self.transpose_word(seg))
        return Frac.gen(("tr", min(seg, flipped)))

    def trace_word(self, word: Iterable[Atom], size: str) -> Frac:
        """tr of a square word, as a product of canonical cyclic-word generators."""
        atoms = self._reduce(word)
        while len(atoms) > 1 and atoms[0][0] == atoms[-1][0] and atoms[0][1] == atoms[-1][1] \
                and atoms[0][2] != atoms[-1][2]:
            atoms = self._reduce(atoms[1:-1])
        if not atoms:
            return self.dimension(size)
        dims = self._inner_dims(atoms, size, size)[:-1]
        cuts = [p for p, d in enumerate(dims) if d == ONE]
        if cuts:
            rotated = atoms[cuts[0]:] + atoms[:cuts[0]]
            cuts = [c - cuts[0] for c in cuts] + [len(atoms)]
            result = Frac.const(1)
            for a, b in zip(cuts, cuts[1:]):
                result = result * self._segment(tuple(rotated[a:b]))
            return result
        return Frac.gen(("tr", self.cyclic_key(atoms)))

    def cyclic_key(self, atoms: list[Atom]) -> Word:
        flipped = self.transpose_word(tuple(atoms))
        return min(tuple(seq[k:] + seq[:k]) for seq in (atoms, flipped) for k in range(len(seq)))

    def dimension(self, size: str) -> Frac:
        """tr(I) = n: a fixed size is a number; a symbolic one leaves the fragment softly."""
        if size.isdigit():
            return Frac.const(int(size))
        self.soft_outside.add(f"the dimension {size} is used as a scalar")
        return Frac.gen(("dim", size))

    # -- values ----------------------------------------------------------------------------

    def make(self, shape: Shape, pairs: Iterable[tuple[Iterable[Atom], Frac]]) -> Value:
        """Canonical value of a sum of coefficient * word; a 1 x 1 matrix becomes a scalar."""
        canon = []
        for atoms, coeff in pairs:
            if coeff.is_zero:
                continue
            factor, word = self.word(atoms, shape)
            canon.append((word, coeff * factor))
        poly = MatPoly.build(shape, canon)
        if shape == (ONE, ONE):
            return poly.terms[0][1] if poly.terms else Frac.const(0)
        return poly

    def zero(self, shape: Shape | None) -> Value:
        return Frac.const(0) if shape is None or shape == (ONE, ONE) else MatPoly(shape, ())

    def identity(self, size: str) -> Value:
        return self.make((size, size), [((), Frac.const(1))])

    @staticmethod
    def shape(value: Value) -> Shape | None:
        return value.shape if isinstance(value, MatPoly) else None

    def add(self, a: Value, b: Value) -> Value:
        if isinstance(a, Frac) and isinstance(b, Frac):
            return a + b
        if not (isinstance(a, MatPoly) and isinstance(b, MatPoly)) or a.shape != b.shape:
            raise Outside("a sum of terms of different shapes")
        return self.make(a.shape, [*a.terms, *b.terms])

    def scale(self, c: Frac, value: Value) -> Value:
        if isinstance(value, Frac):
            return c * value
        if c.is_zero:
            return MatPoly(value.shape, ())
        return MatPoly(value.shape, tuple((w, c * k) for w, k in value.terms))

    def neg(self, value: Value) -> Value:
        return self.scale(Frac.const(-1), value)

    def sub(self, a: Value, b: Value) -> Value:
        if isinstance(a, MatPoly) and isinstance(b, Frac) and b.is_zero:
            return a
        if isinstance(b, MatPoly) and isinstance(a, Frac) and a.is_zero:
            return self.neg(b)
        return self.add(a, self.neg(b))

    def mul(self, a: Value, b: Value) -> Value:
        if isinstance(a, Frac):
            return self.scale(a, b)
        if isinstance(b, Frac):
            return self.scale(b, a)
        if a.shape[1] != b.shape[0]:
            raise Outside(f"a product of shapes {a.shape} and {b.shape}")
        shape = (a.shape[0], b.shape[1])
        check_size(len(a.terms) * len(b.terms))
        return self.make(shape, [(w1 + w2, c1 * c2) for w1, c1 in a.terms for w2, c2 in b.terms])

    def transpose(self, value: Value) -> Value:
        if isinstance(value, Frac):
            return value
        rows, cols = value.shape
        return self.make((cols, rows), [(self.transpose_word(w), c) for w, c in value.terms])

    def trace(self, value: Value) -> Frac:
        if isinstance(value, Frac):
            return value
        total = Frac.const(0)
        for word, coeff in value.terms:
            total = total + coeff * self.trace_word(word, value.shape[0])
        return total

    def power(self, value: Value, k: int) -> Value:
        result = value
        for _ in range(k - 1):
            result = self.mul(result, value)
        return result

    def _square_letters(self, word: Word, size: str) -> bool:
        return all(self.letters[name].rows == size == self.letters[name].cols for name, _, _ in word)

    def inverse(self, value: Value) -> Value:
        """(c W)⁻¹ = c⁻¹ W⁻¹ for a word of square letters of one size (each then invertible
        wherever the product is); otherwise an opaque letter inv(P)."""
        if isinstance(value, Frac):
            if value.is_zero:
                raise Outside("the inverse of zero")
            return value.inverse()
        size = value.shape[0]
        if value.is_zero:
            raise Outside("the inverse of a zero matrix")
        if len(value.terms) == 1:
            word, coeff = value.terms[0]
            if len(word) == 1 and self.letters[word[0][0]].kind == "inv" and not word[0][2]:
                payload = self.letters[word[0][0]].payload
                assert payload is not None
                return self.scale(coeff.inverse(), self.transpose(payload) if word[0][1] else payload)
            if self._square_letters(word, size):
                return self.make(value.shape, [([(n, t, not i) for n, t, i in reversed(word)],
                                                 coeff.inverse())])
            self.incomplete.add("the inverse of a product of non-square factors")
            return self.scale(coeff.inverse(), self._opaque(
                "inv", MatPoly(value.shape, ((word, Frac.const(1)),))))
        self.incomplete.add("the inverse of a sum")
        return self._opaque("inv", value)

    def diagonal_part(self, value: Value) -> Value:
        """I∘P, the diagonal of a square matrix (a structured derivative needs it)."""
        if isinstance(value, Frac):
            return value
        self.incomplete.add("the diagonal part of a matrix (I∘M)")
        total = self.zero(value.shape)
        for word, coeff in value.terms:
            part = self.identity(value.shape[0]) if not word else self._opaque(
                "diag", MatPoly(value.shape, ((word, Frac.const(1)),)))
            total = self.add(total, self.scale(coeff, part))
        return total

    def _opaque(self, kind: str, value: MatPoly) -> Value:
        """A letter standing for inv(P) or diag(P), named by the canonical key of P or Pᵀ
        (whichever is smaller), so that transposes meet."""
        flipped = self.transpose(value)
        assert isinstance(flipped, MatPoly)
        key, fkey = value.key(), flipped.key()
        chosen, transposed = (value, False) if key <= fkey else (flipped, True)
        name = f"{kind}⟨{len(self.letters)}⟩"
        existing = next((known for known in self.letters.values() if known.kind == kind
                         and known.payload is not None and known.payload.key() == chosen.key()),
                        None)
        if existing is None:
            self.opaque_inverses = self.opaque_inverses or kind == "inv" and len(chosen.terms) == 1
            existing = self.add_letter(Letter(name, chosen.shape[0], chosen.shape[1],
                                              symmetric=(key == fkey or kind == "diag"),
                                              kind=kind, payload=chosen))
        return self.letter_value(existing.name, transposed=transposed and not existing.symmetric)

    def det(self, value: Value) -> Frac:
        if isinstance(value, Frac):
            return value
        size = value.shape[0]
        if value.is_zero:
            return Frac.const(0)
        if len(value.terms) == 1 and self._square_letters(value.terms[0][0], size):
            word, coeff = value.terms[0]
            result = self._power_of_size(coeff, size)
            for name, _, inverted in word:
                letter = self.letters[name]
                if letter.orthogonal:
                    self.incomplete.add(f"det of the orthogonal matrix {name} (±1)")
                if letter.kind != "letter":
                    self.incomplete.add("det of an inverse or diagonal part of a sum")
                d = Frac.gen(("det", name))
                result = result * (d.inverse() if inverted else d)
            return result
        self.incomplete.add("det of a sum or of a product of non-square factors")
        flipped = self.transpose(value)
        assert isinstance(flipped, MatPoly)
        chosen = min((value, flipped), key=lambda v: v.key())
        gen: Gen = ("Det", chosen.key())
        self.opaque[gen] = chosen
        return Frac.gen(gen)

    def _power_of_size(self, coeff: Frac, size: str) -> Frac:
        """c^n for det(cW): a number when n is fixed, outside for a symbolic n unless c = 1."""
        if size.isdigit():
            return coeff ** int(size)
        if coeff == Frac.const(1):
            return coeff
        raise Outside(f"det of a scaled matrix is c^{size}: the dimension {size} is an exponent")

    def logdet(self, value: Value) -> Frac:
        return self.logdet_of(self.det(value))

    def logdet_of(self, det: Frac) -> Frac:
        """log of a determinant expression.

        log det X of one letter is a generator.  Over positive-definite letters (det > 0) the
        log of a product, power or inverse splits into a sum; otherwise the split holds only
        up to a multiple of 2πi (log det(AB) with det A, det B < 0), so that logarithm stays
        one opaque generator whose derivative is d det / det."""
        num, den = det.num, det.den
        if len(num.terms) == 1 and len(den.terms) == 1 and not num.is_zero:
            (mono, c), = num.terms.items()
            (dmono, dc), = den.terms.items()
            gens = [g for g, _ in mono + dmono]
            single = not dmono and len(mono) == 1 and mono[0][1] == 1
            if c == 1 and dc == 1 and all(g[0] in ("det", "Det") for g in gens) and (
                    single or all(g[0] == "det" and self.letters[g[1]].positive for g in gens)):
                total = Frac.const(0)
                for monomial, sign in ((mono, 1), (dmono, -1)):
                    for gen, e in monomial:
                        total = total + Frac.const(sign * e) * Frac.gen(self._log_gen(gen))
                return total
        if det.is_zero:
            raise Outside("log of a zero determinant")
        self.incomplete.add("log of a product of determinants (it splits only up to 2πi)")
        log: Gen = ("log", det.key())
        self.opaque_scalars[log] = det
        return Frac.gen(log)

    def _log_gen(self, gen: Gen) -> Gen:
        if gen[0] == "det":
            return ("logdet", gen[1])
        log: Gen = ("LogDet", gen[1])
        self.opaque[log] = self.opaque[gen]
        return log

    # -- re-canonicalisation ---------------------------------------------------------------

    def renormalize(self, value: Value) -> Value:
        """Rebuild a value under the current structure (after a derivative by an
        unconstrained letter, Sᵀ = S holds again)."""
        if isinstance(value, Frac):
            return self._renormalize_frac(value)
        total = self.zero(value.shape)
        for word, coeff in value.terms:
            term: Value = self._renormalize_frac(coeff)
            factor = self.identity(value.shape[0]) if not word else None
            for atom in word:
                value_of_atom = self._renormalize_atom(atom)
                factor = value_of_atom if factor is None else self.mul(factor, value_of_atom)
            assert factor is not None
            total = self.add(total, self.mul(term, factor))
        return total

    def _renormalize_atom(self, atom: Atom) -> Value:
        name, t, inv = atom
        letter = self.letters[name]
        if letter.payload is None:
            return self.letter_value(name, t, inv)
        payload = self.renormalize(letter.payload)
        value = self.inverse(payload) if letter.kind == "inv" else self.diagonal_part(payload)
        value = self.transpose(value) if t else value
        return self.inverse(value) if inv else value

    def _renormalize_frac(self, value: Frac) -> Frac:
        return self._renormalize_poly(value.num) / self._renormalize_poly(value.den)

    def _renormalize_poly(self, poly: Poly) -> Frac:
        total = Frac.const(0)
        for mono, c in poly.terms.items():
            term = Frac.const(c)
            for gen, e in mono:
                term = term * self.renormalize_gen(gen) ** e
            total = total + term
        return total

    def renormalize_gen(self, gen: Gen) -> Frac:
        if gen[0] == "tr":
            word = gen[1]
            size = self.atom_shape(word[0])[0]
            return self.trace_word(word, size)
        if gen[0] in ("Det", "LogDet"):
            det = self.det(self.renormalize(self.opaque[gen]))
            return det if gen[0] == "Det" else self.logdet_of(det)
        if gen[0] == "log":
            return self.logdet_of(self._renormalize_frac(self.opaque_scalars[gen]))
        return Frac.gen(gen)
