"""``python -m proofbook``: the ``proofbook`` command, where its script is not on the PATH."""

from .adapters.cli import main

raise SystemExit(main())
