r"""The Markdown of the generated handbook pages: chapters, index, dependency graph, print page.

Each entry is one block, ``<div class="pb-entry" id="<id>" markdown>`` (md_in_html), so its id
is a stable anchor.  Inside it, everything that must reach the browser unchanged is a raw HTML
block on its own lines at the first column, which Python-Markdown sets aside untouched:

* math, in arithmatex's generic form (``<div class="arithmatex">\[ ... \]</div>``,
  ``<span class="arithmatex">\( ... \)</span>``), so MathJax or KaTeX typesets it whether or not
  the site enables arithmatex, with backslashes and underscores intact;
* user text: sources and tags escaped and sealed (``sanitize.text_html``), symbols escaped;
  titles, which must stay Markdown headings and links, as character references
  (``refs.literal``);
* registry Markdown (notes, intros, step notes): rendered to HTML here, cleaned with an
  allow-list and sealed (``sanitize``), each in a one-line ``<div>`` of its own.

The proof is a ``<details class="note" markdown>`` block, the HTML pymdownx.details produces
for ``??? note "Proof"``: an indented ``???`` body would not keep raw HTML blocks raw.  On the
print page it is ``open``, since paper cannot be clicked.

Links to entries are written as ``[[id]]`` references; ``refs.fix_refs`` resolves them later,
per page, as on any other page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence

from ..language.basis import ordinal
from ..model import Chapter, Entry, EntryReport, Level, Registry, Result, StepReport, SymbolDecl
from . import graph, sanitize
from .levels import MEANING, dimensions, level_details, level_words
from .refs import literal

#: Badge text per status; a false entry never reaches a page (it fails the build).
_BADGES = {
    "verified": "✔ verified",
    "inconclusive": "? inconclusive",
    "definition": "definition · not verified",
}
_INDEX = "index.md"
#: The dependency graph page.
GRAPH = "graph.md"
#: The handbook's own notation page, generated when the site has no ``notation.md``.
NOTATION = "notation.md"
#: The printable page: every chapter on one page, outside the navigation.
PRINT = "print.md"
#: The page of corrections to common references: every entry tagged ``CORRECTION``.
CORRECTIONS = "corrections.md"
CORRECTION = "correction"


# -- pieces ------------------------------------------------------------------------------------

def display_math(latex: str, tag: str | None = None) -> str:
    r"""A display equation in arithmatex's generic form, numbered ``(tag)`` when given.

    The number is HTML beside the math, not a ``\tag`` inside it: a math engine places a tag
    absolutely, over the formula once the line is too narrow for both, and a site's own engine
    (MathJax) numbers differently.  As flex items the formula and its number share the line
    where both fit; where they do not, the number wraps below and the formula scrolls in its
    own box (``proofbook.css``).
    """
    math = f'<div class="arithmatex">\\[ {html.escape(latex, quote=False)} \\]</div>'
    if tag is None:
        return math
    return f'<div class="pb-formula">{math}<span class="pb-eqno">({html.escape(tag)})</span></div>'


def inline_math(latex: str) -> str:
    """Inline math in arithmatex's generic form."""
    return f'<span class="arithmatex">\\( {html.escape(latex, quote=False)} \\)</span>'


def markdown(text: str, css_class: str) -> str:
    """Registry Markdown (a note, an intro) as a raw HTML block of its own: rendered, cleaned and
    sealed by ``sanitize``, so math stays math and nothing in it becomes markup it may not write."""
    return sanitize.block(sanitize.markdown_html(text), css_class)


def one_line(text: str) -> str:
    """A title as one line: Markdown headings, links and table cells cannot span lines."""
    return " ".join(text.split())


def describe_symbol(decl: SymbolDecl) -> str:
    """What a symbol is, as a reader says it: ``n × n matrix, invertible``."""
    rows, cols = decl.shape or (None, None)
    match decl.kind:
        case "matrix":
            what = f"{rows} × {cols} matrix"
        case "vector" if decl.basis is not None:
            what = f"the {ordinal(decl.basis)} standard basis vector, of length {rows}"
        case "vector":
            what = f"vector of length {rows}"
        case "index":
            what = f"index from 1 to {rows}"
        case kind:  # scalar, function
            what = kind
    if decl.of:
        what += (" of " if decl.kind == "function" else ", function of ") + ", ".join(decl.of)
    return ", ".join([what, *(a.replace("_", " ") for a in decl.assume)])


def badge(result: Result, dims: Sequence[str] = ()) -> str:
    """The verification badge: a few words ("✔ proved for every n"), the evidence one click away.

    ``dims`` are the entry's dimension names, which the words name.  Not verified: the status
    and the reason it is missing.
    """
    if result.status == "verified" and result.level is not None:
        summary = f"✔ {level_words(result, dims)}"
        details = level_details(result)
    else:
        summary, detail = _BADGES[result.status], result.describe()
        details = [detail] if detail else []
    level = f" pb-level-{result.level}" if result.level else ""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in details)
    return (f'<details class="pb-badge pb-{result.status}{level}"><summary>{html.escape(summary)}'
            f"</summary>{body}</details>")


def symbol_label(decl: SymbolDecl) -> str:
    """A symbol as lists name it, in HTML: ``s2``, or its display name and then the name the
    expressions use, ``σ² (s2)``."""
    if decl.latex is None:
        return html.escape(decl.name)
    return f"{inline_math(decl.latex)} ({html.escape(decl.name)})"


def _symbols(symbols: Sequence[SymbolDecl]) -> str | None:
    """The symbols on one line, names that share a description together: ``A, B: n × n matrix; x: scalar``."""
    if not symbols:
        return None
    groups: dict[str, list[str]] = {}
    for decl in symbols:
        groups.setdefault(describe_symbol(decl), []).append(symbol_label(decl))
    items = "; ".join(f'<span class="pb-symbol">{", ".join(names)}</span>: {html.escape(what)}'
                      for what, names in groups.items())
    return f'<span class="pb-symbols">{items}</span>'


def plain_formula(entry: Entry) -> str:
    """The statement as the registry writes it (``diff(trace(A*B), A) = B.T``): readable text for
    the search index, where LaTeX source would be noise."""
    return " = ".join(" ".join(side.text.split()) for side in entry.statement)


def _info(entry: Entry, used_by: Sequence[str], links: Sequence[str]) -> list[str]:
    """The small print under the formula, as items of one line: source, tags, what the proof uses,
    what uses the entry, then ``links`` (permalink, neighbourhood)."""
    items = []
    if entry.source:
        items.append(f'<span class="pb-source">Source: {sanitize.text_html(entry.source)}</span>')
    if entry.tags:
        tags = " ".join(f'<span class="pb-tag">{sanitize.text_html(t)}</span>' for t in entry.tags)
        items.append(f'<span class="pb-tags">{tags}</span>')
    if entry.cited:
        items.append(f'<span class="pb-uses">Uses {_refs(entry.cited)}</span>')
    if used_by:
        items.append(f'<span class="pb-used-by">Used by {_refs(used_by)}</span>')
    return [*items, *links]


def _refs(ids: Iterable[str]) -> str:
    return ", ".join(f"[[{i}]]" for i in ids)


def _justification(step: StepReport) -> str:
    """Why a proof line follows: cited entries, the rule, and whether the verifier agreed."""
    if step.step is None:
        reasons = ["the right-hand side"]
    else:
        reasons = [f"by {_refs(step.step.by)}"] if step.step.by else []
        reasons += [step.step.rule.replace("-", " ")] if step.step.rule else []
    status = step.result.status
    mark = "✔ " if status == "verified" else "? "
    unchecked = f" — not checked: {sanitize.text_html(step.result.describe())}" if status != "verified" else ""
    return f'<p class="pb-why pb-{status}">{mark}{" · ".join(reasons)}{unchecked}</p>'


def _proof(report: EntryReport, expanded: bool) -> str | None:
    """The chain from the left-hand side, one "= ..." equation per step, each with its reason.

    Every line is raw HTML already, so the whole ``<details>`` is one raw HTML block."""
    if not report.steps:
        return None
    opened = " open" if expanded else ""
    steps = "step" if len(report.steps) == 1 else "steps"
    lines = [f'<details class="note pb-proof"{opened}>',
             f"<summary>Proof ({len(report.steps)} {steps})</summary>", *map(display_math, report.sides[:1])]
    for step in report.steps:
        lines += [display_math(f"= {step.latex}"), _justification(step)]
        if step.step is not None and step.step.note:
            lines.append(markdown(step.step.note, "pb-step-note"))
    return "\n".join([*lines, "</details>"])


# -- blocks and pages --------------------------------------------------------------------------

#: Where the info line's neighbourhood link points before the plugin knows the page: the
#: plugin replaces this prefix with the graph page's URL relative to the page that shows it.
GRAPH_LINK = "pb-graph:"


def neighbourhood_anchor(ident: str) -> str:
    """The graph page's anchor of an entry's neighbourhood; prefixed, so it collides with no id."""
    return f"pb-nb-{ident}"


def entry_block(report: EntryReport, used_by: Sequence[str] = (), cite: str | None = None,
                expanded: bool = False, printed: bool = False) -> str:
    """One entry, dense as in DLMF: the title; the numbered formula; the badge and the symbols on
    one line; notes; one small info line (source, tags, uses, used by, permalink, neighbourhood,
    and the collapsed Proof and ``cite``, the Cite control of ``render.cite``).

    ``expanded`` opens the proof.  ``printed`` is the print page's copy: its title is a
    paragraph with the heading role, not an ``<h3>``, to which the ``toc`` extension would give
    the chapter page's heading id a second time (md_in_html parses raw HTML inside the block);
    and it has no on-screen links.
    """
    entry = report.entry
    title = literal(one_line(entry.title))
    heading = (f'<p class="pb-title" role="heading" aria-level="3">[[{entry.id}|{title}]]</p>' if printed
               else f"### [[{entry.id}|{title}]]")
    links = [] if printed else [
        f'<a class="pb-permalink" href="#{entry.id}" title="Link to this entry" data-search-exclude="link">#</a>',
        *([f'<a class="pb-nb-link" href="{GRAPH_LINK}#{neighbourhood_anchor(entry.id)}" '
            'data-search-exclude="link">neighbourhood</a>']
          if entry.cited or used_by else [])]
    meta = [badge(report.result, dimensions(entry)), _symbols(entry.symbols)]
    info = [*_info(entry, used_by, links), _proof(report, expanded), cite]
    parts = [
        f'<div class="pb-entry pb-{report.result.status}" id="{entry.id}" markdown>',
        heading,
        display_math(report.latex, entry.number),
        f'<p class="pb-plain" aria-hidden="true">{html.escape(plain_formula(entry))}</p>',
        '<div class="pb-meta">' + " ".join(m for m in meta if m) + "</div>",
        markdown(entry.notes, "pb-notes") if entry.notes else None,
        "\n".join(['<div class="pb-info">', *(i for i in info if i), "</div>"]),
        "</div>",
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def entry_blocks(reports: Iterable[EntryReport], used_by: Mapping[str, Sequence[str]],
                 cites: Mapping[str, str] | None = None, expanded: bool = False,
                 printed: bool = False) -> dict[str, str]:
    """The block of every entry, by id; ``cites`` holds the Cite controls by id."""
    cites = cites or {}
    return {r.entry.id: entry_block(r, used_by.get(r.entry.id, ()), cites.get(r.entry.id), expanded, printed)
            for r in reports}


def chapter_heading(chapter: Chapter) -> str:
    """``1. Matrix derivatives``: entry numbers start with the chapter number."""
    return f"{chapter.number}. {literal(one_line(chapter.title))}"


def chapter_file(chapter: Chapter) -> str:
    """The chapter page's path below the handbook folder."""
    return f"{chapter.slug}.md"


_TITLE_SAFE = str.maketrans("<>", "‹›")


def chapter_page(chapter: Chapter, blocks: Mapping[str, str], level: int = 1) -> str:
    """A chapter: its title (a heading of ``level``), intro and entry blocks in registry order.

    A whole page (level 1) also states its title in front matter: MkDocs would otherwise take
    it from the heading's text, decoded, and themes print it in ``<title>`` unescaped, so
    there angle brackets become look-alikes (‹ ›) that cannot open a tag.  Within the print
    page (level 2) the heading is raw HTML, sealed text (``sanitize.text_html``) out of the table
    of contents, whose labels themes print decoded into attributes, with an id of its own
    (``pb-print-<slug>``): a Markdown heading would repeat the chapter page's heading id, which
    autorefs reports as a duplicate.
    """
    if level == 1:
        title = f"{chapter.number}. {one_line(chapter.title)}".translate(_TITLE_SAFE)
        parts = [f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---", f"# {chapter_heading(chapter)}"]
    else:
        parts = [f'<h{level} class="pb-chapter" id="pb-print-{chapter.slug}">'
                 f"{sanitize.text_html(f'{chapter.number}. {one_line(chapter.title)}')}</h{level}>"]
    if chapter.intro:
        parts.append(markdown(chapter.intro, "pb-intro"))
    parts += [blocks[e.id] for e in chapter.entries]
    return "\n\n".join(parts)


def _index_row(report: EntryReport) -> list[str]:
    entry = report.entry
    return [f"[[{entry.id}]]", f"[[{entry.id}|{literal(one_line(entry.title))}]]",
            inline_math(report.latex), _status(report)]


def _status(report: EntryReport) -> str:
    """The index's status column: the badge's few words."""
    result = report.result
    if result.status == "verified" and result.level is not None:
        return html.escape(f"✔ {level_words(result, dimensions(report.entry))}")
    return html.escape(_BADGES[result.status])


def index_page(registry: Registry, reports: Mapping[str, EntryReport], notation: str | None,
               downloads: Sequence[tuple[str, str]] = (), links: Mapping[str, str] | None = None) -> str:
    """Every entry, chapter by chapter: number, title, formula, status.

    ``notation`` is the link to the site's notation page, when it has one; ``downloads`` are
    the exports, as (link text, link).  ``links`` holds the links to the chapter pages (by
    slug), the dependency graph (``graph``) and the print page (``print``) where a site places
    them itself (the Markdown extension); a page it lacks is not linked.  By default they are
    the plugin's pages, next to the index.
    """
    if links is None:
        links = {"graph": GRAPH, "print": PRINT, **{c.slug: chapter_file(c) for c in registry.chapters}}
    graph = (f" The [dependency graph]({links['graph']}) shows which proofs use which."
             if "graph" in links else "")
    parts = ["# Index of formulas",
             "Every formula of the handbook. Each identity here has passed the verifier: a false "
             f"one stops the build.{graph}"]
    if notation:
        parts.append(f"The symbols follow the [notation]({notation}).")
    files = [f"[{label}]({link})" for label, link in downloads]
    whole = f", and the whole handbook as {_listing(files)}" if files else ""
    if "print" in links:
        parts.append(f"To take it with you: the [printable version]({links['print']}), every chapter "
                     f"on one page{whole}.")
    for chapter in registry.chapters:
        heading = chapter_heading(chapter)
        parts += [f"## [{heading}]({links[chapter.slug]})" if chapter.slug in links else f"## {heading}",
                  _table(["No.", "Title", "Formula", "Status"], [_index_row(reports[e.id]) for e in chapter.entries])]
    return "\n\n".join(parts) + "\n"


def _listing(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


def graph_page(registry: Registry, reports: Mapping[str, EntryReport], edges: Sequence[tuple[str, str]],
               hrefs: Mapping[str, str]) -> str:
    """The citation graph (``render.graph``: an SVG, cited above citing, nodes linked to their
    entries through ``hrefs``, coloured by level, with a legend), the same as a list, then the
    neighbourhood of each entry in it: what it uses and what uses it, transitively, with its
    own small graph.  Drawings are left out of the search index; the list is in it.  The page
    hides Material's table of contents, to give the drawing the width.
    """
    parts = ["---\nhide:\n  - toc\n---", "# Dependency graph"]
    if not edges:
        return "\n\n".join([*parts, "No proof cites another entry yet."]) + "\n"
    entries = registry.by_id()
    used = [e.id for e in registry.entries if any(e.id in edge for edge in edges)]
    # an entry on no page (a host that places only some chapters) links to its neighbourhood here
    nodes = {i: graph.node_of(reports[i], hrefs.get(i, f"#{neighbourhood_anchor(i)}")) for i in used}
    citing = dict.fromkeys(c for _, c in edges)
    listing = [f"- [[{c}]] {literal(one_line(entries[c].title))}: by {_refs(entries[c].cited)}" for c in citing]
    parts += ["An arrow goes from an entry to each entry whose proof cites it; each box links to its "
              "entry. On a small screen, swipe the drawing to pan it.",
              _figure(graph.svg(list(nodes.values()), edges, "Dependency graph of the handbook")),
              graph.legend(n.kind for n in nodes.values()),
              "## Proofs and what they cite", "\n".join(listing),
              "## Neighbourhoods",
              "For each entry: everything its proof rests on, and everything that rests on it."]
    arrows = graph.Arrows(edges)
    parts += [_neighbourhood(reports[i], arrows, nodes) for i in used]
    return "\n\n".join(parts) + "\n"


def _figure(drawing: str) -> str:
    """A drawing in its own scroll box, out of the search index."""
    return f'<div class="pb-graph" data-search-exclude>\n{drawing}\n</div>'


def _neighbourhood(report: EntryReport, arrows: graph.Arrows, nodes: Mapping[str, graph.Node]) -> str:
    """One entry's neighbourhood: a titled block, two lists of references and a small graph."""
    ident = report.entry.id
    uses, used_by = arrows.neighbourhood(ident)
    members = {ident, *uses, *used_by}
    among = arrows.subgraph(members)
    lines = [f'<div class="pb-neighbourhood" id="{neighbourhood_anchor(ident)}">',
             f'<p class="pb-nb-title">[[{ident}]] [[{ident}|{literal(one_line(report.entry.title))}]]</p>',
             f"<p>Rests on: {_refs(uses) if uses else 'nothing else in the handbook'}.</p>",
             f"<p>Used by: {_refs(used_by) if used_by else 'no other entry yet'}.</p>",
             _figure(graph.svg([nodes[m] for m in nodes if m in members], among,
                               f"Neighbourhood of ({report.entry.number})")),
             "</div>"]
    return "\n".join(lines)


def print_page(registry: Registry, blocks: Mapping[str, str], title: str, byline: str) -> str:
    """Every chapter on one page, a formula sheet for paper or PDF (``blocks`` from
    ``entry_blocks(..., expanded=True, printed=True)``).

    Front matter keeps it out of the search index (the chapters are there already) and hides
    Material's navigation and table of contents; the print style sheet hides the rest.  A switch
    on the screen (a checkbox; the style sheet reads it with ``:has``, no script) says whether
    the paper gets the proofs and notes, or the formulas only.  Title and byline are raw HTML,
    with ids of their own.
    """
    front = (f"---\ntitle: {json.dumps(one_line(title).translate(_TITLE_SAFE), ensure_ascii=False)}\n"
             "search:\n  exclude: true\nhide:\n  - navigation\n  - toc\n---")
    footer = " · ".join(part for part in [one_line(title), byline] if part)
    parts = [front, _page_footer(footer), f'<h1 id="pb-print-title">{literal(one_line(title))}</h1>',
             *([f'<p class="pb-byline">{literal(byline)}</p>'] if byline else []),
             '<div class="pb-print-switch">\n<label><input type="checkbox" id="pb-print-proofs"> '
             "Print the proofs and notes too</label> (otherwise the paper gets the formulas, their "
             "numbers, status and sources only). Print with your browser's Print command.\n</div>"]
    parts += [chapter_page(chapter, blocks, level=2) for chapter in registry.chapters]
    return "\n\n".join(parts) + "\n"


def _page_footer(text: str) -> str:
    """A style sheet that prints ``text`` at the foot of every sheet, with the page number (CSS
    page-margin boxes; ``text`` as a CSS string, so no character of it can end the rule)."""
    quoted = "".join(c if c.isalnum() or c in " ·.,:;()-_/" else f"\\{ord(c):x} " for c in text)
    return ('<style id="pb-print-footer">@media print { @page { @bottom-left { content: "' + quoted + '"; font-size: 8pt; } '
            '@bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } } }</style>')


_MATH_ELEMENT = re.compile(r'<(div|span|p) class="arithmatex">')


def exclude_math_from_search(page_html: str) -> str:
    """Mark every arithmatex element of a page ``data-search-exclude``, which Material's search
    skips: a result should read "(1.8) diff(trace(A*B), A) = B.T" (``plain_formula``), not
    ``\\[ \\frac{\\partial}{...} \\]``.  Material removes the attribute from the page itself."""
    return _MATH_ELEMENT.sub(r'<\1 class="arithmatex" data-search-exclude="math">', page_html)


def failure_banner(message: str) -> str:
    """HTML for the top of every page while ``mkdocs serve`` has a broken registry: the problems
    as the console prints them (file:line, entry, counterexample), so no page passes for verified."""
    return (f'<div class="pb-failure" role="alert"><p><strong>proofbook: this site is out of date.</strong> '
            "The registry has problems; the handbook shows again once they are fixed and saved.</p>"
            f"<pre>{html.escape(message, quote=False)}</pre></div>")


def failure_page(message: str) -> str:
    """A handbook page while ``mkdocs serve`` has a broken registry: a title; the banner says why."""
    return ("---\ntitle: The handbook is not built\nsearch:\n  exclude: true\n---\n\n"
            "# The handbook is not built\n\nFix the problems above and save: this page reloads.\n")


def handbook_pages(registry: Registry, reports: Iterable[EntryReport], blocks: Mapping[str, str],
                   edges: Sequence[tuple[str, str]], graph_hrefs: Mapping[str, str], notation: str | None = None,
                   downloads: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(path below the handbook folder, Markdown) of every page in the navigation, in order:
    the index, one page per chapter, the dependency graph, and, unless ``notation`` links to
    the site's own notation page, the handbook's.  ``graph_hrefs`` link each entry from the graph page."""
    by_id = {r.entry.id: r for r in reports}
    chapters = [(chapter_file(c), chapter_page(c, blocks)) for c in registry.chapters]
    own = [] if notation else [(NOTATION, notation_page(registry))]
    corrected = [by_id[e.id] for e in registry.entries if CORRECTION in e.tags]
    fixes = [(CORRECTIONS, corrections_page(corrected))] if corrected else []
    return [(_INDEX, index_page(registry, by_id, notation or NOTATION, downloads)), *chapters,
            (GRAPH, graph_page(registry, by_id, edges, graph_hrefs)), *fixes, *own]


def corrections_page(reports: Sequence[EntryReport]) -> str:
    """Every entry tagged ``correction``: the statement as verified, then its note, which gives
    the version commonly printed and where it goes wrong.  The statements are the handbook's
    verified ones; the common versions are the notes' prose, not checked claims."""
    parts = ["# Corrections to common references",
             "Formulas that are often printed wrong, or without an assumption they need. Each "
             "entry below states the correct version, which the verifier checked like every other "
             "identity of this handbook; its note shows the common version and why it fails."]
    for report in reports:
        entry = report.entry
        parts += [f"## [[{entry.id}]] [[{entry.id}|{literal(one_line(entry.title))}]]",
                  display_math(report.latex),
                  *([markdown(entry.notes, "pb-notes")] if entry.notes else []),
                  f'<p class="pb-source">Source: {html.escape(entry.source)}</p>' if entry.source else ""]
    return "\n\n".join(p for p in parts if p) + "\n"


#: (how it is written, what it means) for the notation page.
_CONVENTIONS = [
    (r"\mathbf{A},\ \mathbf{a},\ x", "matrices and vectors are bold, scalars plain; vectors are columns"),
    (r"A_{ij},\ a_{i}", "entries, plain, numbered from 1"),
    (r"\mathbf{A}^{T},\ \mathbf{A}^{-1}", "transpose, inverse"),
    (r"\operatorname{Tr}\left(\mathbf{A}\right),\ \left|\mathbf{A}\right|", "trace, determinant"),
    (r"\ln", "natural logarithm"),
    (r"\mathbf{I},\ \mathbf{0}", "identity and zero matrices, of the size the formula needs"),
    (r"\mathbf{e}_{1},\ \mathbf{e}_{n}", "standard basis vectors: 1 in position 1 (or n), 0 elsewhere"),
    (r"1 + \mathbf{v}^{T} \mathbf{u}", "a 1 × 1 product is the scalar it holds where a scalar is needed"),
]
#: (derivative, its entries) in the handbook's layout.
_LAYOUT = [
    (r"\frac{\partial \mathbf{A}}{\partial x}", r"\left(\frac{\partial \mathbf{A}}{\partial x}\right)_{ij} "
     r"= \frac{\partial A_{ij}}{\partial x}", "by a scalar: entry by entry"),
    (r"\frac{\partial f}{\partial \mathbf{a}}", r"\left(\frac{\partial f}{\partial \mathbf{a}}\right)_{i} "
     r"= \frac{\partial f}{\partial a_{i}}", "a scalar by a vector: a column vector"),
    (r"\frac{\partial \mathbf{a}}{\partial \mathbf{b}}", r"\left(\frac{\partial \mathbf{a}}{\partial \mathbf{b}}"
     r"\right)_{ij} = \frac{\partial a_{i}}{\partial b_{j}}", "a vector by a vector: row i holds the derivatives of component i"),
    (r"\frac{\partial f}{\partial \mathbf{A}}", r"\left(\frac{\partial f}{\partial \mathbf{A}}\right)_{ij} "
     r"= \frac{\partial f}{\partial A_{ij}}", "a scalar by a matrix: the shape of the matrix; the entries of "
     "a symmetric matrix count as independent, and ∂ˢ marks the derivative in which entries (i, j) "
     "and (j, i) are one variable"),
]
#: (level, how a badge says it) for the notation page; ``levels.MEANING`` says what each guarantees.
_LEVEL_BADGES: list[tuple[Level, str]] = [
    ("proved", "✔ proved for every n"),
    ("proved-for-sizes", "✔ proved for n ≤ 2, tested for n ≤ 8"),
    ("tested", "✔ tested for n ≤ 8"),
    ("numeric", "✔ numeric check only"),
]


def notation_page(registry: Registry) -> str:
    """The handbook's conventions, derivative layout, evidence levels and symbols, for a site
    that does not write its own notation page."""
    parts = [
        "# Notation",
        "Every formula of this handbook is printed from the expression the verifier checked.",
        "## Symbols",
        _table(["Written", "Meaning"], [[inline_math(tex), text] for tex, text in _CONVENTIONS]),
        "## Derivatives",
        _table(["Derivative", "Entries", "Layout"],
               [[inline_math(tex), inline_math(entries), text] for tex, entries, text in _LAYOUT]),
        "## What the badges mean",
        "A formula is published only when no method found a counterexample; a false one stops the "
        "build. Its badge names the strongest level of evidence reached, strongest first below; "
        "a click shows what each method did. Definitions are not verified: they fix the notation "
        "the verifier implements. Notes, sources and other prose are not checked.",
        _table(["Level", "The badge says", "What it guarantees"],
               [[level, html.escape(words), html.escape(MEANING[level])] for level, words in _LEVEL_BADGES]),
        "## Symbols used in this handbook", _symbol_table(registry),
    ]
    return "\n\n".join(parts) + "\n"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An HTML table: cells may hold math with ``|`` (a Markdown table would split there)."""
    header = "".join(f"<th>{cell}</th>" for cell in head)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{header}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _symbol_table(registry: Registry) -> str:
    """Each symbol name with the ways the entries declare it, and the entries that do."""
    uses: dict[tuple[str, str, str], list[str]] = {}
    for entry in registry.entries:
        for decl in entry.symbols:
            uses.setdefault((decl.name, symbol_label(decl), describe_symbol(decl)), []).append(entry.id)
    ordered = sorted(uses.items(), key=lambda item: (item[0][0].lower(), item[0]))
    return _table(["Symbol", "Declared as", "In"],
                  [[label, html.escape(what), _refs(ids)] for (_, label, what), ids in ordered])
