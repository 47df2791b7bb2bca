"""How readers cite the handbook and take it away: each entry's "Cite" control, and the exports.

The BibTeX of a Cite control is the entry of ``proofbook.bib`` (``render.bibtex``), and the
exports are those of ``proofbook export`` (``export``), all from one ``SiteMeta``: the
plugin's ``handbook_title``, ``authors``, ``version`` and ``date`` options, the site's URL and
the URLs of the pages MkDocs writes.

Without a ``date`` option nothing is dated, not even with the day of the build: the same
sources must build the same site.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..check import Report
from ..export import HandbookMeta, handbook_json, latex_sheet
from ..model import Entry, EntryReport, Registry
from .bibtex import bibliography, bibtex_entry
from .refs import literal

#: The exports, written at the site root: file name → (link text, writer).
EXPORTS: dict[str, tuple[str, Callable[[Registry, Report, HandbookMeta], str]]] = {
    "proofbook.json": ("JSON", handbook_json),
    "proofbook.tex": ("LaTeX", latex_sheet),
    "proofbook.bib": ("BibTeX", bibliography),
}

@dataclass(frozen=True)
class SiteMeta(HandbookMeta):
    """The handbook's metadata as the built site knows it.

    ``page_urls`` maps each chapter slug to its page's URL (``File.url``, relative to the site
    root), so permalinks follow the pages MkDocs writes, with or without ``use_directory_urls``.
    """

    page_urls: Mapping[str, str] = field(default_factory=dict)

    def permalink(self, entry: Entry) -> str | None:
        """``site_url`` + the entry's page URL + ``#id``; None without a ``site_url``."""
        if self.url is None:
            return None
        return f"{self.url.rstrip('/')}/{self.location(entry)}"

    def location(self, entry: Entry) -> str:
        """The entry's page URL + ``#id``, relative to the site root."""
        return f"{self.page_urls[entry.chapter]}#{entry.id}"


def citation(entry: Entry, meta: SiteMeta) -> str:
    """``Ada Lovelace. (1.8) Gradient of Tr(AB). In: Matrix handbook, version 2, 2024-05-01. <link>``.

    The link is the permalink, or the path below the site root when the site has no URL.  The
    title is one line: the citation is a raw HTML block, which a line break in a title must not
    open to Markdown."""
    parts = [", ".join(meta.authors), f"({entry.number}) {' '.join(entry.title.split())}",
             "In: " + ", ".join([meta.title, *meta.release()]), meta.permalink(entry) or meta.location(entry)]
    return ". ".join(part for part in parts if part)


def byline(meta: SiteMeta) -> str:
    """Who wrote the handbook, and which release: ``Ada Lovelace · version 2 · 2024-05-01``."""
    return " · ".join(part for part in [", ".join(meta.authors), *meta.release()] if part)


def bibtex(report: EntryReport, meta: SiteMeta) -> str | None:
    """The entry's record in ``proofbook.bib``, which holds verified identities only."""
    if report.entry.kind != "identity" or report.result.status != "verified":
        return None
    return bibtex_entry(report, meta)


def cite_block(report: EntryReport, meta: SiteMeta) -> str:
    """The Cite control of an entry block: a raw HTML block, closed until clicked.

    Text goes through ``refs.literal``: references are replaced before Markdown runs, so a
    ``[[`` in a title must not look like one.  The citations are left out of the search
    index; the reference syntax, which carries the id, is indexed.
    """
    entry = report.entry
    record = bibtex(report, meta)
    permalink = meta.permalink(entry)
    lines = ['<details class="quote pb-cite">', "<summary>Cite</summary>",
             *([f'<p>Permalink: <a class="pb-absolute" href="{literal(permalink)}">{literal(permalink)}</a></p>']
               if permalink else []),
             f"<p>In this site's pages: <code>{literal(f'[[{entry.id}]]')}</code></p>",
             f'<p class="pb-citation" data-search-exclude>{literal(citation(entry, meta))}</p>']
    if record:
        lines.append(f'<pre class="pb-bibtex" data-search-exclude><code>{literal(record)}</code></pre>')
    return "\n".join([*lines, "</details>"])


#: Said once when the site has no ``site_url``: citations then carry paths, not links.
NO_SITE_URL = ("proofbook: the Cite boxes give paths relative to the site root, since mkdocs.yml has no "
               "site_url; set site_url (the address the site is published at) to give each entry an "
               "absolute permalink in its Cite box, its BibTeX and the exports.")


def exports(registry: Registry, report: Report, meta: SiteMeta) -> dict[str, str]:
    """The text of each export, by file name: what ``proofbook export`` writes, with ``meta``."""
    return {name: write(registry, report, meta) for name, (_, write) in EXPORTS.items()}

