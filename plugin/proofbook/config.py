"""The options of the ``proofbook`` MkDocs plugin (``plugins: - proofbook: {...}`` in mkdocs.yml).

MkDocs validates them: a wrong type or an unknown option gets MkDocs' own message.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from .verify.claims import Settings


class ProofbookConfig(base.Config):
    """Where the registry is, how hard to check it, and where the handbook pages go."""

    # -- the registry ---------------------------------------------------------------------------

    registry = c.ListOfItems(c.Type(str), default=["registry"])
    """Registry files, or folders of ``.yml`` files, relative to mkdocs.yml; chapters in order."""

    # -- how hard each identity is checked ------------------------------------------------------

    exact_sizes = c.ListOfItems(c.Type(int), default=[1, 2])
    """Matrix sizes n at which identities are proved symbolically (exactly, for every value)."""

    random_sizes = c.ListOfItems(c.Type(int), default=[1, 2, 3, 4])
    """Sizes at which identities are tested exactly at random rational points."""

    points = c.Type(int, default=2)
    """Random rational points per size in ``random_sizes``."""

    numeric_sizes = c.ListOfItems(c.Type(int), default=[5])
    """Sizes at which identities are tested numerically (sizes too large for exact arithmetic)."""

    numeric_points = c.Type(int, default=2)
    """Random points per size in ``numeric_sizes``."""

    digits = c.Type(int, default=50)
    """Significant digits of the numeric test."""

    symbolic_budget = c.Type((int, float), default=8.0)
    """Seconds the symbolic proof of one claim may take before the verifier relies on tests alone."""

    # -- how the check runs ---------------------------------------------------------------------

    time_limit = c.Type((int, float), default=60.0)
    """Seconds one claim may take in all; a claim that runs out is inconclusive."""

    jobs = c.Type(int, default=0)
    """Worker processes verifying claims in parallel; 0 means one per CPU."""

    memory_limit_mb = c.Type(int, default=4096)
    """Memory each worker may use, in MiB; a claim that needs more is inconclusive. 0: no limit."""

    fail_on_inconclusive = c.Type(bool, default=True)
    """Fail the build when a claim could be neither proved nor refuted. When False, such an
    entry is published with an "inconclusive" badge and a warning (which ``--strict`` fails)."""

    cache_dir = c.Type(str, default=".proofbook-cache")
    """Folder, relative to mkdocs.yml, that keeps verdicts and LaTeX between builds, so that
    unchanged entries are not verified again. An empty string keeps them in memory only."""

    # -- the handbook pages ---------------------------------------------------------------------

    nav_section = c.Type(str, default="Handbook")
    """Title of the navigation section that holds the generated pages (added at the end of
    the navigation unless your ``nav`` already lists them)."""

    output_dir = c.Type(str, default="handbook")
    """URL folder of the generated pages (``handbook/index.md``, ``handbook/<chapter>.md``,
    ``handbook/graph.md``); nothing is written to docs/."""

    bold = c.Type(bool, default=True)
    r"""Print matrices and vectors bold (``\mathbf{A}``), as on the notation page."""

    def settings(self) -> Settings:
        """The verifier settings these options describe."""
        return Settings(exact_sizes=tuple(self.exact_sizes), random_sizes=tuple(self.random_sizes),
                        points=self.points, numeric_sizes=tuple(self.numeric_sizes),
                        numeric_points=self.numeric_points, digits=self.digits,
                        symbolic_budget=float(self.symbolic_budget))
