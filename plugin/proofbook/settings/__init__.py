"""proofbook's options: one plain dataclass that every front end fills (``options``), the checks
of their values (``values``), and the reading of configuration files without their hosts
(``files``, imported by who reads files: a site build gets its options from its host). Nothing
here imports MkDocs or Markdown."""

from .options import ProofbookSettings, check_option, read_options, unknown_option
from .values import OptionError

__all__ = ["OptionError", "ProofbookSettings", "check_option", "read_options", "unknown_option"]
