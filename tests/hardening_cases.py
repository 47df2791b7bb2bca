"""Bad registries for tests/test_hardening.py: one row per attack or mistake, and what the user reads.

Every row is a registry folder (``registry/``, next to ``MARKER``) that a real entry point must
refuse with exactly one short problem.  ``files`` maps a file name below ``registry/`` to its
text (bytes are written as they are); ``{}`` leaves the folder empty, ``None`` creates no folder.
The expected problem is ``<where>: entry '<id>': <message>...``, where ``<where>`` is
``registry/<file>:<line>:<column>`` (line and column where the error knows them) and the entry
part is there when ``entry`` is.  The first case to compile needs SymPy; none starts the verifier
except ``proof-cycle`` (check_registry still verifies the claims of entries in a cycle).

Also whole registries for the other tests, and a task function for the pool: workers import it
by name (tests/ is on sys.path), so it can stand in for ``verify_task``, whose monkeypatched
value a worker would never see.
"""

from __future__ import annotations

import json
import os
import signal
from dataclasses import dataclass
from typing import Any

#: Three lines; the first entry of a file therefore starts on line 4.
HEAD = "chapter: Hardening\nsource: A test\nentries:\n"
#: A valid entry body after "  - id: e1\n" (lines 5-7).
BODY = "    title: T\n    lhs: x\n    rhs: x\n"
#: The file the cases write when they need only one.
FILE = "01-bad.yml"
#: What an injection would create in the working directory (the test's tmp_path).
MARKER = "MARKER"


def e1(body: str = BODY, extra: str = "") -> str:
    """A file whose entry e1 starts on line 4: ``body`` from line 5, then ``extra``."""
    return HEAD + "  - id: e1\n" + body + extra


def expr(lhs: str, symbols: str = "{x: scalar}", rhs: str = "x") -> str:
    """An identity e1 with ``lhs`` (double-quoted, on line 7, text from column 11) = ``rhs``."""
    escaped = lhs.replace("\\", "\\\\").replace('"', '\\"')
    return e1(f"    title: T\n    symbols: {symbols}\n    lhs: \"{escaped}\"\n    rhs: {rhs}\n")


MATRICES = "{A: {kind: matrix, size: n}, M: {kind: matrix, size: [m, n]}, a: {kind: vector, size: n}}"


@dataclass(frozen=True)
class Case:
    """One bad input: files, the problem it must give, and whether a site build tries it too."""

    name: str
    files: dict[str, str | bytes] | None
    message: str
    file: str | None = FILE  # below registry/; None: the registry folder itself
    line: int | None = None
    column: int | None = None
    entry: str | None = None
    site: bool = False  # also through ``mkdocs build`` (cheap: stops before any verification)
    fast: bool = False  # a resource attack: must be refused in under 2 s

    @property
    def where(self) -> str:
        """The location as messages print it."""
        path = "registry" if self.file is None else f"registry/{self.file}"
        return ":".join([path, *(str(n) for n in (self.line, self.column) if n is not None)])

    @property
    def prefix(self) -> str:
        """How the one problem starts: location, entry, message."""
        entry = f"entry '{self.entry}': " if self.entry else ""
        return f"{self.where}: {entry}{self.message}"


def case(name: str, files: Any, message: str, line: int | None = None, column: int | None = None,
         entry: str | None = None, **flags: Any) -> Case:
    """A row whose files are one text, or a dict of them, or None (no registry folder)."""
    if isinstance(files, (str, bytes)):
        files = {FILE: files}
    return Case(name, files, message, line=line, column=column, entry=entry, **flags)


def billion_laughs() -> str:
    """Nine levels of nine aliases: about 10**9 'lol's if a loader expanded them."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}" + f",*{chr(97 + i)}" * 8 + "]"
              for i in range(8)]
    return "\n".join(lines) + "\n"


def nested(levels: int) -> str:
    """``sin(sin(...(x)...))``, ``levels`` calls deep."""
    return "sin(" * levels + "x" + ")" * levels


def cycle() -> str:
    """Two entries whose proofs cite each other (e1 on line 4, e2 on line 11)."""
    def entry(ident: str, other: str) -> str:
        return (f"  - id: {ident}\n    title: T\n    symbols: {{x: scalar}}\n    lhs: x\n    rhs: x\n"
                f"    proof:\n      - {{step: x, by: {other}}}\n")
    return HEAD + entry("e1", "e2") + entry("e2", "e1")


INJECT = f"touch {MARKER}"
ID_RULE = "use lowercase letters, digits and single hyphens"

#: The catalogue.  Load errors stop before SymPy; compile errors before any worker starts.
CASES = [
    # --- the file and the folder ------------------------------------------------------------------
    # malformed YAML: a second ': ' on a line; one line with PyYAML's problem and position
    case("yaml-malformed", e1("    title: a: b\n"),
         "invalid YAML: mapping values are not allowed here.", 5, 13, site=True),
    # Latin-1 bytes: the byte, its offset, line and column, before YAML sees it
    case("not-utf8", HEAD.encode() + "  - id: e1\n    title: Caf\xe9\n".encode("latin-1"),
         "the file is not UTF-8 text: byte 0xe9 at byte offset 68 is not valid UTF-8.", 5, 15,
         site=True),
    # an empty chapter file
    case("empty-file", "", "the file is empty.", 1, 1, site=True),
    # a registry folder without any .yml file
    case("empty-folder", {}, "the registry folder has no .yml or .yaml files.", file=None, site=True),
    # a registry path that does not exist
    case("missing-path", None, "no such file or folder.", file=None, site=True),
    # aliases nested nine deep ("billion laughs"): refused at the first anchor, nothing expanded
    case("billion-laughs", billion_laughs(),
         "YAML anchors and aliases (&name, *name) are not allowed.", 1, 4, site=True, fast=True),
    # a YAML tag that would call os.system under yaml.unsafe_load
    case("yaml-python-tag", e1(extra="    tags: !!python/object/apply:os.system ['" + INJECT + "']\n"),
         "the YAML tag '!!python/object/apply:os.system' is not allowed.", 8, 11, "e1"),
    # --- the schema -------------------------------------------------------------------------------
    # a required field is missing (the entry is named, its line given)
    case("missing-title", e1("    lhs: x\n    rhs: x\n"), "missing 'title'.", 4, 5, "e1"),
    # a typo: one did-you-mean, no second "missing 'title'"
    case("typo-titel", e1("    titel: T\n    lhs: x\n    rhs: x\n"),
         "unknown field 'titel' (did you mean 'title'?)", 5, 5, "e1", site=True),
    # a value of the wrong type
    case("wrong-type", e1(extra="    tags: 5\n"),
         "'tags' must be a list of strings, not a number.", 8, 11, "e1"),
    # the same id twice in one file: the second names the first
    case("duplicate-id-in-file", HEAD + "  - id: e1\n" + BODY + "  - id: e1\n" + BODY,
         "duplicate id 'e1': it is already used at registry/01-bad.yml:4:5.", 8, 5, "e1"),
    # the same id in two files
    case("duplicate-id-across-files", {"01-a.yml": e1(), "02-b.yml": e1()},
         "duplicate id 'e1': it is already used at registry/01-a.yml:4:5.", 4, 5, "e1",
         file="02-b.yml", site=True),
    # an id that is not a slug suggests one
    case("invalid-slug-id", HEAD + "  - id: Trace AB\n" + BODY,
         f"'Trace AB' is not a valid id: {ID_RULE}, e.g. 'trace-ab'.", 4, 9, "Trace AB"),
    # a 1 MB expression: refused by length, never echoed
    case("one-megabyte-string", e1("    title: T\n    lhs: '" + "x" * 1_000_000 + "'\n    rhs: x\n"),
         "'lhs' is too long (1,000,000 characters; the limit is 2,000).", 6, 10, "e1", fast=True),
    # a 10000 x 10000 matrix (size: n is square): refused before anything is allocated;
    # size: [10000, 10000] gives this problem once
    case("matrix-10000", e1(extra="    symbols:\n      A: {kind: matrix, size: 10000}\n"),
         "size 10000 is too large: a fixed size must be at most 12.", 9, 31, "e1", fast=True),
    # a proof on a definition
    case("proof-on-definition", e1(extra="    kind: definition\n    proof:\n"
                                         "      - {step: x, rule: algebra}\n"),
         "a definition has no proof.", 9, 5, "e1"),
    # a proof citing an id that no entry has
    case("unknown-citation", e1(extra="    proof:\n      - {step: x, by: nope}\n"),
         "proof step 1 cites 'nope', which is not the id of any entry.", 9, 23, "e1", site=True),
    # --- expressions (compiled, never evaluated) --------------------------------------------------
    # an undeclared symbol
    case("unknown-symbol", expr("x + D"), "unknown symbol 'D'.", 7, 15, "e1", site=True),
    # a function the language does not have
    case("unknown-function", expr("foo(x)"), "unknown function 'foo'.", 7, 11, "e1"),
    # the commonest slips, located at the slip, with the fix (more in test_language_hints.py)
    case("slip-caret", expr("x^2"), "'^' is not a power. Powers are written with **: write x**2.", 7, 11, "e1"),
    case("slip-implicit-product", expr("cos(2x)"), "'2x' has no operator: implicit multiplication is "
         "not allowed.", 7, 15, "e1"),
    case("slip-prime", expr("a'", MATRICES, "a"), "a prime (a') is not part of the language.", 7, 12, "e1"),
    case("slip-superscript", expr("x²"), "the character '²' cannot appear in an expression.", 7, 12, "e1"),
    case("slip-ln", expr("ln(x)"), "unknown function 'ln' (did you mean log?).",
         7, 11, "e1"),
    # a known function with the wrong number of arguments
    case("wrong-arity", expr("sin(x, x)"), "sin() takes 1 argument, not 2.", 7, 11, "e1"),
    # a product whose shapes do not fit
    case("shape-product", expr("a*A", MATRICES, "a"),
         "shape mismatch in a product: a column vector of length n times an n x n matrix.",
         7, 11, "e1"),
    # a sum of a matrix and a vector
    case("shape-sum", expr("A + a", MATRICES, "A"),
         "shape mismatch in a sum: an n x n matrix plus a column vector of length n.", 7, 11, "e1"),
    # the trace of a matrix that is not square
    case("trace-non-square", expr("trace(M)", MATRICES, "trace(A)"),
         "trace() needs a square matrix, not an m x n matrix.", 7, 17, "e1"),
    # the determinant of a vector
    case("det-non-square", expr("det(a)", MATRICES, "trace(A)"),
         "det() needs a square matrix, not a column vector of length n.", 7, 15, "e1"),
    # a derivative with respect to an expression
    case("diff-by-expression", expr("diff(x**2, 2*x)"),
         "diff() differentiates with respect to a declared symbol or an entry A[i, j] of one, "
         "not an expression.", 7, 22, "e1"),
    # a derivative with respect to a matrix nobody declared
    case("diff-by-undeclared-matrix", expr("diff(trace(A), B)", MATRICES, "trace(A)"),
         "unknown symbol 'B'.", 7, 26, "e1"),
    # text that is not an expression
    case("unparsable", expr("x +* 2"), "cannot parse 'x +* 2': invalid syntax.", 7, 14, "e1"),
    # the two sides of an equation with different shapes
    case("sides-differ", expr("A", MATRICES, "trace(A)"),
         "this line is a scalar but the left-hand side is an n x n matrix.", 8, 10, "e1"),
    # --- injection: refused by the whitelist parser, and MARKER is never created ------------------
    # a call reached through __import__ and an attribute
    case("inject-import", expr(f"__import__('os').system('{INJECT}')"),
         "only the documented functions can be called, by name.", 7, 11, "e1", site=True),
    # an attribute chain to object internals
    case("inject-bases", expr("().__class__.__bases__"),
         "attribute '.__bases__' is not allowed; only '.T' (transpose) is.", 7, 11, "e1"),
    # a lambda, called
    case("inject-lambda", expr(f"(lambda: __import__('os').system('{INJECT}'))()"),
         "only the documented functions can be called, by name.", 7, 11, "e1"),
    # a comprehension
    case("inject-comprehension", expr(f"[open('{MARKER}', 'w') for _ in 'a']"),
         "a comprehension is not allowed in an expression.", 7, 11, "e1"),
    # an f-string that would run code when formatted
    case("inject-fstring", expr(f"f'{{__import__(\"os\").system(\"{INJECT}\")}}'"),
         "an f-string is not allowed in an expression.", 7, 11, "e1"),
    # star-arguments
    case("inject-star-args", expr("sin(*[x])"),
         "sin() takes plain positional arguments only.", 7, 11, "e1"),
    # --- resource attacks: refused before SymPy does any work -------------------------------------
    # an exponent whose value alone has ten billion digits
    case("huge-exponent", expr("x**(10**10)"),
         "the exponent 10000000000 is too large (at most 64).", 7, 15, "e1",
         fast=True),
    # fifty nested calls (located at the expression's start: the depth check stops at a node
    # without a position, the ctx of a name)
    case("nested-50", expr(nested(50)),
         "the expression is nested more than 30 levels deep.", 7, 11, "e1", fast=True),
    # --- proofs -----------------------------------------------------------------------------------
    # proofs citing each other: the cycle spelled out, at its first entry
    case("proof-cycle", cycle(), "circular proof: e1 → e2 → e1.", 4, 5, "e1", site=True),
]


# === Trust and limits (issue 12) ================================================================
# Bounded work in the parent process, clear located errors instead of tracebacks, strict
# identifiers and escaped control characters. Each row is true-to-life hostile input; the true
# (accepted) neighbours of these rows are in TRUE_NEIGHBOURS below, and the cache, the pool, the
# problem cap and the project boundary are tested in test_hardening.py, test_cache.py and
# test_pool.py.

INTEGER_K = "{x: scalar, k: {kind: scalar, assume: [integer]}, j: {kind: scalar, assume: [integer]}}"
TOO_LARGE = "this expression is too large to check: its exact value can have about "
NUMBERS = "the numbers in this expression combine into one of about "


def entries(count: int) -> str:
    """A chapter of ``count`` empty entries ('- {}', 1 MiB of them once took 76 s and 4.8 GB)."""
    return HEAD + "  - {}\n" * count


def shapes_warmed() -> str:
    """Entries e1 (A = A) and e2 (trace(A) = trace(A)) compile both sides of e3 (A = trace(A))
    first, so that e3's expressions are known before its shapes are compared."""
    def entry(ident: str, lhs: str, rhs: str) -> str:
        return (f"  - id: {ident}\n    title: T\n    symbols: {{A: {{kind: matrix, size: n}}}}\n"
                f"    lhs: {lhs}\n    rhs: {rhs}\n")
    return HEAD + entry("e1", "A", "A") + entry("e2", "trace(A)", "trace(A)") + entry("e3", "A", "trace(A)")


def assumed(assume: str) -> str:
    """An entry e1 whose scalar x assumes ``assume`` (symbols on line 6, the list at column 41)."""
    return e1(f"    title: T\n    symbols: {{x: {{kind: scalar, assume: {assume}}}}}\n    lhs: x\n    rhs: x\n")


TRUST_AND_LIMITS = [
    # --- constant folding is bounded by the size of values, not by a nesting pattern ----------
    # the 48 characters: 87 s and 3.5 GB in the parent, as '*1' hid the nested powers
    case("fold-times-one", expr("x**(((((2**64*1)**64*1)**64*1)**64*1)**64*1)**64"),
         NUMBERS, 7, 17, "e1", site=True, fast=True),
    # '+0' instead of '*1'
    case("fold-plus-zero", expr("x**((((2**64+0)**64+0)**64+0)**64+0)"), NUMBERS, 7, 16, "e1", fast=True),
    # '/1' instead of '*1'
    case("fold-divide-one", expr("x**((((2**64/1)**64/1)**64/1)**64)"), NUMBERS, 7, 16, "e1", fast=True),
    # unary minus between the powers
    case("fold-unary-minus", expr("x**(-(-(-(2**64*1)**64*1)**64*1)**64)"), NUMBERS, 7, 18, "e1", fast=True),
    # the same tower outside any exponent, added to x
    case("tower-in-a-sum", expr("x + (((2**64*1)**64*1)**64*1)**64"), NUMBERS, 7, 16, "e1", fast=True),
    # the same tower as a factor, in the base of a power
    case("tower-in-a-base", expr("(((2**63*2)**64*1)**64*1)**64*x**2"), NUMBERS, 7, 12, "e1", fast=True),
    # numbers that printing the formula would combine: (99*x)**(63*-64) has 99**4032 in it
    case("coefficient-growth", expr("x**(((99*x)**63/1)**(-64)/1)"), NUMBERS, 7, 15, "e1", fast=True),
    # a constant exponent with a denominator of 8,000 digits
    case("exponent-denominator", expr("x**(-(99**(-64)))**63"), NUMBERS, 7, 14, "e1", fast=True),
    # a polynomial whose degree multiplies: 2.5 million digits at a random point
    case("polynomial-growth", expr("((x**64 + 3)**64 + 1)**64"), TOO_LARGE, 7, 11, "e1", fast=True),
    # an integer exponent that itself grows: k**64 can have 60 digits
    case("integer-exponent-growth", expr("2**(k**64)", INTEGER_K, "k"), TOO_LARGE, 7, 11, "e1", fast=True),
    # an exponent 10**10 written as a product of small numbers
    case("exponent-product", expr("x**(10**5*10**5)"), "the exponent 10000000000 is too large (at most 64).",
         7, 15, "e1", fast=True),
    # a decimal literal beyond MAX_INTEGER (integers are limited, decimals once were not)
    case("huge-decimal", expr("x + 99999999999999999999999999.5"),
         "the number '99999999999999999999999999.5' is too large or too long", 7, 15, "e1", fast=True),
    # a decimal of 40 digits
    case("long-decimal", expr("x + 0." + "0" * 39 + "1"),
         "the number '0.000000000000000000000000000…' is too large or too long", 7, 15, "e1", fast=True),
    # --- documents bounded before any work -----------------------------------------------------
    # 2,001 empty entries: refused while composing, before schema and loader see any
    case("too-many-entries", entries(2001), "the chapter has more than 2,000 entries.", 2004, 5,
         site=True, fast=True),
    # --- contradictory assumptions: SymPy's InconsistentAssumptions, now located -----------------
    case("assume-positive-negative", assumed("[positive, negative]"),
         "symbol 'x' cannot be both positive and negative: no number is.", 6, 41, "e1", site=True),
    case("assume-nonnegative-negative", assumed("[real, nonnegative, negative]"),
         "symbol 'x' cannot be both nonnegative and negative: no number is.", 6, 41, "e1"),
    case("assume-integer-positive-negative", assumed("[integer, nonzero, positive, negative]"),
         "symbol 'x' cannot be both positive and negative: no number is.", 6, 41, "e1"),
    # --- constructs the verifier cannot evaluate: refused where they are written ------------------
    # SymPy merges a sum of a sum into one object of two ranges
    case("nested-sum", expr("sum(sum(x**k*j, k, 1, 3), j, 1, 2)", INTEGER_K, "x"),
         "a sum inside a sum is not supported.", 7, 15, "e1"),
    case("nested-integral", expr("integrate(integrate(x*y, x, 0, 1), y, 0, 1)", "{x: scalar, y: scalar}"),
         "an integral inside an integral is not supported.", 7, 21, "e1"),
    # a function of a matrix or a vector (its evaluation needs scalar arguments)
    case("function-of-a-matrix", e1("    title: T\n    symbols: {A: {kind: matrix, size: n}, "
                                    "f: {kind: function, of: A}}\n    lhs: f\n    rhs: f\n"),
         "symbol 'f' is a function of 'A', which is a matrix; functions take scalar arguments only.",
         6, 67, "e1"),
    # --- text Python cannot encode: refused at load, not by a crash of the build --------------------
    case("surrogate-in-title", e1('    title: "T \\ud800"\n    lhs: x\n    rhs: x\n'),
         "the text contains U+D800, half of a surrogate pair", 5, 13, "e1", site=True),
    case("surrogate-in-notes", e1(extra='    notes: "a \\udfff b"\n'),
         "the text contains U+DFFF, half of a surrogate pair", 8, 13, "e1"),
    case("surrogate-in-key", e1(extra='    symbols: {"x\\ud800": scalar}\n'),
         "the text contains U+D800, half of a surrogate pair", 8, 16, "e1"),
    # --- strict identifiers: '$' no longer matches before a final newline ---------------------------
    case("id-trailing-newline", HEAD + '  - id: "e1\\n"\n' + BODY,
         f"'e1\\x0a' is not a valid id: {ID_RULE}", 4, 9, "e1\\x0a"),
    case("slug-trailing-newline", 'slug: "bad\\n"\n' + e1(),
         f"'bad\\x0a' is not a valid slug: {ID_RULE}", 1, 7),
    case("symbol-trailing-newline", e1(extra='    symbols: {"x\\n": scalar}\n'),
         "'x\\x0a' is not a valid symbol name", 8, 15, "e1"),
    # --- control characters are escaped when input is echoed ---------------------------------------
    # ESC and CR in a quoted key would recolour or overwrite the CI log line
    case("escape-in-key", e1(extra='    "\\e[31mtitel\\r": T\n'),
         "unknown field '\\x1b[31mtitel\\x0d'", 8, 5, "e1"),
    # a right-to-left override in an id reorders what a reader sees
    case("bidi-in-id", HEAD + '  - id: "e1\\u202e"\n' + BODY,
         f"'e1\\u202e' is not a valid id: {ID_RULE}", 4, 9, "e1\\u202e"),
    # --- a check that no cache can skip -------------------------------------------------------
    # A = trace(A) after other entries compiled both of its sides
    case("shape-after-warm-expressions", shapes_warmed(),
         "this line is a scalar but the left-hand side is an n x n matrix.", 18, 10, "e3"),
]
CASES += TRUST_AND_LIMITS

#: True neighbours of the rows above: each verifies (the limits refuse attacks, not mathematics).
TRUE_NEIGHBOURS = {
    "power-of-power": ("(x**2)**3", "x**6", "{x: scalar}"),
    "large-but-bounded-polynomial": ("(x**32 + 3)**2", "x**64 + 6*x**32 + 9", "{x: scalar}"),
    "constant-exponent-folded": ("x**(2**6/2**5)", "x**2", "{x: scalar}"),
    "integer-exponent": ("x**k*x", "x**(k + 1)", "{x: {kind: scalar, assume: [positive]}, k: {kind: scalar, assume: [integer]}}"),
    "decimal": ("x*0.25", "x/4", "{x: scalar}"),
    "consistent-assumptions": ("sqrt(x**2)", "x", "{x: {kind: scalar, assume: [real, positive, nonzero]}}"),
    "sum-in-an-integral": ("integrate(sum(x**k, k, 1, 2), x, 0, 1)", "5/6", INTEGER_K),
    "integral-in-a-sum": ("sum(integrate(x**k, x, 0, 1), k, 1, 2)", "5/6", INTEGER_K),
}


# --- whole registries for the other tests --------------------------------------------------------

#: A definition only: a valid registry that never starts the verifier.
DEFINITIONS = HEAD + """\
  - id: d1
    title: A definition
    kind: definition
    symbols: {x: scalar}
    lhs: x
    rhs: x
"""

#: Markup that a hostile registry would like to run in readers' browsers.
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
PAYLOAD = f"{SCRIPT} {IMG}"

#: Both payloads in every text field of an entry, of a proof step and of the chapter (except its
#: title: see CHAPTER_TITLE_BREAKOUT); the proof cites the definition, so titles reach the graph.
HOSTILE = f"""\
chapter: Hostile
intro: "Intro {PAYLOAD}"
source: "Chapter source {PAYLOAD}"
entries:
  - id: hostile
    title: "Title {PAYLOAD}"
    symbols: {{x: scalar}}
    lhs: x + x
    rhs: 2*x
    notes: "Notes {PAYLOAD}"
    source: "Source {PAYLOAD}"
    tags: ["{SCRIPT}", "{IMG}"]
    proof:
      - step: 2*x
        by: hostile-definition
        note: "Step note {PAYLOAD}"
  - id: hostile-definition
    title: "{IMG}"
    kind: definition
    symbols: {{x: scalar}}
    lhs: x
    rhs: x
    tags: ["{IMG}"]
"""

#: A chapter title that closes the page's <title> element and opens a script.
CHAPTER_TITLE_BREAKOUT = DEFINITIONS.replace("chapter: Hardening",
                                             f'chapter: "Hardening </title>{SCRIPT}"')

#: Markdown (not HTML) that makes attributes and links: attr_list and a javascript: URL.
NOTES_MARKUP = DEFINITIONS + """\
    notes: |
      A paragraph with a handler.
      {: onclick="alert(1)" }

      ![an image](x){: onerror="alert(1)" }

      [a link](javascript:alert(1))
"""

#: An entry whose symbolic check never ends (a sum of 10**12 terms has no closed form to find,
#: and no random point can evaluate it), then one that verifies at once.
LIMITS = HEAD + """\
  - id: slow
    title: Slow
    symbols:
      x: scalar
      k: {kind: scalar, assume: [integer]}
    lhs: sum(x**k/k**2, k, 1, 1000000000000)
    rhs: sum(x**k/k**2, k, 1, 1000000000000)
  - id: quick
    title: Quick
    symbols: {x: scalar}
    lhs: 2*x
    rhs: x + x
"""

def three(middle: str) -> str:
    """Three small identities, ``before``, ``middle`` and ``after`` (on lines 4, 9, 14), and a definition."""
    return HEAD + "".join(f"""\
  - id: {ident}
    title: T
    symbols: {{x: scalar}}
    lhs: {k}*x
    rhs: {" + ".join(["x"] * k)}
""" for k, ident in ((2, "before"), (3, middle), (4, "after"))) + DEFINITIONS[len(HEAD):]


#: A true identity whose first proof step does not follow (a verification failure, not bad input).
WRONG_STEP = HEAD + """\
  - id: e1
    title: Square of a sum
    symbols: {x: scalar, y: scalar}
    lhs: (x + y)**2
    rhs: x**2 + 2*x*y + y**2
    proof:
      - step: x**2 + y**2
        rule: algebra
      - step: x**2 + 2*x*y + y**2
        rule: algebra
"""

#: A false identity: its counterexample's message gives the point and the seed.
FALSE = HEAD + """\
  - id: e1
    title: Freshman's dream
    symbols: {x: scalar, y: scalar}
    lhs: (x + y)**2
    rhs: x**2 + y**2
"""


#: A false identity whose values at a random point have about 24,000 digits, over Python's
#: 4,300-digit limit for printing an int: still false, with a shortened counterexample.
HUGE_FALSE = HEAD + """\
  - id: e1
    title: Off by one
    symbols: {x: scalar}
    lhs: (x**64 + 3)**64
    rhs: (x**64 + 3)**64 + 1
"""


def typos(count: int) -> str:
    """A chapter of ``count`` entries with a typo each ('titel'): ``count`` problems."""
    return HEAD + "".join(f"  - id: e{k}\n    titel: T\n    lhs: x\n    rhs: x\n" for k in range(count))


def misbehaving_task(task: Any) -> Any:
    """``verify_task``, except on the claims of three entries: ``dies`` kills its own worker with
    SIGKILL (as the OOM killer would), ``hungry`` asks for 8 GiB, over any ``memory_limit_mb``,
    and ``raises`` fails with an exception."""
    from proofbook.verify.engine import verify_task

    entry = task[0].entry_id
    if entry == "raises":  # an error of the verifier itself, as a value too large to print once was
        raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")
    if entry == "dies":
        os.kill(os.getpid(), signal.SIGKILL)
    if entry == "hungry":
        bytearray(8 * 1024**3)
    return verify_task(task)


# === Untrusted registry text in the output: the site, its math, the LaTeX export ================
# (tests/test_sanitize.py, test_sanitize_site.py, test_sanitize_browser.py, test_sanitize_tex.py)
#
# Each hostile row is (name, Markdown); the benign rows are (name, Markdown, what the page must
# show, as decoded HTML).  The site tests put every row into notes, intros and proof-step notes
# at once, so one build tries them all in every field.

#: What a payload that ran would leave behind; the browser test also counts alert() and friends.
PWNED = "window.__pwned=1"

#: Markdown that tries to run script, leave the page or reach another host.
XSS_MARKDOWN = [
    # the reported hole: raw HTML between dollars that are not math
    ("img-between-dollars", "price $ <img src=x onerror=alert(document.domain)> $ end"),
    ("script", f"<script>{PWNED}</script>"),
    ("script-uppercase", f"<SCRIPT>{PWNED}</SCRIPT>"),
    ("script-split", f"<scr<script>ipt>{PWNED}</script>"),
    ("svg-onload", f"<svg onload={PWNED}>"),
    ("svg-animate", f'<svg><animate onbegin="{PWNED}" attributeName=x dur=1s>'),
    ("iframe-srcdoc", f'<iframe srcdoc="<script>{PWNED}</script>"></iframe>'),
    ("iframe-javascript", f'<iframe src="javascript:{PWNED}"></iframe>'),
    ("body-onload", f"<body onload={PWNED}>"),
    ("details-ontoggle", f"<details open ontoggle={PWNED}>"),
    ("input-autofocus", f"<input autofocus onfocus={PWNED}>"),
    ("video-source", f"<video><source onerror={PWNED}></video>"),
    ("object-data", f'<object data="javascript:{PWNED}"></object>'),
    ("embed-src", f'<embed src="javascript:{PWNED}">'),
    ("form-action", f'<form action="javascript:{PWNED}"><button>go</button></form>'),
    ("button-formaction", f'<button formaction="javascript:{PWNED}">go</button>'),
    ("base-href", '<base href="javascript:alert(1)//">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("link-stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">'),
    ("style-element", "<style>body{display:none}</style>"),
    ("style-attribute", '<p style="position:fixed;inset:0;background:red">cover</p>'),
    ("mathml-confusion", f"<math><mtext><table><mglyph><style><img src=x onerror={PWNED}>"),
    ("noscript-confusion", f'<noscript><p title="</noscript><img src=x onerror={PWNED}>">'),
    ("comment-breakout", f"<!-- --!><img src=x onerror={PWNED}> -->"),
    ("cdata", f"<![CDATA[<img src=x onerror={PWNED}>]]>"),
    ("markdown-attribute", f'<div markdown="1" onclick="{PWNED}">*x*</div>'),
    # links: schemes hidden by entities, case, whitespace and control characters
    ("entity-scheme", f"[x](&#106;avascript:{PWNED})"),
    ("hex-entity-scheme", f"[x](&#x6A;avascript:{PWNED})"),
    ("padded-entity-scheme", f"[x](&#0000106;avascript:{PWNED})"),
    ("named-entity-colon", f"[x](javascript&colon;{PWNED})"),
    ("mixed-case-scheme", f"[x](JaVaScRiPt:{PWNED})"),
    ("tab-in-scheme", f"[x](java&#9;script:{PWNED})"),
    ("newline-in-scheme", f"[x](java&#10;script:{PWNED})"),
    ("control-before-scheme", f"[x](&#1;javascript:{PWNED})"),
    ("space-before-scheme", f"[x](< javascript:{PWNED}>)"),
    ("angle-link", f"[x](<javascript:{PWNED}>)"),
    ("data-link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("vbscript-link", "[x](vbscript:msgbox(1))"),
    ("file-link", "[x](file:///etc/passwd)"),
    ("protocol-relative", "[x](//evil.example/)"),
    ("backslash-host", "[x](/\\evil.example/)"),
    ("reference-definition", f"[x][r]\n\n[r]: javascript:{PWNED}"),
    ("reference-definition-entity", f"[x][r]\n\n[r]: &#106;avascript:{PWNED}"),
    ("autolink-javascript", f"<javascript:{PWNED}>"),
    ("autolink-slashes", "<javascript://%0aalert(1)>"),
    ("image-javascript", f"![x](javascript:{PWNED})"),
    ("image-data-svg", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("image-title-breakout", f'![x](y.png "a\\" onerror=\\"{PWNED})'),
    ("link-title-breakout", f'[x](https://example.org "a\\" onmouseover=\\"{PWNED}")'),
    ("nested-link", f"[[x](javascript:{PWNED})](https://example.org)"),
    # Markdown extensions of the site and other plugins' page hooks
    ("attr-list-block", f'para\n{{: onclick="{PWNED}" }}'),
    ("attr-list-inline", f"*x*{{: onmouseover={PWNED} }}"),
    ("attr-list-id", "*x*{: #__config }"),
    ("critic-in-title", f'[x](https://example.org "{{++" onmouseover={PWNED} ++}}")'),
    ("jinja", "{{ config.site_name }} {% include 'mkdocs.yml' %}"),
    ("snippet", '--8<-- "mkdocs.yml"'),
    ("embed-in-note", "![[e1]]"),
    ("fence-breakout", f"```\n</code></pre><script>{PWNED}</script>\n```"),
    ("code-span-breakout", f"`</code><script>{PWNED}</script>`"),
    # math: the sanitizer must not trust what looks like math
    ("math-closes-span", f"$x$</span><script>{PWNED}</script>"),
    ("inline-math-html", f"$<img src=x onerror={PWNED}>$"),
    ("display-math-html", f"$$\n</div><img src=x onerror={PWNED}>\n$$"),
    ("bracket-math-html", f"\\(<svg onload={PWNED}>\\)"),
    # references: the label is registry Markdown too
    ("reference-label-html", f"[[e1|<img src=x onerror={PWNED}>]]"),
    ("reference-label-link", f"[[e1|[x](javascript:{PWNED})]]"),
    ("reference-in-link-url", "[x](https://example.org/[[e1|y]])"),
    ("reference-in-link-title", '[x](https://example.org "[[e1|y]]")'),
    # KaTeX: trust is off, sizes and expansions are bounded
    ("katex-href", f"$\\href{{javascript:{PWNED}}}{{x}}$"),
    ("katex-url", f"$\\url{{javascript:{PWNED}}}$"),
    ("katex-html-data", f"$\\htmlData{{onclick={PWNED}}}{{x}}$"),
    ("katex-html-class", "$\\htmlClass{md-header}{x}$"),
    ("katex-html-style", "$\\htmlStyle{position:fixed;inset:0;background:red}{x}$"),
    ("katex-includegraphics", "$\\includegraphics{https://evil.example/x.png}$"),
    ("katex-rule-cover", "$\\rule{3000px}{3000px}$"),
    ("katex-raisebox", "$\\raisebox{3000px}{x}$"),
    ("katex-negative-kern", "$\\kern-15em\\rule{8em}{8em}$"),
    ("katex-negative-raise", "$\\raisebox{-30em}{\\rule{8em}{8em}}$"),
    ("katex-macro-bomb", "$\\def\\a{\\b\\b\\b\\b}\\def\\b{\\c\\c\\c\\c}\\def\\c{\\d\\d\\d\\d}"
                         "\\def\\d{xxxxxxxxxx}\\a\\a\\a\\a\\a\\a\\a\\a$"),
    ("katex-gdef", "$\\gdef\\mathbf#1{WRONG}$ and $\\mathbf{A}$"),
]

#: Markdown that must keep working: (name, Markdown, decoded HTML the page must contain).
BENIGN_MARKDOWN = [
    ("emphasis", "Uses *the* chain rule.", "Uses <em>the</em> chain rule."),
    ("strong-and-code", "**ok** `<kbd>`", "<strong>ok</strong> <code>&lt;kbd&gt;</code>"),
    ("https-link", "[Bishop](https://example.org/prml)",
     '<a href="https://example.org/prml" rel="nofollow noopener noreferrer">Bishop</a>'),
    ("mailto-link", "[mail](mailto:a@example.org)", 'href="mailto:a@example.org"'),
    ("relative-link", "[notation](../notation/)", 'href="../notation/"'),
    ("fragment-link", "[top](#top)", 'href="#top"'),
    ("comparison-in-math", "$a_i < b_j$", '<span class="arithmatex">\\(a_i &lt; b_j\\)</span>'),
    ("bracket-math", "\\(\\mathbf{A}^{-1}\\)", '<span class="arithmatex">\\(\\mathbf{A}^{-1}\\)</span>'),
    ("display-math", "$$\n\\operatorname{Tr}(X) = \\operatorname{Tr}(X^T)\n$$",
     '<p class="arithmatex">\\[\n\\operatorname{Tr}(X) = \\operatorname{Tr}(X^T)\n\\]</p>'),
    ("list", "- one\n- two", "<li>one</li>"),
    ("relative-image", "![plot](plot.png)", '<img alt="plot" src="plot.png">'),
    ("dollar-prices", "costs $5 and $6", "costs $5 and $6"),
    ("angle-text", "a <= b and c > d", "a &lt;= b and c &gt; d"),
]

#: Registry text that tries to make pdflatex read, write or run something; ``{secret}`` is the
#: name of a file next to the sheet whose content must not reach the PDF.
TEX_NOTES = [
    ("input", "$\\input{{{secret}}}$"),
    ("input-primitive", "$\\input {secret} $"),
    ("include", "$\\include{{{secret}}}$"),
    ("openin-read", "$\\newread\\r \\openin\\r={secret} \\read\\r to\\x \\x$"),
    ("openout-write", "$\\immediate\\openout5=pwned.tex \\immediate\\write5{{x}}\\closeout5$"),
    ("write18", "$\\immediate\\write18{{touch pwned.tex}}$"),
    ("caret-escape", "$^^5cinput{{{secret}}}$"),
    ("caret-escape-text", "^^5cinput{{{secret}}}"),
    ("catcode", "$\\catcode`\\@=0 @input{{{secret}}}$"),
    ("csname", "$\\csname input\\endcsname{{{secret}}}$"),
    ("def", "$\\def\\x{{\\input{{{secret}}}}}\\x$"),
    ("let", "$\\let\\x\\input \\x{{{secret}}}$"),
    ("expandafter", "$\\expandafter\\input{{{secret}}}$"),
    ("newcommand", "$\\newcommand{{\\x}}{{\\input{{{secret}}}}}\\x$"),
    ("usepackage", "$\\usepackage{{{secret}}}$"),
    ("url", "$\\url{{file:{secret}}}$"),
    ("special", "$\\special{{pdf:x}}$"),
    ("filecontents", "$\\begin{{filecontents}}{{pwned.tex}}x\\end{{filecontents}}$"),
    ("end-document", "$\\end{{document}}$ after"),
    ("text-in-math", "$\\text{{\\input{{{secret}}}}}$"),
    ("unbalanced-braces", "$}}\\input{{{secret}}}{{$"),
    ("comment-swallows-dollar", "$x % $ \\input{{{secret}}}"),
    ("active-tilde", "$a~b$"),
    ("macro-parameter", "$#1$"),
    ("display", "$$\\input{{{secret}}}$$"),
    ("bracket-math", "\\(\\input{{{secret}}}\\)"),
    ("plain-text", "\\input{{{secret}}} \\openout1=pwned.tex"),
    ("carriage-return", "x\r\\input{{{secret}}}"),
    ("form-feed", "x\f\\input{{{secret}}}"),
    ("code-span", "`\\input{{{secret}}}`"),
    ("reference-label", "[[e1|$\\input{{{secret}}}$]]"),
    # allowed commands used wrongly: they would stop pdflatex ("Missing { inserted")
    ("missing-superscript", "$x^$ and $x_$"),
    ("missing-fraction-argument", "$\\frac{{a}}$ and $\\sqrt$"),
    ("argument-is-a-brace", "$\\mathbf}}{{x$"),
]

#: Math from notes that the export keeps as math (its body as the .tex file must show it).
TEX_BENIGN = [
    ("bold-inverse", "$\\mathbf{A}^{-1}$", "$\\mathbf{A}^{-1}$"),
    ("matrix", "$\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}$",
     "$\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}$"),
    ("greek-unicode", "$α ≤ β$", "${\\alpha} {\\leq} {\\beta}$"),
    ("trace", "$\\operatorname{Tr}(X) = \\operatorname{Tr}(X^T)$", "$\\operatorname{Tr}(X) = \\operatorname{Tr}(X^T)$"),
]

#: Markdown of exactly the length limit that used to cost quadratic time; each must render fast.
MARKDOWN_LIMIT = 5000
BOMB_UNITS = ["[[a|", "[", "![", "[a](", "](", "[a][", "\\(", "$a", "*", "**_", "`", "``x", "<", "&#",
              "> ", "[x]: ", "|", "{", "~~", "<http://", "[[a-b-c|x", "!["]


def bomb(unit: str, length: int = MARKDOWN_LIMIT) -> str:
    """``unit`` repeated up to ``length`` characters."""
    return (unit * (length // len(unit) + 1))[:length]


def _with_field(field: str, text: str) -> str:
    """A valid chapter whose ``field`` (notes, intro or note) holds ``text`` (as a YAML string)."""
    value = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if field == "intro":
        return HEAD.replace("source:", f"intro: {value}\nsource:") + BODY_ENTRY
    if field == "note":
        return HEAD + BODY_ENTRY + f"    proof:\n      - step: x\n        rule: algebra\n        note: {value}\n"
    return HEAD + BODY_ENTRY + f"    {field}: {value}\n"


#: Entry e1 (line 4) for the rows above.
BODY_ENTRY = "  - id: e1\n    title: T\n    symbols: {x: scalar}\n    lhs: x\n    rhs: x\n"

CASES += [
    # --- size limits of registry text -------------------------------------------------------------
    # notes one character over the limit: the field, its length and the limit
    case("notes-too-long", _with_field("notes", "x" * 5001),
         "'notes' is too long (5,001 characters; the limit is 5,000).", 9, 12, "e1", site=True, fast=True),
    # a chapter intro over the limit (the bomb of the issue: 32 KB of [[a|)
    case("intro-too-long", _with_field("intro", bomb("[[a|", 32_000)),
         "'intro' is too long (32,000 characters; the limit is 5,000).", 2, 8, site=True, fast=True),
    # a proof-step note over the limit
    case("step-note-too-long", _with_field("note", "y" * 5001),
         "'note' of proof step 1 is too long (5,001 characters; the limit is 5,000).", 12, 15, "e1",
         site=True, fast=True),
    # a source over its limit of 500
    case("source-too-long", _with_field("source", "s" * 501),
         "'source' is too long (501 characters; the limit is 500).", 9, 13, "e1", site=True, fast=True),
]

#: Plain-text fields (titles, sources, tags) that try the same: they must show as text.
XSS_TEXT = [
    f"<script>{PWNED}</script>",
    f"<img src=x onerror={PWNED}>",
    f"</title><script>{PWNED}</script>",
    f'"><svg onload={PWNED}>',
    f"[x](javascript:{PWNED})",
    f"*x*{{: onclick={PWNED} }}",
    f"$<img src=x onerror={PWNED}>$",
    "[[e1|<b>x</b>]] ![[e1]]",
    "{{ config }} --8<-- \"mkdocs.yml\"",
]


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _paragraphs(rows: list[str], limit: int = 4000) -> list[str]:
    """``rows`` joined by blank lines into texts of at most about ``limit`` characters."""
    texts: list[list[str]] = [[]]
    for text in rows:
        if texts[-1] and sum(len(t) + 2 for t in texts[-1]) + len(text) > limit:
            texts.append([])
        texts[-1].append(text)
    return ["\n\n".join(chunk) for chunk in texts]


def _definition(ident: str, k: int, notes: str) -> str:
    """A definition with ``notes``, and text rows (chosen by ``k``) as title, source and tags."""
    text = XSS_TEXT
    return (f"  - id: {ident}\n    title: {_quoted(text[k % len(text)])}\n    kind: definition\n"
            f"    symbols: {{x: scalar}}\n    lhs: x\n    rhs: x\n    notes: {_quoted(notes)}\n"
            f"    source: {_quoted(text[(k + 1) % len(text)])}\n"
            f"    tags: {json.dumps([text[(k + 2) % len(text)][:40], text[(k + 3) % len(text)][:40]])}\n")


def hostile_output_registry() -> dict[str, str]:
    """Chapter files with every row above in every field that reaches a page.

    ``e1`` is an identity whose proof steps' notes hold every Markdown row (and cite the first
    definitions, whose titles are the text rows, so they reach the graph); each row is also
    the notes of a definition of its own (``x-<name>``, ``ok-<name>``); the chapter intros hold
    them too, in as many chapters as the length limit needs; the text rows are the titles,
    sources and tags.
    """
    rows = [text for _, text in XSS_MARKDOWN] + [text for _, text, _ in BENIGN_MARKDOWN]
    texts = _paragraphs(rows)
    # the first step cites a definition of each text row's title, so the titles reach the graph
    cited = json.dumps([f"x-{name}" for name, _ in XSS_MARKDOWN[:len(XSS_TEXT)]])
    steps = "".join(f"      - step: 2*x\n        by: {cited}\n        note: {_quoted(t)}\n" for t in texts)
    identity = (f"  - id: e1\n    title: {_quoted(XSS_TEXT[2])}\n    symbols: {{x: scalar}}\n"
                f"    lhs: x + x\n    rhs: 2*x\n    source: {_quoted(XSS_TEXT[3])}\n"
                f"    tags: {json.dumps([t[:40] for t in XSS_TEXT[:2]])}\n    proof:\n{steps}")
    named = [(f"x-{name}", text) for name, text in XSS_MARKDOWN] + [(f"ok-{n}", t) for n, t, _ in BENIGN_MARKDOWN]
    definitions = "".join(_definition(ident, k, text) for k, (ident, text) in enumerate(named))
    files = {}
    for k, intro in enumerate(texts, start=1):
        title = f"Output {k} {XSS_TEXT[k % len(XSS_TEXT)]}"
        body = identity + definitions if k == 1 else _definition(f"more-{k}", k, "More.")
        files[f"{k:02d}-output.yml"] = (f"chapter: {_quoted(title)}\nintro: {_quoted(intro)}\n"
                                        f"source: {_quoted(XSS_TEXT[1])}\nentries:\n{body}")
    return files
