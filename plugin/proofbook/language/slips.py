"""The commonest slips in an expression, each with the fix to write instead.

Students and authors type what a textbook or another system taught them: ``x^2``, ``2x``,
``ln(x)``, ``A'``, ``|A|``, ``inv A``, ``x²``, ``π``.  Python's parser has its own words for
most of these ("invalid decimal literal", "unterminated string literal"), and some of them
parse as something else (``^`` is XOR, ``2(x)`` a call of 2).  This module recognises them
and says what to write, so that the parser can report a slip as one located message:

* ``character_slip``: a character outside ASCII (``x²``, ``Aᵀ``, ``×``, ``√``, ``π``), checked
  before parsing, since Python would read ``Aᵀ`` as the name ``AT``;
* ``syntax_slip``: for text Python cannot parse, the first slip in it (a prime, bars,
  juxtaposition, ``inv A``, a ``^``);
* ``caret_fix``, ``call_fix``, ``function_guess``, ``symbol_guess``: fixes for slips that do
  parse, used by the compiler where it meets them.
"""

from __future__ import annotations

import difflib
import keyword
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from ..model import SymbolDecl
from ..texmath import GREEK
from .names import CONSTANTS, FUNCTIONS


@dataclass(frozen=True)
class Slip:
    """A slip at ``offset`` (0-based, in the expression's text): what is wrong, and the fix."""

    offset: int
    message: str
    hint: str


#: Names from other notations, and the function of this language each one means.  A name is
#: suggested only when the function exists (``FUNCTIONS`` may grow).
FUNCTION_SYNONYMS = {
    "ln": "log", "Ln": "log", "Log": "log", "Tr": "trace", "tr": "trace", "Trace": "trace",
    "arctan": "atan", "arcsin": "asin", "arccos": "acos", "Det": "det", "determinant": "det",
    "inverse": "inv", "Inv": "inv", "Inverse": "inv", "trans": "transpose", "Transpose": "transpose",
    "integral": "integrate", "int": "integrate", "Integral": "integrate", "Sum": "sum",
    "derivative": "diff", "d": "diff", "D": "diff", "grad": "diff", "gradient": "diff",
    "root": "sqrt", "Abs": "abs", "identity": "eye", "Identity": "eye", "zero": "zeros",
    "tg": "tan",
}
#: What each function synonym means, when the difference matters to a reader.
_MEANING = {"log": "the natural logarithm", "E": "Euler's number", "pi": "the constant π"}
#: Methods of other libraries (``A.inv()``, ``A.det``) and the function each one is here.
METHODS = {"I": "inv", "inv": "inv", "inverse": "inv", "det": "det", "trace": "trace", "tr": "trace",
           "transpose": "transpose", "t": "transpose"}
#: What to write for a TeX command typed into an expression.
_TEX_FIXES = {
    "frac": "Write a/b for a quotient.", "sqrt": "Write sqrt(x) for a square root.",
    "cdot": "Write * for a product.", "times": "Write * for a product.", "ln": "Write log(x).",
    "log": "Write log(x).", "det": "Write det(A).", "operatorname": "Write trace(A), det(A), ...",
    "partial": "Write diff(f, x) for a derivative.", "pi": "Write pi.", "top": "Write A.T for the transpose.",
}
#: Names from other notations for the constants.
SYMBOL_SYNONYMS = {"e": "E", "Pi": "pi", "PI": "pi", "inf": "oo", "infinity": "oo", "Inf": "oo"}

#: Unicode superscripts, as the ASCII they stand for.
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺⁽⁾ⁿ", "0123456789-+()n"))
_TRANSPOSES = "ᵀ⊤ᵗ"
_PRODUCTS = "×·⋅∗•✕"
_MINUSES = "−–—"
_PRIMES = "′’‘`"
_SPACES = "\u00a0\u2009\u202f\u2002\u2003"


def character_slip(text: str) -> Slip | None:
    """The first character outside ASCII (comments aside), with what to write instead.

    Names and operators are ASCII; Python would accept some Unicode letters and normalise them
    (``Aᵀ`` is the name ``AT``), so every other character is refused here, before parsing."""
    for offset, char in _code_characters(text):
        if char.isascii():
            continue
        return Slip(offset, f"the character '{char}' cannot appear in an expression.",
                    _character_fix(text, offset))
    return None


def _code_characters(text: str) -> Iterable[tuple[int, str]]:
    """Every character of ``text`` outside a ``#`` comment, with its offset."""
    in_comment = False
    for offset, char in enumerate(text):
        if char in "\r\n":
            in_comment = False
        elif char == "#":
            in_comment = True
        if not in_comment:
            yield offset, char


def _character_fix(text: str, offset: int) -> str:
    char = text[offset]
    before = _operand_before(text, offset)
    if char in _SUPERSCRIPTS:
        run = re.match(f"[{''.join(_SUPERSCRIPTS)}]+", text[offset:])
        exponent = "".join(_SUPERSCRIPTS[c] for c in run.group()) if run else "2"
        if exponent == "-1" and before:
            return f"Powers are written with **: write {before}**-1 or inv({before})."
        return f"Powers are written with **: write {before or 'x'}**{_grouped(exponent)}."
    if char in _TRANSPOSES:
        return f"The transpose is written .T: write {_atom(before or 'A')}.T."
    if char in _PRODUCTS:
        after = re.match(r"\s*(\w+|\()", text[offset + 1:])
        example = f"{before}*{after.group(1)}" if before and after else "A*B or 2*x"
        return f"Every product is written with *: write {example}."
    if char in _MINUSES:
        return "Write the minus sign as the ASCII hyphen -."
    if char in _PRIMES:
        return _prime_fix(before or "A", None)
    if char in _SPACES:
        return "Use an ordinary space."
    if unicodedata.numeric(char, None) is not None and not char.isdigit():
        value = Fraction(unicodedata.numeric(char)).limit_denominator(1000)
        return f"Write the number as {value.numerator}/{value.denominator}." if value.denominator != 1 \
            else f"Write the number as {value.numerator}."
    if char == "√":
        return "Write sqrt(x) for a square root."
    if char == "÷":
        return "Write / for a quotient."
    if char == "∞":
        return "Write oo for infinity." if "oo" in CONSTANTS else "Infinity is not part of the language."
    if char in "∂∇":
        return "Write diff(f, x) for a derivative."
    if char == "∑":
        return "Write sum(f, k, a, b) for a sum."
    if char == "∫":
        return "Write integrate(f, x) or integrate(f, x, a, b) for an integral."
    if char in "‖|":
        return _bars_fix(None, {})
    name = unicodedata.name(char, "")
    greek = re.fullmatch(r"GREEK (SMALL|CAPITAL) LETTER (\w+)", name)
    if greek:
        word = greek.group(2).lower() if greek.group(1) == "SMALL" else greek.group(2).capitalize()
        if word == "pi":
            return "Write pi for the constant π."
        return (f"Greek letters are spelled out: declare {_ascii_name(word)} under 'symbols:' (with "
                f"latex: '\\{word}' if it must print otherwise) and write {_ascii_name(word)}.")
    return f"Expressions are written in ASCII ({name.title() or f'U+{ord(char):04X}'} is not)."


def _ascii_name(word: str) -> str:
    """A Greek letter's name as a symbol may be called: 'lambda' is a keyword, so 'lam'."""
    return "lam" if word == "lambda" else word


def _grouped(text: str) -> str:
    return text if re.fullmatch(r"-?\w+", text) else f"({text})"


def _atom(text: str) -> str:
    """``text`` as an operand of a postfix ``.T``: parenthesized unless it is one name or call."""
    return text if re.fullmatch(r"[A-Za-z_]\w*(\(.*\))?|\(.*\)", text) else f"({text})"


def _operand_before(text: str, offset: int) -> str:
    """The name, number or parenthesized group that ends just before ``offset``."""
    head = text[:offset].rstrip()
    if head.endswith(")"):
        start = _matching_open(head, len(head) - 1)
        if start is not None:
            name = re.search(r"[A-Za-z_]\w*$", head[:start])
            return head[name.start() if name else start:]
    found = re.search(r"[A-Za-z_]\w*(\.T)*$|(?:\d+\.?\d*|\.\d+)$", head)
    return found.group() if found else ""


def _matching_open(text: str, close: int) -> int | None:
    depth = 0
    for k in range(close, -1, -1):
        depth += {")": 1, "(": -1}.get(text[k], 0)
        if depth == 0:
            return k
    return None


# -- text Python cannot parse ------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<number>(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[jJ]?)
  | (?P<name>[A-Za-z_]\w*)
  | (?P<space>[ \t]+)
  | (?P<newline>\r\n|\r|\n)
  | (?P<comment>\#[^\r\n]*)
  | (?P<op>\*\*|.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    offset: int


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.lastgroup or "op", m.group(), m.start()) for m in _TOKEN.finditer(text)
            if m.lastgroup != "comment"]


def syntax_slip(text: str, decls: Mapping[str, SymbolDecl]) -> Slip | None:
    """For text Python cannot parse: the first slip in it, or None when there is none.

    ``decls`` are the entry's declarations, so that a prime after a matrix means a transpose,
    after a function a derivative, and bars around a matrix a determinant."""
    tokens = [t for t in _tokens(text) if t.kind != "newline"]
    calls: list[bool] = []  # for each open bracket: does it hold arguments (of a call, or indices)?
    for k, token in enumerate(tokens):
        before = tokens[k - 1] if k else None
        after = tokens[k + 1] if k + 1 < len(tokens) else None
        if token.text == "(":
            calls.append(before is not None and before.kind == "name" and not keyword.iskeyword(before.text))
        elif token.text == "[":
            calls.append(True)
        elif token.text in ")]" and calls:
            calls.pop()
        slip = _slip_at(text, tokens, k, before, after, decls, bool(calls and calls[-1]))
        if slip is not None:
            return slip
    return None


def _slip_at(text: str, tokens: list[_Token], k: int, before: _Token | None, after: _Token | None,
             decls: Mapping[str, SymbolDecl], in_call: bool) -> Slip | None:
    token = tokens[k]
    ends_operand = before is not None and (before.kind in ("name", "number") or before.text in ")]")
    operand = _operand_before(text, token.offset) if token.text in "'\"" and ends_operand else ""
    if operand:
        return Slip(token.offset, f"a prime ({operand}{token.text}) is not part of the language.",
                    _prime_fix(operand, decls.get(operand)))
    if token.text == "|":
        close = text.find("|", token.offset + 1)
        inner = text[token.offset + 1:close].strip() if close > 0 else None
        return Slip(token.offset, "bars |...| are not part of the language.", _bars_fix(inner, decls))
    if token.text == "\\":
        command = re.match(r"\\([A-Za-z]+)", text[token.offset:])
        name = command.group(1) if command else ""
        greek = f"Greek letters are spelled out: write {_ascii_name(name)} (declared under 'symbols:')."
        return Slip(token.offset, f"'{command.group() if command else chr(92)}' is TeX, not part of the language.",
                    greek if name in GREEK and name != "pi" else _TEX_FIXES.get(name, (
                        "Write the expression in this language, e.g. sqrt(x), x/y, A.T; a symbol's TeX "
                        "goes in its latex: declaration.")))
    if token.text == "{":
        return Slip(token.offset, "braces { } do not group in an expression.", "Use parentheses ( ).")
    if token.text == "=" and not (before and before.text in "=<>!") and not (after and after.text == "="):
        return Slip(token.offset, "an expression has no '='.",
                    "Put the two sides in lhs: and rhs: (or the items of chain:).")
    if token.text == "^":
        return Slip(token.offset, "'^' is not a power.", caret_fix(
            _operand_before(text, token.offset) or "x", _operand_after(text, token.offset), decls))
    if token.kind == "space" and before is not None and after is not None:
        return _juxtaposed(text, before, after, decls, in_call)
    glued = before is not None and (before.kind == "number" or before.text in ")]")
    if before is not None and glued and (token.kind in ("name", "number") or token.text == "(") and not keyword.iskeyword(token.text):
        return _product_slip(text, before, token, in_call)
    return None


_EXPONENT = re.compile(r"\s*(\{[^{}]*\}|\([^()]*\)|[+-]?\s*(?:\w+|\.\d+))")


def _operand_after(text: str, offset: int) -> str:
    """The exponent written after a ``^`` at ``offset``: a group, or a signed name or number."""
    found = _EXPONENT.match(text, offset + 1)
    return found.group(1).replace(" ", "") if found else "2"


def _juxtaposed(text: str, before: _Token, after: _Token, decls: Mapping[str, SymbolDecl],
                in_call: bool) -> Slip | None:
    """``x y``, ``2 x``, ``inv A``, ``ln x``: two operands with only a space between them."""
    operand_kinds = ("name", "number")
    if before.kind not in operand_kinds and before.text not in ")]":
        return None
    if after.kind not in operand_kinds or any(keyword.iskeyword(t.text) for t in (before, after)):
        return None
    function = before.text if before.kind == "name" and before.text not in decls else None
    target = function and (function if function in FUNCTIONS else _synonym(function))
    if target:
        return Slip(before.offset, f"'{function} {after.text}': the argument of a function goes in "
                    "parentheses.", f"Write {target}({after.text}).")
    return _product_slip(text, before, after, in_call)


def _product_slip(text: str, left: _Token, right: _Token, in_call: bool) -> Slip | None:
    """Two operands side by side; None when the left one is no operand (a ``)`` that closes
    nothing), so that the parser's own message stands."""
    end = left.offset + len(left.text)
    operand = _operand_before(text, end)
    if not operand:
        return None
    following = right.text
    if following == "(":
        close = _matching_close(text, right.offset)
        following = text[right.offset:close + 1] if close is not None else "(...)"
    start = end - len(operand)
    written = " ".join(text[start:right.offset + len(following)].split())
    comma = f" (or {operand}, {following} if a comma is missing between arguments)" if in_call else ""
    return Slip(start, f"'{written}' has no operator: implicit multiplication is not allowed.",
                f"Write {operand}*{following} for a product{comma}.")


def _matching_close(text: str, opening: int) -> int | None:
    depth = 0
    for k in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[k], 0)
        if depth == 0:
            return k
    return None


def _prime_fix(operand: str, decl: SymbolDecl | None) -> str:
    if decl is not None and decl.of and decl.kind in ("scalar", "function"):
        return f"Write diff({operand}, {decl.of[0]}) for the derivative."
    if decl is not None and decl.kind == "scalar":
        return f"A scalar has no transpose; write diff(f, {operand}) for a derivative by {operand}."
    return f"Write {_atom(operand)}.T for the transpose, or diff(f, x) for a derivative."


def _bars_fix(inner: str | None, decls: Mapping[str, SymbolDecl]) -> str:
    """The fix for bars around ``inner``: a determinant of a matrix, an absolute value of a scalar."""
    kind = decls[inner].kind if inner is not None and inner in decls else None
    if kind == "matrix":
        return f"Write det({inner}) for a determinant (abs(x) is the absolute value of a scalar)."
    if kind == "scalar":
        return f"Write abs({inner}) for an absolute value (det(A) is the determinant of a matrix)."
    arg = inner or "A"
    return f"Write det({arg}) for a determinant or abs({arg}) for an absolute value."


# -- slips that parse ---------------------------------------------------------------------------

def caret_fix(base: str, exponent: str, decls: Mapping[str, SymbolDecl]) -> str:
    """What to write for ``base^exponent``: a power, a transpose, an inverse or exp(); ``sin^2(x)``
    is ``sin(x)**2``.  A ``^`` inside either side is a power too."""
    base, exponent = base.replace("^", "**"), exponent.replace("^", "**")
    applied = re.fullmatch(r"(\w+)\((.*)\)", exponent)
    if base in FUNCTIONS and applied:
        return f"Powers are written with **: write {base}({applied.group(2)})**{applied.group(1)}."
    bare = exponent.strip("{}() ")
    if bare in ("T", "\\top", "\\intercal"):
        return f"The transpose is written .T: write {_atom(base)}.T."
    scalar = base in decls and decls[base].kind == "scalar"
    if bare == "-1" and not scalar and base not in CONSTANTS:
        return f"Powers are written with **: write {base}**-1, or inv({unwrapped(base)}) for an inverse."
    if base == "e" and "e" not in decls:
        return f"Powers are written with **, and Euler's number is E: write exp({unwrapped(exponent)})."
    braces = exponent.startswith("{") and exponent.endswith("}")
    power = _grouped(exponent[1:-1]) if braces else exponent
    return f"Powers are written with **: write {base}**{power}."


def unwrapped(text: str) -> str:
    """``text`` without one pair of enclosing parentheses or braces."""
    if len(text) > 1 and text[0] + text[-1] in ("()", "{}") and _matching_open(text, len(text) - 1) == 0:
        return text[1:-1]
    return text


def call_fix(segment: str) -> str | None:
    """``2(x + 1)`` or ``(a + b)(a - b)`` (a "call" of a number or an expression) with the
    missing ``*``: the segment split before its last parenthesized group."""
    if not segment.endswith(")"):
        return None
    start = _matching_open(segment, len(segment) - 1)
    if not start:
        return None
    return f"{segment[:start].rstrip()}*{segment[start:]}"


def _synonym(name: str) -> str | None:
    """The function of this language that another notation's ``name`` means, if it exists."""
    for candidate in (FUNCTION_SYNONYMS.get(name), name.lower()):
        if candidate is not None and candidate != name and candidate in FUNCTIONS:
            return candidate
    return None


def logarithm_base(name: str) -> str | None:
    """The base of ``log2``, ``log_10``, ``lg``: log is the natural logarithm only."""
    found = re.fullmatch(r"log_?(\d+)|(lg)", name)
    return None if found is None else found.group(1) or "10"


def function_guess(name: str, declared: Iterable[str]) -> str | None:
    """The function ``name`` most likely means: a known synonym, else the closest name
    (difflib) among the language's functions and the entry's declared ones."""
    return _synonym(name) or _closest(name, [*FUNCTIONS, *declared])


def symbol_guess(name: str, known: Iterable[str]) -> str | None:
    """The symbol or constant ``name`` most likely means (``e`` is ``E``)."""
    synonym = SYMBOL_SYNONYMS.get(name)
    if synonym is not None and synonym in CONSTANTS:
        return synonym
    return _closest(name, [*known, *CONSTANTS])


def product_split(name: str, known: Iterable[str]) -> str | None:
    """``xy`` as ``x*y`` when it is two or more declared names written together, else None."""
    names = sorted(set(known), key=len, reverse=True)
    best: dict[int, list[str]] = {0: []}
    for end in range(1, len(name) + 1):
        for part in names:
            start = end - len(part)
            if start in best and name[start:end] == part and end not in best:
                best[end] = [*best[start], part]
    parts = best.get(len(name))
    return "*".join(parts) if parts and len(parts) > 1 else None


def meaning(name: str) -> str:
    """A sentence start saying what ``name`` is, where readers of other notations may doubt
    it ("log is the natural logarithm: "), else nothing."""
    return f"{name} is {_MEANING[name]}: " if name in _MEANING else ""


def _closest(name: str, options: list[str]) -> str | None:
    return next(iter(difflib.get_close_matches(name, options, n=1, cutoff=0.6)), None)
