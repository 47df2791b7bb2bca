"""A verified handbook, ready to place on pages: what the Markdown extension and the static
generator build from, whatever the host.

``verified_registry`` loads and checks a registry, raising ``HandbookFailed`` with one message
listing every problem (the MkDocs plugin's message, word for word); ``assemble`` turns the
result into a ``Handbook``: the entry blocks with their Cite controls, the exports, and the
reference targets for the pages where the chapters are placed.  Nothing here imports a host.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .cache import ResultCache
from .check import CheckOptions, Report, check_registry
from .errors import ProofbookErrors
from .model import Registry
from .progress import Progress
from .proofs import used_by
from .registry.files import chapter_files
from .registry.snapshot import load_registry_cached
from .render import pages
from .render.cite import SiteMeta, cite_block, exports
from .render.refs import Target, registry_problems


class HandbookFailed(Exception):
    """The registry cannot be published: the message lists every problem, one paragraph each."""


def failure_message(problems: Sequence[str], in_what: str = "the registry") -> str:
    """``proofbook: 2 problems in the registry:`` then one paragraph per problem."""
    noun = "problem" if len(problems) == 1 else "problems"
    return "\n".join([f"proofbook: {len(problems)} {noun} in {in_what}:", *problems])


@dataclass(frozen=True)
class Handbook:
    """A registry whose every entry may be published, with what its pages are made of."""

    registry: Registry
    report: Report
    meta: SiteMeta
    #: Each entry's block with its Cite control, by id (chapter pages, embeds).
    blocks: Mapping[str, str]
    #: Each entry's block with its proof open, by id (the print page).
    expanded: Mapping[str, str]
    #: Lines to show the user: inconclusive entries allowed by the settings, cache notices.
    warnings: Sequence[str] = field(default_factory=tuple)

    def targets(self, url_of: Callable[[str], str | None]) -> dict[str, Target]:
        """Reference targets of the entries whose chapter has a page; ``url_of`` gives a chapter
        slug's page URL (relative to the site root), None for a chapter on no page."""
        targets = {}
        for report in self.report.entries:
            url = url_of(report.entry.chapter)
            if url is not None:
                targets[report.entry.id] = Target(report.entry.number, url, report.latex,
                                                  self.blocks[report.entry.id])
        return targets

    def exports(self) -> dict[str, str]:
        """``proofbook.json``, ``.tex`` and ``.bib`` by file name; none while an identity is
        inconclusive, since an export says that every identity in it is verified."""
        if self.report.counts()["inconclusive"]:
            return {}
        return exports(self.registry, self.report, self.meta)


def verified_registry(paths: Sequence[str], options: CheckOptions, cache: ResultCache, *,
                      fail_on_inconclusive: bool = True,
                      progress: Progress | None = None) -> tuple[Registry, Report, list[str]]:
    """Load and check the registry at ``paths``: the registry, its report and the lines to show
    (cache notices; inconclusive entries the settings allow).  Raises ``HandbookFailed`` on any
    problem: an input error, a false entry, an inconclusive one unless allowed, an unknown
    reference in the registry's own text."""
    try:
        registry = load_registry_cached(paths, cache)
    except ProofbookErrors as errors:
        raise HandbookFailed(failure_message([str(e) for e in errors.errors])) from None
    report = check_registry(registry, options, cache, progress)
    problems = report.problems(fail_on_inconclusive) + registry_problems(registry)
    if problems:
        raise HandbookFailed(failure_message(problems))
    allowed = report.problems(fail_on_inconclusive=True)  # inconclusive, yet allowed
    return registry, report, [*cache.notices(), *allowed]


def assemble(registry: Registry, report: Report, meta: SiteMeta, warnings: Sequence[str] = ()) -> Handbook:
    """The handbook of a verified registry; ``meta.page_urls`` names the page of every chapter
    that has one (the Cite controls link there)."""
    used = used_by(registry)
    cites = {r.entry.id: cite_block(r, meta) for r in report.entries}
    return Handbook(registry, report, meta,
                    blocks=pages.entry_blocks(report.entries, used, cites),
                    expanded=pages.entry_blocks(report.entries, used, expanded=True),
                    warnings=tuple(warnings))


def registry_signature(paths: Sequence[str]) -> tuple[tuple[str, int, int], ...]:
    """(path, modification time in ns, size) of every registry file: what changes when an author
    edits the registry, read without opening a file (cheap enough to ask on every page)."""
    files, _ = chapter_files(paths)
    signature = []
    for path, _shown in files:
        try:
            stat = Path(path).stat()
        except OSError:
            continue
        signature.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(signature)
