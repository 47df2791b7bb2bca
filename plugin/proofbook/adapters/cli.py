"""``proofbook`` on the command line: check a registry without MkDocs, export the handbook.

Exit status: 0 when every identity is verified, 1 when any is false or inconclusive,
2 when the input itself is bad (the error names file, line and entry; no traceback).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from dataclasses import replace
from collections.abc import Callable, Sequence
from pathlib import Path

from ..cache import CACHE_FILE, ResultCache, shard_file
from ..check import CheckOptions, Report, check_registry
from ..errors import Location, ProofbookError, ProofbookErrors
from ..export import HandbookMeta, handbook_json, latex_sheet, report_as_dict
from ..model import EntryReport, Registry
from ..progress import Progress
from ..registry.snapshot import load_registry_cached
from ..generate import handbook_files, stale_files, write_files
from ..handbook import assemble
from ..render.bibtex import bibliography
from ..render.cite import SiteMeta
from ..render.pages import chapter_file
from ..render.placement import page_url
from ..render.refs import registry_problems

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
#: Where verdicts are remembered unless ``--cache-dir`` or the site's ``cache_dir`` says otherwise.
DEFAULT_CACHE_DIR = ".cache/proofbook"

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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="proofbook", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="verify every identity of a registry")
    _add_registry_arguments(check)
    check.add_argument("--json", metavar="FILE", help="write the full results, evidence included")
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
    parser.add_argument("--config", metavar="MKDOCS_YML",
                        help="verify as the site does: take the proofbook plugin's options "
                             "(registry, sizes, limits, cache) from this mkdocs.yml")
    parser.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: one per CPU)")
    parser.add_argument("--time-limit", type=float, metavar="S",
                        help="seconds per claim before it is inconclusive (default: 60)")
    parser.add_argument("--cache-dir", metavar="DIR",
                        help=f"where verdicts are remembered (default: {DEFAULT_CACHE_DIR})")
    parser.add_argument("--no-cache", action="store_true", help="verify everything again")


def _add_export_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = commands.add_parser("export", help="check a registry, then write it as JSON, LaTeX or BibTeX",
                                 description="Exports only a handbook whose every identity is verified.")
    _add_registry_arguments(export)
    export.add_argument("--format", choices=list(EXPORTERS), default="json", help="default: json")
    export.add_argument("--output", "-o", metavar="FILE", help="default: standard output")
    export.add_argument("--title", help=f"handbook title (default: {HandbookMeta.title!r})")
    export.add_argument("--author", action="append", dest="authors", default=[], metavar="NAME",
                        help="an author of the handbook (repeatable)")
    export.add_argument("--version", help="the handbook's version or edition")
    export.add_argument("--url", help="where the site is published; citations link to its entries")
    export.add_argument("--date", type=datetime.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="publication date (default: undated)")
    export.set_defaults(run=_export)


def _load_and_check(args: argparse.Namespace) -> tuple[Registry, Report]:
    """Load and verify the registry that ``_add_registry_arguments`` names.

    Raises ``ProofbookErrors`` when a file cannot be loaded; ``main`` reports them."""
    paths, options, cache_dir = _site_options(args.config) if args.config else (
        ["registry"], CheckOptions(), Path(DEFAULT_CACHE_DIR))
    if args.cache_dir:
        cache_dir = Path(args.cache_dir)
    shard = getattr(args, "shard", None)
    cache = ResultCache(None if args.no_cache else cache_dir,
                        write_as=shard_file(shard) if shard else CACHE_FILE)
    registry = load_registry_cached(args.paths or paths, cache)
    options = replace(options, jobs=options.jobs if args.jobs is None else args.jobs,
                      time_limit=options.time_limit if args.time_limit is None else args.time_limit,
                      shard=shard)
    report = check_registry(registry, options, cache, Progress.for_console(_note))
    for notice in cache.notices():
        _note(notice)
    return registry, report


def _site_options(config_file: str) -> tuple[list[str], CheckOptions, Path | None]:
    """Registry paths, check options and cache folder (None: no cache) of the proofbook plugin
    in a mkdocs.yml."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        plugins = load_config(config_file)["plugins"]
    except (MkDocsException, OSError) as error:
        raise ProofbookErrors([ProofbookError(f"cannot read the MkDocs configuration: {error}",
                                              Location(config_file))]) from None
    plugin = plugins.get("proofbook")
    if plugin is None:
        raise ProofbookErrors([ProofbookError("this MkDocs configuration does not use the proofbook plugin.",
                                              Location(config_file), hint="Add proofbook under plugins:.")])
    base = Path(config_file).parent
    options = plugin.config
    cache_dir = base / options.cache_dir if options.cache and options.cache_dir else None
    return [str(base / path) for path in options.registry], options.check_options(), cache_dir


def _shard(text: str) -> tuple[int, int]:
    """``K/N`` with 1 <= K <= N."""
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"expected K/N with 1 <= K <= N, such as 1/4, not {text!r}")
    return int(k), int(n)


def _check(args: argparse.Namespace) -> int:
    _, report = _load_and_check(args)
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
    registry, report = _load_and_check(args)
    status = _exit_status(report, allow_inconclusive=False)
    if status != EXIT_OK:
        return status
    given = {name: getattr(args, name) for name in ("title", "version", "url", "date")}
    meta = HandbookMeta(authors=tuple(args.authors), **{k: v for k, v in given.items() if v is not None})
    text = EXPORTERS[args.format](registry, report, meta)
    if args.output:
        _write(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


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
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _note(line: str) -> None:
    """A line about the run itself (progress, the cache), kept out of standard output."""
    print(f"proofbook: {line}", file=sys.stderr, flush=True)


def _print_errors(lines: list[str]) -> None:
    print(f"\nproofbook: {len(lines)} problem(s):", file=sys.stderr)
    for line in lines:
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
    build.add_argument("--math", choices=["katex", "katex-cdn", "none"], default="katex",
                       help="how formulas are typeset (as the plugin's math option; default: katex)")
    build.set_defaults(run=_build)


def _build(args: argparse.Namespace) -> int:
    """Verify, then write (or with --check compare) the static handbook."""
    registry, report = _load_and_check(args)
    problems = registry_problems(registry)
    if problems:
        _print_errors(problems)
        return EXIT_BAD_INPUT
    status = _exit_status(report, allow_inconclusive=False)
    if status != EXIT_OK:
        return status
    urls = {c.slug: page_url(chapter_file(c), args.directory_urls) for c in registry.chapters}
    handbook = assemble(registry, report, SiteMeta(page_urls=urls))
    files = handbook_files(handbook, math=args.math, directory_urls=args.directory_urls,
                           assets_only=args.assets_only)
    out = Path(args.out)
    if args.check:
        stale = stale_files(out, files)
        for name in stale:
            print(f"{out / name}: out of date; run proofbook build again", file=sys.stderr)
        _note(f"{len(stale)} of {len(files)} files in {out} are out of date" if stale
              else f"the {len(files)} files in {out} are up to date")
        return EXIT_FAILED if stale else EXIT_OK
    written = write_files(out, files)
    _note(f"wrote {len(written)} of {len(files)} files to {out} (the others were up to date)")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
