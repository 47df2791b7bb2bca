"""Parentheses the author wrote around a sum inside a sum are kept, in the tree the verifier
checks and in print: what the reader sees is what was verified."""

from __future__ import annotations

import pytest

from proofbook.errors import Location
from proofbook.language.parse import compile_source
from proofbook.language.symbols import SymbolTable
from proofbook.model import Source, SymbolDecl
from proofbook.render.latex import to_latex
from proofbook.verify.claims import Claim
from proofbook.verify.engine import verify_claim

SYMBOLS = (*(SymbolDecl(name, "scalar") for name in "abcxyz"),
           *(SymbolDecl(name, "matrix", ("n", "n")) for name in "ABC"))
TABLE = SymbolTable.build(SYMBOLS)
HERE = Location("t.yml", 1, 1)

PRINTED = [
    # grouped sums keep their parentheses, first term or not
    ("(a + b) + c", r"\left(a + b\right) + c"),
    ("a + (b + c)", r"a + \left(b + c\right)"),
    ("(a + b) - c", r"\left(a + b\right) - c"),
    ("(a + b) + (c + x)", r"\left(a + b\right) + \left(c + x\right)"),
    ("a + ((b + c) + x)", r"a + \left(\left(b + c\right) + x\right)"),
    ("((a + b)) + c", r"\left(a + b\right) + c"),
    ("(A + B) + C", r"\left(\mathbf{A} + \mathbf{B}\right) + \mathbf{C}"),
    ("A + (B - C)", r"\mathbf{A} + \left(\mathbf{B} - \mathbf{C}\right)"),
    # a subtracted or multiplied sum, as before
    ("a - (b - c)", r"a - \left(b - c\right)"),
    ("x*(y + z)", r"x \left(y + z\right)"),
    # no parentheses written: one flat sum; parentheses around a single term, or around the
    # argument of a function, group nothing
    ("a + b + c", r"a + b + c"),
    ("(a) + b", r"a + b"),
    ("(a*b) + c", r"a b + c"),
    ("sin(a + b) + c", r"\sin\left(a + b\right) + c"),
]


@pytest.mark.parametrize("text, latex", PRINTED, ids=[p[0] for p in PRINTED])
def test_grouping_parentheses_print(text: str, latex: str) -> None:
    assert to_latex(compile_source(Source(text, HERE), TABLE, "e").expr) == latex


def test_a_flat_sum_of_grouped_terms_counts_its_own_terms() -> None:
    """(a + b) + c is a sum of two terms, the first a sum of two."""
    expr = compile_source(Source("(a + b) + c", HERE), TABLE, "e").expr
    assert len(expr.args) == 2 and len(expr.args[0].args) == 2


@pytest.mark.parametrize("lhs, rhs, status", [
    ("(a + b) + c", "a + (b + c)", "verified"),
    ("(a - b) - c", "a - (b - c)", "false"),
    ("(A + B) + C", "A + (B + C)", "verified"),
    ("(A - B) - C", "A - (B - C)", "false"),
])
def test_the_verifier_sees_the_grouped_value(lhs: str, rhs: str, status: str) -> None:
    used = tuple(d for d in SYMBOLS if d.name in lhs + rhs)
    result = verify_claim(Claim("e", "statement", used, Source(lhs, HERE), Source(rhs, HERE)))
    assert result.status == status, result.describe()
