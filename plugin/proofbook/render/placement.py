r"""Where a site's own pages place the handbook, for hosts that run no MkDocs plugin.

A page asks for a part of the handbook with a line of its own, outside code, written like an
admonition so that it reads naturally in any Markdown editor:

``!!! proofbook-chapter matrix-derivatives``
    the whole chapter with that slug: heading, intro, every entry block;
``!!! proofbook-index``, ``!!! proofbook-graph``, ``!!! proofbook-notation``, ``!!! proofbook-print``
    the formula index, the dependency graph, the notation page, every chapter on one page.

Each part has at most one page.  ``scan_docs`` finds them all once per build, so that a
reference on any page links to the page that holds its entry.  URLs follow the rule MkDocs and
Zensical share (``page_url``).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Registry
from .refs import sub_outside_code

#: The parts a page can ask for; only ``chapter`` takes an argument (its slug).
KINDS = ("chapter", "index", "graph", "notation", "print")

#: A directive line (verbose syntax: blanks are written as ``[ \t]``).
DIRECTIVE = r"""
    ^!!![ \t]+proofbook-(?P<kind>[a-z]+)(?:[ \t]+(?P<arg>[^\s]+))?[ \t]*$
"""

#: Page file endings a site's docs folder holds Markdown in.
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class Directive:
    """One ``!!! proofbook-...`` line: its part, the chapter slug (or None) and its line (1-based)."""

    kind: str
    arg: str | None
    line: int

    @property
    def part(self) -> str:
        """``chapter:<slug>`` or the kind itself: the key of the page that holds the part."""
        return f"chapter:{self.arg}" if self.kind == "chapter" else self.kind


def directives(markdown: str) -> list[Directive]:
    """The directives of a page, in order; those in code blocks and spans are text."""
    found: list[Directive] = []

    def note(match: re.Match[str]) -> str:
        found.append(Directive(match.group("kind"), match.group("arg"), markdown.count("\n", 0, match.start()) + 1))
        return match.group()

    sub_outside_code(DIRECTIVE, note, markdown)
    return found


def directive_problems(where: str, directive: Directive, registry: Registry) -> list[str]:
    """What is wrong with one directive (``where``: the page's path): an unknown part or slug."""
    at = f"{where}:{directive.line}"
    if directive.kind not in KINDS:
        known = ", ".join(f"proofbook-{kind}" for kind in KINDS)
        return [f"{at}: unknown proofbook directive 'proofbook-{directive.kind}'; known: {known}."]
    if directive.kind != "chapter":
        if directive.arg is not None:
            return [f"{at}: 'proofbook-{directive.kind}' takes no argument, but got '{directive.arg}'."]
        return []
    slugs = [c.slug for c in registry.chapters]
    if directive.arg is None:
        return [f"{at}: 'proofbook-chapter' needs a chapter slug, one of: {', '.join(slugs)}."]
    if directive.arg not in slugs:
        return [f"{at}: unknown chapter '{directive.arg}' in 'proofbook-chapter'; the registry's "
                f"chapters are: {', '.join(slugs)}."]
    return []


@dataclass
class Placements:
    """The page (path below the docs folder) of each part of the handbook a site places."""

    pages: dict[str, str] = field(default_factory=dict)
    #: Duplicate, unknown or malformed directives, located.
    problems: list[str] = field(default_factory=list)

    def chapter(self, slug: str) -> str | None:
        return self.pages.get(f"chapter:{slug}")


def scan_docs(docs_dir: Path, registry: Registry, shown: str | None = None) -> Placements:
    """Every directive of every page below ``docs_dir`` (``shown``: the folder as messages name
    it), checked against the registry."""
    placements = Placements()
    where: dict[str, str] = {}
    for src_uri, text in _pages(docs_dir):
        if "proofbook-" not in text:
            continue
        shown_page = posixpath.join(shown or os.fspath(docs_dir), src_uri)
        for directive in directives(text):
            problems = directive_problems(shown_page, directive, registry)
            placements.problems += problems
            if problems:
                continue
            at = f"{shown_page}:{directive.line}"
            if directive.part in placements.pages:
                placements.problems.append(f"{at}: {_describe(directive)} is placed a second time; it is "
                                           f"already on {where[directive.part]}. Each part has one page.")
                continue
            placements.pages[directive.part] = src_uri
            where[directive.part] = at
    return placements


def _describe(directive: Directive) -> str:
    return f"the chapter '{directive.arg}'" if directive.kind == "chapter" else f"the {directive.kind} page"


def _pages(docs_dir: Path) -> Iterator[tuple[str, str]]:
    """(path below ``docs_dir`` with ``/``, text) of every Markdown page, in path order; hidden
    folders (``.git``, caches) are skipped."""
    for folder, subfolders, names in os.walk(docs_dir):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(MARKDOWN_SUFFIXES):
                path = Path(folder, name)
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                yield path.relative_to(docs_dir).as_posix(), text


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL, relative to the site root, of the page built from ``src_uri``, as MkDocs and
    Zensical give it: ``a/b.md`` → ``a/b/`` (or ``a/b.html``), ``a/index.md`` → ``a/``."""
    stem = posixpath.splitext(src_uri)[0]
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        stem = posixpath.join(folder, "index")
        if directory_urls:
            return f"{folder}/" if folder else ""
    return f"{stem}/" if directory_urls else f"{stem}.html"


def markdown_link(to_src_uri: str, from_src_uri: str) -> str:
    """A Markdown link from one page's source to another's, as hosts resolve and check them."""
    return posixpath.relpath(to_src_uri, posixpath.dirname(from_src_uri) or ".")


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n+", re.DOTALL)


def without_front_matter(markdown: str) -> str:
    """A generated page's body: front matter means nothing in the middle of a page (a host
    reads it from the top of the page's own file)."""
    return _FRONT_MATTER.sub("", markdown, count=1)
