"""From the SymPy tree the expression language compiles to, to normal forms.

The tree is the one ``proofbook.language.parse.compile_source`` builds (unevaluated
``MatMul``, ``MatAdd``, ``Transpose``, ``Inverse``, ``MatPow``, ``Trace``, ``Determinant``,
``MatrixElement``, ``MatDerivative``, ``Derivative``, ...).  Derivatives are taken by the rules
of ``derive`` on the normal form of their operand, with the handbook's layout conventions
(``proofbook.verify.evaluate`` implements the same ones entry by entry):

- ``diff(f, X)`` for a scalar f has the shape of X, entry (i, j) = ∂f/∂X_ij, every entry moving
  on its own, also for a symmetric X (so its symmetry is set aside while differentiating);
- ``diff(a, b)`` for column vectors is the Jacobian, entry (i, j) = ∂a_i/∂b_j;
- ``diff_sym(f, S)`` moves S_ij and S_ji together: G + Gᵀ − I∘G with G the plain gradient;
- ``diff(f, A[i, j])`` moves one entry: the direction e_i e_jᵀ with unit vectors e_i, e_j;
- ``diff(M, x)`` is entrywise.

Nothing here calls ``MatrixExpr.diff`` or ``simplify``.
"""

from __future__ import annotations

from contextlib import ExitStack

from sympy import (
    Add, Basic, Derivative, Determinant, Identity, Inverse, MatAdd, MatMul, MatPow, MatrixSymbol,
    Mul, Pow, Symbol, Trace, Transpose, ZeroMatrix, log, srepr,
)
from sympy.matrices.expressions.matexpr import MatrixExpr
from sympy.core.function import AppliedUndef
from sympy.matrices.expressions.matexpr import MatrixElement

from ...language.indices import index_text, is_declared_index
from ...language.nodes import Adjugate, Hadamard, Kron, MatDerivative, SymMatDerivative, UnitVector, Vec
from ...language.symbols import SymbolTable
from .bounds import structural_degree
from .derive import Direction, gradient, jacobian
from .kronecker import KroneckerDifferentiator, KroneckerNormalizer, OrdinaryValue, Value, as_ordinary
from .normal import ONE, Letter, Outside, dim_name
from .terms import Frac, MatPoly


class Translator:
    """Normal forms of compiled expressions over one symbol table (both sides share it, so
    their letters and generators meet)."""

    def __init__(self, table: SymbolTable, lenient: bool = False) -> None:
        self.table = table
        #: For a degree bound only: a scalar outside the fragment (sin x, an integral, c^n)
        #: becomes an opaque generator, so the polynomial in n around it is still seen.
        self.lenient = lenient
        self.norm = KroneckerNormalizer()
        self.depends = {d.name: tuple(d.of) for d in table.decls.values()
                        if d.of and d.kind != "function"}
        #: Fixed sizes other than 1 (the normal form decides identities for every size).
        self.fixed_sizes: set[int] = set()
        #: Unit vectors at fixed positions (X[1, n], a basis vector e_k): free vectors here, so
        #: equal normal forms prove the identity, but different ones refute nothing.
        self.fixed_units: set[str] = set()
        self._directions = 0

    def claim(self, lhs: Basic, rhs: Basic) -> tuple[OrdinaryValue, OrdinaryValue]:
        """The normal forms of both sides of a claim; Kronecker products and vec(...) are
        paired with free letters, so that the sides compare as ordinary normal forms."""
        return self.norm.paired(self.value(lhs), self.value(rhs))

    def value(self, node: Basic) -> Value:
        try:
            return self._value(node)
        except Outside:
            if not self.lenient or isinstance(node, MatrixExpr):
                raise
            gen = ("opaque", srepr(node))
            self.norm.opaque_degrees[gen] = structural_degree(node)
            return Frac.gen(gen)

    def _value(self, node: Basic) -> Value:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is not None:
            return method(node)
        if node.is_Rational:
            return Frac.const(node.p) if node.q == 1 else Frac.const(node.p) / Frac.const(node.q)
        if isinstance(node, AppliedUndef):
            return self._applied(node)
        if isinstance(node, log):
            arg = node.args[0]
            if isinstance(arg, Determinant):
                return self.norm.logdet(self.value(arg.arg))
            raise Outside("log of something other than a determinant")
        raise Outside(_describe(node))

    # -- scalars ---------------------------------------------------------------------------

    def _Symbol(self, node: Symbol) -> Value:
        name = node.name
        decl = self.table.decls.get(name)
        if decl is not None and decl.kind == "scalar":
            return Frac.gen(("sym", name))
        if name in self.table.dims:
            return self.norm.dimension(name)
        raise Outside(f"the symbol {name} outside an entry")

    def _applied(self, node: AppliedUndef) -> Value:
        names = []
        for arg in node.args:
            if not isinstance(arg, Symbol) or arg.name not in self.table.decls \
                    or arg.name in self.depends:
                raise Outside(f"{node.func.__name__} applied to an expression (the chain rule "
                              "through a function)")
            names.append(arg.name)
        return Frac.gen(("fn", node.func.__name__, tuple(names), ()))

    def _Add(self, node: Add) -> Value:
        total: Value = Frac.const(0)
        for arg in node.args:
            total = self.norm.add(total, self._scalar(arg))
        return total

    def _Mul(self, node: Mul) -> Value:
        product: Value = Frac.const(1)
        for arg in node.args:
            product = self.norm.mul(product, self.value(arg))
        return product

    def _Pow(self, node: Pow) -> Value:
        exponent = node.exp
        if not exponent.is_Integer:
            raise Outside("a power with an exponent that is not an integer")
        base = self._scalar(node.base)
        try:
            return base ** int(exponent)
        except ZeroDivisionError:
            raise Outside("a division by zero") from None

    def _scalar(self, node: Basic) -> Frac:
        value = self.value(node)
        if not isinstance(value, Frac):
            raise Outside("a matrix where a scalar is expected")
        return value

    def _Trace(self, node: Trace) -> Value:
        return self.norm.trace(self.value(node.arg))

    _AsScalar = _Trace  # a 1 x 1 matrix as a scalar

    def _Determinant(self, node: Determinant) -> Value:
        return self.norm.det(self.value(node.arg))

    # -- matrices --------------------------------------------------------------------------

    def _MatrixSymbol(self, node: MatrixSymbol) -> Value:
        name = node.name
        if name not in self.norm.letters:
            decl = self.table.decls.get(name)
            if decl is None:
                raise Outside(f"the undeclared matrix {name}")
            rows, cols = dim_name(node.rows), dim_name(node.cols)
            for size in (rows, cols):
                if size.isdigit() and size != ONE:
                    self.fixed_sizes.add(int(size))
            assume = set(decl.assume)
            if "diagonal" in assume:
                self.norm.incomplete.add(f"{name} is diagonal (diagonal matrices commute)")
            if "orthogonal" in assume:
                self.norm.incomplete.add(f"{name} is orthogonal (QᵀQ = I)")
            symmetric = bool(assume & {"symmetric", "positive_definite", "diagonal"})
            self.norm.add_letter(Letter(name, rows, cols, symmetric=symmetric,
                                        orthogonal="orthogonal" in assume,
                                        positive="positive_definite" in assume,
                                        depends=tuple(decl.of)))
        return self.norm.letter_value(name)

    def _Identity(self, node: Identity) -> Value:
        return self.norm.identity(dim_name(node.rows))

    def _ZeroMatrix(self, node: ZeroMatrix) -> Value:
        return self.norm.zero((dim_name(node.rows), dim_name(node.cols)))

    def _MatAdd(self, node: MatAdd) -> Value:
        values = [self.value(arg) for arg in node.args]
        total = values[0]
        for value in values[1:]:
            total = self.norm.add(total, value)
        return total

    def _MatMul(self, node: MatMul) -> Value:
        product: Value = Frac.const(1)
        for arg in node.args:
            product = self.norm.mul(product, self.value(arg))
        return product

    def _Transpose(self, node: Transpose) -> Value:
        return self.norm.transpose(self.value(node.arg))

    def _Inverse(self, node: Inverse) -> Value:
        return self.norm.inverse(self.value(node.arg))

    def _MatPow(self, node: MatPow) -> Value:
        if not (node.exp.is_Integer and node.exp > 0):
            raise Outside("a matrix power that is not a positive integer")
        return self.norm.power(self.value(node.base), int(node.exp))

    def _Kron(self, node: Kron) -> Value:
        return self.norm.kron(*(self.value(arg) for arg in node.args))

    def _Vec(self, node: Vec) -> Value:
        return self.norm.vec(self.value(node.arg))

    def _Hadamard(self, node: Hadamard) -> Value:
        """I ∘ M (either order) is the diagonal part of M; other Hadamard products are outside."""
        left, right = node.args
        if isinstance(left, Identity) or isinstance(right, Identity):
            return self.norm.diagonal_part(self.value(right if isinstance(left, Identity) else left))
        raise Outside("a Hadamard product other than I∘M is outside the matrix fragment")

    def _Adjugate(self, node: Adjugate) -> Value:
        """adj(X) = det(X) X⁻¹: both sides are rational functions of the entries, and one that
        holds wherever X is invertible holds everywhere (the invertible X are dense), so an
        agreement of normal forms proves the identity for singular X too."""
        value = self.value(node.arg)
        if not isinstance(value, (Frac, MatPoly)):
            raise Outside("the adjugate of a Kronecker product")
        if isinstance(value, Frac):
            return Frac.const(1)
        return self.norm.scale(self.norm.det(value), self.norm.inverse(value))

    def _MatrixElement(self, node: MatrixElement) -> Value:
        """M[i, j] = e_iᵀ M e_j, with unit vectors e_i, e_j as letters."""
        value = self.value(node.parent)
        if isinstance(value, Frac):
            return value
        if not isinstance(value, MatPoly):
            raise Outside("an entry of a Kronecker product or of vec(...)")
        rows, cols = value.shape
        left = self._unit(node.i, rows)
        right = self._unit(node.j, cols)
        if left is not None:
            value = self.norm.mul(self.norm.transpose(left), value)
        if right is not None:
            value = self.norm.mul(value, right)
        return value

    def _unit(self, index: Basic, size: str) -> OrdinaryValue | None:
        """The unit vector e_index of length ``size`` as a letter (None for the 1 x 1 case):
        a free vector, which makes each step an identity for every vector, unit or not."""
        if index.is_Integer and size == ONE:
            return None
        if is_declared_index(index) and index.name in self.table.decls:
            name = f"e[{index.name}]"
        elif index.is_Integer or index.free_symbols <= set(self.table.dims.values()):
            name = f"e[{index_text(index)} of {size}]"
            self.fixed_units.add(name)
        else:
            raise Outside("an entry with an index that is not a position")
        self.norm.add_letter(Letter(name, size, ONE, kind="unit"))
        return self.norm.letter_value(name)

    def _UnitVector(self, node: UnitVector) -> Value:
        unit = self._unit(node.index, dim_name(node.shape[0]))
        return self.norm.identity(ONE) if unit is None else unit

    # -- derivatives -----------------------------------------------------------------------

    def _frozen(self, var: Basic, expr: Basic) -> None:
        """A derivative by a matrix declared ``of: x`` holds it fixed, so any derivative by x
        inside would see it constant (as the evaluator does); the normal form would not."""
        decl = self.table.decls.get(var.name)
        if decl is not None and decl.of and expr.atoms(Derivative, MatDerivative):
            raise Outside(f"a derivative by {var.name}, which depends on {', '.join(decl.of)}, "
                          "of an expression with a derivative in it")

    def _differentiator(self, direction: Direction) -> KroneckerDifferentiator:
        return KroneckerDifferentiator(self.norm, direction, self.depends)

    def _Derivative(self, node: Derivative) -> Value:
        expr = node.expr
        steps = [(var, int(count)) for var, count in node.variable_count]
        entry = [var for var, _ in steps if isinstance(var, MatrixElement)]
        if entry:
            return self._by_entries(expr, steps)
        value = self.value(expr)
        for var, count in steps:
            value = self._by_scalar(value, var, count)
        return value

    def _by_scalar(self, value: Value, var: Basic, count: int) -> Value:
        if not isinstance(var, Symbol) or var.name not in self.table.decls:
            raise Outside("a derivative by something other than a declared symbol or entry")
        d = self._differentiator(Direction(var.name))
        for _ in range(count):
            value = d.value(value)
        return value

    def _by_entries(self, expr: Basic, steps: list[tuple[Basic, int]]) -> Value:
        """Derivatives by entries move one entry each (a symmetric matrix's too)."""
        moving = {var.parent.name for var, _ in steps if isinstance(var, MatrixElement)}
        for var, _ in steps:
            if isinstance(var, MatrixElement):
                self._frozen(var.parent, expr)
        with self._unconstrained(moving):
            value = self.value(expr)
            for var, count in steps:
                if isinstance(var, MatrixElement):
                    parent = var.parent
                    if not isinstance(parent, MatrixSymbol):
                        raise Outside("a derivative by an entry of an expression")
                    self.value(parent)
                    rows, cols = dim_name(parent.rows), dim_name(parent.cols)
                    delta = self._unit(var.i, rows)
                    right = self._unit(var.j, cols)
                    if delta is None:  # the one entry of a 1 x 1 matrix: no unit vector
                        raise Outside("a derivative by the entry of a 1 x 1 matrix")
                    if right is not None:
                        delta = as_ordinary(self.norm.mul(delta, self.norm.transpose(right)),
                                            "the direction e_i e_jᵀ")
                    d = self._differentiator(Direction(parent.name, delta))
                    for _ in range(count):
                        value = d.value(value)
                else:
                    value = self._by_scalar(value, var, count)
        return self.norm.renormalize(value)

    def _unconstrained(self, names: set[str]) -> ExitStack:
        stack = ExitStack()
        for name in sorted(names):
            stack.enter_context(self.norm.without_structure(name))
        return stack

    def _MatDerivative(self, node: MatDerivative) -> Value:
        var = node.var
        if isinstance(var, Symbol):
            return self._by_scalar(self.value(node.expr), var, 1)
        if isinstance(var, MatrixElement):  # a 1 x 1 matrix by one entry
            return self._by_entries(node.expr, [(var, 1)])
        if not isinstance(var, MatrixSymbol):
            raise Outside("a derivative by an expression")
        self.value(var)
        self._frozen(var, node.expr)
        structured = isinstance(node, SymMatDerivative)
        self._directions += 1
        letter = self.norm.letters[var.name]
        direction = self.norm.add_letter(Letter(
            f"δ{var.name}⟨{self._directions}⟩", letter.rows, letter.cols,
            symmetric=structured, kind="direction"))
        delta = self.norm.letter_value(direction.name)
        names = set() if structured else {var.name}
        with self._unconstrained(names):
            inner = self.value(node.expr)
            d = self._differentiator(Direction(var.name, delta))
            change = d.value(inner)
            if not isinstance(change, (Frac, MatPoly)):
                raise Outside("a derivative by a matrix of a Kronecker product or vec(...)")
            if tuple(node.shape) != tuple(var.shape):
                result = jacobian(self.norm, d, change, direction.name, dim_name(node.shape[0]))
            elif not isinstance(change, Frac):
                raise Outside("a gradient of a matrix")
            else:
                result = gradient(self.norm, d, change, direction.name)
                if structured:
                    result = self.norm.sub(
                        as_ordinary(self.norm.add(result, self.norm.transpose(result)), "G + Gᵀ"),
                        as_ordinary(self.norm.diagonal_part(result), "I∘G"))
        return self.norm.renormalize(result)

    _SymMatDerivative = _MatDerivative


def _describe(node: Basic) -> str:
    names = {"Integral": "an integral", "Sum": "a finite sum", "Abs": "abs", "exp": "exp",
             "Pi": "the constant π", "Exp1": "the constant e"}
    name = type(node).__name__
    return f"{names.get(name, name)} is outside the matrix fragment"
