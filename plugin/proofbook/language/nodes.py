"""SymPy classes the expression language needs beyond SymPy's own.

SymPy's ``Derivative`` is not a matrix expression, so a derivative whose value is a matrix
(d A/d x, d f/d A, d a/d b) is a ``MatDerivative`` carrying its shape.  These nodes only hold
structure; ``proofbook.verify`` gives them meaning and ``proofbook.render.latex`` prints them.
"""

from __future__ import annotations

from sympy import Basic
from sympy.matrices.expressions.matexpr import MatrixExpr


class MatDerivative(MatrixExpr):
    """A matrix-valued derivative ``diff(expr, var)`` of shape ``(rows, cols)``.

    Layout (the notation page): by a scalar, entrywise; a scalar by a vector or matrix, the
    shape of that vector or matrix; a column vector a by a column vector b, entry (i, j) is
    d a_i / d b_j.  Entries of the variable are treated as independent, also for a symmetric
    variable (see ``SymMatDerivative`` for the other convention).
    """

    def __new__(cls, expr: Basic, var: Basic, rows: Basic, cols: Basic) -> MatDerivative:
        return Basic.__new__(cls, expr, var, rows, cols)

    @property
    def expr(self) -> Basic:
        return self.args[0]

    @property
    def var(self) -> Basic:
        return self.args[1]

    @property
    def shape(self) -> tuple[Basic, Basic]:
        return (self.args[2], self.args[3])


class SymMatDerivative(MatDerivative):
    """``diff_sym(f, S)``: the derivative of a scalar over the independent entries of a
    symmetric matrix S, where S_ij and S_ji are one variable (the Matrix Cookbook's
    "structured" reading): entry (i, j) is d/dt f(S + t(E_ij + E_ji)) for i != j."""
