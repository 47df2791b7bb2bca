"""The verifier: true identities verify, plausible wrong variants are rejected with a
counterexample, and assumptions are respected."""

from __future__ import annotations

import re

import pytest

from proofbook.errors import Location
from proofbook.model import Source, SymbolDecl
from proofbook.verify.claims import Claim, Settings
from proofbook.verify.engine import verify_claim

SQUARE = ("n", "n")
MATRIX_SYMBOLS = {
    "A": SymbolDecl("A", "matrix", SQUARE),
    "B": SymbolDecl("B", "matrix", SQUARE),
    "C": SymbolDecl("C", "matrix", SQUARE),
    "a": SymbolDecl("a", "vector", ("n", 1)),
    "v": SymbolDecl("v", "vector", ("n", 1)),
    "i": SymbolDecl("i", "index", ("n", 1)),
    "j": SymbolDecl("j", "index", ("n", 1)),
    "c": SymbolDecl("c", "scalar"),
}
OF_X = {
    "x": SymbolDecl("x", "scalar"),
    "A": SymbolDecl("A", "matrix", SQUARE, ("invertible",), ("x",)),
    "B": SymbolDecl("B", "matrix", SQUARE, (), ("x",)),
}


def claim(lhs: str, rhs: str, symbols: dict[str, SymbolDecl], entry_id: str = "test") -> Claim:
    here = Location("test.yml", 1, 1)
    return Claim(entry_id, "statement", tuple(symbols.values()), Source(lhs, here), Source(rhs, here))


SEED = [
    # (3) twice, for both sides of the chain
    ("diff(a.T*v, v)", "a", MATRIX_SYMBOLS),
    ("diff(v.T*a, v)", "a", MATRIX_SYMBOLS),
    # (4)
    ("diff(A*B, x)", "diff(A, x)*B + A*diff(B, x)", OF_X),
    # (5)
    ("diff(inv(A), x)", "-inv(A)*diff(A, x)*inv(A)", OF_X),
    # (6)
    ("diff(log(det(A)), x)", "trace(inv(A)*diff(A, x))", OF_X),
    # (7)
    ("diff(trace(A*B), A[i, j])", "B[j, i]", MATRIX_SYMBOLS),
    # (8) - (13)
    ("diff(trace(A*B), A)", "B.T", MATRIX_SYMBOLS),
    ("diff(trace(A.T*B), A)", "B", MATRIX_SYMBOLS),
    ("diff(trace(A), A)", "eye(n)", MATRIX_SYMBOLS),
    ("diff(trace(A*B*A.T), A)", "A*(B + B.T)", MATRIX_SYMBOLS),
    ("diff(trace(A*B*A.T*C), A)", "C.T*A*B.T + C*A*B", MATRIX_SYMBOLS),
    ("diff(log(det(A)), A)", "inv(A).T", MATRIX_SYMBOLS),
]


@pytest.mark.parametrize("lhs, rhs, table", SEED, ids=[s[0] for s in SEED])
def test_seed_identities_are_proved_by_the_formal_engine_and_tested(lhs: str, rhs: str, table: dict) -> None:
    """Every seed identity is proved for every n: exact randomized and numeric evidence, and
    the formal engine's proof, which makes a symbolic proof at small sizes redundant."""
    result = verify_claim(claim(lhs, rhs, table))
    assert (result.status, result.level) == ("verified", "proved"), result.describe()
    assert [e.method for e in result.evidence] == ["randomized", "numeric", "formal"]
    assert result.evidence[0].sizes[:4] == (1, 2, 3, 4) and result.evidence[0].sizes[-1] >= 6


MUTATIONS = [
    # (3) a scaled, negated, or replaced
    ("diff(a.T*v, v)", "2*a", MATRIX_SYMBOLS),
    ("diff(a.T*v, v)", "-a", MATRIX_SYMBOLS),
    ("diff(a.T*v, v)", "v", MATRIX_SYMBOLS),
    # (4) factors swapped (fails only for n >= 2), a term dropped, a sign flipped
    ("diff(A*B, x)", "B*diff(A, x) + A*diff(B, x)", OF_X),
    ("diff(A*B, x)", "diff(A, x)*B", OF_X),
    ("diff(A*B, x)", "diff(A, x)*B - A*diff(B, x)", OF_X),
    # (5) sign flipped, factors moved, inverse vs inverse transpose
    ("diff(inv(A), x)", "inv(A)*diff(A, x)*inv(A)", OF_X),
    ("diff(inv(A), x)", "-inv(A)*inv(A)*diff(A, x)", OF_X),
    ("diff(inv(A), x)", "-inv(A).T*diff(A, x)*inv(A)", OF_X),
    # (6) inverse transposed, a factor 2, the determinant kept
    ("diff(log(det(A)), x)", "trace(inv(A).T*diff(A, x))", OF_X),
    ("diff(log(det(A)), x)", "2*trace(inv(A)*diff(A, x))", OF_X),
    ("diff(log(det(A)), x)", "det(A)*trace(inv(A)*diff(A, x))", OF_X),
    # (7) indices swapped, a factor 2, the wrong matrix
    ("diff(trace(A*B), A[i, j])", "B[i, j]", MATRIX_SYMBOLS),
    ("diff(trace(A*B), A[i, j])", "2*B[j, i]", MATRIX_SYMBOLS),
    ("diff(trace(A*B), A[i, j])", "A[j, i]", MATRIX_SYMBOLS),
    # (8) transpose dropped, sign flipped, factor 2
    ("diff(trace(A*B), A)", "B", MATRIX_SYMBOLS),
    ("diff(trace(A*B), A)", "-B.T", MATRIX_SYMBOLS),
    ("diff(trace(A*B), A)", "2*B.T", MATRIX_SYMBOLS),
    # (9) transpose added, sign flipped, wrong matrix
    ("diff(trace(A.T*B), A)", "B.T", MATRIX_SYMBOLS),
    ("diff(trace(A.T*B), A)", "-B", MATRIX_SYMBOLS),
    ("diff(trace(A.T*B), A)", "A", MATRIX_SYMBOLS),
    # (10) factor 2, zero, the matrix itself
    ("diff(trace(A), A)", "2*eye(n)", MATRIX_SYMBOLS),
    ("diff(trace(A), A)", "zeros(n, n)", MATRIX_SYMBOLS),
    ("diff(trace(A), A)", "A", MATRIX_SYMBOLS),
    # (11) transpose dropped, factors swapped, a term dropped
    ("diff(trace(A*B*A.T), A)", "A*(B + B)", MATRIX_SYMBOLS),
    ("diff(trace(A*B*A.T), A)", "(B + B.T)*A", MATRIX_SYMBOLS),
    ("diff(trace(A*B*A.T), A)", "A*B", MATRIX_SYMBOLS),
    # (12) the example, a transpose moved, a sign flipped, a term dropped
    ("diff(trace(A*B*A.T*C), A)", "C.T*A*B.T + C*A*B.T", MATRIX_SYMBOLS),
    ("diff(trace(A*B*A.T*C), A)", "C*A*B.T + C*A*B", MATRIX_SYMBOLS),
    ("diff(trace(A*B*A.T*C), A)", "C.T*A*B.T - C*A*B", MATRIX_SYMBOLS),
    ("diff(trace(A*B*A.T*C), A)", "C.T*A*B.T", MATRIX_SYMBOLS),
    # (13) SymPy's own answer 0, inverse instead of inverse transpose, transpose only
    ("diff(log(det(A)), A)", "zeros(n, n)", MATRIX_SYMBOLS),
    ("diff(log(det(A)), A)", "inv(A)", MATRIX_SYMBOLS),
    ("diff(log(det(A)), A)", "A.T", MATRIX_SYMBOLS),
    ("diff(log(det(A)), A)", "-inv(A).T", MATRIX_SYMBOLS),
]


@pytest.mark.parametrize("lhs, rhs, table", MUTATIONS, ids=[f"{m[0]} = {m[1]}" for m in MUTATIONS])
def test_wrong_variants_of_seed_identities_are_false(lhs: str, rhs: str, table: dict) -> None:
    """Each plausible wrong variant is false, with a counterexample giving n and both sides."""
    result = verify_claim(claim(lhs, rhs, table))
    assert result.status == "false", result.describe()
    cx = result.counterexample
    assert cx is not None and cx.lhs != cx.rhs
    assert "n" in cx.sizes and cx.seed is not None


def test_sympy_matrix_calculus_would_accept_a_false_gradient() -> None:
    """The pitfall that motivates cross-checking is real in this SymPy version."""
    from sympy import Determinant, MatrixSymbol, Symbol, log

    n = Symbol("n", integer=True, positive=True)
    A = MatrixSymbol("A", n, n)
    assert str(log(Determinant(A)).diff(A)) == "0"


def test_identity_wrong_only_at_even_sizes_is_caught() -> None:
    """det(-A) = -det(A) holds at odd n: the check at n = 2 finds it."""
    result = verify_claim(claim("det(-A)", "-det(A)", MATRIX_SYMBOLS))
    assert result.status == "false"
    assert result.counterexample.sizes == {"n": 2}


def test_identity_wrong_only_at_n_3_is_caught() -> None:
    """An exponent equal to n at n = 1, 2, 4 but not at 3."""
    result = verify_claim(claim("det(c*A)", "c**(n + (n - 1)*(n - 2)*(n - 4))*det(A)", MATRIX_SYMBOLS))
    assert result.status == "false"
    assert result.counterexample.sizes == {"n": 3}
    assert "at n = 3" in result.describe()


def test_counterexample_is_reproducible() -> None:
    """The same claim gives the same counterexample, seed included."""
    first = verify_claim(claim("diff(trace(A*B), A)", "B", MATRIX_SYMBOLS))
    second = verify_claim(claim("diff(trace(A*B), A)", "B", MATRIX_SYMBOLS))
    assert first.counterexample == second.counterexample


def test_counterexample_message_names_size_values_entry_and_both_sides() -> None:
    """A small counterexample prints the matrices used and the differing entry."""
    result = verify_claim(claim("diff(trace(A*B), A)", "B", MATRIX_SYMBOLS))
    text = result.describe()
    assert text.startswith("exact at n = 2 with A = [[")
    assert "entry (1, 2) lhs = " in text and ", rhs = " in text and "(seed " in text


X, Y = SymbolDecl("x", "scalar"), SymbolDecl("y", "scalar")
XP, YP = SymbolDecl("x", "scalar", None, ("positive",)), SymbolDecl("y", "scalar", None, ("positive",))
K = SymbolDecl("k", "scalar", None, ("integer",))
N = SymbolDecl("N", "scalar", None, ("integer", "positive"))
F, G = SymbolDecl("f", "function", of=("x",)), SymbolDecl("g", "function", of=("x",))

SCALAR_TRUE = [
    ("sin(x)**2 + cos(x)**2", "1", [X]),
    ("sin(2*x)", "2*sin(x)*cos(x)", [X]),
    ("exp(x + y)", "exp(x)*exp(y)", [X, Y]),
    ("(x + y)**2", "x**2 + 2*x*y + y**2", [X, Y]),
    ("log(x*y)", "log(x) + log(y)", [XP, YP]),
    ("sqrt(x**2)", "x", [XP]),
    ("diff(f*g, x)", "diff(f, x)*g + f*diff(g, x)", [X, F, G]),
    ("diff(sin(x), x, 2)", "-sin(x)", [X]),
    ("integrate(x*exp(x), x)", "(x - 1)*exp(x)", [X]),
    ("integrate(x**2, x, 0, 1)", "1/3", [X]),
    ("sum(k, k, 1, N)", "N*(N + 1)/2", [K, N]),
    ("sum(k**2, k, 1, N)", "N*(N + 1)*(2*N + 1)/6", [K, N]),
]


@pytest.mark.parametrize("lhs, rhs, decls", SCALAR_TRUE, ids=[s[0] for s in SCALAR_TRUE])
def test_scalar_identities_verify(lhs: str, rhs: str, decls: list[SymbolDecl]) -> None:
    """Algebra, trigonometry, logarithms, derivatives, integrals and sums verify."""
    result = verify_claim(claim(lhs, rhs, {d.name: d for d in decls}))
    assert result.status == "verified", result.describe()


SCALAR_FALSE = [
    # needs positive x, y: both negative breaks it
    ("log(x*y)", "log(x) + log(y)", [X, Y]),
    # needs x >= 0
    ("sqrt(x**2)", "x", [X]),
    ("log(x**2)", "2*log(x)", [X]),
    ("sin(2*x)", "2*sin(x)", [X]),
    ("(x + y)**2", "x**2 + y**2", [X, Y]),
    # an antiderivative off by more than a constant
    ("integrate(x*exp(x), x)", "(x + 1)*exp(x)", [X]),
    ("integrate(x**2, x, 0, 1)", "1/2", [X]),
    # off by one
    ("sum(k, k, 1, N)", "N*(N - 1)/2", [K, N]),
    ("diff(f*g, x)", "diff(f, x)*diff(g, x)", [X, F, G]),
    # true for every cubic: a polynomial stand-in for f would miss it
    ("diff(f, x, 4)", "0", [X, F]),
]


@pytest.mark.parametrize("lhs, rhs, decls", SCALAR_FALSE, ids=[s[0] + " = " + s[1] for s in SCALAR_FALSE])
def test_false_scalar_identities_are_rejected(lhs: str, rhs: str, decls: list[SymbolDecl]) -> None:
    """Wrong scalar identities are false, including those true only under an assumption."""
    result = verify_claim(claim(lhs, rhs, {d.name: d for d in decls}))
    assert result.status == "false", result.describe()


def test_assumption_symmetric_is_used_only_when_declared() -> None:
    """x^T S x has gradient 2 S x only for a symmetric S."""
    v = SymbolDecl("v", "vector", ("n", 1))
    symmetric = SymbolDecl("S", "matrix", SQUARE, ("symmetric",))
    general = SymbolDecl("S", "matrix", SQUARE)
    assert verify_claim(claim("diff(v.T*S*v, v)", "2*S*v", {"v": v, "S": symmetric})).status == "verified"
    assert verify_claim(claim("diff(v.T*S*v, v)", "2*S*v", {"v": v, "S": general})).status == "false"


def test_derivative_by_symmetric_matrix_treats_entries_as_independent() -> None:
    """diff() by a symmetric S is the unconstrained gradient; diff_sym() the structured one."""
    s = SymbolDecl("S", "matrix", SQUARE, ("symmetric",))
    table = {"A": MATRIX_SYMBOLS["A"], "S": s}
    assert verify_claim(claim("diff(trace(A*S), S)", "A.T", table)).status == "verified"
    assert verify_claim(claim("diff_sym(trace(A*S), S)", "A.T", table)).status == "false"
    assert verify_claim(claim("diff_sym(trace(S), S)", "eye(n)", table)).status == "verified"


@pytest.mark.parametrize("assume", [("orthogonal",), ("positive_definite",), ("diagonal",)])
def test_structured_matrices_are_sampled_with_their_structure(assume: tuple[str, ...]) -> None:
    """Orthogonal: QᵀQ = I; positive definite and diagonal: symmetric."""
    q = SymbolDecl("Q", "matrix", SQUARE, assume)
    lhs, rhs = ("Q.T*Q", "eye(n)") if assume == ("orthogonal",) else ("Q.T", "Q")
    assert verify_claim(claim(lhs, rhs, {"Q": q})).status == "verified"


def test_vector_by_vector_derivative_has_numerator_layout() -> None:
    """d(Av)/dv = A: entry (i, j) is d(Av)_i / d v_j."""
    table = {"A": MATRIX_SYMBOLS["A"], "v": MATRIX_SYMBOLS["v"]}
    assert verify_claim(claim("diff(A*v, v)", "A", table)).status == "verified"
    assert verify_claim(claim("diff(A*v, v)", "A.T", table)).status == "false"


def test_rectangular_dimensions_are_checked_with_distinct_sizes() -> None:
    """With two dimensions, sizes m != n are tried too."""
    table = {"A": SymbolDecl("A", "matrix", ("m", "n")), "B": SymbolDecl("B", "matrix", ("n", "m"))}
    result = verify_claim(claim("diff(trace(A*B), A)", "B.T", table))
    assert result.status == "verified"


# The budget's signal may land in a garbage-collector callback, where Python reports the
# exception as unraisable instead of raising it; the budget records its expiry either way.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_symbolic_budget_exhaustion_falls_through_to_other_methods() -> None:
    """A tiny symbolic budget leaves the randomized evidence and says why symbolic is missing."""
    settings = Settings(symbolic_budget=0.0001, exact_sizes=(2,))
    result = verify_claim(claim("diff(trace(A*B*A.T*C), A)", "C.T*A*B.T + C*A*B", MATRIX_SYMBOLS), settings)
    assert result.status == "verified"
    assert "symbolic" not in [e.method for e in result.evidence]
    assert "ran out of its" not in result.describe()


def test_claim_that_cannot_be_decided_is_inconclusive() -> None:
    """No method applies when every method is switched off."""
    settings = Settings(exact_sizes=(), random_sizes=(), numeric_sizes=())
    result = verify_claim(claim("diff(trace(A), A)", "eye(n)", MATRIX_SYMBOLS), settings)
    assert result.status == "inconclusive"


@pytest.mark.parametrize(("lhs", "rhs", "symbols", "size"), [
    ("inv(A*B)", "inv(A)*inv(B)", MATRIX_SYMBOLS, 2),   # false from n = 2 on: shown at n = 2
    ("(c + 1)**2", "c**2 + 1", MATRIX_SYMBOLS, 1),       # a scalar claim: small integers
    ("trace(A*B*C)", "trace(B*A*C)", MATRIX_SYMBOLS, 2),
])
def test_a_counterexample_is_small_enough_to_check_by_hand(lhs: str, rhs: str, symbols: dict[str, SymbolDecl],
                                                           size: int) -> None:
    """The smallest size first, every value a small integer: a reader can redo the arithmetic."""
    result = verify_claim(claim(lhs, rhs, symbols))
    assert result.status == "false" and result.counterexample is not None
    found = result.counterexample
    assert max(found.sizes.values(), default=0) == size
    numbers = [int(n) for value in found.values.values() for n in re.findall(r"-?\d+", value)]
    assert numbers and all(abs(n) <= 3 for n in numbers), found.describe()
    assert found.seed is not None


# --- kron, vec, hadamard, adj through every method ---------------------------------------------

PRODUCTS = {
    "A": SymbolDecl("A", "matrix", ("m", "n")), "B": SymbolDecl("B", "matrix", ("p", "q")),
    "X": SymbolDecl("X", "matrix", ("n", "p")), "M": SymbolDecl("M", "matrix", ("m", "n")),
    "P": SymbolDecl("P", "matrix", SQUARE), "Q": SymbolDecl("Q", "matrix", SQUARE),
    "a": SymbolDecl("a", "vector", ("n", 1)), "b": SymbolDecl("b", "vector", ("n", 1)),
    "t": SymbolDecl("t", "scalar"),
    "Y": SymbolDecl("Y", "matrix", ("m", "n"), (), ("t",)),
    "Z": SymbolDecl("Z", "matrix", ("n", "m"), (), ("t",)),
}


@pytest.mark.parametrize(("lhs", "rhs", "level"), [
    ("vec(A*X*B)", "kron(B.T, A)*vec(X)", "proved"),
    ("trace(kron(P, Q))", "trace(P)*trace(Q)", "proved"),
    ("diff(kron(Y, Z), t)", "kron(diff(Y, t), Z) + kron(Y, diff(Z, t))", "proved"),
    ("diff(det(P), P)", "adj(P).T", "proved"),
    # outside the formal fragment: a symbolic proof at small sizes, tested beyond them
    ("det(kron(P, Q))", "det(P)**n*det(Q)**n", "proved-for-sizes"),
    ("hadamard(A, M)", "hadamard(M, A)", "proved-for-sizes"),
    ("trace(hadamard(eye(n), P))", "trace(P)", "proved-for-sizes"),
])
def test_kron_vec_hadamard_adj_identities_verify(lhs: str, rhs: str, level: str) -> None:
    result = verify_claim(claim(lhs, rhs, PRODUCTS))
    assert result.status == "verified", result.reason
    assert result.level == level
    proof = "formal" if level == "proved" else "symbolic"
    assert {e.method for e in result.evidence} >= {"randomized", "numeric", proof}


@pytest.mark.parametrize(("lhs", "rhs"), [
    # the transpose on the wrong factor, the factors in the wrong order
    ("vec(P*Q*P.T)", "kron(P.T, P)*vec(Q)"),
    ("vec(P*Q)", "kron(P, eye(n))*vec(Q)"),
    ("kron(P, Q)", "kron(Q, P)"),
    ("kron(P, Q).T", "kron(Q.T, P.T)"),
    # the product rule with the factors' order lost
    ("diff(kron(Y, Z), t)", "kron(diff(Y, t), Z) + kron(diff(Z, t), Y)"),
    # the sizes as exponents swapped (equal only when the sizes are)
    ("det(kron(A.T*A, B*B.T))", "det(A.T*A)**n*det(B*B.T)**p"),
    # Hadamard is not the matrix product, and the adjugate is not the inverse
    ("hadamard(P, Q)", "P*Q"),
    ("trace(hadamard(P, Q))", "trace(P.T*Q)"),
    ("diff(det(P), P)", "adj(P)"),
    ("adj(P)", "inv(P)"),
    ("adj(P*Q)", "adj(P)*adj(Q)"),
])
def test_wrong_kron_vec_hadamard_adj_variants_are_false(lhs: str, rhs: str) -> None:
    result = verify_claim(claim(lhs, rhs, PRODUCTS))
    assert result.status == "false"
    assert result.counterexample is not None and result.counterexample.sizes


def test_the_adjugate_is_evaluated_at_singular_points() -> None:
    """adj is a polynomial: at a rank-one matrix it is defined (no 'undefined' point) and,
    for n >= 3, zero; a claim about it is decided, not skipped."""
    rank_one = verify_claim(claim("adj(a*b.T)*a", "trace(adj(a*b.T))*a", PRODUCTS))
    assert rank_one.status == "false" and rank_one.counterexample.sizes["n"] == 2
    assert verify_claim(claim("a*b.T*adj(a*b.T)", "det(a*b.T)*eye(n)", PRODUCTS)).status == "verified"


def test_adjugate_arithmetic_is_a_polynomial_in_every_field() -> None:
    """det(A) A⁻¹ where A is invertible, Faddeev–LeVerrier where it is not, cofactors for
    symbolic entries: the same matrix at a singular point in exact arithmetic."""
    from proofbook.verify import linalg, rationals
    from proofbook.verify.backends import ExactBackend

    q = rationals.rational
    singular = [[q(1), q(2), q(3)], [q(2), q(4), q(6)], [q(1), q(0), q(-1)]]
    expected = [[-4, 2, 0], [8, -4, 0], [-4, 2, 0]]
    assert linalg.adjugate(singular, ExactBackend.field) == [[q(x) for x in row] for row in expected]
    symbolic = linalg.Field(size=lambda x: 0 if x == 0 else 1, symbolic=True)
    assert linalg.adjugate(singular, symbolic) == [[q(x) for x in row] for row in expected]
    assert linalg.adjugate([[q(0)]], ExactBackend.field) == [[1]]


def test_a_determinant_of_jets_keeps_its_derivative_at_a_singular_point() -> None:
    """d/dt det(X + t E_11) at the singular X = [[1, 1], [1, 1]] is 1: elimination finds no
    pivot in the standard part, and the infinitesimal part must not be dropped as 0."""
    from sympy import Rational

    from proofbook.verify import linalg
    from proofbook.verify.backends import ExactBackend, NumericBackend
    from proofbook.verify.jet import Jet, coefficient

    for backend in (ExactBackend(), NumericBackend(30, 10)):
        one = backend.number(Rational(1))
        t = Jet.variable(0, 7)
        det = linalg.det([[one + t, one], [one, one]], backend.field)
        assert coefficient(det, [7]) == 1
        adj = linalg.adjugate([[one + t, one, 0 * one], [one, one, 0 * one], [0 * one] * 3], backend.field)
        assert coefficient(adj[2][2], [7]) == 1
