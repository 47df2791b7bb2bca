r"""Math from registry notes, let into the LaTeX export only when it can do nothing but typeset.

A note is untrusted text, and TeX is a programming language with files: ``\input`` reads
them, ``\openout`` and ``\write`` write them, ``\catcode`` and ``^^5c`` re-spell everything
after them, ``\csname input\endcsname`` builds a forbidden name from letters.  So math from a
note is not escaped by looking for the bad commands; it is read token by token, as TeX would
read it, and passes only if every token is on an allow-list:

* control words from ``COMMANDS`` (typesetting only: symbols, fonts, fractions, delimiters;
  ``\begin``/``\end`` only with an environment from ``ENVIRONMENTS``), and a few control symbols
  (spacing, escaped braces and specials);
* letters, digits, spaces and the ASCII punctuation of formulas; ``&`` and ``\\`` only inside
  an allowed environment; Greek letters and math symbols typed in Unicode, spelled as commands;
* braces that balance, never closing a group the formula did not open.

Everything else (``%`` comments, ``#``, ``~`` and other active characters, ``$``, ``^^``,
other Unicode, control characters) fails the formula, and the export prints it as text.
Formulas that proofbook's own printer writes from checked expressions do not come here: they
are trusted.

The display name a symbol declares (``latex: '\sigma^2'``) is read by the same reader with a
smaller vocabulary, ``NAME``: letters, digits, primes, sub- and superscripts, Greek letters and
accents (``safe_name``), since a name must read as one symbol, not as a formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu "
         "xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta "
         "Lambda Xi Pi Sigma Upsilon Phi Psi Omega").split()
#: Control words a note's math may use: all typeset, none reads, writes, defines or re-spells.
COMMANDS = frozenset(GREEK + """
    partial nabla infty ell hbar Re Im aleph emptyset varnothing forall exists nexists neg lnot
    sum prod coprod int iint iiint oint bigcup bigcap bigoplus bigotimes
    lim limsup liminf max min sup inf det exp log ln lg sin cos tan cot sec csc sinh cosh tanh
    coth arcsin arccos arctan arg deg dim ker hom gcd Pr mod bmod pmod
    cdot cdots ldots dots vdots ddots times div pm mp circ bullet otimes oplus odot ominus ast star
    setminus wedge vee cap cup sqcup land lor dagger
    le leq ge geq ne neq approx equiv sim simeq cong propto ll gg prec succ preceq succeq
    to rightarrow leftarrow longrightarrow longleftarrow Rightarrow Leftarrow Longrightarrow
    leftrightarrow Leftrightarrow iff implies impliedby mapsto uparrow downarrow
    in notin ni subset subseteq supset supseteq subsetneq supsetneq mid nmid parallel perp top bot
    vdash models prime
    langle rangle lceil rceil lfloor rfloor lvert rvert lVert rVert vert Vert backslash
    left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr
    frac dfrac tfrac binom dbinom tbinom sqrt
    mathbf mathrm mathit mathsf mathtt mathcal mathbb mathfrak boldsymbol text textrm textit textbf
    operatorname mathop mathrel mathbin mathord limits nolimits displaystyle textstyle scriptstyle
    hat widehat tilde widetilde bar overline underline vec dot ddot acute grave breve check
    overbrace underbrace overrightarrow overleftarrow stackrel overset underset
    quad qquad intercal
    begin end
""".split())
#: Environments that ``\begin`` may open: matrices and aligned lines, all inside math.
ENVIRONMENTS = frozenset("matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix cases aligned "
                         "gathered".split())
#: Commands that need an argument, so they may neither end a formula nor precede ``}``.
_TAKES_ARGUMENT = frozenset("""frac dfrac tfrac binom dbinom tbinom sqrt mathbf mathrm mathit mathsf
    mathtt mathcal mathbb mathfrak boldsymbol text textrm textit textbf operatorname mathop mathrel
    mathbin mathord hat widehat tilde widetilde bar overline underline vec dot ddot acute grave breve
    check overbrace underbrace overrightarrow overleftarrow stackrel overset underset left right middle
    big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr""".split())
#: Commands that need two arguments.
_TWO_ARGUMENTS = frozenset("frac dfrac tfrac binom dbinom tbinom stackrel overset underset".split())
#: Tokens that cannot be an argument: they close or separate something.
_NOT_ARGUMENTS = frozenset({"}", "&", "\\\\", "^", "_"})
#: Control symbols: spacing, and the specials and braces as characters.
SYMBOLS = frozenset({"\\,", "\\;", "\\:", "\\!", "\\ ", "\\{", "\\}", "\\|", "\\%", "\\&", "\\#",
                     "\\_", "\\$"})
#: Characters that stand for themselves in math.
_PLAIN = re.compile(r"[A-Za-z0-9 +\-*/=<>()\[\].,;:!?'|^_]+")
#: Unicode a note may type, as the command it means.
UNICODE = {
    **dict(zip("αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΥΦΨΩ",
               ("alpha beta gamma delta varepsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma "
                "tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega").split())),
    "∂": "partial", "∇": "nabla", "∑": "sum", "∏": "prod", "∫": "int", "∞": "infty", "∈": "in",
    "∉": "notin", "≤": "leq", "≥": "geq", "≠": "neq", "≈": "approx", "≡": "equiv", "→": "to",
    "←": "leftarrow", "⇒": "Rightarrow", "⇔": "Leftrightarrow", "×": "times", "·": "cdot",
    "⋅": "cdot", "±": "pm", "⊗": "otimes", "⊕": "oplus", "∘": "circ", "⊂": "subset", "⊆": "subseteq",
    "∪": "cup", "∩": "cap", "∀": "forall", "∃": "exists", "…": "ldots", "⋯": "cdots", "√": "sqrt",
    "−": None, "′": None,
}
_UNICODE_PLAIN = {"−": "-", "′": "'"}

#: Control words a display name may use: letters, fonts and accents.
NAME_COMMANDS = frozenset(GREEK + """
    mathbf mathrm mathit mathsf mathcal mathbb mathfrak boldsymbol
    hat widehat bar overline tilde widetilde vec dot ddot check breve acute grave
    prime ell hbar star ast dagger
""".split())
#: The longest display name, in characters of its declaration.
MAX_NAME_CHARS = 40


@dataclass(frozen=True)
class Vocabulary:
    """What a formula may contain: control words, control symbols and plain characters."""

    commands: frozenset[str]
    symbols: frozenset[str]
    plain: re.Pattern[str]


#: Math in notes.
NOTE = Vocabulary(COMMANDS, SYMBOLS, _PLAIN)
#: A symbol's display name.
NAME = Vocabulary(NAME_COMMANDS, frozenset(), re.compile(r"[A-Za-z0-9 '^_]+"))

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\\\Z|\^\^|[{}]|&|\s+|[A-Za-z]+|.", re.DOTALL)


class _Unsafe(Exception):
    """The formula uses something outside the allow-list."""


def safe_math(math: str) -> str | None:
    r"""The body of ``$...$`` from a note, re-spelled from allowed tokens only; None if it has
    anything else (the caller then prints it as text).  ``\alpha`` and friends typed as Unicode
    come out as commands, in braces, so that ``αb`` cannot become ``\alphab``."""
    try:
        return "".join(_Reader(math, NOTE).read())
    except _Unsafe:
        return None


def safe_name(tex: str) -> str | None:
    r"""A symbol's display name (``\sigma^2``, ``\hat{\beta}_1``, ``x'``) re-spelled from the
    ``NAME`` vocabulary, or None if it uses anything else, is empty or longer than
    ``MAX_NAME_CHARS``: no macros, no files, no operators that would make a name read as a formula."""
    if len(tex) > MAX_NAME_CHARS or not tex.strip():
        return None
    try:
        return "".join(_Reader(tex, NAME).read()).strip()
    except _Unsafe:
        return None


class _Reader:
    """One pass over a formula's tokens, with the state the allow-list depends on."""

    def __init__(self, math: str, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.tokens = _TOKEN.findall(math)
        self.position = 0
        self.depth = 0
        self.environments: list[str] = []
        self.delimiters = 0

    def read(self) -> list[str]:
        out: list[str] = []
        while self.position < len(self.tokens):
            token = self.tokens[self.position]
            self.position += 1
            out.append(self._token(token))
        if self.depth or self.environments or self.delimiters:
            raise _Unsafe("unbalanced")
        return out

    def _token(self, token: str) -> str:
        if token[0] == "\\" and token[1:].isalpha():
            return self._command(token[1:])
        if token.startswith("\\"):
            if token == "\\\\" and self.environments:
                return token
            if token in self.vocabulary.symbols:
                return token
            raise _Unsafe(token)
        if token == "{":
            self.depth += 1
            return token
        if token == "}":
            if self.depth == 0:
                raise _Unsafe("a } that closes nothing")
            self.depth -= 1
            return token
        if token == "&" and self.environments:
            return token
        if token.isspace():
            return " "
        if token == "^^":  # TeX reads ^^5c as a backslash, ^^M as a line end
            raise _Unsafe(token)
        if token in ("^", "_") and not self._has_arguments(1):
            raise _Unsafe(f"{token} without its argument")
        if self.vocabulary.plain.fullmatch(token):
            return token
        return self._unicode(token)

    def _command(self, name: str) -> str:
        if name not in self.vocabulary.commands:
            raise _Unsafe(name)
        if name in ("begin", "end"):
            return self._environment(name)
        if name == "left":
            self.delimiters += 1
        elif name == "right":
            self.delimiters -= 1
            if self.delimiters < 0:
                raise _Unsafe("\\right without \\left")
        needed = 2 if name in _TWO_ARGUMENTS else 1 if name in _TAKES_ARGUMENT else 0
        if needed and not self._has_arguments(needed):
            raise _Unsafe(f"\\{name} without its arguments")
        return f"\\{name}"

    def _environment(self, command: str) -> str:
        """``\\begin{pmatrix}``: the braces and the name are read here, as one unit."""
        parts = self.tokens[self.position:self.position + 3]
        if len(parts) < 3 or parts[0] != "{" or parts[2] != "}" or parts[1] not in ENVIRONMENTS:
            raise _Unsafe(f"\\{command} of an environment that is not allowed")
        self.position += 3
        if command == "begin":
            self.environments.append(parts[1])
        elif not self.environments or self.environments.pop() != parts[1]:
            raise _Unsafe("\\end without its \\begin")
        return f"\\{command}{{{parts[1]}}}"

    def _has_arguments(self, count: int) -> bool:
        """Whether ``count`` arguments follow: each a ``{...}`` group or one token, not a closing
        one.  A formula that would stop pdflatex with "Missing { inserted" fails here instead."""
        position = self.position
        while count > 0:
            while position < len(self.tokens) and self.tokens[position].isspace():
                position += 1
            if position >= len(self.tokens) or self.tokens[position] in _NOT_ARGUMENTS:
                return False
            token = self.tokens[position]
            if token == "{":
                depth = 0
                for end in range(position, len(self.tokens)):
                    depth += {"{": 1, "}": -1}.get(self.tokens[end], 0)
                    if depth == 0:
                        break
                position = end
            count -= len(token) if token.isalpha() and token.isascii() else 1  # "ab": two letters, two arguments
            position += 1
        return True

    def _unicode(self, char: str) -> str:
        if char in _UNICODE_PLAIN:
            return _UNICODE_PLAIN[char]
        name = UNICODE.get(char)
        if name is None or name not in self.vocabulary.commands:
            raise _Unsafe(char)
        return f"{{\\{name}}}"
