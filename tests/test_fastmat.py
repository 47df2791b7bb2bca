"""The C path for exact matrix arithmetic (python-flint) agrees with the entrywise one, on
rationals, on jets (derivatives) and on gradients (Tangents)."""

from __future__ import annotations

import random

import pytest

from proofbook.verify import fastmat, linalg, rationals
from proofbook.verify.backends import ExactBackend
from proofbook.verify.jet import Jet, Tangent, coefficient, component, new_tag, standard

pytestmark = pytest.mark.skipif(not rationals.available(), reason="python-flint is not installed")


def _matrix(n: int, rng: random.Random, tags: list[int], tangent: int | None) -> list[list[object]]:
    q = rationals.rational
    rows = []
    for i in range(n):
        row = []
        for j in range(n):
            terms = {frozenset(): q(rng.randint(-9, 9), rng.randint(1, 5)) + (5 if i == j else 0)}
            for t in tags:
                terms[frozenset((t,))] = q(rng.randint(-9, 9))
            if tangent is not None:
                terms[frozenset((tangent,))] = Tangent({k: q(rng.randint(-3, 3)) for k in range(3)})
            row.append(Jet(terms) if len(terms) > 1 else terms[frozenset()])
        rows.append(row)
    return rows


def _entrywise(op: str, *args: object) -> object:
    """The same operation with the C path switched off."""
    rationals.use_flint(False)
    try:
        field = ExactBackend.field
        return {"matmul": lambda: linalg.matmul(*args), "inverse": lambda: linalg.inverse(args[0], field),
                "det": lambda: linalg.det(args[0], field)}[op]()
    finally:
        rationals.use_flint(True)


def _flat(value: object, tags: list[int], tangent: int | None) -> list[object]:
    """Every coefficient of a value, as plain rationals, for comparison."""
    entries = [x for row in value for x in row] if isinstance(value, list) else [value]
    out = []
    for x in entries:
        out.append(x.standard if isinstance(x, Jet) else x)
        for t in tags:
            out.append(standard(coefficient(x, [t])))
        if len(tags) == 2:
            out.append(coefficient(x, tags))
        if tangent is not None:
            first = coefficient(x, [tangent])
            out.extend(component(first, k) for k in range(3))
    return [rationals.rational(*rationals.parts(v)) if not isinstance(v, int) else rationals.rational(v) for v in out]


@pytest.mark.parametrize("case", ["rational", "one tag", "two tags", "tangent"])
@pytest.mark.parametrize("op", ["matmul", "inverse", "det"])
def test_fast_path_agrees_with_entrywise(case: str, op: str) -> None:
    rng = random.Random(f"{case}{op}")
    tags = {"rational": [], "one tag": [new_tag()], "two tags": [new_tag(), new_tag()], "tangent": []}[case]
    tangent = new_tag() if case == "tangent" else None
    a = _matrix(5, rng, tags, tangent)
    b = _matrix(5, rng, tags[:1], None)
    fast = {"matmul": lambda: fastmat.matmul(a, b), "inverse": lambda: fastmat.inverse(a),
            "det": lambda: fastmat.det(a)}[op]()
    assert fast is not None
    slow = _entrywise(op, a, b) if op == "matmul" else _entrywise(op, a)
    assert _flat(fast, tags, tangent) == _flat(slow, tags, tangent)


def test_small_or_irrational_matrices_take_the_entrywise_path() -> None:
    q = rationals.rational
    assert fastmat.matmul([[q(1)]], [[q(2)]]) is None
    big = [[q(i + j) for j in range(5)] for i in range(5)]
    assert fastmat.matmul(big, [[0.5] * 5 for _ in range(5)]) is None
    assert fastmat.inverse([[q(1)] * 5 for _ in range(5)]) is None  # singular: reported entrywise
