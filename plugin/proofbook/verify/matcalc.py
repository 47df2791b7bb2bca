"""Evidence for every size n at once: SymPy's own matrix-expression calculus.

It is not trusted on its own (SymPy 1.14 answers d ln|A| / dA with 0), so the engine asks it
only after the exact methods have verified a claim, and records its agreement as an extra
evidence line.  Its disagreement proves nothing either way and is ignored.

Only gradients of scalars by constant matrices and vectors are translated: derivatives by a
scalar, by one entry, of matrices that depend on a scalar, and structured (``diff_sym``)
derivatives are outside what SymPy's matrix calculus models.
"""

from __future__ import annotations

from sympy import Basic, MatrixSymbol, S, ZeroMatrix
from sympy.core.function import AppliedUndef, Derivative
from sympy.matrices.expressions.matexpr import MatrixElement

from ..language.nodes import MatDerivative, SymMatDerivative
from ..language.symbols import SymbolTable


class _Unsupported(Exception):
    """The claim uses something SymPy's matrix calculus does not model."""


def agrees_for_all_n(lhs: Basic, rhs: Basic, table: SymbolTable) -> bool:
    """True when SymPy's matrix calculus turns ``lhs - rhs`` into zero for symbolic sizes."""
    if not any(type(node) is MatDerivative and isinstance(node.var, MatrixSymbol)
               for side in (lhs, rhs) for node in side.atoms(MatDerivative)):
        return False
    try:
        difference = _translate(lhs, table) - _translate(rhs, table)
        zero = difference.doit().expand()
    except _Unsupported:
        return False
    except Exception:  # SymPy's matrix calculus raises on what it cannot do; no evidence then
        return False
    return zero == S.Zero or isinstance(zero, ZeroMatrix)


def _translate(node: Basic, table: SymbolTable) -> Basic:
    """Our tree with each gradient replaced by SymPy's own derivative of its operand."""
    if isinstance(node, (SymMatDerivative, Derivative, MatrixElement, AppliedUndef)):
        raise _Unsupported(type(node).__name__)
    if isinstance(node, MatrixSymbol):
        decl = table.decls.get(node.name)
        if decl is not None and decl.of:
            raise _Unsupported(f"{node.name} depends on {', '.join(decl.of)}")
        return node
    if isinstance(node, MatDerivative):
        if not isinstance(node.var, MatrixSymbol):
            raise _Unsupported("a derivative by a scalar")
        return _translate(node.expr, table).diff(node.var)
    if not node.args:
        return node
    return node.func(*(_translate(arg, table) for arg in node.args))
