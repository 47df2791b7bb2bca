"""The expression language: what it builds, and the exact error for each bad expression."""

from __future__ import annotations

from pathlib import Path

import pytest
from sympy import MatAdd, MatrixSymbol, Trace

from proofbook.errors import Location, ProofbookError
from proofbook.language.nodes import MatDerivative
from proofbook.language.parse import compile_source
from proofbook.language.symbols import SymbolTable
from proofbook.model import Source, SymbolDecl

TABLE = SymbolTable.build((
    SymbolDecl("x", "scalar"),
    SymbolDecl("y", "scalar", None, ("positive",)),
    SymbolDecl("k", "scalar", None, ("integer",)),
    SymbolDecl("A", "matrix", ("n", "n"), of=("x",)),
    SymbolDecl("B", "matrix", ("n", "n")),
    SymbolDecl("M", "matrix", ("m", "n")),
    SymbolDecl("a", "vector", ("n", 1)),
    SymbolDecl("i", "index", ("n", 1)),
    SymbolDecl("j", "index", ("n", 1)),
    SymbolDecl("f", "function", of=("x",)),
))
WHERE = Location("registry/sheet.yml", 12, 10)


def compile_text(text: str):
    return compile_source(Source(text, WHERE), TABLE, "my-entry")


def test_matrix_expressions_keep_the_order_written() -> None:
    """C.T*A*B.T + C*A*B stays in that order (the handbook prints what was written)."""
    typed = compile_text("B.T*A + A*B")
    assert isinstance(typed.expr, MatAdd)
    assert [str(t) for t in typed.expr.args] == ["B.T*A", "A*B"]


def test_gradient_of_a_trace_has_the_shape_of_the_matrix() -> None:
    """diff(trace(...), B) is a MatDerivative shaped like B."""
    typed = compile_text("diff(trace(A*B), B)")
    assert isinstance(typed.expr, MatDerivative) and isinstance(typed.expr.expr, Trace)
    assert typed.shape == MatrixSymbol("B", *typed.shape).shape


def test_constant_exponents_and_scalar_factor_order() -> None:
    """x**(1/2) is a square root; x*B*y keeps x before y; a flat sum of 100 terms is fine."""
    assert str(compile_text("x**(1/2)").expr) == "sqrt(x)"
    assert [str(a) for a in compile_text("x*B*y").expr.args] == ["x", "y", "B"]
    assert len(compile_text("+".join(["x"] * 100)).expr.args) == 100


def test_vector_by_vector_derivative_is_square() -> None:
    """d(Ba)/da is n x n (numerator layout)."""
    assert compile_text("diff(B*a, a)").shape == TABLE.objects["B"].shape


BAD = [
    # unknown symbol, with the declared ones listed
    ("D*A", 10, "unknown symbol 'D'. Declare it under 'symbols:' (declared here: A, B, M, a, f, i, j, k, x, y)."),
    # unknown function
    ("foo(x)", 10, "unknown function 'foo'."),
    # wrong number of arguments
    ("sin(x, x)", 10, "sin() takes 1 argument, not 2."),
    ("diff(x)", 10, "diff() takes 2 or 3 arguments, not 1."),
    # shape mismatch in a product and in a sum
    ("a*B", 10, "shape mismatch in a product: a column vector of length n times an n x n matrix."),
    ("B + a", 10, "shape mismatch in a sum: an n x n matrix plus a column vector of length n."),
    ("B + x", 10, "shape mismatch in a sum: an n x n matrix plus a scalar."),
    # trace, determinant and inverse of something not square
    ("trace(a)", 16, "trace() needs a square matrix, not a column vector of length n."),
    ("det(M)", 14, "det() needs a square matrix, not an m x n matrix."),
    ("inv(M)", 14, "inv() needs a square matrix, not an m x n matrix."),
    # derivative with respect to an expression, an index, an undeclared name
    ("diff(x, 2*x)", 18, "diff() differentiates with respect to a declared symbol or an entry A[i, j] of one, not an expression."),
    ("diff(x, i)", 18, "cannot differentiate with respect to 'i', which is declared as an index."),
    ("diff(trace(B), C)", 25, "unknown symbol 'C'."),
    # derivative of a matrix by a matrix is not part of the notation
    ("diff(B, B)", 10, "diff() of an n x n matrix by a matrix is not part of the notation"),
    # derivative order out of range
    ("diff(f, x, 9)", 21, "the order of a derivative must be a whole number from 1 to 6."),
    # unparsable
    ("x +* 2", 13, "cannot parse 'x +* 2': invalid syntax."),
    ("(x", 10, "cannot parse '(x': unbalanced parentheses."),
    # an index that does not fit the dimension it indexes
    ("M[i, j]", 12, "index 'i' runs over 1..n but indexes a dimension of size m."),
    # a transpose of a scalar, an attribute other than .T
    ("x.T", 10, "'.T' needs a matrix or a vector, not a scalar."),
    ("B.I", 10, "attribute '.I' is not allowed; only '.T' (transpose) is."),
    # operators outside the language
    ("B @ B", 10, "the operator '@' is not allowed."),
    ("x < 1", 10, "a comparison is not allowed in an expression."),
    # strings, keywords
    ("sin('x')", 14, "str literals are not allowed in an expression."),
    ("sin(x=1)", 10, "sin() takes plain positional arguments only."),
    # resource limits: huge exponent, huge number, deep nesting, long text
    ("x**(10**10)", 14, "the exponent 10000000000 is too large (at most 64)."),
    ("x**sin(1)", 13, "a constant exponent must be a rational number, such as 3, -1 or 1/2."),
    # a flat sum longer than the limit; derivatives of order 2 by a vector
    ("+".join(["x"] * 101), 10, "a sum or product has more than 100 terms."),
    ("diff(B*a, a, 2)", 23, "only first derivatives by a vector or matrix are supported."),
    ("x**1000", 13, "the exponent 1000 is too large (at most 64)."),
    ("((x**64)**64)**64", 11, "nested powers multiply to more than 256."),
    ("x*10000000000000", 12, "the number 10000000000000 is too large (at most 1000000000000)."),
    ("sin(" * 40 + "x" + ")" * 40, None, "the expression is nested more than 30 levels deep."),
    ("x+" * 1500 + "x", 10, "the expression is 3001 characters long; the limit is 2000."),
    # a sum over a variable not declared integer
    ("sum(x, x, 1, 3)", 17, "the summation variable 'x' must be declared with assume: [integer]."),
    # diff_sym needs a symmetric matrix
    ("diff_sym(trace(B), B)", 29, "diff_sym() differentiates by a matrix declared symmetric."),
]


@pytest.mark.parametrize("text, column, message", BAD, ids=[b[0][:30] for b in BAD])
def test_bad_expression_gets_a_located_message(text: str, column: int | None, message: str) -> None:
    """Each error names file, line, column where known, the entry id, and what is wrong."""
    with pytest.raises(ProofbookError) as caught:
        compile_text(text)
    error = caught.value
    assert message in str(error)
    assert error.entry_id == "my-entry"
    assert error.location.file == "registry/sheet.yml" and error.location.line == 12
    if column is not None:
        assert error.location.column == column
    assert str(error).startswith(f"registry/sheet.yml:12:{column}: entry 'my-entry': " if column
                                 else "registry/sheet.yml:12")


INJECTIONS = [
    # calls reached through attributes
    "__import__('os').system('touch {marker}')",
    # attribute chains to reach object internals
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__",
    # lambdas and comprehensions
    "(lambda: __import__('os').system('touch {marker}'))()",
    "[open('{marker}', 'w') for _ in 'a']",
    # f-strings and star-args
    "f'{{__import__(\"os\").system(\"touch {marker}\")}}'",
    "sin(*[x])",
    # builtins by name
    "eval('1')",
    "open('{marker}', 'w')",
    "exec('import os')",
]


@pytest.mark.parametrize("template", INJECTIONS)
def test_python_injection_is_rejected_and_nothing_runs(template: str, tmp_path: Path) -> None:
    """The parser refuses the text, and the side effect it asks for never happens."""
    marker = tmp_path / "pwned"
    with pytest.raises(ProofbookError):
        compile_text(template.format(marker=marker))
    assert not marker.exists()


def test_multiline_expression_reports_the_line_inside_the_block() -> None:
    """An error on the second line of a block scalar points at that line."""
    with pytest.raises(ProofbookError) as caught:
        compile_source(Source("trace(B)\n + foo(x)", Location("r.yml", 5, 7)), TABLE, "e")
    assert caught.value.location.line == 6


# --- kron, vec, hadamard, adj: shapes at parse time --------------------------------------

from sympy import Integer, Symbol  # noqa: E402

from proofbook.language.nodes import Adjugate, Hadamard, Kron, Vec  # noqa: E402
from proofbook.language.parse import shape_text  # noqa: E402

PRODUCTS = SymbolTable.build((
    SymbolDecl("x", "scalar"),
    SymbolDecl("P", "matrix", ("p", "q")),
    SymbolDecl("R", "matrix", ("r", "s")),
    SymbolDecl("X", "matrix", ("n", "n")),
    SymbolDecl("Y", "matrix", ("n", "n")),
    SymbolDecl("M", "matrix", ("m", "n")),
    SymbolDecl("u", "vector", ("m", 1)),
    SymbolDecl("v", "vector", ("n", 1)),
    SymbolDecl("F", "matrix", (2, 3)),
))


def compile_product(text: str):
    return compile_source(Source(text, WHERE), PRODUCTS, "my-entry")


@pytest.mark.parametrize(("text", "shape"), [
    # kron(P (p x q), R (r x s)) is (pr) x (qs); the shape is a product of dimensions
    ("kron(P, R)", ("p*r", "q*s")),
    ("kron(X, Y)", ("n**2", "n**2")),
    ("kron(u, v)", ("m*n", "1")),  # two columns give a column
    ("kron(F, F)", ("4", "9")),  # fixed sizes multiply out
    ("kron(kron(P, R), X)", ("n*p*r", "n*q*s")),
    # vec(M (m x n)) is (mn) x 1; vec of a column is the column
    ("vec(M)", ("m*n", "1")),
    ("vec(v)", ("n", "1")),
    ("kron(X.T, Y)*vec(X)", ("n**2", "1")),
    ("vec(M).T*vec(M)", ("1", "1")),
    ("hadamard(M, M)", ("m", "n")),
    ("adj(X)", ("n", "n")),
    # a sum of Kronecker products of the same total shape in either order
    ("kron(X, M) + kron(M, X)", ("m*n", "n**2")),
    ("trace(kron(X, Y))", None),
    ("det(kron(X, Y))", None),
    ("inv(kron(X, Y))", ("n**2", "n**2")),
    ("diff(kron(X, Y), x)", ("n**2", "n**2")),
])
def test_kron_vec_hadamard_adj_shapes(text: str, shape: tuple[str, str] | None) -> None:
    """Shapes are products of dimensions, checked while parsing."""
    assert shape_text(compile_product(text).shape) == shape


def test_the_new_operators_stay_unevaluated_as_written() -> None:
    """kron(eye(n), eye(n)) is not turned into eye(n**2), nor adj into the conjugate transpose."""
    expr = compile_product("kron(eye(n), eye(n))").expr
    assert isinstance(expr, Kron) and [str(a) for a in expr.args] == ["I", "I"]
    assert isinstance(compile_product("adj(X)").expr, Adjugate)
    assert isinstance(compile_product("vec(M)").expr, Vec)
    assert isinstance(compile_product("hadamard(X, Y)").expr, Hadamard)
    assert compile_product("kron(X, Y)").shape[0] == Symbol("n", integer=True, positive=True) ** 2
    assert compile_product("kron(F, F)").shape == (Integer(4), Integer(9))


@pytest.mark.parametrize(("text", "column", "message"), [
    ("kron(x, X)", 15, "an argument of kron() must be a matrix or a vector, not a scalar."),
    ("kron(X)", 10, "kron() takes 2 arguments, not 1."),
    ("vec(x)", 14, "the argument of vec() must be a matrix or a vector, not a scalar."),
    ("vec(X, X)", 10, "vec() takes 1 argument, not 2."),
    ("hadamard(X, M)", 10, "shape mismatch in hadamard(): an n x n matrix and an m x n matrix."),
    ("hadamard(M, M.T)", 10, "shape mismatch in hadamard(): an m x n matrix and an n x m matrix."),
    ("adj(M)", 14, "adj() needs a square matrix, not an m x n matrix."),
    ("adj(v)", 14, "adj() needs a square matrix, not a column vector of length n."),
    # the product's shape is used by everything around it
    ("kron(P, R)*X", 10, "shape mismatch in a product: a p*r x q*s matrix times an n x n matrix."),
    ("kron(X, Y) + X", 10, "shape mismatch in a sum: an n**2 x n**2 matrix plus an n x n matrix."),
    ("trace(kron(P, R))", 16, "trace() needs a square matrix, not a p*r x q*s matrix."),
    ("vec(M) + vec(M.T)*x + M", 10, "shape mismatch in a sum"),
])
def test_kron_vec_hadamard_adj_shape_errors(text: str, column: int, message: str) -> None:
    with pytest.raises(ProofbookError) as caught:
        compile_product(text)
    assert message in str(caught.value)
    assert caught.value.location.column == column and caught.value.entry_id == "my-entry"
