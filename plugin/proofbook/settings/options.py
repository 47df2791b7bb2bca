"""proofbook's options, whichever front end reads them, and how a mapping of them is validated.

``ProofbookSettings`` is a plain dataclass (as myst-parser's ``MdParserConfig``): the MkDocs
plugin, the Markdown extension and the command line each fill it from their own configuration,
and the core reads only it. Each field carries its default, its check (``values``) and, below
it, the text of the configuration page.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from ..cachekey import default_cache_dir
from ..check import CheckOptions
from ..errors import Location, ProofbookError, ProofbookErrors
from ..model import LEVELS, Level
from ..verify.claims import Settings
from . import values
from .values import Check, OptionError

#: Most worker processes: each is a Python with SymPy (a typo such as 2000 would exhaust memory).
MAX_JOBS = 256
MathEngine = Literal["auto", "katex", "katex-cdn", "none"]
MATH_ENGINES: tuple[MathEngine, ...] = ("auto", "katex", "katex-cdn", "none")


def _checked(check: Check) -> dict[str, Check]:
    """A field's metadata: the check of its values."""
    return {"check": check}


@dataclass(frozen=True)
class ProofbookSettings:
    """Where the registry is, how hard to check it, and where the handbook pages go."""

    # -- the registry ---------------------------------------------------------------------------

    registry: tuple[str, ...] = field(default=("registry",), metadata=_checked(values.registry_paths))
    """Registry files, or folders of ``.yml`` files, relative to the configuration file;
    chapters in order."""

    allow_outside: bool = field(default=False, metadata=_checked(values.boolean))
    """Let registry paths, and the symlinks in registry folders, lead outside the folder of
    the configuration file. Off by default: a chapter that a pull request links to a file
    elsewhere on the build machine is refused, not published."""

    # -- how hard each identity is checked ------------------------------------------------------

    exact_sizes: tuple[int, ...] = field(default=(1, 2), metadata=_checked(values.sizes))
    """Matrix sizes n at which identities are proved symbolically (exactly, for every value)."""

    random_sizes: tuple[int, ...] = field(default=(1, 2, 3, 4), metadata=_checked(values.sizes))
    """Sizes at which identities are tested exactly at random rational points."""

    points: int = field(default=2, metadata=_checked(values.integer(1)))
    """Random rational points per size in ``random_sizes``."""

    numeric_sizes: tuple[int, ...] = field(default=(5,), metadata=_checked(values.sizes))
    """Sizes at which identities are tested numerically (sizes too large for exact arithmetic)."""

    numeric_points: int = field(default=2, metadata=_checked(values.integer(1)))
    """Random points per size in ``numeric_sizes``."""

    digits: int = field(default=50, metadata=_checked(values.integer(15)))
    """Significant digits of the numeric test; at least 15, what a double already has."""

    symbolic_budget: float = field(default=8.0, metadata=_checked(values.number(0)))
    """CPU seconds the symbolic proof may spend at each exact size; past that, the tests decide."""

    # -- how the check runs ---------------------------------------------------------------------

    time_limit: float = field(default=60.0, metadata=_checked(values.number(0.001)))
    """Seconds one claim may take in all; a claim that runs out is inconclusive."""

    jobs: int = field(default=0, metadata=_checked(values.integer(0, maximum=MAX_JOBS)))
    """Worker processes verifying claims in parallel; 0 means one per CPU."""

    memory_limit_mb: int = field(default=4096, metadata=_checked(values.integer(0)))
    """Memory each worker may use, in MiB; a claim that needs more is inconclusive. 0: no limit."""

    require: Level = field(default="numeric", metadata=_checked(values.choice(LEVELS)))
    """The weakest evidence level a published identity may have, one of ``proved``,
    ``proved-for-sizes``, ``tested`` and ``numeric`` (strongest first; the trust page says what
    each guarantees). An identity below it fails the build. The default, ``numeric``, accepts
    every verified identity: its badge always states the level it reached, and a stricter
    default would reject true formulas that no exact method covers (many definite integrals).
    A course or a reference that promises proofs sets ``proved``."""

    fail_on_inconclusive: bool = field(default=True, metadata=_checked(values.boolean))
    """Fail the build when a claim could be neither proved nor refuted. When False, such an
    entry is published with an "inconclusive" badge and a warning (which ``--strict`` fails)."""

    cache: bool = field(default=True, metadata=_checked(values.boolean))
    """Remember verdicts between builds. False: every build verifies every entry again, reading
    and writing no cache (as ``proofbook check --no-cache`` does)."""

    cache_dir: str | None = field(default=None, metadata=_checked(values.optional(values.text)))
    """Folder, relative to the configuration file, that keeps verdicts, LaTeX and the loaded
    registry between builds, so that unchanged entries are neither verified again nor need SymPy.
    Default: a folder for this project in the user's cache folder (``~/.cache/proofbook``),
    outside the checkout. Only records signed with this installation's key (or
    ``PROOFBOOK_CACHE_KEY``) are used, so a cache file that comes with a pull request counts for
    nothing. An empty string keeps them in memory only (for the rebuilds of one ``mkdocs serve``)."""

    # -- the handbook pages ---------------------------------------------------------------------

    nav_section: str = field(default="Handbook", metadata=_checked(values.title))
    """Title of the navigation section that holds the generated pages (added at the end of
    the navigation unless your ``nav`` already lists them)."""

    output_dir: str = field(default="handbook", metadata=_checked(values.site_folder))
    """Folder of the generated pages below the site's root (``handbook/index.md``,
    ``handbook/<chapter>.md``, ``handbook/graph.md``), never above it; empty: the root."""

    bold: bool = field(default=True, metadata=_checked(values.boolean))
    r"""Print matrices and vectors bold (``\mathbf{A}``), as on the notation page."""

    math: MathEngine = field(default="auto", metadata=_checked(values.choice(MATH_ENGINES)))
    r"""How formulas are typeset in the browser; the site gets the scripts and styles it needs,
    and loads a math engine only on pages that show formulas:

    * ``auto`` (the default): the site's own engine when its ``extra_javascript`` loads MathJax
      or KaTeX, else ``katex``; a site never gets two engines;

    * ``katex``: KaTeX, shipped with proofbook and served by the site itself, so the handbook
      works offline (with Material's ``theme.font: false``, the site then loads nothing from
      other hosts: Material's fonts come from Google otherwise);
    * ``katex-cdn``: the same KaTeX version from jsDelivr, for hosted sites that prefer a CDN;
    * ``none``: nothing; the site configures its own engine (MathJax, say), which must
      typeset arithmatex's generic output, ``\( ... \)`` inline and ``\[ ... \]`` display.

    The dependency graph is drawn when the site is built, as an SVG: it needs no script."""

    # -- citing the handbook (the "Cite" control of each entry, the exports) --------------------

    handbook_title: str | None = field(default=None, metadata=_checked(values.optional(values.text)))
    """The handbook's title in citations and exports; default: the site's name."""

    authors: tuple[str, ...] | None = field(
        default=None, metadata=_checked(values.optional(values.items_of(values.text, "names"))))
    """Authors in citations and exports; default: the site's author, if set."""

    version: str = field(default="", metadata=_checked(values.text))
    """The handbook's version or edition in citations and exports (quote it: ``"1.0"``)."""

    date: datetime.date | None = field(default=None, metadata=_checked(values.iso_date))
    """The release date (``YYYY-MM-DD``) in citations and exports. Empty (the default): no date,
    rather than the day of the build, so that the same sources build the same site."""

    def check_options(self) -> CheckOptions:
        """How ``check_registry`` verifies, as these options say."""
        settings = Settings(exact_sizes=self.exact_sizes, random_sizes=self.random_sizes,
                            points=self.points, numeric_sizes=self.numeric_sizes,
                            numeric_points=self.numeric_points, digits=self.digits,
                            symbolic_budget=self.symbolic_budget)
        return CheckOptions(settings=settings, time_limit=self.time_limit, jobs=self.jobs,
                            memory_limit_mb=self.memory_limit_mb or None, bold=self.bold,
                            require=self.require)

    def cache_folder(self, base: Path) -> Path | None:
        """Where verdicts are kept for a site whose configuration file is in ``base`` (by default
        outside it, see ``cachekey.default_cache_dir``); None when they are not kept on disk
        (``cache: false`` or an empty ``cache_dir``)."""
        if not self.cache or self.cache_dir == "":
            return None
        return default_cache_dir(base) if self.cache_dir is None else base / self.cache_dir


#: Each option's check, by name, in the order of the configuration page.
CHECKS: dict[str, Check] = {option.name: option.metadata["check"] for option in fields(ProofbookSettings)}
#: Each option's default, by name.
DEFAULTS: dict[str, Any] = {option.name: option.default for option in fields(ProofbookSettings)}


def check_option(name: str, value: object) -> Any:
    """The value of option ``name`` as ``ProofbookSettings`` holds it; raises ``OptionError``."""
    if name not in CHECKS:
        raise unknown_option(name)
    return CHECKS[name](value)


def unknown_option(name: object) -> OptionError:
    """Why ``name`` is refused: a typo gets the option it was meant to be."""
    import difflib  # only for a refusal: a build with good options never needs it

    close = difflib.get_close_matches(str(name), CHECKS, n=1, cutoff=0.6)
    hint = f"Did you mean '{close[0]}'?" if close else f"The options are: {', '.join(CHECKS)}."
    return OptionError(f"Unknown option. {hint}")


def read_options(options: Mapping[Any, object], where: Callable[[str], Location | None] = lambda _: None,
                 label: str = "proofbook option") -> ProofbookSettings:
    """Settings from a mapping of options (a configuration file's table), every problem listed.

    ``where(name)`` locates an option in its file; ``label`` names the options in messages
    (``proofbook option 'jobs': Expected ...``). Raises ``ProofbookErrors``."""
    given: dict[str, Any] = {}
    problems = []
    for name, value in options.items():
        try:
            given[str(name)] = check_option(str(name), value)
        except OptionError as error:
            problems.append(ProofbookError(f"{label} '{name}': {error}", where(str(name))))
    if problems:
        raise ProofbookErrors(problems)
    return ProofbookSettings(**given)
