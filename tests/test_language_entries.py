"""Fixed entries (X[1, n]), standard basis vectors (basis: 1) and 1 x 1 matrices used as
scalars: what the parser builds, how the handbook prints it, and each error, located."""

from __future__ import annotations

from pathlib import Path

import pytest
from sympy import Integer, Trace

from proofbook.errors import Location, ProofbookError, ProofbookErrors
from proofbook.language.indices import index_text, least_sizes
from proofbook.language.nodes import AsScalar, UnitVector
from proofbook.language.parse import compile_source
from proofbook.language.symbols import SymbolTable
from proofbook.model import Source, SymbolDecl
from proofbook.registry.load import load_registry
from proofbook.render.latex import to_latex
from proofbook.render.pages import describe_symbol

TABLE = SymbolTable.build((
    SymbolDecl("A", "matrix", ("n", "n")),
    SymbolDecl("X", "matrix", ("n", "n")),
    SymbolDecl("M", "matrix", ("m", "n")),
    SymbolDecl("F", "matrix", (3, 3)),
    SymbolDecl("u", "vector", ("n", 1)),
    SymbolDecl("v", "vector", ("n", 1)),
    SymbolDecl("e", "vector", ("n", 1), basis=1),
    SymbolDecl("g", "vector", ("n", 1), basis="n"),
    SymbolDecl("h", "vector", ("n", 1), basis="n - 1"),
    SymbolDecl("i", "index", ("n", 1)),
    SymbolDecl("c", "scalar"),
))
WHERE = Location("registry/sheet.yml", 12, 10)


def compile_text(text: str):
    return compile_source(Source(text, WHERE), TABLE, "my-entry")


def error_of(text: str) -> str:
    with pytest.raises(ProofbookError) as caught:
        compile_text(text)
    return str(caught.value)


def tex(text: str) -> str:
    return to_latex(compile_text(text).expr)


# -- fixed entries ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "printed"), [
    ("X[1, n]", "X_{1n}"),                                  # the Cookbook's corner entry
    ("inv(X)[1, n]", r"\left(\mathbf{X}^{-1}\right)_{1n}"),  # (X⁻¹)_{1n}: an expression indexed
    ("u[1]", "u_{1}"),                                      # a vector's one index
    ("X[n, n]", "X_{nn}"),
    ("X[n - 1, 2]", "X_{n - 1, 2}"),                        # a long index gets a comma
    ("(A*X)[i, n]", r"\left(\mathbf{A} \mathbf{X}\right)_{in}"),
    ("F[3, 1]", "F_{31}"),                                   # a fixed size, checked at parse time
    ("M[m, n]", "M_{mn}"),                                   # each index in its own dimension
])
def test_fixed_entries_print_as_written(text: str, printed: str) -> None:
    """Whole numbers count from 1, a dimension name is the last position."""
    typed = compile_text(text)
    assert typed.is_scalar
    assert to_latex(typed.expr) == printed


def test_positions_are_kept_as_sympy_counts_them() -> None:
    """X[1, n] is SymPy's entry (0, n - 1), so every method reads the same entry."""
    expr = compile_text("X[1, n]").expr
    n = TABLE.dims["n"]
    assert (expr.i, expr.j) == (Integer(0), n - 1)
    assert index_text(expr.j) == "n" and index_text(n - 3) == "n - 2"


def test_least_sizes_follow_the_fixed_positions() -> None:
    """X[2, n] exists from n = 2 on, X[n - 2, 1] from n = 3, a basis vector e_n always."""
    exprs = [compile_text(t).expr for t in ("X[2, n]", "X[n - 2, 1] + g.T*u", "X[1, i]")]
    assert least_sizes(exprs[0]) == {"n": 2}
    assert least_sizes(exprs[1]) == {"n": 3}
    assert least_sizes(exprs[2]) == {}
    assert least_sizes(compile_text("h.T*u").expr) == {"n": 2}


@pytest.mark.parametrize(("text", "message"), [
    ("F[4, 1]", "registry/sheet.yml:12:12: entry 'my-entry': the index 4 is beyond the size 3 "
                "of this dimension. Indices run from 1 to 3."),
    ("X[0, 1]", "registry/sheet.yml:12:12: entry 'my-entry': the index 0 is not a position: "
                "indices count from 1, as a textbook writes them (X[1, 1] is the first entry)."),
    ("X[c, 1]", "registry/sheet.yml:12:12: entry 'my-entry': 'c' is a scalar, not an index. "
                "Write X[i, j] with i: {kind: index, size: n} declared, or a fixed entry such as "
                "X[1, n] or a[n - 1]."),
    ("M[n, 1]", "registry/sheet.yml:12:12: entry 'my-entry': the index n is the last position of "
                "a dimension of size n, but it indexes a dimension of size m."),
    ("X[n + 1, 1]", "registry/sheet.yml:12:12: entry 'my-entry': an index must be a declared "
                    "index symbol, a whole number from 1, or a dimension such as n or n - 1."),
    ("X[7, 1]", "registry/sheet.yml:12:12: entry 'my-entry': the index 7 into a dimension n the "
                "verifier chooses is more than 6: it would leave only large sizes to test. Use a "
                "position from 1 to 6, from n - 5 to n, or an index symbol."),
    ("X[-1, 1]", "registry/sheet.yml:12:12: entry 'my-entry': an index must be a declared index"),
])
def test_bad_indices_are_refused_where_they_stand(text: str, message: str) -> None:
    assert error_of(text).startswith(message)


# -- standard basis vectors ------------------------------------------------------------------

def test_a_basis_vector_is_a_constant_unit_vector() -> None:
    """e (basis: 1) is e_1, g (basis: n) is e_n: UnitVector nodes, not matrix symbols."""
    e, g, h = (TABLE.objects[k] for k in "egh")
    n = TABLE.dims["n"]
    assert isinstance(e, UnitVector) and e.index == 0 and e.shape == (n, 1)
    assert g.index == n - 1 and h.index == n - 2
    assert compile_text("e.T*A*g").shape == (1, 1)


@pytest.mark.parametrize(("text", "printed"), [
    ("e", r"\mathbf{e}_{1}"),
    ("g.T*A*e", r"\mathbf{e}_{n}^{T} \mathbf{A} \mathbf{e}_{1}"),
    ("h", r"\mathbf{e}_{n - 1}"),
    ("e*g.T", r"\mathbf{e}_{1} \mathbf{e}_{n}^{T}"),
])
def test_basis_vectors_print_as_textbooks_write_them(text: str, printed: str) -> None:
    assert tex(text) == printed


def test_a_basis_vector_prints_its_display_name_when_it_has_one() -> None:
    assert to_latex(compile_text("g.T*e").expr, names={"e": r"u_{\star}"}) == \
        r"\mathbf{e}_{n}^{T} \boldsymbol{u_{\star}}"


def test_a_basis_vector_cannot_be_differentiated_by() -> None:
    assert error_of("diff(c, e)") == (
        "registry/sheet.yml:12:18: entry 'my-entry': cannot differentiate with respect to 'e', "
        "the 1st standard basis vector: it is a constant. Differentiate with respect to a vector "
        "without basis:.")


def test_the_symbols_listing_names_the_basis_vector() -> None:
    assert describe_symbol(TABLE.decls["e"]) == "the 1st standard basis vector, of length n"
    assert describe_symbol(TABLE.decls["h"]) == "the (n - 1)-th standard basis vector, of length n"
    assert describe_symbol(SymbolDecl("e", "vector", (3, 1), basis=2)).startswith("the 2nd ")


# -- 1 x 1 matrices as scalars ---------------------------------------------------------------

@pytest.mark.parametrize(("text", "printed"), [
    # Sherman–Morrison's denominator: a sum with a scalar
    ("1 + v.T*inv(A)*u", r"1 + \mathbf{v}^{T} \mathbf{A}^{-1} \mathbf{u}"),
    ("v.T*u - 1", r"\mathbf{v}^{T} \mathbf{u} - 1"),
    ("1 - v.T*u", r"1 - \mathbf{v}^{T} \mathbf{u}"),
    # scalar functions
    ("exp(u.T*u)", r"e^{\mathbf{u}^{T} \mathbf{u}}"),
    ("sqrt(u.T*u)", r"\sqrt{\mathbf{u}^{T} \mathbf{u}}"),
    ("log(1 + u.T*u)", r"\ln\left(1 + \mathbf{u}^{T} \mathbf{u}\right)"),
    # powers
    ("(u.T*u)**2", r"\left(\mathbf{u}^{T} \mathbf{u}\right)^{2}"),
    ("(u.T*u)**(1/2)", r"\sqrt{\mathbf{u}^{T} \mathbf{u}}"),
    # a denominator, and the fraction the Cookbook prints
    ("c/(v.T*u)", r"\frac{c}{\mathbf{v}^{T} \mathbf{u}}"),
    ("A*u*v.T*A/(1 + v.T*A*u)",
     r"\frac{\mathbf{A} \mathbf{u} \mathbf{v}^{T} \mathbf{A}}{1 + \mathbf{v}^{T} \mathbf{A} \mathbf{u}}"),
    # a factor beside a matrix it does not conform with
    ("(v.T*u)*A", r"\left(\mathbf{v}^{T} \mathbf{u}\right) \mathbf{A}"),
    ("A*(v.T*u)", r"\mathbf{A} \left(\mathbf{v}^{T} \mathbf{u}\right)"),
    # trace(...) the author wrote keeps its Tr
    ("1 + trace(v.T*u)", r"1 + \operatorname{Tr}\left(\mathbf{v}^{T} \mathbf{u}\right)"),
])
def test_one_by_one_products_act_as_scalars_and_print_without_tr(text: str, printed: str) -> None:
    assert tex(text) == printed


@pytest.mark.parametrize(("text", "shape"), [
    ("1 + v.T*u", None),            # scalar
    ("exp(v.T*u)", None),
    ("(v.T*u)**2", None),
    ("(v.T*u)*A", ("n", "n")),
    ("v.T*u", ("1", "1")),          # alone it stays a 1 x 1 matrix
    ("c*(v.T*u)", ("1", "1")),      # a scalar times a 1 x 1 matrix is one
    ("v.T*u + u.T*v", ("1", "1")),  # a sum of two 1 x 1 matrices is one
    ("(v.T*u)*(u.T*v)", ("1", "1")),  # they conform: a matrix product
])
def test_which_positions_convert_a_one_by_one_matrix(text: str, shape: tuple | None) -> None:
    typed = compile_text(text)
    assert (None if typed.shape is None else tuple(str(d) for d in typed.shape)) == shape


def test_the_conversion_is_an_explicit_node_distinct_from_trace() -> None:
    """AsScalar is a Trace (every method knows it); the author's trace() is a plain Trace."""
    converted = compile_text("1 + v.T*u").expr.args[1]
    written = compile_text("1 + trace(v.T*u)").expr.args[1]
    assert type(converted) is AsScalar and isinstance(converted, Trace)
    assert type(written) is Trace


@pytest.mark.parametrize(("text", "message"), [
    ("1 + A", "shape mismatch in a sum: a scalar plus an n x n matrix. A scalar and a matrix cannot "
              "be added; multiply the scalar by the identity, e.g. c*eye(n) + A."),
    ("1 + u", "shape mismatch in a sum: a scalar plus a column vector of length n. A scalar and a "
              "vector or non-square matrix cannot be added."),
    ("u + v.T", "shape mismatch in a sum: a column vector of length n plus a 1 x n matrix. The "
                "shapes are each other's transpose: did you mean to transpose one term (.T)?"),
    ("u*v", "shape mismatch in a product: a column vector of length n times a column vector of "
            "length n. For the scalar product of two column vectors write x.T*y; for the outer "
            "product x*y.T."),
    ("M*M", "shape mismatch in a product: an m x n matrix times an m x n matrix. The columns of the "
            "left factor must match the rows of the right one; did you mean to transpose the left "
            "factor (.T)?"),
    ("exp(u)", "the argument of exp() must be a scalar, not a column vector of length n."),
    ("c/u", "division by a matrix is not defined. Write a*inv(B) instead."),
])
def test_shape_errors_that_remain_suggest_a_fix(text: str, message: str) -> None:
    assert message in error_of(text)


# -- declarations in the registry ------------------------------------------------------------

HEAD = "chapter: Basics\nsource: Test book\nentries:\n  - id: e1\n    title: T\n    symbols:\n"


def load_errors(tmp_path: Path, symbols: str) -> list[str]:
    path = tmp_path / "01-basics.yml"
    path.write_text(HEAD + symbols + "    lhs: e\n    rhs: e\n", encoding="utf-8")
    with pytest.raises(ProofbookErrors) as caught:
        load_registry([path])
    return [str(e).replace(str(tmp_path) + "/", "") for e in caught.value.errors]


@pytest.mark.parametrize(("symbols", "message"), [
    ("      e: {kind: vector, size: n, basis: 0}\n",
     "01-basics.yml:7:41: entry 'e1': basis 0 of symbol 'e' is not a position: positions count "
     "from 1 (basis: 1 is e_1). Use a position from 1 to 6, n, or n - k."),
    ("      e: {kind: vector, size: 3, basis: 4}\n",
     "01-basics.yml:7:41: entry 'e1': basis 4 of symbol 'e' is beyond its length 3. Use a "
     "position from 1 to 3."),
    ("      e: {kind: vector, size: n, basis: 9}\n",
     "01-basics.yml:7:41: entry 'e1': basis 9 of symbol 'e' is more than 6 for a vector of length "
     "n, which the verifier chooses. Use a position from 1 to 6, n, or n - k."),
    ("      e: {kind: vector, size: n, basis: m}\n",
     "01-basics.yml:7:41: entry 'e1': basis 'm' of symbol 'e' is not a position of a vector of "
     "length n. Use a position from 1 to 6, n, or n - k."),
    ("      e: {kind: vector, size: 3, basis: n}\n",
     "01-basics.yml:7:41: entry 'e1': basis 'n' of symbol 'e' is not a position of a vector of "
     "length 3. Use a position from 1 to 3."),
    ("      e: {kind: matrix, size: 3, basis: 1}\n",
     "01-basics.yml:7:34: entry 'e1': symbol 'e' is a matrix and takes no 'basis'. Remove basis:."),
    ("      x: scalar\n      e: {kind: vector, size: n, basis: 1, of: x}\n",
     "01-basics.yml:8:48: entry 'e1': symbol 'e' is a standard basis vector, a constant; it cannot "
     "depend on anything. Remove of:, or remove basis:."),
])
def test_bad_basis_declarations_are_located(tmp_path: Path, symbols: str, message: str) -> None:
    assert load_errors(tmp_path, symbols) == [message]


def test_a_basis_declaration_loads(tmp_path: Path) -> None:
    path = tmp_path / "01-basics.yml"
    path.write_text(HEAD + "      e: {kind: vector, size: n, basis: n-1}\n    lhs: e\n    rhs: e\n",
                    encoding="utf-8")
    decl = load_registry([path]).entries[0].symbols[0]
    assert decl.basis == "n - 1"  # one spelling, for the cache keys


def test_a_matrix_over_a_scalar_is_one_fraction() -> None:
    """(x - a)/sqrt(...) puts the sum alone in the numerator, without parentheses."""
    assert tex("(u - v)/sqrt((u - v).T*(u - v))") == (
        r"\frac{\mathbf{u} - \mathbf{v}}{\sqrt{\left(\mathbf{u} - \mathbf{v}\right)^{T} "
        r"\left(\mathbf{u} - \mathbf{v}\right)}}")
    assert tex("A/2") == r"\frac{1}{2} \mathbf{A}"  # a number stays a coefficient
