"""Limits, infinite series, factorial and binomial: parsing, every verifier method, printing.

A limit or a series is never decided by SymPy alone: the numeric test must find evidence of
convergence, and SymPy's closed form is a cross-check whose disagreement leaves the claim
inconclusive.  Divergent series and limits that do not exist are never verified."""

from __future__ import annotations

import pytest

from proofbook.errors import Location, ProofbookError
from proofbook.language.parse import compile_source
from proofbook.language.symbols import SymbolTable
from proofbook.model import Source, SymbolDecl
from proofbook.render.latex import to_latex
from proofbook.verify.claims import Claim
from proofbook.verify.engine import verify_claim

DECLS = (
    SymbolDecl("x", "scalar"),
    SymbolDecl("y", "scalar", None, ("positive",)),
    SymbolDecl("k", "scalar", None, ("integer",)),
    SymbolDecl("n", "scalar", None, ("integer", "nonnegative")),
    SymbolDecl("m", "scalar", None, ("integer",)),
    SymbolDecl("B", "matrix", ("p", "p")),
)
TABLE = SymbolTable.build(DECLS)
WHERE = Location("registry/series.yml", 4, 10)


def verdict(lhs: str, rhs: str, matrices: bool = False):
    here = Location("test.yml", 1, 1)
    decls = DECLS if matrices else DECLS[:-1]
    return verify_claim(Claim("limits", "statement", decls, Source(lhs, here), Source(rhs, here)))


@pytest.mark.parametrize(("lhs", "rhs"), [
    ("limit(sin(x)/x, x, 0)", "1"),
    ("limit((exp(x) - 1)/x, x, 0)", "1"),
    ("limit((x**2 - 4)/(x - 2), x, 2)", "4"),
    ("limit((1 + 1/k)**k, k, oo)", "E"),
    ("limit((1 + x/k)**k, k, oo)", "exp(x)"),          # x of either sign, large ones replaced
    ("limit_right(abs(x)/x, x, 0)", "1"),
    ("sum(x**k/factorial(k), k, 0, oo)", "exp(x)"),    # x negative too
    ("sum(1/k**2, k, 1, oo)", "pi**2/6"),
    ("sum((-1)**(k + 1)/k, k, 1, oo)", "log(2)"),
])
def test_limits_and_series_verify_numerically_never_proved(lhs: str, rhs: str) -> None:
    """The strongest honest level: numeric, with SymPy's closed form as a cross-check only."""
    result = verdict(lhs, rhs)
    assert result.status == "verified", result.reason
    assert result.level == "numeric"
    assert not any("symbolic proof" in e.summary for e in result.evidence)


@pytest.mark.parametrize(("lhs", "rhs"), [
    ("limit(sin(x)/x, x, 0)", "0"),
    ("sum(x**k/factorial(k), k, 0, oo)", "exp(2*x)"),
    ("sum(1/k**2, k, 1, oo)", "1.6449"),               # close, but wrong
    ("limit((1 + 1/k)**k, k, oo)", "2.718281828"),
    ("limit_left(abs(x)/x, x, 0)", "1"),               # the other side
    ("sum(x**k/factorial(k), k, 1, oo)", "exp(x)"),    # off by one in the lower bound
])
def test_false_limits_and_series_are_rejected(lhs: str, rhs: str) -> None:
    assert verdict(lhs, rhs).status == "false"


@pytest.mark.parametrize(("lhs", "rhs"), [
    ("sum(1/k, k, 1, oo)", "0"),                       # the harmonic series diverges
    ("sum(1/k, k, 1, oo)", "sum(1/k, k, 1, oo)"),      # ... also against itself
    ("sum((-1)**k, k, 0, oo)", "1/2"),                 # extrapolation would say 1/2
    ("sum(2**k, k, 0, oo)", "-1"),                     # and -1 here
    ("limit(1/x, x, 0)", "0"),
    ("limit_right(1/x, x, 0)", "0"),
    ("limit(sin(1/x), x, 0)", "0"),
    ("limit_right(sin(1/x), x, 0)", "0"),
    ("limit(abs(x)/x, x, 0)", "1"),                    # the one-sided limits differ
    ("sum(factorial(k)*x**k, k, 0, oo)", "1"),         # converges at x = 0 only
    ("limit(sqrt(x), x, 0)", "0"),                     # not real on the left
])
def test_divergent_series_and_missing_limits_are_never_verified(lhs: str, rhs: str) -> None:
    result = verdict(lhs, rhs)
    assert result.status == "inconclusive"
    assert result.reason


@pytest.mark.parametrize(("lhs", "rhs"), [
    ("sum(x**k, k, 0, oo)", "1/(1 - x)"),              # true for |x| < 1 only
    ("sum(k**2*x**k, k, 0, oo)", "x*(1 + x)/(1 - x)**3"),
])
def test_a_series_that_diverges_where_the_assumptions_allow_is_inconclusive(lhs: str, rhs: str) -> None:
    """Divergence on a region is not an undefined point to skip: the claim as stated is open."""
    result = verdict(lhs, rhs)
    assert result.status == "inconclusive"
    assert "an infinite series diverges at a point the assumptions allow" in result.reason
    assert "state the identity where it converges" in result.reason


@pytest.mark.parametrize(("lhs", "rhs"), [
    # terms that halve for hundreds of terms, then grow: the sum diverges
    ("sum(1/2**k + k**30/(10**50*10**50*10**50*10**50), k, 0, oo)", "2"),
    # a true series on a domain the assumptions express (ratio exp(-y) in (0, 1)), which
    # SymPy cannot sum for a symbolic y: true, but one engine
    ("sum(exp(-k*y), k, 0, oo)", "1/(1 - exp(-y))"),
])
def test_a_series_only_the_numeric_test_can_sum_is_never_verified(lhs: str, rhs: str) -> None:
    """Extrapolation alone is one engine, and it is fooled by terms that change course after
    its last sample: without SymPy's value to cross-check it, the claim stays open."""
    result = verdict(lhs, rhs)
    assert result.status == "inconclusive"
    assert "verified only when two engines agree" in result.reason


def test_a_series_the_numeric_test_refutes_is_false() -> None:
    assert verdict("sum(exp(-k*y), k, 0, oo)", "1/(1 + exp(-y))").status == "false"


def test_sympy_disagreeing_with_the_numeric_test_leaves_the_claim_open(monkeypatch) -> None:
    """A wrong SymPy limit is neither proof nor disproof: the claim is inconclusive."""
    import sympy

    from proofbook.verify import backends
    monkeypatch.setattr(backends.sympy, "limit", lambda *args: sympy.Integer(0))
    result = verdict("limit(sin(x)/x, x, 0)", "1")
    assert result.status == "inconclusive"
    assert "the engines disagree" in result.reason


@pytest.mark.parametrize(("lhs", "rhs", "level"), [
    ("factorial(n + 1)", "(n + 1)*factorial(n)", "tested"),
    ("binomial(n, k)", "binomial(n, n - k)", "tested"),            # every integer k
    ("binomial(n + 1, k + 1)", "binomial(n, k) + binomial(n, k + 1)", "tested"),
    ("sum(binomial(n, k), k, 0, n)", "2**n", "proved"),
    ("sum(binomial(n, k)*x**k, k, 0, n)", "(1 + x)**n", "tested"),   # SymPy needs simplify
])
def test_factorial_and_binomial_identities_verify(lhs: str, rhs: str, level: str) -> None:
    result = verdict(lhs, rhs)
    assert result.status == "verified", result.reason
    assert result.level == level


@pytest.mark.parametrize(("lhs", "rhs"), [
    ("factorial(n + 1)", "n*factorial(n)"),
    ("binomial(m, k)", "binomial(m, m - k)"),          # false for negative m
    ("sum(binomial(n, k), k, 0, n)", "2**(n + 1)"),
    ("sum(binomial(n, k), k, 1, n)", "2**n"),          # off by one
    ("binomial(n + 1, k)", "binomial(n, k) + binomial(n, k + 1)"),
])
def test_false_factorial_and_binomial_identities_are_rejected(lhs: str, rhs: str) -> None:
    result = verdict(lhs, rhs)
    assert result.status == "false"
    assert result.counterexample is not None and result.counterexample.method == "exact"


@pytest.mark.parametrize(("lhs", "rhs"), [
    ("limit(sin(x)/x, x, 0)*B", "B"),
    ("binomial(n, k)*B", "binomial(n, n - k)*B"),
])
def test_the_formal_engine_claims_nothing_about_limits_or_binomials(lhs: str, rhs: str) -> None:
    result = verdict(lhs, rhs, matrices=True)
    assert result.status == "verified", result.reason
    assert result.level != "proved"
    assert not any(e.method == "formal" for e in result.evidence)


def _error(text: str) -> str:
    with pytest.raises(ProofbookError) as info:
        compile_source(Source(text, WHERE), TABLE, "entry")
    return str(info.value)


@pytest.mark.parametrize(("text", "column", "message"), [
    ("oo", 10, "'oo' (infinity) is not a value: it stands only as the upper bound of sum() or as "
               "the point of limit()."),
    ("x + oo", 14, "'oo' (infinity) is not a value"),
    ("integrate(exp(-x), x, 0, oo)", 35, "'oo' (infinity) is not a value"),
    ("sum(1/k, k, 1, -oo)", 25, "the upper bound of sum() cannot be -oo."),
    ("limit(B, x, 0)", 16, "limit() takes a scalar, not a p x p matrix."),
    ("limit(x, x, x)", 22, "the point of limit() cannot depend on 'x'"),
    ("limit_left(x, x, oo)", 27, "limit_left() approaches a finite point"),
    ("limit(1/k, k, 0)", 24, "'k' is declared an integer: the limit of a sequence is taken at oo."),
    ("limit(limit(x, x, 0), x, 0)", 16, "a limit inside a limit is not supported."),
    ("sum(limit(x, x, 0), k, 0, oo)", 14, "a limit inside an infinite sum is not supported."),
    ("factorial(x)", 20, "factorial() needs a whole-number argument; 'x' is not known to be one."),
    ("factorial(-3)", 20, "factorial() of a negative number is not defined."),
    ("factorial(10**6)", 20, "factorial() of 1000000 is too large to check"),
    ("binomial(n, x)", 22, "binomial() needs a whole-number argument"),
    ("factorial(n**6)", 10, "this expression is too large to check"),
    ("limit(sin(x)/x, x)", 10, "limit() takes 3 arguments, not 2."),
])
def test_misuse_is_refused_at_parse_time_with_its_position(text: str, column: int, message: str) -> None:
    error = _error(text)
    assert error.startswith(f"registry/series.yml:4:{column}: entry 'entry': ")
    assert message in error


@pytest.mark.parametrize(("text", "tex"), [
    ("limit(sin(x)/x, x, 0)", r"\lim_{x \to 0} \frac{\sin\left(x\right)}{x}"),
    ("limit_right(x*log(x), x, 0)", r"\lim_{x \to 0^{+}} x \ln\left(x\right)"),
    ("limit_left(1/x, x, 0)", r"\lim_{x \to 0^{-}} \frac{1}{x}"),
    ("limit((1 + 1/k)**k, k, oo)", r"\lim_{k \to \infty} \left(1 + \frac{1}{k}\right)^{k}"),
    ("limit(x + 1, x, 0)", r"\lim_{x \to 0} \left(x + 1\right)"),
    ("2*limit(1 - cos(x), x, 0)*x", r"2 \left(\lim_{x \to 0} \left(1 - \cos\left(x\right)\right)\right) x"),
    ("sum(x**k/factorial(k), k, 0, oo)", r"\sum_{k=0}^{\infty} \frac{x^{k}}{k!}"),
    ("factorial(n)", "n!"),
    ("factorial(n + 1)", r"\left(n + 1\right)!"),
    ("factorial(2*n)", r"\left(2 n\right)!"),
    ("factorial(n)**2", r"\left(n!\right)^{2}"),
    ("binomial(n, k)", r"\binom{n}{k}"),
])
def test_latex_prints_as_a_textbook(text: str, tex: str) -> None:
    assert to_latex(compile_source(Source(text, WHERE), TABLE, "entry").expr) == tex


def test_oo_is_reserved_like_pi_and_e() -> None:
    from proofbook.language.names import reserved
    assert reserved("oo") == "'oo' is the constant ∞"
    assert reserved("limit") == "'limit' is a function of the expression language"
