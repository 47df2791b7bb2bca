"""Fixed entries, basis vectors and 1 x 1 scalars through every verifier method and the
formal engine: true claims verify (proved where the fragment reaches), false ones are
refuted, and a fixed position never yields a wrong "proved"."""

from __future__ import annotations

import pytest

from proofbook.errors import Location
from proofbook.language.parse import compile_source
from proofbook.language.symbols import SymbolTable
from proofbook.model import Source, SymbolDecl
from proofbook.verify.backends import ExactBackend, NumericBackend, SymbolicBackend
from proofbook.verify.claims import Claim
from proofbook.verify.evaluate import Evaluator
from proofbook.verify.engine import verify_claim
from sympy import Integer
from proofbook.verify.formal import decide

HERE = Location("test.yml", 1, 1)
SQUARE = ("n", "n")
SYMBOLS = {
    "A": SymbolDecl("A", "matrix", SQUARE, ("invertible",)),
    "X": SymbolDecl("X", "matrix", SQUARE, ("invertible",)),
    "u": SymbolDecl("u", "vector", ("n", 1)),
    "v": SymbolDecl("v", "vector", ("n", 1)),
    "e": SymbolDecl("e", "vector", ("n", 1), basis=1),
    "f": SymbolDecl("f", "vector", ("n", 1), basis="n"),
    "g": SymbolDecl("g", "vector", ("n", 1), basis=2),
    "i": SymbolDecl("i", "index", ("n", 1)),
    "j": SymbolDecl("j", "index", ("n", 1)),
    "t": SymbolDecl("t", "scalar"),
}
TABLE = SymbolTable.build(tuple(SYMBOLS.values()))


def verdict(lhs: str, rhs: str):
    return verify_claim(Claim("test", "statement", tuple(SYMBOLS.values()), Source(lhs, HERE), Source(rhs, HERE)))


def formal(lhs: str, rhs: str):
    left, right = (compile_source(Source(s, HERE), TABLE).expr for s in (lhs, rhs))
    return decide(left, right, TABLE)


PROVED = [
    # Sherman–Morrison in textbook form, and Cookbook (60), (61) at the corner entry
    ("inv(A + u*v.T)", "inv(A) - inv(A)*u*v.T*inv(A)/(1 + v.T*inv(A)*u)"),
    ("diff(inv(X)[1, n], X)", "-inv(X).T*e*f.T*inv(X).T"),
    ("diff(inv(X)[1, n], X[i, j])", "-inv(X)[1, i]*inv(X)[j, n]"),
    ("e.T*A*f", "A[1, n]"),
    ("f.T*A*f", "A[n, n]"),
    ("trace(A*e*f.T)", "A[n, 1]"),
    ("e.T*e", "1"),                                   # the formal rule e_kᵀe_k = 1
    ("diff((X*A)[1, j], X[1, i])", "A[i, j]"),        # needs e_1ᵀe_1 = 1 too
    ("diff(trace(A*X), X[1, n])", "A[n, 1]"),
    ("g.T*A*f", "A[2, n]"),                           # n ≥ 2 only
    ("(v.T*u)*A", "A*(u.T*v)"),                       # 1 x 1 factors beside a matrix
    ("2*(v.T*u) + 1", "1 + v.T*u + u.T*v"),
    # a 1 x 1 matrix by one entry (it used to crash the evaluator), fixed or an index symbol
    ("diff(u.T*u, u[n])", "2*u[n]"),
    ("diff(u.T*u, u[i])", "2*u[i]"),
    ("diff(u.T*A*u, u[1])", "(A*u)[1] + (A.T*u)[1]"),
]


@pytest.mark.parametrize(("lhs", "rhs"), PROVED)
def test_true_claims_are_proved_for_every_n(lhs: str, rhs: str) -> None:
    result = verdict(lhs, rhs)
    assert (result.status, result.level) == ("verified", "proved"), result.describe()
    assert {e.method for e in result.evidence} >= {"randomized", "numeric", "formal"}


FALSE = [
    ("inv(A + u*v.T)", "inv(A) + inv(A)*u*v.T*inv(A)/(1 + v.T*inv(A)*u)"),   # sign flipped
    ("inv(A + u*v.T)", "inv(A) - inv(A)*u*v.T*inv(A)/(1 - v.T*inv(A)*u)"),   # the downdate's denominator
    ("diff(inv(X)[1, n], X)", "-inv(X).T*f*e.T*inv(X).T"),                   # basis vectors swapped
    ("diff(inv(X)[1, n], X[i, j])", "-inv(X)[i, 1]*inv(X)[j, n]"),
    ("e.T*A*e", "A[1, n]"),
    ("trace(A*e*f.T)", "A[1, n]"),
    ("e.T*f", "0"),                   # false at n = 1, where e_1 = e_n
    ("g.T*A*g", "A[1, 1]"),
    ("(v.T*u)**2", "(v.T*v)*(u.T*u)"),
    ("exp(u.T*u)", "exp(u.T*v)"),
    ("diff(u.T*u, u[n])", "u[n]"),
    ("diff(u.T*A*u, u[1])", "2*(A*u)[1]"),   # the textbook slip: needs a symmetric A
    ("A[n - 1, n]", "f.T*A*f"),
]


@pytest.mark.parametrize(("lhs", "rhs"), FALSE)
def test_false_claims_are_refuted(lhs: str, rhs: str) -> None:
    assert verdict(lhs, rhs).status == "false"


def test_sizes_start_where_every_fixed_entry_exists() -> None:
    """A[2, n] needs n ≥ 2: no size 1 is tested, and the evidence says why."""
    result = verdict("g.T*A*f", "A[2, n]")
    exact = next(e for e in result.evidence if e.method == "randomized")
    assert min(exact.sizes) == 2
    assert "n ≥ 2 only, where every fixed entry exists" in exact.summary


def test_a_claim_false_only_at_the_least_size_is_caught() -> None:
    """e_2ᵀ e_n is 1 at n = 2 and 0 above: the least size itself is tested."""
    result = verdict("g.T*f", "0")
    assert result.status == "false" and result.counterexample.sizes == {"n": 2}


def test_the_basis_vector_is_constant_in_every_backend() -> None:
    """e_1 evaluates to the first unit vector in the exact, numeric and symbolic backends, and
    its derivative by t is zero."""
    expr = compile_source(Source("diff(t*e, t)", HERE), TABLE).expr
    unit = compile_source(Source("e", HERE), TABLE).expr
    for backend in (ExactBackend(), NumericBackend(30, 10), SymbolicBackend()):
        env = {"n": backend.number(Integer(3)), "t": backend.number(Integer(2))}
        value = Evaluator(backend)(unit, env)
        assert [row[0] for row in value] == [1, 0, 0]
        assert [row[0] for row in Evaluator(backend)(expr, env)] == [1, 0, 0]


def test_fixed_positions_evaluate_at_every_size() -> None:
    """X[n - 1, n] reads the entry the author means at n = 2 and n = 3."""
    expr = compile_source(Source("X[n - 1, n]", HERE), TABLE).expr
    backend = ExactBackend()
    matrix = [[backend.number(Integer(10 * r + c)) for c in range(3)] for r in range(3)]
    assert Evaluator(backend)(expr, {"n": backend.number(Integer(3)), "X": matrix}) == 12
    assert Evaluator(backend)(expr, {"n": backend.number(Integer(2)), "X": [r[:2] for r in matrix[:2]]}) == 1


@pytest.mark.parametrize(("lhs", "rhs"), [
    ("e.T*f", "0"),                 # e_1ᵀe_n = 0 only for n ≥ 2
    ("f.T*A*e", "e.T*A*f"),         # A_n1 = A_1n only for symmetric A (and at n = 1)
    ("(A*e)[n]", "0"),
])
def test_a_difference_with_fixed_positions_is_outside_never_different(lhs: str, rhs: str) -> None:
    """The normal form treats e_k as a free vector: a difference refutes nothing."""
    outcome = formal(lhs, rhs)
    assert outcome.status == "outside"
    assert "fixed entry or basis vector" in outcome.reason


def test_fixed_entries_and_basis_vectors_meet_in_the_normal_form() -> None:
    """X[1, n] and e_1ᵀ X e_n are one normal form; the 1 x 1 scalar is its trace."""
    assert formal("X[1, n]", "e.T*X*f").status == "equal"
    assert formal("1 + v.T*u", "1 + trace(u.T*v)").status == "equal"
    assert formal("inv(X)[1, 1]", "e.T*inv(X)*e").status == "equal"
