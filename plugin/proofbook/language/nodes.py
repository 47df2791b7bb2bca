"""SymPy classes the expression language needs beyond SymPy's own.

SymPy's ``Derivative`` is not a matrix expression, so a derivative whose value is a matrix
(d A/d x, d f/d A, d a/d b) is a ``MatDerivative`` carrying its shape.  These nodes only hold
structure; ``proofbook.verify`` gives them meaning and ``proofbook.render.latex`` prints them.
"""

from __future__ import annotations

from sympy import Basic, Integer, S, Trace
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
