"""No false pass: each class of trap from the issue "Verified means proved", true and false,
and the evidence level every verdict earns."""

from __future__ import annotations

import re

import pytest

from proofbook.errors import Location
from proofbook.model import Result, Source, SymbolDecl
from proofbook.verify import rationals
from proofbook.verify.claims import Claim
from proofbook.verify.engine import verify_claim

HERE = Location("test.yml", 3, 5)


def scalar(name: str, *assume: str, of: tuple[str, ...] = ()) -> SymbolDecl:
    return SymbolDecl(name, "scalar", None, assume, of)


def matrix(name: str, shape: tuple = ("n", "n"), *assume: str, of: tuple[str, ...] = ()) -> SymbolDecl:
    return SymbolDecl(name, "matrix", shape, assume, of)


def check(lhs: str, rhs: str, *decls: SymbolDecl, entry_id: str = "test") -> Result:
    return verify_claim(Claim(entry_id, "statement", decls, Source(lhs, HERE), Source(rhs, HERE)))


X, Y, A, B = scalar("x"), scalar("y"), matrix("A"), matrix("B")
XP = scalar("x", "positive")

#: (lhs, rhs, symbols): true identities that the old verifier got right or wrong.
TRUE = [
    # an ill-conditioned point used to reject it, depending on the entry's id
    ("inv(A**6)", "inv(A)**6", (A,)),
    # singular at n > 4: those sizes are skipped, never a counterexample
    ("X*X.T*inv(X*X.T)", "eye(n)", (matrix("X", ("n", 4)),)),
    # the power identity ran until the time limit
    ("(x**a)**b", "x**(a*b)", (XP, scalar("a"), scalar("b"))),
    # y is a function of x: the product rule applies
    ("diff(x*y, x)", "y + x*diff(y, x)", (X, scalar("y", of=("x",)))),
    # a mixed derivative of a function of two variables
    ("diff(diff(f, x), y)", "diff(diff(f, y), x)", (X, Y, SymbolDecl("f", "function", of=("x", "y")))),
    # positive-definite matrices: |det S| = det S
    ("abs(det(S))", "det(S)", (matrix("S", ("n", "n"), "positive_definite"),)),
    # symmetric and orthogonal together: Q^2 = I
    ("Q*Q", "eye(n)", (matrix("Q", ("n", "n"), "symmetric", "orthogonal"),)),
    # rectangular shapes in both orders
    ("trace(A*B)", "trace(B*A)", (matrix("A", ("m", "n")), matrix("B", ("n", "m")))),
    # an antiderivative, constant across the whole domain
    ("integrate(1/(1 + x**2), x)", "atan(x)", (X,)),
    # a derivative of a definite integral, by the bound and by a parameter
    ("diff(integrate(x*y**2, x, 0, y), y)", "2*y**3", (X, Y)),
    # a tiny value compared relatively
    ("exp(-100 - x**2)", "exp(-100)*exp(-x**2)", (X,)),
    # a positive function: sqrt(f^2) = f
    ("sqrt(f**2)", "f", (X, SymbolDecl("f", "function", None, ("positive",), ("x",)))),
]

#: False identities of each class the issue lists; every one used to pass.
FALSE = [
    # the dimension as a scalar: false from n = 6 on
    ("(n-1)*(n-2)*(n-3)*(n-4)*(n-5)*trace(A)", "0", (A,)),
    # false only at n = 7 and above: 8 distinct sizes are needed to see the polynomial
    ("(n-1)*(n-2)*(n-3)*(n-4)*(n-5)*(n-6)*trace(A)", "0", (A,)),
    # an absolute tolerance floor hid a factor 2
    ("exp(-100 - x**2)", "2*exp(-100 - x**2)", (X,)),
    # every sampled eigenvalue used to be at least 1
    ("abs(det(S) - 1)", "det(S) - 1", (matrix("S", ("n", "n"), "positive_definite"),)),
    # y used to be a constant
    ("diff(x*y, x)", "y", (X, scalar("y", of=("x",)))),
    # false for m > n only (the first dimension alphabetically used to be the smaller)
    ("trace(A.T*A)*(n - m + abs(n - m))", "0", (matrix("A", ("m", "n")),)),
    # the power identity's false variant
    ("(x**a)**b", "x**(a + b)", (XP, scalar("a"), scalar("b"))),
    # a piecewise-constant difference with a jump is not an additive constant
    ("integrate(1/(1 + x**2), x)", "-atan(1/x)", (X,)),
    # each sign-free scalar negative on its own: false only when x < 0 < y
    ("abs(x*y) + x*y", "2*abs(x)*abs(y)", (X, Y)),
    # integers beyond a small range: every integer in -8..8 is a root
    ("k*" + "*".join(f"(k - {i})*(k + {i})" for i in range(1, 9)), "0", (scalar("k", "integer"),)),
    # the other component of the orthogonal group
    ("det(Q)", "1", (matrix("Q", ("n", "n"), "orthogonal"),)),
    # SymPy 1.14 integrates this to 0
    ("diff(integrate(1/(2 + y*cos(x)), x, 0, 2*pi), y)", "0", (X, Y)),
    # a mixed derivative that a sum of univariate polynomials would make vanish
    ("diff(diff(diff(f, x), x), y)", "0", (X, Y, SymbolDecl("f", "function", of=("x", "y")))),
    # a negative function
    ("sqrt(f**2)", "f", (X, SymbolDecl("f", "function", of=("x",)))),
]


@pytest.mark.parametrize("lhs, rhs, decls", TRUE, ids=[f"{t[0]} = {t[1]}" for t in TRUE])
def test_true_identities_verify(lhs: str, rhs: str, decls: tuple) -> None:
    result = check(lhs, rhs, *decls)
    assert result.status == "verified", result.describe()
    assert result.level is not None


@pytest.mark.parametrize("lhs, rhs, decls", FALSE, ids=[f"{f[0]} = {f[1]}" for f in FALSE])
def test_false_identities_are_rejected(lhs: str, rhs: str, decls: tuple) -> None:
    result = check(lhs, rhs, *decls)
    assert result.status == "false", result.describe()
    assert result.counterexample is not None


@pytest.mark.parametrize("entry_id", ["a", "inverse-power", "zz-renamed", "x1"])
def test_no_verdict_depends_on_the_entry_id(entry_id: str) -> None:
    assert check("inv(A**6)", "inv(A)**6", A, entry_id=entry_id).status == "verified"
    assert check("inv(A**6)", "inv(A)**5", A, entry_id=entry_id).status == "false"


def test_false_only_at_large_sizes_is_found_at_the_size_above_the_bound() -> None:
    result = check("(n-1)*(n-2)*(n-3)*(n-4)*(n-5)*trace(A)", "0", A)
    assert result.counterexample.sizes == {"n": 6}


def test_rectangular_counterexample_has_more_rows_than_columns() -> None:
    result = check("trace(A.T*A)*(n - m + abs(n - m))", "0", matrix("A", ("m", "n")))
    sizes = result.counterexample.sizes
    assert sizes["n"] > sizes["m"]


def test_indefinite_integral_used_non_linearly_is_refused_with_a_located_message() -> None:
    result = check("integrate(x, x)**2", "x**4/4", X)
    assert result.status == "inconclusive"
    assert result.reason.startswith("test.yml:3:5: entry 'test': an indefinite integral is known only up to")
    assert "integrate(f, x, a, b)" in result.reason


def test_orthogonal_and_positive_definite_together_are_refused() -> None:
    result = check("Q", "eye(n)", matrix("Q", ("n", "n"), "orthogonal", "positive_definite"))
    assert result.status == "inconclusive"
    assert "only the identity" in result.reason and "Write eye(n)" in result.reason


def test_a_dependent_scalar_cannot_be_a_differentiation_variable() -> None:
    result = check("diff(x, y)", "0", X, scalar("y", of=("x",)))
    assert result.status == "inconclusive"
    assert "cannot differentiate with respect to 'y', which depends on x" in result.reason


def test_chains_of_dependence_are_refused_in_any_declaration_order() -> None:
    for decls in [(X, scalar("y", of=("x",)), scalar("z", of=("y",))),
                  (scalar("z", of=("y",)), scalar("y", of=("x",)), X)]:
        result = check("z", "z", *decls)
        assert result.status == "inconclusive"
        assert "symbol 'z' depends on 'y', which itself depends on x" in result.reason


def test_of_means_the_same_in_any_order() -> None:
    f = SymbolDecl("f", "function", of=("x",))
    for decls in [(X, f), (f, X)]:
        assert check("diff(f**2, x)", "2*f*diff(f, x)", *decls).status == "verified"
        assert check("diff(f**2, x)", "2*f", *decls).status == "false"


def test_an_integral_that_does_not_settle_is_inconclusive_not_verified() -> None:
    """1/sqrt(x) on (0, 1]: the quadrature does not reach 40 digits at the singularity."""
    result = check("integrate(1/sqrt(x), x, 0, 1) + y", "2 + y", X, Y)
    assert result.status in ("inconclusive", "verified")
    if result.status == "verified":
        assert result.level != "proved"


NONZERO = scalar("x", "nonzero")


@pytest.mark.parametrize(("lhs", "rhs", "decl", "pole"), [
    # log|x| + sign(x): an antiderivative on each side of 0, but with a jump of 2 between them
    ("integrate(1/x, x)", "log(abs(x)) + abs(x)/x", X, "0"),
    ("integrate(1/x, x)", "log(abs(x)) + abs(x)/x", NONZERO, "0"),
    ("integrate(1/(x - 1), x)", "log(abs(x - 1)) + abs(x - 1)/(x - 1)", X, "1.0"),
    ("integrate(1/x**2, x)", "-1/x + abs(x)/x", X, "0"),
    # true on each side, but not comparable across the pole either: not verified
    ("integrate(1/x, x)", "log(abs(x))", NONZERO, "0"),
], ids=["jump-at-0", "jump-nonzero", "jump-at-1", "jump-double-pole", "log-abs"])
def test_an_antiderivative_is_never_compared_across_a_pole(lhs: str, rhs: str, decl: SymbolDecl, pole: str) -> None:
    """A replacement point could lie on the pole's side: the claim is inconclusive and names
    the pole, and the advice is to restrict the variable to one side."""
    result = check(lhs, rhs, decl)
    assert result.status == "inconclusive", result.describe()
    found = re.search(r"the integrand seems singular near (\S+), .* restrict the variable to one side",
                      result.reason or "")
    assert found, result.reason
    assert abs(float(found[1]) - float(pole)) < 1e-6


def test_an_antiderivative_on_one_side_of_the_pole_is_verified() -> None:
    assert check("integrate(1/x, x)", "log(x)", XP).status == "verified"
    assert check("integrate(1/x, x)", "log(x) + 1/x", XP).status == "false"


@pytest.mark.parametrize(("lhs", "rhs", "status"), [
    ("integrate(abs(x - 1/3), x, 0, 1)", "5/18", "verified"),
    ("integrate(abs(x - 1/3), x, 0, 1)", "5/18 + 1/10**20", "false"),
    ("integrate(sqrt(abs(x - 1/3)), x, 0, 1)", "2/3*((2/3)**(3/2) + (1/3)**(3/2))", "verified"),
])
def test_an_integrand_that_vanishes_at_a_kink_is_integrated(lhs: str, rhs: str, status: str) -> None:
    """The nodes crowd the kink, where |x - 1/3| is a sum that cancels: no reason to replace
    the point inside an integral (the two precisions still have to agree)."""
    assert check(lhs, rhs, X).status == status


@pytest.mark.parametrize(("lhs", "rhs", "level"), [
    ("integrate(x*sin(x), x)", "sin(x) - x*cos(x)", "proved"),
    ("integrate(x**4, x)", "x**5/5 + 1", "proved"),  # up to an additive constant
    ("integrate(2**x, x)", "2**x/log(2)", "proved"),
    # the same derivative as atan(x) away from 0, but the difference jumps there: no proof
    ("integrate(1/(1 + x**2), x)", "atan(x)", "numeric"),
    ("integrate(cos(x), x)", "sin(x) + abs(x)/x", None),
])
def test_an_antiderivative_is_proved_only_where_no_function_can_jump(lhs: str, rhs: str, level: str | None) -> None:
    """Equal derivatives and equal values at the base point prove the claim on an interval,
    provided every function is defined on all of it: polynomials, exp, sin, cos, sinh, cosh."""
    result = check(lhs, rhs, X)
    assert (result.status, result.level) == (("verified", level) if level else ("false", None)), result.describe()


def test_levels_are_honest() -> None:
    """proved: formal engine plus an exact test above the bound, or a cross-checked exact
    proof of a scalar identity; tested: the exact test alone; numeric: numbers only."""
    formal = check("diff(trace(A*B), A)", "B.T", A, B)
    assert formal.level == "proved"
    assert [e.method for e in formal.evidence][-1] == "formal"
    randomized = next(e for e in formal.evidence if e.method == "randomized")
    assert "a false identity passes with probability below 10^-" in randomized.summary
    assert max(randomized.sizes) >= 6
    assert check("(x + 1)**2", "x**2 + 2*x + 1", X).level == "proved"
    assert check("integrate(x**2, x, 0, 1)", "1/3", X).level == "numeric"
    # det of a sum is outside the formal fragment: proved only at the sizes of the proof
    assert check("det(A*B + A)", "det(A)*det(B + eye(n))", A, B).level == "proved-for-sizes"


def test_fixed_sizes_with_a_symbolic_proof_are_proved() -> None:
    m = matrix("M", (2, 2))
    assert check("det(M)", "M[0, 0]*M[1, 1] - M[0, 1]*M[1, 0]", m).status in ("verified", "inconclusive")
    assert check("det(2*M)", "4*det(M)", m).level == "proved"
    assert check("det(2*M)", "2*det(M)", m).status == "false"


def test_large_exact_values_are_bounded_and_decided_in_seconds() -> None:
    result = check("x**a", "x**a", XP, scalar("a", "integer"))
    assert result.status == "verified" and result.seconds < 30


@pytest.fixture
def without_flint():
    rationals.use_flint(False)
    yield
    rationals.use_flint(True)


def test_fraction_fallback_gives_the_same_verdicts(without_flint: None) -> None:
    assert not rationals.using_flint()
    assert check("diff(trace(A*B), A)", "B.T", A, B).status == "verified"
    assert check("diff(trace(A*B), A)", "B", A, B).status == "false"
    assert check("(x**a)**b", "x**(a + b)", XP, scalar("a"), scalar("b")).status == "false"


@pytest.mark.skipif(not rationals.available(), reason="python-flint is not installed")
def test_flint_is_used_when_installed() -> None:
    assert rationals.using_flint()
    assert type(rationals.rational(1, 3)).__name__ == "fmpq"


@pytest.mark.parametrize("lhs, rhs", [
    ("sin(x)**2 + cos(x)**2", "1"),
    ("sin(2*x)", "2*sin(x)*cos(x)"),
    ("-4*cosh(3*x)**2 + 4*sinh(3*x)**2", "-4"),
    ("tan(x/2)", "sin(x)/(1 + cos(x))"),
    ("exp(x + y)", "exp(x)*exp(y)"),
])
def test_exponential_polynomial_identities_are_proved_canonically(lhs: str, rhs: str) -> None:
    """Rewritten as rational functions of exp(x/L) and exp(ix/L): proved, no simplify."""
    result = check(lhs, rhs, X, Y)
    assert (result.status, result.level) == ("verified", "proved"), result.describe()


@pytest.mark.parametrize("lhs, rhs", [
    ("sin(x)**2 - cos(x)**2", "1"),
    ("cosh(3*x)**2 - sinh(3*x)**2", "3"),
    ("tan(x/2)", "sin(x)/(1 - cos(x))"),
])
def test_false_exponential_polynomial_identities_are_rejected(lhs: str, rhs: str) -> None:
    assert check(lhs, rhs, X, Y).status == "false"


def test_a_proof_that_needs_simplify_is_not_proved() -> None:
    """log(xy) = log x + log y: SymPy's simplify agrees, cross-checked numerically; no proof."""
    result = check("log(x*y)", "log(x) + log(y)", XP, scalar("y", "positive"))
    assert (result.status, result.level) == ("verified", "numeric")


def test_shapes_where_a_side_is_undefined_are_skipped_not_handed_on() -> None:
    """X^T X is singular for n < p: those shapes are skipped, the others are tested exactly."""
    result = check("inv(X.T*X)*X.T*X", "eye(p)", matrix("X", ("n", "p")))
    assert result.status == "verified" and result.level == "proved", result.describe()
    assert "exact test" in result.describe()


def test_a_difference_below_the_first_precision_is_found_at_the_second() -> None:
    """A relative difference of 10^-45 is below the 50-digit test's tolerance; at 80 digits it
    stays the same (it is real, not rounding), so the claim is false."""
    result = check("exp(x)", "exp(x)*(1 + 1/10**45)", X)
    assert result.status == "false"
    assert check("integrate(exp(-x**2), x, -10, 10)", "sqrt(pi)", X).status == "false"  # erf(10) < 1


def test_a_true_definite_integral_that_sympy_gets_wrong_is_verified_numerically() -> None:
    """SymPy's integrate is not asked: it would refute this true claim."""
    y = scalar("y")
    result = check("integrate(1/(2 + y*cos(x)), x, 0, 2*pi)", "2*pi/sqrt(4 - y**2)", X, y)
    assert (result.status, result.level) == ("verified", "numeric"), result.describe()


def test_an_integral_with_a_pole_inside_is_never_verified() -> None:
    assert check("integrate(1/x, x, -1, 1)", "0", X).status == "inconclusive"


def test_internal_names_never_collide_with_user_names() -> None:
    """The symbolic proof names the entries of A 'A[1,1]', which no declared name can be."""
    a = matrix("A", (1, 1))
    assert check("trace(A)", "A_11", a, scalar("A_11")).status == "false"
    assert check("trace(A)", "_A", a, scalar("_A")).status == "false"


def test_a_function_of_a_matrix_is_refused() -> None:
    result = check("f", "f", A, SymbolDecl("f", "function", of=("A",)))
    assert result.status == "inconclusive"
    assert "a scalar or a function can depend only on scalars" in result.reason


def test_vectors_may_depend_on_dependent_vectors_but_not_in_a_cycle() -> None:
    b = SymbolDecl("b", "vector", ("n", 1), (), ("x",))
    a = SymbolDecl("a", "vector", ("n", 1), (), ("b",))
    assert check("diff(a.T*a, x)", "2*a.T*diff(a, x)", a, b, X).status == "verified"
    cyclic = (SymbolDecl("a", "vector", ("n", 1), (), ("b",)), SymbolDecl("b", "vector", ("n", 1), (), ("a",)))
    result = check("a", "a", *cyclic)
    assert result.status == "inconclusive" and "depends on itself through of:" in result.reason
