"""Generated Markdown: entry blocks, chapter, index and graph pages, without building a site.

``markdown_to_html`` (conftest) converts with the repo site's own Markdown extensions, so these
tests also show that math, anchors and user text survive Python-Markdown.
"""

from __future__ import annotations

import html as html_module
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from mkdocs.utils.meta import get_data as get_markdown_meta

from proofbook.errors import Location
from proofbook.model import (
    Chapter,
    Entry,
    EntryReport,
    Evidence,
    ProofStep,
    Registry,
    Result,
    Source,
    StepReport,
    SymbolDecl,
)
from proofbook.render.pages import (
    corrections_page,
    describe_symbol,
    display_math,
    entry_block,
    exclude_math_from_search,
    graph_page,
    handbook_pages,
    index_page,
    inline_math,
    markdown,
    notation_page,
    print_page,
)
from proofbook.render import graph
from proofbook.render.refs import Target, fix_refs

Convert = Callable[[str], str]
HERE = Location("registry/01-traces.yml", 3, 5)
MATRIX_A = SymbolDecl("A", "matrix", ("n", "n"), ("invertible",))
VERIFIED = Result("verified", (Evidence("randomized", "exact test at random rational points (n = 1, 2)", (1, 2)),
                               Evidence("symbolic", "symbolic proof for n = 1", (1,))),
                  level="proved-for-sizes")
LATEX = r"\frac{\partial}{\partial \mathbf{A}} \ln\left|\mathbf{A}\right| = \left(\mathbf{A}^{-1}\right)^{T}"


def make_entry(ident: str = "log-det-grad", number: str = "1.2", **fields: object) -> Entry:
    """An entry with sensible defaults; ``fields`` override any of them."""
    values: dict[str, object] = dict(
        id=ident, title="Gradient of ln|A|", kind="identity", symbols=(MATRIX_A,),
        statement=(Source("diff(log(det(A)), A)", HERE), Source("inv(A).T", HERE)),
        source="Bishop 2006, p. 697", location=HERE, chapter="traces", number=number)
    return Entry(**{**values, **fields})  # type: ignore[arg-type]


def make_report(entry: Entry | None = None, result: Result = VERIFIED,
                steps: tuple[StepReport, ...] = ()) -> EntryReport:
    return EntryReport(entry or make_entry(), result, LATEX, list(steps), LATEX.split(" = "))


STEPS = (
    StepReport(r"\operatorname{Tr}\left(\mathbf{A}^{-1} \mathbf{E}_{ij}\right)", VERIFIED,
               ProofStep(Source("x", HERE), by=("trace-ab-grad", "log-det-derivative"), rule="chain-rule",
                         note="With $x = A_{ij}$ in (1.6).")),
    StepReport(r"\left(\mathbf{A}^{-1}\right)^{T}", Result("inconclusive", reason="time limit of 60 s reached"),
               ProofStep(Source("y", HERE), rule="transpose")),
    StepReport(r"\mathbf{A}^{-T}", VERIFIED, None),
)

TARGETS = {ident: Target(number, "handbook/traces/", "x", f"BLOCK {ident}") for ident, number in
           [("log-det-grad", "1.2"), ("trace-ab-grad", "1.1"), ("log-det-derivative", "1.6"), ("uses-it", "1.3")]}


def page_html(text: str, convert: Convert, url: str = "handbook/traces/") -> str:
    """Markdown of a generated page as the site shows it: front matter read off, references
    resolved, then converted."""
    body, _ = get_markdown_meta(text)
    return convert(fix_refs(body, url, TARGETS).markdown)


def test_display_math_is_arithmatex_generic(markdown_to_html: Convert) -> None:
    """Display math keeps backslashes, underscores and stars through Markdown; its number is
    HTML beside it, which no math engine can place over the formula."""
    text = display_math(r"A_{ij} * B_{ij} < \{c\}", "1.8")
    assert text == (r'<div class="pb-formula"><div class="arithmatex">\[ A_{ij} * B_{ij} &lt; \{c\} \]</div>'
                    '<span class="pb-eqno">(1.8)</span></div>')
    assert markdown_to_html(text) == text
    assert display_math("x") == r'<div class="arithmatex">\[ x \]</div>'


def test_inline_math_is_arithmatex_generic(markdown_to_html: Convert) -> None:
    """Inline math in a raw HTML table survives unchanged (arithmatex does not wrap it twice)."""
    cell = inline_math(r"a_{i} \cdot b_{i}")
    assert cell == r'<span class="arithmatex">\( a_{i} \cdot b_{i} \)</span>'
    table = f"<table><tr><td>{cell}</td></tr></table>"
    assert markdown_to_html(table) == table


def test_entry_block(markdown_to_html: Convert) -> None:
    """A dense identity: anchor, title link, numbered formula, its plain text for search, one
    line of badge and symbols, notes, one info line of source, tags and permalink."""
    entry = make_entry(tags=("determinant", "gradient"), notes="Uses *the* chain rule.")
    html = page_html(entry_block(make_report(entry)), markdown_to_html)
    assert html.startswith('<div class="pb-entry pb-verified" id="log-det-grad">\n<h3 id="gradient-of-lna">'
                           '<a class="pb-ref" href="#log-det-grad"')
    assert f'<div class="pb-formula">\n{display_math(LATEX)}<span class="pb-eqno">(1.2)</span></div>' in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("p.pb-plain[aria-hidden=true]").get_text() == "diff(log(det(A)), A) = inv(A).T"
    meta = soup.select_one(".pb-meta")
    assert meta.select_one("details.pb-badge.pb-verified.pb-level-proved-for-sizes > summary").get_text() == (
        "✔ proved for n ≤ 1, tested for n ≤ 2")
    assert [p.get_text() for p in meta.select("details.pb-badge > p")] == [
        "Proved for the sizes listed: at those sizes the identity holds for every value of its symbols. "
        "Larger sizes were tested, not proved.", "exact test at random rational points (n = 1, 2)",
        "symbolic proof for n = 1"]
    assert meta.select_one(".pb-symbols").get_text() == "A: n × n matrix, invertible"
    assert "<p>Uses <em>the</em> chain rule.</p>" in html
    info = soup.select_one(".pb-info")
    assert [child.get_text(" ", strip=True) for child in info.find_all(recursive=False)] == [
        "Source: Bishop 2006, p. 697", "determinant gradient", "#"]
    assert info.select_one("a.pb-permalink")["href"] == "#log-det-grad"
    assert "Proof" not in html and "Used by" not in html and "neighbourhood" not in html


def test_search_sees_plain_formulas_not_latex() -> None:
    """Math elements of a built page are marked for Material's search to skip; nothing else is."""
    built = ('<div class="arithmatex">\\[ x \\]</div><span class="arithmatex">\\( y \\)</span>'
             '<p class="pb-plain">x = y</p><div class="arithmatexx">z</div>')
    assert exclude_math_from_search(built) == (
        '<div class="arithmatex" data-search-exclude="math">\\[ x \\]</div>'
        '<span class="arithmatex" data-search-exclude="math">\\( y \\)</span>'
        '<p class="pb-plain">x = y</p><div class="arithmatexx">z</div>')


def test_symbols_share_one_line() -> None:
    """Symbols declared alike are listed together, on one line, in declaration order."""
    b = SymbolDecl("B", "matrix", ("n", "n"), ("invertible",))
    x = SymbolDecl("x", "scalar")
    block = entry_block(make_report(make_entry(symbols=(MATRIX_A, x, b))))
    assert ('<span class="pb-symbols"><span class="pb-symbol">A, B</span>: n × n matrix, invertible; '
            '<span class="pb-symbol">x</span>: scalar</span>') in block
    assert "<li>" not in block


def test_definition_badge(markdown_to_html: Convert) -> None:
    """A definition says, in a few words, that it is not verified."""
    html = page_html(entry_block(make_report(make_entry(kind="definition"), Result("definition"))), markdown_to_html)
    badge = BeautifulSoup(html, "html.parser").select_one("details.pb-badge.pb-definition")
    assert badge.get_text(strip=True) == "definition · not verified"


def test_proof_steps_and_backlinks(markdown_to_html: Convert) -> None:
    """Each step is an equation "= ..." with its justification; the closing line names the rhs;
    the proof is a collapsed toggle in the info line, after what the entry uses and what uses it,
    and the neighbourhood link waits for the plugin to point it at the graph page."""
    entry = make_entry(proof=tuple(s.step for s in STEPS if s.step))
    html = page_html(entry_block(make_report(entry, steps=STEPS), ("uses-it",)), markdown_to_html)
    start = html.index('<details class="note pb-proof">')
    proof = html[start:html.index("</details>", start)]
    assert proof.startswith('<details class="note pb-proof">\n<summary>Proof (3 steps)</summary>\n'
                            f'{display_math(LATEX.split(" = ")[0])}')
    for step in STEPS:
        assert display_math(f"= {step.latex}") in proof
    assert ('<p class="pb-why pb-verified">✔ by <a class="pb-ref" href="#trace-ab-grad" data-pb-number="1.1" '
            'data-pb-title="" data-pb-tex="x">(1.1)</a>, <a class="pb-ref" href="#log-det-derivative" '
            'data-pb-number="1.6" data-pb-title="" data-pb-tex="x">(1.6)</a> · chain rule</p>') in proof
    # registry Markdown is sealed: its math is spelled with character references
    assert ('<div class="pb-step-note">\n<p>With <span class="arithmatex">\\(x = A_{ij}\\)</span> in (1.6).</p>'
            in html_module.unescape(proof))
    assert ('<p class="pb-why pb-inconclusive">? transpose — not checked: time limit of 60 s reached</p>'
            in proof)
    assert '<p class="pb-why pb-verified">✔ the right-hand side</p>' in proof
    info = html[html.index('<div class="pb-info">'):]
    assert info.index('<span class="pb-uses">Uses <a') < info.index('<span class="pb-used-by">Used by <a')
    assert info.index('class="pb-nb-link" href="pb-graph:#pb-nb-log-det-grad"') < info.index("pb-proof")


def test_printed_entry_adds_no_heading_id_and_no_links(markdown_to_html: Convert) -> None:
    """The print page's copy: a raw title (no id for the table of contents or autorefs to see
    twice), no permalink or neighbourhood, and the proof open."""
    entry = make_entry(proof=tuple(s.step for s in STEPS if s.step))
    html = page_html(entry_block(make_report(entry, steps=STEPS), ("uses-it",), expanded=True, printed=True),
                     markdown_to_html)
    title = BeautifulSoup(html, "html.parser").select_one('.pb-title[role=heading][aria-level="3"]')
    assert title.name == "p" and not title.has_attr("id") and title.a["href"] == "#log-det-grad"
    assert "<h3" not in html and "pb-permalink" not in html and "pb-nb-link" not in html
    assert BeautifulSoup(html, "html.parser").select_one("details.pb-proof").has_attr("open")


def test_user_text_is_never_markup(markdown_to_html: Convert) -> None:
    """Titles, sources and tags are text; notes are Markdown whose raw HTML is escaped."""
    entry = make_entry(title="<script>alert(1)</script> *x* [y](z) $a$ {: #id }", source="<script>s</script>",
                       tags=("<script>t</script>",), notes="**ok** <script>n</script> `<kbd>`")
    html = page_html(entry_block(make_report(entry)), markdown_to_html)
    assert "<script>" not in html
    assert ("&#60;script&#62;alert(1)&#60;/script&#62; &#42;x&#42; &#91;y&#93;(z) &#36;a&#36; "
            "&#123;&#58; &#35;id &#125;") in html
    assert "<strong>ok</strong> &lt;script&gt;n&lt;/script&gt; <code>&lt;kbd&gt;</code>" in html


@pytest.mark.parametrize(("text", "expected"), [
    # a tag is text, a comparison in math stays math
    ("<b>x</b> and $a < b$", '<p>&lt;b&gt;x&lt;/b&gt; and <span class="arithmatex">\\(a &lt; b\\)</span></p>'),
    # comments, closing tags and doctypes are text too
    ("<!-- c --> </div> <!x>", "<p>&lt;!-- c --&gt; &lt;/div&gt; &lt;!x&gt;</p>"),
    # code is code
    ("`<b>`\n\n```\n<b>\n```", "<p><code>&lt;b&gt;</code></p>\n<pre><code>&lt;b&gt;\n</code></pre>"),
])
def test_markdown_escapes_raw_html(text: str, expected: str) -> None:
    """Raw HTML in registry Markdown is text, in a one-line block of its own."""
    block = markdown(text, "pb-notes")
    assert "\n" not in block
    assert html_module.unescape(block.replace("&lt;", "&amp;lt;").replace("&gt;", "&amp;gt;")) == (
        f'<div class="pb-notes">{expected}</div>')


@pytest.mark.parametrize(("decl", "expected"), [
    # square matrix with an assumption, spelled as words
    (SymbolDecl("S", "matrix", ("n", "n"), ("positive_definite",)), "n × n matrix, positive definite"),
    # rectangular matrix depending on a scalar
    (SymbolDecl("A", "matrix", ("m", "n"), of=("x",)), "m × n matrix, function of x"),
    # vector of fixed length
    (SymbolDecl("a", "vector", (3, 1)), "vector of length 3"),
    # index
    (SymbolDecl("i", "index", ("n", 1)), "index from 1 to n"),
    # scalar with assumptions
    (SymbolDecl("x", "scalar", assume=("real", "positive")), "scalar, real, positive"),
    # function of two symbols
    (SymbolDecl("f", "function", of=("x", "y")), "function of x, y"),
])
def test_describe_symbol(decl: SymbolDecl, expected: str) -> None:
    """Symbols read as a sentence fragment."""
    assert describe_symbol(decl) == expected


def small_registry() -> tuple[Registry, list[EntryReport]]:
    """Two chapters; (2.1) cites (1.1) and (1.2)."""
    first = make_entry("trace-ab-grad", "1.1", title="Gradient of Tr(AB)")
    second = make_entry("log-det-grad", "1.2", title='A "quoted" <title>')
    third = make_entry("uses-it", "2.1", chapter="more", title="Uses both",
                       proof=(ProofStep(Source("x", HERE), by=("trace-ab-grad", "log-det-grad")),))
    registry = Registry((Chapter("traces", "Traces", 1, "01-traces.yml", (first, second), intro="Intro *md*."),
                         Chapter("more", "More", 2, "02-more.yml", (third,))))
    return registry, [make_report(e) for e in registry.entries]


def test_index_page(markdown_to_html: Convert) -> None:
    """One table per chapter: number, title and formula of each entry, and its status."""
    registry, reports = small_registry()
    html = page_html(index_page(registry, {r.entry.id: r for r in reports}, "../notation.md"),
                     markdown_to_html, url="handbook/")
    assert '<h2 id="1-traces"><a href="traces.md">1. Traces</a>' in html
    link = '<a class="pb-ref" href="traces/#trace-ab-grad" data-pb-number="1.1" data-pb-title="" data-pb-tex="x">'
    assert (f'<tr><td>{link}(1.1)</a></td><td>{link}Gradient of Tr(AB)</a></td>'
            f"<td>{inline_math(LATEX)}</td><td>✔ proved for n ≤ 1, tested for n ≤ 2</td></tr>") in html
    assert '<a href="../notation.md">notation</a>' in html
    assert "notation" not in index_page(registry, {r.entry.id: r for r in reports}, None)


HREFS = {"trace-ab-grad": "../traces/#trace-ab-grad", "log-det-grad": "../traces/#log-det-grad",
         "uses-it": "../more/#uses-it"}


def test_graph_page(markdown_to_html: Convert) -> None:
    """An SVG whose every node links to its entry and is coloured by its level, a legend, the
    same as a list, and each entry's neighbourhood; the drawings are out of the search index."""
    registry, reports = small_registry()
    by_id = {r.entry.id: r for r in reports}
    edges = [("trace-ab-grad", "uses-it"), ("log-det-grad", "uses-it")]
    text = graph_page(registry, by_id, edges, HREFS)
    html = page_html(text, markdown_to_html, url="handbook/graph/")
    assert html.count('<div class="pb-graph" data-search-exclude>') == 4  # the graph, three neighbourhoods
    graph = html[html.index("<svg"):html.index("</svg>")]
    for href in HREFS.values():
        assert f'<a xlink:href="{href}" class="pb-node pb-node-proved-for-sizes">' in graph
    assert "<title>(1.2) A &#34;quoted&#34; &#60;title&#62;</title>" in graph
    assert graph.count('class="pb-edge"') == 2
    assert '<ul class="pb-legend"><li><span class="pb-swatch pb-node-proved-for-sizes"></span>' in html
    assert "- [[uses-it]] Uses both: by [[trace-ab-grad]], [[log-det-grad]]" in text
    assert '<div class="pb-neighbourhood" id="pb-nb-trace-ab-grad">' in text
    assert "No proof cites another entry yet." in graph_page(registry, by_id, [], HREFS)


@pytest.mark.parametrize(("ident", "uses", "used_by"), [
    # the middle of a chain: one step each way, then the next
    ("b", ["a"], ["c", "d"]),
    # the root: nothing below it, everything above, nearest first
    ("a", [], ["b", "c", "d"]),
    # a leaf reached by two paths: each entry once
    ("d", ["b", "c", "a"], []),
])
def test_neighbourhood_is_transitive(ident: str, uses: list[str], used_by: list[str]) -> None:
    """What an entry rests on and what rests on it, through every step, each once."""
    edges = [("a", "b"), ("b", "c"), ("b", "d"), ("c", "d")]
    assert graph.Arrows(edges).neighbourhood(ident) == (uses, used_by)


def test_graph_layers_put_cited_entries_above() -> None:
    """Every arrow points down, one or more layers; an entry sits right below its deepest citation."""
    edges = [("a", "b"), ("b", "c"), ("a", "c"), ("x", "c")]
    rows = graph.layers(["a", "b", "c", "x"], edges)
    layer = {i: k for k, row in enumerate(rows) for i in row}
    assert layer == {"a": 0, "x": 0, "b": 1, "c": 2}


def test_print_page_is_a_formula_sheet(markdown_to_html: Convert) -> None:
    """Title and byline, the screen-only switch for proofs, a footer for every sheet with the
    title as a CSS string that no character of it can end, and chapter headings with ids of
    their own."""
    registry, reports = small_registry()
    blocks = {r.entry.id: entry_block(r, printed=True) for r in reports}
    text = print_page(registry, blocks, 'Hand"book</style>', "version 2")
    meta = get_markdown_meta(text)[1]
    assert meta["search"] == {"exclude": True} and meta["hide"] == ["navigation", "toc"]
    html = page_html(text, markdown_to_html, url="handbook/print/")
    title = html[html.index('<h1 id="pb-print-title">'):]
    assert html_module.unescape(title[:title.index("</h1>")]) == '<h1 id="pb-print-title">Hand"book</style>'
    footer = html[html.index('<style id="pb-print-footer">'):html.index("</style>")]
    assert 'content: "Hand\\22 book\\3c /style\\3e  · version 2"' in footer
    assert '<input type="checkbox" id="pb-print-proofs">' in html
    assert '<h2 class="pb-chapter" id="pb-print-traces">1. Traces</h2>' in html
    assert '<h2 id="' not in html


def test_handbook_pages_in_nav_order() -> None:
    """Index first, then the chapters in order, the graph, and a notation page unless the site
    has its own."""
    registry, reports = small_registry()
    blocks = {r.entry.id: "" for r in reports}
    names = [name for name, _ in handbook_pages(registry, reports, blocks, [], HREFS)]
    assert names == ["index.md", "traces.md", "more.md", "graph.md", "notation.md"]
    own = [name for name, _ in handbook_pages(registry, reports, blocks, [], HREFS, notation="../notation.md")]
    assert own == ["index.md", "traces.md", "more.md", "graph.md"]


def test_corrections_page_lists_the_entries_tagged_correction(markdown_to_html: Convert) -> None:
    """Tagged entries get a page after the graph: each with its verified formula, its note (the
    common version, as prose) and its source; untagged entries are not on it."""
    registry, _ = small_registry()
    fixed = make_entry("log-det-grad", "1.2", title="Gradient of ln|A|", tags=("correction",),
                       notes="Common version: $A^{-1}$, without the transpose.")
    registry = Registry((Chapter("traces", "Traces", 1, "01-traces.yml", (registry.entries[0], fixed)),))
    reports = [make_report(e) for e in registry.entries]
    names = [name for name, _ in handbook_pages(registry, reports, {r.entry.id: "" for r in reports}, [], HREFS)]
    assert names == ["index.md", "traces.md", "graph.md", "corrections.md", "notation.md"]
    html = page_html(corrections_page([reports[1]]), markdown_to_html, url="handbook/corrections/")
    assert html.startswith('<h1 id="corrections-to-common-references">Corrections to common references')
    assert display_math(LATEX) in html and "Common version" in html and "without the transpose" in html
    assert "Gradient of ln&#124;A&#124;" in html and "Bishop 2006, p. 697" in html and "trace-ab-grad" not in html


def test_notation_page_lists_conventions_layout_evidence_and_symbols(markdown_to_html: Convert) -> None:
    """The generated notation page: tables whose math keeps its bars, and every declared symbol."""
    registry, _ = small_registry()
    html = page_html(notation_page(registry), markdown_to_html, url="handbook/notation/")
    assert r"\left|\mathbf{A}\right|" in html
    assert "✔ proved for every n" in html and "<td>numeric</td>" in html
    for entry in registry.entries:
        for decl in entry.symbols:
            assert f"<td>{decl.name}</td>" in html


def test_chapter_page(markdown_to_html: Convert) -> None:
    """The chapter title is numbered, the intro is Markdown, the blocks follow in order."""
    registry, reports = small_registry()
    blocks = {r.entry.id: entry_block(r) for r in reports}
    pages = dict(handbook_pages(registry, reports, blocks, [], HREFS))
    html = page_html(pages["traces.md"], markdown_to_html)
    assert html.startswith('<h1 id="1-traces">1. Traces<a class="headerlink" href="#1-traces" '
                           'title="Permanent link">&para;</a></h1>\n<div class="pb-intro"><p>Intro <em>md</em>.</p></div>')
    assert html.index('id="trace-ab-grad"') < html.index('id="log-det-grad"')
