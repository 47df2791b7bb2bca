"""Formal derivatives on normal forms, by rules that each hold for every size n.

A ``Direction`` is one infinitesimal step: a scalar symbol x moves by 1, or a matrix letter X
moves by a matrix δ (a fresh direction letter for a gradient, e_i e_jᵀ for one entry).  The
derivative along it is a derivation of the algebra, so it is fixed by its values on letters
and generators:

- product rule on words and coefficients; d(Xᵀ) = (dX)ᵀ;
- d(X⁻¹) = −X⁻¹ dX X⁻¹;
- d tr W = tr dW;  d ln|X| = tr(X⁻¹ dX);  d det X = det X · tr(X⁻¹ dX);
- a matrix A declared ``of: x`` has dA/dx a fresh letter A′[x] (symmetric when A is);
  a vector a ``of: b`` has da = J db with J the Jacobian letter ∂a/∂b;
- a function f(x, y) has partial derivatives f_x, f_xy, ... as fresh generators.

A gradient is read off the differential: df = tr(G dX) gives ∂f/∂X = Gᵀ (``gradient``), and
for column vectors da = J db gives the Jacobian J with entry (i, j) = ∂a_i/∂b_j (``jacobian``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .normal import Letter, Normalizer, Outside, Value
from .terms import Atom, Frac, Gen, MatPoly, Poly, Word


@dataclass(frozen=True)
class Direction:
    """The variable that moves, and (for a matrix variable) the matrix it moves by."""

    var: str
    delta: Value | None = None

    @property
    def is_scalar(self) -> bool:
        return self.delta is None


class Differentiator:
    """d/dt at t = 0 of values, where ``direction`` moves by t."""

    def __init__(self, norm: Normalizer, direction: Direction,
                 depends: dict[str, tuple[str, ...]]) -> None:
        self.norm = norm
        self.dir = direction
        #: What each declared symbol is a function of (its ``of:``).
        self.depends = depends

    def moves(self, depends: tuple[str, ...]) -> bool:
        """Whether something that is a function of ``depends`` moves with the variable:
        True when the variable is among them.  A dependence through another dependent symbol
        (A of b, b of x) would need the chain rule and is outside."""
        for name in depends:
            if self._reaches(name, set()):
                raise Outside(f"a dependence on {self.dir.var} through {name} (the chain rule "
                              "through a dependent symbol)")
        return self.dir.var in depends

    def _reaches(self, name: str, seen: set[str]) -> bool:
        for inner in self.depends.get(name, ()):
            if inner == self.dir.var or inner not in seen and self._reaches(inner, seen | {inner}):
                return True
        return False

    # -- values ----------------------------------------------------------------------------

    def value(self, value: Value) -> Value:
        if isinstance(value, Frac):
            return self.frac(value)
        total = self.norm.zero(value.shape)
        for word, coeff in value.terms:
            dc = self.frac(coeff)
            if not dc.is_zero:
                total = self.norm.add(total, self.norm.scale(dc, self.word_value(word, value.shape[0])))
            total = self.norm.add(total, self.norm.scale(coeff, self.word(word, value.shape[0])))
        return total

    def word_value(self, word: Word | list[Atom], size: str) -> Value:
        """The product of a word's atoms (the identity of ``size`` when empty)."""
        result: Value | None = None
        for name, t, inv in word:
            atom = self.norm.letter_value(name, t, inv)
            result = atom if result is None else self.norm.mul(result, atom)
        return result if result is not None else self.norm.identity(size)

    def word(self, word: Word, size: str) -> Value:
        """Product rule over the atoms of a word."""
        total: Value | None = None
        for k, atom in enumerate(word):
            d = self.atom(atom)
            if d is None:
                continue
            left = self.word_value(word[:k], size) if k else None
            right = self.word_value(word[k + 1:], self.norm.atom_shape(atom)[1]) \
                if k + 1 < len(word) else None
            term = d
            if left is not None:
                term = self.norm.mul(left, term)
            if right is not None:
                term = self.norm.mul(term, right)
            total = term if total is None else self.norm.add(total, term)
        if total is None:
            rows = size
            cols = self.norm.atom_shape(word[-1])[1] if word else size
            return self.norm.zero((rows, cols))
        return total

    def atom(self, atom: Atom) -> Value | None:
        name, transposed, inverted = atom
        d = self.letter(name)
        if d is None:
            return None
        if transposed:
            d = self.norm.transpose(d)
        if inverted:
            inv = self.norm.letter_value(name, transposed, True)
            return self.norm.neg(self.norm.mul(self.norm.mul(inv, d), inv))
        return d

    # -- letters ---------------------------------------------------------------------------

    def letter(self, name: str) -> Value | None:
        """dL for a letter L (None when L does not move)."""
        letter = self.norm.letters[name]
        if letter.kind == "inv":
            assert letter.payload is not None
            dp = self.value(letter.payload)
            if dp.is_zero:
                return None
            inv = self.norm.letter_value(name)
            return self.norm.neg(self.norm.mul(self.norm.mul(inv, dp), inv))
        if letter.kind == "diag":
            assert letter.payload is not None
            dp = self.value(letter.payload)
            return None if dp.is_zero else self.norm.diagonal_part(dp)
        if letter.kind in ("direction", "unit"):
            return None
        if letter.kind == "jacobian":
            if self.moves(letter.depends):
                raise Outside("a second derivative of a vector function of a vector")
            return None
        if self.dir.is_scalar:
            return self._by_scalar(letter)
        return self._by_matrix(letter)

    def _by_scalar(self, letter: Letter) -> Value | None:
        x = self.dir.var
        if not self.moves(letter.depends):
            return None
        base = self.norm.letters[letter.base] if letter.base else letter
        wrt = tuple(sorted((*letter.wrt, x)))
        if base.orthogonal:
            self.norm.incomplete.add("a derivative of an orthogonal matrix (Q′ᵀQ + QᵀQ′ = 0)")
        derived = self.norm.add_letter(Letter(
            f"{base.name}′[{','.join(wrt)}]", base.rows, base.cols, symmetric=base.symmetric,
            depends=base.depends, base=base.name, wrt=wrt))
        return self.norm.letter_value(derived.name)

    def _by_matrix(self, letter: Letter) -> Value | None:
        var = self.dir.var
        assert self.dir.delta is not None
        if letter.name == var and letter.base is None:
            return self.dir.delta
        if not self.moves(letter.depends):
            return None
        moving = self.norm.letters[var]
        if letter.base is not None or letter.cols != "1" or moving.cols != "1":
            raise Outside(f"{letter.name} depends on the matrix {var}: only a vector function of "
                          "a vector has a Jacobian in the notation")
        jac = self.norm.add_letter(Letter(f"∂{letter.name}/∂{var}", letter.rows, moving.rows,
                                          depends=letter.depends, kind="jacobian"))
        return self.norm.mul(self.norm.letter_value(jac.name), self.dir.delta)

    # -- scalars ---------------------------------------------------------------------------

    def frac(self, value: Frac) -> Frac:
        dn = self.poly(value.num)
        if value.den.constant() is not None:
            return dn / Frac(value.den, reduced=True)
        dd = self.poly(value.den)
        den = Frac(value.den, reduced=True)
        num = Frac(value.num, reduced=True)
        return (dn * den - num * dd) / (den * den)

    def poly(self, poly: Poly) -> Frac:
        total = Frac.const(0)
        cache: dict[Gen, Frac] = {}
        for mono, c in poly.terms.items():
            for gen, e in mono:
                if gen not in cache:
                    cache[gen] = self.gen(gen)
                dg = cache[gen]
                if dg.is_zero:
                    continue
                rest = [(g, x) for g, x in mono if g != gen] + ([(gen, e - 1)] if e > 1 else [])
                total = total + Frac(Poly({tuple(sorted(rest)): c * e}), reduced=True) * dg
        return total

    def gen(self, gen: Gen) -> Frac:
        kind = gen[0]
        if kind == "sym":
            return self._symbol(gen[1])
        if kind == "dsym":
            _, name, wrt = gen
            if not self.moves(self.depends.get(name, ())):
                return Frac.const(0)
            if not self.dir.is_scalar:
                raise Outside(f"the scalar {name} depends on the matrix {self.dir.var}")
            return Frac.gen(("dsym", name, tuple(sorted((*wrt, self.dir.var)))))
        if kind == "fn":
            _, name, args, wrt = gen
            total = Frac.const(0)
            for k, arg in enumerate(args):
                d = self._symbol(arg)
                if not d.is_zero:
                    total = total + Frac.gen(("fn", name, args, tuple(sorted((*wrt, k))))) * d
            return total
        if kind == "dim":
            return Frac.const(0)
        if kind == "tr":
            word = gen[1]
            size = self.norm.atom_shape(word[0])[0]
            return self.norm.trace(self.word(word, size))
        if kind in ("det", "logdet"):
            dx = self.letter(gen[1])
            if dx is None:
                return Frac.const(0)
            change = self.norm.trace(self.norm.mul(self.norm.letter_value(gen[1], False, True), dx))
            return change * Frac.gen(("det", gen[1])) if kind == "det" else change
        if kind in ("Det", "LogDet"):
            matrix = self.norm.opaque[gen]
            dp = self.value(matrix)
            if dp.is_zero:
                return Frac.const(0)
            change = self.norm.trace(self.norm.mul(self.norm.inverse(matrix), dp))
            return change * Frac.gen(("Det", gen[1])) if kind == "Det" else change
        if kind == "log":
            inner = self.norm.opaque_scalars[gen]
            return self.frac(inner) / inner
        raise Outside(f"cannot differentiate {kind}")

    def _symbol(self, name: str) -> Frac:
        if name == self.dir.var:
            return Frac.const(1)
        if not self.moves(self.depends.get(name, ())):
            return Frac.const(0)
        if not self.dir.is_scalar:
            raise Outside(f"the scalar {name} depends on the matrix {self.dir.var}")
        return Frac.gen(("dsym", name, (self.dir.var,)))


# -- reading off gradients ---------------------------------------------------------------------

def _occurrences(norm: Normalizer, word: Word, name: str) -> int:
    count = 0
    for atom_name, _, _ in word:
        if atom_name == name:
            count += 1
        else:
            payload = norm.letters[atom_name].payload
            if payload is not None and any(_occurrences(norm, w, name) or _mentions(norm, c, name)
                                           for w, c in payload.terms):
                raise Outside("a gradient through the diagonal part or the inverse of a sum")
    return count


def _mentions(norm: Normalizer, value: Frac, name: str) -> bool:
    return any(_gen_count(norm, g, name) for g in value.gens())


def _gen_count(norm: Normalizer, gen: Gen, name: str) -> int:
    if gen[0] == "tr":
        return _occurrences(norm, gen[1], name)
    if gen in norm.opaque and any(_occurrences(norm, w, name) or _mentions(norm, c, name)
                                  for w, c in norm.opaque[gen].terms):
        raise Outside("a gradient through a determinant of a sum")
    return 0


def _split_monomial(norm: Normalizer, mono: tuple[tuple[Gen, int], ...], name: str
                    ) -> tuple[Gen | None, tuple[tuple[Gen, int], ...]]:
    """The one generator of a monomial that holds the direction letter, and the rest."""
    holding = [(g, e) for g, e in mono if _gen_count(norm, g, name)]
    if not holding:
        return None, mono
    (gen, e), = holding if len(holding) == 1 else [(None, 0)]
    if gen is None or e != 1 or _gen_count(norm, gen, name) != 1:
        raise Outside("the differential is not linear in the direction (a derivative that "
                      "is not first order)")
    return gen, tuple((g, x) for g, x in mono if g != gen)


def _ending_with(norm: Normalizer, word: Word, name: str) -> Word:
    """Rotate (and if needed transpose) a cyclic word so that it ends with the letter."""
    if not any(a == (name, False, False) for a in word):
        word = tuple(norm.transpose_word(word))
    k = word.index((name, False, False))
    rotated = word[k + 1:] + word[:k + 1]
    return rotated[:-1]


def gradient(norm: Normalizer, d: Differentiator, df: Frac, name: str) -> Value:
    """∂f/∂X = Gᵀ from df = tr(G δX), δX the direction letter ``name``."""
    letter = norm.letters[name]
    total = norm.zero((letter.rows, letter.cols))
    den = Frac(df.den, reduced=True)
    for mono, c in df.num.terms.items():
        gen, rest = _split_monomial(norm, mono, name)
        if gen is None:
            raise Outside("the differential has a part that does not move with the variable")
        g = _ending_with(norm, gen[1], name)
        factor = Frac(Poly({rest: c}), reduced=True) / den
        total = norm.add(total, norm.scale(factor, norm.transpose(d.word_value(g, letter.cols))))
    return total


def jacobian(norm: Normalizer, d: Differentiator, da: Value, name: str, rows: str) -> Value:
    """J from da = J δb, δb the direction letter ``name`` (a column vector)."""
    letter = norm.letters[name]
    total = norm.zero((rows, letter.rows))
    if isinstance(da, Frac):
        da = MatPoly.build((rows, "1"), [((), da)])
    for word, coeff in da.terms:
        den = Frac(coeff.den, reduced=True)
        in_word = _occurrences(norm, word, name)
        for mono, c in coeff.num.terms.items():
            gen, rest = _split_monomial(norm, mono, name)
            factor = Frac(Poly({rest: c}), reduced=True) / den
            if in_word and gen is None and word[-1] == (name, False, False) and in_word == 1:
                total = norm.add(total, norm.scale(factor, d.word_value(word[:-1], rows)))
            elif not in_word and gen is not None:
                u = _ending_with(norm, gen[1], name)
                left = d.word_value(word, rows) if word else None
                right = d.word_value(u, "1")
                term = right if left is None else norm.mul(left, right)
                total = norm.add(total, norm.scale(factor, term))
            else:
                raise Outside("the differential is not linear in the direction")
    return total
