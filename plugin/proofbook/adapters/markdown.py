r"""proofbook as a Python-Markdown extension, for every host that runs Python-Markdown:
Zensical (which runs no MkDocs plugin), MkDocs and ProperDocs.

Enable it under ``markdown_extensions`` as ``proofbook``, with the plugin's options::

    [project.markdown_extensions.proofbook]      # zensical.toml
    registry = ["registry"]

Pages then place the handbook (``render.placement``: ``!!! proofbook-chapter <slug>``,
``!!! proofbook-index``, ...) and cite entries (``[[id]]``, ``[[id|text]]``, ``![[id]]``), and a
false, inconclusive or unknown entry raises, so the host's build fails with proofbook's message.

A host makes a new ``Markdown`` instance, and so a new extension, for every page.  The work of
a build is therefore kept at module level (``_HANDBOOKS``), keyed by everything it depends on:
the options, the site's folders and URL style, and the registry files' sizes and modification
times.  The first page of a build verifies the registry (through the result cache, like the
plugin); later pages, and rebuilds with an unchanged registry, reuse the result, and a rebuild
after an edit verifies again.  A failed verification is kept as well, so every page fails with
the same message at once instead of verifying again.

Which page is being converted, and where the site's pages and configuration are, the
extension learns from the host (``host_page``): MkDocs and ProperDocs register their
``relpath`` tree processor, holding the page's ``File`` and the configuration, before
converting a page; Zensical registers its ``rendering_context`` preprocessor with the page.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ..cache import ResultCache
from ..check import Report
from ..errors import ProofbookErrors
from ..handbook import Handbook, HandbookFailed, assemble, failure_message, registry_signature, verified_registry
from ..model import Registry
from ..progress import Progress
from ..proofs import dependency_edges
from ..render import pages
from ..render.cite import SiteMeta, byline
from ..render.placement import (DIRECTIVE, Directive, Placements, directive_problems, directives, markdown_link,
                                page_url, scan_docs, without_front_matter)
from ..render.refs import Target, entry_links, fix_refs, misplaced_message, sub_outside_code, unknown_message
from ..settings import ProofbookSettings
from ..settings import read_options as read_options_of

#: Runs after pymdownx.snippets (32), so included text is handled too, and before Python-Markdown
#: normalizes whitespace (30) and sets raw HTML aside (20).
PRIORITY = 31


# -- the host ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    """What the extension needs to know about the site being built."""

    #: ``mkdocs``, ``properdocs``, ``zensical``, or ``markdown`` (Python-Markdown on its own).
    host: str
    #: The configuration file's folder: registry paths and the cache folder are relative to it.
    config_dir: Path
    docs_dir: Path
    directory_urls: bool = True
    name: str | None = None
    url: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class HostPage:
    """The page being converted: its path below the docs folder and its URL (site-relative)."""

    site: Site
    src_uri: str
    url: str

    @property
    def shown(self) -> str:
        """The page's file as messages name it."""
        return _shown(self.site.docs_dir / self.src_uri)

    def front_matter_lines(self, markdown: str) -> int:
        """The lines the host cut from the top of the page's file (its front matter) before
        handing the rest, ``markdown``, to Python-Markdown: added to line numbers in messages."""
        try:
            source = (self.site.docs_dir / self.src_uri).read_text(encoding="utf-8").replace("\r\n", "\n")
        except (OSError, UnicodeError):
            return 0
        return source[:len(source) - len(markdown)].count("\n") if source.endswith(markdown) else 0


def host_page(md: Markdown) -> HostPage:
    """The page ``md`` is converting, as its host tells it."""
    if "relpath" in md.treeprocessors:  # MkDocs 1.x, ProperDocs
        relpath = md.treeprocessors["relpath"]
        config, file = relpath.config, relpath.file  # type: ignore[attr-defined]
        host = type(config).__module__.partition(".")[0]
        site = Site(host, Path(config.config_file_path or ".").resolve().parent, Path(config.docs_dir),
                    bool(config.use_directory_urls), config.site_name, config.site_url, config.site_author)
        return HostPage(site, file.src_uri, file.url)
    if "rendering_context" in md.preprocessors:  # Zensical
        context = md.preprocessors["rendering_context"]
        config, page = context.config, context.page  # type: ignore[attr-defined]
        root = Path(config["root_dir"]).resolve()
        site = Site("zensical", root, root / config["docs_dir"], bool(config["use_directory_urls"]),
                    config.get("site_name"), config.get("site_url"), config.get("site_author"))
        return HostPage(site, page.path, page.url)
    cwd = Path.cwd()
    return HostPage(Site("markdown", cwd, cwd / "docs"), "index.md", "")


def _shown(path: Path) -> str:
    """A path as messages show it: relative to the working directory when below it."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


class ProofbookBuildError(Exception):
    """The registry or a page cannot be published; the message says where and why."""


def _failure(site: Site, message: str, *, first: bool = True) -> Exception:
    """The exception that fails the host's build with ``message``: MkDocs and ProperDocs print
    their own ``PluginError`` as that message alone, no traceback.  Zensical prints a traceback
    around any exception, so the ``first`` time the message is also printed on its own."""
    exceptions = sys.modules.get(f"{site.host}.exceptions")
    plugin_error = getattr(exceptions, "PluginError", None)
    if plugin_error is not None:
        return plugin_error(message)
    if first:
        print(message, file=sys.stderr, flush=True)
    return ProofbookBuildError(message)


# -- options -------------------------------------------------------------------------------------

#: How messages name the extension's options (``proofbook.settings`` checks them).
OPTION_LABEL = "proofbook Markdown extension option"


def read_options(given: Mapping[str, Any]) -> ProofbookSettings:
    """The options as written under ``markdown_extensions``, checked as the plugin's are; raises
    ``HandbookFailed`` listing every bad one."""
    try:
        return read_options_of(given, label=OPTION_LABEL)
    except ProofbookErrors as errors:
        raise HandbookFailed("\n".join(str(e) for e in errors.errors)) from None


# -- one build -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Build:
    """A verified handbook and the pages of this site that place its parts."""

    handbook: Handbook
    placements: Placements
    site: Site
    #: (path, modification time) of the pages that hold parts, when they were scanned.
    holders: tuple[tuple[str, int], ...] = ()

    def chapter_url(self, slug: str) -> str | None:
        src = self.placements.chapter(slug)
        return None if src is None else page_url(src, self.site.directory_urls)

    @cached_property
    def targets(self) -> Mapping[str, Target]:
        """The reference targets of every entry whose chapter has a page (the same for every page)."""
        return self.handbook.targets(self.chapter_url)

    def placed_on(self, src_uri: str) -> set[str]:
        """The parts this build knows ``src_uri`` to hold."""
        return {part for part, src in self.placements.pages.items() if src == src_uri}

    def moved(self, src_uri: str, asked: set[str]) -> bool:
        """Whether the site's pages may place the parts elsewhere now: the page ``src_uri`` asks
        for other parts than it held, or a page that held one was edited or removed."""
        return self.placed_on(src_uri) != asked or _holders(self.site, self.placements) != self.holders


def _holders(site: Site, placements: Placements) -> tuple[tuple[str, int], ...]:
    """(path, modification time in ns; -1: gone) of each page that holds a part."""
    holders = []
    for src in sorted(set(placements.pages.values())):
        try:
            holders.append((src, (site.docs_dir / src).stat().st_mtime_ns))
        except OSError:
            holders.append((src, -1))
    return tuple(holders)


#: The current build of each site (a failed verification: its message), by options, site and
#: registry files.
_HANDBOOKS: dict[tuple[Any, ...], Build | str] = {}
_LOCK = threading.Lock()


def current_build(options: ProofbookSettings, site: Site, page: str, asked: set[str]) -> Build:
    """This build's handbook: verified by the first page that asks, reused by the others and by
    rebuilds until a registry file changes; raises with the message of a failed verification.

    ``asked`` are the parts page ``page`` asks for: when they are not those the build placed
    there, or a page that held a part changed (under ``serve``: a directive was added, moved or
    removed), the pages are scanned again, without verifying again."""
    paths = [_shown(site.config_dir / path) for path in options.registry]
    key = (options, site, registry_signature(paths))
    with _LOCK:  # a host may convert pages in several threads
        build = _HANDBOOKS.get(key)
        if build is None:
            for old in [k for k in _HANDBOOKS if k[:2] == key[:2]]:
                del _HANDBOOKS[old]  # the registry changed: forget the old build
            try:
                build = _HANDBOOKS[key] = _build(options, site, paths)
            except HandbookFailed as failed:
                _HANDBOOKS[key] = str(failed)
                raise _failure(site, str(failed)) from None
        elif isinstance(build, str):
            raise _failure(site, build, first=False)
        elif build.moved(page, asked):
            verified = build.handbook
            build = _HANDBOOKS[key] = _placed(options, site, verified.registry, verified.report, verified.warnings)
    if build.placements.problems:
        raise _failure(site, failure_message(build.placements.problems, "the pages"))
    return build


def _build(options: ProofbookSettings, site: Site, paths: list[str]) -> Build:
    cache = ResultCache(options.cache_folder(site.config_dir))
    registry, report, warnings = verified_registry(paths, options.check_options(), cache,
                                                   fail_on_inconclusive=options.fail_on_inconclusive,
                                                   progress=Progress.for_console(lambda line: _say(site, line)))
    for warning in warnings:
        _say(site, warning, warning=True)
    _say(site, f"{report.summary()}; {report.activity()}")
    return _placed(options, site, registry, report, warnings)


def _placed(options: ProofbookSettings, site: Site, registry: Registry, report: Report,
            warnings: Sequence[str]) -> Build:
    """The build of a verified registry with the parts where the site's pages place them now."""
    placements = scan_docs(site.docs_dir, registry, _shown(site.docs_dir))
    authors = options.authors if options.authors is not None else ((site.author,) if site.author else ())
    urls = {c.slug: _cited_url(placements, c.slug, site.directory_urls) for c in registry.chapters}
    meta = SiteMeta(title=options.handbook_title or site.name or "proofbook handbook", authors=authors,
                    version=options.version or None, url=site.url or None, date=options.date, page_urls=urls)
    return Build(assemble(registry, report, meta, warnings), placements, site, _holders(site, placements))


def _say(site: Site, line: str, *, warning: bool = False) -> None:
    """A note or warning for the user: through the plugin loggers of MkDocs and ProperDocs (so
    that ``--strict`` counts warnings), else on standard error, as the command line does."""
    if site.host in ("mkdocs", "properdocs"):
        log = logging.getLogger(f"{site.host}.plugins.proofbook")
        log.log(logging.WARNING if warning else logging.INFO, line)
    else:
        print(f"proofbook: {'warning: ' if warning else ''}{line}", file=sys.stderr, flush=True)


def _cited_url(placements: Placements, slug: str, directory_urls: bool) -> str:
    """Where a citation of an entry of chapter ``slug`` points: its chapter's page, else the
    index, else the site root."""
    src = placements.chapter(slug) or placements.pages.get("index")
    return page_url(src, directory_urls) if src else ""


# -- one page ------------------------------------------------------------------------------------

#: Stands for one directive while references are replaced: one line, no reference syntax.
_SLOT = "\x02proofbook-part-{}\x03"


def render_page(markdown: str, page: HostPage, build: Build) -> str:
    """The page with its directives replaced by the parts they ask for and every reference
    resolved; raises (``_failure``) for a bad directive or an unknown or unplaceable reference."""
    parts: list[tuple[Directive, str]] = []
    offset = page.front_matter_lines(markdown) if "[[" in markdown or "proofbook-" in markdown else 0

    def slot(match: re.Match[str]) -> str:
        line = markdown.count("\n", 0, match.start()) + 1 + offset
        directive = Directive(match.group("kind"), match.group("arg"), line)
        problems = directive_problems(page.shown, directive, build.handbook.registry)
        if problems:
            raise _failure(page.site, failure_message(problems, "the pages"))
        parts.append((directive, _part(directive, markdown[:match.start()], page, build)))
        return _SLOT.format(len(parts) - 1)

    text = sub_outside_code(DIRECTIVE, slot, markdown) if "proofbook-" in markdown else markdown
    targets = _targets_on(page, build, text)
    fixed = fix_refs(text, page.url, targets)
    problems = _reference_problems(page.shown, [(line + offset, i) for line, i in fixed.unknown], build)
    for line in fixed.misplaced:
        _say(page.site, misplaced_message(f"{page.shown}:{line + offset}"), warning=True)
    for number, (directive, part) in enumerate(parts):
        inner = fix_refs(part, page.url, targets)
        problems += _reference_problems(f"{page.shown}:{directive.line} (proofbook-{directive.kind})",
                                        [(None, ident) for _, ident in inner.unknown], build)
        fixed.markdown = fixed.markdown.replace(_SLOT.format(number), inner.markdown)
    if problems:
        raise _failure(page.site, failure_message(problems, "the pages"))
    return fixed.markdown


def _part(directive: Directive, before: str, page: HostPage, build: Build) -> str:
    """The Markdown of one part; a chapter is a section of the page when a title precedes it."""
    handbook, registry = build.handbook, build.handbook.registry
    match directive.kind:
        case "chapter":
            chapter = next(c for c in registry.chapters if c.slug == directive.arg)
            level = 2 if re.search(r"^#[ \t]", before, re.MULTILINE) else 1
            return without_front_matter(pages.chapter_page(chapter, handbook.blocks, level))
        case "index":
            links = {part.partition(":")[2] or part: markdown_link(src, page.src_uri)
                     for part, src in build.placements.pages.items() if part not in ("index", "notation")}
            notation = build.placements.pages.get("notation")
            return pages.index_page(registry, {r.entry.id: r for r in handbook.report.entries},
                                    markdown_link(notation, page.src_uri) if notation else None, links=links)
        case "graph":
            reports = {r.entry.id: r for r in handbook.report.entries}
            return pages.graph_page(registry, reports, dependency_edges(registry), entry_links(build.targets, page.url))
        case "notation":
            return pages.notation_page(registry)
        case _:  # print
            return without_front_matter(pages.print_page(registry, handbook.expanded, handbook.meta.title,
                                                         byline(handbook.meta)))


_EMBED = re.compile(r"^!\[\[(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\]\][ \t]*$", re.MULTILINE)


def _targets_on(page: HostPage, build: Build, text: str) -> Mapping[str, Target]:
    """The targets as seen from ``page``: on the print page, its own copies of every entry; an
    entry whose chapter is on no page links to its embed, when this page embeds it."""
    if build.placements.pages.get("print") == page.src_uri:
        return {r.entry.id: Target(r.entry.number, page.url, r.latex, build.handbook.expanded[r.entry.id])
                for r in build.handbook.report.entries}
    embedded = [ident for ident in _EMBED.findall(text) if ident not in build.targets]
    if not embedded:
        return build.targets
    targets = dict(build.targets)
    by_id = {r.entry.id: r for r in build.handbook.report.entries}
    for ident in embedded:
        if ident in by_id:
            report = by_id[ident]
            targets[ident] = Target(report.entry.number, page.url, report.latex, build.handbook.blocks[ident])
    return targets


def _reference_problems(where: str, unknown: Sequence[tuple[int | None, str]], build: Build) -> list[str]:
    """A message per reference that cannot be resolved: not an entry, or on no page."""
    by_id = build.handbook.registry.by_id()
    problems = []
    for line, ident in unknown:
        at = where if line is None else f"{where}:{line}"
        entry = by_id.get(ident)
        if entry is None:
            problems.append(unknown_message(at, ident, by_id))
        else:
            problems.append(f"{at}: proofbook reference '{ident}' ({entry.number}) has no page to link to: "
                            f"its chapter '{entry.chapter}' is on no page. Add a line "
                            f"'!!! proofbook-chapter {entry.chapter}' to a page, or embed the entry "
                            f"here with ![[{ident}]].")
    return problems


# -- Python-Markdown -----------------------------------------------------------------------------

class HandbookPreprocessor(Preprocessor):
    """Places the handbook's parts and resolves references, before any other Markdown step."""

    def __init__(self, md: Markdown, options: ProofbookSettings | str) -> None:
        super().__init__(md)
        #: The options, or why they are refused (said when a page is converted, where the host
        #: is known and its build can be failed cleanly).
        self.options = options

    def run(self, lines: list[str]) -> list[str]:
        page = host_page(self.md)
        if isinstance(self.options, str):
            raise _failure(page.site, self.options)
        text = "\n".join(lines)
        asked = {d.part for d in directives(text)} if "proofbook-" in text else set()
        build = current_build(self.options, page.site, page.src_uri, asked)
        if "[[" not in text and not asked:  # most pages of a site: nothing to place or resolve
            return lines
        placed = render_page(text, page, build)
        if 'class="pb-entry' in placed and "markdown_block" not in self.md.parser.blockprocessors:
            raise _failure(page.site, f"{page.shown}: proofbook: the handbook's entry blocks need the md_in_html "
                                      "Markdown extension; add md_in_html under markdown_extensions.")
        return placed.split("\n")


class ProofbookExtension(Extension):
    """``markdown_extensions: [proofbook]``; its options are the plugin's (``read_options``)."""

    def __init__(self, **options: Any) -> None:
        try:
            self.options: ProofbookSettings | str = read_options(options)
        except HandbookFailed as refused:
            self.options = str(refused)
        super().__init__()

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(HandbookPreprocessor(md, self.options), "proofbook", PRIORITY)


def makeExtension(**options: Any) -> ProofbookExtension:
    return ProofbookExtension(**options)
