"""The options of the ``proofbook`` MkDocs plugin (``plugins: - proofbook: {...}`` in mkdocs.yml).

MkDocs validates them: a wrong type, a number out of range or an unknown option gets MkDocs'
own message ("Expected ... but received: ...").
"""

from __future__ import annotations

import datetime
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from ...check import CheckOptions
from ...model import LEVELS
from ...verify.claims import Settings


class AtLeast(c.Type):  # type: ignore[type-arg]
    """A number no smaller than ``minimum``: sizes, counts and time limits."""

    def __init__(self, type_: type | tuple[type, ...], minimum: float, **kwargs: Any) -> None:
        super().__init__(type_, **kwargs)
        self.minimum = minimum

    def run_validation(self, value: object) -> Any:
        value = super().run_validation(value)
        if isinstance(value, bool) or value < self.minimum:
            raise ValidationError(f"Expected a number of at least {self.minimum} but received: {value!r}")
        return value


class IsoDate(c.BaseConfigOption[datetime.date | None]):
    """A date written ``YYYY-MM-DD`` (YAML reads it unquoted as a date already); empty: none."""

    def run_validation(self, value: object) -> datetime.date | None:
        if value in ("", None) or isinstance(value, datetime.date):
            return value or None
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(f"Expected a date as YYYY-MM-DD but received: {value!r}") from None


class ProofbookConfig(base.Config):
    """Where the registry is, how hard to check it, and where the handbook pages go."""

    # -- the registry ---------------------------------------------------------------------------

    registry = c.ListOfItems(c.Type(str), default=["registry"])
    """Registry files, or folders of ``.yml`` files, relative to mkdocs.yml; chapters in order."""

    allow_outside = c.Type(bool, default=False)
    """Let registry paths, and the symlinks in registry folders, lead outside the folder of
    mkdocs.yml. Off by default: a chapter that a pull request links to a file elsewhere on the
    build machine is refused, not published."""

    # -- how hard each identity is checked ------------------------------------------------------

    exact_sizes = c.ListOfItems(AtLeast(int, 1), default=[1, 2])
    """Matrix sizes n at which identities are proved symbolically (exactly, for every value)."""

    random_sizes = c.ListOfItems(AtLeast(int, 1), default=[1, 2, 3, 4])
    """Sizes at which identities are tested exactly at random rational points."""

    points = AtLeast(int, 1, default=2)
    """Random rational points per size in ``random_sizes``."""

    numeric_sizes = c.ListOfItems(AtLeast(int, 1), default=[5])
    """Sizes at which identities are tested numerically (sizes too large for exact arithmetic)."""

    numeric_points = AtLeast(int, 1, default=2)
    """Random points per size in ``numeric_sizes``."""

    digits = AtLeast(int, 15, default=50)
    """Significant digits of the numeric test; at least 15, what a double already has."""

    symbolic_budget = AtLeast((int, float), 0, default=8.0)
    """CPU seconds the symbolic proof may spend at each exact size; past that, the tests decide."""

    # -- how the check runs ---------------------------------------------------------------------

    time_limit = AtLeast((int, float), 0.001, default=60.0)
    """Seconds one claim may take in all; a claim that runs out is inconclusive."""

    jobs = AtLeast(int, 0, default=0)
    """Worker processes verifying claims in parallel; 0 means one per CPU."""

    memory_limit_mb = AtLeast(int, 0, default=4096)
    """Memory each worker may use, in MiB; a claim that needs more is inconclusive. 0: no limit."""

    require = c.Choice(LEVELS, default="numeric")
    """The weakest evidence level a published identity may have, one of ``proved``,
    ``proved-for-sizes``, ``tested`` and ``numeric`` (strongest first; the trust page says what
    each guarantees). An identity below it fails the build. The default, ``numeric``, accepts
    every verified identity: its badge always states the level it reached, and a stricter
    default would reject true formulas that no exact method covers (many definite integrals).
    A course or a reference that promises proofs sets ``proved``."""

    fail_on_inconclusive = c.Type(bool, default=True)
    """Fail the build when a claim could be neither proved nor refuted. When False, such an
    entry is published with an "inconclusive" badge and a warning (which ``--strict`` fails)."""

    cache = c.Type(bool, default=True)
    """Remember verdicts between builds. False: every build verifies every entry again, reading
    and writing no cache (as ``proofbook check --no-cache`` does)."""

    cache_dir = c.Optional(c.Type(str))
    """Folder, relative to mkdocs.yml, that keeps verdicts, LaTeX and the loaded registry
    between builds, so that unchanged entries are neither verified again nor need SymPy.
    Default: a folder for this project in the user's cache folder (``~/.cache/proofbook``),
    outside the checkout. Only records signed with this installation's key (or
    ``PROOFBOOK_CACHE_KEY``) are used, so a cache file that comes with a pull request counts for
    nothing. An empty string keeps them in memory only (for the rebuilds of one ``mkdocs serve``)."""

    # -- the handbook pages ---------------------------------------------------------------------

    nav_section = c.Type(str, default="Handbook")
    """Title of the navigation section that holds the generated pages (added at the end of
    the navigation unless your ``nav`` already lists them)."""

    output_dir = c.Type(str, default="handbook")
    """URL folder of the generated pages (``handbook/index.md``, ``handbook/<chapter>.md``,
    ``handbook/graph.md``); nothing is written to docs/."""

    bold = c.Type(bool, default=True)
    r"""Print matrices and vectors bold (``\mathbf{A}``), as on the notation page."""

    math = c.Choice(("katex", "katex-cdn", "none"), default="katex")
    r"""How formulas are typeset in the browser; the plugin adds what it needs to ``extra_css``
    and ``extra_javascript``:

    * ``katex``: KaTeX, shipped with proofbook and served by the site itself, so the handbook
      works offline (with Material's ``theme.font: false``, the site then loads nothing from
      other hosts: Material's fonts come from Google otherwise);
    * ``katex-cdn``: the same KaTeX version from jsDelivr, for hosted sites that prefer a CDN;
    * ``none``: nothing; the site configures its own engine (MathJax, say), which must
      typeset arithmatex's generic output, ``\( ... \)`` inline and ``\[ ... \]`` display.

    In every case the site also serves Mermaid, which draws the dependency graph, itself."""

    # -- citing the handbook (the "Cite" control of each entry, the exports) --------------------

    handbook_title = c.Optional(c.Type(str))
    """The handbook's title in citations and exports; default: ``site_name``."""

    authors = c.Optional(c.ListOfItems(c.Type(str)))
    """Authors in citations and exports; default: ``site_author``, if set."""

    version = c.Type(str, default="")
    """The handbook's version or edition in citations and exports (quote it: ``"1.0"``)."""

    date = IsoDate()
    """The release date (``YYYY-MM-DD``) in citations and exports. Empty (the default): no date,
    rather than the day of the build, so that the same sources build the same site."""

    def check_options(self) -> CheckOptions:
        """How ``check_registry`` verifies, as these options say."""
        settings = Settings(exact_sizes=tuple(self.exact_sizes), random_sizes=tuple(self.random_sizes),
                            points=self.points, numeric_sizes=tuple(self.numeric_sizes),
                            numeric_points=self.numeric_points, digits=self.digits,
                            symbolic_budget=float(self.symbolic_budget))
        return CheckOptions(settings=settings, time_limit=float(self.time_limit), jobs=self.jobs,
                            memory_limit_mb=self.memory_limit_mb or None, bold=self.bold,
                            require=self.require)
