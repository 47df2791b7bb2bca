"""SymPy classes the expression language needs beyond SymPy's own.

SymPy's ``Derivative`` is not a matrix expression, so a derivative whose value is a matrix
(d A/d x, d f/d A, d a/d b) is a ``MatDerivative`` carrying its shape.  These nodes only hold
structure; ``proofbook.verify`` gives them meaning and ``proofbook.render.latex`` prints them.
"""

from __future__ import annotations

from sympy import Basic, Integer
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


class _MatrixOperation(MatrixExpr):
    """A matrix operation SymPy lacks or evaluates on construction, kept as written.

    SymPy's ``KroneckerProduct`` turns ``I_m ⊗ I_n`` into ``I_{mn}`` when it is built, and its
    ``Adjoint`` is the conjugate transpose, not the adjugate: these nodes only hold the operands,
    in the order the author wrote them."""

    def __new__(cls, *args: Basic) -> _MatrixOperation:
        return Basic.__new__(cls, *args)


class Kron(_MatrixOperation):
    """``kron(A, B)``, the Kronecker product A ⊗ B: (pr) x (qs) for A p x q and B r x s, the
    block matrix whose block (i, j) is a_ij B."""

    @property
    def shape(self) -> tuple[Basic, Basic]:
        left, right = self.args
        return (left.rows * right.rows, left.cols * right.cols)


class Vec(_MatrixOperation):
    """``vec(A)``: the columns of an m x n matrix A stacked into one column of length mn."""

    @property
    def arg(self) -> Basic:
        return self.args[0]

    @property
    def shape(self) -> tuple[Basic, Basic]:
        return (self.arg.rows * self.arg.cols, Integer(1))


class Hadamard(_MatrixOperation):
    """``hadamard(A, B)``, the entrywise product A ∘ B of two matrices of one shape."""

    @property
    def shape(self) -> tuple[Basic, Basic]:
        return self.args[0].shape


class Adjugate(_MatrixOperation):
    """``adj(X)``, the adjugate (classical adjoint) of a square X: the transpose of its cofactor
    matrix, a polynomial in the entries with X adj(X) = det(X) I, defined for singular X too."""

    @property
    def arg(self) -> Basic:
        return self.args[0]

    @property
    def shape(self) -> tuple[Basic, Basic]:
        return self.arg.shape
