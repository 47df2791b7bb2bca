"""BibTeX for citing single formulas: one ``@misc`` per verified identity, keyed by its id.

Definitions get no entry: they fix notation and are cited through the identities that use them.
Every value is brace-delimited text escaped by ``tex_escape``, whose escapes keep braces
balanced as BibTeX requires.
"""

from __future__ import annotations

from proofbook import __version__
from proofbook.check import Report
from proofbook.export import HandbookMeta, tex_escape
from proofbook.model import EntryReport, Registry


def bibliography(registry: Registry, report: Report, meta: HandbookMeta) -> str:
    """The ``.bib`` file for the identities of ``report``, in handbook order.

    BibTeX skips text between entries, so the header needs no comment syntax, only no ``@``."""
    header = f"% Written by proofbook {__version__} from a verified registry.\n"
    entries = [bibtex_entry(r, meta) for r in report.entries if r.entry.kind == "identity"]
    return header + "\n" + "\n\n".join(entries) + "\n"


def bibtex_entry(report: EntryReport, meta: HandbookMeta) -> str:
    """The ``@misc`` record of one identity."""
    entry = report.entry
    permalink = meta.permalink(entry)
    note = f"Verified by proofbook: {report.result.describe()}."
    if entry.source:
        note += f" Source: {entry.source}."
    fields = {
        "title": f"{{({entry.number}) {tex_escape(entry.title)}}}",  # inner braces keep its case
        "author": " and ".join(tex_escape(a) for a in meta.authors),
        "howpublished": f"\\url{{{permalink}}}" if permalink else tex_escape(meta.title),
        "url": permalink or "",
        "note": tex_escape(note),
        "year": str(meta.date.year) if meta.date else "",
        "version": tex_escape(meta.version or ""),
    }
    lines = [f"  {name} = {{{value}}}," for name, value in fields.items() if value]
    return "\n".join([f"@misc{{{entry.id},", *lines, "}"])
