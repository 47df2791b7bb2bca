"""The formal engine: proofs for every size n, refutations that an exact test at a size above
the degree bound confirms, and an honest "outside" for everything else."""

from __future__ import annotations

import itertools
from collections.abc import Callable
import random
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofbook.errors import Location, ProofbookError
from proofbook.language.parse import compile_source
from proofbook.language.symbols import SymbolTable
from proofbook.model import Source, SymbolDecl
from proofbook.registry.load import load_registry
from proofbook.verify.backends import ExactBackend
from proofbook.verify import linalg
from proofbook.verify.evaluate import Evaluator, entries_of, value_of
from proofbook.verify.formal import FormalOutcome, decide, degree_bound
from proofbook.verify.jet import Inexact
from proofbook.verify.linalg import Singular
from timing import fastest

REPO = Path(__file__).resolve().parent.parent
HERE = Location("test.yml", 1, 1)
SQUARE = ("n", "n")


def decl(name: str, kind: str, shape: tuple | None = None, assume: tuple = (), of: tuple = ()) -> SymbolDecl:
    return SymbolDecl(name, kind, shape, assume, of)


MATRICES = {
    "A": decl("A", "matrix", SQUARE), "B": decl("B", "matrix", SQUARE),
    "C": decl("C", "matrix", SQUARE), "D": decl("D", "matrix", SQUARE),
    "S": decl("S", "matrix", SQUARE, ("symmetric",)),
    "P": decl("P", "matrix", SQUARE, ("positive_definite",)),
    "R": decl("R", "matrix", SQUARE, ("positive_definite",)),
    "Q": decl("Q", "matrix", SQUARE, ("orthogonal",)),
    "G": decl("G", "matrix", SQUARE, ("diagonal",)),
    "X": decl("X", "matrix", ("n", 4)), "Y": decl("Y", "matrix", ("m", "n")),
    "F": decl("F", "matrix", (2, 2)),
    "u": decl("u", "vector", ("n", 1)), "v": decl("v", "vector", ("n", 1)),
    "i": decl("i", "index", ("n", 1)), "j": decl("j", "index", ("n", 1)),
    "x": decl("x", "scalar"), "y": decl("y", "scalar"),
}
OF_X = {
    "x": decl("x", "scalar"), "y": decl("y", "scalar"),
    "A": decl("A", "matrix", SQUARE, ("invertible",), ("x",)),
    "B": decl("B", "matrix", SQUARE, (), ("x",)),
    "S": decl("S", "matrix", SQUARE, ("symmetric",), ("x", "y")),
    "f": decl("f", "function", None, (), ("x", "y")),
}


def compiled(lhs: str, rhs: str, symbols: dict[str, SymbolDecl]) -> tuple[Any, Any, SymbolTable]:
    table = SymbolTable.build(tuple(symbols.values()))
    return (compile_source(Source(lhs, HERE), table).expr,
            compile_source(Source(rhs, HERE), table).expr, table)


def formal(lhs: str, rhs: str, symbols: dict[str, SymbolDecl] = MATRICES) -> FormalOutcome:
    return decide(*compiled(lhs, rhs, symbols))


def _rational(rng: random.Random, positive: bool = False) -> Fraction:
    value = Fraction(rng.randint(1, 10**6), rng.randint(1, 10**3))
    return value if positive or rng.random() < 0.5 else -value


def _matrix(rng: random.Random, rows: int, cols: int, assume: tuple[str, ...],
            number: Callable[[Fraction], Any]) -> linalg.Mat:
    """A random rational matrix with the declared structure (orthogonal: a Cayley transform)."""
    m = [[number(_rational(rng)) for _ in range(cols)] for _ in range(rows)]
    if "positive_definite" in assume:
        return linalg.add(linalg.matmul(m, linalg.transpose(m)), linalg.identity(rows))
    if "symmetric" in assume:
        return [[m[min(i, j)][max(i, j)] for j in range(cols)] for i in range(rows)]
    if "diagonal" in assume:
        return [[m[i][j] if i == j else number(Fraction(0)) for j in range(cols)] for i in range(rows)]
    if "orthogonal" in assume:
        skew = [[m[i][j] if i < j else -m[j][i] if i > j else number(Fraction(0)) for j in range(cols)]
                for i in range(rows)]
        eye = linalg.identity(rows)
        return linalg.matmul(linalg.add(eye, linalg.scale(-1, skew)),
                             linalg.inverse(linalg.add(eye, skew), ExactBackend.field))
    return m


#: Degree of the random functions and matrices of a scalar in the independent exact test.
DEGREE = 8


def random_env(table: SymbolTable, size: int, rng: random.Random,
               number: Callable[[Fraction], Any] = lambda q: q) -> dict[str, Any]:
    """Values for every symbol at one size: rationals (as ``number`` makes them: the
    evaluator's own numbers), structured matrices, and random polynomials for what depends on
    a scalar, of degree ``DEGREE`` (so no derivative the generators nest vanishes by
    construction: a third derivative of a quadratic once made two different sides agree)."""
    env: dict[str, Any] = {d: number(Fraction(size)) for d in table.dims}
    for decl in table.decls.values():
        if decl.kind == "scalar":
            env[decl.name] = number(_rational(rng, "positive" in decl.assume))
        elif decl.kind == "function":
            c = [number(_rational(rng)) for _ in range(DEGREE + 3)]
            env[decl.name] = lambda *a, c=c: sum(
                (ck * (c[-2] * a[0] + c[-1] * a[-1] + 1) ** k for k, ck in enumerate(c[:-2])), number(Fraction(0)))
        elif decl.kind in ("vector", "matrix"):
            rows, cols = (size if isinstance(d, str) else d for d in decl.shape)
            terms = [_matrix(rng, rows, cols, decl.assume, number) for _ in range(DEGREE + 2 if decl.of else 1)]
            env[decl.name] = terms[0] if not decl.of else (lambda e, t=terms, of=decl.of: _polynomial(
                t, [y for x in of for y in entries_of(value_of(e, x))]))
    return env


def _polynomial(terms: list[linalg.Mat], args: list[Any]) -> linalg.Mat:
    """T0 + x T1 + ... + x^DEGREE T_DEGREE + y T_last, x and y the first and last entry of
    what it depends on."""
    x, y = args[0], args[-1]
    total, power = terms[0], x
    for term in terms[1:-1]:
        total = linalg.add(total, linalg.scale(power, term))
        power = power * x
    return linalg.add(total, linalg.scale(y, terms[-1]))


def exact_differs(lhs: Any, rhs: Any, table: SymbolTable, size: int, points: int = 2,
                  seed: int = 0) -> bool | None:
    """An independent exact test: proofbook's evaluator over rationals at random points with
    every dimension = ``size``; None when no point could be evaluated exactly (a value
    such as log det A is not rational)."""
    backend = ExactBackend()
    evaluate = Evaluator(backend)
    names = [d.name for d in table.decls.values() if d.kind == "index"]
    decided = False
    rng = random.Random(seed)
    for _ in range(points):
        for _ in range(8):
            point_env = random_env(table, size, rng, backend.rational)
            try:
                for values in itertools.product(range(size), repeat=len(names)):
                    indices = dict(zip(names, values))
                    env = {**point_env, **indices}
                    left, right = evaluate(lhs, env), evaluate(rhs, env)
                    pairs = list(zip(entries_of(left), entries_of(right)))
                    if any(isinstance(x, Inexact) for pair in pairs for x in pair):
                        return None
                    if any(a != b for a, b in pairs):
                        return True
                decided = True
                break
            except (Singular, ZeroDivisionError):
                continue
    return False if decided else None


# -- the registry ---------------------------------------------------------------------------

REGISTRY = load_registry(sorted((REPO / "registry").glob("*.yml")))


def _links(file: str) -> list[tuple[str, Any, Any, SymbolTable]]:
    """The identities of one chapter: (entry id, lhs, rhs, table) for each link of a chain."""
    links = []
    for chapter in (c for c in REGISTRY.chapters if Path(c.file).name == file):
        for entry in chapter.entries:
            table = SymbolTable.build(entry.symbols)
            sides = [compile_source(s, table, entry.id).expr for s in entry.statement]
            links += [(entry.id, a, b, table) for a, b in zip(sides, sides[1:])
                      if entry.kind == "identity"]
    return links


SEED = _links("01-matrix-derivatives.yml")
ALGEBRA = _links("02-matrix-algebra.yml")


def test_the_seed_chapter_is_proved_for_every_n_quickly() -> None:
    """All 11 identities of the seed chapter (12 links) have equal normal forms, in well
    under a second in total."""
    assert len({entry for entry, *_ in SEED}) == 11
    outcomes, elapsed = fastest(lambda: {(entry, k): decide(a, b, t) for k, (entry, a, b, t) in enumerate(SEED)})
    assert {o.status for o in outcomes.values()} == {"equal"}, outcomes
    assert elapsed < 1.0


@pytest.mark.parametrize("entry, lhs, rhs, table", ALGEBRA, ids=[a[0] for a in ALGEBRA])
def test_matrix_algebra_chapter(entry: str, lhs: Any, rhs: Any, table: SymbolTable) -> None:
    """Chapter 2 is proved, except det(cA) = cⁿ det(A), where n is an exponent."""
    outcome = decide(lhs, rhs, table)
    if entry == "det-of-scaled":
        assert outcome == FormalOutcome(
            "outside", "det of a scaled matrix is c^n: the dimension n is an exponent")
    else:
        assert outcome.status == "equal", outcome


# The seed identities with one mistake each: every one is refuted, and an exact test at a
# size above the degree bound agrees.
SEED_MUTANTS = [
    # dropped transpose
    ("diff(trace(A*B), A)", "B", MATRICES),
    ("diff(log(det(A)), A)", "inv(A)", MATRICES),
    ("diff(trace(A*B*A.T*C), A)", "C*A*B.T + C*A*B", MATRICES),
    ("diff(u.T*A*v, A)", "v*u.T", MATRICES),
    ("diff(trace(A*B), A[i, j])", "B[i, j]", MATRICES),
    # swapped product
    ("diff(trace(A*B*A.T), A)", "(B + B.T)*A", MATRICES),
    ("diff(A*B, x)", "B*diff(A, x) + A*diff(B, x)", OF_X),
    ("diff(log(det(A)), x)", "trace(inv(A)*diff(A, x).T)", OF_X),
    # flipped sign
    ("diff(inv(A), x)", "inv(A)*diff(A, x)*inv(A)", OF_X),
    ("diff(trace(A*B*A.T*C), A)", "C.T*A*B.T - C*A*B", MATRICES),
    # dropped term
    ("diff(trace(A*B*A.T), A)", "A*B", MATRICES),
    ("diff(A*B, x)", "diff(A, x)*B", OF_X),
    ("diff(trace(A), A)", "zeros(n, n)", MATRICES),
    # wrong inverse order
    ("diff(inv(A), x)", "-inv(A)*inv(A)*diff(A, x)", OF_X),
    ("inv(A*B)", "inv(A)*inv(B)", MATRICES),
    ("diff(det(A), x)", "det(A)*trace(diff(A, x))", OF_X),
]


@pytest.mark.parametrize("lhs, rhs, symbols", SEED_MUTANTS, ids=[f"{a} = {b}" for a, b, _ in SEED_MUTANTS])
def test_seed_mutants_are_different(lhs: str, rhs: str, symbols: dict) -> None:
    """A mutant of a seed identity has a different normal form, and is false above the bound."""
    a, b, table = compiled(lhs, rhs, symbols)
    outcome = decide(a, b, table)
    assert outcome.status == "different", outcome
    assert outcome.reason.startswith("the normal forms differ, e.g. in the term ")
    assert exact_differs(a, b, table, degree_bound(a, b, table) + 1)


# -- traps ----------------------------------------------------------------------------------

def _parity(p: tuple[int, ...]) -> int:
    return sum(1 for x in range(len(p)) for y in range(x + 1, len(p)) if p[x] > p[y]) % 2


#: The standard polynomial s4 = Σ sign(σ) X_σ1 X_σ2 X_σ3 X_σ4.
S4 = " ".join(f"{'-' if _parity(p) else '+'} {'*'.join('ABCD'[k] for k in p)}"
              for p in itertools.permutations(range(4))).lstrip("+ ")


def test_the_standard_polynomial_s4_is_different() -> None:
    """s4 vanishes on 2 x 2 matrices (Amitsur–Levitzki) but not on 3 x 3 ones."""
    a, b, table = compiled(S4, "zeros(n, n)", MATRICES)
    assert decide(a, b, table).status == "different"
    assert degree_bound(a, b, table) == 4
    assert exact_differs(a, b, table, 2) is False
    assert exact_differs(a, b, table, 3) is True


@pytest.mark.parametrize("lhs, rhs, reason", [
    # the dimension used as a scalar: false at n = 6 only
    ("(n-1)*(n-2)*(n-3)*(n-4)*(n-5)*trace(A)", "0", "the dimension n is used as a scalar"),
    ("n*trace(A)", "trace(A)", "the dimension n is used as a scalar"),
    ("trace(eye(n))*A", "A*5", "the dimension n is used as a scalar"),
    # det of a sum
    ("det(A + B)", "det(A) + det(B)", "det of a sum or of a product of non-square factors"),
    # Cayley-Hamilton at a fixed size 2: true, but not a consequence of the normal form
    ("F*F - trace(F)*F + det(F)*eye(2)", "zeros(2, 2)", "the fixed size 2 is not above the degree bound 2"),
    # structure the normal form does not use
    ("Q*A", "A*Q", "Q is orthogonal (QᵀQ = I)"),
    ("G*A*G", "G*G*A", "G is diagonal (diagonal matrices commute)"),
    ("inv(A + B)*(A + B)", "2*eye(n)", "the inverse of a sum"),
    # true, but B B⁻¹ cancels before inv(I + B)(I + B) = I can: the rewriting is not complete
    ("trace(inv(B))", "trace(inv(eye(n) + B)*(eye(n) + B)*inv(B))", "the inverse of a sum"),
    ("inv(A + u*v.T)", "inv(A) + inv(A)*u*v.T*inv(A)/(1 + trace(v.T*inv(A)*u))", "the inverse of a sum"),
    ("log(det(A*B))", "log(det(A)) + log(det(B))",
     "log of a product of determinants (it splits only up to 2πi)"),
    ("A[i, i]", "A[i, j]", "an entry index occurs twice in a term or not in every term"),
])
def test_outside_when_the_normal_forms_differ_but_prove_nothing(lhs: str, rhs: str, reason: str) -> None:
    outcome = formal(lhs, rhs)
    assert outcome.status == "outside"
    assert outcome.reason.startswith("the normal forms differ, but that does not refute the identity: ")
    assert reason in outcome.reason


def test_the_dimension_trap_is_caught_above_the_bound() -> None:
    """The bound covers the roots of p(n): (n-1)...(n-5) tr A = 0 holds for n ≤ 5 only."""
    a, b, table = compiled("(n-1)*(n-2)*(n-3)*(n-4)*(n-5)*trace(A)", "0", MATRICES)
    bound = degree_bound(a, b, table)
    assert bound == 5
    assert exact_differs(a, b, table, bound) is False
    assert exact_differs(a, b, table, bound + 1) is True
    a, b, table = compiled("(n-7)*(n-12)*trace(A)", "0", MATRICES)
    assert degree_bound(a, b, table) == 12
    # around a scalar outside the fragment too
    a, b, table = compiled("(n-1)*(n-2)*(n-3)*(n-4)*(n-5)*(n-6)*sin(x)*trace(A)", "0", MATRICES)
    assert decide(a, b, table).status == "outside"
    assert degree_bound(a, b, table) == 6
    # and, as a guess, polynomials in n written inside what is outside
    # (of degree 3: with degree 6 the power could have millions of digits, which the parser refuses)
    a, b, table = compiled("det(x*A)", "x**(n + (n - 1)*(n - 2)*(n - 3))*det(A)", MATRICES)
    assert degree_bound(a, b, table) == 3


def test_cayley_hamilton_is_never_equal() -> None:
    """A² − tr(A) A + det(A) I = 0 holds for 2 x 2 only: different for a symbolic n."""
    a, b, table = compiled("A*A - trace(A)*A + det(A)*eye(n)", "zeros(n, n)", MATRICES)
    assert decide(a, b, table).status == "different"
    assert exact_differs(a, b, table, 3)


@pytest.mark.parametrize("lhs, rhs, reason", [
    ("sin(x)*A", "A*sin(x)", "sin is outside the matrix fragment"),
    ("abs(det(A))", "det(A)", "abs is outside the matrix fragment"),
    ("integrate(x, x)", "x**2/2", "an integral is outside the matrix fragment"),
    ("x**y*A", "A*x**y", "a power with an exponent that is not an integer"),
    ("det(2*A)", "2**n*det(A)", "det of a scaled matrix is c^n: the dimension n is an exponent"),
    ("det(-A)", "det(A)", "det of a scaled matrix is c^n"),
    ("log(x)*A", "A*log(x)", "log of something other than a determinant"),
])
def test_outside_the_fragment(lhs: str, rhs: str, reason: str) -> None:
    outcome = formal(lhs, rhs)
    assert outcome.status == "outside"
    assert reason in outcome.reason


# -- proofs beyond the seed -----------------------------------------------------------------

@pytest.mark.parametrize("lhs, rhs, symbols", [
    ("trace(A*B*C)", "trace(C.T*B.T*A.T)", MATRICES),
    ("trace(A*B*C)", "trace(B*C*A)", MATRICES),
    ("u.T*A*v", "v.T*A.T*u", MATRICES),
    ("A*u*v.T*B*u", "A*u*(u.T*B.T*v)", MATRICES),
    ("trace(u*v.T)", "v.T*u", MATRICES),
    ("S.T*A", "S*A", MATRICES),
    ("inv(A)*A*B", "B", MATRICES),
    ("trace(A*B*inv(A))", "trace(B)", MATRICES),
    ("inv(A*B*C).T", "inv(A).T*inv(B).T*inv(C).T", MATRICES),
    ("X*X.T*inv(X*X.T)", "eye(n)", MATRICES),
    ("inv(inv(A + B))", "A + B", MATRICES),
    ("det(A*inv(B)*A.T)", "det(A)**2/det(B)", MATRICES),
    ("log(det(P*inv(R)))", "log(det(P)) - log(det(R))", MATRICES),
    ("det(eye(n))", "1", MATRICES),
    ("Q.T*Q*A", "A", MATRICES),
    ("(x + y)*A/(x**2 - y**2)", "A/(x - y)", MATRICES),
    ("trace(eye(n))", "n", MATRICES),
    ("Y.T*Y*inv(Y.T*Y)", "eye(n)", MATRICES),
    # derivatives
    ("diff(det(A), A)", "det(A)*inv(A).T", MATRICES),
    ("diff(1/det(A), A)", "-inv(A).T/det(A)", MATRICES),
    ("diff(trace(inv(A + B)), A)", "-(inv(A + B)*inv(A + B)).T", MATRICES),
    ("diff(trace(S*A), S)", "A.T", MATRICES),
    ("diff(trace(S.T*A), S)", "A", MATRICES),
    ("diff(trace(Q), Q)", "eye(n)", MATRICES),
    ("diff_sym(trace(S), S)", "eye(n)", MATRICES),
    ("diff(u.T*S*u, u)", "2*S*u", MATRICES),
    ("diff(A*u, u)", "A", MATRICES),
    ("diff(trace(A*B), A[i, j])", "B[j, i]", MATRICES),
    ("diff(trace(u.T*A*u), u[i])", "((A + A.T)*u)[i]", MATRICES),
    ("diff(log(det(A*B)), A)", "inv(A).T", MATRICES),
    ("diff(log(det(P)), P)", "inv(P)", MATRICES),
    ("diff(diff(A*B, x), x)",
     "diff(diff(A, x), x)*B + 2*diff(A, x)*diff(B, x) + A*diff(diff(B, x), x)", OF_X),
    ("diff(diff(trace(S*S), x), y)", "diff(diff(trace(S*S), y), x)", OF_X),
    ("diff(f(x, y)*A, x)", "diff(f(x, y), x)*A + f(x, y)*diff(A, x)", OF_X),
    ("diff(trace(inv(A)), x)", "-trace(inv(A)*inv(A)*diff(A, x))", OF_X),
    ("diff(diff(S, x), x).T", "diff(diff(S, x), x)", OF_X),
])
def test_proved_for_every_n(lhs: str, rhs: str, symbols: dict) -> None:
    a, b, table = compiled(lhs, rhs, symbols)
    outcome = decide(a, b, table)
    assert outcome.status == "equal", outcome
    assert outcome.reason.startswith("both sides have the same normal form")
    assert not exact_differs(a, b, table, degree_bound(a, b, table) + 1)


def test_internal_letters_never_meet_user_names() -> None:
    """A user matrix named like a unit vector or a derivative stays a letter of its own."""
    symbols = {**MATRICES, "e_i": decl("e_i", "vector", ("n", 1)), "e_j": decl("e_j", "vector", ("n", 1)),
               "dA": decl("dA", "matrix", SQUARE)}
    assert formal("A[i, i]", "e_i.T*A*e_i", symbols).status != "equal"
    assert formal("diff(trace(A*B), A[i, j])", "e_j.T*B*e_i", symbols).status != "equal"
    assert formal("diff(trace(A*B), A)", "dA", symbols).status == "different"


def test_a_one_by_one_matrix_by_an_entry() -> None:
    """diff(uᵀAu, u[i]) is a 1 x 1 matrix derivative by an entry (proofbook's evaluator does
    not take it yet, so there is no exact cross-check here)."""
    assert formal("diff(u.T*A*u, u[i])", "((A + A.T)*u)[i]").status == "equal"
    assert formal("diff(u.T*A*u, u[i])", "(2*A*u)[i]").status == "different"


@pytest.mark.parametrize("lhs, rhs", [
    ("inv(A + B)*(A + B)", "eye(n)"),
    ("trace(inv(A + B)*(A + B)*C)", "trace(C)"),
    ("inv(eye(n) + A)", "eye(n) - A*inv(eye(n) + A)"),
    ("inv(A + u*v.T)", "inv(A) - inv(A)*u*v.T*inv(A)/(1 + trace(v.T*inv(A)*u))"),  # Sherman-Morrison
    ("A*inv(eye(n) + B*A)", "inv(eye(n) + A*B)*A"),                               # push-through
    ("inv(A + B*C*D)", "inv(A) - inv(A)*B*inv(inv(C) + D*inv(A)*B)*D*inv(A)"),   # Woodbury
    # inside a 1 x 1 piece of a trace, after a derivative by an entry
    ("diff(trace(A), B[i, j])", "diff(trace(inv(eye(n) + B)*(eye(n) + B)*A), B[i, j])"),
])
def test_inverses_of_sums_by_rewriting(lhs: str, rhs: str) -> None:
    """inv(P) P = P inv(P) = I, after multiplying the difference by P: proved, and an exact
    test agrees (at n = 5: the bound of an inverse of a sum is a heuristic, and exact
    inverses of nested sums at n = 8 take seconds)."""
    a, b, table = compiled(lhs, rhs, MATRICES)
    outcome = decide(a, b, table)
    assert outcome == FormalOutcome(
        "equal", "the normal forms agree after rewriting with inv(P) P = P inv(P) = I, for every size")
    assert exact_differs(a, b, table, min(degree_bound(a, b, table) + 1, 5)) is False


@pytest.mark.parametrize("lhs, rhs", [
    ("diff(trace(S*A), S)", "A"),            # the unconstrained gradient by a symmetric S
    ("diff(u.T*A*u, u)", "2*A*u"),           # needs A symmetric
    ("diff(A*u, u)", "A.T"),                  # Jacobian layout: (i, j) = d a_i / d u_j
    ("diff(1/det(A), A)", "inv(A).T/det(A)"),
    ("trace(A*B*C)", "trace(A*C*B)"),
    ("A*S", "S*A"),
    ("u.T*A*v", "u.T*A.T*v"),
])
def test_refuted_for_some_n(lhs: str, rhs: str) -> None:
    a, b, table = compiled(lhs, rhs, MATRICES)
    assert decide(a, b, table).status == "different"
    assert exact_differs(a, b, table, degree_bound(a, b, table) + 1)


CHAINED = {
    "x": decl("x", "scalar"), "y": decl("y", "scalar", (), (), ("x",)),
    "b": decl("b", "vector", ("n", 1), (), ("x",)),
    "c": decl("c", "vector", ("n", 1)), "d": decl("d", "vector", ("m", 1), (), ("c",)),
    "A": decl("A", "matrix", SQUARE), "M": decl("M", "matrix", SQUARE, (), ("A",)),
}


@pytest.mark.parametrize("lhs, rhs, status, reason", [
    ("diff(d, x)", "zeros(m, 1)", "equal", ""),
    ("diff(x*y, x)", "y + x*diff(y, x)", "equal", ""),
    ("diff(x*y, x)", "y", "different", ""),
    ("diff(trace(M), A)", "eye(n)", "outside", "M depends on the matrix A"),
    # a derivative by b holds b fixed, also where b is differentiated by x inside
    ("diff(diff(b.T*b, x), b)", "2*diff(b, x)", "outside",
     "a derivative by b, which depends on x, of an expression with a derivative in it"),
    # a vector function of a vector: its Jacobian is a letter, da = J dc
    ("diff(d.T*d, c)", "2*diff(d, c).T*d", "equal", ""),
    ("diff(d.T*d, c)", "diff(d, c).T*d", "different", ""),
])
def test_dependent_symbols(lhs: str, rhs: str, status: str, reason: str) -> None:
    outcome = formal(lhs, rhs, CHAINED)
    assert outcome.status == status, outcome
    assert reason in outcome.reason


def test_a_normal_form_too_large_is_refused() -> None:
    started = time.perf_counter()
    for lhs in ("(x + y + 1)**64*A", "(A + B + C + D)**8"):
        outcome = formal(lhs, "A")
        assert outcome == FormalOutcome("outside", "the normal form needs more than 5000 terms in one step")
    assert time.perf_counter() - started < 5


def test_degree_bounds() -> None:
    """Letters and inverse letters count once, det and log det nothing; derivatives bring their
    derivative letters."""
    def bound(lhs: str, rhs: str, symbols: dict = MATRICES) -> int:
        return degree_bound(*compiled(lhs, rhs, symbols))
    assert bound("trace(A*B*C)", "trace(A*C*B)") == 3
    assert bound("inv(A*B)", "inv(B)*inv(A)") == 2
    assert bound("diff(trace(A*B*A.T*C), A)", "C.T*A*B.T + C*A*B") == 3
    assert bound("diff(inv(A), x)", "-inv(A)*diff(A, x)*inv(A)", OF_X) == 3
    assert bound("det(A)*B", "B*det(A)") == 1
    assert bound("sin(x)*A*B", "A*B*sin(x)") == 2   # outside: read off the tree


# -- the property test ----------------------------------------------------------------------

LETTERS = ("A", "B", "S", "C")


@st.composite
def matrices(draw: st.DrawFn, depth: int = 2) -> tuple:
    """A random n x n matrix expression, as a small tree."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from([("L", name) for name in LETTERS] + [("I",), ("outer",)]))
    kind = draw(st.sampled_from(["mul", "mul", "add", "T", "inv", "scale"]))
    if kind == "inv":
        return ("inv", draw(st.sampled_from(LETTERS)))
    if kind == "T":
        return ("T", draw(matrices(depth - 1)))
    if kind == "scale":
        return ("scale", draw(st.sampled_from(["x", "2", "(x - y)", "trace(A)", "x*y"])),
                draw(matrices(depth - 1)))
    return (kind, draw(matrices(depth - 1)), draw(matrices(depth - 1)))


def text(node: tuple) -> str:
    kind, args = node[0], node[1:]
    if kind == "L":
        return args[0]
    if kind == "I":
        return "eye(n)"
    if kind == "outer":
        return "(u*v.T)"
    if kind == "inv":
        return f"inv({args[0]})"
    if kind == "inv_T":
        return f"inv({args[0]}.T)"
    if kind == "inv_sum":
        return f"inv(eye(n) + {args[0]})"
    if kind == "sum":
        return f"(eye(n) + {args[0]})"
    if kind == "T":
        return f"({text(args[0])}).T"
    if kind == "neg":
        return f"(-{text(args[0])})"
    if kind == "scale":
        return f"({args[0]})*{text(args[1])}"
    return f"({text(args[0])}{'*' if kind == 'mul' else ' + '}{text(args[1])})"


def paths(node: tuple, here: tuple = ()) -> list[tuple]:
    found = [here]
    for k, child in enumerate(node[1:], start=1):
        if isinstance(child, tuple):
            found += paths(child, here + (k,))
    return found


def at(node: tuple, path: tuple) -> tuple:
    for k in path:
        node = node[k]
    return node


def replaced(node: tuple, path: tuple, new: tuple) -> tuple:
    if not path:
        return new
    k = path[0]
    return node[:k] + (replaced(node[k], path[1:], new),) + node[k + 1:]


def rewrites(node: tuple, symmetric: bool = True) -> list[tuple]:
    """Valid rewrites of one subtree: each is the same matrix for every n (Sᵀ = S only where
    ``symmetric``: not under a derivative by S, which moves each entry on its own)."""
    out = [("T", ("T", node)),                                         # Xᵀᵀ = X
           ("mul", ("mul", node, ("L", "A")), ("inv", "A")),          # X A A⁻¹ = X
           ("mul", ("inv", "B"), ("mul", ("L", "B"), node)),          # B⁻¹ B X = X
           ("mul", ("I",), node),
           ("mul", ("inv_sum", "D"), ("mul", ("sum", "D"), node)),     # (I + D)⁻¹ (I + D) X = X
           ("add", ("scale", "x", node), ("scale", "(1 - x)", node))]  # scalar rearrangement
    kind = node[0]
    if kind == "mul":
        out.append(("T", ("mul", ("T", node[2]), ("T", node[1]))))    # (XY) = (YᵀXᵀ)ᵀ
        if node[2][0] == "add":                                        # distributivity
            out.append(("add", ("mul", node[1], node[2][1]), ("mul", node[1], node[2][2])))
    if kind == "add":
        out.append(("add", node[2], node[1]))
    if node == ("L", "S") and symmetric:
        out.append(("T", node))                                       # Sᵀ = S
    if kind == "T" and node[1][0] == "inv":
        out.append(("inv_T", node[1][1]))
    return out


def mutants(node: tuple) -> list[tuple]:
    """Plausible mistakes in one subtree: usually, but not always, a different matrix."""
    out = [("neg", node)]                                              # flipped sign
    kind = node[0]
    if kind == "T":
        out.append(node[1])                                           # dropped transpose
    if kind == "mul":
        out.append(("mul", node[2], node[1]))                         # swapped product
        out.append(("mul", node[1], ("T", node[2])))
    if kind == "add":
        out.append(node[1])                                           # dropped term
        out.append(("add", node[1], ("neg", node[2])))
    if kind == "inv":
        out.append(("L", node[1]))
    if kind == "scale":
        out.append(node[2])
    return out


PROPERTY_SYMBOLS = {**{k: MATRICES[k] for k in ("A", "B", "D", "S", "u", "v", "x", "y", "i", "j")},
                    "C": decl("C", "matrix", SQUARE, (), ("x",))}
#: What a statement says about the random matrix expression M.
WRAPS = ["{}", "trace({})", "diff(trace({}), A)", "diff(u.T*{}*v, S)", "diff({}, x)",
         "diff(trace({}), B[i, j])"]


@st.composite
def statements(draw: st.DrawFn) -> tuple[str, str, str]:
    """(expression, a valid rewrite of it, a mutant of it), as a matrix, a trace, a
    gradient, a derivative by a scalar or by an entry."""
    wrap = draw(st.sampled_from(WRAPS))
    tree = draw(matrices())
    spots = paths(tree)
    spot = draw(st.sampled_from(spots))
    valid = rewrites(at(tree, spot), symmetric=not wrap.endswith("S)"))
    rewrite = replaced(tree, spot, draw(st.sampled_from(valid)))
    spot = draw(st.sampled_from(spots))
    mutant = replaced(tree, spot, draw(st.sampled_from(mutants(at(tree, spot)))))
    return tuple(wrap.format(text(t)) for t in (tree, rewrite, mutant))  # type: ignore[return-value]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements())
def test_formal_verdicts_agree_with_an_exact_test_above_the_bound(case: tuple[str, str, str]) -> None:
    """A rewrite is proved; a mutant is refuted exactly when an exact test at a size above
    the degree bound finds a difference."""
    original, rewrite, mutant = case
    a, b, table = compiled(original, rewrite, PROPERTY_SYMBOLS)
    assert decide(a, b, table).status == "equal", (original, rewrite)
    a, b, table = compiled(original, mutant, PROPERTY_SYMBOLS)
    outcome = decide(a, b, table)
    # tr(I) = n: the normal forms differ by a polynomial in n, which is outside
    refuted = outcome.status == "different" or outcome.reason.endswith("n is used as a scalar")
    assert outcome.status != "outside" or refuted, outcome
    size = degree_bound(a, b, table) + 1
    if size > 7:
        return  # the exact test at that size is too slow for a property test
    assert exact_differs(a, b, table, size, seed=len(mutant)) == refuted, (original, mutant, outcome, size)


# -- random pairs ---------------------------------------------------------------------------

PAIR_SYMBOLS = {
    "x": decl("x", "scalar"), "y": decl("y", "scalar"),
    "A": decl("A", "matrix", SQUARE, ("invertible",), ("x",)), "B": decl("B", "matrix", SQUARE),
    "S": decl("S", "matrix", SQUARE, ("symmetric",)),
    "P": decl("P", "matrix", SQUARE, ("positive_definite",)),
    "M": decl("M", "matrix", ("m", "n")), "a": decl("a", "vector", ("n", 1)),
    "c": decl("c", "vector", ("n", 1)), "i": decl("i", "index", ("n", 1)),
    "j": decl("j", "index", ("n", 1)), "f": decl("f", "function", None, (), ("x",)),
}


def random_square(rng: random.Random, depth: int) -> str:
    """A random n x n expression over the whole fragment (derivatives included)."""
    k = rng.randrange(9) if depth > 0 else 8
    return [
        lambda: f"({random_square(rng, depth - 1)} + {random_square(rng, depth - 1)})",
        lambda: f"{random_square(rng, depth - 1)}*{random_square(rng, depth - 1)}",
        lambda: f"{random_square(rng, depth - 1)}*{random_square(rng, depth - 1)}",
        lambda: f"({random_square(rng, depth - 1)}).T",
        lambda: f"inv({rng.choice(['A', 'B', 'S', 'P', 'A*B', 'M.T*M'])})",
        lambda: f"({random_scalar(rng, depth - 1)})*{random_square(rng, depth - 1)}",
        lambda: f"diff({random_square(rng, depth - 1)}, x)",
        lambda: f"diff({random_scalar(rng, depth - 1)}, {rng.choice(['A', 'B', 'S'])})",
        lambda: rng.choice(["A", "B", "S", "P", "eye(n)", "a*c.T", "M.T*M"]),
    ][k]()


def random_scalar(rng: random.Random, depth: int) -> str:
    k = rng.randrange(8) if depth > 0 else 7
    return [
        lambda: f"trace({random_square(rng, depth - 1)})",
        lambda: f"a.T*{random_square(rng, depth - 1)}*c",
        lambda: f"det({rng.choice(['A', 'B', 'A*B', 'P', 'inv(A)'])})",
        lambda: f"log(det({rng.choice(['A', 'P', 'P*P'])}))",
        lambda: f"({random_scalar(rng, depth - 1)})*({random_scalar(rng, depth - 1)})",
        lambda: f"({random_scalar(rng, depth - 1)} - {random_scalar(rng, depth - 1)})",
        lambda: f"diff({random_scalar(rng, depth - 1)}, x)",
        lambda: rng.choice(["x", "y", "2", "f(x)", "trace(A)", "a.T*c", "det(B)", "B[i, j]"]),
    ][k]()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.booleans())
def test_formal_verdicts_on_random_pairs_agree_with_an_exact_test(rng: random.Random, square: bool) -> None:
    """Two unrelated random expressions of one shape: an expression always equals itself,
    and the verdict on the pair agrees with an exact test above the bound."""
    make = random_square if square else random_scalar
    texts = make(rng, 3), make(rng, 3)
    try:
        a, b, table = compiled(*texts, PAIR_SYMBOLS)
    except ProofbookError:
        return  # a shape mismatch the generator does not avoid
    assert decide(a, a, table).status in ("equal", "outside")
    outcome = decide(a, b, table)
    assert "formal engine failed" not in outcome.reason
    size = degree_bound(a, b, table) + 1
    if outcome.status == "outside" or size > 5:
        return
    try:
        differs = exact_differs(a, b, table, size, points=1)
    except AttributeError:
        return  # proofbook's evaluator cannot take a 1 x 1 matrix derivative by an entry yet
    assert differs is None or differs == (outcome.status == "different"), (texts, outcome, size)


# --- Kronecker products, vec, the adjugate and I∘M ------------------------------------------

KRON = {
    "A": decl("A", "matrix", ("m", "n")), "B": decl("B", "matrix", ("p", "q")),
    "C": decl("C", "matrix", ("n", "r")), "D": decl("D", "matrix", ("q", "s")),
    "X": decl("X", "matrix", ("n", "p")), "Y": decl("Y", "matrix", ("m", "n")),
    "P": decl("P", "matrix", SQUARE), "R": decl("R", "matrix", ("m", "m")),
    "W": decl("W", "matrix", SQUARE), "S": decl("S", "matrix", SQUARE, ("symmetric",)),
    "a": decl("a", "vector", ("m", 1)), "b": decl("b", "vector", ("n", 1)),
    "x": decl("x", "scalar"),
    "U": decl("U", "matrix", SQUARE, (), ("x",)), "V": decl("V", "matrix", ("m", "m"), (), ("x",)),
    "G": decl("G", "matrix", (2, 2)), "H": decl("H", "matrix", (3, 3)),
}

#: Each formal rule, proved for every size, beside a false variant of it that is not.
KRON_RULES = [
    # vec(AXB) = (Bᵀ ⊗ A) vec(X); the variant with B for Bᵀ (shapes fit when B is square)
    ("vec(A*X*B)", "kron(B.T, A)*vec(X)", ("vec(P*W*P)", "kron(P, P)*vec(W)")),
    # the mixed-product rule; the variant with the second product reversed
    ("kron(A, B)*kron(C, D)", "kron(A*C, B*D)", ("kron(P, W)*kron(W, P)", "kron(P*W, P*W)")),
    # transpose and inverse keep the order of the factors
    ("kron(A, B).T", "kron(A.T, B.T)", ("kron(P, W).T", "kron(P.T, W)")),
    ("inv(kron(P, R))", "kron(inv(P), inv(R))", ("inv(kron(P, R))", "kron(inv(P), R)")),
    # tr(A ⊗ B) = tr A tr B; the variant with a sum
    ("trace(kron(P, R))", "trace(P)*trace(R)", ("trace(kron(P, R))", "trace(P) + trace(R)")),
    # det at fixed sizes: each factor to the power of the other's size
    ("det(kron(G, H))", "det(G)**3*det(H)**2", ("det(kron(G, H))", "det(G)**2*det(H)**3")),
    # vec(A)ᵀ vec(Y) = tr(AᵀY); the variant without the transpose
    ("vec(A).T*vec(Y)", "trace(A.T*Y)", ("vec(A).T*vec(Y)", "trace(A.T*A)")),
    # (P ⊗ Q) vec(Y) = vec(Q Y Pᵀ), and the quadratic form; the variant without the transpose
    ("vec(Y).T*kron(P, R)*vec(Y)", "trace(Y.T*R*Y*P.T)", ("vec(Y).T*kron(P, R)*vec(Y)", "trace(Y.T*R*Y*P)")),
    # vectors: a ⊗ b = vec(b aᵀ), a ⊗ bᵀ = a bᵀ
    ("kron(a, b)", "vec(b*a.T)", ("kron(a, b)", "vec(a*b.T)")),
    ("kron(a, b.T)", "a*b.T", ("kron(a, b.T)", "2*a*b.T")),
    # bilinearity and associativity; a variant with a factor dropped
    ("kron(P, R + x*R)", "kron(P, R) + x*kron(P, R)", ("kron(P, R + x*R)", "kron(P, R) + kron(P, x*R*R)")),
    ("kron(kron(P, R), W)", "kron(P, kron(R, W))", ("kron(kron(P, W), W)", "kron(P, kron(W.T, W))")),
    # powers through the mixed product
    ("kron(P, R)**2", "kron(P**2, R**2)", ("kron(P, R)**2", "kron(P**2, R)")),
    # the product rule, with the order of the factors kept
    ("diff(kron(U, V), x)", "kron(diff(U, x), V) + kron(U, diff(V, x))",
     ("diff(kron(U, V), x)", "kron(diff(U, x), diff(V, x))")),
    ("diff(vec(U), x)", "vec(diff(U, x))", ("diff(vec(U), x)", "vec(diff(U, x)*U)")),
    # a gradient through vec and ⊗
    ("diff(vec(X).T*kron(eye(p), P)*vec(X), X)", "P*X + P.T*X",
     ("diff(vec(X).T*kron(eye(p), P)*vec(X), X)", "2*P*X")),
    # the adjugate: adj(X) = det(X) X⁻¹ as rational functions, also at singular X
    ("diff(det(W), W)", "adj(W).T", ("diff(det(W), W)", "adj(W)")),
    ("adj(P*W)", "adj(W)*adj(P)", ("adj(P*W)", "adj(P)*adj(W)")),
    ("diff(det(U), x)", "trace(adj(U)*diff(U, x))", ("diff(det(U), x)", "trace(adj(U).T*diff(U, x))")),
    # I∘M is the diagonal part, the one Hadamard product in the fragment
    ("diff_sym(trace(P*S), S)", "P + P.T - hadamard(eye(n), P)",
     ("diff_sym(trace(P*S), S)", "P + P.T - hadamard(eye(n), P.T*P)")),
]


@pytest.mark.parametrize(("lhs", "rhs", "false"), KRON_RULES, ids=[r[0] for r in KRON_RULES])
def test_kronecker_vec_and_adjugate_rules_are_proved_and_their_variants_are_not(
        lhs: str, rhs: str, false: tuple[str, str]) -> None:
    assert formal(lhs, rhs, KRON).status == "equal"
    assert exact_differs(*compiled(lhs, rhs, KRON), size=3) is False
    assert formal(*false, KRON).status != "equal"
    assert exact_differs(*compiled(*false, KRON), size=3) is True


@pytest.mark.parametrize(("lhs", "rhs", "reason"), [
    # the two orders of a Kronecker product differ only by a permutation: no rule for it
    ("kron(P, R)", "kron(R, P)", "factors' shapes differ"),
    ("kron(eye(n), eye(m))", "kron(eye(m), eye(n))", "factors' shapes differ"),
    # det(A ⊗ B) = det(A)^m det(B)^n has the dimensions as exponents
    ("det(kron(P, R))", "det(P)**m*det(R)**n", "a dimension as an exponent"),
    # vec of a Kronecker product, and Hadamard products other than I∘M
    ("vec(kron(P, R))", "vec(kron(P.T, R))", "vec of a Kronecker product"),
    ("hadamard(P, W)", "hadamard(W, P)", "Hadamard product other than I∘M"),
    # a product whose total shapes match but whose factors' shapes do not line up
    ("vec(A*X*B)", "kron(eye(q), A)*vec(X*B)", None),
])
def test_outside_the_kronecker_fragment(lhs: str, rhs: str, reason: str | None) -> None:
    """Outside means the evidence stays finite; never a wrong 'equal' or 'different'."""
    outcome = formal(lhs, rhs, KRON)
    if reason is None:
        assert outcome.status in ("equal", "outside")
    else:
        assert outcome.status == "outside" and reason in outcome.reason


def test_pairing_letters_raise_the_degree_bound() -> None:
    """The probes Z_k count in the degree: the mixed product needs sizes above 6."""
    assert degree_bound(*compiled("kron(A, B)*kron(C, D)", "kron(A*C, B*D)", KRON)) == 6
    assert degree_bound(*compiled("trace(kron(P, R))", "trace(P)*trace(R)", KRON)) == 2
