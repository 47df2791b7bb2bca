"""Display names: ``latex:`` in a declaration, checked, and used wherever the symbol prints."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from proofbook.cache import ResultCache
from proofbook.check import check_registry
from proofbook.errors import Location, ProofbookErrors
from proofbook.export import HandbookMeta, latex_sheet
from proofbook.language.parse import compile_source
from proofbook.language.symbols import SymbolTable
from proofbook.model import Source, SymbolDecl
from proofbook.registry.load import load_registry
from proofbook.render.latex import to_latex
from proofbook.render.pages import entry_block, notation_page
from proofbook.texmath import safe_name

SAFE = [
    r"\sigma^2", r"\hat{\beta}_1", "x'", r"\mathbf{\Sigma}", r"\boldsymbol{\mu}", r"x_{\mathrm{max}}",
    r"\tilde{\mu}", r"\bar{x}", r"\vec{v}", "A_{ij}", "x''", r"\sigma_{\hat{y}}^{2}",
]
UNSAFE = [
    # macros and files
    r"\def\x{1}", r"\input{secret}", r"\href{javascript:alert(1)}{x}", r"\catcode`\^=7", r"\newcommand",
    # braces that do not balance, a command without its argument, a bare ^
    r"\sigma^{2", r"\sigma}{", r"\hat", "x^",
    # operators and formulas, which would read as more than one symbol
    "a+b", r"\frac{1}{2}", r"\sqrt{x}", "a=b", r"x \cdot y", "a, b",
    # specials, comments, Unicode outside Greek, empty, too long
    "x % y", "x#1", "x~y", "$x$", "^^5c", "σ²", "", "  ", "x" * 41,
]


@pytest.mark.parametrize("tex", SAFE)
def test_safe_display_names_pass_unchanged(tex: str) -> None:
    assert safe_name(tex) == tex


@pytest.mark.parametrize("tex", UNSAFE)
def test_unsafe_display_names_are_refused(tex: str) -> None:
    assert safe_name(tex) is None


def test_greek_typed_in_unicode_is_spelled_as_a_command() -> None:
    assert safe_name("σ_1") == r"{\sigma}_1"


TABLE = SymbolTable.build((
    SymbolDecl("s2", "scalar", latex=r"\sigma^2"), SymbolDecl("x", "scalar"),
    SymbolDecl("S", "matrix", ("n", "n"), latex=r"\Sigma"), SymbolDecl("g", "function", of=("x",), latex=r"\varphi"),
    SymbolDecl("i", "index", ("n", 1)), SymbolDecl("j", "index", ("n", 1)),
))
NAMES = {"s2": r"\sigma^2", "S": r"\Sigma", "g": r"\varphi"}

PRINTED = [
    # a scalar, raised: parenthesized, so that sigma^2 squared is not sigma^22
    ("s2**2*x", r"\left({\sigma^2}\right)^{2} x"),
    # a matrix in the handbook's bold, with its transpose; the identity keeps its name
    ("S*S.T + s2*eye(n)", r"\boldsymbol{\Sigma} \boldsymbol{\Sigma}^{T} + {\sigma^2} \mathbf{I}"),
    # an entry of the matrix, plain; a declared function, applied and differentiated
    ("g*S[i, j]", r"{\varphi}\left(x\right) {\Sigma}_{ij}"),
    ("diff(g, x)", r"\frac{\partial {\varphi}}{\partial x}"),
    ("diff(s2*x, s2)", r"\frac{\partial}{\partial {\sigma^2}} \left({\sigma^2} x\right)"),
]


@pytest.mark.parametrize("text, latex", PRINTED, ids=[p[0] for p in PRINTED])
def test_printer_uses_display_names(text: str, latex: str) -> None:
    expr = compile_source(Source(text, Location("t.yml", 1, 1)), TABLE, "e").expr
    assert to_latex(expr, names=NAMES) == latex


def test_plain_style_prints_a_matrix_display_name_without_bold() -> None:
    expr = compile_source(Source("S.T", Location("t.yml", 1, 1)), TABLE, "e").expr
    assert to_latex(expr, names=NAMES, bold=False) == r"{\Sigma}^{T}"


def chapter(folder: Path, declaration: str, lhs: str = "s2 + x", rhs: str = "x + s2") -> Path:
    (folder / "01-stats.yml").write_text(
        "chapter: Statistics\nsource: S\nentries:\n  - id: e1\n    title: T\n    symbols:\n"
        f"      s2: {declaration}\n      x: scalar\n    lhs: {lhs}\n    rhs: {rhs}\n", encoding="utf-8")
    return folder


def test_declared_display_name_prints_in_the_formula_and_the_symbols_line(tmp_path: Path) -> None:
    """s2 prints as sigma squared in the entry's LaTeX (site and export) and in its symbol list."""
    registry = load_registry([chapter(tmp_path, r"{kind: scalar, latex: '\sigma^2'}")])
    assert registry.entries[0].symbols[0].latex == r"\sigma^2"
    report = check_registry(registry, cache=ResultCache())
    assert report.entries[0].latex == r"{\sigma^2} + x = x + {\sigma^2}"
    symbols = BeautifulSoup(entry_block(report.entries[0]), "html.parser").select_one(".pb-symbols")
    assert str(symbols.select_one(".pb-symbol")) == (
        '<span class="pb-symbol"><span class="arithmatex">\\( \\sigma^2 \\)</span> (s2), x</span>')


def test_changing_a_display_name_changes_the_cached_latex(tmp_path: Path) -> None:
    """The LaTeX cache is keyed by the display name: a new name is printed on the next run."""
    cache = ResultCache(tmp_path / "cache")
    first = check_registry(load_registry([chapter(tmp_path, r"{kind: scalar, latex: '\sigma^2'}")]), cache=cache)
    second = check_registry(load_registry([chapter(tmp_path, r"{kind: scalar, latex: '\tau'}")]), cache=cache)
    assert first.entries[0].latex.startswith(r"{\sigma^2}") and second.entries[0].latex.startswith(r"{\tau}")


@pytest.mark.parametrize("declaration, message", [
    (r"{kind: scalar, latex: '\input{x}'}",
     r"the display name of symbol 's2' is not allowed: '\input{x}' is not a name in the TeX subset."),
    (r"{kind: scalar, latex: '\sigma^{2'}", "is not a name in the TeX subset."),
    ("{kind: scalar, latex: x}", "symbol 's2' would print as x, like the symbol 'x'."),
])
def test_bad_display_name_is_a_located_error(tmp_path: Path, declaration: str, message: str) -> None:
    with pytest.raises(ProofbookErrors) as caught:
        load_registry([chapter(tmp_path, declaration)])
    (error,) = caught.value.errors
    assert message in str(error) and error.entry_id == "e1"
    assert str(error.location).endswith("01-stats.yml:7:33")  # the value of latex:


def test_a_display_name_longer_than_the_limit_is_refused_by_the_schema(tmp_path: Path) -> None:
    with pytest.raises(ProofbookErrors) as caught:
        load_registry([chapter(tmp_path, "{kind: scalar, latex: '" + "x" * 41 + "'}")])
    assert "'latex' of symbol 's2' is too long (41 characters; the limit is 40)." in str(caught.value)


def test_display_names_survive_the_sites_markdown(tmp_path: Path, markdown_to_html) -> None:
    r"""The symbols line and the notation table keep a display name's _ and ^ as math (no
    <em> from Markdown), so the site typesets b1 as \hat{\beta}_1."""
    (tmp_path / "01-stats.yml").write_text(
        "chapter: Statistics\nsource: S\nentries:\n  - id: e1\n    title: T\n    symbols:\n"
        "      b1: {kind: scalar, latex: '\\hat{\\beta}_1'}\n      b2: {kind: scalar, latex: '\\beta_2'}\n"
        "    lhs: b1*b2\n    rhs: b2*b1\n", encoding="utf-8")
    registry = load_registry([tmp_path])
    report = check_registry(registry, cache=ResultCache())
    for page in (entry_block(report.entries[0]), notation_page(registry)):
        html = markdown_to_html(page)
        assert r'<span class="arithmatex">\( \hat{\beta}_1 \)</span> (b1)' in html
        assert "<em>" not in html


@pytest.mark.latex
def test_every_display_name_construct_compiles_in_the_latex_export(tmp_path: Path) -> None:
    """Greek, fonts, accents, primes, sub- and superscripts, as a matrix (bold) and a scalar,
    raised to a power: pdflatex compiles the exported sheet."""
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    names = [r"\sigma^2", r"\hat{\beta}_1", "x'", r"\mathbb{E}", r"\mathfrak{g}", r"\widetilde{\mu}",
             r"\mathcal{L}_{\mathrm{max}}", r"\vec{v}", r"\ddot{q}", r"\ell", r"\boldsymbol{\theta}"]
    quoted = [tex.replace("'", "''") for tex in names]  # YAML's single-quoted strings double a quote
    symbols = "".join(f"      s{k}: {{kind: scalar, latex: '{tex}'}}\n" for k, tex in enumerate(quoted))
    terms = " + ".join(f"s{k}**2" for k in range(len(names)))
    (tmp_path / "01-names.yml").write_text(
        "chapter: Names\nsource: S\nentries:\n  - id: e1\n    title: T\n    symbols:\n" + symbols
        + "      S: {kind: matrix, size: n, latex: '\\Sigma'}\n"
        + f"    lhs: ({terms})*S.T\n    rhs: ({terms})*S.T\n", encoding="utf-8")
    registry = load_registry([tmp_path])
    sheet = tmp_path / "names.tex"
    sheet.write_text(latex_sheet(registry, check_registry(registry, cache=ResultCache()), HandbookMeta()),
                     encoding="utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", sheet.name], cwd=tmp_path,
                         capture_output=True, text=True, errors="replace")
    assert run.returncode == 0, run.stdout[-3000:]
