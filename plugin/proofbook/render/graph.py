"""The dependency graph as an SVG drawn at build time: layered, every node a link, coloured by level.

Why not Mermaid: a Mermaid diagram is drawn in the browser by a 3 MB script, its labels shrink
with the page (6 px on a desktop), and under Material's ``securityLevel: strict`` its nodes
cannot link.  This SVG needs no script and no Markdown extension, keeps its labels at 13 px
(a phone pans it inside its own scroll box; ``proofbook.css`` sets the sizes) and links each node to its entry.

Layout (a small Sugiyama layering, enough for handbooks of tens to hundreds of entries): each
entry sits one layer below the deepest entry its proof cites, so arrows point down; within a
layer, entries are ordered by the mean position of what they cite (two sweeps), then drawn in
evenly spaced columns.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..model import EntryReport
from .refs import literal

#: Node size and spacing, in CSS pixels (the SVG is drawn at its natural size).
NODE_WIDTH, NODE_HEIGHT = 148, 42
COLUMN, ROW = 158, 78
MARGIN = 8
#: Characters of a title that fit on a node's second line at 12 px (the full title is its tooltip).
TITLE_CHARS = 22

#: (CSS class suffix, legend text), strongest evidence first; ``levels.MEANING`` explains each.
LEGEND: tuple[tuple[str, str], ...] = (
    ("proved", "proved for every size"),
    ("proved-for-sizes", "proved for some sizes, tested beyond"),
    ("tested", "tested exactly"),
    ("numeric", "numeric check only"),
    ("definition", "definition (not verified)"),
    ("inconclusive", "inconclusive"),
)


@dataclass(frozen=True)
class Node:
    """One entry as the graph draws it."""

    id: str
    number: str
    title: str
    #: ``LEGEND`` key: the evidence level, or the status when there is no level.
    kind: str
    href: str


def node_of(report: EntryReport, href: str) -> Node:
    """The graph node of an entry, linked to ``href``."""
    result = report.result
    kind = result.level if result.status == "verified" and result.level else result.status
    return Node(report.entry.id, report.entry.number, " ".join(report.entry.title.split()), kind, href)


def layers(ids: Sequence[str], edges: Sequence[tuple[str, str]]) -> list[list[str]]:
    """``ids`` in layers: an entry one below the deepest entry it cites (a DAG: proofs cannot cycle)."""
    cites: dict[str, list[str]] = {i: [] for i in ids}
    for cited, citing in edges:
        cites[citing].append(cited)
    depth: dict[str, int] = {}

    def depth_of(ident: str) -> int:
        if ident not in depth:
            depth[ident] = 1 + max((depth_of(c) for c in cites[ident]), default=-1)
        return depth[ident]

    rows: list[list[str]] = [[] for _ in range(1 + max(map(depth_of, ids), default=-1))]
    for ident in ids:
        rows[depth_of(ident)].append(ident)
    return _order(rows, edges)


def _order(rows: list[list[str]], edges: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Order each layer by the mean column of its neighbours in the layer above, then below."""
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for cited, citing in edges:
        up.setdefault(citing, []).append(cited)
        down.setdefault(cited, []).append(citing)
    for neighbours, sweep in ((up, rows[1:]), (down, rows[-2::-1])):
        for row in sweep:
            column = {i: k for r in rows for k, i in enumerate(r)}
            keyed = {i: sum(column[n] for n in neighbours.get(i, [])) / len(neighbours[i])
                     if neighbours.get(i) else column[i] for i in row}
            row.sort(key=keyed.__getitem__)
    return rows


def svg(nodes: Sequence[Node], edges: Sequence[tuple[str, str]], label: str) -> str:
    """The graph of ``nodes`` (cited → citing arrows), one line of markup per element, no blank line.

    ``label`` names the figure for screen readers.
    """
    by_id = {n.id: n for n in nodes}
    drawn = [(a, b) for a, b in edges if a in by_id and b in by_id]
    rows = layers(list(by_id), drawn)
    width = max(len(r) for r in rows) * COLUMN
    place = {}
    for y, row in enumerate(rows):
        offset = (width - len(row) * COLUMN) / 2
        for x, ident in enumerate(row):
            place[ident] = (MARGIN + offset + x * COLUMN, MARGIN + y * ROW)
    total_w, total_h = width + 2 * MARGIN, len(rows) * ROW - ROW + NODE_HEIGHT + 2 * MARGIN
    lines = [f'<svg class="pb-graph-svg" xmlns="http://www.w3.org/2000/svg" '
             f'xmlns:xlink="http://www.w3.org/1999/xlink" width="{total_w:.0f}" '
             f'height="{total_h:.0f}" viewBox="0 0 {total_w:.0f} {total_h:.0f}" role="img" '
             f'aria-label="{html.escape(label)}">',
             '<defs><marker id="pb-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z"/></marker></defs>']
    lines += [_arrow(place[a], place[b], f"{a} {b}") for a, b in drawn]
    lines += [_box(by_id[i], *place[i]) for row in rows for i in row]
    return "\n".join([*lines, "</svg>"])


def _arrow(start: tuple[float, float], end: tuple[float, float], ends: str) -> str:
    """A curve from the bottom of one box to the top of the other; ``ends`` names both ids."""
    x1, y1 = start[0] + NODE_WIDTH / 2, start[1] + NODE_HEIGHT
    x2, y2 = end[0] + NODE_WIDTH / 2, end[1]
    bend = (y2 - y1) / 2
    return (f'<path class="pb-edge" d="M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 + bend:.0f} {x2:.0f},{y2 - bend:.0f} '
            f'{x2:.0f},{y2 - 1:.0f}" marker-end="url(#pb-arrow)" data-edge="{ends}"/>')


def _box(node: Node, x: float, y: float) -> str:
    """A node: a link (``xlink:href``: Material's instant navigation rewrites every ``a[href]``
    and fails on an SVG link, whose ``href`` cannot be set) around a box, number and title."""
    # titles as character references (``refs.literal``): the drawing sits in the page's Markdown,
    # where "![[x]]" or "[x](y)" in a title would otherwise be read as a reference or a link
    title = node.title if len(node.title) <= TITLE_CHARS else node.title[:TITLE_CHARS - 1].rstrip() + "…"
    return (f'<a xlink:href="{html.escape(node.href)}" class="pb-node pb-node-{node.kind}">'
            f"<title>({html.escape(node.number)}) {literal(node.title)}</title>"
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6"/>'
            f'<text x="{x + 8:.0f}" y="{y + 17:.0f}"><tspan class="pb-node-number">({html.escape(node.number)})'
            f'</tspan><tspan x="{x + 8:.0f}" dy="16">{literal(title)}</tspan></text></a>')


def legend(kinds: Iterable[str]) -> str:
    """The colours of the kinds that occur, in ``LEGEND`` order, as a one-line list."""
    present = set(kinds)
    items = "".join(f'<li><span class="pb-swatch pb-node-{kind}"></span>{html.escape(text)}</li>'
                    for kind, text in LEGEND if kind in present)
    return f'<ul class="pb-legend">{items}</ul>'


class Arrows:
    """The arrows (cited, citing) of a handbook, indexed both ways once: a page with every
    entry's neighbourhood rescanned all arrows per entry, which made warm builds slow."""

    def __init__(self, edges: Sequence[tuple[str, str]]) -> None:
        self.edges = list(edges)
        self._cited: dict[str, list[str]] = {}
        self._citing: dict[str, list[str]] = {}
        for cited, citing in self.edges:
            self._cited.setdefault(citing, []).append(cited)
            self._citing.setdefault(cited, []).append(citing)

    def neighbourhood(self, ident: str) -> tuple[list[str], list[str]]:
        """What ``ident``'s proof uses, transitively, and what uses it, transitively (registry
        order of discovery, nearest first)."""
        return _reach(ident, self._cited), _reach(ident, self._citing)

    def subgraph(self, members: set[str]) -> list[tuple[str, str]]:
        """The arrows among ``members``."""
        return [(a, b) for a, b in self.edges if a in members and b in members]


def _reach(start: str, step: Mapping[str, list[str]]) -> list[str]:
    """Every id reachable from ``start`` by ``step``, breadth first."""
    found: dict[str, None] = {}
    frontier = [start]
    while frontier:
        frontier = [n for i in frontier for n in step.get(i, []) if n not in found and n != start]
        found.update(dict.fromkeys(frontier))
    return list(found)

