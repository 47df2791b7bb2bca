"""The commonest slips get a located message that says what to write instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from proofbook.errors import Location, ProofbookError
from proofbook.language.parse import compile_source
from proofbook.language.symbols import SymbolTable
from proofbook.model import Source, SymbolDecl

TABLE = SymbolTable.build((
    SymbolDecl("x", "scalar"),
    SymbolDecl("a", "scalar"),
    SymbolDecl("b", "scalar"),
    SymbolDecl("y", "scalar", of=("x",)),
    SymbolDecl("sigma", "scalar"),
    SymbolDecl("A", "matrix", ("n", "n")),
    SymbolDecl("B", "matrix", ("n", "n")),
    SymbolDecl("f", "function", of=("x",)),
))
WHERE = Location("registry/sheet.yml", 12, 10)


def error_of(text: str) -> ProofbookError:
    with pytest.raises(ProofbookError) as caught:
        compile_source(Source(text, WHERE), TABLE, "my-entry")
    return caught.value


SLIPS = [
    # powers are **; ^ binds more loosely than +, so the fix keeps what the author meant
    ("x^2", 10, "'^' is not a power. Powers are written with **: write x**2."),
    ("x^2 + 1", 10, "write x**2 + 1."),
    ("2*x^2", 10, "write 2*x**2."),
    ("x^{2}", 10, "write x**2."),
    ("x^(1/2)", 10, "write x**(1/2)."),
    # transpose, inverse and Euler's number written with ^
    ("A^T", 10, "The transpose is written .T: write A.T."),
    ("(A*B)^T", 10, "write (A*B).T."),
    ("A^-1", 10, "write A**-1, or inv(A) for an inverse."),
    ("A^{-1}", 10, "write A**-1, or inv(A) for an inverse."),
    ("e^x", 10, "Euler's number is E: write exp(x)."),
    ("e**x", 10, "unknown symbol 'e' (did you mean E?). E is Euler's number: write exp(x) for e**x"),
    # implicit multiplication, glued or spaced, and a call of a number or a sum
    ("cos(2x)", 14, "'2x' has no operator: implicit multiplication is not allowed. Write 2*x for a product"),
    ("2x", 10, "Write 2*x for a product."),
    ("1.5x", 10, "Write 1.5*x for a product."),
    ("2(x+1)", 10, "'2(x+1)' has no operator: implicit multiplication is not allowed. Write 2*(x+1) for a product."),
    ("(a+b)(a-b)", 10, "Write (a+b)*(a-b) for a product."),
    ("x*(a+b)(a-b)", 12, "Write (a+b)*(a-b) for a product."),
    ("(a+b)x", 10, "Write (a+b)*x for a product."),
    ("x y", 10, "'x y' has no operator: implicit multiplication is not allowed. Write x*y for a product."),
    ("A.T B", 10, "Write A.T*B for a product."),
    ("diff(f x)", 15, "Write f*x for a product (or f, x if a comma is missing between arguments)."),
    ("x(a+b)", 10, "'x' is declared as a scalar, not a function: implicit multiplication is not allowed. "
                   "Write x*(a+b) for a product."),
    ("y(x)", 10, "'y' is a scalar that depends on x, not a function to call. Write y: it stands for y(x)."),
    # other notations' function names
    ("ln(x)", 10, "unknown function 'ln' (did you mean log?). log is the natural logarithm: write log(x)."),
    ("Tr(A)", 10, "unknown function 'Tr' (did you mean trace?). Write trace(A)."),
    ("tr(A*B)", 10, "Write trace(A*B)."),
    ("arctan(x)", 10, "(did you mean atan?). Write atan(x)."),
    ("Det(A)", 10, "(did you mean det?). Write det(A)."),
    ("inverse(A)", 10, "(did you mean inv?). Write inv(A)."),
    ("sinn(x)", 10, "unknown function 'sinn' (did you mean sin?). Write sin(x)."),
    ("T(A*B)", 10, "The transpose is written .T: write (A*B).T."),
    # a function applied without parentheses
    ("inv A", 10, "'inv A': the argument of a function goes in parentheses. Write inv(A)."),
    ("Tr A", 10, "Write trace(A)."),
    ("ln x", 10, "Write log(x)."),
    # primes: a transpose for a matrix, a derivative for a function
    ("A'", 11, "a prime (A') is not part of the language. Write A.T for the transpose"),
    ("(A*B)'", 15, "Write (A*B).T for the transpose"),
    ("f'", 11, "Write diff(f, x) for the derivative."),
    ("y'", 11, "Write diff(y, x) for the derivative."),
    # bars: a determinant of a matrix, an absolute value of a scalar
    ("|A|", 10, "bars |...| are not part of the language. Write det(A) for a determinant (abs(x) is the absolute value of a scalar)."),
    ("|x|", 10, "Write abs(x) for an absolute value (det(A) is the determinant of a matrix)."),
    ("x + |A|", 14, "Write det(A) for a determinant (abs(x) is the absolute value of a scalar)."),
    ("a|b", 10, "Write det(A) for a determinant or abs(x) for an absolute value."),
    # Unicode
    ("x²", 11, "the character '²' cannot appear in an expression. Powers are written with **: write x**2."),
    ("A⁻¹", 11, "write A**-1 or inv(A)."),
    ("Aᵀ", 11, "The transpose is written .T: write A.T."),
    ("2×x", 11, "Every product is written with *: write 2*x."),
    ("x·y", 11, "write x*y."),
    ("√x", 10, "Write sqrt(x) for a square root."),
    ("π*x", 10, "Write pi for the constant π."),
    ("σ*x", 10, "declare sigma under 'symbols:'"),
    ("x − 1", 12, "Write the minus sign as the ASCII hyphen -."),
    # constants and symbols by other names, and did-you-mean for declared ones
    ("Pi*x", 10, "unknown symbol 'Pi' (did you mean pi?). pi is the constant π: write pi."),
    ("sigm", 10, "unknown symbol 'sigm' (did you mean sigma?)."),
    ("I*A", 10, "unknown symbol 'I'. The identity matrix is written eye(n)."),
    # declared names written together, powers of functions, logarithms to a base
    ("ab*x", 10, "unknown symbol 'ab' (did you mean a*b?). Implicit multiplication is not allowed"),
    ("sigmax", 10, "(did you mean sigma*x?)"),
    ("sin^2(x)", 10, "write sin(x)**2."),
    ("e^(-x^2)", 10, "write exp(-x**2)."),
    ("log2(x)", 10, "unknown function 'log2'. log is the natural logarithm: write log(x)/log(2)"),
    ("lg(x)", 10, "write log(x)/log(10) for the logarithm to base 10."),
    # methods of other libraries, an equation inside an expression, a vulgar fraction
    ("A.inv()", 10, "attribute '.inv' is not allowed; only '.T' (transpose) is. Write inv(A)."),
    ("(A*B).det()", 10, "Write det(A*B)."),
    ("A.T()", 10, "'.T' takes no parentheses. Write A.T."),
    ("x = a", 12, "an expression has no '='. Put the two sides in lhs: and rhs: (or the items of chain:)."),
    ("½*x", 10, "Write the number as 1/2."),
]


@pytest.mark.parametrize("text, column, message", SLIPS, ids=[s[0] for s in SLIPS])
def test_slip_gets_a_located_message_with_the_fix(text: str, column: int, message: str) -> None:
    """file:line:col, the entry, what is wrong and what to write instead; never a traceback."""
    error = error_of(text)
    assert message in str(error)
    assert str(error).startswith(f"registry/sheet.yml:12:{column}: entry 'my-entry': ")


def test_a_unicode_letter_is_refused_even_where_python_would_read_a_name() -> None:
    """Python reads Aᵀ as the name AT: with AT declared, Aᵀ must still be an error, not AT."""
    table = SymbolTable.build((SymbolDecl("A", "matrix", ("n", "n")), SymbolDecl("AT", "matrix", ("n", "n"))))
    with pytest.raises(ProofbookError, match=r"The transpose is written \.T: write A\.T\."):
        compile_source(Source("Aᵀ", WHERE), table, "e")


def test_unicode_in_a_comment_is_allowed() -> None:
    """Only the expression itself must be ASCII."""
    assert compile_source(Source("x**2  # x²", WHERE), TABLE, "e").expr is not None


def test_slip_on_a_later_line_names_that_line() -> None:
    """A slip on the second line of a block scalar points at that line."""
    error = error_of("x +\n 2x")
    assert error.location == Location("registry/sheet.yml", 13, None)
    assert "Write 2*x for a product." in str(error)


@pytest.mark.parametrize("text", ["x**2 + 1", "2*(x + 1)", "(a + b)*(a - b)", "log(x)", "trace(A)",
                                  "A.T", "inv(A)", "det(A)", "abs(x)", "E**x", "exp(x)", "pi*x"])
def test_the_fixes_compile(text: str) -> None:
    """What the messages tell the author to write is accepted."""
    assert compile_source(Source(text, WHERE), TABLE, "e").expr is not None


def test_an_unrelated_unknown_name_gets_no_guess() -> None:
    """No did-you-mean for a name like nothing declared: the list of names instead."""
    assert "unknown function 'foo'. Known functions: abs," in str(error_of("foo(x)"))
    assert "unknown symbol 'D'. Declare it under 'symbols:'" in str(error_of("D*A"))


def documented_slips() -> list[tuple[str, str]]:
    """The rows of the table of common slips in docs/expressions.md: (input, message)."""
    page = (Path(__file__).resolve().parents[1] / "docs" / "expressions.md").read_text(encoding="utf-8")
    table = page.split("<!-- slips -->\n", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in table.splitlines()[2:]:
        cells = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows.append((cells[0].strip("`"), cells[1].strip("`")))
    return rows


DOCS_TABLE = SymbolTable.build((SymbolDecl("A", "matrix", ("n", "n")), SymbolDecl("a", "scalar"),
                                SymbolDecl("b", "scalar"), SymbolDecl("x", "scalar"),
                                SymbolDecl("f", "function", of=("x",))))


@pytest.mark.parametrize("text, message", documented_slips())
def test_the_documented_slip_messages_are_the_real_ones(text: str, message: str) -> None:
    """Each row of the docs' table is what the parser says, word for word."""
    with pytest.raises(ProofbookError) as caught:
        compile_source(Source(text, WHERE), DOCS_TABLE, "e")
    assert str(caught.value).split("entry 'e': ", 1)[1] == message


@pytest.mark.parametrize("text, message", [
    # unbalanced parentheses are said as such, never as a product with half a group
    ("2(x", "cannot parse '2(x': unbalanced parentheses."),
    (") x", "cannot parse ') x': unbalanced parentheses."),
    ("A)'(", "unterminated string literal"),
    # a declared scalar called with nothing
    ("x()", "'x' is declared as a scalar, not a function. Write x."),
])
def test_no_slip_is_invented_from_half_an_expression(text: str, message: str) -> None:
    assert message in str(error_of(text))


@pytest.mark.parametrize("text, column, message", [
    # TeX typed into an expression
    ("\\frac{a}{b}", 10, "'\\frac' is TeX, not part of the language. Write a/b for a quotient."),
    ("x\\cdot a", 11, "'\\cdot' is TeX, not part of the language. Write * for a product."),
    ("\\sigma*x", 10, "Greek letters are spelled out: write sigma (declared under 'symbols:')."),
    ("A^{\\top}", 11, "The transpose is written .T: write A.T."),
    # braces for grouping
    ("sqrt{x}", 14, "braces { } do not group in an expression. Use parentheses ( )."),
    ("{a+b}*x", 10, "a set is not allowed in an expression; braces { } do not group. Use parentheses ( )."),
])
def test_tex_habits_get_the_fix(text: str, column: int, message: str) -> None:
    error = error_of(text)
    assert message in str(error)
    assert str(error).startswith(f"registry/sheet.yml:12:{column}: entry 'my-entry': ")
