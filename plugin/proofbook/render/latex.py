r"""The handbook's LaTeX printer: SymPy's ``LatexPrinter`` in the notation of the notation page.

The expression parser builds everything unevaluated and in written order, so this printer never
re-evaluates or re-sorts: sums and products print exactly as written (``X + (-1) Y`` as
``X - Y``).  Matrices and vectors are bold, scalars and entries plain (``A_{ij}``, ``a_{i}``),
``\ln`` is the logarithm, and every derivative uses ∂, also for a scalar by a scalar.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from sympy import Abs, Add, Basic, Derivative, Function, Integral, Limit, Mul, Pow, Sum, binomial, factorial, log
from sympy.core.function import AppliedUndef
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
from sympy.printing.precedence import PRECEDENCE
from sympy.simplify.radsimp import fraction

from proofbook.language.indices import index_text
from proofbook.language.nodes import (
    Adjugate, AsScalar, Hadamard, Kron, MatDerivative, SymMatDerivative, UnitVector, Vec,
)

# Matrices that print as a single bold letter: A^{T} needs no parentheses around them.
_MATRIX_ATOMS = (MatrixSymbol, Identity, ZeroMatrix, UnitVector)
# Operands that carry their own delimiters, so ∂/∂x takes them without parentheses.
_SELF_DELIMITED = (Function, Trace, Determinant, MatrixElement, Vec, Adjugate)
# Infix matrix products (⊗, ∘): bracketed inside an ordinary product, (A ⊗ B)(C ⊗ D), and
# when nested in one another, so the grouping the author wrote shows.
_INFIX_PRODUCTS = (Kron, Hadamard)
# SymPy's short inverse-trig names, spelled as printed books spell them (\arctan).
_ARC_NAMES = {"asin": "arcsin", "acos": "arccos", "atan": "arctan"}


def _strip_minus(expr: Basic) -> Basic | None:
    """``expr`` without its leading minus sign, or None if it has none.

    Rebuilt unevaluated, because ``-expr`` would re-sort the factors of a product."""
    if expr.is_Number:
        return -expr if expr.is_negative else None
    if isinstance(expr, AsScalar):
        inner = _strip_minus(expr.arg)
        return None if inner is None else AsScalar(inner)
    if not isinstance(expr, Mul):  # MatMul is a Mul too
        return None
    head = _strip_minus(expr.args[0])
    if head is None:
        return None
    factors = expr.args[1:] if head == 1 else (head, *expr.args[1:])
    return factors[0] if len(factors) == 1 else expr.func(*factors, evaluate=False)


def _is_bare(expr: Basic) -> bool:
    """Whether ``expr`` reads as a name, so a derivative of it puts it in the numerator
    (∂A/∂x, ∂f/∂x, ∂a_i/∂b_j) instead of after the operator (∂/∂x (...))."""
    if isinstance(expr, AppliedUndef):
        return all(arg.is_Symbol for arg in expr.args)
    if isinstance(expr, MatrixElement):
        return isinstance(expr.parent, MatrixSymbol)
    return expr.is_Symbol or isinstance(expr, _MATRIX_ATOMS)


def _opens_right(expr: Basic) -> bool:
    """Whether ``expr`` is an operator acting on everything to its right (∂/∂x (...), ∫, Σ),
    so that inside a product anything after it would read as part of its operand."""
    if isinstance(expr, (Derivative, MatDerivative)):
        return not _is_bare(expr.expr)
    return isinstance(expr, (Integral, Sum, Limit))


class HandbookLatexPrinter(LatexPrinter):
    r"""``LatexPrinter`` with the handbook's notation.

    Setting ``bold`` (default True): matrices and vectors bold (``\mathbf{A}``, Greek names
    ``\boldsymbol{\Sigma}``); plain when False.  Setting ``names``: display names by symbol name
    (checked TeX from the declarations' ``latex:``), printed in braces in place of the name, in
    ``\boldsymbol`` for a matrix or vector.  ``order`` defaults to ``"none"``: terms print in
    written order (factors always do).

    A derivative whose operand is a name prints as a fraction (``\frac{\partial \mathbf{A}}{\partial x}``);
    any other operand follows the operator, in parentheses unless it is a function application
    or an entry (``\frac{\partial}{\partial \mathbf{A}} \operatorname{Tr}\left(\ldots\right)``).
    ``SymMatDerivative``, the derivative over the independent entries of a symmetric matrix,
    marks its ∂ with a roman s: ``\frac{\partial^{\mathrm{s}}}{\partial \mathbf{S}}``.
    """

    _default_settings: ClassVar[dict[str, Any]] = {
        **LatexPrinter._default_settings,
        "order": "none",
        "bold": True,
        "names": {},
    }

    # --- names -----------------------------------------------------------------------------

    def _display(self, name: str) -> str | None:
        """The declared display name of ``name``, as one TeX group, or None."""
        tex = self._settings["names"].get(name)
        return None if tex is None else f"{{{tex}}}"

    def _print_Symbol(self, expr: Basic, style: str = "plain") -> str:
        return self._display(expr.name) or super()._print_Symbol(expr, style=style)

    def _hprint_Function(self, func: str) -> str:
        """A declared function's display name, else SymPy's spelling (``\\operatorname`` for long names)."""
        return self._display(func) or super()._hprint_Function(func)

    def _matrix_name(self, name: str) -> str:
        r"""A matrix name in the handbook style; ``\boldsymbol`` for Greek, which ``\mathbf`` leaves thin."""
        display = self._display(name)
        if display is not None:
            return rf"\boldsymbol{display}" if self._settings["bold"] else display
        if not self._settings["bold"]:
            return self._deal_with_super_sub(name)
        return self._deal_with_super_sub(name, style="bold").replace("\\mathbf{\\", "\\boldsymbol{\\", 1)

    def _print_MatrixSymbol(self, expr: MatrixSymbol) -> str:
        return self._matrix_name(expr.name)

    def _print_Identity(self, expr: Identity) -> str:
        return self._matrix_name("I")

    def _print_ZeroMatrix(self, expr: ZeroMatrix) -> str:
        return self._matrix_name("0")

    def _print_MatrixElement(self, expr: MatrixElement) -> str:
        r"""``A_{ij}`` for an entry of a named matrix, ``a_{i}`` of a column vector, and
        ``\left(\ldots\right)_{ij}`` for an entry of anything else."""
        parent = expr.parent
        named = isinstance(parent, MatrixSymbol)
        tex = (self._display(parent.name) or self._deal_with_super_sub(parent.name)) if named \
            else self._print(parent)
        if not named or "_" in tex or "^" in tex:  # A_{1}_{ij} would be a double subscript
            tex = self._add_parens(tex)
        indices = [self._index(k) for k in ((expr.i,) if parent.shape[1] == 1 else (expr.i, expr.j))]
        separator = "" if all(len(k) == 1 for k in indices) else ", "
        return f"{tex}_{{{separator.join(indices)}}}"

    def _index(self, position: Basic) -> str:
        """An index as a textbook writes it, from 1: ``i``, ``1``, ``n``, ``n - 1``."""
        fixed = all(d.is_positive for d in position.free_symbols)  # a number, n, n - 1
        return index_text(position) if fixed else self._print(position)

    def _print_UnitVector(self, expr: UnitVector) -> str:
        r"""The standard basis vector: ``\mathbf{e}_{1}``, ``\mathbf{e}_{n}``, or its declared
        display name, as the author wants it printed."""
        if expr.name in self._settings["names"]:
            return self._matrix_name(expr.name)
        letter = r"\mathbf{e}" if self._settings["bold"] else "e"  # not a symbol 'e' of the entry
        return f"{letter}_{{{self._index(expr.index)}}}"

    def _print_AsScalar(self, expr: AsScalar) -> str:
        r"""A 1 x 1 matrix used as a scalar prints as the product it is, without Tr:
        ``1 + \mathbf{v}^{T} \mathbf{A}^{-1} \mathbf{u}``."""
        return self._print(expr.arg)

    def parenthesize(self, item: Any, level: int, is_neg: bool = False, strict: bool = False) -> str:
        """A 1 x 1 matrix used as a scalar binds as the product (or sum) inside it."""
        if isinstance(item, AsScalar):
            return self.parenthesize(item.arg, level, is_neg, strict)
        return super().parenthesize(item, level, is_neg, strict)

    # --- sums and products -----------------------------------------------------------------

    def _bracket(self, expr: Basic, level: int, strict: bool = False) -> str:
        r"""``parenthesize``, also wrapping a term with a leading minus sign: SymPy's traditional
        precedence ranks every ``Mul`` as a product, ``-y`` included (``x \left(- y\right)``)."""
        if _strip_minus(expr) is not None:
            return self._add_parens(self._print(expr))
        return self.parenthesize(expr, level, strict=strict)

    def _print_Add(self, expr: Basic, order: str | None = None) -> str:
        """Terms in written order; a term with a leading minus is subtracted (MatAdd too).

        A sum inside a sum is one the author put in parentheses (the parser merges the others),
        so it prints in parentheses, also as the first term: ``(a + b) + c``."""
        first, *rest = self._as_ordered_terms(expr, order=order)
        tex = self.parenthesize(first, PRECEDENCE["Add"], strict=not isinstance(first, (Add, MatAdd)))
        for term in rest:
            positive = _strip_minus(term)
            sign = " + " if positive is None else " - "
            tex += sign + self._bracket(term if positive is None else positive, PRECEDENCE["Add"])
        return tex

    def _print_Mul(self, expr: Basic) -> str:
        r"""A leading minus as ``-``, a scalar quotient as ``\frac``, otherwise juxtaposition."""
        positive = _strip_minus(expr)
        if positive is not None:
            return "- " + self._bracket(positive, PRECEDENCE["Mul"], strict=True)
        if not isinstance(expr, MatMul):  # a matrix product is never a quotient
            numer, denom = fraction(expr, exact=True)
            if denom != 1:
                return rf"\frac{{{self._print(numer)}}}{{{self._print(denom)}}}"
        else:
            over = [f.base for f in expr.args if isinstance(f, Pow) and f.exp == -1 and not f.base.is_Number]
            if over:  # A u vᵀ A / (1 + vᵀ A u), as the Cookbook prints Sherman–Morrison
                rest = [f for f in expr.args if not (isinstance(f, Pow) and f.base in over and f.exp == -1)]
                denom = over[0] if len(over) == 1 else Mul(*over, evaluate=False)
                numer = self._print(rest[0]) if len(rest) == 1 else self._juxtapose(rest)
                return rf"\frac{{{numer}}}{{{self._print(denom)}}}"
        return self._juxtapose(expr.args)

    _print_MatMul = _print_Mul

    def _juxtapose(self, factors: Sequence[Basic]) -> str:
        r"""Factors side by side (``\cdot`` before a number); sums, negative factors and an
        operator that is not last are parenthesized, ``\mathbf{A} \left(\mathbf{B} + \mathbf{C}\right)``."""
        tex = ""
        for k, factor in enumerate(factors):
            factor_tex = self._bracket(factor, PRECEDENCE["Mul"], strict=True)
            scalar_factor = isinstance(factor, AsScalar) and len(factors) > 1  # (vᵀu) A
            if scalar_factor or k < len(factors) - 1 and _opens_right(factor) \
                    or isinstance(factor, _INFIX_PRODUCTS):
                factor_tex = self._add_parens(factor_tex)
            if k > 0:
                numeric = factor.is_Number or factor_tex[:1].isdigit()
                tex += self._settings["mul_symbol_latex_numbers" if numeric else "mul_symbol_latex"]
            tex += factor_tex
        return tex

    # --- matrix operations -----------------------------------------------------------------

    def _superscript(self, base: Basic, sup: str) -> str:
        r"""``base^{sup}``, parenthesizing any base but a bare symbol or an application that
        carries its own brackets (``\operatorname{vec}\left(\mathbf{A}\right)^{T}``, as the
        Cookbook prints it): ``\left(\mathbf{A}^{-1}\right)^{T}``."""
        tex = self._print(base)
        if not isinstance(base, (*_MATRIX_ATOMS, Vec, Adjugate)) or "^" in tex:
            tex = self._add_parens(tex)
        return f"{tex}^{{{sup}}}"

    def _print_Transpose(self, expr: Transpose) -> str:
        return self._superscript(expr.arg, "T")

    def _print_Inverse(self, expr: Inverse) -> str:
        return self._superscript(expr.arg, "-1")

    def _print_MatPow(self, expr: MatPow) -> str:
        return self._superscript(expr.base, self._print(expr.exp))

    def _print_Trace(self, expr: Trace) -> str:
        return self._apply(r"\operatorname{Tr}", (expr.arg,))

    def _infix(self, expr: Basic, operator: str) -> str:
        r"""``A \otimes B``: operands that are sums, negated or themselves infix products are
        bracketed; an ordinary product is not (the Cookbook's AC ⊗ BD)."""
        parts = []
        for arg in expr.args:
            tex = self._bracket(arg, PRECEDENCE["Mul"], strict=True)
            if isinstance(arg, _INFIX_PRODUCTS) or _opens_right(arg):
                tex = self._add_parens(tex)
            parts.append(tex)
        return f" {operator} ".join(parts)

    def _print_Kron(self, expr: Kron) -> str:
        return self._infix(expr, r"\otimes")

    def _print_Hadamard(self, expr: Hadamard) -> str:
        return self._infix(expr, r"\circ")

    def _print_Vec(self, expr: Vec) -> str:
        return self._apply(r"\operatorname{vec}", (expr.arg,))

    def _print_Adjugate(self, expr: Adjugate) -> str:
        return self._apply(r"\operatorname{adj}", (expr.arg,))

    def _bars(self, expr: Basic, exp: str | None = None) -> str:
        """``|expr|`` for both the determinant and the absolute value, as the handbook writes them."""
        tex = rf"\left|{self._print(expr)}\right|"
        return tex if exp is None else f"{tex}^{{{exp}}}"

    def _print_Determinant(self, expr: Determinant) -> str:
        return self._bars(expr.arg)

    def _print_Abs(self, expr: Abs, exp: str | None = None) -> str:
        arg = expr.args[0]
        if isinstance(arg, Determinant):  # ||A|| would read as a norm
            tex = rf"\left|\det {self._print(arg.arg)}\right|"
            return tex if exp is None else f"{tex}^{{{exp}}}"
        return self._bars(arg, exp)

    # --- function applications ------------------------------------------------------------

    def _raised(self, name: str, exp: str | None) -> str:
        r"""A function name with an optional power, ``\sin^{2}``."""
        return name if exp is None else f"{self.parenthesize_super(name)}^{{{exp}}}"

    def _apply(self, name: str, args: Sequence[Basic], exp: str | None = None) -> str:
        r"""One bracket style for every application: ``name^{exp}\left(args\right)``."""
        return self._raised(name, exp) + self._add_parens(", ".join(self._print(arg) for arg in args))

    def _print_Function(self, expr: Function, exp: str | None = None) -> str:
        name = expr.func.__name__
        return self._apply(self._hprint_Function(_ARC_NAMES.get(name, name)), expr.args, exp)

    def _print_log(self, expr: log, exp: str | None = None) -> str:
        r"""``\ln\left(x\right)``; ``\ln\left|\mathbf{A}\right|`` when the bars already delimit."""
        arg = expr.args[0]
        if isinstance(arg, (Determinant, Abs)):
            return self._raised(r"\ln", exp) + self._print(arg)
        return self._apply(r"\ln", (arg,), exp)

    # --- limits and combinatorics ----------------------------------------------------------

    def _print_Limit(self, expr: Limit) -> str:
        r"""``\lim_{x \to 0} f``, ``\lim_{x \to 0^{+}} f``, ``\lim_{x \to \infty} f``; a sum
        as the operand is parenthesized."""
        operand, var, point, direction = expr.args
        side = "" if point.is_infinite or str(direction) == "+-" else f"^{{{direction}}}"
        tex = self._print(operand)
        if isinstance(operand, Add) or _strip_minus(operand) is not None:
            tex = self._add_parens(tex)
        return rf"\lim_{{{self._print(var)} \to {self._print(point)}{side}}} {tex}"

    def _print_factorial(self, expr: factorial, exp: str | None = None) -> str:
        """``n!``, with parentheses around anything but a symbol or a number: ``(n + 1)!``."""
        arg = expr.args[0]
        tex = self._print(arg)
        if not (arg.is_Symbol or arg.is_Integer and arg >= 0):
            tex = self._add_parens(tex)
        return f"{tex}!" if exp is None else f"{self._add_parens(tex + '!')}^{{{exp}}}"

    def _print_binomial(self, expr: binomial, exp: str | None = None) -> str:
        tex = rf"\binom{{{self._print(expr.args[0])}}}{{{self._print(expr.args[1])}}}"
        return tex if exp is None else f"{tex}^{{{exp}}}"

    # --- derivatives -----------------------------------------------------------------------

    def _differential(self, var: Basic, count: Basic) -> str:
        r"""One factor of the denominator: ``\partial x``, ``\partial x^{2}``."""
        tex = self._print(var)
        if count == 1:
            return rf"\partial {tex}"
        return rf"\partial {self.parenthesize_super(tex)}^{{{self._print(count)}}}"

    def _partial(
        self, operand: Basic, variable_count: Sequence[tuple[Basic, Basic]], symbol: str = r"\partial"
    ) -> str:
        r"""``\frac{\partial^{n} f}{\partial x \ldots}`` for a bare operand, otherwise the operator
        ``\frac{\partial^{n}}{\partial x \ldots}`` followed by the operand."""
        order = sum(count for _, count in variable_count)
        top = symbol if order == 1 else f"{symbol}^{{{self._print(order)}}}"
        bottom = " ".join(self._differential(var, count) for var, count in reversed(variable_count))
        if _is_bare(operand):
            name = self._print(operand.func if isinstance(operand, AppliedUndef) else operand)
            return rf"\frac{{{top} {name}}}{{{bottom}}}"
        tex = self._print(operand)
        if not isinstance(operand, _SELF_DELIMITED) or isinstance(operand, AsScalar):
            tex = self._add_parens(tex)
        return rf"\frac{{{top}}}{{{bottom}}} {tex}"

    def _print_Derivative(self, expr: Derivative) -> str:
        return self._partial(expr.expr, expr.variable_count)

    def _print_MatDerivative(self, expr: MatDerivative) -> str:
        return self._partial(expr.expr, ((expr.var, 1),))

    def _print_SymMatDerivative(self, expr: SymMatDerivative) -> str:
        return self._partial(expr.expr, ((expr.var, 1),), symbol=r"\partial^{\mathrm{s}}")


def to_latex(expr: Basic, **settings: Any) -> str:
    """The handbook LaTeX of one expression."""
    return HandbookLatexPrinter(settings).doprint(expr)


def statement_latex(exprs: Sequence[Basic], **settings: Any) -> str:
    """The handbook LaTeX of a chain of equal expressions, joined with ``=``.

    Always plain mode: a math ``mode`` would wrap each side on its own; the page wraps the chain."""
    printer = HandbookLatexPrinter({**settings, "mode": "plain"})
    return " = ".join(printer.doprint(expr) for expr in exprs)
