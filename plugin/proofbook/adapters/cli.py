"""``proofbook`` on the command line: check a registry without MkDocs, export the handbook.

Options come from the site's or project's configuration file (``--config``, else the first of
``proofbook.toml``, ``pyproject.toml``, ``mkdocs.yml``, ``zensical.toml`` in the working
directory that configures proofbook; see ``proofbook.settings.files``), then from the arguments,
which are checked by the same checks as the options, with the same messages.

Exit status: 0 when every identity is verified, 1 when any is false or inconclusive,
2 when the input itself is bad (the error names file, line and entry; no traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..cache import CACHE_FILE, ResultCache, shard_file
from ..check import Report, check_registry
from ..errors import Location, ProofbookError, ProofbookErrors, listed
from ..export import HandbookMeta, handbook_json, latex_sheet, report_as_dict
from ..model import LEVELS, EntryReport, Registry
from ..progress import Progress
from ..registry.snapshot import load_registry_cached
from ..render.bibtex import bibliography
from ..render.refs import registry_problems
from ..settings import OptionError, check_option
from ..settings.files import SiteSettings, find_site_settings, read_site_settings
from ..settings.options import MATH_ENGINES

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2

#: ``export --format``: name → writer of the whole handbook as text.
EXPORTERS: dict[str, Callable[[Registry, Report, HandbookMeta], str]] = {
    "json": handbook_json,
    "latex": latex_sheet,
    "bibtex": bibliography,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except ProofbookErrors as errors:
        _print_errors([str(e) for e in errors.errors])
        return EXIT_BAD_INPUT


#: What ``proofbook --help`` says first: plain text (the module docstring is reStructuredText).
DESCRIPTION = "Check a proofbook registry without MkDocs, and export the handbook."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="proofbook", description=DESCRIPTION)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="verify every identity of a registry")
    _add_registry_arguments(check)
    check.add_argument("--json", metavar="FILE", type=_output_file,
                       help="write the full results, evidence included")
    check.add_argument("--allow-inconclusive", action="store_true",
                       help="exit 0 even if some identity could not be decided")
    check.add_argument("--shard", type=_shard, metavar="K/N",
                       help="check only the K-th of N shares of the entries and write their "
                            "verdicts to shard-K-of-N.json in the cache folder, so that N CI jobs "
                            "can split a registry and the site build reads their merged caches")
    check.set_defaults(run=_check)
    _add_export_parser(commands)
    _add_build_parser(commands)
    return parser


def _add_registry_arguments(parser: argparse.ArgumentParser) -> None:
    """What to check and how: shared by every command that checks a registry."""
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="registry folders or files (default: registry, or the --config site's)")
    parser.add_argument("--config", metavar="FILE",
                        help="verify as the site does: take proofbook's options (registry, sizes, "
                             "limits, cache) from this mkdocs.yml, zensical.toml, pyproject.toml or "
                             "proofbook.toml (default: the first of them here that configures proofbook)")
    parser.add_argument("--jobs", type=_option_type("jobs", _number), metavar="N",
                        help="worker processes (default: one per CPU)")
    parser.add_argument("--time-limit", type=_option_type("time_limit", _number), metavar="S",
                        help="seconds per claim before it is inconclusive (default: 60)")
    parser.add_argument("--cache-dir", metavar="DIR", type=_folder,
                        help="where verdicts are remembered (default: the cache_dir option, else a folder "
                             "for this project in the user's cache folder, ~/.cache/proofbook)")
    parser.add_argument("--no-cache", action="store_true", help="verify everything again")
    parser.add_argument("--require", choices=LEVELS, metavar="LEVEL",
                        help="fail when an identity's evidence is weaker than LEVEL, one of "
                             f"{', '.join(LEVELS)} (strongest first; default: the --config site's "
                             "require option, else numeric: every verified identity passes)")


def _add_export_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = commands.add_parser("export", help="check a registry, then write it as JSON, LaTeX or BibTeX",
                                 description="Exports only a handbook whose every identity is verified.")
    _add_registry_arguments(export)
    export.add_argument("--format", choices=list(EXPORTERS), default="json", help="default: json")
    export.add_argument("--output", "-o", metavar="FILE", type=_output_file, help="default: standard output")
    _add_meta_arguments(export)
    export.set_defaults(run=_export)


def _add_meta_arguments(parser: argparse.ArgumentParser) -> None:
    """Who publishes the handbook: shared by the commands that write it."""
    parser.add_argument("--title", help=f"handbook title (default: the handbook_title option, else "
                                        f"{HandbookMeta.title!r})")
    parser.add_argument("--author", action="append", dest="authors", default=[], metavar="NAME",
                        help="an author of the handbook (repeatable)")
    parser.add_argument("--version", help="the handbook's version or edition")
    parser.add_argument("--url", help="where the site is published; citations link to its entries")
    parser.add_argument("--date", type=_option_type("date", str), metavar="YYYY-MM-DD",
                        help="publication date (default: the date option, else undated)")


def _load_and_check(args: argparse.Namespace, site: SiteSettings) -> tuple[Registry, Report]:
    """Load and verify the registry that ``_add_registry_arguments`` names, with the options of
    ``site`` under the arguments'.

    Raises ``ProofbookErrors`` when a file cannot be loaded; ``main`` reports them."""
    cache_dir = Path(args.cache_dir) if args.cache_dir else site.cache_folder()
    shard = getattr(args, "shard", None)
    cache = ResultCache(None if args.no_cache else cache_dir,
                        write_as=shard_file(shard) if shard else CACHE_FILE)
    if args.paths:  # paths typed on the command line are trusted as given
        registry = load_registry_cached(args.paths, cache)
    else:  # a site's paths stay inside its folder unless it sets allow_outside
        registry = load_registry_cached(site.registry_paths(), cache, site.root,
                                        contained=not site.settings.allow_outside)
    options = site.settings.check_options()
    options = replace(options, jobs=options.jobs if args.jobs is None else args.jobs,
                      time_limit=options.time_limit if args.time_limit is None else args.time_limit,
                      shard=shard, require=args.require or options.require)
    report = check_registry(registry, options, cache, Progress.for_console(_note))
    for notice in cache.notices():
        _note(notice)
    return registry, report


def _site_settings(config_file: str | None) -> SiteSettings:
    """The options of ``config_file``, else of the first configuration file here that has
    proofbook's, else the defaults; says which, and what the user should know about them."""
    site = read_site_settings(Path(config_file)) if config_file else find_site_settings(Path())
    if site is None:
        return SiteSettings()
    if config_file is None:
        _note(f"options from {site.describe()}")
    for notice in site.notices:
        _note(notice)
    return site


def _option_type(name: str, parse: Callable[[str], object]) -> Callable[[str], Any]:
    """An argparse type for an argument that sets option ``name``: the option's own check, so
    ``--jobs -1`` is refused as ``jobs: -1`` is ("Expected ... but received: -1")."""

    def convert(text: str) -> Any:
        try:
            return check_option(name, parse(text))
        except OptionError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return convert


def _number(text: str) -> int | float | str:
    """An argument as the number it spells (``2``, ``0.5``, ``inf``), else as the text it is."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _output_file(text: str) -> str:
    """A file to write: not a folder, and in a folder that exists or can be made and written."""
    path = Path(text)
    if not text.strip():
        raise argparse.ArgumentTypeError(f"Expected a file to write but received: {text!r}")
    if path.is_dir() or text.endswith(("/", os.sep)):
        raise argparse.ArgumentTypeError(f"Expected a file to write but received a folder: {text!r}")
    folder = next((p for p in path.absolute().parents if p.exists()), None)
    if folder is None or not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(
            f"Expected a file in a folder that can be written but received: {text!r}")
    if path.exists() and not os.access(path, os.W_OK):
        raise argparse.ArgumentTypeError(f"Expected a file that can be written but received: {text!r}")
    return text


def _folder(text: str) -> str:
    """A folder to keep the cache in: any path that is not an existing file."""
    if not text or (Path(text).exists() and not Path(text).is_dir()):
        raise argparse.ArgumentTypeError(f"Expected a folder but received: {text!r}")
    return text


def _shard(text: str) -> tuple[int, int]:
    """``K/N`` with 1 <= K <= N."""
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"expected K/N with 1 <= K <= N, such as 1/4, not {text!r}")
    return int(k), int(n)


def _check(args: argparse.Namespace) -> int:
    _, report = _load_and_check(args, _site_settings(args.config))
    for entry in report.entries:
        print(_line(entry))
    shard = f"shard {args.shard[0]}/{args.shard[1]}: " if args.shard else ""
    print(f"{shard}{report.summary()}")
    if args.json:
        _write(args.json, json.dumps(report_as_dict(report), indent=2) + "\n")
    _note(report.activity())
    return _exit_status(report, args.allow_inconclusive)


def _export(args: argparse.Namespace) -> int:
    """Write the export only if ``check`` would pass without --allow-inconclusive."""
    site = _site_settings(args.config)
    registry, report = _load_and_check(args, site)
    status = _exit_status(report, allow_inconclusive=False)
    if status != EXIT_OK:
        return status
    text = EXPORTERS[args.format](registry, report, _meta(args, site))
    if args.output:
        _write(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _meta(args: argparse.Namespace, site: SiteSettings) -> HandbookMeta:
    """The export's metadata: the arguments, else the options, else ``HandbookMeta``'s defaults."""
    options = site.settings
    meta = HandbookMeta(pages_dir=options.output_dir, authors=tuple(args.authors) or options.authors or (),
                        version=args.version or options.version or None, date=args.date or options.date,
                        url=args.url)
    title = args.title or options.handbook_title
    return replace(meta, title=title) if title else meta


def _exit_status(report: Report, allow_inconclusive: bool) -> int:
    """Print every problem (input errors first); bad input outranks a failed verification."""
    problems = report.problems(fail_on_inconclusive=not allow_inconclusive)
    if problems:
        _print_errors(problems)
    if report.errors:
        return EXIT_BAD_INPUT
    return EXIT_FAILED if problems else EXIT_OK


def _line(report: EntryReport) -> str:
    entry, result = report.entry, report.result
    detail = result.describe() if result.status != "definition" else "not verified; fixes the notation"
    links = len(report.steps)
    steps = f" [proof: {links} line{'s' if links > 1 else ''} checked]" if links else ""
    return f"{entry.number:>6}  {entry.id:<32} {result.status:<12} {detail}{steps}"


def _write(path: str, text: str) -> None:
    """Write an output file, creating its folder (CI artifact paths often do not exist yet)."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ProofbookErrors([ProofbookError(f"cannot write the file: {error.strerror}.",
                                              Location(path))]) from None


def _note(line: str) -> None:
    """A line about the run itself (progress, the cache), kept out of standard output."""
    print(f"proofbook: {line}", file=sys.stderr, flush=True)


def _print_errors(lines: list[str]) -> None:
    print(f"\nproofbook: {len(lines)} problem(s):", file=sys.stderr)
    for line in listed(lines):
        print(line, file=sys.stderr)


# -- proofbook build ---------------------------------------------------------------------------

def _add_build_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    build = commands.add_parser(
        "build", help="check a registry, then write the handbook as Markdown pages, assets and exports",
        description="Writes the handbook's pages (index, chapters, graph, notation, print), its "
                    "scripts and styles and its exports into a folder, for any static site generator; "
                    "only a handbook whose every identity is verified.")
    _add_registry_arguments(build)
    build.add_argument("--out", required=True, metavar="DIR", help="the folder to write into")
    build.add_argument("--check", action="store_true",
                       help="write nothing; exit 1 and name the files that are missing or out of date")
    build.add_argument("--assets-only", action="store_true",
                       help="only the scripts and styles (for a site that uses the Markdown extension)")
    build.add_argument("--no-directory-urls", dest="directory_urls", action="store_false",
                       help="link pages as page.html rather than page/ (the site's use_directory_urls: false)")
    build.add_argument("--math", choices=list(MATH_ENGINES),
                       help="how formulas are typeset (default: the math option, else katex)")
    _add_meta_arguments(build)
    build.set_defaults(run=_build)


def _build(args: argparse.Namespace) -> int:
    """Verify, then write (or with --check compare) the static handbook."""
    # the pages need Python-Markdown (render.sanitize): imported here, so that check and
    # export run without it
    from ..generate import handbook_files, left_over, stale_files, write_files
    from ..handbook import assemble
    from ..render.cite import SiteMeta
    from ..render.pages import chapter_file
    from ..render.placement import page_url

    site = _site_settings(args.config)
    registry, report = _load_and_check(args, site)
    problems = registry_problems(registry)
    if problems:
        _print_errors(problems)
        return EXIT_BAD_INPUT
    status = _exit_status(report, allow_inconclusive=False)
    if status != EXIT_OK:
        return status
    meta = _meta(args, site)
    urls = {c.slug: page_url(chapter_file(c), args.directory_urls) for c in registry.chapters}
    handbook = assemble(registry, report, SiteMeta(**vars(meta), page_urls=urls))
    files = handbook_files(handbook, math=args.math or site.settings.math, directory_urls=args.directory_urls,
                           assets_only=args.assets_only)
    out = Path(args.out)
    if args.check:
        stale, extra = stale_files(out, files), left_over(out, files)
        for name in stale:
            print(f"{out / name}: missing or out of date; run the same command without --check",
                  file=sys.stderr)
        for name in extra:
            print(f"{out / name}: left over from an earlier build; run the same command without --check",
                  file=sys.stderr)
        _note(f"{len(stale) + len(extra)} files in {out} are missing, out of date or left over"
              if stale or extra else f"the {len(files)} files in {out} are up to date")
        return EXIT_FAILED if stale or extra else EXIT_OK
    changed = write_files(out, files)
    _note(f"{len(changed)} files in {out} written or removed; {len(files)} files in all")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
