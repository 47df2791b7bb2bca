"""The handbook as plain files, for any static site generator (Zensical, MkDocs 2.0, ...).

``handbook_files`` turns a verified handbook into every file the MkDocs plugin would add to a
site: the index, one page per chapter, the dependency graph, the notation and print pages (as
Markdown, with every reference resolved), the exports (``proofbook.json``, ``.tex``, ``.bib``)
and the scripts and styles below ``assets/proofbook/``.  A host then needs no proofbook code,
only ``md_in_html`` (the entry blocks) and arithmatex-style math; the graph is an SVG.

The output depends on the sources only (no date, no timings, sorted paths), so a second run
writes the same bytes, and ``stale_files`` can tell CI that someone forgot to regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from .handbook import Handbook
from .proofs import dependency_edges
from .render import pages
from .render.assets import PACKAGE_ASSETS, MathEngine, page_assets, site_uri
from .render.cite import EXPORTS, byline
from .render.placement import page_url
from .render.refs import entry_links, fix_refs, unknown_message


def page_files(handbook: Handbook, directory_urls: bool = True) -> dict[str, str]:
    """Each page's Markdown by path below the output folder, references resolved."""
    registry = handbook.registry
    downloads = [(EXPORTS[name][0], name) for name in handbook.exports()]
    chapter_urls = {c.slug: page_url(pages.chapter_file(c), directory_urls) for c in registry.chapters}
    targets = handbook.targets(chapter_urls.get)
    graph_links = entry_links(targets, page_url(pages.GRAPH, directory_urls))
    generated = dict(pages.handbook_pages(registry, handbook.report.entries, handbook.blocks,
                                          dependency_edges(registry), graph_links, downloads=downloads))
    generated[pages.PRINT] = pages.print_page(registry, handbook.expanded, handbook.meta.title,
                                              byline(handbook.meta))
    resolved = {}
    for name, markdown in generated.items():
        url = page_url(name, directory_urls)
        on_page = targets if name != pages.PRINT else {
            ident: replace(target, url=url, block=handbook.expanded[ident]) for ident, target in targets.items()}
        fixed = fix_refs(markdown, url, on_page)
        if fixed.unknown:  # the registry's own references are checked before this: a proofbook bug
            raise AssertionError("; ".join(unknown_message(name, i, targets) for _, i in fixed.unknown))
        resolved[name] = fixed.markdown
    return resolved


def asset_files(math: MathEngine = "katex") -> dict[str, Path]:
    """The package file behind each asset path below the output folder (``assets/proofbook/...``)."""
    return {site_uri(path): PACKAGE_ASSETS / path for path in page_assets(math).files}


#: The list of the files the last run wrote, below the output folder: what a later run may
#: remove.  A dot file, so site generators do not publish it.
MANIFEST = ".proofbook-files"


def handbook_files(handbook: Handbook, *, math: MathEngine = "katex", directory_urls: bool = True,
                   assets_only: bool = False) -> dict[str, bytes]:
    """Every file of the static handbook, by path below the output folder, in path order, and
    the manifest that lists them."""
    files = {path: source.read_bytes() for path, source in asset_files(math).items()}
    if not assets_only:
        files |= {name: text.encode("utf-8") for name, text in page_files(handbook, directory_urls).items()}
        files |= {name: text.encode("utf-8") for name, text in handbook.exports().items()}
    files[MANIFEST] = "".join(f"{name}\n" for name in sorted(files)).encode("utf-8")
    return dict(sorted(files.items()))


def stale_files(out: Path, files: Mapping[str, bytes]) -> list[str]:
    """The paths below ``out`` that are missing or differ from ``files``."""
    stale = []
    for name, content in files.items():
        path = out / name
        try:
            same = path.read_bytes() == content
        except OSError:
            same = False
        if not same:
            stale.append(name)
    return stale


def left_over(out: Path, files: Mapping[str, bytes]) -> list[str]:
    """Files an earlier run wrote (its manifest lists them) that this one would not: a chapter
    renamed or removed, say, whose old page would otherwise stay published."""
    try:
        listed = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return []
    return [name for name in listed if name and name not in files and _inside(out, name) and (out / name).is_file()]


def _inside(out: Path, name: str) -> bool:
    """Whether a manifest line names a file below ``out`` (an edited manifest could say ``../x``)."""
    return (out / name).resolve().is_relative_to(out.resolve())


def write_files(out: Path, files: Mapping[str, bytes]) -> list[str]:
    """Write the files that are missing or differ (others keep their modification time, so a
    host watching the folder rebuilds only what changed) and remove those left over from an
    earlier run; the paths written or removed."""
    removed = left_over(out, files)
    for name in removed:
        (out / name).unlink()
    written = stale_files(out, files)
    for name in written:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])
    return sorted(written + removed)

