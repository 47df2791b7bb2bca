"""Nested and higher derivatives, and the symbolic zero test: each method on its own gets them
right (a true identity has evidence from all three; a wrong one is caught by the first)."""

from __future__ import annotations

import pytest

from proofbook.errors import Location
from proofbook.model import Source, SymbolDecl
from proofbook.verify.claims import Claim
from proofbook.verify.engine import verify_claim

SYMBOLS = {
    "x": SymbolDecl("x", "scalar"),
    "y": SymbolDecl("y", "scalar"),
    "A": SymbolDecl("A", "matrix", ("n", "n")),
    "B": SymbolDecl("B", "matrix", ("n", "n")),
    "i": SymbolDecl("i", "index", ("n", 1)),
    "j": SymbolDecl("j", "index", ("n", 1)),
}


def check(lhs: str, rhs: str, *names: str) -> tuple[str, list[str], str | None]:
    here = Location("test.yml", 1, 1)
    symbols = tuple(SYMBOLS[name] for name in names)
    result = verify_claim(Claim("test", "statement", symbols, Source(lhs, here), Source(rhs, here)))
    found = result.counterexample.method if result.counterexample else None
    return result.status, [e.method for e in result.evidence], found


ALL_THREE = ["randomized", "numeric", "symbolic"]

TRUE = [
    # d/dx (x * d/dx x^3): the inner derivative still depends on the outer variable
    ("diff(x*diff(x**3, x), x)", "9*x**2", ("x",)),
    ("diff(y*diff(x**2*y**2, x), y)", "6*x*y**2", ("x", "y")),
    # SymPy merges diff(diff(f, x), y) into one node with two variables
    ("diff(diff(x**2*y**3, x), y)", "6*x*y**2", ("x", "y")),
    ("diff(diff(x**2*y**3, x, 2), y, 2)", "12*y", ("x", "y")),
    # a second derivative by one entry is not the first
    ("diff(trace(A*A*A), A[i, j], 2)", "6*eye(n)[i, j]*A[i, j]", ("A", "i", "j")),
    # a gradient by B of an expression holding a gradient by A
    ("diff(trace(diff(trace(A*B), A)*B), B)", "2*B", ("A", "B")),
    ("diff(trace(diff(trace(x*A*B), A)*B), x)", "trace(B.T*B)", ("A", "B", "x")),
]


@pytest.mark.parametrize("lhs, rhs, names", TRUE, ids=[t[0] for t in TRUE])
def test_nested_derivatives_verify_with_every_method(lhs: str, rhs: str, names: tuple[str, ...]) -> None:
    status, methods, _ = check(lhs, rhs, *names)
    assert status == "verified"
    assert methods[:2] == ALL_THREE[:2] and set(methods) & {"symbolic", "formal"}, methods


FALSE = [
    ("diff(x*diff(x**3, x), x)", "3*x**2", ("x",)),
    ("diff(y*diff(x**2*y**2, x), y)", "2*x*y**2", ("x", "y")),
    ("diff(trace(A*A*A), A[i, j], 2)", "3*(A*A)[j, i]", ("A", "i", "j")),
    ("diff(trace(diff(trace(A*B), A)*B), B)", "B + B.T", ("A", "B")),
    ("diff(trace(diff(trace(x*A*B), A)*B), x)", "0", ("A", "B", "x")),
]


@pytest.mark.parametrize("lhs, rhs, names", FALSE, ids=[f[0] for f in FALSE])
def test_wrong_nested_derivatives_are_caught_by_the_exact_test(lhs: str, rhs: str,
                                                               names: tuple[str, ...]) -> None:
    status, _, found = check(lhs, rhs, *names)
    assert (status, found) == ("false", "exact")


def test_the_symbolic_zero_test_is_canonical() -> None:
    """cancel(together(...)) of this difference is an unevaluated -1024 + 1024 in SymPy 1.14."""
    status, methods, _ = check("(1/2*x + 4)**5", "1/32*x**5 + 5/4*x**4 + 20*x**3 + 160*x**2 + 640*x + 1024", "x")
    assert (status, methods) == ("verified", ALL_THREE)


#: Derivatives of an indefinite integral whose integrand also moves with another variable: each
#: integral gets a base point, the exact test steps aside (the integrals are not rational), and
#: the numeric test decides, differentiating through the quadrature; the polynomials being
#: entire, the sides' derivatives in x prove it too.  SymPy's integrate is never asked.
INTEGRALS = [
    ("diff(diff(integrate(x**2*y**3, x), x), y)", "3*x**2*y**2", "2*x**2*y**2"),
    ("diff(diff(integrate(x**2*y**3, x), y), x)", "3*x**2*y**2", "x**2*y**2"),
    ("diff(y*diff(integrate(x*y, x), x), y)", "2*x*y", "x*y"),
]


@pytest.mark.parametrize("lhs, right, wrong", INTEGRALS, ids=[i[0] for i in INTEGRALS])
def test_derivatives_of_integrals_by_two_variables(lhs: str, right: str, wrong: str) -> None:
    assert check(lhs, right, "x", "y")[:2] == ("verified", ["numeric", "symbolic"])
    assert check(lhs, wrong, "x", "y")[::2] == ("false", "numeric")
