"""The handbook LaTeX printer: exact output for every construct the parser produces.

Expressions are built as the parser builds them: unevaluated, arguments in written order.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sympy import (
    Abs,
    Add,
    Basic,
    Derivative,
    Function,
    Integer,
    Integral,
    Mul,
    Pow,
    Rational,
    S,
    Sum,
    Symbol,
    atan,
    cos,
    cosh,
    exp,
    log,
    sin,
    sinh,
    tan,
    tanh,
)
from sympy.matrices.expressions import (
    Determinant,
    Identity,
    Inverse,
    MatAdd,
    MatMul,
    MatPow,
    MatrixSymbol,
    Trace,
    Transpose,
    ZeroMatrix,
)
from sympy.matrices.expressions.matexpr import MatrixElement
from sympy.printing.latex import LatexPrinter

from proofbook.language.nodes import MatDerivative, SymMatDerivative
from proofbook.render.latex import HandbookLatexPrinter, statement_latex, to_latex

n = Symbol("n", integer=True, positive=True)
i, j = Symbol("i", integer=True), Symbol("j", integer=True)
k = Symbol("k", integer=True)
x, y, c = (Symbol(name, real=True) for name in "xyc")
a_, b_ = Symbol("a", real=True), Symbol("b", real=True)
f, g = Function("f"), Function("g")
A, B, C = (MatrixSymbol(name, n, n) for name in "ABC")
S_ = MatrixSymbol("S", n, n)
Sigma = MatrixSymbol("Sigma", n, n)
a, b, xv = (MatrixSymbol(name, n, 1) for name in ("a", "b", "x"))


def add(*terms: Basic) -> Basic:
    return Add(*terms, evaluate=False)


def mul(*factors: Basic) -> Basic:
    return Mul(*factors, evaluate=False)


def pw(base: Basic, e: Basic) -> Basic:
    return Pow(base, e, evaluate=False)


def neg(term: Basic) -> Basic:
    return mul(-1, term)


def madd(*terms: Basic) -> Basic:
    return MatAdd(*terms, evaluate=False)


def mmul(*factors: Basic) -> Basic:
    return MatMul(*factors, evaluate=False)


def d(expr: Basic, *variables: Basic) -> Basic:
    return Derivative(expr, *variables, evaluate=False)


def md(expr: Basic, var: Basic, cls: type[MatDerivative] = MatDerivative) -> MatDerivative:
    """A matrix-valued derivative with the shape the layout of nodes.MatDerivative gives it."""
    if not var.is_Matrix:
        shape = expr.shape
    elif not expr.is_Matrix:
        shape = var.shape
    else:
        shape = (expr.rows, var.rows)
    return cls(expr, var, *shape)


SCALARS = [
    (x, r"x"),
    (Integer(2), r"2"),
    (Rational(1, 2), r"\frac{1}{2}"),
    (S.Pi, r"\pi"),
    (S.Exp1, r"e"),
    (Symbol("sigma", positive=True), r"\sigma"),
    (add(x, 1), r"x + 1"),
    (add(1, x), r"1 + x"),
    (add(x, neg(y)), r"x - y"),
    (add(a_, neg(b_), neg(c)), r"a - b - c"),
    # a sum inside a sum is one the author grouped (the parser merges the others): in parentheses
    (add(add(a_, neg(b_)), neg(c)), r"\left(a - b\right) - c"),
    (add(a_, add(b_, c)), r"a + \left(b + c\right)"),
    (add(a_, neg(add(b_, c))), r"a - \left(b + c\right)"),
    (add(neg(x), y), r"- x + y"),
    (add(a_, neg(neg(b_))), r"a - \left(- b\right)"),
    (add(x, -1), r"x - 1"),
    (add(x, Rational(-1, 2)), r"x - \frac{1}{2}"),
    (add(x, mul(-2, y)), r"x - 2 y"),
    (neg(x), r"- x"),
    (neg(add(a_, b_)), r"- \left(a + b\right)"),
    (neg(neg(x)), r"- \left(- x\right)"),
    (mul(-1, y, x), r"- y x"),
    (mul(-2, x), r"- 2 x"),
    (mul(y, x), r"y x"),
    (mul(x, neg(y)), r"x \left(- y\right)"),
    (mul(2, add(x, 1)), r"2 \left(x + 1\right)"),
    (mul(2, 3), r"2 \cdot 3"),
    (mul(x, 2), r"x \cdot 2"),
    (mul(x, pw(y, -1)), r"\frac{x}{y}"),
    (mul(neg(x), pw(y, -1)), r"- \frac{x}{y}"),
    (mul(n, add(n, 1), pw(2, -1)), r"\frac{n \left(n + 1\right)}{2}"),
    (pw(x, -1), r"\frac{1}{x}"),
    (pw(x, 2), r"x^{2}"),
    (pw(add(x, 1), 2), r"\left(x + 1\right)^{2}"),
    (pw(x, S.Half), r"\sqrt{x}"),
    (pw(add(x, 1), S.Half), r"\sqrt{x + 1}"),
    (pw(x, Rational(-1, 2)), r"\frac{1}{\sqrt{x}}"),
    (pw(S.Exp1, x), r"e^{x}"),
]

FUNCTIONS = [
    (f(x), r"f\left(x\right)"),
    (f(x, y), r"f\left(x, y\right)"),
    (sin(x, evaluate=False), r"\sin\left(x\right)"),
    (cos(x, evaluate=False), r"\cos\left(x\right)"),
    (tan(x, evaluate=False), r"\tan\left(x\right)"),
    (sinh(x, evaluate=False), r"\sinh\left(x\right)"),
    (cosh(x, evaluate=False), r"\cosh\left(x\right)"),
    (tanh(x, evaluate=False), r"\tanh\left(x\right)"),
    (atan(x, evaluate=False), r"\arctan\left(x\right)"),
    (exp(x, evaluate=False), r"e^{x}"),
    (Abs(x, evaluate=False), r"\left|x\right|"),
    (pw(Abs(x, evaluate=False), 2), r"\left|x\right|^{2}"),
    (log(x, evaluate=False), r"\ln\left(x\right)"),
    (log(mul(x, y), evaluate=False), r"\ln\left(x y\right)"),
    (log(Abs(x, evaluate=False), evaluate=False), r"\ln\left|x\right|"),
    (pw(log(x, evaluate=False), 2), r"\ln^{2}\left(x\right)"),
    (pw(sin(x, evaluate=False), 2), r"\sin^{2}\left(x\right)"),
    (sin(mul(2, x), evaluate=False), r"\sin\left(2 x\right)"),
    (mul(2, sin(x, evaluate=False)), r"2 \sin\left(x\right)"),
    (mul(x, exp(x, evaluate=False)), r"x e^{x}"),
]

MATRICES = [
    (A, r"\mathbf{A}"),
    (a, r"\mathbf{a}"),
    (MatrixSymbol("A", 3, 3), r"\mathbf{A}"),
    (MatrixSymbol("A1", n, n), r"\mathbf{A}_{1}"),
    (Sigma, r"\boldsymbol{\Sigma}"),
    (Identity(n), r"\mathbf{I}"),
    (ZeroMatrix(n, n), r"\mathbf{0}"),
    (Transpose(A), r"\mathbf{A}^{T}"),
    (Transpose(a), r"\mathbf{a}^{T}"),
    (Inverse(A), r"\mathbf{A}^{-1}"),
    (Inverse(Sigma), r"\boldsymbol{\Sigma}^{-1}"),
    (MatPow(A, 2), r"\mathbf{A}^{2}"),
    (MatPow(A, k), r"\mathbf{A}^{k}"),
    (Transpose(Inverse(A)), r"\left(\mathbf{A}^{-1}\right)^{T}"),
    (Inverse(Transpose(A)), r"\left(\mathbf{A}^{T}\right)^{-1}"),
    (Transpose(mmul(A, B)), r"\left(\mathbf{A} \mathbf{B}\right)^{T}"),
    (Inverse(madd(A, B)), r"\left(\mathbf{A} + \mathbf{B}\right)^{-1}"),
    (MatPow(Inverse(A), 2), r"\left(\mathbf{A}^{-1}\right)^{2}"),
    (Trace(A), r"\operatorname{Tr}\left(\mathbf{A}\right)"),
    (Trace(mmul(A, B)), r"\operatorname{Tr}\left(\mathbf{A} \mathbf{B}\right)"),
    (Determinant(A), r"\left|\mathbf{A}\right|"),
    (pw(Determinant(A), 2), r"\left|\mathbf{A}\right|^{2}"),
    (log(Determinant(A), evaluate=False), r"\ln\left|\mathbf{A}\right|"),
    (mmul(Transpose(C), A, Transpose(B)), r"\mathbf{C}^{T} \mathbf{A} \mathbf{B}^{T}"),
    (mmul(Transpose(a), xv), r"\mathbf{a}^{T} \mathbf{x}"),
    (mmul(2, A, xv), r"2 \mathbf{A} \mathbf{x}"),
    (mmul(x, A), r"x \mathbf{A}"),
    (mmul(Rational(1, 2), A), r"\frac{1}{2} \mathbf{A}"),
    (mmul(add(x, 1), A), r"\left(x + 1\right) \mathbf{A}"),
    (mmul(-1, A), r"- \mathbf{A}"),
    (mmul(-2, A, B), r"- 2 \mathbf{A} \mathbf{B}"),
    (mmul(A, madd(B, Transpose(B))), r"\mathbf{A} \left(\mathbf{B} + \mathbf{B}^{T}\right)"),
    (madd(A, B), r"\mathbf{A} + \mathbf{B}"),
    (madd(B, A), r"\mathbf{B} + \mathbf{A}"),
    (madd(A, mmul(-1, B)), r"\mathbf{A} - \mathbf{B}"),
    (madd(A, mmul(-1, B, C)), r"\mathbf{A} - \mathbf{B} \mathbf{C}"),
    (madd(A, Identity(n)), r"\mathbf{A} + \mathbf{I}"),
    (mul(2, Trace(A)), r"2 \operatorname{Tr}\left(\mathbf{A}\right)"),
]

ENTRIES = [
    (MatrixElement(A, i, j), r"A_{ij}"),
    (MatrixElement(B, j, i), r"B_{ji}"),
    (MatrixElement(a, i, 0), r"a_{i}"),
    (MatrixElement(Sigma, i, j), r"\Sigma_{ij}"),
    (MatrixElement(A, 0, 1), r"A_{12}"),
    (MatrixElement(A, add(i, 1), j), r"A_{i + 1, j}"),
    (MatrixElement(MatrixSymbol("A1", n, n), i, j), r"\left(A_{1}\right)_{ij}"),
    (MatrixElement(mmul(A, xv), i, 0), r"\left(\mathbf{A} \mathbf{x}\right)_{i}"),
    (MatrixElement(Transpose(A), i, j), r"\left(\mathbf{A}^{T}\right)_{ij}"),
    (MatrixElement(md(x, a), i, 0), r"\left(\frac{\partial x}{\partial \mathbf{a}}\right)_{i}"),
    (MatrixElement(md(a, b), i, j), r"\left(\frac{\partial \mathbf{a}}{\partial \mathbf{b}}\right)_{ij}"),
    (mul(MatrixElement(A, i, j), MatrixElement(B, j, i)), r"A_{ij} B_{ji}"),
    (pw(MatrixElement(A, i, j), 2), r"A_{ij}^{2}"),
]

DERIVATIVES = [
    (d(y, x), r"\frac{\partial y}{\partial x}"),
    (d(f(x), x), r"\frac{\partial f}{\partial x}"),
    (d(f(x), (x, 2)), r"\frac{\partial^{2} f}{\partial x^{2}}"),
    (d(f(x, y), x, y), r"\frac{\partial^{2} f}{\partial y \partial x}"),
    (d(f(mul(2, x)), x), r"\frac{\partial}{\partial x} f\left(2 x\right)"),
    (d(pw(x, 2), x), r"\frac{\partial}{\partial x} \left(x^{2}\right)"),
    (d(sin(x, evaluate=False), (x, 2)), r"\frac{\partial^{2}}{\partial x^{2}} \sin\left(x\right)"),
    (d(neg(x), x), r"\frac{\partial}{\partial x} \left(- x\right)"),
    (d(mul(f(x), g(x)), x), r"\frac{\partial}{\partial x} \left(f\left(x\right) g\left(x\right)\right)"),
    (d(Integer(2), x), r"\frac{\partial}{\partial x} \left(2\right)"),
    (md(md(A, x), y), r"\frac{\partial}{\partial y} \left(\frac{\partial \mathbf{A}}{\partial x}\right)"),
    (d(x, MatrixElement(a, i, 0)), r"\frac{\partial x}{\partial a_{i}}"),
    (d(MatrixElement(a, i, 0), MatrixElement(b, j, 0)), r"\frac{\partial a_{i}}{\partial b_{j}}"),
    (d(Trace(A), MatrixElement(A, i, j)), r"\frac{\partial}{\partial A_{ij}} \operatorname{Tr}\left(\mathbf{A}\right)"),
    (d(MatrixElement(A, i, j), (x, 2)), r"\frac{\partial^{2} A_{ij}}{\partial x^{2}}"),
    (d(x, (MatrixElement(A, i, j), 2)), r"\frac{\partial^{2} x}{\partial A_{ij}^{2}}"),
    (d(mmul(Transpose(a), xv), xv), r"\frac{\partial}{\partial \mathbf{x}} \left(\mathbf{a}^{T} \mathbf{x}\right)"),
    (md(A, x), r"\frac{\partial \mathbf{A}}{\partial x}"),
    (md(a, b), r"\frac{\partial \mathbf{a}}{\partial \mathbf{b}}"),
    (md(x, a), r"\frac{\partial x}{\partial \mathbf{a}}"),
    (md(mmul(A, B), x), r"\frac{\partial}{\partial x} \left(\mathbf{A} \mathbf{B}\right)"),
    (md(Inverse(A), x), r"\frac{\partial}{\partial x} \left(\mathbf{A}^{-1}\right)"),
    (md(Transpose(A), x), r"\frac{\partial}{\partial x} \left(\mathbf{A}^{T}\right)"),
    (md(madd(A, B), x), r"\frac{\partial}{\partial x} \left(\mathbf{A} + \mathbf{B}\right)"),
    (md(Trace(A), A), r"\frac{\partial}{\partial \mathbf{A}} \operatorname{Tr}\left(\mathbf{A}\right)"),
    (md(log(Determinant(A), evaluate=False), A), r"\frac{\partial}{\partial \mathbf{A}} \ln\left|\mathbf{A}\right|"),
    (md(Determinant(A), A), r"\frac{\partial}{\partial \mathbf{A}} \left|\mathbf{A}\right|"),
    (md(Trace(mmul(S_, A)), S_, SymMatDerivative),
     r"\frac{\partial^{\mathrm{s}}}{\partial \mathbf{S}} \operatorname{Tr}\left(\mathbf{S} \mathbf{A}\right)"),
    (md(x, S_, SymMatDerivative), r"\frac{\partial^{\mathrm{s}} x}{\partial \mathbf{S}}"),
    (Transpose(md(A, x)), r"\left(\frac{\partial \mathbf{A}}{\partial x}\right)^{T}"),
    # an operator before other factors is wrapped, so it does not seem to act on them
    (mmul(md(Inverse(A), x), B), r"\left(\frac{\partial}{\partial x} \left(\mathbf{A}^{-1}\right)\right) \mathbf{B}"),
    (mmul(B, md(Inverse(A), x)), r"\mathbf{B} \frac{\partial}{\partial x} \left(\mathbf{A}^{-1}\right)"),
    (mul(d(pw(x, 2), x), y), r"\left(\frac{\partial}{\partial x} \left(x^{2}\right)\right) y"),
    (mul(d(f(x), x), g(x)), r"\frac{\partial f}{\partial x} g\left(x\right)"),
    (pw(d(f(x), x), 2), r"\left(\frac{\partial f}{\partial x}\right)^{2}"),
]

CALCULUS = [
    (Integral(mul(x, exp(x, evaluate=False)), x), r"\int x e^{x}\, dx"),
    (Integral(x, (x, 0, 1)), r"\int\limits_{0}^{1} x\, dx"),
    (Sum(k, (k, 1, n)), r"\sum_{k=1}^{n} k"),
    (Sum(add(k, 1), (k, 1, n)), r"\sum_{k=1}^{n} \left(k + 1\right)"),
    (mul(x, Sum(k, (k, 1, n))), r"x \sum_{k=1}^{n} k"),
    (mul(Sum(k, (k, 1, n)), x), r"\left(\sum_{k=1}^{n} k\right) x"),
]

CASES = SCALARS + FUNCTIONS + MATRICES + ENTRIES + DERIVATIVES + CALCULUS

SEEDS = {
    "01": ([MatrixElement(md(x, a), i, 0), d(x, MatrixElement(a, i, 0))],
           r"\left(\frac{\partial x}{\partial \mathbf{a}}\right)_{i} = \frac{\partial x}{\partial a_{i}}"),
    "02": ([MatrixElement(md(a, b), i, j), d(MatrixElement(a, i, 0), MatrixElement(b, j, 0))],
           r"\left(\frac{\partial \mathbf{a}}{\partial \mathbf{b}}\right)_{ij} = \frac{\partial a_{i}}{\partial b_{j}}"),
    "03": ([md(mmul(Transpose(a), xv), xv), md(mmul(Transpose(xv), a), xv), a],
           r"\frac{\partial}{\partial \mathbf{x}} \left(\mathbf{a}^{T} \mathbf{x}\right)"
           r" = \frac{\partial}{\partial \mathbf{x}} \left(\mathbf{x}^{T} \mathbf{a}\right) = \mathbf{a}"),
    "04": ([md(mmul(A, B), x), madd(mmul(md(A, x), B), mmul(A, md(B, x)))],
           r"\frac{\partial}{\partial x} \left(\mathbf{A} \mathbf{B}\right)"
           r" = \frac{\partial \mathbf{A}}{\partial x} \mathbf{B} + \mathbf{A} \frac{\partial \mathbf{B}}{\partial x}"),
    "05": ([md(Inverse(A), x), mmul(-1, Inverse(A), md(A, x), Inverse(A))],
           r"\frac{\partial}{\partial x} \left(\mathbf{A}^{-1}\right)"
           r" = - \mathbf{A}^{-1} \frac{\partial \mathbf{A}}{\partial x} \mathbf{A}^{-1}"),
    "06": ([d(log(Determinant(A), evaluate=False), x), Trace(mmul(Inverse(A), md(A, x)))],
           r"\frac{\partial}{\partial x} \ln\left|\mathbf{A}\right|"
           r" = \operatorname{Tr}\left(\mathbf{A}^{-1} \frac{\partial \mathbf{A}}{\partial x}\right)"),
    "07": ([d(Trace(mmul(A, B)), MatrixElement(A, i, j)), MatrixElement(B, j, i)],
           r"\frac{\partial}{\partial A_{ij}} \operatorname{Tr}\left(\mathbf{A} \mathbf{B}\right) = B_{ji}"),
    "08": ([md(Trace(mmul(A, B)), A), Transpose(B)],
           r"\frac{\partial}{\partial \mathbf{A}} \operatorname{Tr}\left(\mathbf{A} \mathbf{B}\right) = \mathbf{B}^{T}"),
    "09": ([md(Trace(mmul(Transpose(A), B)), A), B],
           r"\frac{\partial}{\partial \mathbf{A}} \operatorname{Tr}\left(\mathbf{A}^{T} \mathbf{B}\right) = \mathbf{B}"),
    "10": ([md(Trace(A), A), Identity(n)],
           r"\frac{\partial}{\partial \mathbf{A}} \operatorname{Tr}\left(\mathbf{A}\right) = \mathbf{I}"),
    "11": ([md(Trace(mmul(A, B, Transpose(A))), A), mmul(A, madd(B, Transpose(B)))],
           r"\frac{\partial}{\partial \mathbf{A}} \operatorname{Tr}\left(\mathbf{A} \mathbf{B} \mathbf{A}^{T}\right)"
           r" = \mathbf{A} \left(\mathbf{B} + \mathbf{B}^{T}\right)"),
    "12": ([md(Trace(mmul(A, B, Transpose(A), C)), A),
            madd(mmul(Transpose(C), A, Transpose(B)), mmul(C, A, B))],
           r"\frac{\partial}{\partial \mathbf{A}} \operatorname{Tr}\left(\mathbf{A} \mathbf{B} \mathbf{A}^{T} \mathbf{C}\right)"
           r" = \mathbf{C}^{T} \mathbf{A} \mathbf{B}^{T} + \mathbf{C} \mathbf{A} \mathbf{B}"),
    "13": ([md(log(Determinant(A), evaluate=False), A), Transpose(Inverse(A))],
           r"\frac{\partial}{\partial \mathbf{A}} \ln\left|\mathbf{A}\right| = \left(\mathbf{A}^{-1}\right)^{T}"),
    "pythagoras": ([add(pw(sin(x, evaluate=False), 2), pw(cos(x, evaluate=False), 2)), Integer(1)],
                   r"\sin^{2}\left(x\right) + \cos^{2}\left(x\right) = 1"),
    "log-product": ([log(mul(x, y), evaluate=False), add(log(x, evaluate=False), log(y, evaluate=False))],
                    r"\ln\left(x y\right) = \ln\left(x\right) + \ln\left(y\right)"),
    "integral": ([Integral(mul(x, exp(x, evaluate=False)), x), mul(add(x, -1), exp(x, evaluate=False))],
                 r"\int x e^{x}\, dx = \left(x - 1\right) e^{x}"),
    "gauss-sum": ([Sum(k, (k, 1, n)), mul(n, add(n, 1), pw(2, -1))],
                  r"\sum_{k=1}^{n} k = \frac{n \left(n + 1\right)}{2}"),
    "product-rule": ([d(mul(f(x), g(x)), x), add(mul(d(f(x), x), g(x)), mul(f(x), d(g(x), x)))],
                     r"\frac{\partial}{\partial x} \left(f\left(x\right) g\left(x\right)\right)"
                     r" = \frac{\partial f}{\partial x} g\left(x\right) + f\left(x\right) \frac{\partial g}{\partial x}"),
}

PLAIN = [
    (A, r"A"),
    (Sigma, r"\Sigma"),
    (Identity(n), r"I"),
    (ZeroMatrix(n, 1), r"0"),
    (Transpose(Inverse(A)), r"\left(A^{-1}\right)^{T}"),
    (MatrixElement(A, i, j), r"A_{ij}"),
    (md(Trace(mmul(A, B)), A), r"\frac{\partial}{\partial A} \operatorname{Tr}\left(A B\right)"),
]


@pytest.mark.parametrize(("expr", "expected"), CASES, ids=[tex for _, tex in CASES])
def test_construct(expr: Basic, expected: str) -> None:
    assert to_latex(expr) == expected


@pytest.mark.parametrize(("exprs", "expected"), SEEDS.values(), ids=SEEDS.keys())
def test_seed_statement(exprs: list[Basic], expected: str) -> None:
    assert statement_latex(exprs) == expected


@pytest.mark.parametrize(("expr", "expected"), PLAIN, ids=[tex for _, tex in PLAIN])
def test_plain_matrices_when_bold_is_off(expr: Basic, expected: str) -> None:
    assert to_latex(expr, bold=False) == expected


def test_the_printer_takes_settings_as_sympys_does() -> None:
    assert issubclass(HandbookLatexPrinter, LatexPrinter)
    assert HandbookLatexPrinter({"bold": False}).doprint(Inverse(A)) == r"A^{-1}"
    assert to_latex(mmul(2, A), mul_symbol="dot") == r"2 \cdot \mathbf{A}"
    with pytest.raises(TypeError, match="Unknown setting"):
        HandbookLatexPrinter({"boldface": True})


def test_statement_is_plain_whatever_the_mode() -> None:
    assert to_latex(x, mode="inline") == r"$x$"
    assert statement_latex([x, y], mode="inline") == r"x = y"


def test_a_single_expression_statement_has_no_equals_sign() -> None:
    assert statement_latex([Trace(A)]) == r"\operatorname{Tr}\left(\mathbf{A}\right)"


def test_printing_is_deterministic() -> None:
    exprs, expected = SEEDS["12"]
    assert [statement_latex(exprs) for _ in range(3)] == [expected] * 3


def test_output_does_not_depend_on_the_hash_seed() -> None:
    """Nothing is printed in set or dict order: another interpreter prints the same strings."""
    script = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import test_latex as t; "
        "print(chr(10).join(t.to_latex(e) for e, _ in t.CASES))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == [expected for _, expected in CASES]


def _balanced(tex: str) -> bool:
    """Braces and \\left ... \\right pairs nest properly (KaTeX and MathJax refuse anything else)."""
    opening = {"}": "{", r"\right": r"\left"}
    stack: list[str] = []
    for token in re.findall(r"\\[{}]|\\left|\\right|[{}]", tex):
        if token in opening.values():
            stack.append(token)
        elif token in opening and (not stack or stack.pop() != opening[token]):
            return False
    return not stack


ALL_OUTPUTS = [expected for _, expected in CASES + PLAIN] + [expected for _, expected in SEEDS.values()]


@pytest.mark.parametrize("tex", ALL_OUTPUTS)
def test_output_is_well_formed_latex(tex: str) -> None:
    assert _balanced(tex)
    # SymPy prints a class it has no method for as \operatorname{ClassName}\left(...\right)
    assert set(re.findall(r"\\operatorname\{(\w+)\}", tex)) <= {"Tr"}


# --- Kronecker product, vec, Hadamard product, adjugate (the Cookbook's notation) ------------

from proofbook.language.nodes import Adjugate, Hadamard, Kron, Vec  # noqa: E402

D_, X_ = MatrixSymbol("D", n, n), MatrixSymbol("X", n, n)

MATRIX_PRODUCTS = [
    (Kron(A, B), r"\mathbf{A} \otimes \mathbf{B}"),
    # the mixed-product rule as the Cookbook prints it: brackets in a product, none around AC
    (mmul(Kron(A, B), Kron(C, D_)), r"\left(\mathbf{A} \otimes \mathbf{B}\right) \left(\mathbf{C} \otimes \mathbf{D}\right)"),
    (Kron(mmul(A, C), mmul(B, D_)), r"\mathbf{A} \mathbf{C} \otimes \mathbf{B} \mathbf{D}"),
    (Transpose(Kron(A, B)), r"\left(\mathbf{A} \otimes \mathbf{B}\right)^{T}"),
    (Kron(Transpose(A), Inverse(B)), r"\mathbf{A}^{T} \otimes \mathbf{B}^{-1}"),
    # the grouping of a nested product is kept, so associativity can be stated
    (Kron(Kron(A, B), C), r"\left(\mathbf{A} \otimes \mathbf{B}\right) \otimes \mathbf{C}"),
    (Kron(A, madd(B, C)), r"\mathbf{A} \otimes \left(\mathbf{B} + \mathbf{C}\right)"),
    (Kron(neg(A), B), r"\left(- \mathbf{A}\right) \otimes \mathbf{B}"),
    (mmul(2, Kron(A, B)), r"2 \left(\mathbf{A} \otimes \mathbf{B}\right)"),
    (Trace(Kron(A, B)), r"\operatorname{Tr}\left(\mathbf{A} \otimes \mathbf{B}\right)"),
    (Vec(mmul(A, X_, B)), r"\operatorname{vec}\left(\mathbf{A} \mathbf{X} \mathbf{B}\right)"),
    (mmul(Kron(Transpose(B), A), Vec(X_)),
     r"\left(\mathbf{B}^{T} \otimes \mathbf{A}\right) \operatorname{vec}\left(\mathbf{X}\right)"),
    (mmul(Transpose(Vec(A)), Vec(B)),
     r"\operatorname{vec}\left(\mathbf{A}\right)^{T} \operatorname{vec}\left(\mathbf{B}\right)"),
    (Hadamard(A, B), r"\mathbf{A} \circ \mathbf{B}"),
    (madd(A, Transpose(A), neg(Hadamard(Identity(n), A))),
     r"\mathbf{A} + \mathbf{A}^{T} - \mathbf{I} \circ \mathbf{A}"),
    (Hadamard(Kron(A, B), C), r"\left(\mathbf{A} \otimes \mathbf{B}\right) \circ \mathbf{C}"),
    (Adjugate(X_), r"\operatorname{adj}\left(\mathbf{X}\right)"),
    (Transpose(Adjugate(X_)), r"\operatorname{adj}\left(\mathbf{X}\right)^{T}"),
    (Adjugate(Transpose(X_)), r"\operatorname{adj}\left(\mathbf{X}^{T}\right)"),
    (md(Determinant(X_), X_), r"\frac{\partial}{\partial \mathbf{X}} \left|\mathbf{X}\right|"),
    (md(Kron(A, B), x), r"\frac{\partial}{\partial x} \left(\mathbf{A} \otimes \mathbf{B}\right)"),
    (md(Adjugate(A), x), r"\frac{\partial}{\partial x} \operatorname{adj}\left(\mathbf{A}\right)"),
]


@pytest.mark.parametrize(("expr", "expected"), MATRIX_PRODUCTS, ids=[tex for _, tex in MATRIX_PRODUCTS])
def test_kronecker_vec_hadamard_adjugate(expr: Basic, expected: str) -> None:
    assert to_latex(expr) == expected
    assert _balanced(expected)


def test_adjugate_is_not_sympys_adjoint() -> None:
    """SymPy's Adjoint is the conjugate transpose; adj() must never print as A^H or A^*."""
    assert "adj" in to_latex(Adjugate(A)) and "dagger" not in to_latex(Adjugate(A))
