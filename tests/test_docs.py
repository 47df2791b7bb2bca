"""The documentation stays in step with the code it describes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docs_snippets import snippet
from proofbook.adapters.cli import main
from proofbook.adapters.mkdocs.config import ProofbookConfig

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_configuration_page_documents_exactly_the_plugin_options() -> None:
    """Every option has a ``### `name` `` section on the configuration page, and nothing else does."""
    documented = re.findall(r"^### `([a-z_]+)`$", (DOCS / "configuration.md").read_text(), re.MULTILINE)
    options = [name for name, _ in ProofbookConfig._schema]
    assert sorted(documented) == sorted(options)


GETTING_STARTED = "getting-started.md"


@pytest.mark.parametrize(("block", "change", "status"), [
    ("first-check", None, 0),
    ("false-check", ("rhs: (x - y)*(x + y)", "rhs: (x - y)**2"), 1),
    ("input-error-check", ("lhs: trace(A*B)", "lhs: trace(A)"), 2),
], ids=["verified", "false", "input-error"])
def test_getting_started_shows_what_check_prints(block: str, change: tuple[str, str] | None, status: int,
                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The page's first registry, changed as the page says, prints exactly the page's table and
    problems, and exits with the status the page gives."""
    registry = snippet("first-registry", GETTING_STARTED)
    if change is not None:
        assert change[0] in registry
        registry = registry.replace(*change)
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "01-basics.yml").write_text(registry)
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--no-cache", "--jobs", "1"])
    out, err = capsys.readouterr()
    problems = err[err.index("proofbook: 1 problem(s):"):] if status else ""
    assert (code, out + ("\n" + problems if problems else "")) == (status, snippet(block, GETTING_STARTED))
