"""SymPy classes the expression language needs beyond SymPy's own.

SymPy's ``Derivative`` is not a matrix expression, so a derivative whose value is a matrix
(d A/d x, d f/d A, d a/d b) is a ``MatDerivative`` carrying its shape.  These nodes only hold
structure; ``proofbook.verify`` gives them meaning and ``proofbook.render.latex`` prints them.
"""

from __future__ import annotations

from sympy import Basic, S, Trace
from sympy.core.symbol import Str
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


class UnitVector(MatrixExpr):
    """The standard basis vector e_k of length ``size``: a constant, never sampled.

    ``index`` is 0-based as SymPy's entries are (``Integer(0)`` for e_1, ``n - 1`` for e_n);
    ``name`` is the declared symbol, kept for messages and display names.  Declared as
    ``e: {kind: vector, size: n, basis: 1}``.
    """

    def __new__(cls, name: str | Str, size: Basic, index: Basic) -> UnitVector:
        return Basic.__new__(cls, Str(name) if isinstance(name, str) else name, size, index)

    @property
    def name(self) -> str:
        return self.args[0].name

    @property
    def index(self) -> Basic:
        return self.args[2]

    @property
    def shape(self) -> tuple[Basic, Basic]:
        return (self.args[1], S.One)


class AsScalar(Trace):
    """A 1 x 1 matrix used as the scalar it holds (``1 + v.T*inv(A)*u``).

    The trace of a 1 x 1 matrix is its one entry, so every method that knows ``Trace`` knows
    this node; only the printer tells them apart: a textbook writes vᵀA⁻¹u, not Tr(vᵀA⁻¹u).
    ``trace(...)`` written by the author stays a plain ``Trace``.
    """
