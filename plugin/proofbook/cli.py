"""``proofbook`` on the command line: check a registry without MkDocs.

Exit status: 0 when every identity is verified, 1 when any is false or inconclusive,
2 when the input itself is bad (the error names file, line and entry; no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .cache import ResultCache
from .check import CheckOptions, Report, check_registry
from .errors import ProofbookErrors
from .export import report_as_dict
from .model import EntryReport
from .registry.load import load_registry
from .verify.claims import Settings

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    return int(args.run(args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="proofbook", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="verify every identity of a registry")
    check.add_argument("paths", nargs="*", default=["registry"], metavar="PATH",
                       help="registry folders or files (default: registry)")
    check.add_argument("--json", metavar="FILE", help="write the full results, evidence included")
    check.add_argument("--jobs", type=int, default=0, metavar="N", help="worker processes (default: one per CPU)")
    check.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                       help="seconds per claim before it is inconclusive (default: 60)")
    check.add_argument("--cache-dir", default=".proofbook-cache", metavar="DIR",
                       help="where verdicts are remembered (default: .proofbook-cache)")
    check.add_argument("--no-cache", action="store_true", help="verify everything again")
    check.add_argument("--allow-inconclusive", action="store_true",
                       help="exit 0 even if some identity could not be decided")
    check.set_defaults(run=_check)
    return parser


def _check(args: argparse.Namespace) -> int:
    try:
        registry = load_registry(args.paths)
    except ProofbookErrors as errors:
        _print_errors([str(e) for e in errors.errors])
        return EXIT_BAD_INPUT
    cache = ResultCache(None if args.no_cache else Path(args.cache_dir) / "results.json")
    options = CheckOptions(Settings(), time_limit=args.time_limit, jobs=args.jobs)
    report = check_registry(registry, options, cache)
    for entry in report.entries:
        print(_line(entry))
    print(report.summary())
    if args.json:
        Path(args.json).write_text(json.dumps(report_as_dict(report), indent=2) + "\n", encoding="utf-8")
    return _exit_status(report, args.allow_inconclusive)


def _exit_status(report: Report, allow_inconclusive: bool) -> int:
    if report.errors:
        _print_errors([str(e) for e in report.errors])
        return EXIT_BAD_INPUT
    problems = report.problems(fail_on_inconclusive=not allow_inconclusive)
    if problems:
        _print_errors(problems)
        return EXIT_FAILED
    return EXIT_OK


def _line(report: EntryReport) -> str:
    entry, result = report.entry, report.result
    detail = result.describe() if result.status != "definition" else "not verified; fixes the notation"
    steps = f" [proof: {len(report.steps)} steps checked]" if report.steps else ""
    return f"{entry.number:>6}  {entry.id:<32} {result.status:<12} {detail}{steps}"


def _print_errors(lines: list[str]) -> None:
    print(f"\nproofbook: {len(lines)} problem(s):", file=sys.stderr)
    for line in lines:
        print(line, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
