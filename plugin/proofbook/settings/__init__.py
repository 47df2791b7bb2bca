"""proofbook's options: one plain dataclass that every front end fills (``options``), the checks
of their values (``values``), and the reading of configuration files without their hosts
(``files``). Nothing here imports MkDocs or Markdown."""

from .files import SiteSettings, find_site_settings, read_site_settings
from .options import ProofbookSettings, check_option, read_options, unknown_option
from .values import OptionError

__all__ = ["OptionError", "ProofbookSettings", "SiteSettings", "check_option", "find_site_settings",
           "read_options", "read_site_settings", "unknown_option"]
