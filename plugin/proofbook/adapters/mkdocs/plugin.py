"""The proofbook MkDocs plugin: a formula handbook whose every identity is checked at build time.

A build has two phases:

1. ``on_files``, once, before any page is read: load the registry, verify every entry (an
   unchanged entry's verdict comes from the result cache) and either fail the build with one
   message listing every problem, or add virtual files: the generated pages (index, one page
   per chapter, dependency graph, and the print page outside the navigation), the exports
   (``proofbook.json``, ``.tex``, ``.bib``) and the scripts and styles of ``render.assets``.
   After this, every entry's number, page URL, formula and block are known: they are the
   targets of cross-references.
2. ``on_page_markdown``, per page (written or generated): replace ``[[id]]`` references and
   ``![[id]]`` embeds (see ``proofbook.render.refs``).  An unknown id fails the build.

Around them: ``on_config`` resolves paths, lists the math engine's scripts and styles (the
``math`` option) and creates the cache once per plugin instance (``on_startup`` makes MkDocs
keep the instance across ``mkdocs serve`` rebuilds), ``on_nav``
files the generated pages under one section, ``on_serve`` rebuilds when the registry changes.
Under ``mkdocs serve`` a failed rebuild prints the message and the server keeps running.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ...cache import ResultCache
from ...check import Report, check_registry
from ...settings import ProofbookSettings
from .config import ProofbookConfig
from ...errors import ProofbookErrors, escaped, listed, shown_path
from ...model import Registry
from ...progress import Progress
from ...proofs import dependency_edges, used_by
from ...registry.snapshot import load_registry_cached
from ...render import pages
from ...render.assets import PACKAGE_ASSETS, SCRIPT, Assets, page_assets, prepend_new, site_engine, site_uri
from ...render.cite import EXPORTS, NO_SITE_URL, SiteMeta, byline, cite_block, exports
from ...render.refs import (Target, fix_refs, misplaced_message, over_limit_message, registry_problems,
                            unknown_message)
from ...render.html_refs import fix_html_refs
from ...render.urls import relative_url

log = get_plugin_logger(__name__)

#: The site's notation page: linked from the index when it exists, else the handbook makes its own.
NOTATION_PAGE = "notation.md"


class ProofbookPlugin(BasePlugin[ProofbookConfig]):
    """MkDocs hooks only; the work is done in ``check`` and ``render``."""

    def __init__(self) -> None:
        #: The validated options, as the core takes them (set by ``on_config``).
        self.settings = ProofbookSettings()
        self.cache: ResultCache | None = None
        self.paths: list[str] = []
        #: The project folder (of mkdocs.yml), inside which the registry must lie.
        self.root = Path(".")
        self.targets: dict[str, Target] = {}
        self.assets: Assets = page_assets("katex")
        #: The generated pages of the navigation, in order.
        self.generated: list[File] = []
        #: The print page, on which references point to its own copies of the entries.
        self.printable: File | None = None
        #: ``mkdocs serve`` is running: a broken registry then becomes an error page, not a stale site.
        self.serving = False
        #: The message of the registry's problems while the served site shows them, else None.
        self.failure: str | None = None
        #: The dependency graph page's URL, which the entries' neighbourhood links point to.
        self.graph_url = ""

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Note whether this is ``mkdocs serve``; defining this hook also makes MkDocs reuse this
        instance (and its cache) on rebuilds."""
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve the registry paths and the cache folder against mkdocs.yml's folder; list the
        style sheets and scripts the pages need."""
        extensions = {extension_name(e) for e in config.markdown_extensions}
        if "md_in_html" not in extensions:
            raise PluginError("proofbook: the handbook pages need the md_in_html Markdown extension; "
                              "add 'md_in_html' under markdown_extensions in mkdocs.yml.")
        if "pymdownx.arithmatex" not in extensions:
            log.warning("proofbook: math in the registry's notes and intros is shown as $...$ source on pages "
                        "the site writes itself, and the site's own math is not typeset, without "
                        "pymdownx.arithmatex; add it under markdown_extensions in mkdocs.yml with "
                        "'generic: true'. The handbook's formulas are typeset either way.")
        self.settings = self.config.settings()
        base = os.path.dirname(config.config_file_path or "")
        self.root = Path(base or ".")
        self.paths = [shown_path(os.path.join(base, path)) for path in self.settings.registry]
        folder = self.settings.cache_folder(Path(base))
        if self.cache is None or self.cache.folder != folder:
            self.cache = ResultCache(folder)
        self.assets = page_assets(self.settings.math, site_engine(config.extra_javascript) is not None)
        prepend_new(config.extra_css, self.assets.css)
        prepend_new(config.extra_javascript, self.assets.js)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Verify the registry, add the handbook's pages, exports and assets, and record the
        reference targets.  Under ``mkdocs serve`` a broken registry does not fail the rebuild,
        which would leave the browser on the last good pages: the handbook's pages become an
        error page and every page gets a banner with the problems (``serve_failure``)."""
        try:
            registry, report = self._verify()
        except PluginError as error:
            if not self.serving:
                raise
            return self._serve_failure(files, config, str(error))
        self.failure = None
        meta = self._meta(config, registry)
        if meta.url is None:  # once per build: on_files runs once
            log.info(NO_SITE_URL)
        exported = self._exports(registry, report, meta)
        blocks = self._add_pages(files, config, registry, report, meta, downloads=list(exported))
        for name, text in exported.items():
            self._add(files, config, name, content=text)
        self._add_assets(files, config)
        self.targets = {
            r.entry.id: Target(r.entry.number, meta.page_urls[r.entry.chapter], r.latex, blocks[r.entry.id],
                               pages.one_line(r.entry.title))
            for r in report.entries}
        return files

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Replace the references that Markdown extensions added after ``on_page_markdown``
        (snippets, docstrings; an unknown one warns), register the entries' anchors with autorefs,
        and keep LaTeX source out of the search index (each entry's formula is indexed as plain
        text; the site's own math, which arithmatex marks the same way, too).  While the served registry is broken, put the problems
        at the top of every page instead."""
        if self.failure is not None:
            return pages.failure_banner(self.failure) + html
        late = fix_html_refs(html, page.file.url, self._targets_on(page))
        for ident in dict.fromkeys(late.unknown):
            where = f"{page_location(page, '')[0]} (in Markdown an extension added: a snippet, a docstring)"
            log.warning(unknown_message(where, ident, self.targets))
        if page.file in self.generated:
            self._register_anchors(page, config)
        return pages.exclude_math_from_search(late.html)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Append a section with the generated pages, unless the user's ``nav`` places them."""
        added = [file.page for file in self.generated if file.page is not None]
        if any(page in nav.pages for page in added):
            return nav
        section = Section(self.settings.nav_section, list(added))
        for page in added:
            page.parent = section
        nav.items.append(section)
        nav.pages.extend(added)
        link_pages(nav.pages)
        return nav

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
        """Rebuild when a registry file changes, as when a page changes."""
        for path in self.paths:
            server.watch(path)
        return server

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Replace references and embeds; an unknown id fails the build, a misplaced embed warns.
        While the served registry is broken there are no targets: references stay as written."""
        if self.failure is not None:
            return markdown
        fixed = fix_refs(markdown, page.file.url, self._targets_on(page))
        if pages.GRAPH_LINK in fixed.markdown:
            fixed.markdown = fixed.markdown.replace(
                f'href="{pages.GRAPH_LINK}', f'href="{relative_url(self.graph_url, page.file.url)}')
        if fixed.unknown or fixed.misplaced or fixed.over_limit:
            where, offset = page_location(page, markdown)
            for line in fixed.misplaced:
                log.warning(misplaced_message(f"{where}:{line + offset}"))
            for line in fixed.over_limit:
                log.warning(over_limit_message(f"{where}:{line + offset}"))
            if fixed.unknown:
                raise PluginError("\n".join(unknown_message(f"{where}:{line + offset}", ident, self.targets)
                                            for line, ident in fixed.unknown))
        return fixed.markdown

    # -- helpers ---------------------------------------------------------------------------------

    @property
    def output_dir(self) -> str:
        """The handbook's folder below the site root; empty for the root itself."""
        return self.settings.output_dir

    def _verify(self) -> tuple[Registry, Report]:
        """Load and check the registry; raise one PluginError listing every problem."""
        cache = self.cache if self.settings.cache and self.cache is not None else ResultCache()
        try:
            registry = load_registry_cached(self.paths, cache, self.root, not self.settings.allow_outside)
        except ProofbookErrors as errors:
            raise registry_error([str(e) for e in errors.errors]) from None
        report = check_registry(registry, self.settings.check_options(), cache, Progress.for_console(log.info))
        for notice in cache.notices():
            log.warning(notice)
        problems = report.problems(self.settings.fail_on_inconclusive) + registry_problems(registry)
        if problems:
            raise registry_error(problems)
        for problem in listed(report.problems(fail_on_inconclusive=True)):  # inconclusive, yet allowed
            log.warning(problem)
        log.info(f"{report.summary()}; {report.activity()}")
        return registry, report

    def _register_anchors(self, page: Page, config: MkDocsConfig) -> None:
        """Tell autorefs, when the site uses it, where each entry of ``page`` is, so that
        ``[text][entry-id]`` in any page or docstring links to it."""
        autorefs = config.plugins.get("autorefs")
        register = getattr(autorefs, "register_anchor", None)
        if register is None:
            return
        for ident, target in self.targets.items():
            if target.url == page.file.url:
                register(page, ident, title=f"({target.number}) {target.title}")

    def _serve_failure(self, files: Files, config: MkDocsConfig, message: str) -> Files:
        """Show ``message`` in the served site: the handbook's pages of the last build (or its
        index, on a first build) become the error page, every page gets the banner
        (``on_page_content``), and the console says it too."""
        log.error(message)
        self.failure, self.targets = message, {}
        page = pages.failure_page(message)
        names = [file.src_uri for file in self.generated] or [self._in_handbook("index.md")]
        self.generated = [self._add(files, config, name, content=page) for name in names]
        if self.printable is not None:
            self.printable = self._add(files, config, self.printable.src_uri, content=page)
        self._add_assets(files, config)
        return files

    def _add_assets(self, files: Files, config: MkDocsConfig) -> None:
        """Serve the style sheet and scripts of ``self.assets``; the page script with its settings."""
        for path in self.assets.files:
            if path == SCRIPT:
                self._add(files, config, site_uri(path), content=self.assets.script())
            else:
                self._add(files, config, site_uri(path), abs_src_path=str(PACKAGE_ASSETS / path))

    def _in_handbook(self, name: str) -> str:
        """The site path of a generated page: ``name`` below ``output_dir``."""
        return posixpath.join(self.output_dir, name)

    def _from_index(self, src_uri: str) -> str:
        """A Markdown link from the handbook's index page to the file at ``src_uri``."""
        return posixpath.relpath(src_uri, self.output_dir or ".")

    def _meta(self, config: MkDocsConfig, registry: Registry) -> SiteMeta:
        """The handbook's metadata: the plugin's options, else the site's name and author."""
        authors = self.settings.authors
        if authors is None:
            authors = (config.site_author,) if config.site_author else ()
        urls = {c.slug: page_url(config, self._in_handbook(pages.chapter_file(c))) for c in registry.chapters}
        return SiteMeta(title=self.settings.handbook_title or config.site_name, authors=authors,
                        version=self.settings.version or None, url=config.site_url or None,
                        date=self.settings.date, page_urls=urls)

    def _exports(self, registry: Registry, report: Report, meta: SiteMeta) -> dict[str, str]:
        """The exports by file name; none while an identity is inconclusive, because an export,
        like ``proofbook export``'s, says that every identity in it is verified."""
        if report.counts()["inconclusive"]:
            log.info("the exports (proofbook.json, proofbook.tex, proofbook.bib) are left out while an "
                     "identity is inconclusive")
            return {}
        return exports(registry, report, meta)

    def _add_pages(self, files: Files, config: MkDocsConfig, registry: Registry, report: Report,
                   meta: SiteMeta, downloads: list[str]) -> dict[str, str]:
        """Add the handbook's pages (``downloads``: the exports to link); return the entry blocks."""
        used = used_by(registry)
        cites = {r.entry.id: cite_block(r, meta) for r in report.entries}
        blocks = pages.entry_blocks(report.entries, used, cites)
        notation = self._from_index(NOTATION_PAGE) if files.get_file_from_path(NOTATION_PAGE) else None
        self.graph_url = page_url(config, self._in_handbook(pages.GRAPH))
        graph_hrefs = {r.entry.id: f"{relative_url(meta.page_urls[r.entry.chapter], self.graph_url)}#{r.entry.id}"
                       for r in report.entries}
        generated = pages.handbook_pages(
            registry, report.entries, blocks, dependency_edges(registry), graph_hrefs, notation=notation,
            downloads=[(EXPORTS[name][0], self._from_index(name)) for name in downloads])
        self.generated = [self._add(files, config, self._in_handbook(name), content=markdown)
                          for name, markdown in generated]
        printable = pages.print_page(registry, pages.entry_blocks(report.entries, used, expanded=True, printed=True),
                                     meta.title, byline(meta))
        self.printable = self._add(files, config, self._in_handbook(pages.PRINT), content=printable)
        return blocks

    def _targets_on(self, page: Page) -> Mapping[str, Target]:
        """The reference targets as seen from ``page``: on the print page, its own copies."""
        if page.file is not self.printable:
            return self.targets
        return {ident: replace(target, url=page.file.url) for ident, target in self.targets.items()}

    def _add(self, files: Files, config: MkDocsConfig, src_uri: str, *, content: str | None = None,
             abs_src_path: str | None = None) -> File:
        """Add one generated file (text, or a copy of a package file), refusing to replace a file
        the site already has."""
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(conflict_message(src_uri))
        file = File.generated(config, src_uri, content=content,  # type: ignore[call-overload]
                              abs_src_path=abs_src_path, inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(file)
        return file


def extension_name(extension: object) -> str:
    """A Markdown extension as its short name, however mkdocs.yml spells it: ``md_in_html``,
    ``markdown.extensions.md_in_html``, ``markdown.extensions.md_in_html:MarkdownInHtmlExtension``
    or an extension instance all give ``md_in_html``; ``pymdownx.*`` names keep their package."""
    if not isinstance(extension, str):
        extension = type(extension).__module__
    name = extension.split(":")[0]
    return name.removeprefix("markdown.extensions.")


def conflict_message(src_uri: str) -> str:
    """Why a generated file cannot be added at ``src_uri``, and what to rename."""
    if src_uri.endswith(".md"):
        return (f"proofbook: cannot generate the page {src_uri}: the site already has a page with that "
                "path. Rename that page or chapter (slug:), or set the plugin's output_dir option.")
    return (f"proofbook: cannot generate the file {src_uri}: the site already has a file with that path. "
            "Rename that file: proofbook writes its exports (proofbook.json, proofbook.tex, proofbook.bib) "
            "at the site root and its scripts and styles below assets/proofbook/.")


def page_url(config: MkDocsConfig, src_uri: str) -> str:
    """The URL MkDocs gives the page at ``src_uri`` (``File.url``), known before the page is."""
    return File(src_uri, None, config.site_dir, config.use_directory_urls).url


def registry_error(problems: list[str]) -> PluginError:
    """One error for the whole registry: a count, then one paragraph per problem."""
    noun = "problem" if len(problems) == 1 else "problems"
    return PluginError("\n".join([f"proofbook: {len(problems)} {noun} in the registry:", *listed([escaped(p) for p in problems])]))


def link_pages(nav_pages: list[Page]) -> None:
    """Previous/next links along the navigation, as MkDocs sets them for the pages it places."""
    for previous, page, following in zip([None, *nav_pages], nav_pages, [*nav_pages[1:], None]):
        page.previous_page, page.next_page = previous, following


def page_location(page: Page, markdown: str) -> tuple[str, int]:
    """The page's path as messages show it, and the lines of front matter MkDocs cut from the top."""
    if page.file.abs_src_path is None:
        return f"{page.file.src_uri} (generated by proofbook)", 0
    source = page.file.content_string
    offset = source[:len(source) - len(markdown)].count("\n") if source.endswith(markdown) else 0
    return shown_path(page.file.abs_src_path), offset
