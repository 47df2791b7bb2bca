"""The documentation stays in step with the code it describes."""

from __future__ import annotations

import re
from pathlib import Path

from proofbook.adapters.mkdocs.config import ProofbookConfig

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_configuration_page_documents_exactly_the_plugin_options() -> None:
    """Every option has a ``### `name` `` section on the configuration page, and nothing else does."""
    documented = re.findall(r"^### `([a-z_]+)`$", (DOCS / "configuration.md").read_text(), re.MULTILINE)
    options = [name for name, _ in ProofbookConfig._schema]
    assert sorted(documented) == sorted(options)
