"""Inverses of sums: rewriting with inv(P) P = P inv(P) = I.

The normal form keeps inv(P) of a sum P = Σ c_k w_k as an opaque letter L, so a difference
such as inv(A + B)(A + B) − I does not vanish by itself.  ``vanishes`` tries harder, and only
by steps that hold wherever the expression is defined:

- rewrite L w_max → (I − Σ_{k≠max} c_k L w_k) / c_max (from L P = I) and
  w_max L → (I − Σ_{k≠max} c_k w_k L) / c_max (from P L = I), w_max the largest word of P in
  degree-lexicographic order; every step makes a word smaller in that order, so rewriting ends;
- multiply the difference D by P on the left or on the right first: P is invertible wherever
  inv(P) is defined, so P D = 0 or D P = 0 means D = 0.  This proves Sherman–Morrison,
  Woodbury and push-through identities.

A difference that still does not vanish proves nothing (the rewriting is not known to be
confluent), so the caller keeps such an identity outside.
"""

from __future__ import annotations

from .normal import Normalizer, Value
from .terms import Atom, Frac, Gen, MatPoly, Poly, TooLarge, Word, check_size

#: Rewriting passes before giving up (each pass rewrites every term once).
MAX_PASSES = 50

Rule = tuple[Atom, Word, Frac, list[tuple[Word, Frac]], bool]


def _deglex(word: Word) -> tuple[int, Word]:
    return (len(word), word)


def _rules(norm: Normalizer) -> list[Rule]:
    """(atom L, w_max, c_max, the other terms, L on the left) for every opaque inverse."""
    rules: list[Rule] = []
    for letter in list(norm.letters.values()):
        if letter.kind != "inv" or letter.payload is None or len(letter.payload.terms) < 2:
            continue
        variants = [(False, letter.payload)]
        if not letter.symmetric:
            flipped = norm.transpose(letter.payload)
            assert isinstance(flipped, MatPoly)
            variants.append((True, flipped))
        for transposed, payload in variants:
            atom: Atom = (letter.name, transposed, False)
            top, c_top = max(payload.terms, key=lambda wc: _deglex(wc[0]))
            rest = [(w, c) for w, c in payload.terms if w != top]
            rules += [(atom, top, c_top, rest, True), (atom, top, c_top, rest, False)]
    return rules


def _match(word: Word, rule: Rule) -> int | None:
    """Where the rule's left side L w_max (or w_max L) starts in ``word``, or None."""
    atom, top, _, _, left = rule
    pattern = (atom, *top) if left else (*top, atom)
    for p in range(len(word) - len(pattern) + 1):
        if word[p:p + len(pattern)] == pattern:
            return p
    return None


def reduce(norm: Normalizer, value: Value) -> Value:
    """Rewrite with every rule until no word matches (or MAX_PASSES)."""
    rules = _rules(norm)
    if not rules or not isinstance(value, MatPoly):
        return value
    for _ in range(MAX_PASSES):
        pairs: list[tuple[Word, Frac]] = []
        changed = False
        for word, coeff in value.terms:
            for rule in rules:
                p = _match(word, rule)
                if p is not None:
                    pairs += _rewrite(word, coeff, p, rule)
                    changed = True
                    break
            else:
                pairs.append((word, coeff))
        check_size(len(pairs))
        value = norm.make(value.shape, pairs)
        if not changed or not isinstance(value, MatPoly):
            return value
    return value


def reduce_traces(norm: Normalizer, value: Value) -> Value:
    """Rewrite inside the traces of the coefficients too, until nothing changes: tr(W) with W
    rotated so that an opaque inverse starts it (for L w_max) or ends it (for w_max L)."""
    for _ in range(MAX_PASSES):
        if isinstance(value, MatPoly):
            rewritten: Value = norm.make(value.shape, [(w, _reduce_frac(norm, c)) for w, c in value.terms])
        else:
            rewritten = _reduce_frac(norm, value)
        if rewritten == value:
            return value
        value = rewritten
    return value


def _reduce_frac(norm: Normalizer, value: Frac) -> Frac:
    def poly(p: Poly) -> Frac:
        total = Frac.const(0)
        for mono, c in p.terms.items():
            term = Frac.const(c)
            for gen, e in mono:
                term = term * _reduce_gen(norm, gen) ** e
            total = total + term
        return total
    return poly(value.num) / poly(value.den)


def _reduce_gen(norm: Normalizer, gen: Gen) -> Frac:
    if gen[0] != "tr":
        return Frac.gen(gen)
    word: Word = gen[1]
    spots = [k for k, (name, _, inverted) in enumerate(word)
             if norm.letters[name].kind == "inv" and not inverted]
    if not spots:
        return Frac.gen(gen)
    for rotated in (word[spots[0]:] + word[:spots[0]], word[spots[-1] + 1:] + word[:spots[-1] + 1]):
        size = norm.atom_shape(rotated[0])[0]
        reduced = reduce(norm, norm.make((size, size), [(rotated, Frac.const(1))]))
        trace = norm.trace(reduced)
        if trace != Frac.gen(gen):
            return trace
    return Frac.gen(gen)


def _rewrite(word: Word, coeff: Frac, p: int, rule: Rule) -> list[tuple[Word, Frac]]:
    atom, top, c_top, rest, left = rule
    before, after = word[:p], word[p + 1 + len(top):]
    scale = coeff / c_top
    out = [(before + after, scale)]
    for w, c in rest:
        middle = (atom, *w) if left else (*w, atom)
        out.append((before + middle + after, -scale * c))
    return out


def vanishes(norm: Normalizer, difference: Value) -> bool:
    """Whether the rules show that ``difference`` is zero wherever it is defined."""
    try:
        return _vanishes(norm, difference)
    except TooLarge:
        return False


def _vanishes(norm: Normalizer, difference: Value) -> bool:
    if not _rules(norm):
        return False
    if reduce(norm, reduce_traces(norm, difference)).is_zero:
        return True
    if not isinstance(difference, MatPoly):
        return False
    rows, cols = difference.shape
    for letter in list(norm.letters.values()):
        if letter.kind != "inv" or letter.payload is None or len(letter.payload.terms) < 2:
            continue
        for transposed in (False, True):
            payload = norm.transpose(letter.payload) if transposed else letter.payload
            assert isinstance(payload, MatPoly)
            size = payload.shape[0]
            for product in ([norm.mul(payload, difference)] if size == rows else []) + \
                    ([norm.mul(difference, payload)] if size == cols else []):
                if reduce(norm, reduce_traces(norm, product)).is_zero:
                    return True
    return False

