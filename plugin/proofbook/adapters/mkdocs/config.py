"""The options of the ``proofbook`` MkDocs plugin (``plugins: - proofbook: {...}`` in mkdocs.yml).

They are the core's options (``proofbook.settings.options``, where each is documented), and
each is checked by the core's own check: MkDocs prints the message that ``proofbook check``
prints for the same value ("Expected ... but received: ..."). An unknown option stops the
build, with the option it was probably meant to be.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config.base import ConfigErrors, ConfigWarnings, ValidationError

from ...settings import OptionError, ProofbookSettings, check_option, unknown_option
from ...settings.options import DEFAULTS


class CoreOption(base.BaseConfigOption[Any]):
    """One of the core's options, named by the attribute it is assigned to."""

    def __set_name__(self, owner: type, name: str) -> None:
        super().__set_name__(owner, name)
        self.default = DEFAULTS[name]

    def run_validation(self, value: object) -> Any:
        try:
            return check_option(self._name, value)
        except OptionError as error:
            raise ValidationError(str(error)) from None


class ProofbookConfig(base.Config):
    """Where the registry is, how hard to check it, and where the handbook pages go."""

    # -- the registry
    registry = CoreOption()
    allow_outside = CoreOption()
    # -- how hard each identity is checked
    exact_sizes = CoreOption()
    random_sizes = CoreOption()
    points = CoreOption()
    numeric_sizes = CoreOption()
    numeric_points = CoreOption()
    digits = CoreOption()
    symbolic_budget = CoreOption()
    # -- how the check runs
    time_limit = CoreOption()
    jobs = CoreOption()
    memory_limit_mb = CoreOption()
    require = CoreOption()
    fail_on_inconclusive = CoreOption()
    cache = CoreOption()
    cache_dir = CoreOption()
    # -- the handbook pages
    nav_section = CoreOption()
    output_dir = CoreOption()
    bold = CoreOption()
    math = CoreOption()
    # -- citing the handbook
    handbook_title = CoreOption()
    authors = CoreOption()
    version = CoreOption()
    date = CoreOption()

    def _validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        """MkDocs' validation, with an unknown option an error rather than a warning: a typo
        (``time_limt``) would otherwise verify with the default, and publish."""
        failed, warnings = super()._validate()
        unknown = sorted(key for key in self.keys() if key not in self._schema_keys)
        failed.extend((key, ValidationError(str(unknown_option(key)))) for key in unknown)
        return failed, [(key, warning) for key, warning in warnings if key not in unknown]

    def settings(self) -> ProofbookSettings:
        """The validated options, as the core takes them."""
        return ProofbookSettings(**{name: self[name] for name, _ in self._schema})
