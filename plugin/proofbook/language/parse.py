"""Whitelist parser: registry text → typed SymPy objects, without evaluating anything.

The text is read by Python's ``ast`` module (which only parses) and each node is checked
against a short whitelist: numbers, declared names, ``+ - * / **``, unary minus, ``.T``,
``M[i, j]`` and calls of the functions in ``FUNCTIONS``.  Everything else (attribute chains,
lambdas, comprehensions, strings, keywords, star-args) is refused with the column where it
starts.  SymPy objects are built with ``evaluate=False``, so the tree keeps the order and form
the author wrote, which is what the handbook prints.

Every node gets a shape: ``None`` for a scalar, ``(rows, cols)`` for a matrix or column
vector.  A 1 x 1 matrix (``a.T*x``) may stand where a scalar is differentiated or compared, and
acts as the scalar it holds (an ``AsScalar`` node) where a textbook uses it so: next to a scalar
in a sum, as a denominator, as the base or exponent of a power, as the argument of a scalar
function, and as a factor beside a matrix it does not conform with ((vᵀu)A).  The rule is
documented exactly in the expression reference.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import sympy
from sympy import (
    Abs, Add, Basic, Derivative, Determinant, Identity, Integer, Integral, Inverse, MatAdd,
    MatMul, MatPow, MatrixSymbol, Mul, Pow, Rational, S, Sum, Symbol, Trace, Transpose,
    ZeroMatrix,
)
from sympy import Limit, binomial, factorial
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from ..errors import Location, ProofbookError
from ..model import Source
from ..numbertext import exact_text
from .growth import MAX_BITS, MAX_CONSTANT_BITS, Growth, digits
from .nodes import Adjugate, AsScalar, Hadamard, Kron, MatDerivative, SymMatDerivative, Vec
from .shapes import ShapeText, describe
from .names import ELEMENTARY, FUNCTIONS
from .slips import (METHODS, Slip, call_fix, caret_fix, character_slip, function_guess,
                    logarithm_base, meaning, product_split, symbol_guess, syntax_slip, unwrapped)
from .basis import MAX_FIXED_POSITION, ordinal
from .indices import index_text, least_extent
from .symbols import SymbolTable, dimension

MAX_LENGTH = 2000
MAX_DEPTH = 30
MAX_TERMS = 100
MAX_EXPONENT = 64
#: Bound on the product of nested constant exponents, ((x**64)**64)**64 being 262144.
MAX_TOTAL_EXPONENT = 256
MAX_INTEGER = 10**12
MAX_DECIMAL_DIGITS = 30
MAX_DIFF_ORDER = 6
#: The largest constant argument of factorial() and binomial(): 1000! has 2,568 digits.
MAX_FACTORIAL_ARGUMENT = 1000

Shape = tuple[Basic, Basic] | None

_ELEMENTARY: dict[str, Callable[..., Basic]] = {
    name: Abs if name == "abs" else getattr(sympy, name) for name in ELEMENTARY}


@dataclass(frozen=True)
class Typed:
    """A compiled expression and its shape (``None`` for a scalar)."""

    expr: Basic
    shape: Shape

    @property
    def is_scalar(self) -> bool:
        return self.shape is None

    @property
    def is_scalarlike(self) -> bool:
        """A scalar, or a 1 x 1 matrix such as ``a.T*x``."""
        return self.shape is None or self.shape == (S.One, S.One)

    @property
    def is_one_by_one(self) -> bool:
        return self.shape == (S.One, S.One)

    def as_scalar(self) -> Typed:
        """A 1 x 1 matrix as the scalar it holds; anything else unchanged."""
        return Typed(AsScalar(self.expr), None) if self.is_one_by_one else self

    @property
    def is_square(self) -> bool:
        return self.shape is not None and self.shape[0] == self.shape[1]

    @property
    def is_column(self) -> bool:
        return self.shape is not None and self.shape[1] == S.One


def shape_text(shape: Shape) -> ShapeText:
    """The shape as the cache keeps it."""
    return None if shape is None else (str(shape[0]), str(shape[1]))


def describe_shape(shape: Shape) -> str:
    """Shapes as a reader says them: 'a scalar', 'an n x 1 vector', 'an m x n matrix'."""
    return describe(shape_text(shape))


class _Fail(Exception):
    """A problem at one AST node; turned into a located ProofbookError by ``compile_source``."""

    def __init__(self, node: ast.AST | None, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        self.hint = hint


def compile_source(source: Source, table: SymbolTable, entry_id: str | None = None) -> Typed:
    """Parse and type-check one expression of the registry.

    Raises ``ProofbookError`` naming the file, line, column and entry.
    """
    text = source.text
    if table.problem is not None:
        raise ProofbookError(table.problem.message, table.problem.location or source.location,
                             entry_id, table.problem.hint)
    if len(text) > MAX_LENGTH:
        raise ProofbookError(
            f"the expression is {len(text)} characters long; the limit is {MAX_LENGTH}.",
            source.location, entry_id, "Split it with a proof, or shorten it.")
    slip = character_slip(text)
    if slip is not None:
        raise _slip_error(slip, source, entry_id)
    try:
        tree = ast.parse("(" + text + "\n)", mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        plain = isinstance(exc, SyntaxError) and _syntax_reason(exc) != "unbalanced parentheses" \
            and not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)  # a control character: Python says it
        slip = syntax_slip(text, table.decls) if plain else None
        if slip is not None:
            raise _slip_error(slip, source, entry_id) from None
        line, col = _syntax_position(exc, text)
        reason = _syntax_reason(exc).rstrip(".")
        raise ProofbookError(
            f"cannot parse {_quote(text)}: {reason}{'' if reason.endswith('?') else '.'}",
            _located(source.location, line, col), entry_id,
            "Expressions use Python-like syntax, e.g. diff(trace(A*B), A).") from None
    try:
        _check_depth(tree.body, 0)
        return _Compiler(table, text).visit(tree.body)
    except _Fail as fail:
        line, col = _node_position(fail.node, text)
        raise ProofbookError(fail.message, _located(source.location, line, col), entry_id,
                             fail.hint) from None


def _slip_error(slip: Slip, source: Source, entry_id: str | None) -> ProofbookError:
    """A slip (``slips``) as a located error: its offset in the text as line and column."""
    head = _lines(source.text[: slip.offset])
    line, col = len(head), len(head[-1]) + 1
    return ProofbookError(slip.message, _located(source.location, line, col), entry_id, slip.hint)


def _quote(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return repr(one_line if len(one_line) <= limit else one_line[: limit - 1] + "…")


def _syntax_reason(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        msg = (exc.msg or "invalid syntax").replace("'('", "parenthesis")
        unbalanced = any(word in msg for word in ("was never closed", "does not match", "unmatched"))
        return "unbalanced parentheses" if unbalanced else msg
    if isinstance(exc, ValueError):  # a NUL byte, or a lone surrogate the tokenizer cannot encode
        return "it contains a character that cannot appear in an expression"
    return "the expression is nested too deeply"


def _syntax_position(exc: BaseException, text: str) -> tuple[int, int | None]:
    if isinstance(exc, SyntaxError) and exc.lineno:
        col = (exc.offset or 2) - 1 if exc.lineno == 1 else exc.offset
        lines = _lines(text)
        if exc.lineno > len(lines):
            return len(lines), len(lines[-1]) + 1
        return exc.lineno, max(col or 1, 1)
    return 1, None


def _node_position(node: ast.AST | None, text: str) -> tuple[int, int | None]:
    """1-based line and character column of a node within ``text`` (undoing the wrapper '(')."""
    if node is None or not hasattr(node, "lineno"):
        return 1, None
    line = node.lineno
    raw = _lines("(" + text)[line - 1].encode()
    col = len(raw[: node.col_offset].decode(errors="replace"))  # type: ignore[attr-defined]  # with lineno
    return line, (col if line == 1 else col + 1)


def _lines(text: str) -> list[str]:
    """Lines as Python's tokenizer counts them (\r\n, \r and \n all end a line)."""
    return re.split(r"\r\n|\r|\n", text)


def _located(base: Location, line: int, column: int | None) -> Location:
    if line == 1 and column is not None and base.column is not None:
        return Location(base.file, base.line, base.column + column - 1)
    return base.shifted(line - 1, None if line > 1 else base.column)


_SMALLER = "Use smaller numbers and exponents, or split the identity with a proof."

_INDEX_HINT = ("Write X[i, j] with i: {kind: index, size: n} declared, or a fixed entry such as "
               "X[1, n] or a[n - 1].")


def _sum_hint(left: Typed, right: Typed) -> str:
    """The likeliest fix for terms of different shapes."""
    scalar, other = (left, right) if left.is_scalar else (right, left)
    if scalar.is_scalar and other.is_square:
        return ("A scalar and a matrix cannot be added; multiply the scalar by the identity, "
                f"e.g. c*eye({other.shape[0]}) + A.")  # type: ignore[index]  # square: a shape
    if scalar.is_scalar:
        return "A scalar and a vector or non-square matrix cannot be added."
    if left.shape == right.shape[::-1]:  # type: ignore[index]  # neither is a scalar here
        return "The shapes are each other's transpose: did you mean to transpose one term (.T)?"
    return "Both terms of a sum must have the same shape."


def _product_hint(left: Typed, right: Typed) -> str:
    """The likeliest fix for factors that do not conform."""
    if left.is_column and right.is_column:
        return "For the scalar product of two column vectors write x.T*y; for the outer product x*y.T."
    if left.shape[0] == right.shape[0]:  # type: ignore[index]  # matrices here
        return ("The columns of the left factor must match the rows of the right one; did you mean "
                "to transpose the left factor (.T)?")
    return "The columns of the left factor must match the rows of the right one."

_FAMILY = {ast.Add: "sum", ast.Sub: "sum", ast.Mult: "product", ast.Div: "product"}


def _check_depth(node: ast.AST, depth: int, run: int = 0) -> None:
    """Bound nesting; the terms of one flat sum or product (a left-leaning chain in the AST)
    count as one level, up to MAX_TERMS of them."""
    if depth > MAX_DEPTH:
        raise _Fail(node, f"the expression is nested more than {MAX_DEPTH} levels deep.",
                    "Break it into steps of a proof.")
    if isinstance(node, ast.BinOp) and run + 2 > MAX_TERMS:  # the chain so far has run + 2 terms
        raise _Fail(node, f"a sum or product has more than {MAX_TERMS} terms.",
                    "Break it into steps of a proof.")
    for child in ast.iter_child_nodes(node):
        same = (isinstance(node, ast.BinOp) and child is node.left and isinstance(child, ast.BinOp)
                and _FAMILY.get(type(child.op)) is not None
                and _FAMILY.get(type(child.op)) == _FAMILY.get(type(node.op)))
        _check_depth(child, depth if same else depth + 1, run + 1 if same else 0)


_SYNTAX_NAMES = {
    ast.Lambda: "a lambda", ast.ListComp: "a comprehension", ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension", ast.GeneratorExp: "a generator expression",
    ast.JoinedStr: "an f-string", ast.Starred: "star-arguments", ast.Compare: "a comparison",
    ast.BoolOp: "'and'/'or'", ast.IfExp: "an if-expression", ast.NamedExpr: "':='",
    ast.List: "a list", ast.Tuple: "a tuple", ast.Dict: "a dict", ast.Set: "a set",
    ast.Await: "await", ast.Yield: "yield", ast.Slice: "a slice",
}


class _Compiler:
    """Turns whitelisted AST nodes into Typed SymPy objects; refuses everything else."""

    def __init__(self, table: SymbolTable, text: str) -> None:
        self.table = table
        self.text = text
        self.growth = Growth()

    def visit(self, node: ast.AST) -> Typed:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            what = _SYNTAX_NAMES.get(type(node), type(node).__name__)
            if isinstance(node, (ast.Set, ast.Dict)):
                raise _Fail(node, f"{what} is not allowed in an expression; braces {{ }} do not group.",
                            "Use parentheses ( ).")
            raise _Fail(node, f"{what} is not allowed in an expression.",
                        "Only numbers, declared symbols, + - * / **, .T, M[i, j] and the "
                        "documented functions are.")
        typed = method(node)
        if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Call)):
            self._bounded(node, typed)
        return typed

    def _bounded(self, node: ast.AST, typed: Typed) -> None:
        """Refuse a value that could outgrow what exact arithmetic does in milliseconds."""
        bits, numbers = self.growth.size(typed.expr)
        if bits > MAX_BITS:
            raise _Fail(node, f"this expression is too large to check: its exact value can have "
                              f"about {digits(bits):,} digits (at most {digits(MAX_BITS):,}).", _SMALLER)
        if numbers > MAX_CONSTANT_BITS:
            raise _Fail(node, f"the numbers in this expression combine into one of about "
                              f"{digits(numbers):,} digits (at most {digits(MAX_CONSTANT_BITS):,}).", _SMALLER)

    # -- leaves -------------------------------------------------------------------------

    def visit_Constant(self, node: ast.Constant) -> Typed:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _Fail(node, f"{type(value).__name__} literals are not allowed in an expression.")
        segment = ast.get_source_segment("(" + self.text + "\n)", node) or repr(value)
        if isinstance(value, float):
            if "e" in segment.lower() or "j" in segment.lower():
                raise _Fail(node, f"write the number {segment} as a plain decimal or a fraction.")
            if sum(c.isdigit() for c in segment) > MAX_DECIMAL_DIGITS or abs(value) > MAX_INTEGER:
                raise _Fail(node, f"the number {_quote(segment, 30)} is too large or too long (at most "
                                  f"{MAX_INTEGER} and {MAX_DECIMAL_DIGITS} digits).")
            return Typed(Rational(Fraction(segment)), None)
        if abs(value) > MAX_INTEGER:
            raise _Fail(node, f"the number {segment} is too large (at most {MAX_INTEGER}).")
        return Typed(Integer(value), None)

    def visit_Name(self, node: ast.Name) -> Typed:
        name = node.id
        if name == "pi":
            return Typed(S.Pi, None)
        if name == "E":
            return Typed(S.Exp1, None)
        if name == "oo":
            raise _Fail(node, "'oo' (infinity) is not a value: it stands only as the upper bound "
                              "of sum() or as the point of limit().",
                        "Write sum(f, k, 0, oo) or limit(f, x, oo); for a large number write it out.")
        obj = self.table.objects.get(name)
        if obj is None:
            if name in self.table.dims:
                return Typed(self.table.dims[name], None)
            if name in FUNCTIONS:
                raise _Fail(node, f"'{name}' is a function; call it with arguments, e.g. {name}(...).")
            raise self._unknown_symbol(node, name)
        decl = self.table.decls[name]
        if decl.kind == "index":
            raise _Fail(node, f"'{name}' is an index; use it inside M[{name}] or M[{name}, j].")
        if isinstance(obj, MatrixExpr):
            return Typed(obj, obj.shape)
        return Typed(obj, None)

    def _unknown_symbol(self, node: ast.Name, name: str) -> _Fail:
        """The error for an undeclared name, with the name it most likely means."""
        known = ", ".join(sorted(self.table.objects)) or "none"
        declare = f"Declare it under 'symbols:' (declared here: {known})."
        if name in ("I", "Id") and self.table.dims:
            return _Fail(node, f"unknown symbol '{name}'.",
                         f"The identity matrix is written eye({sorted(self.table.dims)[0]}).")
        split = product_split(name, [n for n, d in self.table.decls.items() if d.kind != "index"])
        if split is not None:
            return _Fail(node, f"unknown symbol '{name}' (did you mean {split}?).",
                         "Implicit multiplication is not allowed: write every product with *.")
        guess = symbol_guess(name, [*self.table.objects, *self.table.dims])
        if guess is None:
            return _Fail(node, f"unknown symbol '{name}'.", declare)
        if name == "e":
            fix = f"{meaning(guess)}write exp(x) for e**x, or declare e under 'symbols:'."
        else:
            fix = f"{meaning(guess)}write {guess}." if meaning(guess) else declare
        return _Fail(node, f"unknown symbol '{name}' (did you mean {guess}?).", fix)

    # -- operators ----------------------------------------------------------------------

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Typed:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        if not isinstance(node.op, ast.USub):
            raise _Fail(node, "only unary minus and plus are allowed.")
        if operand.is_scalar and operand.expr.is_Number:
            return Typed(-operand.expr, None)
        return self._scale(Integer(-1), operand)

    def visit_BinOp(self, node: ast.BinOp) -> Typed:
        op = type(node.op)
        if op not in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow):
            raise self._operator_slip(node)
        if op is ast.Pow:
            return self._power(node)
        left, right = self.visit(node.left), self.visit(node.right)
        if op in (ast.Add, ast.Sub):
            if op is ast.Sub:
                right = self._scale(Integer(-1), right)
            return self._add(node, left, right, self._parenthesized(node.left), self._parenthesized(node.right))
        if op is ast.Mult:
            return self._multiply(node, left, right)
        if op is ast.Div:
            right = right.as_scalar()
            if not right.is_scalar:
                raise _Fail(node, "division by a matrix is not defined.", "Write a*inv(B) instead.")
            return self._scale(Pow(right.expr, -1, evaluate=False), left, after=True)
        raise self._operator_slip(node)

    def _operator_slip(self, node: ast.BinOp) -> _Fail:
        """An operator outside the language, checked before its operands (``A^T``: T is no
        symbol), with what to write: ``^`` is Python's XOR, ``|`` its OR."""
        op = type(node.op)
        if op is ast.BitXor:
            return _Fail(node, "'^' is not a power.",
                         caret_fix(self._segment(node.left), self._segment(node.right), self.table.decls))
        if op is ast.BitOr:
            return _Fail(node, "the operator '|' is not allowed; bars |...| are not part of the language.",
                         "Write det(A) for a determinant or abs(x) for an absolute value.")
        symbol = {ast.MatMult: "@", ast.Mod: "%", ast.FloorDiv: "//"}.get(op, type(node.op).__name__)
        return _Fail(node, f"the operator '{symbol}' is not allowed.",
                     "Use * for every product, including matrix products.")

    def _segment(self, node: ast.AST) -> str:
        """The text of ``node`` as written, on one line; in parentheses if the author wrote them."""
        text = " ".join((ast.get_source_segment("(" + self.text + "\n)", node) or "").split())
        return f"({text})" if self._parenthesized(node) else text

    @cached_property
    def _source_lines(self) -> list[str]:
        """The parsed text (with its wrapping parentheses) as lines that keep their endings."""
        return re.split(r"(?<=\r\n)|(?<=\r)(?!\n)|(?<=\n)", "(" + self.text + "\n)")

    def _offset(self, line: int, col_offset: int) -> int:
        """The character offset of an AST position (``col_offset`` counts UTF-8 bytes)."""
        lines = self._source_lines
        return sum(map(len, lines[: line - 1])) + len(lines[line - 1].encode()[:col_offset].decode(errors="replace"))

    def _parenthesized(self, node: ast.AST) -> bool:
        """Whether the author wrote parentheses around ``node`` (the AST does not keep them):
        ``(`` before it and ``)`` after it, the ``(`` not opening the arguments of a call."""
        source = "(" + self.text + "\n)"
        start = self._offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]  # an expression
        end = self._offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]  # an expression
        opened, closed = source[max(0, start - 200):start].rstrip(), source[end:end + 200].lstrip()
        return start > 1 and opened.endswith("(") and closed.startswith(")") \
            and not re.search(r"\w$", opened[:-1].rstrip())

    def _add(self, node: ast.AST, left: Typed, right: Typed, left_grouped: bool = False,
             right_grouped: bool = False) -> Typed:
        """``left + right``, one flat sum unless the author put a term that is a sum in
        parentheses: ``(a + b) + c`` stays a sum of two terms, and prints its parentheses."""
        if left.is_scalar or right.is_scalar:  # 1 + v.T*u: the 1 x 1 term is a scalar
            left, right = left.as_scalar(), right.as_scalar()
        if left.is_scalar and right.is_scalar:
            terms = _terms(left.expr, Add, left_grouped) + _terms(right.expr, Add, right_grouped)
            return Typed(Add(*terms, evaluate=False), None)
        if left.shape != right.shape:
            raise _Fail(node, f"shape mismatch in a sum: {describe_shape(left.shape)} plus "
                              f"{describe_shape(right.shape)}.", _sum_hint(left, right))
        terms = _terms(left.expr, MatAdd, left_grouped) + _terms(right.expr, MatAdd, right_grouped)
        return Typed(MatAdd(*terms, evaluate=False), left.shape)

    def _multiply(self, node: ast.AST, left: Typed, right: Typed) -> Typed:
        if left.shape is None and right.shape is None:
            return Typed(Mul(*_flat(left.expr, Mul), *_flat(right.expr, Mul), evaluate=False), None)
        if left.shape is None:
            return self._scale(left.expr, right)
        if right.shape is None:
            return self._scale(right.expr, left, after=True)
        if left.shape[1] != right.shape[0] and (left.is_one_by_one or right.is_one_by_one):
            # (v.T*u)*A: a 1 x 1 factor that does not conform is the scalar it holds
            first, second = left.as_scalar(), right.as_scalar()
            factors = _flat(first.expr, MatMul) + _flat(second.expr, MatMul)
            return Typed(MatMul(*factors, evaluate=False), first.shape or second.shape)
        if left.shape[1] != right.shape[0]:
            raise _Fail(node, f"shape mismatch in a product: {describe_shape(left.shape)} times "
                              f"{describe_shape(right.shape)}.", _product_hint(left, right))
        factors = _flat(left.expr, MatMul) + _flat(right.expr, MatMul)
        return Typed(MatMul(*factors, evaluate=False), (left.shape[0], right.shape[1]))

    def _scale(self, factor: Basic, value: Typed, after: bool = False) -> Typed:
        """``factor * value`` for a scalar factor (``after``: written after it, as in x/2)."""
        if value.is_scalar:
            args = [value.expr, factor] if after else [factor, value.expr]
            return Typed(Mul(*[a for arg in args for a in _flat(arg, Mul)], evaluate=False), None)
        args = _flat(value.expr, MatMul)
        scalars = 0
        while after and scalars < len(args) and not args[scalars].is_Matrix:
            scalars += 1
        return Typed(MatMul(*args[:scalars], factor, *args[scalars:], evaluate=False), value.shape)

    def _power(self, node: ast.BinOp) -> Typed:
        base = self.visit(node.left).as_scalar()
        exponent = self._exponent(node.right)
        if _total_exponent(base.expr) * abs(exponent.expr if exponent.expr.is_Rational else 1) > MAX_TOTAL_EXPONENT:
            raise _Fail(node, f"nested powers multiply to more than {MAX_TOTAL_EXPONENT}.",
                        "Write the power once, e.g. x**6 for (x**2)**3.")
        if base.is_scalar:
            return Typed(Pow(base.expr, exponent.expr, evaluate=False), None)
        if not base.is_square:
            raise _Fail(node, f"a power needs a square matrix, not {describe_shape(base.shape)}.")
        k = exponent.expr
        if k == -1:
            return Typed(Inverse(base.expr), base.shape)
        if not (k.is_Integer and k > 0):
            raise _Fail(node.right, "a matrix power must be a positive integer or -1.")
        return Typed(MatPow(base.expr, k), base.shape)

    def _exponent(self, node: ast.AST) -> Typed:
        """Exponents are bounded numbers or expressions with symbols: x**(10**10) is refused."""
        exponent = self.visit(node).as_scalar()
        if not exponent.is_scalar:
            raise _Fail(node, "an exponent must be a scalar.")
        if exponent.expr.free_symbols:
            return exponent
        value = _rational_value(exponent.expr)
        if value is None:
            raise _Fail(node, "a constant exponent must be a rational number, such as 3, -1 or 1/2.")
        if abs(value) > MAX_EXPONENT:
            raise _Fail(node, f"the exponent {exact_text(value)} is too large (at most {MAX_EXPONENT}).")
        if value.is_Rational and value.q > MAX_INTEGER:
            raise _Fail(node, f"the exponent {exact_text(value)} has a denominator over {MAX_INTEGER}.",
                        "Write the exponent as a simple fraction, such as 1/2 or 3/4.")
        return Typed(value, None)

    def visit_Attribute(self, node: ast.Attribute) -> Typed:
        if node.attr != "T":
            method = METHODS.get(node.attr)
            written = self._segment(node.value)
            fix = None if method is None else f"Write {method}({unwrapped(written)})."
            raise _Fail(node, f"attribute '.{node.attr}' is not allowed; only '.T' (transpose) is.", fix)
        value = self.visit(node.value)
        if value.is_scalar:
            raise _Fail(node, "'.T' needs a matrix or a vector, not a scalar.")
        return self._transpose(value)

    def _transpose(self, value: Typed) -> Typed:
        assert value.shape is not None
        return Typed(Transpose(value.expr), (value.shape[1], value.shape[0]))

    def visit_Subscript(self, node: ast.Subscript) -> Typed:
        value = self.visit(node.value)
        if value.shape is None:
            raise _Fail(node, "only a matrix or a vector can be indexed.")
        index_nodes = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if len(index_nodes) == 1 and value.is_column:
            index_nodes = [index_nodes[0], None]  # type: ignore[list-item]  # a column's one index
        if len(index_nodes) != 2:
            raise _Fail(node, "a matrix takes two indices, M[i, j]; a column vector one, a[i].")
        rows, cols = value.shape
        i = self._index(index_nodes[0], rows)
        j = self._index(index_nodes[1], cols) if index_nodes[1] is not None else Integer(0)
        return Typed(MatrixElement(value.expr, i, j), None)

    def _index(self, node: ast.AST, extent: Basic) -> Basic:
        """An index as SymPy counts it (from 0): a declared index symbol, a whole number
        (1-based, as a textbook writes it), a dimension name (the last entry) or a dimension
        minus a whole number.  A fixed index into a dimension n holds only for n large enough:
        ``least_extent`` says how large, and the verifier samples no smaller n."""
        if isinstance(node, ast.Name) and node.id in self.table.decls:
            decl = self.table.decls[node.id]
            if decl.kind != "index":
                raise _Fail(node, f"'{node.id}' is {'an' if decl.kind[0] in 'aeiou' else 'a'} "
                                  f"{decl.kind}, not an index.", _INDEX_HINT)
            assert decl.shape is not None
            if dimension(decl.shape[0]) != extent:
                raise _Fail(node, f"index '{node.id}' runs over 1..{decl.shape[0]} but indexes a "
                                  f"dimension of size {extent}.")
            return self.table.objects[node.id]
        position = self._position(node, extent)
        least = least_extent(position, extent)
        if least is None:
            raise _Fail(node, f"the index {index_text(position)} is beyond the size {extent} of "
                              "this dimension.", f"Indices run from 1 to {extent}.")
        if not extent.is_Integer and least > MAX_FIXED_POSITION:
            raise _Fail(node, f"the index {index_text(position)} into a dimension {extent} the "
                              f"verifier chooses is more than {MAX_FIXED_POSITION}: it would leave "
                              "only large sizes to test.",
                        f"Use a position from 1 to {MAX_FIXED_POSITION}, from {extent} - "
                        f"{MAX_FIXED_POSITION - 1} to {extent}, or an index symbol.")
        return position

    def _position(self, node: ast.AST, extent: Basic) -> Basic:
        """A fixed position (from 0): ``3`` is 2, ``n`` is n - 1, ``n - 1`` is n - 2."""
        if isinstance(node, ast.Constant) and type(node.value) is int:
            if node.value < 1:
                raise _Fail(node, f"the index {node.value} is not a position: indices count from 1, "
                                  "as a textbook writes them (X[1, 1] is the first entry).")
            if node.value > MAX_INTEGER:
                raise _Fail(node, f"the index {node.value} is too large.")
            return Integer(node.value - 1)
        offset = 0
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) \
                and isinstance(node.right, ast.Constant) and type(node.right.value) is int \
                and 0 < node.right.value <= MAX_INTEGER:
            offset, node = node.right.value, node.left
        if isinstance(node, ast.Name) and node.id in self.table.dims:
            size = self.table.dims[node.id]
            if size != extent:
                raise _Fail(node, f"the index {node.id} is the last position of a dimension of size "
                                  f"{node.id}, but it indexes a dimension of size {extent}.", _INDEX_HINT)
            return size - 1 - offset
        raise _Fail(node, "an index must be a declared index symbol, a whole number from 1, or a "
                          "dimension such as n or n - 1.", _INDEX_HINT)

    # -- calls --------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> Typed:
        if not isinstance(node.func, ast.Name):
            product = isinstance(node.func, (ast.BinOp, ast.UnaryOp)) or isinstance(node.func, ast.Constant) \
                and type(node.func.value) in (int, float)
            fixed = call_fix(self._segment(node)) if product and node.args else None
            if fixed is not None:
                raise _Fail(node, f"'{self._segment(node)}' has no operator: implicit multiplication "
                                  "is not allowed.", f"Write {fixed} for a product.")
            if isinstance(node.func, ast.Attribute) and node.func.attr == "T" and not node.args:
                raise _Fail(node, "'.T' takes no parentheses.", f"Write {self._segment(node)[:-2]}.")
            if isinstance(node.func, ast.Attribute) and not node.args:
                self.visit(node.func)  # the attribute's own message, with the function to use
            raise _Fail(node, "only the documented functions can be called, by name.")
        name = node.func.id
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise _Fail(node, f"{name}() takes plain positional arguments only.")
        decl = self.table.decls.get(name)
        if decl is not None and decl.kind == "function":
            return self._apply_function(node, name)
        handler = getattr(self, "call_" + name, None)
        if name not in FUNCTIONS or handler is None:
            raise self._unknown_function(node, name)
        allowed = {int(k) for k in FUNCTIONS[name].split(" or ")}
        if len(node.args) not in allowed:
            raise _Fail(node, f"{name}() takes {FUNCTIONS[name].replace(' or ', ' or ')} "
                              f"argument{'s' if FUNCTIONS[name] != '1' else ''}, not {len(node.args)}.")
        return handler(node, *node.args)

    def _unknown_function(self, node: ast.Call, name: str) -> _Fail:
        """The error for a call of a name that is no function, with the fix most likely meant."""
        decl = self.table.decls.get(name)
        segment = self._segment(node)
        if decl is not None and decl.kind == "scalar" and decl.of:
            return _Fail(node, f"'{name}' is a scalar that depends on {', '.join(decl.of)}, not a "
                               "function to call.", f"Write {name}: it stands for {name}({', '.join(decl.of)}).")
        article = "an" if decl is not None and decl.kind == "index" else "a"
        if decl is not None and not node.args:
            return _Fail(node, f"'{name}' is declared as {article} {decl.kind}, not a function.", f"Write {name}.")
        if decl is not None:
            return _Fail(node, f"'{name}' is declared as {article} {decl.kind}, not a function: "
                               "implicit multiplication is not allowed.", f"Write {call_fix(segment)} for a product.")
        if name == "T" and len(node.args) == 1:
            argument = self._segment(node.args[0])
            postfix = argument if isinstance(node.args[0], ast.Name) else f"({argument.strip('()')})"
            return _Fail(node, "unknown function 'T'.", f"The transpose is written .T: write {postfix}.T.")
        base = logarithm_base(name)
        if base is not None and len(node.args) == 1:
            argument = self._segment(node.args[0])
            return _Fail(node, f"unknown function '{name}'.", f"log is the natural logarithm: write "
                               f"log({argument})/log({base}) for the logarithm to base {base}.")
        functions = [n for n, d in self.table.decls.items() if d.kind == "function"]
        guess = function_guess(name, functions)
        if guess is None:
            return _Fail(node, f"unknown function '{name}'.",
                         f"Known functions: {', '.join(sorted(FUNCTIONS))}.")
        written = f"{guess}{segment[len(name):]}"
        return _Fail(node, f"unknown function '{name}' (did you mean {guess}?).",
                     f"{meaning(guess)}write {written}." if meaning(guess) else f"Write {written}.")

    def _apply_function(self, node: ast.Call, name: str) -> Typed:
        decl = self.table.decls[name]
        if len(node.args) != len(decl.of):
            raise _Fail(node, f"{name} is declared as a function of {len(decl.of)} argument(s); "
                              f"it is called with {len(node.args)}.")
        args = [self._scalar(arg, f"an argument of {name}") for arg in node.args]
        func = self.table.objects[name].func
        return Typed(func(*args), None)

    def _scalar(self, node: ast.AST, role: str) -> Basic:
        value = self.visit(node).as_scalar()
        if not value.is_scalar:
            raise _Fail(node, f"{role} must be a scalar, not {describe_shape(value.shape)}.")
        return value.expr

    def _square(self, node: ast.AST, name: str) -> Typed:
        value = self.visit(node)
        if not value.is_square:
            raise _Fail(node, f"{name}() needs a square matrix, not {describe_shape(value.shape)}.")
        return value

    def _elementary(self, func: Callable[..., Basic], node: ast.Call) -> Typed:
        arg = self._scalar(node.args[0], f"the argument of {node.func.id}()")  # type: ignore[attr-defined]
        return Typed(func(arg, evaluate=False), None)

    def call_sqrt(self, node: ast.Call, arg: ast.AST) -> Typed:
        return Typed(Pow(self._scalar(arg, "the argument of sqrt()"), S.Half, evaluate=False), None)

    def call_trace(self, node: ast.Call, arg: ast.AST) -> Typed:
        return Typed(Trace(self._square(arg, "trace").expr), None)

    def call_det(self, node: ast.Call, arg: ast.AST) -> Typed:
        return Typed(Determinant(self._square(arg, "det").expr), None)

    def call_inv(self, node: ast.Call, arg: ast.AST) -> Typed:
        value = self._square(arg, "inv")
        return Typed(Inverse(value.expr), value.shape)

    def call_transpose(self, node: ast.Call, arg: ast.AST) -> Typed:
        value = self.visit(arg)
        if value.is_scalar:
            raise _Fail(arg, "transpose() needs a matrix or a vector, not a scalar.")
        return self._transpose(value)

    def call_eye(self, node: ast.Call, arg: ast.AST) -> Typed:
        size = self._dimension(arg)
        return Typed(Identity(size), (size, size))

    def call_zeros(self, node: ast.Call, rows: ast.AST, cols: ast.AST) -> Typed:
        shape = (self._dimension(rows), self._dimension(cols))
        return Typed(ZeroMatrix(*shape), shape)

    # -- matrix products and the adjugate: kron, vec, hadamard, adj --------------------

    def _matrix(self, node: ast.AST, role: str) -> Typed:
        value = self.visit(node)
        if value.is_scalar:
            raise _Fail(node, f"{role} must be a matrix or a vector, not a scalar.",
                        "Multiply by a scalar with *, e.g. x*A.")
        return value

    def call_kron(self, node: ast.Call, left: ast.AST, right: ast.AST) -> Typed:
        a, b = (self._matrix(arg, "an argument of kron()") for arg in (left, right))
        expr = Kron(a.expr, b.expr)
        return Typed(expr, expr.shape)

    def call_vec(self, node: ast.Call, arg: ast.AST) -> Typed:
        expr = Vec(self._matrix(arg, "the argument of vec()").expr)
        return Typed(expr, expr.shape)

    def call_hadamard(self, node: ast.Call, left: ast.AST, right: ast.AST) -> Typed:
        a, b = (self._matrix(arg, "an argument of hadamard()") for arg in (left, right))
        if a.shape != b.shape:
            raise _Fail(node, f"shape mismatch in hadamard(): {describe_shape(a.shape)} and "
                              f"{describe_shape(b.shape)}.",
                        "The entrywise product needs two matrices of the same shape.")
        return Typed(Hadamard(a.expr, b.expr), a.shape)

    def call_adj(self, node: ast.Call, arg: ast.AST) -> Typed:
        value = self._square(arg, "adj")
        return Typed(Adjugate(value.expr), value.shape)

    def _dimension(self, node: ast.AST) -> Basic:
        if isinstance(node, ast.Name) and node.id in self.table.dims:
            return self.table.dims[node.id]
        if isinstance(node, ast.Constant) and type(node.value) is int and 1 <= node.value <= 12:
            return Integer(node.value)
        raise _Fail(node, "a size must be a dimension used in the symbol sizes (such as n) "
                          "or a whole number from 1 to 12.")

    def call_diff(self, node: ast.Call, f: ast.AST, var: ast.AST, order: ast.AST | None = None) -> Typed:
        value = self.visit(f)
        target = self._variable(var)
        k = self._order(order) if order is not None else 1
        if isinstance(target, MatrixSymbol) and k != 1:
            raise _Fail(order, "only first derivatives by a vector or matrix are supported.",
                        "Nest diff() for higher ones.")
        if isinstance(target, MatrixSymbol) and target.shape[1] != S.One:
            return self._gradient(node, value, target, MatDerivative)
        if isinstance(target, MatrixSymbol):
            if value.is_scalarlike:
                return self._gradient(node, value, target, MatDerivative)
            if value.is_column:
                rows = value.shape[0]  # type: ignore[index]  # a column has a shape
                return Typed(MatDerivative(value.expr, target, rows, target.shape[0]), (rows, target.shape[0]))
            raise _Fail(node, f"diff() of {describe_shape(value.shape)} by a vector is not part of "
                              "the notation; only scalars and column vectors can be.")
        if isinstance(target, MatrixElement) and not value.is_scalarlike:
            raise _Fail(node, "diff() by a single entry needs a scalar to differentiate.")
        if value.is_scalar:
            return Typed(Derivative(value.expr, (target, k), evaluate=False), None)
        if k != 1:
            raise _Fail(order, "higher derivatives of a matrix are written as nested diff().")
        return Typed(MatDerivative(value.expr, target, *value.shape), value.shape)  # type: ignore[misc]  # not scalar

    def call_diff_sym(self, node: ast.Call, f: ast.AST, var: ast.AST) -> Typed:
        target = self._variable(var)
        decl = self.table.decl_of(target)
        if not isinstance(target, MatrixSymbol) or decl is None or "symmetric" not in decl.assume \
                and "positive_definite" not in decl.assume:
            raise _Fail(var, "diff_sym() differentiates by a matrix declared symmetric.",
                        "Add 'assume: [symmetric]' to its declaration, or use diff().")
        return self._gradient(node, self.visit(f), target, SymMatDerivative)

    def _gradient(self, node: ast.AST, value: Typed, target: MatrixSymbol,
                  cls: type[MatDerivative]) -> Typed:
        if not value.is_scalarlike:
            raise _Fail(node, f"diff() of {describe_shape(value.shape)} by a matrix is not part of "
                              "the notation; differentiate a scalar (e.g. a trace) instead.")
        return Typed(cls(value.expr, target, *target.shape), target.shape)

    def _variable(self, node: ast.AST) -> Basic:
        """What may follow ``diff(f, ...)``: a declared scalar, vector or matrix, or an entry."""
        if isinstance(node, ast.Subscript):
            element = self.visit(node)
            if isinstance(element.expr, MatrixElement) and isinstance(element.expr.parent, MatrixSymbol):
                return element.expr
        elif isinstance(node, ast.Name) and node.id in self.table.decls:
            decl = self.table.decls[node.id]
            if decl.kind == "scalar" and decl.of:
                raise _Fail(node, f"cannot differentiate with respect to '{node.id}', which "
                                  f"depends on {', '.join(decl.of)}.",
                            f"Differentiate with respect to {decl.of[0]}, or declare {node.id} "
                            "without of:.")
            if decl.basis is not None:
                raise _Fail(node, f"cannot differentiate with respect to '{node.id}', the "
                                  f"{ordinal(decl.basis)} standard basis vector: it is a constant.",
                            "Differentiate with respect to a vector without basis:.")
            if decl.kind in ("scalar", "vector", "matrix"):
                return self.table.objects[node.id]
            raise _Fail(node, f"cannot differentiate with respect to '{node.id}', which is "
                              f"declared as {'an' if decl.kind == 'index' else 'a'} {decl.kind}.")
        elif isinstance(node, ast.Name):
            self.visit(node)  # raises the unknown-symbol error
        raise _Fail(node, "diff() differentiates with respect to a declared symbol or an entry "
                          "A[i, j] of one, not an expression.",
                    "Introduce a symbol for it, or use the chain rule in a proof.")

    def _order(self, node: ast.AST) -> int:
        if isinstance(node, ast.Constant) and type(node.value) is int and 1 <= node.value <= MAX_DIFF_ORDER:
            return node.value
        raise _Fail(node, f"the order of a derivative must be a whole number from 1 to {MAX_DIFF_ORDER}.")

    def call_integrate(self, node: ast.Call, f: ast.AST, var: ast.AST, *bounds: ast.AST) -> Typed:
        body = self._scalar(f, "the integrand")
        self._not_nested(f, body, Integral, "integral")
        self._not_nested(f, body, Limit, "limit", "an integral")
        if any(s.limits[0][2] is S.Infinity for s in body.atoms(Sum)):
            raise _Fail(f, "an infinite sum inside an integral is not supported.",
                        "Write the series in closed form, or prove the identity in steps.")
        x = self._bound_variable(var, "integrate")
        if bounds:
            low, high = (self._scalar(b, "a bound of integrate()") for b in bounds)
            return Typed(Integral(body, (x, low, high)), None)
        return Typed(Integral(body, x), None)

    def call_sum(self, node: ast.Call, f: ast.AST, var: ast.AST, low: ast.AST, high: ast.AST) -> Typed:
        body = self._scalar(f, "the summand")
        self._not_nested(f, body, Sum, "sum")
        k = self._bound_variable(var, "sum")
        decl = self.table.decls[str(k)]
        if "integer" not in decl.assume:
            raise _Fail(var, f"the summation variable '{k}' must be declared with assume: [integer].")
        bounds = [self._scalar(low, "a bound of sum()"), self._sum_bound(high)]
        infinite = bounds[1] is S.Infinity
        self._not_nested(f, body, Limit, "limit", "an infinite sum" if infinite else "a sum")
        if infinite:  # each term would be a quadrature: too costly to sum to convergence
            self._not_nested(f, body, Integral, "integral", "an infinite sum")
        return Typed(Sum(body, (k, *bounds)), None)

    def _not_nested(self, node: ast.AST, body: Basic, cls: type[Basic], noun: str,
                    outer: str | None = None) -> None:
        """SymPy merges a sum of a sum (an integral of an integral) into one object with two
        ranges, which the verifier does not evaluate: refused here, with its position."""
        if body.has(cls):
            article = "an" if noun[0] in "aeiou" else "a"
            outer = outer or f"{article} {noun}"
            raise _Fail(node, f"{article} {noun} inside {outer} is not supported.",
                        f"Write the inner {noun} in closed form, or prove the identity in steps.")

    # -- limits, infinite sums, factorial and binomial -----------------------------------

    def _is_infinity(self, node: ast.AST) -> int:
        """1 for ``oo``, -1 for ``-oo``, 0 for anything else."""
        if isinstance(node, ast.Name) and node.id == "oo":  # reserved: never a declared symbol
            return 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self._is_infinity(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        return 0

    def _sum_bound(self, node: ast.AST) -> Basic:
        """The upper bound of sum(): a scalar or ``oo`` (an infinite series)."""
        sign = self._is_infinity(node)
        if sign < 0:
            raise _Fail(node, "the upper bound of sum() cannot be -oo.",
                        "Sum from the lower bound up: sum(f, k, a, oo).")
        return S.Infinity if sign else self._scalar(node, "a bound of sum()")

    def call_limit(self, node: ast.Call, f: ast.AST, var: ast.AST, point: ast.AST) -> Typed:
        """``limit(f, x, a)``: the two-sided limit (at ``oo`` or ``-oo``, the only side)."""
        return self._limit(node, f, var, point, "+-")

    def call_limit_right(self, node: ast.Call, f: ast.AST, var: ast.AST, point: ast.AST) -> Typed:
        """``limit_right(f, x, a)``: the limit as x decreases to a (x -> a+)."""
        return self._limit(node, f, var, point, "+")

    def call_limit_left(self, node: ast.Call, f: ast.AST, var: ast.AST, point: ast.AST) -> Typed:
        """``limit_left(f, x, a)``: the limit as x increases to a (x -> a-)."""
        return self._limit(node, f, var, point, "-")

    def _limit(self, node: ast.Call, f: ast.AST, var: ast.AST, point: ast.AST, side: str) -> Typed:
        name = {"+-": "limit", "+": "limit_right", "-": "limit_left"}[side]
        value = self.visit(f)
        if not value.is_scalar:
            raise _Fail(f, f"{name}() takes a scalar, not {describe_shape(value.shape)}.",
                        "Take the limit of one entry, or of a scalar such as a trace.")
        for cls, noun in ((Limit, "limit"), (Integral, "integral")):
            self._not_nested(f, value.expr, cls, noun, "a limit")
        if any(s.limits[0][2] is S.Infinity for s in value.expr.atoms(Sum)):
            raise _Fail(f, "an infinite sum inside a limit is not supported.",
                        "Write the series in closed form, or prove the identity in steps.")
        x = self._bound_variable(var, name)
        sign = self._is_infinity(point)
        integer = "integer" in self.table.decls[str(x)].assume
        if sign:
            if side != "+-":
                raise _Fail(point, f"{name}() approaches a finite point; at {'-' if sign < 0 else ''}oo "
                                   "write limit(f, x, oo).")
            return Typed(Limit(value.expr, x, S.Infinity * sign, "-" if sign > 0 else "+"), None)
        if integer:
            raise _Fail(point, f"'{x}' is declared an integer: the limit of a sequence is taken at oo.",
                        f"Write {name}(f, {x}, oo), or declare {x} without assume: [integer].")
        at = self._scalar(point, f"the point of {name}()")
        if at.has(x):
            raise _Fail(point, f"the point of {name}() cannot depend on '{x}', the variable that "
                               "approaches it.")
        return Typed(Limit(value.expr, x, at, side), None)

    def _whole(self, node: ast.AST, name: str, role: str) -> Basic:
        """A whole-number argument of factorial() or binomial(), bounded when constant."""
        value = self._scalar(node, role)
        if value.is_integer is not True:
            raise _Fail(node, f"{name}() needs a whole-number argument; {_quote(ast.unparse(node), 30)} "
                              "is not known to be one.",
                        "Declare its symbols with assume: [integer] (or [integer, nonnegative]); "
                        "the gamma function of other values is not part of the language.")
        if name == "factorial" and value.is_negative:
            raise _Fail(node, "factorial() of a negative number is not defined.")
        if not value.free_symbols:
            number = _rational_value(value)
            if number is not None and abs(number) > MAX_FACTORIAL_ARGUMENT:
                raise _Fail(node, f"{name}() of {exact_text(number)} is too large to check (the "
                                  f"argument is at most {MAX_FACTORIAL_ARGUMENT}).", _SMALLER)
        return value

    def call_factorial(self, node: ast.Call, arg: ast.AST) -> Typed:
        """``factorial(n)``, n! for a whole number n (undefined, so skipped, where n < 0)."""
        return Typed(factorial(self._whole(arg, "factorial", "the argument of factorial()"),
                               evaluate=False), None)

    def call_binomial(self, node: ast.Call, top: ast.AST, bottom: ast.AST) -> Typed:
        """``binomial(n, k)``, n choose k for whole numbers (0 for k < 0 or k > n >= 0)."""
        n = self._whole(top, "binomial", "the first argument of binomial()")
        k = self._whole(bottom, "binomial", "the second argument of binomial()")
        return Typed(binomial(n, k, evaluate=False), None)

    def _bound_variable(self, node: ast.AST, name: str) -> Symbol:
        if isinstance(node, ast.Name) and node.id in self.table.decls \
                and self.table.decls[node.id].kind == "scalar" and not self.table.decls[node.id].of:
            return self.table.objects[node.id]
        raise _Fail(node, f"the second argument of {name}() must be a declared scalar symbol.")


for _name, _func in _ELEMENTARY.items():
    setattr(_Compiler, "call_" + _name,
            lambda self, node, arg, _f=_func: self._elementary(_f, node))


def _rational_value(expr: Basic) -> Rational | None:
    """The value of a constant built from number literals with + - * / and powers, or None.

    Safe to compute: ``_Compiler.visit`` has bounded the size of its value (``growth``).
    """
    if expr.is_Rational:
        return expr
    parts = [_rational_value(arg) for arg in expr.args]
    if None in parts or not isinstance(expr, (Add, Mul, Pow)):
        return None
    if isinstance(expr, Pow):
        base, exponent = parts
        return base ** exponent if exponent.is_Integer and base != 0 or exponent > 0 else None  # type: ignore[operator,union-attr]  # no None in parts
    return Add(*parts) if isinstance(expr, Add) else Mul(*parts)


def _total_exponent(expr: Basic) -> Basic:
    """The product of the constant exponents of powers nested directly in each other."""
    if isinstance(expr, (Pow, MatPow)) and expr.exp.is_Rational:
        return abs(expr.exp) * _total_exponent(expr.base)
    return Integer(1)


def _terms(expr: Basic, cls: type[Basic], grouped: bool) -> list[Basic]:
    """The terms ``expr`` adds to a sum: all of its own, unless the author grouped it."""
    return [expr] if grouped else _flat(expr, cls)


def _flat(expr: Basic, cls: type[Basic]) -> list[Basic]:
    """The terms of a sum (or factors of a product) to merge, so a+b+c is one Add of three."""
    return list(expr.args) if type(expr) is cls else [expr]
